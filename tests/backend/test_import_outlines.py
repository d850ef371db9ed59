"""Outline import at any level: repairs, refusals by feature number, children outside their parent."""

from __future__ import annotations

import json

import pytest

from backend.city import generate_city
from backend.city.boundaries import BoundariesError, nesting_problems, parse_boundaries
from backend.store import Store
from domain.hierarchy import Level
from tests.backend.test_hub_cli import hub_cli

BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [3, 3], [3, 0], [0, 1], [0, 0]]]}  # crosses itself


def square(x0, y0, x1, y1):
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geometry} for props, geometry in features]})


def test_a_self_intersecting_outline_is_repaired_or_refused_with_the_reason():
    text = collection(({"code": "370202001001001"}, BOWTIE))
    repaired = parse_boundaries(text)["370202001001001"]
    assert repaired.repaired and "Self-intersection" in repaired.repaired
    assert repaired.geometry["type"] == "MultiPolygon"  # the bow tie's two triangles
    with pytest.raises(BoundariesError) as err:
        parse_boundaries(text, repair=False)
    assert err.value.problems[0].startswith("feature 0 (adcode 370202001001001): invalid outline (Self-intersection")


def test_children_outside_their_parent_are_reported_by_feature_number():
    text = collection(({"adcode": 370202}, square(0, 0, 10, 10)),
                      ({"code": "370202001"}, square(1, 1, 4, 4)),
                      ({"code": "370202002"}, square(8, 8, 12, 12)))
    problems = nesting_problems(parse_boundaries(text), lambda code: None)
    assert problems == ["feature 2 (adcode 370202002): 75.0% of its area lies outside its parent 370202"]
    # The parent may come from the database instead of the file.
    only_child = parse_boundaries(collection(({"code": "370202002"}, square(8, 8, 12, 12))))
    assert nesting_problems(only_child, {"370202": square(0, 0, 10, 10)}.get)
    assert nesting_problems(only_child, lambda code: None) == []


def test_import_grid_outlines_from_geojson_all_or_nothing(tmp_path):
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    assert hub_cli("migrate", "--db", db).returncode == 0
    city = generate_city(seed=11, scale=0.02)
    store = Store.open(db)
    store.import_city(city)
    store.attach_geometry({n.code: None for n in city.nodes if n.level == Level.GRID})
    store.close()
    grids = [n for n in city.nodes if n.level == Level.GRID][:5]
    good = [({"code": g.code, "name": g.name}, g.geometry) for g in grids]
    bad = tmp_path / "bad.geojson"
    outside = square(0, 0, 1, 1)  # far from its community
    bad.write_text(collection(*good, ({"code": grids[-1].code[:12] + "099"}, square(0, 0, 1, 1))),
                   encoding="utf-8")
    out = hub_cli("import", "boundaries", "--db", db, str(bad))
    assert out.returncode == 2
    assert "feature 5" in out.stderr and "no such node" in out.stderr
    store = Store.open(db)
    assert store.node(grids[0].code).geometry is None  # nothing attached
    store.close()

    shifted = tmp_path / "outside.geojson"
    shifted.write_text(collection(*good[1:], ({"code": grids[0].code}, outside)), encoding="utf-8")
    out = hub_cli("import", "boundaries", "--db", db, str(shifted))
    assert out.returncode == 2 and "feature 4" in out.stderr and "outside its parent" in out.stderr

    fine = tmp_path / "grids.geojson"
    fine.write_text(collection(*good), encoding="utf-8")
    out = hub_cli("import", "boundaries", "--db", db, str(fine))
    assert out.returncode == 0, out.stderr
    assert "attached 5 boundaries" in out.stdout
    store = Store.open(db)
    try:
        assert store.node(grids[0].code).geometry == grids[0].geometry
    finally:
        store.close()
