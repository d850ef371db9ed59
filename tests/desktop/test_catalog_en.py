"""English names for the catalog: every department, class and item has one; shown in English."""

from __future__ import annotations

from desktop.directory import Directory, english_names
from domain.rules import default_rules


def test_every_catalog_code_has_an_english_name():
    catalog = default_rules().catalog
    names = english_names()
    assert set(names["department"]) == set(catalog.departments)
    assert set(names["kind"]) == {kind for kind, _ in catalog.kinds()}
    assert set(names["class"]) == set(catalog.classes)
    assert set(names["category"]) == set(catalog.categories)  # retired codes too: old cases show a name
    conditions = {c.code for item in catalog.categories.values() for c in item.conditions}
    assert conditions and set(names["condition"]) == conditions
    assert all(name and name.isascii() for group in names.values() for name in group.values())


def test_an_old_case_under_a_retired_code_shows_its_name():
    catalog = default_rules().catalog
    english = Directory([], catalog.departments.values(), catalog, "", english=True)
    chinese = Directory([], catalog.departments.values(), catalog, "", english=False)
    assert chinese.category_name("01004") == "违规张贴小广告" and english.category_name("01004") == "Illegal flyers"
    assert chinese.category_group("01004") == "事件 / 宣传广告"  # where the item went
    assert english.category_group("10103") == "Component / Public Utilities"
    assert chinese.condition_name("10103", "1010302") == "破损面积超过 25 平方厘米"
    assert english.condition_name("10103", "1010302") == "Broken over more than 25 cm2"
    # an old store without the new departments still names them
    old_store = Directory([], [d for d in catalog.departments.values() if d.code != "yjgl"], catalog, "",
                          english=False)
    assert old_store.department_name("yjgl") == "应急管理"


def test_directory_shows_english_names_in_english_and_chinese_otherwise():
    catalog = default_rules().catalog
    english = Directory([], catalog.departments.values(), catalog, "", english=True)
    chinese = Directory([], catalog.departments.values(), catalog, "", english=False)
    assert english.category_name("10103") == "Storm drain manhole cover"
    assert english.department_name("cg") == "Urban Management"
    assert ("cg", "Urban Management") in english.department_choices()
    assert chinese.category_name("10103") == catalog.categories["10103"].name
    assert chinese.department_name("cg") == "城管"


def test_dispatch_dialog_says_deadline_once(qtbot):
    import time

    from desktop.console.actions import deadline_text
    from tests.backend_client.factories import make_case

    rules = default_rules()
    text = deadline_text(make_case(1, category="10103"), rules, time.time())
    assert "Deadline" not in text and text[:2].isdigit()


def test_owner_names_cover_every_level_from_province_to_grid():
    from domain.city import NodeInfo

    catalog = default_rules().catalog
    chain = [("37", "山东省"), ("3702", "青岛市"), ("370202", "市南区"), ("370202001", "香港中路街道"),
             ("370202001001", "浮山所社区")]
    nodes = [NodeInfo(code=c, name=n, level=i, parent=chain[i - 1][0] if i else None)
             for i, (c, n) in enumerate(chain)]
    chinese = Directory(nodes, [], catalog, "", english=False)
    english = Directory(nodes, [], catalog, "", english=True)
    assert chinese.owner_name("370202001001") == "浮山所社区 网格长"
    assert english.owner_name("370202001001") == "浮山所社区 grid head"
    assert chinese.owner_name("37") == "山东省 省级平台"
    assert chinese.owner_name("x") == "x"
