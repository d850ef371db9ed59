"""The lifecycle table row by row, the order of checks, and what each move changes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import msgspec
import pytest

from domain.errors import DomainError, ErrorCode
from domain.lifecycle import allowed_actions, apply, due_sla_action, next_state
from domain.model import (
    SYSTEM_ACTOR,
    TERMINAL_STATES,
    Action,
    Actor,
    Args,
    Attachment,
    Case,
    RequestKind,
    Role,
    Satisfaction,
    SlaState,
    Source,
    Stage,
    State,
    Urgency,
)
from domain.permissions import roles_for
from domain.rules import default_rules
from domain.transitions import FLAGS, TRANSITIONS

A, S = Action, State
CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=CST).timestamp()  # a Monday, 09:00
HOUR = 3600.0
CITY, DISTRICT, STREET = "3702", "370202", "370202001"
GRID = "370202001001001"
OTHER_GRID = "370202002001001"  # another street of the same district
RULES = default_rules()

OPERATOR = Actor("op", Role.OPERATOR, STREET)
DISTRICT_OP = Actor("dop", Role.OPERATOR, DISTRICT)
CITY_OP = Actor("cop", Role.OPERATOR, CITY)
SUPERVISOR = Actor("sup", Role.SUPERVISOR, DISTRICT)
WALL = Actor("wall", Role.WALL, CITY)
TRAINER = Actor("tr", Role.TRAINER, CITY)
DEPT = Actor("dept", Role.DEPARTMENT, CITY, department="szyl")
WORKER = Actor("gw", Role.GRID_WORKER, GRID)
ADMIN = Actor("admin", Role.ADMIN, "")
BY_ROLE = {
    Role.OPERATOR: OPERATOR, Role.SUPERVISOR: SUPERVISOR, Role.WALL: WALL, Role.TRAINER: TRAINER,
    Role.DEPARTMENT: DEPT, Role.GRID_WORKER: WORKER, Role.ADMIN: ADMIN, Role.SYSTEM: SYSTEM_ACTOR,
}

# 03001 井盖缺失, normal urgency: 2 natural hours, handled by 市政园林 (szyl).
ARGS = {
    A.REPORT: Args(node=GRID, category="10103", urgency=Urgency.NORMAL, source=Source.GRID_WORKER, description="井盖缺失",
                   caller_phone="13800000000"),
    A.ACCEPT: Args(),
    A.REJECT: Args(reason="不属于受理范围"),
    A.MERGE: Args(parent_id="C0"),
    A.SELF_RESOLVE: Args(message="已当场处理"),
    A.DISPATCH: Args(department="szyl"),
    A.SIGN: Args(),
    A.RETURN: Args(reason="非本部门职责"),
    A.RESOLVE: Args(message="已补装井盖"),
    A.SUSPEND: Args(reason="等待配件"),
    A.RESUME: Args(),
    A.VERIFY: Args(passed=True),
    A.SUPERVISE: Args(level=2, reason="群众反映强烈", due=T0 + 30 * 86400),
    A.REPLY_SUPERVISION: Args(message="已加派人手"),
    A.URGE: Args(message="请尽快处置"),
    A.ESCALATE: Args(reason="需区级协调"),
    A.EXTEND: Args(reason="需协调多部门"),
    A.ACKNOWLEDGE: Args(),
    A.ATTACH: Args(attachment=Attachment(sha256="ab" * 32, mime="image/jpeg", size=1000, stage=Stage.AFTER)),
    A.SLA_WARNING: Args(),
    A.SLA_OVERDUE: Args(),
    A.CALLBACK: Args(satisfaction=Satisfaction.SATISFIED),
    A.REQUEST: Args(request=RequestKind.EXTEND, reason="需协调多部门"),
    A.APPROVE: Args(),
    A.REJECT_REQUEST: Args(reason="理由不充分"),
    A.DELEGATE: Args(to_level=4, reason="社区可自行处置"),
    A.ASSIGN: Args(assignee="u-1"),
    A.ASSIST_SIGN: Args(),
    A.ASSIST_REPORT: Args(message="已配合"),
}
# Who takes each move in the happy paths.
ACTOR_OF = {A.SIGN: DEPT, A.RETURN: ADMIN, A.RESOLVE: DEPT, A.REPLY_SUPERVISION: DEPT, A.SELF_RESOLVE: WORKER,
            A.SLA_WARNING: SYSTEM_ACTOR, A.SLA_OVERDUE: SYSTEM_ACTOR}
PATHS = {
    S.REPORTED: [],
    S.ACCEPTED: [A.ACCEPT],
    S.REJECTED: [A.REJECT],
    S.MERGED: [A.MERGE],
    S.SELF_RESOLVED: [A.SELF_RESOLVE],
    S.DISPATCHED: [A.ACCEPT, A.DISPATCH],
    S.RETURNED: [A.ACCEPT, A.DISPATCH, A.RETURN],
    S.IN_PROGRESS: [A.ACCEPT, A.DISPATCH, A.SIGN],
    S.SUSPENDED: [A.ACCEPT, A.DISPATCH, A.SIGN, A.SUSPEND],
    S.RESOLVED: [A.ACCEPT, A.DISPATCH, A.SIGN, A.RESOLVE],
    S.CLOSED: [A.ACCEPT, A.DISPATCH, A.SIGN, A.RESOLVE, A.VERIFY],
}
MOVES = sorted({a for (_, a) in TRANSITIONS} - {A.REPORT}, key=list(Action).index)


def step(case, action, args=None, actor=None, now=None, **kw):
    """Apply ``action`` with its default args and actor; return the new case."""
    now = now if now is not None else (case.updated_at + 60 if case else T0)
    out = apply(case, action, ARGS[action] if args is None else args, actor or ACTOR_OF.get(action, OPERATOR),
                now, RULES, new_id="C1", **kw)
    return out.case


def make(state: State, start: float = T0) -> Case:
    case = step(None, A.REPORT, now=start)
    for action in PATHS[state]:
        case = step(case, action)
    assert case.state is state
    return case


def refused(code: ErrorCode, case, action, args=None, actor=None, now=None, **kw) -> DomainError:
    with pytest.raises(DomainError) as info:
        step(case, action, args, actor, now, **kw)
    assert info.value.code is code, info.value
    return info.value


# -- creation -----------------------------------------------------------------------


def test_report_creates_a_case_at_version_1_with_one_event():
    out = apply(None, A.REPORT, ARGS[A.REPORT], WORKER, T0, RULES, new_id="C9")
    case = out.case
    assert (case.id, case.state, case.version, case.node, case.category) == ("C9", S.REPORTED, 1, GRID, "10103")
    assert (case.reported_at, case.updated_at, case.reported_by, case.owner_level) == (T0, T0, "gw", 3)
    assert case.sla_state is SlaState.NONE and case.deadline is None
    [event] = out.events
    assert (event.kind, event.case_id, event.version, event.actor, event.role) == (A.REPORT, "C9", 1, "gw", Role.GRID_WORKER)
    assert event.detail["category"] == "10103" and event.detail["urgency"] == "normal"


@pytest.mark.parametrize("field", ["node", "category", "urgency", "source"])
def test_report_names_a_missing_field(field):
    args = Args(**{**{f: getattr(ARGS[A.REPORT], f) for f in ("node", "category", "urgency", "source")}, field: None})
    err = refused(ErrorCode.INVALID, None, A.REPORT, args, WORKER)
    assert err.detail["field"] == field and field in err.message


@pytest.mark.parametrize(
    "change, field",
    [({"node": STREET}, "node"), ({"node": "37020200100100x"}, "node"), ({"category": "99999"}, "category"),
     ({"urgency": "soon"}, "urgency"), ({"source": "rumour"}, "source"), ({"description": 5}, "description")],
)
def test_report_rejects_bad_values(change, field):
    args = Args(**{**{f: getattr(ARGS[A.REPORT], f) for f in Args.__struct_fields__}, **change})
    err = refused(ErrorCode.INVALID, None, A.REPORT, args, ADMIN)
    assert err.detail["field"] == field


def test_report_checks_scope_role_and_new_id():
    elsewhere = Args(node=OTHER_GRID, category="10103", urgency=Urgency.NORMAL, source=Source.HOTLINE)
    assert OTHER_GRID in refused(ErrorCode.FORBIDDEN, None, A.REPORT, elsewhere, OPERATOR).message
    refused(ErrorCode.FORBIDDEN, None, A.REPORT, actor=WALL)
    refused(ErrorCode.FORBIDDEN, None, A.REPORT, actor=DEPT)
    with pytest.raises(DomainError) as info:
        apply(None, A.REPORT, ARGS[A.REPORT], WORKER, T0, RULES)
    assert info.value.code is ErrorCode.INVALID and info.value.detail["field"] == "new_id"


# -- every row of the table ---------------------------------------------------------


ROWS = [(s, a, r) for (s, a), move in TRANSITIONS.items() if s is not None for r in sorted(move.roles)]


@pytest.mark.parametrize("state, action, role", ROWS, ids=[f"{s.value}-{a.value}-{r.value}" for s, a, r in ROWS])
def test_each_row_moves_for_each_of_its_roles(state, action, role):
    case = make(state)
    if role is Role.SYSTEM:  # the hub's clock resumes a suspension only once its end date has come
        case = msgspec.structs.replace(case, suspended_until=case.updated_at + 30)
    new = step(case, action, actor=BY_ROLE[role])
    assert new.state is TRANSITIONS[(state, action)].next_state == next_state(state, action)
    assert (new.version, new.updated_at) == (case.version + 1, case.updated_at + 60)


@pytest.mark.parametrize("state, action", [(s, a) for s in State for a in MOVES if (s, a) not in TRANSITIONS])
def test_moves_not_in_the_table_are_illegal(state, action):
    err = refused(ErrorCode.ILLEGAL_TRANSITION, make(state), action, actor=ADMIN)
    assert state.value in err.message and action.value in err.message
    assert err.detail == {"state": state.value, "action": action.value}


REQUIRED = [(s, a, f) for (s, a), move in TRANSITIONS.items() if s is not None for f in move.required]


@pytest.mark.parametrize("state, action, field", REQUIRED)
def test_each_required_arg_is_named_when_missing(state, action, field):
    args = Args(**{**{f: getattr(ARGS[action], f) for f in Args.__struct_fields__}, field: None})
    err = refused(ErrorCode.INVALID, make(state), action, args, ADMIN)
    assert err.detail["field"] == field and field in err.message


def test_blank_text_counts_as_missing():
    err = refused(ErrorCode.INVALID, make(S.REPORTED), A.REJECT, Args(reason="  "))
    assert err.detail["field"] == "reason"


def test_table_roles_are_the_roles_permitted_the_action():
    for move in [*TRANSITIONS.values(), *FLAGS.values()]:
        assert move.roles and move.roles <= frozenset(Role)
    for (_, action), move in TRANSITIONS.items():
        assert move.roles == roles_for(action)
    for action, flag in FLAGS.items():
        assert flag.roles == roles_for(action)


def test_terminal_states_accept_nothing_and_stay_put():
    for state in TERMINAL_STATES:
        case = make(state)
        assert case.sla_state is SlaState.NONE
        for action in Action:
            if (state, action) in TRANSITIONS:  # a closed case with a caller is called back (回访)
                continue
            actor = SYSTEM_ACTOR if action in (A.SLA_WARNING, A.SLA_OVERDUE) else ADMIN
            refused(ErrorCode.ILLEGAL_TRANSITION, case, action, actor=actor, now=case.updated_at + 10 * 86400)
            assert set(allowed_actions(case, actor, case.updated_at)) <= {A.CALLBACK}


# -- order of checks ----------------------------------------------------------------


def test_check_order():
    case = make(S.REPORTED)
    refused(ErrorCode.NOT_FOUND, None, A.ACCEPT, actor=WALL, expected_version=7)
    # permission before the version: a refused actor does not learn the case's version
    err = refused(ErrorCode.FORBIDDEN, case, A.SIGN, Args(), WALL, expected_version=case.version + 1)
    assert "version" not in err.message and not err.detail
    err = refused(ErrorCode.CONFLICT, case, A.ACCEPT, Args(), OPERATOR, expected_version=case.version + 1)
    assert err.detail == {"current_version": case.version}
    refused(ErrorCode.FORBIDDEN, case, A.SIGN, Args(), WALL, expected_version=case.version)  # before the table
    refused(ErrorCode.ILLEGAL_TRANSITION, case, A.SUSPEND, Args(), OPERATOR)  # before the args
    refused(ErrorCode.FORBIDDEN, case, A.REJECT, Args(), Actor("x", Role.OPERATOR, "370203001"))
    urged = step(case, A.URGE)
    refused(ErrorCode.INVALID, urged, A.URGE, Args(message=7))  # args before the rate limit
    refused(ErrorCode.RATE_LIMITED, urged, A.URGE)


def test_refusal_leaves_the_case_alone_and_success_returns_a_new_one():
    case = make(S.REPORTED)
    before = Case(**{f: getattr(case, f) for f in Case.__struct_fields__})
    refused(ErrorCode.INVALID, case, A.REJECT, Args())
    new = step(case, A.ACCEPT)
    assert case == before and new is not case and new.accepted_at == new.updated_at


def test_unknown_action_is_invalid():
    with pytest.raises(DomainError) as info:
        apply(make(S.REPORTED), "fly", Args(), OPERATOR, T0, RULES)
    assert info.value.code is ErrorCode.INVALID and "fly" in info.value.message


# -- the SLA clock ------------------------------------------------------------------


def test_dispatch_starts_the_clock_and_redispatch_keeps_it():
    case = step(make(S.ACCEPTED), A.DISPATCH, now=T0 + HOUR)
    assert (case.dispatched_at, case.deadline, case.warning_at) == (T0 + HOUR, T0 + 3 * HOUR, T0 + 2.6 * HOUR)
    assert case.sla_state is SlaState.OK and case.sla_limit.amount == 2.0 and case.department == "szyl"
    again = step(step(case, A.RETURN), A.DISPATCH, Args(department="cg"))
    assert again.department == "cg"
    assert (again.dispatched_at, again.deadline, again.warning_at) == (case.dispatched_at, case.deadline, case.warning_at)


def test_suspension_stops_the_clock_and_resume_restarts_it():
    case = step(make(S.ACCEPTED), A.DISPATCH, now=T0)  # 2 natural hours: deadline T0+2h
    case = step(step(case, A.SIGN, now=T0 + 0.5 * HOUR), A.SUSPEND, now=T0 + HOUR)
    assert case.suspended_at == T0 + HOUR and case.sla_remaining == pytest.approx(1.0)
    assert due_sla_action(case, T0 + 10 * HOUR) is None
    refused(ErrorCode.ILLEGAL_TRANSITION, case, A.SLA_OVERDUE, now=T0 + 10 * HOUR)
    refused(ErrorCode.ILLEGAL_TRANSITION, case, A.EXTEND, now=T0 + 10 * HOUR)
    resumed = step(case, A.RESUME, now=T0 + 5 * HOUR)
    assert resumed.deadline == pytest.approx(T0 + 6 * HOUR) and resumed.warning_at == pytest.approx(T0 + 5.6 * HOUR)
    assert (resumed.suspended_at, resumed.sla_remaining, resumed.state) == (None, None, S.IN_PROGRESS)


def test_suspension_on_a_working_hours_clock_skips_nights_and_lunch():
    mon_1630 = datetime(2026, 3, 2, 16, 30, tzinfo=CST).timestamp()
    args = Args(node=GRID, category="20151", urgency=Urgency.NORMAL, source=Source.VIDEO)  # 4 working hours
    case = step(step(step(None, A.REPORT, args, now=mon_1630 - 600), A.ACCEPT), A.DISPATCH, Args(department="cg"), now=mon_1630)
    assert case.deadline == datetime(2026, 3, 3, 11, 30, tzinfo=CST).timestamp()
    dept = Actor("d", Role.DEPARTMENT, CITY, department="cg")
    case = step(step(case, A.SIGN, actor=dept, now=mon_1630 + 60), A.SUSPEND, now=mon_1630 + 1800)
    assert case.sla_remaining == pytest.approx(3.5)
    resumed = step(case, A.RESUME, now=datetime(2026, 3, 4, 9, 0, tzinfo=CST).timestamp())
    assert resumed.deadline == pytest.approx(datetime(2026, 3, 4, 14, 0, tzinfo=CST).timestamp())


def test_sla_ticks_come_from_the_system_once_each_and_in_time():
    case = step(make(S.ACCEPTED), A.DISPATCH, now=T0)
    assert due_sla_action(case, T0 + HOUR) is None
    refused(ErrorCode.ILLEGAL_TRANSITION, case, A.SLA_WARNING, now=T0 + HOUR)
    refused(ErrorCode.FORBIDDEN, case, A.SLA_WARNING, actor=ADMIN, now=T0 + 1.7 * HOUR)
    assert due_sla_action(case, T0 + 1.6 * HOUR) is A.SLA_WARNING
    warned = step(case, A.SLA_WARNING, now=T0 + 1.6 * HOUR)
    assert warned.sla_state is SlaState.WARNING
    refused(ErrorCode.ILLEGAL_TRANSITION, warned, A.SLA_WARNING, now=T0 + 1.7 * HOUR)
    refused(ErrorCode.ILLEGAL_TRANSITION, warned, A.SLA_OVERDUE, now=T0 + 1.9 * HOUR)
    assert due_sla_action(warned, T0 + 2 * HOUR) is A.SLA_OVERDUE
    late = step(warned, A.SLA_OVERDUE, now=T0 + 2 * HOUR)
    assert late.sla_state is SlaState.OVERDUE and due_sla_action(late, T0 + 9 * HOUR) is None
    refused(ErrorCode.ILLEGAL_TRANSITION, late, A.SLA_WARNING, now=T0 + 3 * HOUR)
    # Straight to overdue when the warning was missed.
    assert step(case, A.SLA_OVERDUE, now=T0 + 5 * HOUR).sla_state is SlaState.OVERDUE


def test_closing_records_whether_resolution_beat_the_deadline():
    case = step(step(make(S.ACCEPTED), A.DISPATCH, now=T0), A.SIGN, now=T0 + 60)
    on_time = step(step(case, A.RESOLVE, now=T0 + 2 * HOUR), A.VERIFY, now=T0 + 9 * HOUR)
    assert (on_time.state, on_time.closed_at, on_time.closed_on_time) == (S.CLOSED, T0 + 9 * HOUR, True)
    assert on_time.sla_state is SlaState.NONE
    late = step(step(case, A.RESOLVE, now=T0 + 2 * HOUR + 1), A.VERIFY)
    assert late.closed_on_time is False
    spot = step(make(S.SELF_RESOLVED), A.VERIFY, actor=WORKER)
    assert (spot.state, spot.closed_on_time) == (S.CLOSED, True)


def test_failed_verification_sends_back_for_rework_with_the_clock_left():
    case = step(step(make(S.ACCEPTED), A.DISPATCH, now=T0), A.SIGN, now=T0 + 60)
    resolved = step(case, A.RESOLVE, now=T0 + HOUR)
    assert resolved.sla_remaining == pytest.approx(1.0) and due_sla_action(resolved, T0 + 1.2 * HOUR) is None
    # the 核查 step has its own clock (30 minutes): overdue by then, whatever 处置 had left
    assert due_sla_action(resolved, T0 + 5 * HOUR) is A.SLA_OVERDUE
    refused(ErrorCode.INVALID, resolved, A.VERIFY, Args(passed=False), WORKER)
    refused(ErrorCode.INVALID, resolved, A.VERIFY, Args(passed="no"), WORKER)
    out = apply(resolved, A.VERIFY, Args(passed=False, reason="井盖未固定"), WORKER, T0 + 3 * HOUR, RULES)
    rework = out.case
    assert (rework.state, rework.rework_count, rework.reason, rework.resolved_at) == (S.IN_PROGRESS, 1, "井盖未固定", None)
    assert rework.deadline == pytest.approx(T0 + 4 * HOUR)
    assert out.events[0].detail == {"passed": False, "reason": "井盖未固定", "from": "resolved", "to": "in_progress",
                                    "rework_count": 1, "deadline": rework.deadline}
    assert next_state(S.RESOLVED, A.VERIFY, passed=False) is S.IN_PROGRESS
    assert next_state(S.SELF_RESOLVED, A.VERIFY, passed=False) is None
    refused(ErrorCode.ILLEGAL_TRANSITION, make(S.SELF_RESOLVED), A.VERIFY, Args(passed=False, reason="x"), WORKER)


# -- flags --------------------------------------------------------------------------


def test_urges_are_rate_limited_per_ten_minutes_and_three_a_day():
    case = step(make(S.ACCEPTED), A.DISPATCH, now=T0)
    case = step(case, A.URGE, now=T0 + 60)
    err = refused(ErrorCode.RATE_LIMITED, case, A.URGE, now=T0 + 300)
    assert err.detail["retry_after"] == pytest.approx(360)
    assert A.URGE not in allowed_actions(case, OPERATOR, T0 + 300)
    case = step(step(case, A.URGE, now=T0 + 660), A.URGE, now=T0 + 1260)
    assert (case.urge_count, case.last_urged_at, case.urge_times) == (3, T0 + 1260, (T0 + 60, T0 + 660, T0 + 1260))
    err = refused(ErrorCode.RATE_LIMITED, case, A.URGE, actor=SUPERVISOR, now=T0 + 5 * HOUR)
    assert err.detail["retry_after"] == pytest.approx(60 + 86400 - 5 * HOUR)
    later = step(case, A.URGE, actor=SUPERVISOR, now=T0 + 60 + 86400)
    assert later.urge_count == 4 and later.urge_times == (T0 + 660, T0 + 1260, T0 + 60 + 86400)


def test_extensions_add_the_original_limit_twice_at_most():
    case = step(make(S.ACCEPTED), A.DISPATCH, now=T0)
    warned = step(case, A.SLA_WARNING, now=T0 + 1.7 * HOUR)
    once = step(warned, A.EXTEND, actor=OPERATOR, now=T0 + 1.8 * HOUR)
    assert (once.extension_count, once.deadline, once.warning_at) == (1, T0 + 4 * HOUR, T0 + 3.6 * HOUR)
    assert once.sla_state is SlaState.OK
    twice = step(once, A.EXTEND, now=T0 + 1.9 * HOUR)
    assert (twice.extension_count, twice.deadline) == (2, T0 + 6 * HOUR)
    refused(ErrorCode.LIMIT_EXCEEDED, twice, A.EXTEND)
    assert A.EXTEND not in allowed_actions(twice, OPERATOR, T0 + 2 * HOUR)
    refused(ErrorCode.ILLEGAL_TRANSITION, make(S.ACCEPTED), A.EXTEND)


def test_escalation_moves_ownership_up_to_the_city_and_keeps_the_state():
    case = make(S.ACCEPTED)
    up = step(case, A.ESCALATE)
    assert (up.owner_level, up.state) == (2, S.ACCEPTED)
    refused(ErrorCode.FORBIDDEN, up, A.DISPATCH)  # the street operator lost it
    top = step(up, A.ESCALATE, actor=DISTRICT_OP)
    assert top.owner_level == 1
    refused(ErrorCode.FORBIDDEN, top, A.DISPATCH, actor=DISTRICT_OP)
    refused(ErrorCode.LIMIT_EXCEEDED, top, A.ESCALATE, actor=CITY_OP)
    assert step(top, A.DISPATCH, actor=CITY_OP).state is S.DISPATCHED


def test_supervision_order_and_reply():
    case = step(make(S.ACCEPTED), A.DISPATCH, now=T0)
    refused(ErrorCode.ILLEGAL_TRANSITION, case, A.REPLY_SUPERVISION, actor=DEPT)
    refused(ErrorCode.INVALID, case, A.SUPERVISE, Args(level=4, reason="r", due=T0 + 86400), SUPERVISOR)
    refused(ErrorCode.INVALID, case, A.SUPERVISE, Args(level=1, reason="r", due=T0 - 1), SUPERVISOR)
    acked = step(case, A.ACKNOWLEDGE, actor=SUPERVISOR)
    assert acked.acknowledged_by == "sup"
    sup = step(acked, A.SUPERVISE, actor=SUPERVISOR)
    assert (sup.supervision.level, sup.supervision.by, sup.acknowledged_by) == (2, "sup", None)
    replied = step(sup, A.REPLY_SUPERVISION, actor=DEPT)
    assert replied.supervision.reply == "已加派人手" and replied.supervision.replied_at == replied.updated_at
    refused(ErrorCode.ILLEGAL_TRANSITION, replied, A.REPLY_SUPERVISION, actor=DEPT)


def test_dispatch_and_merge_argument_values():
    case = make(S.ACCEPTED)
    assert refused(ErrorCode.NOT_FOUND, case, A.DISPATCH, Args(department="nasa")).detail["field"] == "department"
    refused(ErrorCode.FORBIDDEN, case, A.DISPATCH, departments_in_scope={"cg"})
    assert step(case, A.DISPATCH, departments_in_scope={"szyl"}).department == "szyl"
    refused(ErrorCode.INVALID, make(S.REPORTED), A.MERGE, Args(parent_id="C1"))
    assert step(make(S.REPORTED), A.MERGE).merged_into == "C0"


def test_allowed_actions_follow_table_guards_and_permissions():
    case = make(S.REPORTED)
    now = case.updated_at
    assert allowed_actions(case, OPERATOR, now) == [
        A.ACCEPT, A.REJECT, A.MERGE, A.SUPERVISE, A.URGE, A.ESCALATE, A.ACKNOWLEDGE, A.ATTACH, A.DELEGATE]
    assert allowed_actions(case, WORKER, now) == [A.SELF_RESOLVE, A.ATTACH]
    assert allowed_actions(case, WALL, now) == allowed_actions(case, DEPT, now) == []
    assert allowed_actions(None, WORKER, now) == [A.REPORT] and allowed_actions(None, SUPERVISOR, now) == []
    running = step(step(make(S.ACCEPTED), A.DISPATCH, now=T0), A.SIGN, now=T0 + 60)
    assert allowed_actions(running, DEPT, T0 + 120) == [A.RESOLVE, A.ATTACH, A.REQUEST, A.ASSIGN]
    assert allowed_actions(running, SYSTEM_ACTOR, T0 + 1.7 * HOUR) == [A.SLA_WARNING]
