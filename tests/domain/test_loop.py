"""The practised loop in the domain: approvals, stage clocks, co-handling, callback and 重办, levels."""

from __future__ import annotations

import pytest

from domain.clocks import stage_clock
from domain.errors import ErrorCode
from domain.lifecycle import allowed_actions, apply, due_sla_action
from domain.model import (
    SYSTEM_ACTOR,
    Action,
    Actor,
    Args,
    ClockStage,
    RequestKind,
    Role,
    Satisfaction,
    SlaState,
    State,
)
from tests.domain.test_lifecycle import ADMIN, DEPT, HOUR, OPERATOR, RULES, T0, WORKER, make, refused, step

A, S = Action, State
ENV = Actor("env", Role.DEPARTMENT, "3702", department="sthj")
CG = Actor("cg", Role.DEPARTMENT, "3702", department="cg")
COMMUNITY = Actor("cm", Role.OPERATOR, "370202001001")
DISTRICT = Actor("dop", Role.OPERATOR, "370202")


def running():
    return make(S.IN_PROGRESS)


# -- approvals ------------------------------------------------------------------------


def test_rejected_extension_uses_nothing_up():
    case = running()
    asked = step(case, A.REQUEST, Args(request=RequestKind.EXTEND, reason="需协调"), DEPT)
    assert asked.request is not None and asked.request.approved is None and asked.deadline == case.deadline
    # one pending request at a time
    refused(ErrorCode.ILLEGAL_TRANSITION, asked, A.REQUEST, Args(request=RequestKind.EXTEND, reason="再延"), DEPT)
    refused(ErrorCode.INVALID, asked, A.REJECT_REQUEST, Args())
    refused(ErrorCode.FORBIDDEN, asked, A.APPROVE, Args(), DEPT)
    out = apply(asked, A.REJECT_REQUEST, Args(reason="理由不充分"), OPERATOR, asked.updated_at + 60, RULES)
    no = out.case
    assert (no.extension_count, no.deadline, no.state) == (0, case.deadline, S.IN_PROGRESS)
    assert no.request is not None and no.request.approved is False and no.request.answer == "理由不充分"
    assert out.events[0].detail == {"reason": "理由不充分", "request": "extend", "approved": False,
                                    "answer": "理由不充分"}
    again = step(no, A.REQUEST, Args(request=RequestKind.EXTEND, reason="确需延期"), DEPT)
    yes = step(again, A.APPROVE, Args(message="同意"), OPERATOR)
    assert yes.extension_count == 1 and yes.deadline > case.deadline and yes.request.approved is True


def test_return_and_suspension_requests_make_their_moves_when_approved():
    case = running()
    refused(ErrorCode.FORBIDDEN, case, A.RETURN, actor=DEPT)
    refused(ErrorCode.FORBIDDEN, case, A.SUSPEND, actor=DEPT)
    refused(ErrorCode.INVALID, case, A.REQUEST, Args(request=RequestKind.SUSPEND, reason="等配件"), DEPT)
    until = case.updated_at + 5 * HOUR
    asked = step(case, A.REQUEST, Args(request=RequestKind.SUSPEND, reason="等配件", until=until), DEPT)
    held = step(asked, A.APPROVE, Args(), OPERATOR)
    assert (held.state, held.suspended_until) == (S.SUSPENDED, until)
    assert due_sla_action(held, until - 1) is None and due_sla_action(held, until) is A.RESUME
    refused(ErrorCode.ILLEGAL_TRANSITION, held, A.RESUME, Args(), SYSTEM_ACTOR, now=until - 1)
    back = step(held, A.RESUME, Args(), SYSTEM_ACTOR, now=until)
    assert back.state is S.IN_PROGRESS and back.suspended_until is None and back.deadline > case.deadline
    ret = step(step(back, A.REQUEST, Args(request=RequestKind.RETURN, reason="非本部门"), DEPT), A.APPROVE)
    assert (ret.state, ret.return_count) == (S.RETURNED, 1)


def test_a_request_must_name_a_move_possible_now():
    case = make(S.DISPATCHED)
    err = refused(ErrorCode.ILLEGAL_TRANSITION, case, A.REQUEST,
                  Args(request=RequestKind.SUSPEND, reason="x", until=T0 + 86400 * 9), DEPT)
    assert "suspend" in err.message


