"""The practised loop against a real hub (issue 14): requests, stage clocks, co-handling, 回访/重办, levels.

Each test runs a real websockets hub on a paused simulation clock that the test moves,
so "the sweeper resumed it by itself" is the hub's own sweeper, not the test.
"""

from __future__ import annotations

import pytest

from backend.clock import SimClock
from backend.embedded import HubThread
from domain import protocol as p
from domain.model import Action, ClockKind, SlaLimit, Source, State, Urgency
from tests.backend.feedclient import FeedClient

A = Action
STREET = "370202001"
GRID = "370202001001001"
COMMUNITY = "370202001001"
T0 = 1773108000.0  # Tue 2026-03-10 10:00 CST


@pytest.fixture
def clock():
    return SimClock(start=T0, paused=True)


@pytest.fixture
def hub(store, rules, clock):
    sign_on = rules.with_sign_limit(SlaLimit(ClockKind.NATURAL_HOURS, 0.5))
    with HubThread(store, rules=sign_on, clock=clock, heartbeat_interval=5.0, sweep_interval=0.05) as running:
        yield running


@pytest.fixture
def c(hub, store):
    """One connected client per person."""
    people = {
        "op": ("operator", STREET, None), "dept": ("department", "3702", "szyl"),
        "env": ("department", "3702", "sthj"), "cg": ("department", "3702", "cg"),
        "community": ("operator", COMMUNITY, None), "gw": ("grid_worker", GRID, None),
        "province": ("supervisor", "37", None), "worker1": ("department", "3702", "szyl"),
    }
    clients = {}
    for key, (role, scope, dept) in people.items():
        user_id, token = store.add_user(f"u-{key}", role, scope, dept)
        clients[key] = FeedClient(hub.url, token)
        clients[key].user_id = user_id
    clients["op"].subscribe(STREET)
    yield clients
    for client in clients.values():
        client.close()


def ok(answer) -> p.CommandAck:
    assert isinstance(answer, p.CommandAck), answer
    return answer


def refused(answer, code: p.ErrorCode) -> p.CommandError:
    assert isinstance(answer, p.CommandError) and answer.code == code, answer
    return answer


def do(client, action, case, **args):
    return client.command(action, case.id, expected_version=case.version, **args)


def reported(c, **kw):
    args = dict(node=GRID, category="10103", urgency=Urgency.NORMAL, source=Source.HOTLINE, description="井盖缺失")
    args.update(kw)
    return ok(c["op"].command(A.REPORT, **args)).case


def in_progress(c, **dispatch):
    case = ok(do(c["op"], A.ACCEPT, reported(c))).case
    case = ok(do(c["op"], A.DISPATCH, case, department="szyl", **dispatch)).case
    return ok(do(c["dept"], A.SIGN, case)).case


def event_of(client, case_id, kind):
    return client.pump(lambda: next((e for e in client.events if e.case.id == case_id and e.event.kind == kind),
                                    None))


def test_extension_requested_then_rejected_leaves_the_deadline(c):
    case = in_progress(c)
    refused(do(c["dept"], A.EXTEND, case, reason="需协调"), p.ErrorCode.FORBIDDEN)
    asked = ok(do(c["dept"], A.REQUEST, case, request="extend", reason="需协调")).case
    refused(do(c["dept"], A.REQUEST, asked, request="extend", reason="再延"), p.ErrorCode.ILLEGAL_TRANSITION)
    refused(do(c["op"], A.REJECT_REQUEST, asked), p.ErrorCode.INVALID)
    no = ok(do(c["op"], A.REJECT_REQUEST, asked, reason="理由不充分")).case
    assert (no.deadline, no.extension_count) == (case.deadline, 0)
    assert no.request.approved is False and no.request.answer == "理由不充分"
    # the department sees the answer: in its snapshot's case and in the case's history
    begin, chunks, end = c["dept"].subscribe("3702")
    mine = next(x for chunk in chunks for x in chunk.cases if x.id == case.id)
    assert mine.request.approved is False and mine.request.answer == "理由不充分"
    history = c["dept"]
    history.send(p.HistoryRequest(case_id=case.id))
    got = history.pump(lambda: next((m for m in history.other if isinstance(m, p.History)), None))
    answer = next(e for e in got.events if e.event.kind == A.REJECT_REQUEST)
    assert answer.event.detail["approved"] is False and answer.event.detail["answer"] == "理由不充分"
    again = ok(do(c["dept"], A.REQUEST, no, request="extend", reason="确需延期")).case
    yes = ok(do(c["op"], A.APPROVE, again, message="同意")).case
    assert yes.extension_count == 1 and yes.deadline > case.deadline


