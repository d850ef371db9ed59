"""The worker roster (网格员花名册): who covers which grid, full- or part-time, on duty or not, and
their workload over the last 30 days."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget

from domain.gridwork import wire as gw
from widgets.gridwork.tables import ALERT, RowTable


class RosterPanel(QWidget):
    def __init__(self, node_name: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workerRoster")
        self.node_name = node_name
        self.view: gw.RosterView | None = None
        self.table = RowTable([self.tr("Worker"), self.tr("Grid"), self.tr("Employment"),  # 网格员 / 网格 / 用工
                               self.tr("Duty"), self.tr("Cases, 30 days"), self.tr("Visits, 30 days"),  # 在岗
                               self.tr("Patrols, 30 days")], self, stretch=1)  # 近30天巡查
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.table)

    def set_roster(self, view: gw.RosterView) -> None:
        self.view = view
        rows = []
        for load in view.workers:
            w = load.worker
            rows.append((w.id, [w.name, self.node_name(w.grid),
                                self.tr("full-time") if w.full_time else self.tr("part-time"),  # 专职 / 兼职
                                self.tr("on duty") if w.on_duty else self.tr("off duty"),  # 在岗 / 不在岗
                                load.cases, load.visits, load.patrols]))
        self.table.fill(rows, {i: ALERT for i, load in enumerate(view.workers) if not load.worker.on_duty})
