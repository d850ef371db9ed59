"""Cutting outlines: half-plane clipping, area-balanced splitting, Voronoi cells.

A child is its parent clipped by half-planes, so every child vertex is a parent vertex or
a point on a parent edge and no child can leave its parent. Plain Sutherland–Hodgman would
join the pieces of a concave polygon by zero-width bridges along the cut; a later cut
through such a bridge leaves a vertex outside the parent and a stray line on the map.
``clip_polygon`` therefore rebuilds separate rings: the inside runs of each ring are chained
together along the cut line, pairing crossings in their order along it (a tie at a vertex
lying on the line is broken as if the line moved an infinitesimal step inwards).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .geometry import Point, Polygon, Ring, Shape, bbox, ring_area, ring_position, shape_area

# Below this (square degrees, about 1 m²) a clipped piece is a sliver and is dropped.
MIN_AREA = 1e-10


def clip_ring(ring: Sequence[Point], a: float, b: float, c: float) -> Ring:
    """Sutherland–Hodgman: ``ring`` ∩ {a·x + b·y <= c} as one ring, possibly with zero-width
    bridges along the cut. Its area is exact, which is all the splitter's search needs."""
    out: Ring = []
    px, py = ring[-1]
    pd = a * px + b * py - c
    for x, y in ring:
        d = a * x + b * y - c
        if d <= 0.0:
            if pd > 0.0 and d < 0.0:
                t = pd / (pd - d)
                out.append(_snap(px + t * (x - px), py + t * (y - py), a, b, c))
            out.append((x, y))
        elif pd < 0.0:
            t = pd / (pd - d)
            out.append(_snap(px + t * (x - px), py + t * (y - py), a, b, c))
        px, py, pd = x, y, d
    return out


def _snap(x: float, y: float, a: float, b: float, c: float) -> Point:
    """Put an intersection exactly on an axis-parallel cut so siblings share the edge."""
    if b == 0.0:
        return c / a, y
    if a == 0.0:
        return x, c / b
    return x, y


def clip_polygon(polygon: Polygon, a: float, b: float, c: float) -> list[Polygon]:
    """``polygon`` ∩ {a·x + b·y < c} as separate simple polygons. The outer ring must run
    counter-clockwise and holes clockwise (``oriented``, ``shape_from_geometry``). Vertices
    on the line count as outside, so every point where the result touches the line is a
    crossing."""
    chains: list[Ring] = []  # inside runs: entry crossing, inside vertices, exit crossing
    entries: list[tuple[float, float, int]] = []  # (position along the line, tie-break, chain)
    exits: list[tuple[float, float, int]] = []
    kept_holes: list[Ring] = []
    for index, ring in enumerate(polygon):
        d = [a * x + b * y - c for x, y in ring]
        if max(d) < 0.0:
            if index == 0:
                return [polygon]  # wholly inside, holes included
            kept_holes.append(ring)
            continue
        if min(d) >= 0.0:
            if index == 0:
                return []
            continue
        n = len(ring)
        start = next(i for i in range(n) if d[i] >= 0.0)
        current: Ring = []
        for k in range(1, n + 1):
            i, j = (start + k) % n, (start + k - 1) % n
            if d[i] < 0.0:
                if d[j] >= 0.0:  # entering across edge j -> i
                    point, key = _crossing(ring[i], d[i], ring[j], d[j], a, b, c)
                    entries.append((*key, len(chains)))
                    current = [point]
                current.append(ring[i])
            elif d[j] < 0.0:  # leaving across edge j -> i
                point, key = _crossing(ring[j], d[j], ring[i], d[i], a, b, c)
                exits.append((*key, len(chains)))
                current.append(point)
                chains.append(current)
    # Along the line the crossings pair up into the inside intervals; each pairs an exit
    # with an entry, and the boundary runs from the exit to that entry.
    crossings = sorted([(s, t, 0, chain) for s, t, chain in exits] + [(s, t, 1, chain) for s, t, chain in entries])
    next_chain: dict[int, int] = {}
    for first, second in zip(crossings[0::2], crossings[1::2], strict=False):
        if first[2] == second[2]:
            raise ValueError("cannot clip a self-intersecting ring")
        exit_, entry = (first, second) if first[2] == 0 else (second, first)
        next_chain[exit_[3]] = entry[3]
    out: list[Polygon] = []
    used = [False] * len(chains)
    for begin in range(len(chains)):
        if used[begin]:
            continue
        joined: Ring = []
        current_index = begin
        while not used[current_index]:
            used[current_index] = True
            joined.extend(chains[current_index])
            current_index = next_chain[current_index]
        joined = _dedupe(joined)
        if len(joined) >= 3 and ring_area(joined) > MIN_AREA:
            out.append([joined])
    for hole in kept_holes:
        for piece in out:
            if ring_position(hole[0][0], hole[0][1], piece[0], 0.0) >= 0:
                piece.append(hole)
                break
    return out


