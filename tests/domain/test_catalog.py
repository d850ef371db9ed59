"""The category catalog: the shipped data and the loader's validation."""

from __future__ import annotations

import pytest

from domain.catalog import DEPARTMENT_KINDS, Catalog, CatalogError, Category, Department, load_catalog, parse_catalog
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
code = "201"
name = "市容环境"
kind = "event"

  [[class.item]]
  code = "20101"
  name = "暴露垃圾"
  department = "cg"
  normal   = { kind = "working_days",  amount = 1 }
  urgent   = { kind = "working_hours", amount = 4 }
  critical = { kind = "natural_hours", amount = 2 }

    [[class.item.condition]]
    code = "2010101"
    filing = "成堆暴露垃圾"
    closing = "清理干净"

    [[class.item.condition]]
    code = "2010102"
    filing = "垃圾散落车行道"
    closing = "清理干净"
    handle = { kind = "working_hours", amount = 2 }

  [[class.item]]
  code = "20102"
  name = "垃圾满溢"
  department = "wy"
  normal   = { kind = "working_hours", amount = 4 }
  urgent   = { kind = "working_hours", amount = 2 }
  critical = { kind = "natural_hours", amount = 0.5 }
  accept   = { kind = "natural_hours", amount = 0.5 }
  verify   = { kind = "working_hours", amount = 2 }

[[class]]
code = "101"
name = "公用设施"
kind = "component"

  [[class.item]]
  code = "10101"
  name = "井盖"
  department = "cg"
  normal   = { kind = "working_hours", amount = 2 }
  urgent   = { kind = "natural_hours", amount = 1 }
  critical = { kind = "natural_hours", amount = 0.5 }

[[retired]]
code = "01001"
name = "暴露垃圾（旧）"
replaced_by = "20101"

[[retired]]
code = "05004"
name = "冰面安全巡查"
note = "grid work"
class = "201"
department = "cg"
normal   = { kind = "natural_hours", amount = 2 }
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
    # the departments the catalog's own items need (issue 14): natural hazards, utilities, disputes, termites
    assert {"应急管理", "供水公司", "燃气公司", "司法所", "人民调解员", "白蚁防治所"} <= names
    kinds = {d.kind for d in shipped.departments.values()}
    assert kinds == {"government", "property", "social", "utility"}
    assert shipped.department("cg") == Department(code="cg", name="城管", kind="government")
    used = {c.default_department for c in shipped.active()}
    assert used == set(shipped.departments), set(shipped.departments) - used  # no department without work


def test_shipped_catalog_has_the_standards_kinds_and_classes(shipped):
    assert shipped.kinds() == [("component", "部件"), ("event", "事件")]
    assert [name for _, name in shipped.classes_of("component")] == \
        ["公用设施", "道路交通", "市容环境", "园林绿化", "房屋土地", "其他设施"]
    events = dict(shipped.classes_of("event"))
    assert [events[c] for c in ("201", "202", "203", "204", "205")] == \
        ["市容环境", "宣传广告", "施工管理", "突发事件", "街面秩序"]
    assert {"矛盾纠纷", "社会治安", "民生服务", "安全隐患", "生态环境", "市场监管"} <= set(events.values())
    for class_code in shipped.classes:
        assert shipped.items_of(class_code, retired=False), class_code
        digit = "1" if shipped.kind_of(class_code) == "component" else "2"
        assert class_code.startswith(digit)
    assert len(shipped.active()) >= 80


def test_fixes_the_issue_names(shipped):
    flyers = _by_name(shipped, "非法小广告")
    assert flyers.class_name == "宣传广告" and flyers.kind == "event"
    termites = _by_name(shipped, "白蚁危害")
    assert shipped.department(termites.default_department).name == "白蚁防治所"
    assert _by_name(shipped, "自然灾害险情").default_department == "yjgl"
    assert _by_name(shipped, "燃气管道破裂").default_department == "rq"
    assert _by_name(shipped, "自来水管破裂").default_department == "gs"
    assert _by_name(shipped, "邻里纠纷").default_department == "tjy"
    assert _by_name(shipped, "其他民间纠纷").default_department == "sfs"
    cover = _by_name(shipped, "雨水井盖")
    assert cover.kind == "component" and cover.class_name == "公用设施"


def test_work_tasks_are_retired_and_never_active(shipped):
    active = {c.name for c in shipped.active()}
    assert not {"冰面安全巡查", "独居老人探访"} & active
    for code in ("05004", "07003"):
        assert shipped.category(code).retired and shipped.category(code).replaced_by is None


