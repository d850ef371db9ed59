"""History and detail in words: names for departments, categories, grids and levels; 是/否 as words;
the loop indicator driven by one table that covers every state."""

from __future__ import annotations

import pytest

from domain.model import ClockStage, State
from tests.widgets.list_source import T0, make_case, small_city
from widgets.common.names import MappingNames
from widgets.console.case_detail import CaseDetail, field_text
from widgets.console.history_text import PHRASES, event_detail_text
from widgets.console.loop_steps import DONE, ENDED, STEPS, step_of

NAMES = MappingNames({"20102": "暴露垃圾"}, small_city(), {"cg": "城管", "sthj": "生态环境"}, path_from="370203")


class WithConditions(MappingNames):
    def condition_name(self, code: str) -> str:
        return {"2010201": "垃圾堆放超过 1 平方米"}.get(code, code)


@pytest.mark.parametrize("detail, words, codes", [
    ({"department": "sthj", "from": "accepted", "to": "dispatched", "deadline": T0}, ["生态环境"], ["sthj"]),
    ({"passed": True}, ["Verified"], ["True"]),
    ({"passed": False, "reason": "未清理干净", "rework_count": 1}, ["Not verified", "未清理干净", "Rework no. 1"],
     ["False"]),
    ({"parent_id": "QD1", "merged_into": "QD1", "reason": "重复"}, ["Into case QD1"], []),
    ({"level": 2, "reason": "群众反映强烈", "due": T0}, ["Level 2 supervision", "群众反映强烈"], []),
    ({"reason": "需区级协调", "owner_level": 2}, ["Now owned by: District"], []),
    ({"reason": "需协调", "extension_count": 1, "deadline": T0}, ["Extension 1 of 2"], []),
    ({"closed_on_time": True}, ["Closed on time"], ["True"]),
    ({"closed_on_time": False}, ["Closed late"], ["False"]),
    ({"node": "370203001001001", "category": "20102", "urgency": "urgent", "source": "hotline",
      "ticket_no": "GD42", "condition": "2010201", "to": "reported"},
     ["暴露垃圾", "12345 hotline", "Urgent", "12345 ticket GD42", "垃圾堆放超过 1 平方米"],
     ["20102", "370203001001001", "urgent", "2010201"]),
])
def test_event_details_read_as_words(detail, words, codes):
    text = event_detail_text(detail, WithConditions({"20102": "暴露垃圾"}, small_city(), {"sthj": "生态环境"},
                                                    path_from="370203"))
    for word in words:
        assert word in text, (word, text)
    for code in codes:
        assert code not in text, (code, text)


def test_unknown_keys_are_left_out_not_shown_raw():
    assert event_detail_text({"approval_id": "AP-7", "flag": True}, NAMES) == ""
    assert "merged_into" not in PHRASES  # shown once, as parent_id


def test_the_detail_shows_caller_ticket_and_condition_by_name(qtbot):
    widget = CaseDetail(WithConditions({"20102": "暴露垃圾"}, small_city(), {}, path_from="370203"))
    qtbot.addWidget(widget)
    case = make_case("QD1", state=State.REPORTED, caller_name="张*明", caller_phone="138****1234",
                     ticket_no="GD42", condition="2010201")
    widget.set_case(case)
    assert widget.field_values["condition"].text() == "垃圾堆放超过 1 平方米"
    assert widget.field_values["caller_phone"].text() == "138****1234"
    form = widget._form
    labels = {form.labelForField(widget.field_values[f]).text() for f in ("caller_name", "ticket_no", "condition")}
    assert labels == {"Caller", "12345 ticket", "Filing condition"}
    assert field_text(make_case("QD2", closed_on_time=True), "closed_on_time", NAMES) == "Yes"


def test_every_state_is_on_exactly_one_step_and_the_steps_follow_the_clock_stages():
    for state in State:
        assert sum(state.value in step.states for step in STEPS) == 1, state
    assert ENDED <= {s.value for s in State} and DONE <= {s.value for s in State}
    assert [s.stage for s in STEPS if s.stage] == [ClockStage.ACCEPT, ClockStage.DISPATCH, ClockStage.HANDLE,
                                                   ClockStage.HANDLE, ClockStage.VERIFY]
    assert step_of(State.SUSPENDED) == step_of("in_progress") == 3
    assert step_of("a_state_not_yet_known") == -1

