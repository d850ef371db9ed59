"""The 签收 clock in the domain: beside 处置 while dispatched, ticked by the same flags, stopped by SIGN."""

from __future__ import annotations

from domain.clocks import running_clocks, sign_clock
from domain.indicators import count_case
from domain.lifecycle import apply, due_sla_action
from domain.model import SYSTEM_ACTOR, Action, Args, ClockKind, ClockStage, SlaLimit, SlaState, State
from domain.queues import Queue, queues_of
from tests.domain.test_lifecycle import DEPT, OPERATOR, RULES, T0, step

A = Action
SIGN_RULES = RULES.with_sign_limit(SlaLimit(ClockKind.NATURAL_HOURS, 0.5))


def dispatched(rules=SIGN_RULES):
    case = step(step(None, A.REPORT, now=T0), A.ACCEPT, now=T0)
    return apply(case, A.DISPATCH, Args(department="szyl"), OPERATOR, T0, rules).case


def tick(case, now):
    action = due_sla_action(case, now)
    assert action is not None
    out = apply(case, action, Args(), SYSTEM_ACTOR, now, SIGN_RULES)
    return action, out.events[0].detail.get("stage"), out.case


def test_sign_clock_runs_beside_the_handle_clock_and_ticks_with_stage_sign():
    case = dispatched()
    assert [c.stage for c in running_clocks(case)] == [ClockStage.HANDLE, ClockStage.SIGN]
    assert due_sla_action(case, T0 + 1439) is None
    action, stage, warned = tick(case, T0 + 1440)  # 80% of 30 minutes
    assert (action, stage, warned.sign_sla, warned.sla_state) == (A.SLA_WARNING, "sign", SlaState.WARNING, SlaState.OK)
    assert Queue.SLA_ALERT in queues_of(warned)
    action, stage, late = tick(warned, T0 + 1800)
    assert (action, stage, late.sign_sla) == (A.SLA_OVERDUE, "sign", SlaState.OVERDUE)
    assert late.stages_late == (ClockStage.SIGN,) and due_sla_action(late, T0 + 1801) is None
    assert count_case(late, T0, T0 + 86400, T0 + 86400).sign_late == 1
    signed = step(late, A.SIGN, Args(), DEPT, now=T0 + 1900)
    assert sign_clock(signed) is None and Queue.SLA_ALERT not in queues_of(signed)


def test_signing_in_time_and_no_limit_mean_no_sign_ticks():
    signed = step(dispatched(), A.SIGN, Args(), DEPT, now=T0 + 600)
    assert signed.state is State.IN_PROGRESS and due_sla_action(signed, T0 + 1800) is None
    assert count_case(signed, T0, T0 + 86400, T0 + 86400).sign_late == 0
    off = dispatched(RULES)
    assert sign_clock(off) is None and due_sla_action(off, T0 + 1800) is None


def test_both_clocks_due_tick_one_at_a_time_step_clock_first():
    case = dispatched()
    far = case.deadline + 1  # 处置 and 签收 both past their deadlines
    first = tick(case, far)
    second = tick(first[2], far)
    assert [first[:2], second[:2]] == [(A.SLA_OVERDUE, "handle"), (A.SLA_OVERDUE, "sign")]
    assert due_sla_action(second[2], far) is None
    assert set(second[2].stages_late) == {ClockStage.HANDLE, ClockStage.SIGN}
