"""A synthetic register for the demo city, drawn from the grid portraits the city generator made.

Figures (households, residents, buildings, businesses) come from each grid's portrait; the
special-care people are made up one by one to match its counts, with invented names, ID
numbers and phones (never real people). ``people_scope`` limits the people — and so the
visits, meetings and patrols the simulator works — to one district, so a whole-city demo
starts in seconds; every grid still gets its figures.
"""

from __future__ import annotations

import random

from backend.gridwork.store import GridworkStore, RegisterGrid
from domain.city import NodeInfo
from domain.gridwork.care import DAY, default_needs, end_of_day, visit_frequency_days
from domain.gridwork.register import CarePerson, KeyPlace, PartyOrg
from domain.hierarchy import Level

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
            "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "秀英桂兰玉珍凤芳淑华建国志强明德海云红梅丽娟文军永福春生金宝荣庆平安俊杰晓东子涵雨欣浩然思远佳怡"
PLACES = {
    "school": ("小学", "幼儿园", "中学"), "clinic": ("社区卫生服务站", "诊所"), "market": ("农贸市场", "便民超市"),
    "elderly": ("老年活动中心", "日间照料中心"), "site": ("在建工地",), "water": ("河道", "塘坝"),
}
_PLACE_KEYS = tuple(PLACES)


def fake_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _id_number(rng: random.Random, grid: str, birth_year: int) -> str:
    body = f"{grid[:6]}{birth_year:04d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + rng.choice("0123456789X")


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"


def _people(rng: random.Random, node: NodeInfo, now_year: int) -> list[CarePerson]:
    care = node.portrait.special_care if node.portrait else {}
    out: list[CarePerson] = []
    building_count = max(1, node.portrait.buildings if node.portrait else 1)

    def add(groups: tuple[str, ...], birth: int) -> None:
        n = len(out) + 1
        floor = f"{rng.randint(1, 6)}0{rng.randint(1, 4)}"
        address = f"{rng.randint(1, building_count)}号楼{rng.randint(1, 4)}单元{floor}"
        out.append(CarePerson(
            id=f"P{node.code}{n:03d}", grid=node.code, name=fake_name(rng), groups=groups,
            needs=default_needs(groups), gender=rng.choice("男女"), birth_year=birth, address=address,
            id_number=_id_number(rng, node.code, birth), phone=_phone(rng),
            frequency_days=visit_frequency_days(groups)))

    for _ in range(care.get("elderly_alone", 0)):
        birth = rng.randint(now_year - 95, now_year - 62)
        add(("elderly_alone", "elderly_80") if now_year - birth >= 80 else ("elderly_alone",), birth)
    for _ in range(care.get("disabled", 0)):
        add(("disabled",), rng.randint(now_year - 80, now_year - 10))
    for _ in range(care.get("left_behind_children", 0)):
        difficult = rng.random() < 0.2
        add(("left_behind_children", "children_in_difficulty") if difficult else ("left_behind_children",),
            rng.randint(now_year - 15, now_year - 4))
    for _ in range(care.get("low_income", 0)):
        add(("low_income",), rng.randint(now_year - 85, now_year - 25))
    for _ in range(care.get("veterans", 0)):
        add(("veterans",), rng.randint(now_year - 90, now_year - 22))
    return out


def _grid_entry(rng: random.Random, node: NodeInfo) -> RegisterGrid:
    p = node.portrait
    per_building = p.households / max(1, p.buildings)
    units = p.buildings * (max(1, round(per_building / 12)) if per_building > 6 else 1)
    places = [KeyPlace(name=node.name.split("社区")[0] + rng.choice(PLACES[k]), kind=k)
              for k in rng.sample(_PLACE_KEYS, rng.randint(1, 3))]
    members = max(3, round(p.residents * rng.uniform(0.02, 0.05)))
    party = PartyOrg(branch=f"{node.name}党支部", secretary=fake_name(rng), members=members,
                     building_groups=max(1, p.buildings // 4), central_households=max(1, members // 6))
    return RegisterGrid(grid=node.code, households=p.households, residents=p.residents, buildings=p.buildings,
                        units=units, businesses=p.shops, grid_head=fake_name(rng), key_places=places, party=party)


def seed_register(store: GridworkStore, nodes: list[NodeInfo], *, now: float, seed: int = 2023,
                  people_scope: str = "", first_due_from: float | None = None) -> tuple[int, int]:
    """Register every grid with a portrait; people only within ``people_scope``.

    The first visits fall due spread over one interval after ``first_due_from`` (default ``now``).
    """
    import time

    rng = random.Random(seed * 7919 + 17)
    year = time.gmtime(now).tm_year
    grids, people, first_due = [], [], {}
    start = now if first_due_from is None else first_due_from
    for node in nodes:
        if node.level != Level.GRID or node.portrait is None:
            continue
        grids.append(_grid_entry(rng, node))
        if node.code.startswith(people_scope):
            for person in _people(rng, node, year):
                people.append(person)
                first_due[person.id] = end_of_day(start + rng.random() * person.frequency_days * DAY)
    return store.replace_register(grids, people, as_of=now, source="demo", now=now, first_due=first_due)
