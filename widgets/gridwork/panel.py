"""The grid-work panel: portrait, visit queue, meeting log and patrol coverage as tabs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QTabWidget, QWidget

from widgets.gridwork.meetings import MeetingLogPanel
from widgets.gridwork.patrols import PatrolPanel
from widgets.gridwork.portrait import GridPortraitPage
from widgets.gridwork.roster import RosterPanel
from widgets.gridwork.visits import VisitQueuePanel

VIEWS = ("portrait", "visits", "meetings", "patrols", "roster")


class GridworkPanel(QTabWidget):
    view_changed = Signal(str)
    case_grid_requested = Signal()  # "open the grid of the selected case"

    def __init__(self, node_name: Callable[[str], str], department_name: Callable[[str], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gridworkPanel")
        self.portrait = GridPortraitPage(self)
        self.visits = VisitQueuePanel(node_name, self)
        self.meetings = MeetingLogPanel(node_name, department_name, self)
        self.patrols = PatrolPanel(node_name, self)
        self.roster = RosterPanel(node_name, self)
        self.addTab(self.portrait, self.tr("Grid portrait"))  # 网格画像
        self.addTab(self.visits, self.tr("Visit queue"))  # 走访任务
        self.addTab(self.meetings, self.tr("Self-management meetings"))  # 网格自管会
        self.addTab(self.patrols, self.tr("Patrols"))  # 巡查
        self.addTab(self.roster, self.tr("Roster"))  # 网格员
        self.case_grid = QPushButton(self.tr("Grid of the selected case"), self)  # 所选事件的网格
        self.case_grid.setObjectName("caseGrid")
        self.case_grid.setEnabled(False)
        self.case_grid.clicked.connect(self.case_grid_requested)
        self.setCornerWidget(self.case_grid)
        self.currentChanged.connect(lambda i: self.view_changed.emit(VIEWS[i]))

    def view(self) -> str:
        return VIEWS[self.currentIndex()]

    def show_view(self, name: str) -> None:
        self.setCurrentIndex(VIEWS.index(name))
