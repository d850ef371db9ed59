"""Patrol coverage (巡查覆盖): a day's planned tasks against check-ins, per child node, and the
check-ins with hazards found (in red; double-click opens the case)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from domain.gridwork import wire as gw
from widgets.common.formatting import arg, time_text
from widgets.gridwork.labels import patrol_label, percent
from widgets.gridwork.tables import ALERT, RowTable
from widgets.gridwork.tiles import Tiles


class PatrolPanel(QWidget):
    node_chosen = Signal(str)
    case_chosen = Signal(str)

    def __init__(self, node_name: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patrolCoverage")
        self.node_name = node_name
        self.day = QLabel(self)
        self.day.setObjectName("kpiCaption")
        self.tiles = Tiles({
            "planned": self.tr("Patrol tasks"),  # 巡查任务
            "done": self.tr("Checked in"),  # 已打卡
            "coverage": self.tr("Coverage"),  # 覆盖率
            "hazards": self.tr("Hazards found"),  # 发现隐患
        }, columns=4, parent=self)
        self.children_table = RowTable([self.tr("Name"), self.tr("Tasks"), self.tr("Checked in"),
                                        self.tr("Coverage"), self.tr("Hazards"), self.tr("Open")],
                                       self, stretch=0)
        self.children_table.cellDoubleClicked.connect(
            lambda row, _c: self.children_table.key_at(row) and self.node_chosen.emit(self.children_table.key_at(row)))
        self.check_ins = RowTable([self.tr("Time"), self.tr("Grid"), self.tr("Patrol"), self.tr("Worker"),
                                   self.tr("Notes")], self, stretch=4)  # 情况
        self.check_ins.cellDoubleClicked.connect(self._check_in_clicked)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.children_table)
        split.addWidget(self.check_ins)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.day)
        layout.addWidget(self.tiles)
        layout.addWidget(split, 1)
        self._hazard_cases: dict[str, str] = {}

    def set_patrols(self, view: gw.PatrolView) -> None:
        c = view.coverage
        self.day.setText(arg(self.tr("%1, %2"), self.node_name(view.scope), view.day))
        self.tiles.set("planned", c.planned)
        self.tiles.set("done", c.done)
        self.tiles.set("coverage", percent(c.done, c.planned), bad=c.planned > 0 and c.done < c.planned)
        self.tiles.set("hazards", c.hazards, bad=c.hazards > 0)
        self.children_table.fill([(x.key, [x.name or self.node_name(x.key), x.planned, x.done,
                                           percent(x.done, x.planned), x.hazards,
                                           "、".join(patrol_label(k) for k in x.kinds_open)])
                                  for x in view.per_child])
        self._hazard_cases = {r.id: r.hazard_case_id for r in view.check_ins if r.hazard_case_id}
        self.check_ins.fill([(r.id, [time_text(r.at), self.node_name(r.grid), patrol_label(r.kind), r.worker,
                                     r.notes]) for r in view.check_ins],
                            {i: ALERT for i, r in enumerate(view.check_ins) if r.hazard_case_id})

    def _check_in_clicked(self, row: int, _column: int) -> None:
        case_id = self._hazard_cases.get(self.check_ins.key_at(row) or "")
        if case_id:
            self.case_chosen.emit(case_id)
