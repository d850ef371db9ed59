"""The demo city generator: counts, codes, portraits, workers, outlines, determinism."""

from __future__ import annotations

import collections
import os
import random
import re
import statistics
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from backend.city import attach, generate_city, parse_boundaries, parse_divisions
from backend.city.geometry import shape_area, shape_contains, shape_from_geometry
from domain.city import SPECIAL_CARE_KEYS, CityData, NodeInfo
from domain.hierarchy import Level, parent_of, validate_code

ROOT = Path(__file__).resolve().parents[2]
REAL_DISTRICTS = {
    "370202": "市南区", "370203": "市北区", "370211": "黄岛区", "370212": "崂山区", "370213": "李沧区",
    "370214": "城阳区", "370215": "即墨区", "370281": "胶州市", "370283": "平度市", "370285": "莱西市",
}


@pytest.fixture(scope="module")
def city() -> CityData:
    return generate_city()  # seed 2023, scale 1.0


@pytest.fixture(scope="module")
def small() -> CityData:
    return generate_city(seed=11, scale=0.02)


@pytest.fixture(scope="module")
def real_divisions(shared_data) -> list[NodeInfo]:
    nodes = parse_divisions((shared_data / "qingdao_divisions.csv").read_text(encoding="utf-8"))
    outlines = parse_boundaries((shared_data / "qingdao_districts.geojson").read_text(encoding="utf-8"))
    return attach(nodes, outlines)


def by_level(data: CityData) -> dict[Level, list[NodeInfo]]:
    out: dict[Level, list[NodeInfo]] = collections.defaultdict(list)
    for n in data.nodes:
        out[Level(n.level)].append(n)
    return out


def assert_inside(child: NodeInfo, parent: NodeInfo) -> None:
    outline = shape_from_geometry(parent.geometry)
    for polygon in shape_from_geometry(child.geometry):
        for ring in polygon:
            for point in ring:
                assert shape_contains(outline, point), f"{child.code} vertex {point} is outside {parent.code}"


def assert_well_formed(data: CityData) -> None:
    seen: dict[str, NodeInfo] = {}
    for n in data.nodes:
        validate_code(n.code)
        assert n.code not in seen, f"duplicate code {n.code}"
        assert Level(n.level) == Level(len(n.code) and [2, 4, 6, 9, 12, 15].index(len(n.code)))
        assert n.parent == parent_of(n.code)
        assert n.parent is None or n.parent in seen, f"{n.code} comes before its parent"
        assert n.name
        seen[n.code] = n
    grids = {n.code for n in data.nodes if n.level == Level.GRID}
    ids = [w.id for w in data.workers]
    assert len(set(ids)) == len(ids)
    assert {w.grid for w in data.workers} == grids, "every grid has a worker and every worker a grid"
    for w in data.workers:
        assert re.fullmatch(r"1\d\d\*{4}\d{4}", w.phone), w.phone
        assert 2 <= len(w.name) <= 3


def test_counts_at_full_scale(city):
    levels = by_level(city)
    assert len(levels[Level.PROVINCE]) == 1 and len(levels[Level.CITY]) == 1
    assert {n.code: n.name for n in levels[Level.DISTRICT]} == REAL_DISTRICTS
    assert len(levels[Level.STREET]) == 141
    assert 14_000 * 0.85 <= len(levels[Level.GRID]) <= 14_000 * 1.15
    assert 17_000 * 0.85 <= len(city.workers) <= 17_000 * 1.15
    per_street = collections.Counter(n.parent for n in levels[Level.COMMUNITY])
    per_community = collections.Counter(n.parent for n in levels[Level.GRID])
    assert set(per_street) == {n.code for n in levels[Level.STREET]}
    assert 5 <= min(per_street.values()) and max(per_street.values()) <= 40
    assert 3 <= min(per_community.values()) and max(per_community.values()) <= 10
    workers_per_grid = collections.Counter(w.grid for w in city.workers)
    assert set(workers_per_grid.values()) == {1, 2}
    full = sum(w.full_time for w in city.workers)
    assert 0.4 < full / len(city.workers) < 0.9  # both kinds, full-time the majority


