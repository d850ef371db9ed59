"""City import: round trips, all-or-nothing refusals that name the bad row, re-import updates."""

from __future__ import annotations

import pytest

from backend.store import CityImportError
from domain.city import CityData, GridPortrait, GridWorker, NodeInfo
from domain.rules import default_rules

PORTRAIT = GridPortrait(households=320, residents=905, special_care={"elderly_alone": 7}, buildings=12, shops=9,
                        area_km2=0.21)
SQUARE = {"type": "Polygon", "coordinates": [[[120.38, 36.06], [120.39, 36.06], [120.39, 36.07], [120.38, 36.06]]]}


def city() -> CityData:
    nodes = [
        NodeInfo("37", "山东省", 0, None),
        NodeInfo("3702", "青岛市", 1, "37", (120.38, 36.07)),
        NodeInfo("370202", "市南区", 2, "3702", (120.39, 36.07)),
        NodeInfo("370202001", "八大关街道", 3, "370202", (120.36, 36.05)),
        NodeInfo("370202001001", "太平角社区", 4, "370202001"),
        NodeInfo("370202001001001", "太平角第一网格", 5, "370202001001", (120.385, 36.065), SQUARE, PORTRAIT),
        NodeInfo("370202001001002", "太平角第二网格", 5, "370202001001"),
    ]
    workers = [
        GridWorker("w1", "刘网格", "370202001001001", True, "138****0001"),
        GridWorker("w2", "陈网格", "370202001001001", False, "138****0002"),
    ]
    return CityData(nodes, workers)


def test_import_city_round_trip(store):
    data = city()
    assert store.import_city(data) == (7, 2)
    assert store.nodes() == data.nodes
    assert store.node("370202001001001") == data.nodes[5]
    assert store.node("370202001001001").portrait == PORTRAIT
    assert store.node("999") is None
    assert [w.id for w in store.workers_of("370202001001001")] == ["w1", "w2"]
    assert store.workers_of("370202001001002") == []
    assert store.nodes(with_geometry=False)[5].geometry is None
    assert [n.code for n in store.nodes(scope="370202001001")] == ["370202001001", "370202001001001",
                                                                    "370202001001002"]
    counts = store.counts()
    assert counts["nodes"] == 7 and counts["grids"] == 2 and counts["grid_workers"] == 2


def test_children_may_come_before_parents_in_one_batch(store):
    assert store.import_nodes(list(reversed(city().nodes))) == 7
    assert len(store.nodes()) == 7


def test_reimport_updates_in_place(store):
    store.import_city(city())
    renamed = NodeInfo("370202001", "八大关街道办事处", 3, "370202", (120.36, 36.05))
    store.import_nodes([renamed])
    assert store.node("370202001").name == "八大关街道办事处"
    assert len(store.nodes()) == 7


@pytest.mark.parametrize(
    "bad, message",
    [
        (NodeInfo("370202001001003", "孤儿网格", 5, "370202001009"), "parent '370202001009' is not the code's prefix"),
        (NodeInfo("370202002001001", "无父网格", 5, "370202002001"), "its parent 370202002001 is not present"),
        (NodeInfo("370202001001003", "错级网格", 4, "370202001001"), "level 4 does not match"),
        (NodeInfo("37020200100", "坏码", 5, "370202001"), "has 11 digits"),
        (NodeInfo("370202001001003", " ", 5, "370202001001"), "name is empty"),
        (NodeInfo("370202001001003", "坏中心", 5, "370202001001", (500.0, 36.0)), "is not a \\(lon, lat\\) pair"),
        (NodeInfo("370202001001001", "重复", 5, "370202001001"), "appears twice"),
    ],
)
def test_a_bad_node_leaves_nothing_behind(store, bad, message):
    with pytest.raises(CityImportError, match=message):
        store.import_nodes(city().nodes + [bad])
    assert store.nodes() == []


def test_bad_worker_rolls_back_the_nodes_too(store):
    data = city()
    data.workers.append(GridWorker("w3", "街道员", "370202001", True, "138****0003"))
    with pytest.raises(CityImportError, match="grid '370202001' is not a stored grid"):
        store.import_city(data)
    assert store.nodes() == [] and store.counts()["grid_workers"] == 0


def test_attach_geometry_all_or_nothing(store):
    store.import_city(city())
    assert store.attach_geometry({"370202001": SQUARE, "370202": SQUARE}) == 2
    assert store.node("370202001").geometry == SQUARE
    with pytest.raises(CityImportError, match="unknown node\\(s\\) 370299"):
        store.attach_geometry({"370202001001": SQUARE, "370299": SQUARE})
    assert store.node("370202001001").geometry is None


def test_departments_from_the_catalog(store):
    catalog = default_rules().catalog
    assert store.import_departments(catalog.departments.values()) == len(catalog.departments)
    stored = {d.code: d for d in store.departments()}
    assert stored["cg"].name == "城管"
    assert store.import_departments(catalog.departments.values()) == len(catalog.departments)  # idempotent
    assert len(store.departments()) == len(catalog.departments)
