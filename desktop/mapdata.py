"""What the map shows, from the client: outlines per level, figures per area, case points.

Shared by the console and the wall. Outlines come from ``GridClient.request_geometry``
(cached by the client); figures from the replica's per-node aggregates (O(1) per area);
case points are numpy arrays kept in step with the replica's changes, so a batch of
events touches only its own cases and areas.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from domain.aggregates import today
from domain.hierarchy import CODE_LENGTHS
from domain.model import TERMINAL_STATES
from widgets.map.classes import ON_TIME, OVERDUE, SLA_ORDER, URGENCY_ORDER

_SLA_INDEX = {name: i for i, name in enumerate(SLA_ORDER)}
#: The basemap (a tile folder or .mbtiles file) maps open with; set from --basemap or the config file.
_basemap_path: str | None = None


def set_basemap_path(path: str | None) -> None:
    """Use this local tile folder or MBTiles file under every map opened from now on (None: none)."""
    global _basemap_path
    if path:
        from widgets.map.basemap import TileSource

        TileSource(path).close()  # a bad path fails here, with a clear message
    _basemap_path = path or None


def apply_basemap(view) -> None:
    if _basemap_path:
        from widgets.map.basemap import TileSource

        view.set_basemap(TileSource(_basemap_path))
_URGENCY_INDEX = {name: i for i, name in enumerate(URGENCY_ORDER)}


def outline_list(outlines) -> list[tuple[str, list[list[float]]]]:
    """p.Outline structs → (code, rings) pairs for the view."""
    return [(o.code, o.rings) for o in outlines]


def area_value(replica, code: str, figure: str, now: float) -> float:
    agg = replica.aggregate(code)
    if figure == OVERDUE:
        return float(agg.by_sla.get("overdue", 0))
    if figure == ON_TIME:
        _, closed, on_time = today(agg, now)
        return on_time / closed if closed else math.nan
    return float(agg.open_cases)


def area_values(replica, codes: list[str], figure: str, now: float) -> np.ndarray:
    return np.array([area_value(replica, c, figure, now) for c in codes], dtype=float)


def area_of(node: str, length: int) -> str:
    return node[:length]


class CasePoints:
    """Open cases with a position, as parallel numpy arrays indexed by slot."""

    def __init__(self, capacity: int = 1024) -> None:
        self.slot: dict[str, int] = {}
        self.ids: list[str | None] = []
        self.lon = np.zeros(capacity)
        self.lat = np.zeros(capacity)
        self.node = np.zeros(capacity, dtype=np.int64)
        self.sla = np.zeros(capacity, dtype=np.int16)
        self.urgency = np.zeros(capacity, dtype=np.int8)
        self.alive = np.zeros(capacity, dtype=bool)
        self.version = 0  # bumped on every change, so views know when to re-read

    def __len__(self) -> int:
        return int(self.alive.sum())

    def _grow(self, need: int) -> None:
        cap = len(self.lon)
        if need <= cap:
            return
        new = max(need, cap * 2)
        for name in ("lon", "lat", "node", "sla", "urgency", "alive"):
            old = getattr(self, name)
            arr = np.zeros(new, dtype=old.dtype)
            arr[:cap] = old
            setattr(self, name, arr)

    def clear(self) -> None:
        self.slot.clear()
        self.ids = []
        self.alive[:] = False
        self.version += 1

    def upsert(self, case) -> bool:
        """Take the case as it stands; returns whether anything shown changed."""
        i = self.slot.get(case.id)
        show = case.lon is not None and case.lat is not None and case.state not in TERMINAL_STATES
        if not show:
            if i is not None and self.alive[i]:
                self.alive[i] = False
                self.version += 1
                return True
            return False
        if i is None:
            i = self.slot[case.id] = len(self.ids)
            self.ids.append(case.id)
            self._grow(i + 1)
        self.lon[i], self.lat[i] = case.lon, case.lat
        self.node[i] = int(case.node)
        self.sla[i] = _SLA_INDEX.get(getattr(case.sla_state, "value", case.sla_state), 0)
        self.urgency[i] = _URGENCY_INDEX.get(getattr(case.urgency, "value", case.urgency), 0)
        self.alive[i] = True
        self.version += 1
        return True

    @classmethod
    def of(cls, cases: Iterable) -> CasePoints:
        """The points of ``cases``, one column at a time: what ``upsert`` of each in turn gives, ~10×
        faster, and safe off the GUI thread (it only reads the cases)."""
        shown = [c for c in cases if c.lon is not None and c.lat is not None and c.state not in TERMINAL_STATES]
        n = len(shown)
        points = cls(capacity=max(1024, n))
        ids: list[str] = [c.id for c in shown]
        points.ids = list(ids)
        points.slot = {case_id: i for i, case_id in enumerate(ids)}
        if len(points.slot) != n:  # the same id twice: the later one wins, as upserts would do
            points = cls(capacity=max(1024, n))
            for case in shown:
                points.upsert(case)
            return points
        points.lon[:n] = [c.lon for c in shown]
        points.lat[:n] = [c.lat for c in shown]
        points.node[:n] = [int(c.node) for c in shown]
        points.sla[:n] = [_SLA_INDEX.get(getattr(c.sla_state, "value", c.sla_state), 0) for c in shown]
        points.urgency[:n] = [_URGENCY_INDEX.get(getattr(c.urgency, "value", c.urgency), 0) for c in shown]
        points.alive[:n] = True
        points.version = 1 if n else 0
        return points

    def remove(self, case_id: str) -> None:
        i = self.slot.get(case_id)
        if i is not None and self.alive[i]:
            self.alive[i] = False
            self.version += 1

    def under(self, code: str) -> np.ndarray:
        """Slots of live points in ``code``'s subtree."""
        n = len(self.ids)
        alive = self.alive[:n]
        if not code:
            return np.flatnonzero(alive)
        div = 10 ** (CODE_LENGTHS[-1] - len(code))
        return np.flatnonzero(alive & (self.node[:n] // div == int(code)))

    def arrays(self, code: str):
        """(ids, lon, lat, colour class, size class) of the live points under ``code``."""
        sel = self.under(code)
        ids = [self.ids[i] for i in sel.tolist()]
        return ids, self.lon[sel], self.lat[sel], self.sla[sel], self.urgency[sel]
