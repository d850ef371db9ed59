"""The operator console's main window: only layout. ConsoleController wires it to data.

Left: the jurisdiction tree. Top: breadcrumb and KPI strip. Centre: queue tabs over
the fast table, charts beneath. Right: the case detail. Bottom: connection status.
Alarms are a list docked under the tree, never an overlay over the case's actions.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from widgets.common.charts import CategoryMixChart, ChildrenChart, HourlyChart, SlaGauge
from widgets.common.kpi_strip import KpiStrip
from widgets.console.alerts import AlarmList, AlertSound
from widgets.console.case_detail import CaseDetail
from widgets.console.queue_model import QueueTableModel
from widgets.console.queue_table import QueueTable
from widgets.console.queue_tabs import QueueTabs
from widgets.console.status_bar import StatusBar
from widgets.console.tree import Breadcrumb, NodeTree, NodeTreeModel


class ConsoleWindow(QMainWindow):
    def __init__(self, directory, queue_model: QueueTableModel, title: str) -> None:
        super().__init__()
        self.setObjectName("consoleWindow")
        self.setWindowTitle(title)
        root = directory.root

        self.breadcrumb = Breadcrumb(directory.hierarchy, root)
        self.scope_label = QLabel(self)
        self.scope_label.setObjectName("scopeTitle")
        self.kpis = KpiStrip()
        self.tabs = QueueTabs()
        self.table = QueueTable(queue_model)
        self.hourly = HourlyChart()
        self.categories = CategoryMixChart()
        self.children = ChildrenChart()
        self.gauge = SlaGauge()
        self.detail = CaseDetail(directory)
        self.tree = NodeTree(NodeTreeModel(directory.hierarchy, root))
        self.status = StatusBar(self)
        self.setStatusBar(self.status)

        header = QWidget(self)
        header.setObjectName("consoleHeader")
        top = QHBoxLayout()
        top.addWidget(self.scope_label)
        top.addSpacing(16)
        top.addWidget(self.breadcrumb, 1)
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(8, 6, 8, 0)
        header_layout.addLayout(top)
        header_layout.addWidget(self.kpis)

        queue_panel = QWidget(self)
        queue_layout = QVBoxLayout(queue_panel)
        queue_layout.setContentsMargins(0, 0, 0, 0)
        queue_layout.setSpacing(0)
        queue_layout.addWidget(self.tabs)
        queue_layout.addWidget(self.table, 1)

        charts = QFrame(self)
        charts.setObjectName("chartsPanel")
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 4, 0, 0)
        grid.addWidget(self.hourly, 0, 0)
        grid.addWidget(self.categories, 0, 1)
        grid.addWidget(self.children, 0, 2)
        grid.addWidget(self.gauge, 0, 3)
        for col, stretch in enumerate((3, 3, 3, 2)):
            grid.setColumnStretch(col, stretch)

        centre_split = QSplitter(Qt.Orientation.Vertical, self)
        centre_split.addWidget(queue_panel)
        centre_split.addWidget(charts)
        centre_split.setStretchFactor(0, 3)
        centre_split.setStretchFactor(1, 2)

        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(4, 0, 4, 4)
        centre_layout.addWidget(header)
        centre_layout.addWidget(centre_split, 1)
        self.setCentralWidget(centre)

        self.tree_dock = self._dock(self.tr("Jurisdiction"), self.tree, Qt.DockWidgetArea.LeftDockWidgetArea)  # 辖区
        self.detail_dock = self._dock(self.tr("Case"), self.detail, Qt.DockWidgetArea.RightDockWidgetArea)  # 事件详情
        self.alarms = AlarmList(self)
        self.toasts = self.alarms  # the old overlay's name
        self.alarm_dock = self._dock(self.tr("Alarms"), self.alarms, Qt.DockWidgetArea.LeftDockWidgetArea)  # 告警
        self.splitDockWidget(self.tree_dock, self.alarm_dock, Qt.Orientation.Vertical)
        self.tree.setMinimumWidth(220)
        self.detail.setMinimumWidth(460)
        self.resizeDocks([self.tree_dock, self.detail_dock], [240, 480], Qt.Orientation.Horizontal)

        self.sound = AlertSound(parent=self)
        self.shortcuts: dict[str, QShortcut] = {}

    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{widget.__class__.__name__}")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def add_shortcut(self, name: str, keys: str, slot) -> QShortcut:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.activated.connect(slot)
        self.shortcuts[name] = shortcut
        return shortcut
