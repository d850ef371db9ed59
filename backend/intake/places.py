"""Where an outside request is: a position or an address to a grid code.

``Locator`` is the boundary: ``locate(lat, long) -> grid code | None``. Until the map's
position→grid lookup is in the store, :class:`Gazetteer` stands in with the nearest grid
centre within ``max_km``; pass another locator to :class:`Places` to swap it (note the
argument order: latitude first, as Open311 names them; an index that takes ``(lon, lat)``
is wrapped as ``lambda lat, lon: index.locate(lon, lat)``). Addresses
are matched against grid and community names (the longest name found in the address wins;
a community stands for its first grid, as its street's command center sees it either way).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from domain.hierarchy import is_within
from domain.intake import match_address

Locator = Callable[[float, float], str | None]
GRID_LEVEL = 5
COMMUNITY_LEVEL = 4
_EARTH_KM = 6371.0


class Gazetteer:
    """Grid centres and names from the store's nodes: (code, name, level, parent, lon, lat) rows."""

    def __init__(self, rows, max_km: float = 1.5) -> None:
        self.max_km = max_km
        grids = [r for r in rows if r[2] == GRID_LEVEL]
        self.grid_codes = {r[0] for r in grids}
        self.named = [(r[0], r[1]) for r in rows if r[2] in (GRID_LEVEL, COMMUNITY_LEVEL)]
        self.first_grid: dict[str, str] = {}
        for code, _name, _level, parent, *_ in sorted(grids):
            if parent is not None:
                self.first_grid.setdefault(parent, code)
        placed = [r for r in grids if r[4] is not None and r[5] is not None]
        self._codes = [r[0] for r in placed]
        self._lon = np.radians(np.array([r[4] for r in placed], dtype=float))
        self._lat = np.radians(np.array([r[5] for r in placed], dtype=float))

    def locate(self, lat: float, lon: float) -> str | None:
        """The grid whose centre is nearest, if within ``max_km``; None elsewhere."""
        if not self._codes:
            return None
        la, lo = math.radians(lat), math.radians(lon)
        # Haversine distance to every grid centre.
        a = np.sin((self._lat - la) / 2) ** 2 + math.cos(la) * np.cos(self._lat) * np.sin((self._lon - lo) / 2) ** 2
        i = int(np.argmin(a))
        km = 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(float(a[i]))))
        return self._codes[i] if km <= self.max_km else None

    def match(self, address: str, scope: str) -> str | None:
        """The grid an address names (directly, or through its community) within ``scope``."""
        code = match_address(address, ((c, n) for c, n in self.named if is_within(c, scope)))
        if code is None or code in self.grid_codes:
            return code
        return self.first_grid.get(code)


class Places:
    """The gazetteer of the store's current nodes and the locator.

    The nodes are read again after ``ttl`` seconds, and after ``retry`` seconds when a lookup
    finds nothing (a city imported while the hub runs is found without a restart).
    """

    def __init__(self, load_rows: Callable[[], list], locator: Locator | None = None, ttl: float = 300.0,
                 retry: float = 30.0) -> None:
        self._load_rows = load_rows
        self._locator = locator
        self.ttl = ttl
        self.retry = retry
        self._gazetteer: Gazetteer | None = None
        self._loaded = 0.0

    def gazetteer(self, *, missed: bool = False) -> Gazetteer:
        age = time.monotonic() - self._loaded
        if self._gazetteer is None or age > self.ttl or (missed and age > self.retry):
            self._gazetteer = Gazetteer(self._load_rows())
            self._loaded = time.monotonic()
        return self._gazetteer

    def _twice(self, look: Callable[[Gazetteer], object]):
        found = look(self.gazetteer())
        if not found:
            before = self._gazetteer
            again = self.gazetteer(missed=True)
            if again is not before:
                found = look(again)
        return found

    def locate(self, lat: float, lon: float) -> str | None:
        if self._locator is not None:
            return self._locator(lat, lon)
        return self._twice(lambda g: g.locate(lat, lon))

    def match(self, address: str, scope: str) -> str | None:
        return self._twice(lambda g: g.match(address, scope))

    def is_grid(self, code: str) -> bool:
        return bool(self._twice(lambda g: code in g.grid_codes))
