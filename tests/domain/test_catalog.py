"""The category catalog: the shipped data and the loader's validation."""

from __future__ import annotations

import pytest

from domain.catalog import Catalog, CatalogError, Category, Department, load_catalog, parse_catalog
from domain.model import ClockKind, SlaLimit, Urgency

NH, WH, WD = ClockKind.NATURAL_HOURS, ClockKind.WORKING_HOURS, ClockKind.WORKING_DAYS

GOOD = """
[[department]]
code = "cg"
name = "城管"
kind = "government"

[[department]]
code = "wy"
name = "物业公司"
kind = "property"

[[class]]
code = "01"
name = "市容环境"

  [[class.item]]
  code = "01001"
  name = "暴露垃圾"
  department = "cg"
  normal   = { kind = "working_days",  amount = 1 }
  urgent   = { kind = "working_hours", amount = 4 }
  critical = { kind = "natural_hours", amount = 2 }

  [[class.item]]
  code = "01002"
  name = "垃圾满溢"
  department = "wy"
  normal   = { kind = "working_hours", amount = 4 }
  urgent   = { kind = "working_hours", amount = 2 }
  critical = { kind = "natural_hours", amount = 0.5 }

[[class]]
code = "02"
name = "街面秩序"

  [[class.item]]
  code = "02001"
  name = "占道经营"
  department = "cg"
  normal   = { kind = "working_hours", amount = 2 }
  urgent   = { kind = "natural_hours", amount = 1 }
  critical = { kind = "natural_hours", amount = 0.5 }
"""


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog()


# -- the shipped catalog -------------------------------------------------------------


def test_shipped_catalog_has_the_fused_departments_and_handlers(shipped):
    names = {d.name for d in shipped.departments.values()}
    fused = {"城管", "住建", "市政园林", "公安", "消防", "交通", "卫健", "民政", "人社", "市场监管", "生态环境"}
    assert fused <= names
    kinds = {d.kind for d in shipped.departments.values()}
    assert kinds == {"government", "property", "social"}
    assert shipped.department("cg") == Department(code="cg", name="城管", kind="government")


def test_shipped_catalog_size_and_classes(shipped):
    assert len(shipped.classes) >= 8
    assert len(shipped.categories) >= 40
    wanted = {"市容环境", "街面秩序", "公共设施", "施工管理", "安全隐患", "矛盾纠纷", "民生服务", "突发事件", "生态环境", "市场监管"}
    assert wanted <= set(shipped.classes.values())
    for class_code in shipped.classes:
        assert shipped.items_of(class_code), class_code


def _by_name(catalog: Catalog, name: str) -> Category:
    matches = [c for c in catalog.categories.values() if c.name == name]
    assert len(matches) == 1, name
    return matches[0]


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("暴露垃圾", SlaLimit(WD, 1)),
        ("垃圾满溢", SlaLimit(WH, 4)),
        ("占道经营", SlaLimit(WH, 2)),
        ("消防通道堵塞", SlaLimit(NH, 1)),
        ("井盖缺失", SlaLimit(NH, 2)),
        ("路灯损坏", SlaLimit(WD, 2)),
        ("道路破损", SlaLimit(WD, 5)),
        ("夜间施工噪音", SlaLimit(NH, 1)),
        ("工地扬尘", SlaLimit(WH, 4)),
        ("高空坠物隐患", SlaLimit(NH, 2)),
        ("危房", SlaLimit(NH, 2)),
        ("楼道电动车充电", SlaLimit(WH, 4)),
        ("邻里纠纷", SlaLimit(WD, 3)),
        ("劳资纠纷", SlaLimit(WD, 5)),
        ("特殊人群需帮扶", SlaLimit(NH, 1)),
        ("代办服务", SlaLimit(WD, 3)),
    ],
)
def test_shipped_normal_limits_follow_the_brief(shipped, name, limit):
    assert _by_name(shipped, name).limits[Urgency.NORMAL] == limit


def test_scenario_items_exist(shipped):
    for name in ("电梯困人", "水管冻裂", "冰面安全巡查", "道路积水内涝", "危房", "人员聚集", "占道经营", "噪音扰民"):
        _by_name(shipped, name)
    trapped = _by_name(shipped, "电梯困人")
    assert all(limit.kind is NH and limit.amount <= 0.5 for limit in trapped.limits.values())


def test_emergencies_are_immediate(shipped):
    class_code = next(code for code, name in shipped.classes.items() if name == "突发事件")
    for item in shipped.items_of(class_code):
        assert item.limits[Urgency.NORMAL] == SlaLimit(NH, 0.5), item.name


def test_urgent_and_critical_natural_limits_are_never_longer(shipped):
    # Where two urgencies use natural hours, the more urgent one must not be longer.
    order = [Urgency.NORMAL, Urgency.URGENT, Urgency.CRITICAL]
    for item in shipped.categories.values():
        for a, b in zip(order, order[1:]):
            la, lb = item.limits[a], item.limits[b]
            if la.kind == lb.kind:
                assert lb.amount <= la.amount, (item.code, item.name)


def test_every_item_is_well_formed(shipped):
    for code, item in shipped.categories.items():
        assert code == item.code and len(code) == 5 and code.startswith(item.class_code)
        assert item.class_name == shipped.classes[item.class_code]
        assert set(item.limits) == set(Urgency)
        assert item.default_department in shipped.departments


# -- lookups -------------------------------------------------------------------------


