"""CaseDetail: every field labelled, timeline, portrait, buttons enabled exactly as allowed."""

from __future__ import annotations

import msgspec
import pytest
from PySide6.QtCore import Qt

from domain.city import GridPortrait
from domain.model import Action, Case, ClockKind, SlaLimit, State, Supervision
from tests.widgets.list_source import T0, make_case, small_city
from widgets.common.names import MappingNames
from widgets.console.case_detail import BUTTON_ACTIONS, FIELD_LABELS, CaseDetail


@pytest.fixture
def detail(qtbot):
    names = MappingNames({"20102": "暴露垃圾"}, small_city(), {"D01": "城管"}, path_from="370203")
    widget = CaseDetail(names)
    qtbot.addWidget(widget)
    return widget


def full_case() -> Case:
    return make_case(
        "E20250101-0001",
        state=State.IN_PROGRESS,
        description="小区门口垃圾堆积",
        address="延安路 100 号",
        department="D01",
        dispatched_at=T0 + 60,
        sla_limit=SlaLimit(ClockKind.WORKING_HOURS, 4),
        deadline=T0 + 4 * 3600,
        extension_count=1,
        urge_count=1,
        urge_times=(T0 + 600,),
        supervision=Supervision(
            level=1, reason="群众多次反映", due=T0 + 86400, by="s1", at=T0, reply="已安排"
        ),
        closed_on_time=False,
    )


def test_every_case_field_has_a_labelled_row(detail):
    assert set(detail.field_values) == set(Case.__struct_fields__)
    unlabelled = set(Case.__struct_fields__) - set(FIELD_LABELS)
    assert not unlabelled, f"Case fields without a label in widgets.console.case_detail.FIELD_LABELS: {unlabelled}"
    detail.set_case(full_case())
    text = {field: label.text() for field, label in detail.field_values.items()}
    assert text["id"] == "E20250101-0001"
    assert text["state"] == "In progress"
    assert text["category"] == "暴露垃圾"  # names, not codes (the code is in the tooltip)
    assert detail.field_values["category"].toolTip() == "20102"
    assert text["node"] == "市北区 / 第1街道 / 第1-1社区 / 第1-1-1网格"
    assert text["department"] == "城管"
    assert text["reported_at"] == "2025-01-01 10:53:20"
    assert text["sla_limit"] == "4 working hours"
    detail.set_case(msgspec.structs.replace(full_case(), sla_remaining=0.533415))  # 挂账 with time left
    assert detail.field_values["sla_remaining"].text() == "0.5 working hours"
    detail.set_case(msgspec.structs.replace(full_case(), sla_remaining=0.012))
    assert detail.field_values["sla_remaining"].text() == "0.01 working hours"
    detail.set_case(full_case())
    assert text["extension_count"] == "1 of 2"
    assert text["urge_times"] == "11:03"
    assert text["supervision"].startswith("Level 1 · due 2025-01-02 10:53 · 群众多次反映")
    assert text["supervision"].endswith("\nReply: 已安排")
    assert text["owner_level"] == "Street"
    assert text["closed_on_time"] == "No"
    assert text["merged_into"] == "" and text["resolved_at"] == ""
    assert detail.title.text() == "E20250101-0001 · In progress · Normal"


def test_buttons_are_enabled_exactly_for_allowed_actions(qtbot, detail):
    detail.set_case(full_case())
    assert detail.enabled_actions() == set()
    allowed = [Action.RESOLVE, Action.URGE, Action.SUPERVISE, Action.RETURN]
    detail.set_allowed(allowed)
    assert detail.enabled_actions() == set(allowed)
    assert all(detail.buttons[a].isEnabled() == (a in allowed) for a in BUTTON_ACTIONS)
    with qtbot.waitSignal(detail.action_requested) as requested:
        qtbot.mouseClick(detail.buttons[Action.URGE], Qt.MouseButton.LeftButton)
    assert requested.args == [Action.URGE]
    emitted = []
    detail.action_requested.connect(emitted.append)
    qtbot.mouseClick(detail.buttons[Action.ACCEPT], Qt.MouseButton.LeftButton)
    assert emitted == []  # disabled buttons do nothing
    detail.set_allowed(["verify"])  # wire values are accepted
    assert detail.enabled_actions() == {Action.VERIFY}


