"""GeoJSON outline import: the real Qingdao districts, attaching them, and bad documents."""

from __future__ import annotations

import json

import pytest

from backend.city import BoundariesError, attach, parse_boundaries, parse_divisions, point_in_polygon
from backend.city.geometry import area_km2
from domain.city import NodeInfo
from domain.hierarchy import Level

DISTRICTS = {"370202", "370203", "370211", "370212", "370213", "370214", "370215", "370281", "370283", "370285"}
SQUARE = {"type": "Polygon", "coordinates": [[[120, 36], [120.1, 36], [120.1, 36.1], [120, 36.1], [120, 36]]]}


def feature(adcode=370202, geometry=None, **props):
    return {"type": "Feature", "properties": {"adcode": adcode, "name": "市南区", **props},
            "geometry": SQUARE if geometry is None else geometry}


def collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def problems_of(text: str) -> list[str]:
    with pytest.raises(BoundariesError) as info:
        parse_boundaries(text, source="d.geojson")
    assert str(info.value).startswith("d.geojson: ")
    return info.value.problems


def test_real_qingdao_districts(shared_data):
    outlines = parse_boundaries((shared_data / "qingdao_districts.geojson").read_text(encoding="utf-8"))
    assert set(outlines) == DISTRICTS
    shinan = outlines["370202"]
    assert shinan.name == "市南区"
    assert shinan.center == (120.395966, 36.070892)
    assert shinan.geometry["type"] == "MultiPolygon"
    assert point_in_polygon(shinan.center, shinan.geometry)
    assert not point_in_polygon(outlines["370283"].center, shinan.geometry)  # 平度's seat is not in 市南
    # Real sizes (km²): 市南 ≈ 30, 平度 ≈ 3,170; a loose check that units are right.
    assert 20 < area_km2(shinan.geometry) < 40
    assert 2_800 < area_km2(outlines["370283"].geometry) < 3_500


def test_attach_real_outlines_to_real_divisions(shared_data):
    nodes = parse_divisions((shared_data / "qingdao_divisions.csv").read_text(encoding="utf-8"))
    outlines = parse_boundaries((shared_data / "qingdao_districts.geojson").read_text(encoding="utf-8"))
    attached = attach(nodes, outlines)
    assert [n.code for n in attached] == [n.code for n in nodes]
    for node in attached:
        if node.level == Level.DISTRICT:
            assert node.geometry is outlines[node.code].geometry
            assert node.center == outlines[node.code].center
        else:
            assert node.geometry is None and node.center is None


def test_attach_without_a_center_uses_a_point_inside():
    # A U-shaped district whose centroid falls in the notch.
    u = {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [3, 4], [3, 1], [1, 1], [1, 4], [0, 4], [0, 0]]]}
    outlines = parse_boundaries(collection(feature(geometry=u)))
    assert outlines["370202"].center is None
    node = NodeInfo(code="370202", name="市南区", level=int(Level.DISTRICT), parent="3702")
    (attached,) = attach([node], outlines)
    assert attached.geometry == u
    assert point_in_polygon(attached.center, u)


def test_attach_reports_unknown_codes_unless_told_to_ignore_them():
    outlines = parse_boundaries(collection(feature(370202), feature(370299)))
    node = NodeInfo(code="370202", name="市南区", level=int(Level.DISTRICT), parent="3702")
    with pytest.raises(BoundariesError, match="boundary 370299 names no node"):
        attach([node], outlines)
    (attached,) = attach([node], outlines, ignore_unknown=True)
    assert attached.geometry == SQUARE


def test_adcode_may_be_a_string_and_winding_does_not_matter():
    clockwise = {"type": "Polygon", "coordinates": [SQUARE["coordinates"][0][::-1]]}
    outlines = parse_boundaries(collection(feature("370202", geometry=clockwise, center=[120.05, 36.05])))
    assert outlines["370202"].center == (120.05, 36.05)
    assert point_in_polygon((120.05, 36.05), outlines["370202"].geometry)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"type": "Feature"}), "must be a GeoJSON FeatureCollection"),
        (json.dumps({"type": "FeatureCollection"}), "no 'features' list"),
        (collection({"type": "Point"}), "feature 0: not a GeoJSON Feature"),
        (collection({"type": "Feature", "properties": {"name": "x"}, "geometry": SQUARE}),
         "feature 0: properties.adcode is missing"),
        (collection(feature(True)), "feature 0: properties.adcode is missing or not a number/string"),
        (collection(feature("37021x")), "feature 0 (adcode 37021x): node code '37021x' must contain only the digits"),
        (collection(feature(370202), feature(370202)), "feature 1 (adcode 370202): adcode 370202 appears twice"),
        (collection(feature(geometry={"type": "Point", "coordinates": [120, 36]})),
         "feature 0 (adcode 370202): geometry type must be Polygon or MultiPolygon, got 'Point'"),
        (collection({"type": "Feature", "properties": {"adcode": 370202}}), "feature 0 (adcode 370202): geometry is missing"),
        (collection(feature(geometry={"type": "Polygon", "coordinates": [[[120, 36], [121, 36], [120, 36]]]})),
         "polygon 0 ring 0 needs at least 4 positions"),
        (collection(feature(geometry={"type": "Polygon", "coordinates": [[[120, 36], [121, 36], [121, 37], [120, 37]]]})),
         "polygon 0 ring 0 is not closed"),
        (collection(feature(geometry={"type": "Polygon", "coordinates": [[[120, 36], [121, 95], [121, 37], [120, 36]]]})),
         "polygon 0 ring 0: [121, 95] is not a [lon, lat] position"),
        (collection(feature(geometry={"type": "Polygon", "coordinates": [[[120, 36], ["a", 36], [121, 37], [120, 36]]]})),
         "is not a [lon, lat] position"),
        (collection(feature(geometry={"type": "Polygon", "coordinates": [[[120, 36], [121, 36], [122, 36], [120, 36]]]})),
         "polygon 0 has no area"),
        (collection(feature(geometry={"type": "MultiPolygon", "coordinates": []})), "MultiPolygon has no coordinates"),
        (collection(feature(center=[120.1])), "properties.center must be [lon, lat]"),
    ],
)
def test_bad_documents(text, expected):
    problems = problems_of(text)
    assert len(problems) == 1, problems
    assert expected in problems[0], problems[0]


def test_every_bad_feature_is_listed():
    text = collection(feature(370202), feature(None), feature(370213, geometry={"type": "LineString"}), feature(370202))
    problems = problems_of(text)
    assert [p.split(":")[0] for p in problems] == ["feature 1", "feature 2 (adcode 370213)", "feature 3 (adcode 370202)"]