def test_manhole_covers_have_four_conditions_with_four_limits(shipped):
    for name in ("上水井盖", "污水井盖", "雨水井盖", "燃气井盖", "不明井盖"):
        item = _by_name(shipped, name)
        conditions = shipped.conditions_of(item.code)
        assert len(conditions) == 4, name
        assert [c.handle for c in conditions] == [SlaLimit(NH, 2), SlaLimit(WH, 4), SlaLimit(WD, 2), SlaLimit(WD, 5)]
        assert all(c.filing and c.closing and c.code.startswith(item.code) for c in conditions)
    grate = _by_name(shipped, "雨水箅子")
    assert len(grate.conditions) == 5 and "堵塞" in grate.conditions[-1].filing


def test_common_items_have_conditions(shipped):
    for name in ("路灯", "交通标志牌", "雨水箅子", "消防栓", "暴露垃圾", "乱堆物堆料", "占道经营", "非法小广告"):
        assert _by_name(shipped, name).conditions, name


def test_a_condition_sets_the_handle_limit_and_the_steps_default(shipped):
    cover = _by_name(shipped, "雨水井盖")
    broken = cover.conditions[1]
    limits = shipped.stage_limits(cover.code, "normal", broken.code)
    assert limits.handle == SlaLimit(WH, 4)
    assert (limits.accept, limits.dispatch, limits.verify) == (SlaLimit(NH, 0.25), SlaLimit(NH, 0.25), SlaLimit(NH, 0.5))
    assert shipped.stage_limits(cover.code, "urgent").handle == SlaLimit(NH, 1)  # no condition: per urgency
    with pytest.raises(CatalogError, match="has no condition 2010201"):
        shipped.stage_limits(cover.code, "normal", "2010201")


def test_every_old_code_is_a_retired_alias_that_resolves(shipped):
    old = [c for c in shipped.categories.values() if c.retired]
    assert len(old) == 64  # every code of the layout before the standard's codes
    for alias in old:
        assert alias.retired and alias.name
        if alias.replaced_by is not None:
            new = shipped.current(alias.code)
            assert not new.retired and new.code == alias.replaced_by
            assert alias.limits == new.limits and alias.default_department == new.default_department
            assert alias.class_code == new.class_code and alias.kind == new.kind
    assert shipped.category("01004").name == "违规张贴小广告"  # an old case keeps its name
    assert shipped.current("01004").name == "非法小广告"
    assert shipped.current("20201").code == "20201"


def _by_name(catalog: Catalog, name: str) -> Category:
    matches = [c for c in catalog.active() if c.name == name]
    assert len(matches) == 1, name
    return matches[0]


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("暴露垃圾", SlaLimit(WD, 1)),
        ("垃圾满溢", SlaLimit(WH, 4)),
        ("占道经营", SlaLimit(WH, 2)),
        ("消防通道堵塞", SlaLimit(NH, 1)),
        ("雨水井盖", SlaLimit(NH, 2)),
        ("路灯", SlaLimit(WD, 2)),
        ("道路破损", SlaLimit(WD, 5)),
        ("施工扰民", SlaLimit(NH, 1)),
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
    for name in ("电梯困人", "自来水管破裂", "道路积水内涝", "危房", "人员聚集", "占道经营", "噪音扰民"):
        _by_name(shipped, name)
    trapped = _by_name(shipped, "电梯困人")
    assert all(limit.kind is NH and limit.amount <= 0.5 for limit in trapped.limits.values())


def test_emergencies_run_day_and_night(shipped):
    class_code = next(code for code, name in shipped.classes.items() if name == "突发事件")
    for item in shipped.items_of(class_code, retired=False):
        assert all(limit.kind is NH for limit in item.limits.values()), item.name
        assert item.limits[Urgency.CRITICAL].amount <= 1, item.name


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
        assert code == item.code and len(code) == 5
        assert item.retired or code.startswith(item.class_code)
        assert item.class_name == shipped.classes[item.class_code]
        assert item.kind == shipped.kind_of(item.class_code)
        assert set(item.limits) == set(Urgency)
        assert item.default_department in shipped.departments
        assert len({c.code for c in item.conditions}) == len(item.conditions)


# -- lookups -------------------------------------------------------------------------


