"""A small city with a register, a hub on a controllable clock, and tokens per role."""

from __future__ import annotations

import pytest

from backend.clock import SimClock
from backend.embedded import HubThread
from backend.gridwork.register_csv import import_register
from backend.gridwork.store import GridworkStore
from domain.city import CityData, GridWorker, NodeInfo

STREET = "370202001"
COMMUNITY = "370202001001"
GRID = "370202001001001"
GRID_2 = "370202001001002"
OTHER_STREET_GRID = "370202002001001"
#: Tuesday 2026-03-10 10:00 CST.
T0 = 1773108000.0
DAY = 86400.0

NODES = [
    NodeInfo("37", "山东省", 0, None), NodeInfo("3702", "青岛市", 1, "37"),
    NodeInfo("370202", "市南区", 2, "3702"), NodeInfo(STREET, "香港中路街道", 3, "370202"),
    NodeInfo("370202002", "八大峡街道", 3, "370202"),
    NodeInfo(COMMUNITY, "浮山所社区", 4, STREET), NodeInfo("370202002001", "团岛社区", 4, "370202002"),
    NodeInfo(GRID, "浮山所社区第1网格", 5, COMMUNITY), NodeInfo(GRID_2, "浮山所社区第2网格", 5, COMMUNITY),
    NodeInfo(OTHER_STREET_GRID, "团岛社区第1网格", 5, "370202002001"),
]
WORKERS = [
    GridWorker("gw-1", "陈芳", GRID, True, "13800000001"), GridWorker("gw-2", "李强", GRID_2, True, "13800000002"),
    GridWorker("gw-3", "赵敏", OTHER_STREET_GRID, False, "13800000003"),
]
HEADER = ("kind,grid,id,name,gender,birth_year,groups,needs,address,id_number,phone,households,residents,buildings,"
          "units,businesses,grid_head,key_places,party_branch,party_secretary,party_members,party_groups,"
          "party_households")
REGISTER_CSV = "\n".join([
    HEADER,
    f"grid,{GRID},,,,,,,,,,412,1073,14,42,22,王建华,浮山小学:school;菜市场:market,第1网格党支部,刘红,31,4,6",
    f"grid,{GRID_2},,,,,,,,,,380,990,12,36,18,孙丽,,第2网格党支部,周平,25,3,5",
    f"grid,{OTHER_STREET_GRID},,,,,,,,,,200,520,30,30,4,钱进,,,,8,1,2",
    f"person,{GRID},p-1,张三明,男,1941,elderly_alone;elderly_80,,1号楼2单元301,370202194101011234,13912345678,,,,,,,,,,,,",
    f"person,{GRID},p-2,李桂英,女,1950,disabled,康复,3号楼101,370202195002021235,13912345679,,,,,,,,,,,,",
    f"person,{GRID},p-3,王小宝,男,2016,left_behind_children,,5号楼402,,,,,,,,,,,,,,",
    f"person,{GRID_2},p-4,赵大爷,男,1938,elderly_alone,,7号楼1单元201,,13912340000,,,,,,,,,,,,",
    f"person,{GRID_2},p-5,钱阿姨,女,1955,low_income;veterans,,8号楼,,,,,,,,,,,,,,",
    f"person,{OTHER_STREET_GRID},p-6,孙奶奶,女,1940,elderly_alone,,团岛路1号,,,,,,,,,,,,,,",
]) + "\n"


@pytest.fixture
def city_store(store):
    store.import_city(CityData(nodes=NODES, workers=WORKERS))
    return store


@pytest.fixture
def registered(city_store):
    """The register imported at T0 - 1 day: first visits fall due one interval later."""
    import_register(GridworkStore(city_store), REGISTER_CSV, "register.csv", as_of=T0 - DAY, now=T0 - DAY)
    return city_store


@pytest.fixture
def clock():
    return SimClock(start=T0, speed=1.0, paused=True)


@pytest.fixture
def hub(registered, rules, clock):
    with HubThread(registered, rules=rules, clock=clock, heartbeat_interval=0.5, sweep_interval=0.2) as running:
        yield running


@pytest.fixture
def tokens(registered):
    made = {}
    for key, (role, scope) in {
        "op_street": ("operator", STREET), "op_other": ("operator", "370202002"), "worker": ("grid_worker", GRID),
        "admin": ("admin", "3702"), "wall": ("wall", "3702"), "sup": ("supervisor", "3702"),
        "district": ("operator", "370202"),
    }.items():
        made[key] = registered.add_user(f"user-{key}", role, scope)[1]
    return made
