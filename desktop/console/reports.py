"""The console's 评价/报表 window: asks the hub for a period's report and exports it.

Period figures come from the hub (``GridClient.request_report``): a client holds only open
and recently closed cases. The window is ``widgets.console.reports.ReportsView``; this
controller turns its picks into requests, polls the answer on the GUI thread, and writes
the files (XLSX and CSV from ``domain.report_files``, the PDF with Qt).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QFileDialog

from backend_client.client import GridClient
from domain import periods
from domain.hierarchy import CODE_LENGTHS, LEVEL_NAMES
from domain.report_files import title, to_csv, to_xlsx
from widgets.common.formatting import arg
from widgets.console.reports import ReportsView

POLL_MS = 50


def groups_below(node: str) -> list[str]:
    """What a report of ``node`` can assess: each level below it, the departments, the grid workers."""
    levels = [name for name, level in LEVEL_NAMES.items()
              if CODE_LENGTHS[level] > len(node) and name in ("district", "street", "community", "grid")]
    return [*levels, "department", "grid_worker"]


class ReportsController(QObject):
    def __init__(self, client: GridClient, node: str, parent=None) -> None:
        super().__init__(parent)
        self.client, self.node = client, node
        self.view = ReportsView(groups_below(node))
        self.view.setWindowTitle(QCoreApplication.translate("ReportsView", "Assessment & reports"))  # 评价/报表
        self.view.resize(1500, 860)
        self.pending: Future | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        self.view.query_requested.connect(self.query)
        self.view.export_requested.connect(self._export_dialog)

    def set_node(self, node: str) -> None:
        if node != self.node:
            self.node = node
            self.view.set_groups(groups_below(node))

    def query(self, kind: str, first: dt.date, last: dt.date | None, group_by: str) -> Future:
        if kind == "custom":
            period = periods.custom(first, last or first)
            start, end = period.start, period.end
        else:
            start, end = periods.midnight(first), None
        self.pending = self.client.request_report(self.node, kind, start, end, (group_by,) if group_by else ())
        self.timer.start()
        return self.pending

    def _poll(self) -> None:
        future = self.pending
        if future is None or not future.done():
            return
        self.timer.stop()
        self.pending = None
        try:
            data = future.result()
        except Exception as exc:  # the hub refused: say why, keep the last report
            refused = QCoreApplication.translate("ReportsView", "The hub refused: %1")  # 服务器拒绝：%1
            self.view.set_status(arg(refused, exc))
            return
        self.view.set_report(data)

    def export(self, fmt: str, path: Path | str) -> Path:
        data = self.view.data
        if data is None:
            raise ValueError("no report to export yet")
        path = Path(path)
        if fmt == "xlsx":
            path.write_bytes(to_xlsx(data))
        elif fmt == "csv":
            path.write_bytes(to_csv(data))
        elif fmt == "pdf":
            self.view.write_pdf(path, title(data))
        else:
            raise ValueError(f"unknown format {fmt!r}")
        return path

    def _export_dialog(self, fmt: str) -> None:
        data = self.view.data
        if data is None:
            return
        suggested = f"{title(data)}.{fmt}".replace(" ", "_")
        caption = QCoreApplication.translate("ReportsView", "Export")  # 导出
        path, _ = QFileDialog.getSaveFileName(self.view, caption, suggested, f"*.{fmt}")
        if path:
            written = self.export(fmt, path)
            self.view.set_status(arg(QCoreApplication.translate("ReportsView", "Written: %1"), written))  # 已导出：%1

    def show(self) -> None:
        self.view.show()
        self.view.activateWindow()
