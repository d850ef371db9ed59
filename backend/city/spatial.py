"""Spatial look-ups over division outlines, with shapely 2.

* :class:`GridIndex`: position → grid, an STRtree over every grid's outline;
* :func:`position_problem`: whether a reported position lies in the grid it names;
* :func:`outlines`: simplified outlines of one level under a scope, for the map
  (``geometry`` answers); shared edges stay shared where the outlines form a clean coverage;
* :func:`random_point_in`: a uniformly drawn point inside an outline (the simulator).

Coordinates are WGS-84 longitude/latitude degrees throughout.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterable, Sequence
from typing import Any

import msgspec
import numpy as np
import shapely

from domain.city import NodeInfo
from domain.hierarchy import Level

#: Positions within this distance (degrees, about 0.1 m) of a grid's edge count as inside it.
EDGE_TOLERANCE = 1e-6
#: Default simplification tolerance (degrees) of outlines sent for each level: about 1/3 of a
#: screen pixel when that level fills a 1080p map (city ≈ 1.4°, district ≈ 0.4°, street ≈ 0.05°).
DEFAULT_TOLERANCE = {
    int(Level.PROVINCE): 2e-3,
    int(Level.CITY): 5e-4,
    int(Level.DISTRICT): 2e-4,
    int(Level.STREET): 5e-5,
    int(Level.COMMUNITY): 2e-5,
    int(Level.GRID): 2e-5,
}
#: Coordinates on the wire are rounded to this many decimals (1e-6° ≈ 0.1 m).
WIRE_DECIMALS = 6


def to_geom(geometry: dict | str) -> shapely.Geometry:
    """A GeoJSON geometry (dict or JSON text) as a shapely geometry."""
    if isinstance(geometry, str | bytes):
        geometry = msgspec.json.decode(geometry)
    return shapely.geometry.shape(geometry)


@functools.lru_cache(maxsize=4096)
def _prepared(geometry_text: str) -> shapely.Geometry:
    geom = to_geom(geometry_text)
    shapely.prepare(geom)
    return geom


def position_problem(code: str, geometry: str | None, lon: float, lat: float) -> str | None:
    """Why (lon, lat) cannot be a case's position in grid ``code``, or None when it can.

    ``geometry`` is the grid's stored GeoJSON text; a grid without an outline takes any position.
    """
    if not geometry:
        return None
    geom = _prepared(geometry)
    if shapely.dwithin(geom, shapely.Point(lon, lat), EDGE_TOLERANCE):
        return None
    return (f"the position ({lon:.6f}, {lat:.6f}) lies outside grid {code}: report the grid the place is in, "
            "or correct the position")


class GridIndex:
    """Finds the grid at a position: an STRtree over grid outlines, smallest code first on a shared edge."""

    def __init__(self, nodes: Iterable[NodeInfo]) -> None:
        grids = sorted((n for n in nodes if n.level == Level.GRID and n.geometry), key=lambda n: n.code)
        self.codes: list[str] = [n.code for n in grids]
        self.geoms: Any = np.array([to_geom(n.geometry or {}) for n in grids], dtype=object)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)

    def __len__(self) -> int:
        return len(self.codes)

    def locate(self, lon: float, lat: float) -> str | None:
        """The grid containing (lon, lat) (its boundary included), or None outside every grid."""
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        return self.codes[int(hits.min())] if len(hits) else None

    def locate_many(self, lons: Sequence[float], lats: Sequence[float]) -> list[str | None]:
        """``locate`` for many points at once (one vectorised tree query)."""
        points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        point_idx, grid_idx = self.tree.query(points, predicate="intersects")
        best = np.full(len(points), len(self.codes), dtype=np.int64)
        np.minimum.at(best, point_idx, grid_idx)
        return [self.codes[i] if i < len(self.codes) else None for i in best.tolist()]


def _flat_rings(geom: shapely.Geometry) -> list[list[float]]:
    """Every ring (outer and holes, all parts) as a flat [x0, y0, x1, y1, …] list, open (no repeat)."""
    rings: list[list[float]] = []
    for part in getattr(geom, "geoms", [geom]):
        if part.is_empty or part.geom_type != "Polygon":
            continue
        for ring in (part.exterior, *part.interiors):
            coords = np.round(np.asarray(ring.coords)[:-1], WIRE_DECIMALS)
            if len(coords) >= 3:
                rings.append(coords.ravel().tolist())
    return rings


def outlines(nodes: Sequence[NodeInfo], tolerance: float) -> list[tuple[str, list[list[float]]]]:
    """(code, flat rings) of each node with an outline, simplified by ``tolerance`` degrees.

    The nodes are simplified together as a coverage (``shapely.coverage_simplify``), so
    neighbours keep one shared edge; when they do not form a clean coverage each outline is
    simplified on its own (``preserve_topology``)."""
    shaped = [(n.code, to_geom(n.geometry)) for n in nodes if n.geometry]
    if not shaped:
        return []
    geoms: Any = np.array([g for _, g in shaped], dtype=object)
    if tolerance > 0.0:
        try:
            simple = shapely.coverage_simplify(geoms, tolerance)
        except Exception:  # noqa: BLE001 - GEOS refuses invalid coverages; fall back per outline
            simple = None
        if simple is None or any(g is None or g.is_empty for g in simple):
            simple = shapely.simplify(geoms, tolerance, preserve_topology=True)
        geoms = simple
    return [(code, _flat_rings(g)) for (code, _), g in zip(shaped, geoms, strict=True)]


def random_point_in(geom: shapely.Geometry, rng: random.Random, tries: int = 200) -> tuple[float, float]:
    """A point drawn uniformly inside ``geom`` (rejection sampling in its bounding box);
    its representative point if ``tries`` draws all miss (a sliver)."""
    minx, miny, maxx, maxy = geom.bounds
    for _ in range(tries):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shapely.contains_xy(geom, x, y):
            return round(x, WIRE_DECIMALS), round(y, WIRE_DECIMALS)
    p = geom.representative_point()
    return round(p.x, WIRE_DECIMALS), round(p.y, WIRE_DECIMALS)