def test_codes_names_and_workers_are_well_formed(city):
    assert_well_formed(city)
    for n in city.nodes:
        if n.level == Level.STREET:
            assert n.name.endswith(("街道", "镇")), n.name
        elif n.level == Level.COMMUNITY:
            assert n.name.endswith(("社区", "村")), n.name
            kind = int(n.code[-3:])
            assert (kind >= 201) == n.name.endswith("村"), n  # 居委会 001–199, 村委会 201+
        elif n.level == Level.GRID:
            community = n.parent
            assert re.fullmatch(r".+(社区|村)第\d+网格", n.name), n.name
            assert n.code.startswith(community) and n.code[-3:] != "000"
    names = [n.name for n in city.nodes if n.level == Level.STREET]
    assert len(set(names)) == len(names)


def test_portraits_are_plausible_and_differ_between_town_and_country(city):
    nodes = {n.code: n for n in city.nodes}
    core, village = [], []
    for n in city.nodes:
        if n.level != Level.GRID:
            continue
        p = n.portrait
        assert p is not None and set(p.special_care) == set(SPECIAL_CARE_KEYS)
        assert p.households > 0 and 2.0 <= p.residents / p.households <= 3.6
        assert p.buildings >= 1 and p.shops >= 0 and p.area_km2 > 0
        assert all(v >= 0 for v in p.special_care.values())
        (village if nodes[n.parent].name.endswith("村") else core if n.code[:6] in ("370202", "370203") else []).append(p)
    assert statistics.median(p.households for p in core) > 1.5 * statistics.median(p.households for p in village)
    assert statistics.mean(p.households / p.buildings for p in core) > 10 * statistics.mean(
        p.households / p.buildings for p in village
    )
    assert statistics.mean(p.special_care["left_behind_children"] / p.residents for p in village) > 3 * statistics.mean(
        p.special_care["left_behind_children"] / p.residents for p in core
    )
    assert statistics.median(p.area_km2 for p in village) > statistics.median(p.area_km2 for p in core)
    for values in ([p.households for p in core], [p.shops for p in core], [p.area_km2 for p in village]):
        assert statistics.stdev(values) / statistics.mean(values) > 0.2  # not uniform
    # A community's portrait is the sum of its grids'.
    grids_of = collections.defaultdict(list)
    for n in city.nodes:
        if n.level == Level.GRID:
            grids_of[n.parent].append(n.portrait)
    for code, portraits in list(grids_of.items())[:200]:
        community = nodes[code].portrait
        assert community.households == sum(p.households for p in portraits)
        assert community.special_care["elderly_alone"] == sum(p.special_care["elderly_alone"] for p in portraits)


def test_children_lie_inside_their_parents_sampled_at_full_scale(city):
    nodes = {n.code: n for n in city.nodes}
    sample = random.Random(5)
    streets_and_districts = [n for n in city.nodes if n.level in (Level.DISTRICT, Level.STREET)]
    communities = sample.sample([n for n in city.nodes if n.level == Level.COMMUNITY], 150)
    grids = sample.sample([n for n in city.nodes if n.level == Level.GRID], 300)
    for n in streets_and_districts + communities + grids:
        assert_inside(n, nodes[n.parent])


