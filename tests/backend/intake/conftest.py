"""A real hub with its HTTP side on loopback (port 0), a small city, and intake keys."""

from __future__ import annotations

import time
from xml.etree import ElementTree as ET

import httpx
import pytest

from backend.embedded import HubThread
from backend.intake.store import IntakeStore
from domain.city import NodeInfo

STREET = "370202001"
OTHER_STREET = "370202002"
GRID_1 = "370202001001001"
GRID_2 = "370202001001002"
OTHER_GRID = "370202002001001"
#: Positions near each grid's centre, and one far from every grid.
AT_GRID_1 = ("36.0612", "120.4012")
AT_GRID_2 = ("36.0650", "120.4090")
AT_OTHER_GRID = ("36.0700", "120.4300")
NOWHERE = ("37.5000", "121.9000")

CITY = [
    NodeInfo("37", "山东省", 0, None, (118.0, 36.3)),
    NodeInfo("3702", "青岛市", 1, "37", (120.38, 36.07)),
    NodeInfo("370202", "市南区", 2, "3702", (120.39, 36.07)),
    NodeInfo(STREET, "香港中路街道", 3, "370202", (120.40, 36.06)),
    NodeInfo("370202001001", "浮山所社区", 4, STREET, (120.405, 36.063)),
    NodeInfo(GRID_1, "浮山所社区第1网格", 5, "370202001001", (120.401, 36.061)),
    NodeInfo(GRID_2, "浮山所社区第2网格", 5, "370202001001", (120.409, 36.065)),
    NodeInfo(OTHER_STREET, "八大关街道", 3, "370202", (120.43, 36.07)),
    NodeInfo("370202002001", "八大关社区", 4, OTHER_STREET, (120.43, 36.07)),
    NodeInfo(OTHER_GRID, "八大关社区第1网格", 5, "370202002001", (120.430, 36.070)),
]


@pytest.fixture
def city_store(store):
    store.import_nodes(CITY)
    return store


@pytest.fixture
def keys(city_store) -> dict[str, str]:
    """Secrets of: app (open311, street A), other (open311, street B), slow (open311, 3/min),
    hotline (qd12345, the city), hotline_b (another platform)."""
    intake = IntakeStore(city_store)
    made = {}
    for name, kind, source, scope, rate in (
        ("app", "open311", "citizen-app", STREET, 6000), ("other", "open311", "other-app", OTHER_STREET, 6000),
        ("slow", "open311", "slow-app", STREET, 3), ("hotline", "hotline", "qd12345", "3702", 6000),
        ("hotline_b", "hotline", "other12345", "3702", 6000),
    ):
        made[name] = intake.add_key(name, kind, source, scope, rate, time.time())[1]
    return made


@pytest.fixture
def hub(city_store, rules):
    with HubThread(city_store, rules=rules, http_port=0, heartbeat_interval=0.5, sweep_interval=0.2) as running:
        yield running


@pytest.fixture
def frozen_limits(hub):
    """Stop the rate limiters' clock, so a test counts requests, never seconds."""
    from backend.http.common import LIMITER

    hub.hub.http.app[LIMITER].clock = lambda: 1000.0


@pytest.fixture
def http(hub):
    with httpx.Client(base_url=f"http://127.0.0.1:{hub.hub.http_port}", timeout=30) as client:
        yield client


def xml_items(text: str, root: str, item: str) -> list[ET.Element]:
    element = ET.fromstring(text)
    assert element.tag == root
    assert all(child.tag == item for child in element)
    return list(element)


def tags(element: ET.Element) -> list[str]:
    return [child.tag for child in element]
