"""Polygon helpers for division outlines (lon/lat degrees).

Internally a *shape* is a list of polygons, a polygon a list of rings (outer first, then
holes) and a ring a list of ``(x, y)`` tuples without the closing repeat. GeoJSON
geometry dicts are converted at the edges; clipping and splitting live in ``clip``.
Containment, areas and centroids are shapely's; :func:`to_shapely` converts a shape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon as ShapelyPolygon

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]
Shape = list[Polygon]

KM_PER_DEG = math.pi * 6371.0088 / 180.0


# --- GeoJSON <-> shape -------------------------------------------------------------------


def shape_from_geometry(geometry: dict) -> Shape:
    """Turn a GeoJSON Polygon/MultiPolygon geometry into a shape (rings left open, outer
    rings counter-clockwise and holes clockwise whatever the input's winding)."""
    kind = geometry.get("type")
    coords: Any = geometry.get("coordinates")  # GeoJSON nesting, read by the loops below
    polygons: list[Any]
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = coords
    else:
        raise ValueError(f"geometry type must be Polygon or MultiPolygon, got {kind!r}")
    shape: Shape = []
    for polygon in polygons:
        rings: Polygon = []
        for ring in polygon:
            points = [(float(p[0]), float(p[1])) for p in ring]
            if len(points) > 1 and points[0] == points[-1]:
                points.pop()
            # Outer rings counter-clockwise, holes clockwise: clipping relies on it.
            if (ring_area(points) < 0.0) == (not rings):
                points.reverse()
            rings.append(points)
        shape.append(rings)
    return shape


def geometry_from_shape(shape: Shape) -> dict:
    """A GeoJSON geometry for a shape: a Polygon for one part, else a MultiPolygon."""
    polygons = [[[[x, y] for x, y in ring] + [[ring[0][0], ring[0][1]]] for ring in polygon] for polygon in shape]
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


# --- measures ----------------------------------------------------------------------------


def ring_area(ring: Sequence[Point]) -> float:
    """Signed shoelace area (counter-clockwise positive), in square degrees."""
    total = 0.0
    px, py = ring[-1]
    for x, y in ring:
        total += px * y - x * py
        px, py = x, y
    return total / 2.0


def polygon_area(polygon: Polygon) -> float:
    return abs(ring_area(polygon[0])) - sum(abs(ring_area(h)) for h in polygon[1:])


def shape_area(shape: Shape) -> float:
    return sum(polygon_area(p) for p in shape)


def bbox(shape: Shape) -> tuple[float, float, float, float]:
    xs = [x for polygon in shape for x, _ in polygon[0]]
    ys = [y for polygon in shape for _, y in polygon[0]]
    return min(xs), min(ys), max(xs), max(ys)


def shape_area_km2(shape: Shape) -> float:
    """Area in km² with a local equirectangular scale per part (fine at city size)."""
    total = 0.0
    for polygon in shape:
        ys = [y for _, y in polygon[0]]
        lat = (min(ys) + max(ys)) / 2.0
        total += polygon_area(polygon) * KM_PER_DEG * KM_PER_DEG * math.cos(math.radians(lat))
    return total


def area_km2(geometry: dict) -> float:
    return shape_area_km2(shape_from_geometry(geometry))


def shape_centroid(shape: Shape) -> Point:
    """Area-weighted centroid (holes subtract); may lie outside a concave shape."""
    c = to_shapely(shape).centroid
    if c.is_empty:  # no area: the mean of the first ring's vertices
        ring = shape[0][0]
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    return c.x, c.y


def centroid(geometry: dict) -> Point:
    """The area-weighted centroid of a GeoJSON Polygon/MultiPolygon (may lie outside it)."""
    return shape_centroid(shape_from_geometry(geometry))


# --- point in polygon --------------------------------------------------------------------


def to_shapely(shape: Shape) -> shapely.Geometry:
    """The shape as a shapely (Multi)Polygon; parts and holes kept as given (no repair)."""
    parts = [ShapelyPolygon(polygon[0], polygon[1:]) for polygon in shape]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def shape_contains(shape: Shape, point: Point, tol: float = 1e-9) -> bool:
    """True when ``point`` is inside or on the boundary of ``shape`` (holes excluded);
    points within ``tol`` of the boundary count as on it."""
    return geometry_contains(to_shapely(shape), point, tol)


def geometry_contains(geom: shapely.Geometry, point: Sequence[float], tol: float = 1e-9) -> bool:
    """``shape_contains`` for a shapely geometry (prepare it when testing many points)."""
    p = shapely.Point(float(point[0]), float(point[1]))
    if tol > 0.0:
        return bool(shapely.dwithin(geom, p, tol))
    return bool(shapely.covers(geom, p))


def point_in_polygon(point: Sequence[float], geometry: dict, tol: float = 1e-9) -> bool:
    """True when (lon, lat) lies inside or on a GeoJSON Polygon/MultiPolygon (holes excluded)."""
    return geometry_contains(shapely.geometry.shape(geometry), point, tol)


def representative_point(shape: Shape) -> Point:
    """A point inside the shape, for labels: the centroid when it is inside, else the middle
    of the widest horizontal chord of the largest part through its centroid's latitude."""
    c = shape_centroid(shape)
    if shape_contains(shape, c, tol=0.0):
        return c
    part = max(shape, key=polygon_area)
    cx, cy = shape_centroid([part])
    _, miny, _, maxy = bbox([part])
    for y in (cy, (miny + maxy) / 2.0, miny + (maxy - miny) * 0.37):
        xs = []
        for ring in part:
            px, py = ring[-1]
            for qx, qy in ring:
                if (qy > y) != (py > y):
                    xs.append((px - qx) * (y - qy) / (py - qy) + qx)
                px, py = qx, qy
        xs.sort()
        chords = [(xs[i + 1] - xs[i], xs[i]) for i in range(0, len(xs) - 1, 2)]
        if chords:
            width, left = max(chords)
            if width > 0.0:
                return left + width / 2.0, y
    return part[0][0]
