"""Wires the grid-work panel into the console: a dock under the queue that follows the chosen
node, asks the hub for the current view (on a node change, a tab change and every few
seconds) and turns the panel's intents into gridwork commands.

Answers come back on the client's thread; one signal carries them to the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget

from backend_client.gridwork import Gridwork, GridworkFailed
from domain.gridwork.wire import OP_ROLES
from widgets.common.formatting import arg
from widgets.gridwork.panel import VIEWS, GridworkPanel
from widgets.gridwork.visits import LogVisitDialog

REFRESH_MS = 5000
#: Categories a visit's problem is usually reported under (民生服务).
VISIT_CATEGORIES = ("21201", "21204", "21202", "21206", "21305", "10551")


class GridworkController(QObject):
    _answered = Signal(str, str, object)  # (view, node, result or exception)

    def __init__(self, client, console, window, directory, rules, actor) -> None:
        super().__init__(window)
        self.client, self.console, self.window = client, console, window
        self.directory, self.rules, self.actor = directory, rules, actor
        self.work = Gridwork(client)
        self._panel: GridworkPanel | None = None
        self.dock = QDockWidget(self.tr("Grid work"), window)  # 网格工作
        self.dock.setObjectName("dock_GridworkPanel")
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                              | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                              | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()  # opened on demand (Ctrl+G, the button, a --view): queues keep the room by default
        window.add_shortcut("gridwork", "Ctrl+G", self.raise_panel)
        self.node = console.node
        self.pending: set[str] = set()
        self.last_error = ""
        self._answered.connect(self._apply)
        console.node_changed.connect(self._node_changed)
        window.table.case_selected.connect(self._case_selected)
        self.timer = QTimer(self)  # runs while the dock shows: a hidden panel asks the hub nothing
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.dock.visibilityChanged.connect(self._visibility)

    @property
    def panel(self) -> GridworkPanel:
        """The panel, built on first use: most shifts never open the dock, and its ~350 widgets
        cost ~50 ms and ~5 MB at the start (``bench/demo_startup.py``)."""
        if self._panel is None:
            self._panel = self._build_panel()
        return self._panel

    def _build_panel(self) -> GridworkPanel:
        panel = GridworkPanel(self.directory.node_name, self.directory.department_name)
        panel.visits.set_may_log(self.actor.role in OP_ROLES)
        panel.setMinimumSize(240, 120)  # its tables scroll; the console must still fit 1280×720 at 150 %
        panel.case_grid.setEnabled(self.console.selected_case() is not None)
        self.dock.setWidget(panel)
        panel.view_changed.connect(lambda _v: self.refresh())
        panel.portrait.node_chosen.connect(self.console.choose_node)
        panel.patrols.node_chosen.connect(self.console.choose_node)
        for view in (panel.portrait, panel.meetings, panel.patrols):
            view.case_chosen.connect(self.console.show_case)
        panel.visits.filter_changed.connect(lambda _on: self.refresh())
        panel.visits.log_requested.connect(self.log_visit)
        panel.case_grid_requested.connect(self.open_case_grid)
        return panel

    def _visibility(self, visible: bool) -> None:
        if visible:
            self.timer.start()
            self.refresh()
        else:
            self.timer.stop()

    def _case_selected(self, _case_id: str) -> None:
        if self._panel is not None:
            self._panel.case_grid.setEnabled(True)

    # ---- navigation --------------------------------------------------------------------------
    def raise_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()

    def open_view(self, view: str, node: str | None = None, tall: bool = False) -> None:
        """Show ``view`` (one of widgets.gridwork.panel.VIEWS), at ``node`` if given; ``tall``: give
        the dock most of the window's height."""
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
        self.raise_panel()
        if tall:
            self.window.resizeDocks([self.dock], [int(self.window.height() * 0.72)], Qt.Orientation.Vertical)
        if node:
            self.console.choose_node(node)
        self.panel.show_view(view)
        self.refresh()

    def open_case_grid(self) -> None:
        case = self.console.selected_case()
        if case is not None:
            self.open_view("portrait", case.node)

    def _node_changed(self, code: str) -> None:
        self.node = code
        self.refresh()

    # ---- data --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Ask the hub for the view shown, unless the dock is hidden (or under another tab)."""
        if not self.dock.isVisible():
            return
        view, node = self.panel.view(), self.node
        key = f"{view}@{node}"
        if key in self.pending:
            return
        self.pending.add(key)
        if view == "portrait":
            future = self.work.portrait(node)
        elif view == "visits":
            future = self.work.visit_queue(node, self.panel.visits.overdue_only.isChecked())
        elif view == "meetings":
            future = self.work.meeting_log(node)
        elif view == "roster":
            future = self.work.roster(node)
        else:
            future = self.work.patrols(node)
        future.add_done_callback(lambda f: self._answered.emit(view, node, f.exception() or f.result()))

    def _apply(self, view: str, node: str, result: object) -> None:
        if view == "command":
            self._command_done(result)
            return
        self.pending.discard(f"{view}@{node}")
        if isinstance(result, BaseException):
            self.last_error = str(result)
            self.window.statusBar().showMessage(arg(self.tr("Grid work: %1"), self.last_error), 8000)
            return
        if node != self.node:
            return
        if view == "portrait":
            self.panel.portrait.set_portrait(result)
        elif view == "visits":
            self.panel.visits.set_queue(result)
        elif view == "meetings":
            self.panel.meetings.set_log(result)
        elif view == "roster":
            self.panel.roster.set_roster(result)
        else:
            self.panel.patrols.set_patrols(result)

    # ---- intents -----------------------------------------------------------------------------
    def log_visit(self, person_id: str) -> None:
        task = next((t for t in self.panel.visits.view.tasks if t.person_id == person_id), None) \
            if self.panel.visits.view else None
        categories = [(c, self.directory.category_name(c)) for c in VISIT_CATEGORIES
                      if c in self.rules.catalog.categories]
        dialog = LogVisitDialog(task.person_name if task else person_id, categories, self.window)
        if dialog.exec() != LogVisitDialog.DialogCode.Accepted:
            return
        notes, problem = dialog.values()
        self.work.log_visit(person_id, notes, problem).add_done_callback(
            lambda f: self._answered.emit("command", "", f.exception() or f.result()))

    def _command_done(self, result: object) -> None:
        if isinstance(result, GridworkFailed):
            text = arg(self.tr("The hub refused: %1"), result.message)  # 平台拒绝了操作：%1
        elif isinstance(result, BaseException):
            text = arg(self.tr("Grid work: %1"), str(result))
        elif result.case_ids:
            text = arg(self.tr("Visit logged; case %1 reported"), ", ".join(result.case_ids))
        else:
            text = self.tr("Visit logged")  # 走访已登记
        self.last_error = text if isinstance(result, BaseException) else ""
        self.window.statusBar().showMessage(text, 8000)
        self.refresh()

    def stop(self) -> None:
        self.timer.stop()


def attach_gridwork(client, console, window, directory, rules, actor) -> GridworkController:
    """The console's grid-work dock; its panel opens on the portrait of the console's node."""
    return GridworkController(client, console, window, directory, rules, actor)
