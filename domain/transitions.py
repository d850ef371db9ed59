"""The case lifecycle as data: every move a case can make, in two tables.

``TRANSITIONS`` holds the moves between states, keyed by (state, action);
the key ``(None, REPORT)`` is the move that creates a case. VERIFY branches on
``args.passed``: its row holds the passed move and, in ``on_fail``, the failed one, so
the outcome is chosen by the table, not by code elsewhere.

``FLAGS`` holds the actions that ride on any open state without moving it (supervise,
urge, escalate, extend, acknowledge, the SLA clock's ticks). Each names a ``Guard``:
the condition of the case under which the flag applies.

Requests (审批): a department does not extend, suspend or return a case itself; it sends
REQUEST naming one of those moves (``RequestKind``), which must be legal at that moment.
APPROVE makes the requested move through its own row of these tables (the approver's right
is APPROVE, not the move's role); REJECT_REQUEST answers no and uses nothing up.

CALLBACK (回访) on a closed case branches like VERIFY: ``satisfaction: dissatisfied`` takes
``on_fail``, which reopens the case (重办) as dispatched with a fresh 处置 clock.

The flags' limits (LIMIT_EXCEEDED, RATE_LIMITED) sit here too: they are what the table
allows, checked without the catalog; argument conversion is in ``domain.arguments``.
``domain.lifecycle.apply`` is the only code that reads these tables to change a case.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeGuard

import msgspec

from domain.arguments import BOTTOM_OWNER_LEVEL
from domain.clocks import (  # noqa: F401 (CLOCK_STATES re-exported)
    CLOCK_STATES,
    SLA_ORDER,
    clock_running,
    sign_clock,
    stage_clock,
    tick_is_due,
)
from domain.errors import DomainError, ErrorCode
from domain.model import (
    OPEN_STATES,
    REQUEST_ACTIONS,
    Action,
    Case,
    Role,
    Satisfaction,
    State,
)
from domain.permissions import roles_for

A = Action
S = State
#: REPORT's caller fields (domain.caller says who sees them): the citizen, the 12345 ticket, the 立案条件.
CALLER_ARGS = ("caller_name", "caller_phone", "ticket_no", "condition")


class Transition(msgspec.Struct, frozen=True):
    """One move: the state it leads to, who may make it, the Args it needs.

    ``effect`` names what else changes (see ``domain.lifecycle``); ``optional`` lists the
    Args that are used when given (they go into the event's detail); ``on_fail`` is the
    move taken instead when ``args.passed`` is False (VERIFY only).
    """

    next_state: State
    roles: frozenset[Role]
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    effect: str = ""
    on_fail: Transition | None = None


class Guard(str, enum.Enum):
    """When a flag action applies to an open case."""

    OPEN = "open"  # any open state
    CLOCK_RUNNING = "clock_running"  # the SLA clock runs (dispatched, in progress, returned)
    SUPERVISED = "supervised"  # a supervision order awaits its reply
    WARNING_DUE = "warning_due"  # a running clock (the stage's or 签收) is 80% used, not yet warned or overdue
    OVERDUE_DUE = "overdue_due"  # a running clock (the stage's or 签收) passed its deadline, not yet overdue
    NO_PENDING_REQUEST = "no_pending_request"  # the case carries no undecided request
    REQUEST_PENDING = "request_pending"  # a request awaits the command center's decision
    CO_HANDLED = "co_handled"  # dispatched with assisting departments, being handled
    WITH_DEPARTMENT = "with_department"  # dispatched or in progress: the department holds it


class Flag(msgspec.Struct, frozen=True):
    """A flag action: who may take it, the Args it needs, and its guard."""

    roles: frozenset[Role]
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    guard: Guard = Guard.OPEN


def _t(action: Action, next_state: State, required: tuple[str, ...] = (), optional: tuple[str, ...] = (),
       effect: str = "", on_fail: Transition | None = None) -> Transition:
    return Transition(next_state, roles_for(action), tuple(required), tuple(optional), effect or action.value, on_fail)


TRANSITIONS: dict[tuple[State | None, Action], Transition] = {
    (None, A.REPORT): _t(A.REPORT, S.REPORTED, ("node", "category", "urgency", "source"),
                             ("description", "address", "lon", "lat") + CALLER_ARGS + ("to_level",)),
    (S.REPORTED, A.ACCEPT): _t(A.ACCEPT, S.ACCEPTED),
    (S.REPORTED, A.REJECT): _t(A.REJECT, S.REJECTED, ("reason",)),
    (S.REPORTED, A.MERGE): _t(A.MERGE, S.MERGED, ("parent_id",), ("reason",)),
    (S.REPORTED, A.SELF_RESOLVE): _t(A.SELF_RESOLVE, S.SELF_RESOLVED, (), ("message",)),
    (S.ACCEPTED, A.DISPATCH): _t(A.DISPATCH, S.DISPATCHED, ("department",), ("message", "assist")),
    (S.DISPATCHED, A.SIGN): _t(A.SIGN, S.IN_PROGRESS, (), ("message",)),
    (S.DISPATCHED, A.RETURN): _t(A.RETURN, S.RETURNED, ("reason",)),
    (S.RETURNED, A.DISPATCH): _t(A.DISPATCH, S.DISPATCHED, ("department",), ("message", "assist")),
    (S.RETURNED, A.REJECT): _t(A.REJECT, S.REJECTED, ("reason",)),
    (S.IN_PROGRESS, A.RESOLVE): _t(A.RESOLVE, S.RESOLVED, (), ("message",)),
    (S.IN_PROGRESS, A.SUSPEND): _t(A.SUSPEND, S.SUSPENDED, ("reason",), ("until",)),
    (S.IN_PROGRESS, A.RETURN): _t(A.RETURN, S.RETURNED, ("reason",)),
    (S.SUSPENDED, A.RESUME): _t(A.RESUME, S.IN_PROGRESS, (), ("message",)),
    (S.RESOLVED, A.VERIFY): _t(
        A.VERIFY, S.CLOSED, ("passed",), ("message",), "close",
        on_fail=_t(A.VERIFY, S.IN_PROGRESS, ("passed", "reason"), ("message",), "rework"),
    ),
    (S.SELF_RESOLVED, A.VERIFY): _t(A.VERIFY, S.CLOSED, ("passed",), ("message",), "close"),
    (S.CLOSED, A.CALLBACK): _t(
        A.CALLBACK, S.CLOSED, ("satisfaction",), ("message",), "callback",
        on_fail=_t(A.CALLBACK, S.DISPATCHED, ("satisfaction", "reason"), ("message",), "reopen"),
    ),
}

FLAGS: dict[Action, Flag] = {
    A.SUPERVISE: Flag(roles_for(A.SUPERVISE), ("level", "reason", "due")),
    A.REPLY_SUPERVISION: Flag(roles_for(A.REPLY_SUPERVISION), ("message",), guard=Guard.SUPERVISED),
    A.URGE: Flag(roles_for(A.URGE), (), ("message",)),
    A.ESCALATE: Flag(roles_for(A.ESCALATE), ("reason",)),
    A.EXTEND: Flag(roles_for(A.EXTEND), ("reason",), guard=Guard.CLOCK_RUNNING),
    A.ACKNOWLEDGE: Flag(roles_for(A.ACKNOWLEDGE), (), ("message",)),
    A.ATTACH: Flag(roles_for(A.ATTACH), ("attachment",)),
    A.REQUEST: Flag(roles_for(A.REQUEST), ("request", "reason"), ("until",), guard=Guard.NO_PENDING_REQUEST),
    A.APPROVE: Flag(roles_for(A.APPROVE), (), ("message",), guard=Guard.REQUEST_PENDING),
    A.REJECT_REQUEST: Flag(roles_for(A.REJECT_REQUEST), ("reason",), guard=Guard.REQUEST_PENDING),
    A.ASSIST_SIGN: Flag(roles_for(A.ASSIST_SIGN), (), ("message",), guard=Guard.CO_HANDLED),
    A.ASSIST_REPORT: Flag(roles_for(A.ASSIST_REPORT), ("message",), guard=Guard.CO_HANDLED),
    A.DELEGATE: Flag(roles_for(A.DELEGATE), ("to_level", "reason")),
    A.ASSIGN: Flag(roles_for(A.ASSIGN), ("assignee",), guard=Guard.WITH_DEPARTMENT),
    A.SLA_WARNING: Flag(roles_for(A.SLA_WARNING), guard=Guard.WARNING_DUE),
    A.SLA_OVERDUE: Flag(roles_for(A.SLA_OVERDUE), guard=Guard.OVERDUE_DUE),
}

# Limits that ride with the flags.
MAX_EXTENSIONS = 2
TOP_OWNER_LEVEL = 1  # escalation stops at the city (Level.CITY)
URGE_MIN_INTERVAL = 600.0  # seconds between two urges of one case
URGE_WINDOW = 86400.0  # the rolling day
URGE_MAX_PER_WINDOW = 3
MAX_ATTACHMENTS = 60  # photos and documents per case

_HANDLING = frozenset({S.DISPATCHED, S.IN_PROGRESS})


def _guard_clock(case: Case, now: float) -> str | None:
    if not clock_running(case):
        return "the SLA clock is not running"
    return None


def _guard_supervised(case: Case, now: float) -> str | None:
    if case.supervision is None:
        return "the case is not under supervision"
    if case.supervision.reply is not None:
        return "the supervision order has already been answered"
    return None


def _sign_due(case: Case, tick: str, now: float) -> bool:
    clock = sign_clock(case)
    return clock is not None and tick_is_due(clock, tick, now)


def _guard_warning(case: Case, now: float) -> str | None:
    if _sign_due(case, "warning", now):  # the 签收 clock beside the step's
        return None
    clock = stage_clock(case)
    if clock is None or not clock.running:
        return "the SLA clock is not running"
    if SLA_ORDER[clock.state] >= 1:
        return f"the SLA state is already {clock.state.value}"
    if clock.warning_at is None or now < clock.warning_at:
        return "the warning time has not come"
    return None


def _guard_overdue(case: Case, now: float) -> str | None:
    if _sign_due(case, "overdue", now):
        return None
    clock = stage_clock(case)
    if clock is None or not clock.running:
        return "the SLA clock is not running"
    if SLA_ORDER[clock.state] >= 2:
        return "the case is already overdue"
    if now < clock.deadline:
        return "the deadline has not passed"
    return None


def pending_request(case: Case) -> bool:
    return case.request is not None and case.request.approved is None


def _guard_no_request(case: Case, now: float) -> str | None:
    if pending_request(case):
        assert case.request is not None
        return f"a {case.request.kind.value} request already awaits a decision"
    return None


def _guard_request(case: Case, now: float) -> str | None:
    return None if pending_request(case) else "no request awaits a decision"


def _guard_co_handled(case: Case, now: float) -> str | None:
    if not case.assists:
        return "the case has no assisting departments"
    if case.state not in _HANDLING:
        return "the case is not being handled"
    return None


def _guard_department(case: Case, now: float) -> str | None:
    return None if case.state in _HANDLING else "the case is not with a department"


GUARDS: dict[Guard, Callable[[Case, float], str | None]] = {
    Guard.OPEN: lambda case, now: None,
    Guard.CLOCK_RUNNING: _guard_clock,
    Guard.SUPERVISED: _guard_supervised,
    Guard.WARNING_DUE: _guard_warning,
    Guard.OVERDUE_DUE: _guard_overdue,
    Guard.NO_PENDING_REQUEST: _guard_no_request,
    Guard.REQUEST_PENDING: _guard_request,
    Guard.CO_HANDLED: _guard_co_handled,
    Guard.WITH_DEPARTMENT: _guard_department,
}


def lookup(case: Case | None, action: Action, now: float) -> tuple[Transition | Flag | None, str | None]:
    """The table entry for ``action`` on ``case`` (None: creation), or (None, why not)."""
    state = case.state if case is not None else None
    move = TRANSITIONS.get((state, action))
    if move is not None:
        return move, None
    flag = FLAGS.get(action)
    if flag is None or case is None:
        return None, None
    if case.state not in OPEN_STATES:
        return None, f"the case is {case.state.value}"
    why = GUARDS[flag.guard](case, now)
    return (None, why) if why else (flag, None)


def branches(move: Transition | Flag) -> TypeGuard[Transition]:
    """True for a move whose outcome an argument picks (VERIFY's ``passed``, CALLBACK's ``satisfaction``)."""
    return isinstance(move, Transition) and bool({"passed", "satisfaction"} & set(move.required))


def fails(vals: dict[str, Any]) -> bool:
    """True when the arguments pick a branching move's failed outcome."""
    return vals.get("passed") is False or vals.get("satisfaction") is Satisfaction.DISSATISFIED


def next_state(state: State | None, action: Action, passed: bool | None = None) -> State | None:
    """Where ``action`` leads from ``state`` per the tables, or None if nowhere.

    ``passed`` picks a branching move's outcome (False: the failed one: VERIFY sends back,
    CALLBACK reopens). Flags keep an open state; their guards depend on the case and are
    not considered here.
    """
    move = TRANSITIONS.get((state, action))
    if move is not None:
        if passed is False and branches(move):
            return move.on_fail.next_state if move.on_fail is not None else None
        return move.next_state
    if action in FLAGS and state in OPEN_STATES:
        return state
    return None


def _fail(code: ErrorCode, message: str, **detail: Any) -> DomainError:
    return DomainError(code, message, detail)


# -- limits (LIMIT_EXCEEDED, RATE_LIMITED) -------------------------------------------


def recent_urges(case: Case, now: float) -> tuple[float, ...]:
    return tuple(t for t in case.urge_times if now - t < URGE_WINDOW)


def urge_wait(case: Case, now: float) -> float:
    """Seconds until the next urge is allowed; 0 when it is allowed now (the UI shows it)."""
    wait = 0.0
    if case.last_urged_at is not None:
        wait = max(wait, case.last_urged_at + URGE_MIN_INTERVAL - now)
    recent = recent_urges(case, now)
    if len(recent) >= URGE_MAX_PER_WINDOW:
        wait = max(wait, sorted(recent)[-URGE_MAX_PER_WINDOW] + URGE_WINDOW - now)
    return wait


def limit_refusal(case: Case, action: Action, now: float) -> DomainError | None:
    """The error a flag's limit raises for ``action`` now (urge rate, escalation, extensions), or None."""
    if action is A.URGE:
        wait = urge_wait(case, now)
        if wait > 0:
            return _fail(
                ErrorCode.RATE_LIMITED,
                f"case {case.id} was urged too recently: at most one urge per {URGE_MIN_INTERVAL / 60:g} minutes "
                f"and {URGE_MAX_PER_WINDOW} per day",
                retry_after=wait,
            )
    elif action is A.ESCALATE and case.owner_level <= TOP_OWNER_LEVEL:
        return _fail(ErrorCode.LIMIT_EXCEEDED, f"case {case.id} is already owned by the city; it cannot go higher")
    elif action is A.ATTACH and len(case.attachments) >= MAX_ATTACHMENTS:
        return _fail(ErrorCode.LIMIT_EXCEEDED, f"case {case.id} already has {MAX_ATTACHMENTS} attachments")
    elif action is A.EXTEND and case.extension_count >= MAX_EXTENSIONS:
        return _fail(ErrorCode.LIMIT_EXCEEDED, f"case {case.id} has had its {MAX_EXTENSIONS} extensions")
    elif action is A.ESCALATE and case.owner_level > BOTTOM_OWNER_LEVEL:
        return _fail(ErrorCode.LIMIT_EXCEEDED, f"case {case.id} has no owning level to escalate from")
    return None


def requested_action(case: Case) -> Action | None:
    """The lifecycle move the case's pending request asks for, or None."""
    if not pending_request(case):
        return None
    assert case.request is not None
    return REQUEST_ACTIONS[case.request.kind]