def test_lookups():
    catalog = parse_catalog(GOOD, "good.toml")
    assert catalog.classes == {"01": "市容环境", "02": "街面秩序"}
    assert catalog.limit("01001", Urgency.URGENT) == SlaLimit(WH, 4)
    assert catalog.limit("01002", "critical") == SlaLimit(NH, 0.5)
    assert [c.code for c in catalog.items_of("01")] == ["01001", "01002"]
    assert catalog.category("02001").class_name == "街面秩序"
    assert catalog.category("01002").default_department == "wy"
    assert catalog.department("wy").kind == "property"


def test_lookup_errors():
    catalog = parse_catalog(GOOD, "good.toml")
    with pytest.raises(CatalogError, match="unknown category 12345"):
        catalog.category("12345")
    with pytest.raises(CatalogError, match="unknown category 99999"):
        catalog.limit("99999", Urgency.NORMAL)
    with pytest.raises(CatalogError, match="unknown urgency 'asap'"):
        catalog.limit("01001", "asap")
    with pytest.raises(CatalogError, match="unknown department xx"):
        catalog.department("xx")
    with pytest.raises(CatalogError, match="unknown category class 77"):
        catalog.items_of("77")


# -- loader --------------------------------------------------------------------------


def test_load_catalog_from_a_path(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert set(load_catalog(path).categories) == {"01001", "01002", "02001"}
    assert set(load_catalog(str(path)).departments) == {"cg", "wy"}


def test_load_catalog_missing_file(tmp_path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(CatalogError, match=r"nope\.toml: cannot read catalog"):
        load_catalog(missing)


def _broken(old: str, new: str, count: int = 1) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, count)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[class]\n", r"bad\.toml: invalid TOML"),
        (GOOD + "\n[extra]\nx = 1\n", r"the top level: unknown key 'extra'"),
        (_broken('code = "cg"', 'code = "CG"'), r"department #1: code 'CG' must be lowercase ASCII"),
        (_broken('code = "wy"', 'code = "cg"'), r"department cg: duplicate department code cg"),
        (_broken('name = "城管"', 'name = "  "'), r"department cg: name must be a non-empty string"),
        (_broken('kind = "property"', 'kind = "ngo"'), r"department wy \(物业公司\): kind 'ngo' must be one of"),
        (_broken('kind = "property"', 'kind = "property"\nphone = "110"'), r"department #2: unknown key 'phone'"),
        (_broken('code = "01"', 'code = "1"'), r"class #1: code '1' must be 2 digits"),
        (_broken('code = "02"', 'code = "01"'), r"class 01: duplicate class code 01"),
        (_broken('name = "街面秩序"', 'name = ""'), r"class 02: name must be a non-empty string"),
        (GOOD + '\n[[class]]\ncode = "03"\nname = "公共设施"\n', r"class 03 \(公共设施\) has no items"),
        (_broken('code = "01001"', 'code = "0101"'), r"class 01, item #1: code '0101' must be 5 digits"),
        (_broken('code = "01001"', 'code = "0100a"'), r"class 01, item #1: code '0100a' must be 5 digits"),
        (_broken('code = "02001"', 'code = "01001"'), r"item 01001: code must start with its class code 02"),
        (_broken('code = "01002"', 'code = "01001"'), r"item 01001: duplicate item code 01001"),
        (_broken('name = "暴露垃圾"', 'name = 5'), r"item 01001: name must be a non-empty string, got 5"),
        (_broken('department = "wy"', 'department = "jd"'), r"item 01002 \(垃圾满溢\): unknown department 'jd'"),
        (_broken('department = "wy"\n', ""), r"item 01002 \(垃圾满溢\): missing default department"),
        (
            _broken('  urgent   = { kind = "working_hours", amount = 4 }\n', ""),
            r"item 01001 \(暴露垃圾\): missing the urgent limit",
        ),
        (
            _broken('kind = "working_days",  amount = 1', 'kind = "workdays", amount = 1'),
            r"item 01001 \(暴露垃圾\): normal limit has unknown clock kind 'workdays'",
        ),
        (
            _broken('kind = "natural_hours", amount = 2', 'kind = "natural_hours", amount = 0'),
            r"item 01001 \(暴露垃圾\): critical limit amount must be > 0, got 0",
        ),
        (
            _broken('kind = "natural_hours", amount = 2', 'kind = "natural_hours", amount = -1.5'),
            r"critical limit amount must be > 0, got -1.5",
        ),
        (
            _broken('kind = "natural_hours", amount = 2', 'kind = "natural_hours", amount = nan'),
            r"critical limit amount must be > 0, got nan",
        ),
        (
            _broken('kind = "natural_hours", amount = 2', 'kind = "natural_hours", amount = "2"'),
            r"critical limit amount must be a number, got '2'",
        ),
        (_broken('critical = { kind = "natural_hours", amount = 2 }', 'critical = 2'), r"critical limit must be a table"),
        (
            _broken('amount = 2 }', 'amount = 2, unit = "h" }'),
            r"item 01001 \(暴露垃圾\), critical limit: unknown key 'unit'",
        ),
        (_broken('name = "暴露垃圾"', 'name = "暴露垃圾"\npriority = 1'), r"item #1: unknown key 'priority'"),
        ("[[class]]\ncode = \"01\"\nname = \"x\"\n", r"no \[\[department\]\] entries"),
        (GOOD.split("[[class]]")[0], r"no \[\[class\]\] entries"),
        ("department = 3\n", r"'department' must be an array of tables"),
    ],
)
def test_bad_catalog_data_is_named_precisely(text, message):
    with pytest.raises(CatalogError, match=message) as info:
        parse_catalog(text, "bad.toml")
    assert str(info.value).startswith("bad.toml: ")