def _crossing(inside: Point, d_in: float, outside: Point, d_out: float, a: float, b: float, c: float):
    """Where edge inside→outside meets the line, and its sort key along the line: position,
    then the order the crossings would have on a line moved infinitesimally inwards."""
    if d_out == 0.0:
        point = outside
    else:
        t = d_in / (d_in - d_out)
        point = _snap(inside[0] + t * (outside[0] - inside[0]), inside[1] + t * (outside[1] - inside[1]), a, b, c)
    s_point = -b * point[0] + a * point[1]
    slope = ((-b * inside[0] + a * inside[1]) - (-b * outside[0] + a * outside[1])) / (d_out - d_in)
    return point, (s_point, slope)


def _dedupe(ring: Ring) -> Ring:
    out = [p for i, p in enumerate(ring) if p != ring[i - 1]] if len(ring) > 1 else ring
    return out


def clip_shape(shape: Shape, a: float, b: float, c: float) -> Shape:
    """``shape`` ∩ {a·x + b·y < c}, as separate polygons, dropping slivers."""
    return [piece for polygon in shape for piece in clip_polygon(polygon, a, b, c)]


def _clipped_area(shape: Shape, a: float, b: float, c: float) -> float:
    total = 0.0
    for polygon in shape:
        outer = clip_ring(polygon[0], a, b, c)
        if len(outer) >= 3:
            total += abs(ring_area(outer))
            for hole in polygon[1:]:
                clipped = clip_ring(hole, a, b, c)
                if len(clipped) >= 3:
                    total -= abs(ring_area(clipped))
    return total


def split_shape(shape: Shape, weights: Sequence[float]) -> list[Shape]:
    """Cut ``shape`` into ``len(weights)`` non-empty pieces with areas roughly proportional
    to ``weights``, by recursive straight cuts across the longer side (area-balanced by
    bisection on the cut position). Pieces come back in ``weights`` order; each one is
    inside ``shape`` and together they cover it."""
    if not weights:
        return []
    if any(w <= 0 for w in weights):
        raise ValueError("split weights must be positive")
    if not shape or shape_area(shape) <= 0.0:
        raise ValueError("cannot split an empty shape")
    return _split(oriented(shape), list(weights))


def oriented(shape: Shape) -> Shape:
    """``shape`` with outer rings counter-clockwise and holes clockwise, as clipping expects."""
    return [
        [ring if (ring_area(ring) > 0.0) == (i == 0) else ring[::-1] for i, ring in enumerate(polygon)]
        for polygon in shape
    ]


def _split(shape: Shape, weights: list[float]) -> list[Shape]:
    n = len(weights)
    if n == 1:
        return [shape]
    k = n // 2
    target = sum(weights[:k]) / sum(weights)
    minx, miny, maxx, maxy = bbox(shape)
    coslat = math.cos(math.radians((miny + maxy) / 2.0))
    if (maxx - minx) * coslat >= maxy - miny:
        a, b, lo, hi = 1.0, 0.0, minx, maxx
    else:
        a, b, lo, hi = 0.0, 1.0, miny, maxy
    total = shape_area(shape)
    tol = 0.05 * min(target, 1.0 - target)
    cut = (lo + hi) / 2.0
    for _ in range(60):
        cut = (lo + hi) / 2.0
        frac = _clipped_area(shape, a, b, cut) / total
        if abs(frac - target) <= tol:
            break
        if frac < target:
            lo = cut
        else:
            hi = cut
    first = clip_shape(shape, a, b, cut)
    second = clip_shape(shape, -a, -b, -cut)
    if not first or not second:
        raise ValueError(f"cutting at {cut} left an empty piece (shape area {total:g})")
    return _split(first, weights[:k]) + _split(second, weights[k:])


def voronoi_cells(outline: Shape, sites: Sequence[Point]) -> list[Shape]:
    """Clip ``outline`` to each site's Voronoi cell (nearest-site region), in ``sites`` order."""
    outline = oriented(outline)
    cells = []
    for i, (xi, yi) in enumerate(sites):
        cell = outline
        for j, (xj, yj) in enumerate(sites):
            if i == j or not cell:
                continue
            # |p - si|² <= |p - sj|²  <=>  2(sj - si)·p <= |sj|² - |si|²
            cell = clip_shape(cell, 2 * (xj - xi), 2 * (yj - yi), xj * xj + yj * yj - xi * xi - yi * yi)
        if not cell:
            raise ValueError(f"site {i} at {(xi, yi)} has no area inside the outline")
        cells.append(cell)
    return cells
