"""The 签收 clock swept by a real hub, and the department's people for 指派 (issue 14, item 5).

Same fixtures as ``test_hub_loop``: a real websockets hub on a paused simulation clock with a
30-minute 签收 limit, moved by the test, so every tick below is the hub's own sweeper.
"""

from __future__ import annotations

import pytest

from backend.reports.query import counts_by_keys
from domain import protocol as p
from domain.indicators import count_case
from domain.model import Action, ClockStage, SlaState, State
from tests.backend import test_hub_loop as loop
from tests.backend.test_hub_loop import T0, do, event_of, ok, refused, reported

clock, hub, c = loop.clock, loop.hub, loop.c  # the loop tests' fixtures: paused clock, hub, one client each

A = Action
SIGN_LIMIT = 1800.0  # the fixture's 0.5 natural hours


def dispatched(c):
    case = ok(do(c["op"], A.ACCEPT, reported(c))).case
    return ok(do(c["op"], A.DISPATCH, case, department="szyl")).case


def test_unsigned_case_warns_then_goes_overdue_at_the_sign_limit(c, clock, store):
    case = dispatched(c)
    assert case.sign_deadline == pytest.approx(T0 + SIGN_LIMIT)
    assert case.sign_warning_at == pytest.approx(T0 + 0.8 * SIGN_LIMIT) and case.sign_sla is SlaState.OK
    clock.advance(0.8 * SIGN_LIMIT + 1)
    warned = event_of(c["op"], case.id, A.SLA_WARNING)
    assert warned.event.detail == {"stage": "sign"} and warned.event.actor == "system"
    assert warned.case.sign_sla is SlaState.WARNING and warned.case.sla_state is SlaState.OK  # 处置 untouched
    clock.advance(0.2 * SIGN_LIMIT)
    late = event_of(c["op"], case.id, A.SLA_OVERDUE)
    assert late.event.detail == {"stage": "sign"} and late.case.sign_sla is SlaState.OVERDUE
    assert ClockStage.SIGN in late.case.stages_late and late.case.state is State.DISPATCHED
    # 签收超时数: the domain's count and the hub's SQL report agree
    assert count_case(late.case, T0 - 1, T0 + 86400, T0 + 86400).sign_late == 1
    with store._read() as conn:
        by_department = counts_by_keys(conn, "370202001", T0 - 1, T0 + 86400, T0 + 86400, ["department"])
    assert by_department[("szyl",)].sign_late == 1
    assert by_department[("szyl",)].accept_late == late.case.stages_late.count(ClockStage.ACCEPT)
    # the department signs late: the clock stops, nothing more ticks; the late sign stays counted
    signed = ok(do(c["dept"], A.SIGN, late.case)).case
    assert signed.state is State.IN_PROGRESS
    assert store.due_for_sla(clock.now() + 1, 100) == []


def test_signing_in_time_stops_the_sign_clock(c, clock, store):
    case = dispatched(c)
    clock.advance(0.5 * SIGN_LIMIT)
    signed = ok(do(c["dept"], A.SIGN, case)).case
    clock.advance(SIGN_LIMIT)  # well past the 签收 deadline; 处置 (hours) is not yet warned
    assert store.due_for_sla(clock.now(), 100) == []
    again = ok(do(c["dept"], A.ASSIGN, signed, assignee=c["worker1"].user_id)).case
    assert again.sign_sla is SlaState.OK and ClockStage.SIGN not in again.stages_late
    assert not any(e.event.kind in (A.SLA_WARNING, A.SLA_OVERDUE) and e.case.id == case.id
                   for e in c["op"].events)


def users(client, department, request_id="u-1"):
    client.send(p.UsersRequest(request_id=request_id, department=department))
    return client.pump(lambda: next((m for m in client.other if isinstance(m, p.Users)
                                     and m.request_id == request_id), None))


def test_a_department_lists_its_own_people_by_name_only(c, store):
    own = users(c["dept"], "szyl")
    assert own.code is None
    assert {(u.id, u.name) for u in own.users} == {(c["dept"].user_id, "u-dept"), (c["worker1"].user_id, "u-worker1")}
    assert all(u.role.value == "department" for u in own.users)
    store.set_user_disabled(c["worker1"].user_id)
    assert [u.name for u in users(c["dept"], "szyl", "u-2").users] == ["u-dept"]  # the disabled are not offered
    other = users(c["dept"], "sthj", "u-3")
    assert other.code is p.ErrorCode.FORBIDDEN and other.users == []


def test_who_may_list_a_departments_people(c):
    assert users(c["gw"], "szyl").code is p.ErrorCode.FORBIDDEN
    assert users(c["op"], "szyl").code is p.ErrorCode.FORBIDDEN  # no case of the street went there yet
    dispatched(c)
    listed = users(c["op"], "szyl", "u-2")
    assert listed.code is None and {u.name for u in listed.users} == {"u-dept", "u-worker1"}
    assert users(c["op"], "sthj", "u-3").code is p.ErrorCode.FORBIDDEN
    assert b"token" not in p.encode(listed)
    refused(do(c["op"], A.ASSIGN, dispatched(c), assignee=c["worker1"].user_id), p.ErrorCode.FORBIDDEN)
