"""A report under a retired category says what to do instead: the successor item, or grid work."""

from __future__ import annotations

import pytest

from domain.errors import DomainError, ErrorCode
from domain.lifecycle import apply
from domain.model import Action, Actor, Args, Role, Source, Urgency
from domain.rules import default_rules

RULES = default_rules()
OPERATOR = Actor("op", Role.OPERATOR, "370202001")


def _report(category: str):
    args = Args(node="370202001001001", category=category, urgency=Urgency.NORMAL, source=Source.HOTLINE)
    return apply(None, Action.REPORT, args, OPERATOR, 1_772_000_000.0, RULES, new_id="C1")


def test_a_recoded_item_names_its_successor():
    with pytest.raises(DomainError) as info:
        _report("03001")
    assert info.value.code is ErrorCode.INVALID and info.value.detail["field"] == "category"
    assert "report it as 10103" in info.value.message and "grid work" not in info.value.message


def test_a_work_task_points_to_grid_work():
    with pytest.raises(DomainError) as info:
        _report("07003")
    assert "log it as grid work" in info.value.message
