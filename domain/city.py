"""The city as data: nodes with outlines and grid portraits, and the grid workers.

These structs are what the seed generator and the real-data importers produce and what
the hub's store persists; they carry no behaviour so every layer can share them.
"""

from __future__ import annotations

from typing import Any

import msgspec

# Special-care groups counted per grid (the keys of GridPortrait.special_care).
SPECIAL_CARE_KEYS = (
    "elderly_alone",  # 独居老人
    "disabled",  # 残疾人
    "left_behind_children",  # 留守儿童
    "low_income",  # 低保户
    "veterans",  # 退役军人
)
SPECIAL_CARE_NAMES = {
    "elderly_alone": "独居老人",
    "disabled": "残疾人",
    "left_behind_children": "留守儿童",
    "low_income": "低保户",
    "veterans": "退役军人",
}


class GridPortrait(msgspec.Struct, frozen=True):
    """Who and what lives in a grid (网格画像); communities may carry the sum of their grids."""

    households: int
    residents: int
    special_care: dict[str, int]
    buildings: int
    shops: int
    area_km2: float


class NodeInfo(msgspec.Struct, frozen=True):
    """One division node: ``level`` is a domain.hierarchy.Level value, ``center`` is (lon, lat),
    ``geometry`` a GeoJSON Polygon or MultiPolygon geometry object."""

    code: str
    name: str
    level: int
    parent: str | None
    center: tuple[float, float] | None = None
    geometry: dict[Any, Any] | None = None  # what msgspec reads a bare dict as
    portrait: GridPortrait | None = None


class GridWorker(msgspec.Struct, frozen=True):
    """A grid worker (网格员) bound to one grid; ``phone`` is fake and masked."""

    id: str
    name: str
    grid: str
    full_time: bool
    phone: str


class CityData(msgspec.Struct):
    """A whole city: ``nodes`` lists every parent before its children."""

    nodes: list[NodeInfo]
    workers: list[GridWorker]