def test_lookups():
    catalog = parse_catalog(GOOD, "good.toml")
    assert catalog.classes == {"201": "市容环境", "101": "公用设施"}
    assert catalog.limit("20101", Urgency.URGENT) == SlaLimit(WH, 4)
    assert catalog.limit("20102", "critical") == SlaLimit(NH, 0.5)
    assert [c.code for c in catalog.items_of("201")] == ["01001", "05004", "20101", "20102"]
    assert [c.code for c in catalog.items_of("201", retired=False)] == ["20101", "20102"]
    assert catalog.category("10101").class_name == "公用设施"
    assert catalog.category("20102").default_department == "wy"
    assert catalog.department("wy").kind == "property"
    assert catalog.kinds() == [("component", "部件"), ("event", "事件")]
    assert catalog.classes_of("component") == [("101", "公用设施")]
    assert catalog.kind_of("10101") == "component" and catalog.kind_of("201") == "event"
    assert [c.code for c in catalog.active()] == ["10101", "20101", "20102"]


def test_step_limits_default_and_override():
    catalog = parse_catalog(GOOD, "good.toml")
    plain = catalog.stage_limits("20101", "normal")
    assert (plain.accept, plain.dispatch, plain.verify) == (SlaLimit(NH, 0.25), SlaLimit(NH, 0.25), SlaLimit(NH, 0.5))
    assert plain.handle == SlaLimit(WD, 1)
    own = catalog.stage_limits("20102", "urgent")
    assert (own.accept, own.dispatch, own.verify) == (SlaLimit(NH, 0.5), SlaLimit(NH, 0.25), SlaLimit(WH, 2))
    assert catalog.stage_limits("20101", "normal", "2010102").handle == SlaLimit(WH, 2)
    assert catalog.stage_limits("20101", "urgent", "2010101").handle == SlaLimit(WH, 4)  # no own limit


def test_conditions_and_search():
    catalog = parse_catalog(GOOD, "good.toml")
    assert [c.code for c in catalog.conditions_of("20101")] == ["2010101", "2010102"]
    assert catalog.condition("20101", "2010101").closing == "清理干净"
    assert catalog.conditions_of("10101") == ()
    assert [c.code for c in catalog.search("垃圾")] == ["20102", "20101"]  # name prefix before substring
    assert [c.code for c in catalog.search("满溢")] == ["20102"]
    assert [c.code for c in catalog.search("201")] == ["20101", "20102"]  # by code prefix
    assert [c.code for c in catalog.search("车行道")] == ["20101"]  # by a condition's text
    assert [c.code for c in catalog.search("公用")] == ["10101"]  # by class name
    assert [c.code for c in catalog.search("冰面")] == []  # retired: not offered
    assert [c.code for c in catalog.search("冰面", retired=True)] == ["05004"]
    assert len(catalog.search("")) == 3


def test_retired_aliases_resolve():
    catalog = parse_catalog(GOOD, "good.toml")
    alias = catalog.category("01001")
    assert alias.retired and alias.replaced_by == "20101" and alias.name == "暴露垃圾（旧）"
    assert alias.limits == catalog.category("20101").limits and alias.class_code == "201"
    assert catalog.current("01001").code == "20101"
    own = catalog.category("05004")
    assert own.retired and own.replaced_by is None and own.limits[Urgency.NORMAL] == SlaLimit(NH, 2)
    assert catalog.current("05004") is own


def test_lookup_errors():
    catalog = parse_catalog(GOOD, "good.toml")
    with pytest.raises(CatalogError, match="unknown category 12345"):
        catalog.category("12345")
    with pytest.raises(CatalogError, match="unknown category 99999"):
        catalog.limit("99999", Urgency.NORMAL)
    with pytest.raises(CatalogError, match="unknown urgency 'asap'"):
        catalog.limit("20101", "asap")
    with pytest.raises(CatalogError, match="unknown department xx"):
        catalog.department("xx")
    with pytest.raises(CatalogError, match="unknown category class 77"):
        catalog.items_of("77")
    with pytest.raises(CatalogError, match="unknown kind 'thing'"):
        catalog.classes_of("thing")
    with pytest.raises(CatalogError, match="item 10101 has no condition 1010101"):
        catalog.condition("10101", "1010101")


# -- loader --------------------------------------------------------------------------