def test_suspension_with_an_end_date_resumes_by_itself(c, clock):
    case = in_progress(c)
    until = T0 + 3600
    asked = ok(do(c["dept"], A.REQUEST, case, request="suspend", reason="等配件", until=until)).case
    held = ok(do(c["op"], A.APPROVE, asked)).case
    assert held.state is State.SUSPENDED and held.suspended_until == until
    clock.advance(until - clock.now() + 1)
    resumed = event_of(c["op"], case.id, A.RESUME)
    assert resumed.event.actor == "system" and resumed.case.state is State.IN_PROGRESS
    assert resumed.case.suspended_until is None


def test_return_request_approved_returns(c):
    case = in_progress(c)
    asked = ok(do(c["dept"], A.REQUEST, case, request="return", reason="非本部门职责")).case
    back = ok(do(c["op"], A.APPROVE, asked)).case
    assert back.state is State.RETURNED and back.return_count == 1


def test_co_handled_case_resolves_only_after_both_feedbacks(c):
    case = in_progress(c, assist=["sthj", "cg"])
    assert [a.department for a in case.assists] == ["sthj", "cg"]
    case = ok(do(c["env"], A.ASSIST_SIGN, case)).case
    case = ok(do(c["env"], A.ASSIST_REPORT, case, message="水质已检测")).case
    err = refused(do(c["dept"], A.RESOLVE, case), p.ErrorCode.ILLEGAL_TRANSITION)
    assert err.detail["awaiting"] == ["cg"]
    case = ok(do(c["cg"], A.ASSIST_SIGN, case)).case
    case = ok(do(c["cg"], A.ASSIST_REPORT, case, message="已清理")).case
    done = ok(do(c["dept"], A.RESOLVE, case)).case
    assert done.state is State.RESOLVED and all(a.report for a in done.assists)


def test_dissatisfied_callback_reopens_then_closes_again(c):
    case = in_progress(c)
    case = ok(do(c["dept"], A.RESOLVE, case)).case
    silent = ok(do(c["op"], A.VERIFY, case, passed=True)).case
    refused(do(c["op"], A.CALLBACK, silent, satisfaction="satisfied"), p.ErrorCode.ILLEGAL_TRANSITION)  # no caller

    case = ok(do(c["op"], A.ACCEPT, reported(c, caller_name="王先生", caller_phone="13800001111"))).case
    case = ok(do(c["op"], A.DISPATCH, case, department="szyl")).case
    case = ok(do(c["dept"], A.RESOLVE, ok(do(c["dept"], A.SIGN, case)).case)).case
    closed = ok(do(c["op"], A.VERIFY, case, passed=True)).case
    reopened = ok(do(c["op"], A.CALLBACK, closed, satisfaction="dissatisfied", reason="井盖仍松动")).case
    assert (reopened.state, reopened.reopen_count, reopened.rework_count) == (State.DISPATCHED, 1, 1)
    case = ok(do(c["dept"], A.RESOLVE, ok(do(c["dept"], A.SIGN, reopened)).case)).case
    again = ok(do(c["op"], A.VERIFY, case, passed=True)).case
    assert again.state is State.CLOSED
    final = ok(do(c["op"], A.CALLBACK, again, satisfaction="satisfied")).case
    assert final.state is State.CLOSED and final.callback.satisfaction.value == "satisfied"


def test_accept_stage_goes_overdue(c, clock):
    case = reported(c)
    assert case.stage_deadline == pytest.approx(T0 + 900)
    clock.advance(901)
    late = event_of(c["op"], case.id, A.SLA_OVERDUE)
    assert late.event.detail == {"stage": "accept"} and late.case.stage_sla.value == "overdue"
    assert [s.value for s in late.case.stages_late] == ["accept"]