def test_every_outline_and_centre_at_small_scale(small):
    levels = by_level(small)
    assert 100 <= len(levels[Level.GRID]) <= 1000
    assert len(levels[Level.DISTRICT]) == 10
    assert_well_formed(small)
    nodes = {n.code: n for n in small.nodes}
    for n in small.nodes:
        if n.level == Level.PROVINCE:
            continue
        assert n.geometry is not None and n.geometry["type"] in ("Polygon", "MultiPolygon")
        assert shape_contains(shape_from_geometry(n.geometry), n.center), f"{n.code} centre outside its outline"
        if n.level >= Level.DISTRICT:
            assert_inside(n, nodes[n.parent])
    # Children tile their parent: no gaps, no overlaps (areas add up exactly).
    child_area: dict[str, float] = collections.defaultdict(float)
    for n in small.nodes:
        if n.level >= Level.COMMUNITY:
            child_area[n.parent] += shape_area(shape_from_geometry(n.geometry))
    for code, total in child_area.items():
        assert total == pytest.approx(shape_area(shape_from_geometry(nodes[code].geometry)), rel=1e-9), code


def test_same_seed_same_bytes_other_seed_other_city():
    one = msgspec.json.encode(generate_city(seed=7, scale=0.05))
    assert one == msgspec.json.encode(generate_city(seed=7, scale=0.05))
    assert one != msgspec.json.encode(generate_city(seed=8, scale=0.05))


def test_same_seed_same_bytes_across_processes_with_different_string_hashing():
    script = (
        "import hashlib, msgspec; from backend.city import generate_city; "
        "print(hashlib.sha256(msgspec.json.encode(generate_city(seed=5, scale=0.02))).hexdigest())"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        digests.add(result.stdout.strip())
    assert len(digests) == 1


def test_real_streets_and_real_district_outlines(real_divisions):
    data = generate_city(seed=3, divisions=real_divisions, scale=0.05)
    assert_well_formed(data)
    real = {n.code: n for n in real_divisions}
    levels = by_level(data)
    nodes = {n.code: n for n in data.nodes}
    assert {n.parent for n in levels[Level.STREET]} == set(REAL_DISTRICTS)  # each district keeps a street
    for street in levels[Level.STREET]:
        assert street.name == real[street.code].name
    for district in levels[Level.DISTRICT]:
        assert district.geometry == real[district.code].geometry
        assert district.center == real[district.code].center
    for n in data.nodes:
        if n.level >= Level.STREET:
            assert_inside(n, nodes[n.parent])


def test_real_streets_at_full_scale(real_divisions):
    data = generate_city(divisions=real_divisions)
    levels = by_level(data)
    assert sorted(n.code for n in levels[Level.STREET]) == sorted(
        n.code for n in real_divisions if n.level == Level.STREET
    )
    assert 14_000 * 0.85 <= len(levels[Level.GRID]) <= 14_000 * 1.15
    assert 17_000 * 0.85 <= len(data.workers) <= 17_000 * 1.15


@pytest.mark.parametrize("scale", [0, -1, 4.5, float("nan"), "1"])
def test_bad_scale(scale):
    with pytest.raises(ValueError, match="scale must be in"):
        generate_city(scale=scale)


def test_bad_divisions():
    top = [
        NodeInfo(code="37", name="山东省", level=int(Level.PROVINCE), parent=None),
        NodeInfo(code="3702", name="青岛市", level=int(Level.CITY), parent="37"),
        NodeInfo(code="370202", name="市南区", level=int(Level.DISTRICT), parent="3702"),
    ]
    with pytest.raises(ValueError, match="no streets"):
        generate_city(divisions=top)
    community = NodeInfo(code="370202001001", name="某社区", level=int(Level.COMMUNITY), parent="370202001")
    with pytest.raises(ValueError, match="must stop at streets"):
        generate_city(divisions=top + [community])
    stranger = [
        NodeInfo(code="41", name="河南省", level=int(Level.PROVINCE), parent=None),
        NodeInfo(code="4101", name="郑州市", level=int(Level.CITY), parent="41"),
        NodeInfo(code="410102", name="中原区", level=int(Level.DISTRICT), parent="4101"),
        NodeInfo(code="410102001", name="林山寨街道", level=int(Level.STREET), parent="410102"),
    ]
    with pytest.raises(ValueError, match="410102 .中原区. has neither an outline nor a known centre"):
        generate_city(divisions=stranger)