def test_a_field_takes_a_row_while_it_has_text(detail):
    form = detail._form

    def shown() -> set[str]:
        return {field for field, label in detail.field_values.items() if form.isRowVisible(label)}

    assert shown() == set()  # no case yet
    detail.set_case(full_case())
    assert shown() == {field for field, label in detail.field_values.items() if label.text()}
    assert {"description", "department", "supervision"} <= shown()
    bare = make_case("E20250101-0002")
    detail.set_case(bare)
    assert "description" not in shown() and "department" not in shown() and "id" in shown()
    assert shown() == {field for field, label in detail.field_values.items() if label.text()}
    detail.set_case(None)
    assert shown() == set()
    detail.set_case(bare)  # the same texts as before None: shown again
    assert shown() == {field for field, label in detail.field_values.items() if label.text()} and "id" in shown()


def test_new_case_or_none_disables_actions(detail):
    detail.set_case(full_case())
    detail.set_allowed([Action.RESOLVE])
    detail.set_case(make_case("OTHER"))
    assert detail.enabled_actions() == set()
    detail.set_allowed([Action.ACCEPT])
    detail.set_case(None)
    assert detail.enabled_actions() == set() and detail.title.text() == "No case selected"
    detail.set_allowed([Action.ACCEPT])
    assert detail.enabled_actions() == set()  # nothing to act on
    with pytest.raises(ValueError, match="not a domain.model.Action"):
        detail.set_allowed(["fly"])
    with pytest.raises(TypeError, match="Case or None"):
        detail.set_case({"id": "x"})


def test_timeline_and_portrait(detail):
    detail.set_case(full_case())
    detail.set_timeline(
        [
            (T0, "网格员张三", Action.REPORT, "上报"),
            (T0 + 60, "操作员", "dispatch", "派遣至城管"),
            (T0 + 90, "x", "odd", ""),
        ]
    )
    rows = [[detail.timeline.item(r, c).text() for c in range(4)] for r in range(detail.timeline.rowCount())]
    assert rows[0] == ["01-01 10:53:20", "网格员张三", "Report", "上报"]
    assert rows[1][2] == "Dispatch" and rows[2][2] == "odd"
    portrait = GridPortrait(
        households=320, residents=910, special_care={"elderly_alone": 6, "disabled": 0}, buildings=12, shops=8,
        area_km2=0.42,
    )
    detail.set_portrait(portrait)
    expected = "320 households · 910 residents · 12 buildings · 8 shops · 0.42 km²\nElderly living alone 6"
    assert detail.portrait_label.text() == expected
    detail.set_portrait(None)
    assert detail.portrait_label.text() == "No portrait for this grid"
    with pytest.raises(ValueError, match="timeline entry 0"):
        detail.set_timeline([(T0, "x")])


def test_the_closed_loop_shows_where_the_case_stands(detail):
    import msgspec

    from domain.model import State

    case = full_case()
    detail.set_case(msgspec.structs.replace(case, state=State.DISPATCHED))
    marks = [label.property("step") for label in detail.steps.labels]
    assert marks == ["done", "done", "current", "todo", "todo", "todo"]
    detail.set_case(msgspec.structs.replace(case, state=State.CLOSED))
    assert [label.property("step") for label in detail.steps.labels] == ["done"] * 6
    detail.set_case(msgspec.structs.replace(case, state=State.REJECTED))
    assert detail.steps.current == 1 and detail.steps.labels[1].toolTip() == "Rejected"
    detail.set_case(None)
    assert detail.steps.current == -1


def test_a_narrow_step_indicator_numbers_the_other_steps(qtbot, detail):
    import msgspec

    from domain.model import State

    detail.set_case(msgspec.structs.replace(full_case(), state=State.DISPATCHED))
    detail.steps.resize(200, 30)
    qtbot.waitUntil(lambda: detail.steps.labels[0].text() == "1")
    assert detail.steps.labels[2].toolTip() == "Dispatched"
    assert detail.steps.labels[3].text() == "4"
