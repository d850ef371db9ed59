"""The wall's map page: the jurisdiction as a choropleth, new critical (特急) cases pulsing.

Each time the rotation reaches the map it alternates the figure: overdue cases, then the
on-time rate today. Areas are two levels down from the wall's root (the city shows its
streets, a district its communities) over the district outlines. Critical open cases are
points; a critical case reported while the wall watches pulses where it is.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer

from desktop.mapdata import CasePoints, apply_basemap, area_of, area_value, area_values, outline_list
from domain.hierarchy import CODE_LENGTHS, Level, level_of
from domain.model import Action, Urgency
from widgets.map.classes import ON_TIME, OVERDUE, Classifier, figure_label, point_palette

REFRESH_MS = 500
FULL_REFRESH_S = 30.0


class WallMap(QObject):
    def __init__(self, client, view, controller, directory) -> None:
        super().__init__(view)
        self.client, self.view, self.controller, self.directory = client, view, controller, directory
        self.root = directory.root
        root_level = int(level_of(self.root))
        self.level = min(int(Level.GRID), root_level + 2)
        self.figure = ON_TIME
        self.classifier = Classifier(self.figure, dark=True)
        self.points = CasePoints()
        apply_basemap(self.view)
        view.text_factor = 1.6  # read from across the room
        self.codes: list[str] = []
        self._values: np.ndarray | None = None
        self._touched: set[str] = set()
        self._reset = True
        self._points_version = -1
        self._since_full = 0.0
        self._areas = client.request_geometry(self.level, self.root)
        self._base = client.request_geometry(max(int(Level.DISTRICT), root_level), self.root)
        controller.node_changed.connect(self._on_page)
        controller.bridge.changes.connect(self._on_changes)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    def _on_page(self, _node: str) -> None:
        if not self.controller.on_map:
            return
        self.figure = OVERDUE if self.figure == ON_TIME else ON_TIME
        self.classifier = Classifier(self.figure, dark=True)
        self._recolour_all()
        self.controller.window.header.set_titles(
            f"{self.directory.node_name(self.root)} · {figure_label(self.figure)}",
            self.controller._subtitle())

    def _poll(self) -> None:
        if self._base is not None and self._base.done():
            base, self._base = self._base, None
            self.view.set_base(outline_list(base.result()))
        if self._areas is not None and self._areas.done():
            areas, self._areas = self._areas, None
            outlines = outline_list(areas.result())
            self.codes = [c for c, _ in outlines]
            self.view.set_areas(outlines, home=True)
            self.view.set_labels({c: self.directory.node_name(c) for c in self.codes})
            self._recolour_all()

    def _recolour_all(self) -> None:
        if not self.codes:
            return
        values = self._values = area_values(self.client.replica, self.codes, self.figure, self.client.server_now())
        self.view.set_classes(self.classifier.classify(values), self.classifier.colours(),
                              self.classifier.legend(), figure_label(self.figure))
        self._since_full = 0.0

    def _on_changes(self, changes) -> None:
        if changes.reset:
            self._reset = True
            return
        replica = self.client.replica
        for case_id in changes.added | changes.changed:
            case = replica.get(case_id)
            if case is not None:
                self._take(case)
        for case_id in changes.removed:
            self.points.remove(case_id)
        length = CODE_LENGTHS[self.level]
        for fe in changes.events:
            self._touched.add(area_of(fe.case.node, length))
            case = fe.case
            if fe.event.kind is Action.REPORT and case.urgency is Urgency.CRITICAL and case.lon is not None \
                    and case.node.startswith(self.root):
                self.view.pulse(case.lon, case.lat)

    def _take(self, case) -> None:
        if case.urgency is Urgency.CRITICAL:
            self.points.upsert(case)
        else:
            self.points.remove(case.id)

    def refresh(self) -> None:
        self._poll()
        if self._reset and self.client.replica.ready:
            self._reset = False
            self.points.clear()
            for case in list(self.client.replica.cases.values()):
                self._take(case)
            self._recolour_all()
        elif self._touched and self._values is not None:
            index, replica, now = self.view.areas.index, self.client.replica, self.client.server_now()
            for code in self._touched:
                i = index.get(code)
                if i is not None:
                    self._values[i] = area_value(replica, code, self.figure, now)
            self._touched.clear()
            self.view.set_classes(self.classifier.classify(self._values), self.classifier.colours(),
                                  self.classifier.legend(), figure_label(self.figure))
        self._since_full += REFRESH_MS / 1000.0
        if self._since_full >= FULL_REFRESH_S:
            self._recolour_all()
        if self.points.version != self._points_version:
            self._points_version = self.points.version
            ids, lon, lat, sla, urgency = self.points.arrays(self.root)
            self.view.set_points(ids, lon, lat, sla, urgency, point_palette())

    def stop(self) -> None:
        self.timer.stop()
