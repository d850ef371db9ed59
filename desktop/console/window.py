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
    QGraphicsOpacityEffect,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
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
from widgets.map.panel import MapPanel

QUEUE_SHARE = 0.75  # of the queue/map splitter, for the queue
MAP_FOLD_BELOW = 560  # px of centre width: below this a quarter for the map shows nothing useful


class ConsoleWindow(QMainWindow):
    def __init__(self, directory, queue_model: QueueTableModel, title: str) -> None:
        super().__init__()
        self.setObjectName("consoleWindow")
        self.setWindowTitle(title)
        root = directory.root

        self.breadcrumb = Breadcrumb(directory.hierarchy, root)
        self.scope_label = QLabel(self)
        self.scope_label.setObjectName("scopeTitle")
        self.scope_label.setWordWrap(True)  # a narrow screen wraps it rather than widening the window
        self.kpis = KpiStrip()
        self.tabs = QueueTabs()
        self.table = QueueTable(queue_model)
        self.hourly = HourlyChart()
        self.categories = CategoryMixChart()
        self.children_chart = ChildrenChart()
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
        # "&&" shows one "&" on a button (a single "&" marks a mnemonic)
        self.reports_button = QPushButton(self.tr("Assessment && reports"), self)  # 评价/报表
        self.reports_button.setObjectName("reportsButton")
        top.addWidget(self.reports_button)
        self.header_row = top  # the desk puts 新建事件 and 综合查询 before the reports button
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(8, 6, 8, 0)
        # On a small screen the place line may clip rather than widen the window (1280×720 at 150 %).
        header.setMinimumWidth(240)
        header_layout.addLayout(top)
        # The KPI cards scroll sideways on a narrow screen instead of widening the window.
        self.kpi_scroll = QScrollArea(header)
        self.kpi_scroll.setObjectName("kpiScroll")
        self.kpi_scroll.setWidget(self.kpis)
        self.kpi_scroll.setWidgetResizable(True)
        self.kpi_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.kpi_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.kpi_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.kpi_scroll.setFixedHeight(self.kpis.sizeHint().height()
                                       + self.kpi_scroll.horizontalScrollBar().sizeHint().height())
        self.kpi_scroll.setMinimumWidth(120)
        header_layout.addWidget(self.kpi_scroll)

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
        grid.addWidget(self.children_chart, 0, 2)
        grid.addWidget(self.gauge, 0, 3)
        for col, stretch in enumerate((3, 3, 3, 2)):
            grid.setColumnStretch(col, stretch)
        for chart in (self.hourly, self.categories, self.children_chart, self.gauge):
            chart.setMinimumSize(60, 60)
        charts.setMinimumHeight(0)

        self.map = MapPanel(self)
        self.queue_map_split = QSplitter(Qt.Orientation.Horizontal, self)
        self.queue_map_split.addWidget(queue_panel)
        self.queue_map_split.addWidget(self.map)
        self.queue_map_split.setObjectName("queueMapSplit")
        self.queue_map_split.setStretchFactor(0, 3)  # the queue is the operator's work; the map beside it
        self.queue_map_split.setStretchFactor(1, 1)
        # Three quarters for the queue, set with the docks (_fit_docks: first and on another screen)
        # until the operator drags the handle or saved sizes are restored (restore_queue_map).
        self._queue_map_chosen = False
        self.queue_map_split.splitterMoved.connect(self._queue_map_dragged)

        centre_split = QSplitter(Qt.Orientation.Vertical, self)
        centre_split.addWidget(self.queue_map_split)
        centre_split.addWidget(charts)
        centre_split.setStretchFactor(0, 3)
        centre_split.setStretchFactor(1, 2)
        centre_split.setCollapsible(0, False)  # the charts may fold away on a small screen
        self.centre_split = centre_split

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
        self.tree.setMinimumWidth(170)  # also the alarm list under it: a case number fits
        self._docks_fitted_to = 0
        self._fit_docks()

        self.sound = AlertSound(parent=self)
        self.shortcuts: dict[str, QShortcut] = {}

    def set_stale(self, stale: bool) -> None:
        """Dim the data while it may be old (offline, reconnecting); the status bar says since when."""
        if stale == self.is_stale():
            return
        for widget in (w for w in (self.centralWidget(), self.detail, self.tree) if w is not None):
            if stale:
                effect = QGraphicsOpacityEffect(widget)
                effect.setOpacity(0.45)
                widget.setGraphicsEffect(effect)
            else:
                widget.setGraphicsEffect(None)  # type: ignore[arg-type]  # Qt takes None: no effect

    def is_stale(self) -> bool:
        centre = self.centralWidget()
        return centre is not None and centre.graphicsEffect() is not None

    def _fit_docks(self) -> None:
        """Tree and detail take a share of the width (13 % and 30 %, at least what they need);
        redone only when the width changes a lot (another screen), so a dragged splitter stays."""
        width = self.width()
        self._docks_fitted_to = width
        docks = [self.tree_dock, self.detail_dock]
        sizes = [max(d.minimumSizeHint().width(), round(width * share)) for d, share in zip(docks, (0.13, 0.30),
                                                                                             strict=True)]
        self.resizeDocks(docks, sizes, Qt.Orientation.Horizontal)
        self.fit_queue_map(width - sum(sizes))
        if self.height() < 600:  # a small screen: the queue first, the charts folded away
            self.centre_split.setSizes([1, 0])
        elif not self.centre_split.sizes()[1]:
            self.centre_split.setSizes([3, 2])

    def fit_queue_map(self, centre_width: int | None = None) -> None:
        """The queue ~3/4 and the map ~1/4 of their splitter, unless the operator chose otherwise; on a
        narrow centre (``centre_width``, expected after the docks are fitted) the map folds away."""
        if self._queue_map_chosen:
            return
        if centre_width is not None and centre_width < MAP_FOLD_BELOW:
            self.queue_map_split.setSizes([1, 0])  # a small screen: the queue first (the handle brings the map)
        else:
            self.queue_map_split.setSizes([round(4000 * QUEUE_SHARE), 4000 - round(4000 * QUEUE_SHARE)])  # relative

    def reset_queue_map(self) -> None:
        self._queue_map_chosen = False
        self.fit_queue_map(self.queue_map_split.width() if self.isVisible() else None)

    def _queue_map_dragged(self, *_args) -> None:
        self._queue_map_chosen = True

    def queue_map_sizes(self) -> list[int] | None:
        """The sizes the operator chose (to remember), None while the split follows the screen."""
        return self.queue_map_split.sizes() if self._queue_map_chosen else None

    def restore_queue_map(self, sizes) -> bool:
        """Saved sizes (from QSettings: ints or their text); False, and nothing changed, when unusable."""
        try:
            values = [int(v) for v in sizes]
        except (TypeError, ValueError):
            return False
        if len(values) != 2 or min(values) < 0 or not sum(values):
            return False
        self.queue_map_split.setSizes(values)
        self._queue_map_chosen = True
        return True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # Parts hidden or shrunk while the window was being built (actions the role never takes,
        # folded panes) leave Qt's minimum size where it was first computed; measure it afresh so
        # the window still shrinks to 1280×720 at 150 %.
        layout = self.layout()
        if layout is not None:
            layout.invalidate()
            layout.activate()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        fitted = self._docks_fitted_to
        if not fitted or not 0.77 < self.width() / fitted < 1.3:
            self._fit_docks()

    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{widget.__class__.__name__}")
        # Movable, and floatable: a panel can be pulled out to another monitor (the layout is remembered).
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def add_shortcut(self, name: str, keys: str, slot) -> QShortcut:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.activated.connect(slot)
        self.shortcuts[name] = shortcut
        return shortcut
