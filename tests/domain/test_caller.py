"""REPORT's caller fields (诉求人, 12345 ticket, 立案条件): validation naming the field, and masking per role."""

from __future__ import annotations

import msgspec
import pytest

from domain.caller import mask_phone, masked_case
from domain.catalog import Catalog, Condition
from domain.errors import DomainError, ErrorCode
from domain.lifecycle import apply
from domain.model import Action, Actor, Args, Role, Source, Urgency
from domain.rules import Rules, default_rules

GRID = "370202001001001"
OPERATOR = Actor("op", Role.OPERATOR, "370202001")
T0 = 1_772_000_000.0
BASE = default_rules()
# 10103 井盖缺失 with two 立案条件, as the standard lists them per item.
_cat = BASE.catalog
_item = msgspec.structs.replace(_cat.categories["10103"], conditions=(
    Condition("1010301", "井盖缺失"), Condition("1010302", "井盖破损")))
RULES = Rules(Catalog(_cat.classes, {**_cat.categories, "10103": _item}, _cat.departments), BASE.calendar)


def report(**extra):
    args = Args(node=GRID, category="10103", urgency=Urgency.NORMAL, source=Source.HOTLINE, **extra)
    return apply(None, Action.REPORT, args, OPERATOR, T0, RULES, new_id="C1")


def test_caller_fields_are_stored_on_the_case_and_kept_out_of_the_event():
    out = report(caller_name=" 张三明 ", caller_phone="138-1234-5678", ticket_no="GD2026120300123",
                 condition="1010302")
    case = out.case
    assert (case.caller_name, case.caller_phone, case.ticket_no, case.condition) == (
        "张三明", "138-1234-5678", "GD2026120300123", "1010302")
    [event] = out.events
    assert event.detail["ticket_no"] == "GD2026120300123" and event.detail["condition"] == "1010302"
    assert "caller_name" not in event.detail and "caller_phone" not in event.detail


def test_blank_caller_fields_count_as_not_given():
    case = report(caller_name="", caller_phone=" ", ticket_no="", condition="").case
    assert (case.caller_name, case.caller_phone, case.ticket_no, case.condition) == ("", "", "", None)


@pytest.mark.parametrize("extra, field", [
    ({"caller_phone": "12ab5678"}, "caller_phone"),
    ({"caller_phone": "1234"}, "caller_phone"),
    ({"caller_phone": "1" * 21}, "caller_phone"),
    ({"caller_phone": 13812345678}, "caller_phone"),
    ({"caller_name": "张" * 51}, "caller_name"),
    ({"caller_name": "张\x00三"}, "caller_name"),
    ({"ticket_no": "T" * 65}, "ticket_no"),
    ({"condition": "1010309"}, "condition"),
])
def test_bad_caller_fields_are_invalid_naming_the_field(extra, field):
    with pytest.raises(DomainError) as info:
        report(**extra)
    assert info.value.code is ErrorCode.INVALID and info.value.detail["field"] == field
    assert field in info.value.message


def test_a_condition_of_another_item_is_refused_with_the_known_ones():
    with pytest.raises(DomainError) as info:
        apply(None, Action.REPORT, Args(node=GRID, category="20452", urgency=Urgency.NORMAL, source=Source.HOTLINE,
                                        condition="1010301"), OPERATOR, T0, RULES, new_id="C1")
    assert "known: none" in info.value.message
    with pytest.raises(DomainError) as info:
        report(condition="1010303")
    assert "1010301, 1010302" in info.value.message


def test_phone_masks():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("0532-88881234") == "053*****1234"
    assert mask_phone("138-1234-1234") == "138****1234"
    assert mask_phone("12345") == "***45"
    assert mask_phone("") == ""


@pytest.mark.parametrize("role, full", [
    (Role.OPERATOR, True), (Role.SUPERVISOR, True), (Role.ADMIN, True), (Role.TRAINER, True),
    (Role.WALL, False), (Role.DEPARTMENT, False), (Role.GRID_WORKER, False),
])
def test_masking_per_role(role, full):
    case = report(caller_name="张三明", caller_phone="13812341234", ticket_no="GD1").case
    seen = masked_case(case, role)
    if full:
        assert seen is case
    else:
        assert (seen.caller_name, seen.caller_phone, seen.ticket_no) == ("张*明", "138****1234", "GD1")
    plain = report().case
    assert masked_case(plain, role) is plain  # nothing to mask: no copy


def test_caller_args_from_an_outside_contact_keep_only_what_report_accepts():
    from domain.caller import from_contact

    assert from_contact({"name": "王女士", "phone": "136 0000 0000"}, "GD1") == {
        "caller_name": "王女士", "caller_phone": "13600000000", "ticket_no": "GD1"}
    assert from_contact({"first_name": "Ann", "last_name": "Lee", "phone": "call me"}) == {"caller_name": "Lee Ann"}
    assert from_contact({}, "T" * 65) == {}