def test_delegate_to_the_community_and_province_supervises(c, clock):
    case = reported(c)
    refused(do(c["community"], A.ACCEPT, case), p.ErrorCode.FORBIDDEN)
    down = ok(do(c["op"], A.DELEGATE, case, to_level=4, reason="社区可处置")).case
    accepted = ok(do(c["community"], A.ACCEPT, down)).case
    up = ok(do(c["community"], A.ESCALATE, accepted, reason="需街道协调")).case
    assert up.owner_level == 3
    urged = ok(do(c["province"], A.URGE, up, message="请尽快")).case
    refused(do(c["province"], A.DISPATCH, urged, department="szyl"), p.ErrorCode.FORBIDDEN)
    first = ok(c["gw"].command(A.REPORT, node=GRID, category="10103", urgency=Urgency.NORMAL,
                               source=Source.GRID_WORKER, to_level=4)).case
    assert first.owner_level == 4


def test_assignment_and_sign_clock(c):
    case = ok(do(c["op"], A.ACCEPT, reported(c))).case
    case = ok(do(c["op"], A.DISPATCH, case, department="szyl")).case
    assert case.sign_deadline == pytest.approx(T0 + 1800)
    refused(do(c["dept"], A.ASSIGN, case, assignee=c["env"].user_id), p.ErrorCode.NOT_FOUND)  # another department's
    assigned = ok(do(c["dept"], A.ASSIGN, case, assignee=c["worker1"].user_id)).case
    assert assigned.assignee == c["worker1"].user_id
    signed = ok(do(c["dept"], A.SIGN, assigned)).case
    assert signed.signed_at == pytest.approx(T0)


# -- every new action both ways -------------------------------------------------------------------
def test_permissions_of_the_new_actions_both_ways(c):
    forbidden = p.ErrorCode.FORBIDDEN
    case = in_progress(c, assist=["sthj"])
    refused(do(c["op"], A.REQUEST, case, request="extend", reason="x"), forbidden)
    asked = ok(do(c["dept"], A.REQUEST, case, request="extend", reason="x")).case
    refused(do(c["dept"], A.APPROVE, asked), forbidden)
    refused(do(c["dept"], A.REJECT_REQUEST, asked, reason="x"), forbidden)
    refused(do(c["env"], A.APPROVE, asked), forbidden)
    case = ok(do(c["op"], A.APPROVE, asked)).case
    asked = ok(do(c["dept"], A.REQUEST, case, request="extend", reason="y")).case
    case = ok(do(c["op"], A.REJECT_REQUEST, asked, reason="不同意")).case
    refused(do(c["op"], A.ASSIST_SIGN, case), forbidden)
    refused(do(c["cg"], A.ASSIST_SIGN, case), forbidden)  # not an assisting department
    refused(do(c["dept"], A.ASSIST_SIGN, case), forbidden)  # the lead does not assist
    refused(do(c["env"], A.RESOLVE, case), forbidden)  # an assistant may not take the lead's moves
    case = ok(do(c["env"], A.ASSIST_SIGN, case)).case
    refused(do(c["op"], A.ASSIST_REPORT, case, message="m"), forbidden)
    case = ok(do(c["env"], A.ASSIST_REPORT, case, message="m")).case
    refused(do(c["op"], A.ASSIGN, case, assignee=c["worker1"].user_id), forbidden)
    case = ok(do(c["dept"], A.ASSIGN, case, assignee=c["worker1"].user_id)).case
    refused(do(c["dept"], A.DELEGATE, case, to_level=4, reason="x"), forbidden)
    refused(do(c["province"], A.DELEGATE, case, to_level=4, reason="x"), forbidden)
    case = ok(do(c["op"], A.DELEGATE, case, to_level=4, reason="x")).case
    case = ok(do(c["dept"], A.RESOLVE, case)).case
    closed = ok(do(c["community"], A.VERIFY, case, passed=True)).case
    refused(do(c["dept"], A.CALLBACK, closed, satisfaction="satisfied"), forbidden)
    refused(do(c["province"], A.CALLBACK, closed, satisfaction="satisfied"), forbidden)