def test_load_catalog_from_a_path(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert set(load_catalog(path).categories) == {"20101", "20102", "10101", "01001", "05004"}
    assert set(load_catalog(str(path)).departments) == {"cg", "wy"}


def test_load_catalog_missing_file(tmp_path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(CatalogError, match=r"nope\.toml: cannot read catalog"):
        load_catalog(missing)


def _broken(old: str, new: str, count: int = 1) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, count)


_COND = '    code = "2010102"\n'
_RETIRED = '[[retired]]\ncode = "01001"\nname = "暴露垃圾（旧）"\nreplaced_by = "20101"\n'


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
        (_broken('code = "201"', 'code = "01"'), r"class #1: code '01' must be 3 digits"),
        (_broken('code = "101"', 'code = "201"'), r"class 201: duplicate class code 201"),
        (_broken('name = "公用设施"', 'name = ""'), r"class 101: name must be a non-empty string"),
        (_broken('kind = "component"', 'kind = "thing"'), r"class 101 \(公用设施\): kind 'thing' must be one of"),
        (_broken('kind = "component"\n', ""), r"class 101 \(公用设施\): kind None must be one of"),
        (_broken('kind = "event"\n', 'kind = "component"\n'),
         r"class 201 \(市容环境\): a component class code must start with 1"),
        (GOOD + '\n[[class]]\ncode = "103"\nname = "市容"\nkind = "component"\n', r"class 103 \(市容\) has no items"),
        (_broken('code = "20101"', 'code = "2011"'), r"class 201, item #1: code '2011' must be 5 digits"),
        (_broken('code = "20101"', 'code = "2010a"'), r"class 201, item #1: code '2010a' must be 5 digits"),
        (_broken('code = "10101"', 'code = "20103"'), r"item 20103: code must start with its class code 101"),
        (_broken('code = "20102"', 'code = "20101"'), r"item 20101: duplicate item code 20101"),
        (_broken('name = "暴露垃圾"', 'name = 5'), r"item 20101: name must be a non-empty string, got 5"),
        (_broken('department = "wy"', 'department = "jd"'), r"item 20102 \(垃圾满溢\): unknown department 'jd'"),
        (_broken('department = "wy"\n', ""), r"item 20102 \(垃圾满溢\): missing default department"),
        (_broken('department = "wy"\n', 'department = "wy"\nretired = "yes"\n'),
         r"item 20102 \(垃圾满溢\): retired must be true or false, got 'yes'"),
        (
            _broken('  urgent   = { kind = "working_hours", amount = 4 }\n', ""),
            r"item 20101 \(暴露垃圾\): missing the urgent limit",
        ),
        (
            _broken('kind = "working_days",  amount = 1', 'kind = "workdays", amount = 1'),
            r"item 20101 \(暴露垃圾\): normal limit has unknown clock kind 'workdays'",
        ),
        (
            _broken('kind = "natural_hours", amount = 2', 'kind = "natural_hours", amount = 0'),
            r"item 20101 \(暴露垃圾\): critical limit amount must be > 0, got 0",
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
            r"item 20101 \(暴露垃圾\), critical limit: unknown key 'unit'",
        ),
        (_broken('name = "暴露垃圾"', 'name = "暴露垃圾"\npriority = 1'), r"item #1: unknown key 'priority'"),
        # step limits
        (_broken('accept   = { kind = "natural_hours", amount = 0.5 }', 'accept = { kind = "minutes", amount = 15 }'),
         r"item 20102 \(垃圾满溢\): accept limit has unknown clock kind 'minutes'"),
        (_broken('verify   = { kind = "working_hours", amount = 2 }', 'verify = { kind = "working_hours", amount = 0 }'),
         r"item 20102 \(垃圾满溢\): verify limit amount must be > 0, got 0"),
        (_broken('accept   = { kind = "natural_hours", amount = 0.5 }', 'dispatch = 15'),
         r"item 20102 \(垃圾满溢\): dispatch limit must be a table"),
        # conditions
        (_broken(_COND, '    code = "201011"\n'), r"item 20101 \(暴露垃圾\), condition #2: code '201011' must be 7 digits"),
        (_broken(_COND, '    code = "2010201"\n'),
         r"item 20101 \(暴露垃圾\), condition 2010201: code must start with its item code 20101"),
        (_broken(_COND, '    code = "2010101"\n'), r"condition 2010101: duplicate condition code 2010101"),
        (_broken(_COND, ""), r"item 20101 \(暴露垃圾\), condition #2: missing code"),
        (_broken('filing = "垃圾散落车行道"', 'filing = " "'),
         r"condition 2010102: filing \(立案条件\) must be a non-empty string, got ' '"),
        (_broken('filing = "垃圾散落车行道"\n', ""), r"condition 2010102: filing \(立案条件\) must be a non-empty string, got None"),
        (_broken('closing = "清理干净"', 'closing = 3'), r"condition 2010101: closing \(结案条件\) must be a string, got 3"),
        (_broken('handle = { kind = "working_hours", amount = 2 }', 'handle = { kind = "working_hours", amount = -2 }'),
         r"item 20101 \(暴露垃圾\), condition 2010102: handle limit amount must be > 0, got -2"),
        (_broken('handle = { kind = "working_hours", amount = 2 }', 'handle = "2h"'),
         r"condition 2010102: handle limit must be a table"),
        (_broken('closing = "清理干净"', 'closing = "清理干净"\nphoto = true'), r"condition #1: unknown key 'photo'"),
        (_broken('  name = "井盖"\n', '  name = "井盖"\n  condition = 3\n'), r"item 10101 \(井盖\): 'condition' must be an array of tables"),
        # retired codes
        (_broken('replaced_by = "20101"', 'replaced_by = "20109"'),
         r"retired 01001 \(暴露垃圾（旧）\): replaced_by '20109' is not an item of the catalog"),
        (_broken('replaced_by = "20101"', 'replaced_by = "05004"'),
         r"retired 01001 \(暴露垃圾（旧）\): replaced_by '05004' is not an item of the catalog"),
        (GOOD + _RETIRED.replace('"01001"', '"01002"').replace('"20101"', '"01001"'),
         r"retired 01002 \(暴露垃圾（旧）\): replaced_by 01001 is itself retired"),
        (_broken('replaced_by = "20101"', 'replaced_by = "20101"\ndepartment = "cg"'),
         r"retired 01001 \(暴露垃圾（旧）\): 'department' cannot be given with replaced_by"),
        (_broken('replaced_by = "20101"\n', ""),
         r"retired 01001 \(暴露垃圾（旧）\): needs replaced_by, or its own class, department and limits"),
        (_broken('code = "01001"', 'code = "20102"'), r"retired 20102: code 20102 is already an item of the catalog"),
        (GOOD + _RETIRED, r"retired 01001: code 01001 is already an item of the catalog"),
        (_broken('code = "01001"', 'code = "1001"'), r"retired #1: code '1001' must be 5 digits"),
        (_broken('class = "201"', 'class = "202"'), r"retired 05004 \(冰面安全巡查\): unknown class '202'"),
        (_broken('note = "grid work"', 'note = 1'), r"retired 05004 \(冰面安全巡查\): note must be a string, got 1"),
        (_broken('note = "grid work"', 'note = "grid work"\nurgency = "x"'), r"retired #2: unknown key 'urgency'"),
        (_broken('class = "201"\ndepartment = "cg"', 'class = "201"'),
         r"retired 05004 \(冰面安全巡查\): missing default department"),
        ('[[department]]\ncode = "cg"\nname = "x"\nkind = "government"\n[[class]]\ncode = "201"\nname = "x"\n'
         'kind = "event"\n[[class.item]]\ncode = "20101"\nname = "x"\ndepartment = "cg"\n'
         'normal = { kind = "natural_hours", amount = 1 }\nurgent = { kind = "natural_hours", amount = 1 }\n'
         'critical = { kind = "natural_hours", amount = 1 }\nretired = 3\n',
         r"item 20101 \(x\): retired must be true or false, got 3"),
        ("retired = 3\n", r"'department' must be an array of tables|'retired' must be an array of tables|no \[\[department"),
        ("[[class]]\ncode = \"201\"\nname = \"x\"\n", r"no \[\[department\]\] entries"),
        (GOOD.split("[[class]]")[0], r"no \[\[class\]\] entries"),
        ("department = 3\n", r"'department' must be an array of tables"),
    ],
)
def test_bad_catalog_data_is_named_precisely(text, message):
    with pytest.raises(CatalogError, match=message) as info:
        parse_catalog(text, "bad.toml")
    assert str(info.value).startswith("bad.toml: ")


def test_protocol_doc_examples_use_active_codes(shipped):
    import json
    import pathlib
    import re

    doc = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")
    codes = re.findall(r'"category": "([0-9]{5})"', doc)
    assert codes
    for code in codes:
        assert not shipped.category(code).retired, code
    for cond in re.findall(r'"category": "([0-9]{5})", "condition": "([0-9]{7})"', doc):
        shipped.condition(*cond)
    for example in re.findall(r"```json\n(.*?)```", doc, flags=re.S):
        for dept in json.loads(example).get("departments", []):
            assert dept["kind"] in DEPARTMENT_KINDS and dept["code"] in shipped.departments
