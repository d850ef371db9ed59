"""Polygon helpers: point in polygon, centroid, clipping, area-balanced splitting, Voronoi cells."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.city.clip import clip_polygon, clip_ring, split_shape, voronoi_cells
from backend.city.geometry import (
    area_km2,
    centroid,
    geometry_from_shape,
    point_in_polygon,
    representative_point,
    ring_area,
    shape_area,
    shape_contains,
    shape_from_geometry,
)

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]]}
WITH_HOLE = {
    "type": "Polygon",
    "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]]],
}
# A U: two prongs joined at the bottom; the notch x∈(1,3), y∈(1,4) is outside.
U_RING = [(0, 0), (4, 0), (4, 4), (3, 4), (3, 1), (1, 1), (1, 4), (0, 4)]
U = {"type": "Polygon", "coordinates": [[list(p) for p in U_RING + [U_RING[0]]]]}


def test_point_in_polygon_inside_outside_and_boundary():
    assert point_in_polygon((2, 2), SQUARE)
    assert not point_in_polygon((5, 2), SQUARE)
    assert point_in_polygon((4, 2), SQUARE)  # on an edge
    assert point_in_polygon((0, 0), SQUARE)  # on a vertex
    assert not point_in_polygon((4.001, 2), SQUARE)


def test_point_in_polygon_respects_holes_concavity_and_multipolygons():
    assert not point_in_polygon((2, 2), WITH_HOLE)
    assert point_in_polygon((1, 2), WITH_HOLE)  # on the hole's edge
    assert point_in_polygon((0.5, 2), WITH_HOLE)
    assert not point_in_polygon((2, 3), U)
    assert point_in_polygon((2, 0.5), U)
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], [[[10, 10], [11, 10], [11, 11], [10, 10]]]]}
    assert point_in_polygon((10.8, 10.5), multi)
    assert not point_in_polygon((10.2, 10.8), multi)


def test_centroid_of_square_hole_and_l_shape():
    assert centroid(SQUARE) == pytest.approx((2.0, 2.0))
    assert centroid(WITH_HOLE) == pytest.approx((2.0, 2.0))
    # L = 2x1 bar + 1x1 block on top of its left end: centroid (5/6, 2/3).
    l_shape = {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]]}
    assert centroid(l_shape) == pytest.approx((5 / 6, 5 / 6))


def test_representative_point_is_inside_even_when_the_centroid_is_not():
    c = centroid(U)
    assert not point_in_polygon(c, U)
    assert shape_contains(shape_from_geometry(U), representative_point(shape_from_geometry(U)), tol=0.0)


def test_clipping_a_concave_ring_keeps_the_exact_area():
    top = clip_ring(U_RING, 0.0, -1.0, -2.0)  # keep y >= 2: two separate prongs
    assert abs(ring_area(top)) == pytest.approx(4.0)
    assert all(y >= 2.0 for _, y in top)
    assert clip_ring(U_RING, 1.0, 0.0, -1.0) == []  # x <= -1: nothing


def test_clip_polygon_returns_separate_prongs_without_bridges():
    prongs = clip_polygon([U_RING], 0.0, -1.0, -2.0)  # keep y > 2
    assert sorted(sorted(ring) for (ring,) in prongs) == [
        [(0, 2.0), (0, 4), (1, 2.0), (1, 4)],
        [(3, 2.0), (3, 4), (4, 2.0), (4, 4)],
    ]
    assert all(ring_area(ring) > 0 for (ring,) in prongs)  # still counter-clockwise


def test_clip_polygon_through_a_hole_opens_it_and_keeps_inner_holes():
    frame = shape_from_geometry(WITH_HOLE)[0]
    left = clip_polygon(frame, 1.0, 0.0, 2.0)  # x < 2 cuts the hole: a C shape, no hole left
    assert len(left) == 1 and len(left[0]) == 1
    assert abs(ring_area(left[0][0])) == pytest.approx(8.0 - 2.0)
    whole = clip_polygon(frame, 1.0, 0.0, 10.0)
    assert whole == [frame]
    keep_hole = clip_polygon(frame, 0.0, 1.0, 3.5)  # y < 3.5 misses the hole's top: hole kept
    assert len(keep_hole) == 1 and len(keep_hole[0]) == 2
    assert shape_area(keep_hole) == pytest.approx(14.0 - 4.0)


def test_clip_polygon_with_a_vertex_exactly_on_the_line():
    diamond_pair = [(0, 0), (2, 1), (4, 0), (4, 2), (0, 2)]  # (2, 1) pokes up to y = 1
    below = clip_polygon([diamond_pair], 0.0, 1.0, 1.0)  # y < 1: two triangles touching at (2, 1)
    assert len(below) == 2
    assert shape_area(below) == pytest.approx(2.0)


def test_area_km2_of_one_degree_cell_at_the_equator():
    cell = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    assert area_km2(cell) == pytest.approx(111.195**2, rel=1e-3)


def test_geometry_round_trip_closes_rings():
    shape = shape_from_geometry(WITH_HOLE)
    assert geometry_from_shape(shape) == WITH_HOLE
    assert geometry_from_shape(shape + shape)["type"] == "MultiPolygon"
    with pytest.raises(ValueError, match="Polygon or MultiPolygon, got 'Point'"):
        shape_from_geometry({"type": "Point", "coordinates": [0, 0]})


def _assert_partition(parent, pieces, weights):
    assert len(pieces) == len(weights)
    assert sum(shape_area(p) for p in pieces) == pytest.approx(shape_area(parent), rel=1e-9)
    for piece in pieces:
        assert shape_area(piece) > 0
        for polygon in piece:
            for ring in polygon:
                for point in ring:
                    assert shape_contains(parent, point), f"{point} is outside the parent"


def test_split_a_concave_shape_into_weighted_pieces():
    parent = shape_from_geometry(U)
    weights = [1, 2, 1, 3, 1, 1, 2]
    pieces = split_shape(parent, weights)
    _assert_partition(parent, pieces, weights)
    total = shape_area(parent)
    for piece, w in zip(pieces, weights):
        # Each cut lands within 5% of its target; a few levels of cuts compound.
        assert shape_area(piece) / total == pytest.approx(w / sum(weights), rel=0.2)


def test_split_rejects_bad_weights_and_empty_shapes():
    with pytest.raises(ValueError, match="positive"):
        split_shape(shape_from_geometry(SQUARE), [1, 0])
    with pytest.raises(ValueError, match="empty"):
        split_shape([], [1])
    assert split_shape(shape_from_geometry(SQUARE), []) == []


def test_voronoi_cells_cover_the_outline_and_contain_their_sites():
    outline = shape_from_geometry(U)
    sites = [(0.5, 3.0), (3.5, 3.0), (2.0, 0.5), (0.5, 0.5)]
    cells = voronoi_cells(outline, sites)
    _assert_partition(outline, cells, sites)
    for cell, site in zip(cells, sites):
        assert shape_contains(cell, site)
    with pytest.raises(ValueError, match="site 1"):
        voronoi_cells(shape_from_geometry(SQUARE), [(1, 1), (9, 9)])


@st.composite
def star_polygons(draw):
    """Random simple star-shaped polygons (often concave) around the origin."""
    n = draw(st.integers(3, 24))
    angles = sorted(draw(st.lists(st.floats(0, 2 * math.pi, exclude_max=True), min_size=n, max_size=n, unique=True)))
    gaps = [b - a for a, b in zip(angles, angles[1:] + [angles[0] + 2 * math.pi])]
    if min(gaps) < 1e-3 or max(gaps) >= math.pi * 0.95:  # keep the origin inside: simple polygon
        angles = [2 * math.pi * i / n for i in range(n)]
    radii = draw(st.lists(st.floats(0.2, 1.0), min_size=n, max_size=n))
    return [[[(r * math.cos(a), r * math.sin(a)) for a, r in zip(angles, radii)]]]


@settings(max_examples=60, deadline=None)
@given(star_polygons(), st.lists(st.floats(0.2, 5.0), min_size=1, max_size=12))
def test_split_property_pieces_stay_inside_and_cover_the_parent(parent, weights):
    pieces = split_shape(parent, weights)
    _assert_partition(parent, pieces, weights)
    # And again one level down, as communities split into grids.
    grandchildren = split_shape(pieces[0], [1.0, 2.0, 1.0])
    _assert_partition(pieces[0], grandchildren, [1, 2, 1])