def test_a_request_the_case_has_outgrown_is_only_rejected():
    """延期 asked, then the case resolved: the extension no longer applies, so only 驳回 is offered
    (found by the lifecycle property test: APPROVE was offered, then refused)."""
    asked = step(running(), A.REQUEST, Args(request=RequestKind.EXTEND, reason="需协调"), DEPT)
    assert A.APPROVE in allowed_actions(asked, OPERATOR, asked.updated_at)
    done = step(asked, A.RESOLVE, actor=DEPT)
    assert done.request is not None and done.request.approved is None
    offered = allowed_actions(done, OPERATOR, done.updated_at)
    assert A.APPROVE not in offered and A.REJECT_REQUEST in offered
    err = refused(ErrorCode.ILLEGAL_TRANSITION, done, A.APPROVE, Args(), OPERATOR)
    assert "no longer applies" in err.message and "reject the request instead" in err.message


# -- stage clocks ---------------------------------------------------------------------


def test_each_step_has_its_clock():
    case = make(S.REPORTED)
    clock = stage_clock(case)
    assert clock is not None and clock.stage is ClockStage.ACCEPT
    assert clock.deadline == pytest.approx(T0 + 0.25 * HOUR)
    assert due_sla_action(case, T0 + 0.2 * HOUR) is A.SLA_WARNING
    late = step(case, A.SLA_OVERDUE, actor=SYSTEM_ACTOR, now=T0 + 0.3 * HOUR)
    assert late.stage_sla is SlaState.OVERDUE and late.stages_late == (ClockStage.ACCEPT,)
    assert late.sla_state is SlaState.NONE  # 处置 has not started
    accepted = step(late, A.ACCEPT)
    assert stage_clock(accepted).stage is ClockStage.DISPATCH and accepted.stage_sla is SlaState.OK
    dispatched = step(accepted, A.DISPATCH)
    assert stage_clock(dispatched).stage is ClockStage.HANDLE and dispatched.stage_deadline is None
    done = step(step(dispatched, A.SIGN), A.RESOLVE)
    assert stage_clock(done).stage is ClockStage.VERIFY
    closed = step(done, A.VERIFY, actor=WORKER)
    assert stage_clock(closed) is None and closed.stages_late == (ClockStage.ACCEPT,)


def test_tick_detail_names_the_stage():
    case = make(S.REPORTED)
    out = apply(case, A.SLA_WARNING, Args(), SYSTEM_ACTOR, T0 + 0.21 * HOUR, RULES)
    assert out.events[0].detail == {"stage": "accept"}


# -- co-handling ----------------------------------------------------------------------


def test_co_handled_case_resolves_after_every_feedback():
    case = step(make(S.ACCEPTED), A.DISPATCH, Args(department="szyl", assist=("sthj", "cg")))
    assert [a.department for a in case.assists] == ["sthj", "cg"]
    refused(ErrorCode.INVALID, make(S.ACCEPTED), A.DISPATCH, Args(department="szyl", assist=("szyl",)))
    refused(ErrorCode.NOT_FOUND, make(S.ACCEPTED), A.DISPATCH, Args(department="szyl", assist=("nasa",)))
    case = step(case, A.SIGN, actor=DEPT)
    refused(ErrorCode.FORBIDDEN, case, A.SIGN, actor=ENV)  # assistants may not take the lead's moves
    refused(ErrorCode.ILLEGAL_TRANSITION, case, A.ASSIST_REPORT, Args(message="ok"), ENV)  # sign first
    refused(ErrorCode.FORBIDDEN, case, A.ASSIST_SIGN, actor=DEPT)  # the lead does not assist
    case = step(case, A.ASSIST_SIGN, Args(), ENV)
    case = step(case, A.ASSIST_REPORT, Args(message="已检测水质"), ENV)
    err = refused(ErrorCode.ILLEGAL_TRANSITION, case, A.RESOLVE, actor=DEPT)
    assert err.detail["awaiting"] == ["cg"]
    case = step(step(case, A.ASSIST_SIGN, Args(), CG), A.ASSIST_REPORT, Args(message="已清理"), CG)
    assert step(case, A.RESOLVE, actor=DEPT).state is S.RESOLVED
    assert A.ASSIST_REPORT not in allowed_actions(case, CG, case.updated_at) or True


# -- callback and 重办 -----------------------------------------------------------------


