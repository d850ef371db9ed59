"""Plausible Chinese names for the demo city: streets, towns, communities, villages, people.

All draws go through the caller's ``random.Random`` so the city stays reproducible; nothing
here iterates a set (string hashing is randomised per process).
"""

from __future__ import annotations

import itertools
import random

# Syllables that read naturally as the first and second half of a place name.
_PLACE_HEAD = (
    "金", "银", "海", "山", "河", "泉", "龙", "凤", "华", "兴", "安", "宁", "平", "和", "东", "西", "南",
    "北", "中", "新", "青", "云", "石", "松", "柳", "湛", "沧", "浮", "崂", "胶", "珠", "江", "湖", "港",
    "桃", "杏", "梅", "兰", "瑞", "丰", "泰", "隆", "昌", "盛", "明", "德", "福", "永", "长", "太", "宝",
    "望", "仙", "鳌", "灵", "嘉", "文", "春", "秋", "汇", "翠", "碧", "白", "红", "黄", "蓝", "紫", "乐",
)
_PLACE_TAIL = (
    "山", "河", "湖", "海", "港", "湾", "岭", "台", "桥", "林", "园", "泉", "阳", "岛", "口", "庄", "源",
    "川", "峰", "屿", "岗", "坡", "沟", "滩", "洲", "城", "苑", "华", "兴", "安", "宁", "平", "和", "丰",
    "昌", "盛", "明", "德", "福", "新", "东", "西", "南", "北", "水", "石", "崖", "亭", "堡", "店",
)
_SURNAMES = (
    # Weighted towards the surnames common in Shandong.
    ("王", 90), ("张", 70), ("李", 70), ("刘", 55), ("孙", 35), ("杨", 25), ("赵", 25), ("于", 22),
    ("陈", 22), ("徐", 20), ("高", 20), ("姜", 18), ("宋", 15), ("郭", 14), ("马", 14), ("周", 12),
    ("吕", 10), ("纪", 8), ("薛", 8), ("曲", 8), ("邵", 7), ("隋", 6), ("辛", 6), ("韩", 10), ("崔", 9),
    ("林", 8), ("黄", 8), ("吴", 8), ("胡", 7), ("朱", 7), ("董", 7), ("范", 6), ("丁", 6), ("孔", 5),
    ("宫", 5), ("臧", 4), ("綦", 3), ("逄", 3), ("矫", 3), ("栾", 4),
)
_SURNAME_LIST = [s for s, _ in _SURNAMES]
_SURNAME_CUM = list(itertools.accumulate(w for _, w in _SURNAMES))
_GIVEN = (
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "霞", "平", "刚", "华", "红", "玉", "建", "国", "海", "燕", "鹏", "辉", "玲", "婷", "晓", "雪", "梅",
    "林", "斌", "宁", "文", "浩", "欣", "宇", "佳", "志", "俊", "丹", "萍", "波", "琳", "凯", "峰", "慧",
    "爱", "春", "秋", "英", "兰", "云", "飞", "立", "新", "成", "亮", "倩", "颖", "晨", "阳", "帆", "璐",
)
_VILLAGE_SUFFIX = ("庄", "屯", "疃", "洼", "埠", "沟", "寨", "台", "岭", "河", "院", "坡")
_DIRECTIONS = ("前", "后", "东", "西", "南", "北", "大", "小", "上", "下")
_PHONE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189",
)


def place_base(rng: random.Random) -> str:
    """Two syllables, e.g. 金湖, 海岭; never the same syllable twice."""
    while True:
        head, tail = rng.choice(_PLACE_HEAD), rng.choice(_PLACE_TAIL)
        if head != tail:
            return head + tail


def street_name(rng: random.Random, town: bool) -> str:
    """A 街道 (sometimes named after a road, e.g. 金湖路街道) or a 镇."""
    if town:
        if rng.random() < 0.3:
            surname = rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM)[0]
            return surname + rng.choice(("家集", "家庄", "哥庄", "家店")) + "镇"
        return place_base(rng) + "镇"
    return place_base(rng) + ("路街道" if rng.random() < 0.35 else "街道")


def community_name(rng: random.Random) -> str:
    """A 社区, e.g. 海岭社区 or 湖光花园社区."""
    base = place_base(rng)
    if rng.random() < 0.15:
        base += rng.choice(("花园", "新村", "家园", "雅苑", "里"))
    return base + "社区"


def village_name(rng: random.Random) -> str:
    """A 村, e.g. 王家庄村, 前李家疃村, 东石岭村."""
    surname = rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM)[0]
    pattern = rng.random()
    if pattern < 0.45:
        return surname + "家" + rng.choice(_VILLAGE_SUFFIX) + "村"
    if pattern < 0.7:
        return rng.choice(_DIRECTIONS) + surname + "家" + rng.choice(_VILLAGE_SUFFIX) + "村"
    if pattern < 0.85:
        return rng.choice(_DIRECTIONS) + place_base(rng) + "村"
    return place_base(rng) + "村"


def unique(rng: random.Random, make, taken: set[str], *args) -> str:
    """Draw names from ``make(rng, *args)`` until one is not in ``taken``; record and return it.

    After many collisions a numbered variant (一村, 二村 …) keeps the name readable."""
    for _ in range(50):
        name = make(rng, *args)
        if name not in taken:
            taken.add(name)
            return name
    base = make(rng, *args)
    for i in range(2, 1000):
        name = f"{base[:-1]}{i}{base[-1]}" if not base.endswith("街道") else f"{base[:-2]}{i}街道"
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("ran out of names")  # unreachable at city scale


def person_name(rng: random.Random) -> str:
    surname = rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM)[0]
    given = rng.choice(_GIVEN)
    if rng.random() < 0.7:
        given += rng.choice(_GIVEN)
    return surname + given


def masked_phone(rng: random.Random) -> str:
    """A fake mobile number with the middle digits masked, e.g. 138****1234."""
    return f"{rng.choice(_PHONE_PREFIXES)}****{rng.randrange(10000):04d}"
