"""Plain-Python polygon helpers for division outlines (lon/lat degrees).

Internally a *shape* is a list of polygons, a polygon a list of rings (outer first, then
holes) and a ring a list of ``(x, y)`` tuples without the closing repeat. GeoJSON
geometry dicts are converted at the edges; clipping and splitting live in ``clip``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

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
    coords = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = coords
    else:
        raise ValueError(f"geometry type must be Polygon or MultiPolygon, got {kind!r}")
    shape: Shape = []
    for polygon in polygons:
        rings = []
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


def _ring_centroid(ring: Sequence[Point]) -> tuple[float, float, float]:
    """(signed area, cx, cy) of a ring; falls back to the vertex mean when degenerate."""
    a = cx = cy = 0.0
    x0, y0 = ring[0]  # shift to the first vertex for numerical stability
    px, py = ring[-1][0] - x0, ring[-1][1] - y0
    for x, y in ring:
        x, y = x - x0, y - y0
        cross = px * y - x * py
        a += cross
        cx += (px + x) * cross
        cy += (py + y) * cross
        px, py = x, y
    if abs(a) < 1e-18:
        return 0.0, sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    return a / 2.0, cx / (3.0 * a) + x0, cy / (3.0 * a) + y0


def shape_centroid(shape: Shape) -> Point:
    """Area-weighted centroid (holes subtract); may lie outside a concave shape."""
    total = sx = sy = 0.0
    for polygon in shape:
        for i, ring in enumerate(polygon):
            a, cx, cy = _ring_centroid(ring)
            a = abs(a) if i == 0 else -abs(a)
            total += a
            sx += a * cx
            sy += a * cy
    if abs(total) < 1e-18:
        ring = shape[0][0]
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    return sx / total, sy / total


def centroid(geometry: dict) -> Point:
    """The area-weighted centroid of a GeoJSON Polygon/MultiPolygon (may lie outside it)."""
    return shape_centroid(shape_from_geometry(geometry))


# --- point in polygon --------------------------------------------------------------------


def _on_segment(x: float, y: float, ax: float, ay: float, bx: float, by: float, tol: float) -> bool:
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0.0:
        return abs(x - ax) <= tol and abs(y - ay) <= tol
    t = ((x - ax) * dx + (y - ay) * dy) / length2
    t = 0.0 if t < 0.0 else 1.0 if t > 1.0 else t
    ex, ey = ax + t * dx - x, ay + t * dy - y
    return ex * ex + ey * ey <= tol * tol


def ring_position(x: float, y: float, ring: Sequence[Point], tol: float) -> int:
    """1 strictly inside, 0 on the boundary (within ``tol``), -1 outside (ray casting)."""
    inside = False
    px, py = ring[-1]
    for qx, qy in ring:
        if _on_segment(x, y, px, py, qx, qy, tol):
            return 0
        if (qy > y) != (py > y) and x < (px - qx) * (y - qy) / (py - qy) + qx:
            inside = not inside
        px, py = qx, qy
    return 1 if inside else -1


def shape_contains(shape: Shape, point: Point, tol: float = 1e-9) -> bool:
    """True when ``point`` is inside or on the boundary of ``shape`` (holes excluded)."""
    x, y = point
    for polygon in shape:
        if ring_position(x, y, polygon[0], tol) < 0:
            continue
        if all(ring_position(x, y, hole, tol) <= 0 for hole in polygon[1:]):
            return True
    return False


def point_in_polygon(point: Sequence[float], geometry: dict, tol: float = 1e-9) -> bool:
    """True when (lon, lat) lies inside or on a GeoJSON Polygon/MultiPolygon (holes excluded)."""
    return shape_contains(shape_from_geometry(geometry), (float(point[0]), float(point[1])), tol)


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
