"""The hand-written point-in-polygon that shapely replaced, kept as the reference the spatial
index is checked against (ray casting with an on-edge tolerance)."""

from __future__ import annotations

from collections.abc import Sequence

Point = tuple[float, float]


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


def shape_contains(shape, point: Point, tol: float = 1e-9) -> bool:
    x, y = point
    for polygon in shape:
        if ring_position(x, y, polygon[0], tol) < 0:
            continue
        if all(ring_position(x, y, hole, tol) <= 0 for hole in polygon[1:]):
            return True
    return False
