"""评价/报表: the period picker, the summary, the 综合评价 table and chart of one grouping, and its PDF.

Takes ``domain.reporting.ReportData`` (what the hub's ``report`` answer assembles to) and
emits what the user asks for; it never talks to the hub. Every figure shown is formatted
from the report's counts by ``domain.reporting`` (the same rows as the XLSX and CSV files).
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import QDate, QMarginsF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from domain.reporting import GROUP_LABELS, ROW_COLUMNS, ReportData, format_value, row_values, summary_rows
from widgets.common.formatting import arg

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_BAR = QColor("#2f75b5")
_MUTED = QColor("#8a8f98")
#: Rows the chart shows (best first).
CHART_ROWS = 15
#: Columns of the unit table on screen and in the PDF (all of them are in the XLSX/CSV).
SHOWN = ("rank", "name", "score", "trend", "reported", "due", "on_time_rate", "close_rate", "dispatch_accuracy",
         "late", "overdue_open", "handle_hours", "close_hours", "rework_rate", "supervision_rate",
         "self_resolved_rate")
_KEYS = [key for key, _, _ in ROW_COLUMNS]


def _date(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


def _text(item: QTableWidgetItem | None) -> str:
    return "" if item is None else item.text()


class ScoreChart(QWidget):
    """Horizontal bars of 综合评价 (0–100) for the leading units; painted, so it prints as it shows."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreChart")
        self.bars: list[tuple[str, float]] = []
        self.title = ""
        self.setMinimumHeight(220)

    def set_bars(self, title: str, bars: list[tuple[str, float]]) -> None:
        self.title, self.bars = title, bars[:CHART_ROWS]
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        try:
            self.paint(painter, QRectF(self.rect()))
        finally:
            painter.end()

    def paint(self, painter: QPainter, area: QRectF) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().windowText().color()
        font = QFont(self.font())
        line = max(10.0, area.height() / (len(self.bars) + 3))
        font.setPixelSize(int(min(18.0, line * 0.55)))
        painter.setFont(font)
        painter.setPen(text)
        painter.drawText(QRectF(area.x(), area.y(), area.width(), line), Qt.AlignmentFlag.AlignLeft, self.title)
        if not self.bars:
            painter.setPen(_MUTED)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self.tr("No ranked units"))  # 暂无参与排名的单位
            return
        label_w = area.width() * 0.28
        value_w = area.width() * 0.08
        bar_x = area.x() + label_w + 8
        bar_w = area.width() - label_w - value_w - 16
        for i, (name, score) in enumerate(self.bars):
            y = area.y() + line * (i + 1.3)
            painter.setPen(text)
            painter.drawText(QRectF(area.x(), y, label_w, line), _RIGHT, name)
            width = bar_w * max(0.0, min(score, 100.0)) / 100.0
            painter.fillRect(QRectF(bar_x, y + line * 0.15, width, line * 0.7), _BAR)
            painter.drawText(QRectF(bar_x + width + 4, y, value_w + 40, line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"{score:.1f}")


class ReportsView(QWidget):
    """The period picker over the summary (left) and the assessment chart and table (right)."""

    query_requested = Signal(str, object, object, str)  # kind, first date, last date (custom) or None, group_by
    export_requested = Signal(str)  # "xlsx" | "pdf" | "csv"

    KINDS = ("day", "week", "month", "custom")

    def __init__(self, groups: list[str], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("reportsView")
        self.data: ReportData | None = None
        self.kind = QComboBox(self)
        labels = (
            self.tr("Day"),  # 日报
            self.tr("Week"),  # 周报
            self.tr("Month"),  # 月报
            self.tr("Custom"),  # 自定义
        )
        for key, label in zip(self.KINDS, labels, strict=True):
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(2)
        self.first = QDateEdit(self)
        self.last = QDateEdit(self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
        self.group = QComboBox(self)
        self.set_groups(groups)
        self.query_button = QPushButton(self.tr("Query"), self)  # 查询
        self.xlsx_button = QPushButton(self.tr("Export XLSX"), self)  # 导出 Excel
        self.pdf_button = QPushButton(self.tr("Export PDF"), self)  # 导出 PDF
        self.csv_button = QPushButton(self.tr("Export CSV"), self)  # 导出 CSV
        self.status = QLabel(self)
        self.status.setObjectName("reportsStatus")

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Period"), self))  # 统计周期
        bar.addWidget(self.kind)
        bar.addWidget(self.first)
        self.to_label = QLabel(self.tr("to"), self)  # 至
        bar.addWidget(self.to_label)
        bar.addWidget(self.last)
        bar.addSpacing(12)
        bar.addWidget(QLabel(self.tr("Assess by"), self))  # 评价对象
        bar.addWidget(self.group)
        bar.addWidget(self.query_button)
        bar.addStretch(1)
        for button in (self.xlsx_button, self.pdf_button, self.csv_button):
            bar.addWidget(button)

        self.title = QLabel(self)
        self.title.setObjectName("reportsTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)

        self.summary = QTableWidget(0, 3, self)
        self.summary.setHorizontalHeaderLabels([
            self.tr("Indicator"),  # 指标
            self.tr("This period"),  # 本期
            self.tr("Previous"),  # 上期
        ])
        self.units = QTableWidget(0, len(SHOWN), self)
        for table in (self.summary, self.units):
            table.verticalHeader().setVisible(False)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setAlternatingRowColors(True)
        self.summary.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary.horizontalHeader().setStretchLastSection(True)
        self.units.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.chart = ScoreChart(self)

        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.chart)
        right.addWidget(self.units)
        right.setStretchFactor(0, 2)
        right.setStretchFactor(1, 3)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.summary)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        self.summary.setMinimumWidth(300)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.title)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.query_button.clicked.connect(self._query)
        self.xlsx_button.clicked.connect(lambda: self.export_requested.emit("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.export_requested.emit("pdf"))
        self.csv_button.clicked.connect(lambda: self.export_requested.emit("csv"))
        self._kind_changed()
        self._set_exportable(False)

    # ---- inputs --------------------------------------------------------------------------------
    def set_groups(self, groups: list[str]) -> None:
        self.group.clear()
        for g in groups:
            self.group.addItem(GROUP_LABELS[g], g)

    def choose(self, kind: str, first: dt.date, last: dt.date | None = None, group_by: str | None = None) -> None:
        """Set the picker as a user would (tests and the first query use it)."""
        self.kind.setCurrentIndex(self.KINDS.index(kind))
        self.first.setDate(QDate(first.year, first.month, first.day))
        if last is not None:
            self.last.setDate(QDate(last.year, last.month, last.day))
        if group_by is not None:
            self.group.setCurrentIndex(self.group.findData(group_by))

    def _kind_changed(self) -> None:
        custom = self.kind.currentData() == "custom"
        self.last.setVisible(custom)
        self.to_label.setVisible(custom)

    def _query(self) -> None:
        kind = self.kind.currentData()
        first = _date(self.first)
        last = _date(self.last) if kind == "custom" else None
        if last is not None and last < first:
            self.set_status(self.tr("The last day is before the first"))  # 结束日期早于开始日期
            return
        self.set_status(self.tr("Querying the hub…"))  # 正在向服务器查询…
        self.query_requested.emit(kind, first, last, self.group.currentData() or "")

    # ---- outputs -------------------------------------------------------------------------------
    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def _set_exportable(self, on: bool) -> None:
        for button in (self.xlsx_button, self.pdf_button, self.csv_button):
            button.setEnabled(on)

    def headings(self) -> list[str]:
        return [ROW_COLUMNS[_KEYS.index(key)][1] for key in SHOWN]

    def set_report(self, data: ReportData) -> None:
        self.data = data
        as_of = dt.datetime.fromtimestamp(data.as_of, dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
        self.title.setText(f"{data.node_name} {data.label}")
        rows = summary_rows(data)
        self.summary.setRowCount(len(rows))
        for r, (name, kind, now, before) in enumerate(rows):
            self.summary.setItem(r, 0, QTableWidgetItem(name))
            for c, v in ((1, now), (2, before)):
                item = QTableWidgetItem(format_value(v, kind))
                item.setTextAlignment(_RIGHT)
                self.summary.setItem(r, c, item)
        table = data.tables[0] if data.tables else None
        self.units.setColumnCount(len(SHOWN))
        self.units.setHorizontalHeaderLabels(self.headings())
        units = table.rows if table else []
        self.units.setRowCount(len(units))
        for r, row in enumerate(units):
            values = row_values(row)
            for c, key in enumerate(SHOWN):
                i = _KEYS.index(key)
                kind = ROW_COLUMNS[i][2]
                item = QTableWidgetItem(str(values[i]) if kind == "text" else format_value(values[i], kind))
                if kind != "text":
                    item.setTextAlignment(_RIGHT)
                if row.rank is None:
                    item.setForeground(_MUTED)
                self.units.setItem(r, c, item)
        label = GROUP_LABELS[table.group_by] if table else ""
        self.chart.set_bars(arg(self.tr("%1 assessment score"), label),  # %1综合评价
                            [(r.name, r.score) for r in units if r.rank is not None and r.score is not None])
        # 统计截至 %1（北京时间），共 %2 个单位
        self.set_status(arg(self.tr("As of %1 (Beijing time); %2 units"), as_of, len(units)))
        self._set_exportable(True)

    # ---- printing ------------------------------------------------------------------------------
    def write_pdf(self, path: Path | str, title: str) -> Path:
        """A title page with the summary, then the chart and the table (A4 landscape). Needs a report."""
        if self.data is None:
            raise ValueError("no report to print yet")
        data = self.data
        path = Path(path)
        writer = QPdfWriter(str(path))
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                         QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter))
        writer.setResolution(150)
        writer.setTitle(title)
        writer.setCreator("GridCC")
        page = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
        esc = html.escape
        painter = QPainter(writer)
        try:
            rows = summary_rows(data)
            half = (len(rows) + 1) // 2
            heads = [_text(self.summary.horizontalHeaderItem(c)) for c in range(3)]

            def cells(i: int) -> str:
                if i >= len(rows):
                    return "<td></td><td></td><td></td>"
                n, k, a, b = rows[i]
                return (f"<td>{esc(n)}</td><td align='right'>{esc(format_value(a, k))}</td>"
                        f"<td align='right'>{esc(format_value(b, k))}</td>")

            head = "".join(f"<th>{esc(h)}</th>" for h in heads)
            body = "".join(f"<tr>{cells(i)}<td width='24'></td>{cells(half + i)}</tr>" for i in range(half))
            self._html(painter, page, f"<h1>{esc(title)}</h1><p>{esc(self.status.text())}</p>"
                       "<table border='1' cellspacing='0' cellpadding='4'>"
                       f"<tr>{head}<th></th>{head}</tr>{body}</table>", writer, 10.0)
            writer.newPage()
            chart_area = QRectF(page.x(), page.y(), page.width(), page.height() * 0.45)
            self.chart.paint(painter, chart_area)
            unit_heads = "".join(f"<th>{esc(h)}</th>" for h in self.headings())
            body = "".join(
                "<tr>" + "".join(f"<td>{esc(_text(self.units.item(r, c)))}</td>" for c in range(len(SHOWN))) + "</tr>"
                for r in range(min(self.units.rowCount(), 20)))
            table_area = QRectF(page.x(), chart_area.bottom() + 10, page.width(), page.height() - chart_area.height())
            self._html(painter, table_area, f"<table border='1' cellspacing='0' cellpadding='2'><tr>{unit_heads}</tr>"
                       f"{body}</table>", writer, 7.0)
        finally:
            painter.end()
        return path

    @staticmethod
    def _html(painter: QPainter, area: QRectF, text: str, writer: QPdfWriter, points: float) -> None:
        document = QTextDocument()
        document.documentLayout().setPaintDevice(writer)
        font = QFont()
        font.setPointSizeF(points)
        document.setDefaultFont(font)
        document.setHtml(text)
        document.setPageSize(QSizeF(area.width(), area.height()))
        painter.save()
        painter.translate(area.topLeft())
        document.drawContents(painter, QRectF(0, 0, area.width(), area.height()))
        painter.restore()
