"""Roles × jurisdiction × action: the data and the three checks."""

from __future__ import annotations

import msgspec
import pytest

from domain.errors import DomainError, ErrorCode
from domain.model import SYSTEM_ACTOR, Action, Actor, Role, State
from domain.permissions import ROLE_ACTIONS, SYSTEM_ACTIONS, USER_ACTIONS, can, can_subscribe, check, roles_for
from tests.domain.test_lifecycle import (
    ADMIN,
    CITY,
    CITY_OP,
    DEPT,
    DISTRICT,
    DISTRICT_OP,
    GRID,
    OPERATOR,
    OTHER_GRID,
    STREET,
    SUPERVISOR,
    TRAINER,
    WALL,
    WORKER,
    make,
)

A = Action


def forbidden(actor, action, case=None, **kw) -> str:
    with pytest.raises(DomainError) as info:
        check(actor, action, case, **kw)
    assert info.value.code is ErrorCode.FORBIDDEN
    assert not can(actor, action, case, **kw)
    return info.value.message


def test_role_actions_as_data():
    assert ROLE_ACTIONS[Role.WALL] == frozenset()
    assert SYSTEM_ACTIONS == {A.SLA_WARNING, A.SLA_OVERDUE}
    assert ROLE_ACTIONS[Role.SYSTEM] == SYSTEM_ACTIONS | {A.RESUME}  # a suspension's end date resumes it
    assert ROLE_ACTIONS[Role.ADMIN] == USER_ACTIONS and not USER_ACTIONS & SYSTEM_ACTIONS
    assert ROLE_ACTIONS[Role.TRAINER] == ROLE_ACTIONS[Role.OPERATOR]
    assert ROLE_ACTIONS[Role.SUPERVISOR] == {A.SUPERVISE, A.URGE, A.ACKNOWLEDGE, A.ESCALATE}
    assert ROLE_ACTIONS[Role.GRID_WORKER] == {A.REPORT, A.SELF_RESOLVE, A.VERIFY, A.ATTACH}
    # 延期, 挂账 and 退单 are requests the command center decides (issue 14).
    assert ROLE_ACTIONS[Role.DEPARTMENT] == {A.SIGN, A.RESOLVE, A.REPLY_SUPERVISION, A.ATTACH, A.REQUEST,
                                             A.ASSIST_SIGN, A.ASSIST_REPORT, A.ASSIGN}
    assert {A.APPROVE, A.REJECT_REQUEST, A.CALLBACK, A.DELEGATE} <= ROLE_ACTIONS[Role.OPERATOR]
    assert A.REPLY_SUPERVISION not in ROLE_ACTIONS[Role.OPERATOR] and A.SIGN not in ROLE_ACTIONS[Role.OPERATOR]
    assert set(ROLE_ACTIONS) == set(Role)
    assert roles_for(A.SIGN) == {Role.DEPARTMENT, Role.ADMIN}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_is_refused_what_it_lacks_and_the_message_names_role_and_action(role):
    case = msgspec.structs.replace(make(State.REPORTED), department="szyl")
    actor = Actor("x", role, "", department="szyl")
    for action in Action:
        if action in ROLE_ACTIONS[role]:
            check(actor, action, case)
            assert can(actor, action, case)
        else:
            message = forbidden(actor, action, case)
            assert role.value in message and action.value in message


def test_jurisdiction_is_the_scope_subtree():
    case = make(State.REPORTED)
    check(OPERATOR, A.ACCEPT, case)
    check(DISTRICT_OP, A.ACCEPT, case)
    check(ADMIN, A.ACCEPT, case)
    other = Actor("o2", Role.OPERATOR, "370202002")
    message = forbidden(other, A.ACCEPT, case)
    assert GRID in message and "jurisdiction" in message
    forbidden(Actor("s2", Role.SUPERVISOR, "370203"), A.SUPERVISE, case)
    forbidden(WORKER, A.REPORT, node=OTHER_GRID)
    check(WORKER, A.REPORT, node=GRID)
    check(SYSTEM_ACTOR, A.SLA_WARNING, case)


def test_operators_act_only_at_or_above_the_owning_level():
    case = make(State.REPORTED)
    district_owned = msgspec.structs.replace(case, owner_level=2)
    city_owned = msgspec.structs.replace(case, owner_level=1)
    assert "escalation" in forbidden(OPERATOR, A.ACCEPT, district_owned)
    check(DISTRICT_OP, A.ACCEPT, district_owned)
    check(CITY_OP, A.ACCEPT, district_owned)
    forbidden(DISTRICT_OP, A.ACCEPT, city_owned)
    forbidden(Actor("t", Role.TRAINER, STREET), A.ACCEPT, city_owned)
    check(TRAINER, A.ACCEPT, city_owned)
    check(CITY_OP, A.ACCEPT, city_owned)
    check(SUPERVISOR, A.SUPERVISE, city_owned)  # the owning level binds operators, not supervisors
    forbidden(Actor("c", Role.OPERATOR, STREET + "001"), A.ACCEPT, case)  # a community is below the street


def test_departments_act_only_on_their_own_cases():
    case = msgspec.structs.replace(make(State.DISPATCHED), department="szyl")
    check(DEPT, A.SIGN, case)
    assert "'cg'" in forbidden(Actor("d2", Role.DEPARTMENT, CITY, department="cg"), A.SIGN, case)
    forbidden(Actor("d3", Role.DEPARTMENT, CITY), A.SIGN, case)
    forbidden(Actor("d4", Role.DEPARTMENT, "370203", department="szyl"), A.SIGN, case)


def test_an_unusable_scope_is_refused():
    case = make(State.REPORTED)
    message = forbidden(Actor("bad", Role.OPERATOR, "3702x"), A.ACCEPT, msgspec.structs.replace(case, node="3702x01"))
    assert "scope" in message


def test_can_subscribe_within_the_jurisdiction():
    assert can_subscribe(WALL, CITY) and can_subscribe(WALL, DISTRICT) and can_subscribe(WALL, GRID)
    assert can_subscribe(SUPERVISOR, STREET) and not can_subscribe(SUPERVISOR, CITY)
    assert not can_subscribe(OPERATOR, DISTRICT) and can_subscribe(OPERATOR, STREET)
    assert can_subscribe(ADMIN, "") and not can_subscribe(OPERATOR, "")
    assert not can_subscribe(OPERATOR, "370202002")
    with pytest.raises(DomainError) as info:
        can_subscribe(WALL, "37020")
    assert info.value.code is ErrorCode.INVALID and "37020" in info.value.message
