"""Wires the console's map to the client and to the console controller.

The map follows the controller's node (tree, breadcrumb, chart clicks): it shows that
node's children coloured by the chosen figure (or every grid under it, "All grids"),
the open cases under it as points, and heat. A click on an area chooses that node (the
tree and the queues follow); a click on a case point opens the case.
"""

from __future__ import annotations

from concurrent.futures import Future

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from desktop import background
from desktop.mapdata import CasePoints, apply_basemap, area_of, area_value, area_values, outline_list
from domain.hierarchy import CODE_LENGTHS, Level, level_of
from widgets.common.formatting import arg
from widgets.map.classes import ON_TIME, Classifier, figure_label, point_palette
from widgets.map.panel import MapPanel

REFRESH_MS = 250
FULL_REFRESH_S = 30.0  # the on-time rate counts "today": recompute every area now and then


class ConsoleMap(QObject):
    def __init__(self, client, panel: MapPanel, controller, directory) -> None:
        super().__init__(panel)
        self.client, self.panel, self.controller, self.directory = client, panel, controller, directory
        self.view = panel.view
        self.root = directory.root
        self.node = controller.node
        self.figure = panel.current_figure()
        self.all_grids = False
        self.classifier = Classifier(self.figure)
        self.points = CasePoints()
        self.codes: list[str] = []
        self.area_length = 0
        self._pending: Future | None = None
        self._pending_key: tuple[str, int] = (self.node, 0)
        self._base: Future | None = None
        self._touched: set[str] = set()
        self._reset = True
        self._building: Future | None = None  # CasePoints of a new snapshot, built on the bulk worker
        self._since: set[str] = set()  # cases changed while it was built
        self._points_version = -1
        self._since_full = 0.0
        self.view.describe = self.describe
        apply_basemap(self.view)
        self.view.area_clicked.connect(self._area_clicked)
        self.view.case_clicked.connect(self._case_clicked)
        panel.figure_changed.connect(self.set_figure)
        panel.detail_changed.connect(self.set_all_grids)
        panel.fit.clicked.connect(self.fit_jurisdiction)
        controller.node_changed.connect(self.show_node)
        controller.bridge.changes.connect(self._on_changes)
        self._request_base()
        self.show_node(self.node)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    # ---- geometry ----------------------------------------------------------------------------
    def _request_base(self) -> None:
        level = level_of(self.root)
        # The base layer: the districts when the jurisdiction is the city or above, else the jurisdiction itself.
        self._base = self.client.request_geometry(max(int(Level.DISTRICT), int(level)), self.root)

    def _areas_level(self, node: str) -> int:
        level = int(level_of(node))
        if self.all_grids or level >= int(Level.GRID):
            return int(Level.GRID)
        return level + 1

    def show_node(self, code: str) -> None:
        self.node = code
        key = (code, self._areas_level(code))
        self._pending_key = key
        # One grid: its siblings too, for context (the grid is selected and fills the view).
        scope = code[:CODE_LENGTHS[int(Level.COMMUNITY)]] if len(code) == CODE_LENGTHS[-1] and \
            len(self.root) < len(code) else code
        self._pending = self.client.request_geometry(key[1], scope)
        self.panel.place.setText(self.directory.node_path(code))
        self._points_version = -1
        self._poll()

    def _poll(self) -> None:
        if self._base is not None and self._base.done():
            base, self._base = self._base, None
            outlines = outline_list(base.result())
            self.view.set_base(outlines)
            self._jurisdiction = self.view.home_rect_for(outlines)
        if self._pending is not None and self._pending.done():
            future, self._pending = self._pending, None
            code, level = self._pending_key
            outlines = outline_list(future.result())
            self.codes = [c for c, _ in outlines]
            self.area_length = CODE_LENGTHS[level]
            one = level == int(level_of(code))
            self.view.set_areas(outlines, home=not one)
            self.view.set_labels({c: self.directory.node_name(c) for c in self.codes})
            self.view.select_code(code if one else None)
            if one:
                self.view.fit_code(code)
            self.classifier = Classifier(self.figure)
            self._recolour_all()

    # ---- figures ---------------------------------------------------------------------------------
    def set_figure(self, figure: str) -> None:
        self.figure = figure
        self.classifier = Classifier(figure)
        self._recolour_all()

    def set_all_grids(self, on: bool) -> None:
        self.all_grids = on
        self.show_node(self.node)

    def _recolour_all(self) -> None:
        if not self.codes:
            return
        values = area_values(self.client.replica, self.codes, self.figure, self.client.server_now())
        self._values = values
        classes = self.classifier.classify(values)
        self.view.set_classes(classes, self.classifier.colours(), self.classifier.legend(),
                              figure_label(self.figure))
        self._since_full = 0.0

    def _recolour_touched(self) -> None:
        if not self.codes or not self._touched:
            return
        index = self.view.areas.index
        replica, now = self.client.replica, self.client.server_now()
        values = self._values
        for code in self._touched:
            i = index.get(code)
            if i is not None:
                values[i] = area_value(replica, code, self.figure, now)
        self._touched.clear()
        top = self.classifier.top
        classes = self.classifier.classify(values)
        legend = self.classifier.legend() if self.classifier.top != top else None
        self.view.set_classes(classes, self.classifier.colours(), legend, figure_label(self.figure))

    def describe(self, code: str) -> str:
        replica, now = self.client.replica, self.client.server_now()
        agg = replica.aggregate(code)
        rate = area_value(replica, code, ON_TIME, now)
        lines = [self.directory.node_path(code),
                 arg(QCoreApplication.translate("Map", "Open cases: %1"), str(agg.open_cases)),  # 在办事件：%1
                 arg(QCoreApplication.translate("Map", "Overdue: %1"), str(agg.by_sla.get("overdue", 0))),  # 超期：%1
                 arg(QCoreApplication.translate("Map", "On-time rate today: %1"),  # 今日按时办结率：%1
                     "—" if rate != rate else f"{rate:.0%}")]
        return "\n".join(lines)

    # ---- cases --------------------------------------------------------------------------------------
    def _on_changes(self, changes) -> None:
        if changes.reset:
            self._reset = True
            return
        if self._reset or self._building is not None:  # the new points will take these in
            self._since |= changes.added | changes.changed | changes.removed
        replica = self.client.replica
        for case_id in changes.added | changes.changed:
            case = replica.get(case_id)
            if case is not None:
                self.points.upsert(case)
        for case_id in changes.removed:
            self.points.remove(case_id)
        length = self.area_length
        for event in changes.events:
            if length:
                self._touched.add(area_of(event.case.node, length))

    def refresh(self) -> None:
        self._poll()
        if self._reset and self.client.replica.ready:
            # All points anew, off the GUI thread (100k cases); the cases changed meanwhile follow.
            self._reset, self._since = False, set()
            self._building = background.submit(CasePoints.of, list(self.client.replica.cases.values()))
        if self._building is not None and self._building.done():
            self.points, self._building = self._building.result(), None
            self._points_version = -1
            replica = self.client.replica
            for case_id in self._since:
                case = replica.get(case_id)
                if case is not None:
                    self.points.upsert(case)
                else:
                    self.points.remove(case_id)
            self._since = set()
            self._recolour_all()
        elif self._touched:
            self._recolour_touched()
        self._since_full += REFRESH_MS / 1000.0
        if self._since_full >= FULL_REFRESH_S:
            self._recolour_all()
        if self.points.version != self._points_version:
            self._points_version = self.points.version
            ids, lon, lat, sla, urgency = self.points.arrays(self.node)
            self.view.set_points(ids, lon, lat, sla, urgency, point_palette())

    # ---- intents ---------------------------------------------------------------------------------
    def _area_clicked(self, code: str) -> None:
        if code != self.node:
            self.controller.choose_node(code)

    def _case_clicked(self, case_id: str) -> None:
        self.controller.window.table.select_case(case_id)
        self.controller.show_case(case_id)

    def fit_jurisdiction(self) -> None:
        rect = getattr(self, "_jurisdiction", None)
        if rect is not None and not rect.isEmpty():
            self.view.set_home(rect)
        self.view.fit_home()

    def stop(self) -> None:
        self.timer.stop()