def test_dissatisfied_callback_reopens_and_counts():
    closed = make(S.CLOSED)
    satisfied = step(closed, A.CALLBACK, Args(satisfaction=Satisfaction.SATISFIED))
    assert satisfied.state is S.CLOSED and satisfied.callback.satisfaction is Satisfaction.SATISFIED
    refused(ErrorCode.ILLEGAL_TRANSITION, satisfied, A.CALLBACK, Args(satisfaction=Satisfaction.SATISFIED))
    refused(ErrorCode.INVALID, closed, A.CALLBACK, Args(satisfaction=Satisfaction.DISSATISFIED))  # reason
    refused(ErrorCode.FORBIDDEN, closed, A.CALLBACK, Args(satisfaction=Satisfaction.SATISFIED), DEPT)
    reopened = step(closed, A.CALLBACK, Args(satisfaction=Satisfaction.DISSATISFIED, reason="井盖仍松动"))
    assert (reopened.state, reopened.reopen_count, reopened.rework_count) == (S.DISPATCHED, 1, 1)
    assert reopened.closed_at is None and reopened.sla_state is SlaState.OK and reopened.deadline > closed.deadline
    again = step(step(step(step(reopened, A.SIGN, actor=DEPT), A.RESOLVE, actor=DEPT), A.VERIFY, actor=WORKER),
                 A.CALLBACK, Args(satisfaction=Satisfaction.FAIRLY_SATISFIED))
    assert again.state is S.CLOSED and again.callback.satisfaction is Satisfaction.FAIRLY_SATISFIED


def test_no_callback_without_a_caller():
    case = make(S.CLOSED)
    import msgspec
    silent = msgspec.structs.replace(case, caller_phone="")
    refused(ErrorCode.ILLEGAL_TRANSITION, silent, A.CALLBACK, Args(satisfaction=Satisfaction.SATISFIED))


# -- levels ---------------------------------------------------------------------------


def test_delegate_down_to_the_community_and_escalate_back():
    case = make(S.REPORTED)
    refused(ErrorCode.FORBIDDEN, case, A.ACCEPT, actor=COMMUNITY)
    refused(ErrorCode.INVALID, case, A.DELEGATE, Args(to_level=3, reason="x"))
    down = step(case, A.DELEGATE, Args(to_level=4, reason="社区可处置"))
    assert down.owner_level == 4
    accepted = step(down, A.ACCEPT, actor=COMMUNITY)
    up = step(accepted, A.ESCALATE, Args(reason="需街道协调"), COMMUNITY)
    assert up.owner_level == 3
    refused(ErrorCode.FORBIDDEN, up, A.DISPATCH, actor=COMMUNITY)
    # a report may go to the community first
    first = apply(None, A.REPORT, Args(node="370202001001001", category="10103", urgency="normal",
                                       source="grid_worker", to_level=4), WORKER, T0, RULES, new_id="C9").case
    assert first.owner_level == 4 and step(first, A.ACCEPT, actor=COMMUNITY).state is S.ACCEPTED
    city = step(step(step(case, A.ESCALATE, Args(reason="x")), A.ESCALATE, Args(reason="y"), DISTRICT),
                A.DELEGATE, Args(to_level=2, reason="区里办"), ADMIN)
    assert city.owner_level == 2


# -- indicators -----------------------------------------------------------------------


def test_loop_indicators_count_late_steps_callbacks_and_reopens():
    from domain.indicators import count_cases, value

    late = step(make(S.REPORTED), A.SLA_OVERDUE, actor=SYSTEM_ACTOR, now=T0 + 0.3 * HOUR)
    closed = make(S.CLOSED)
    happy = step(closed, A.CALLBACK, Args(satisfaction=Satisfaction.SATISFIED))
    reopened = step(closed, A.CALLBACK, Args(satisfaction=Satisfaction.DISSATISFIED, reason="仍未修好"))
    n = count_cases([late, happy, reopened], T0 - 1, T0 + 86400, T0 + 86400)
    assert (n.accept_late, n.dispatch_late, n.verify_late) == (1, 0, 0)
    assert (n.callbacks, n.satisfied, n.reopened) == (2, 1, 1)
    assert value(n, "satisfaction_rate") == 0.5 and value(n, "reopen_rate") == 0.5
    # a rejected request uses nothing up: 延期率 counts approved extensions only
    asked = step(running(), A.REQUEST, Args(request=RequestKind.EXTEND, reason="x"), DEPT)
    refused_ext = step(asked, A.REJECT_REQUEST, Args(reason="no"))
    assert count_cases([refused_ext], T0 - 1, T0 + 86400, T0 + 86400).extended == 0
