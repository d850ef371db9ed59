"""The single entry point that changes a case: :func:`apply`.

``apply`` reads the tables in ``domain.transitions``, checks in a fixed order — case
exists (NOT_FOUND) → permission (FORBIDDEN) → expected version (CONFLICT) → table
(ILLEGAL_TRANSITION) → arguments (INVALID) → limits (LIMIT_EXCEEDED, RATE_LIMITED) —
then returns a new frozen case (version + 1) and one event. The input is never mutated.
The hub and the simulator call it; nothing else may change a case's state.

SLA clock choices:
- DISPATCH starts the clock (limit from the catalog); re-dispatch after a return keeps the
  running clock, so time lost bouncing between departments counts against the case.
- SUSPEND and RESOLVE stop it and store ``sla_remaining``: the clock time left between now
  and the deadline (negative when overdue). RESUME and rework (a failed VERIFY) restart it
  from that amount; when nothing was left the past deadline stays.
- The warning falls where 20% of the original limit is left (80% used at dispatch).
- EXTEND adds the original limit to the current deadline and re-derives the SLA state.
- Closing records ``closed_on_time``: on time means resolved (``resolved_at``) at or before
  the deadline; a case never dispatched (self-resolved) is on time.
- Terminal states have SLA state NONE. The sweeper's ticks need a running clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from domain import permissions
from domain.errors import DomainError, ErrorCode
from domain.model import (
    TERMINAL_STATES,
    Action,
    Actor,
    Args,
    Case,
    DomainEvent,
    SlaLimit,
    SlaState,
    State,
    Supervision,
)
from domain.rules import Rules
from domain.transitions import (
    Transition,
    branches,
    clock_running,
    limit_refusal,
    lookup,
    next_state,
    recent_urges,
    validated,
)

__all__ = ["Outcome", "apply", "allowed_actions", "next_state", "clock_running", "due_sla_action"]

A = Action
WARNING_SHARE = 0.2  # the warning fires when this share of the original limit is left


class Outcome(msgspec.Struct, frozen=True):
    case: Case
    events: list[DomainEvent]


@dataclass(slots=True)
class _Ctx:
    """Everything an effect or a value check may read."""

    case: Case | None
    action: Action
    vals: dict[str, Any]
    actor: Actor
    now: float
    rules: Rules
    new_id: str | None
    departments_in_scope: Any

    @property
    def current(self) -> Case:
        """The case acted on: only REPORT runs without one, and ``apply`` refuses any other action then."""
        assert self.case is not None, f"{self.action.value} needs a case"
        return self.case


def _fail(code: ErrorCode, message: str, **detail: Any) -> DomainError:
    return DomainError(code, message, detail)


def _check_values(ctx: _Ctx) -> None:
    """Checks of argument values that need the catalog, the case or the clock."""
    v, rules = ctx.vals, ctx.rules
    if ctx.action is A.REPORT:
        if not isinstance(ctx.new_id, str) or not ctx.new_id:
            raise _fail(ErrorCode.INVALID, "new_id is required to report a case", field="new_id")
        if not rules.has_category(v["category"]):
            raise _fail(ErrorCode.INVALID, f"category {v['category']!r} is not in the catalog", field="category")
        retired = rules.catalog.categories[v["category"]]
        if retired.retired:
            if retired.replaced_by:
                why = f"report it as {retired.replaced_by} ({rules.catalog.current(retired.code).name})"
            else:
                why = "it is grid work (a patrol or a visit), not an event; log it as grid work"
            raise _fail(ErrorCode.INVALID, f"category {v['category']!r} is retired: {why}", field="category")
        _check_condition(rules, v)
        if ("lon" in v) != ("lat" in v):
            missing = "lat" if "lon" in v else "lon"
            raise _fail(ErrorCode.INVALID, f"a position needs both lon and lat; {missing} is missing", field=missing)
    elif ctx.action is A.DISPATCH:
        dept = v["department"]
        if not rules.has_department(dept):
            raise _fail(ErrorCode.NOT_FOUND, f"department {dept!r} is not in the catalog", field="department")
        if ctx.departments_in_scope is not None and dept not in ctx.departments_in_scope:
            raise _fail(ErrorCode.FORBIDDEN, f"department {dept!r} is not among those this scope may dispatch to")
    elif ctx.action is A.MERGE and v["parent_id"] == ctx.current.id:
        raise _fail(ErrorCode.INVALID, "parent_id must name another case, not the case itself", field="parent_id")
    elif ctx.action is A.SUPERVISE and v["due"] <= ctx.now:
        raise _fail(ErrorCode.INVALID, "due must be later than now", field="due")


def _check_condition(rules: Rules, v: dict[str, Any]) -> None:
    """A REPORT's 立案条件 must be one the category lists (blank: none given)."""
    code = v.pop("condition", "") or ""
    if not code:
        return
    conditions = rules.catalog.categories[v["category"]].conditions
    if code not in {c.code for c in conditions}:
        known = ", ".join(c.code for c in conditions) or "none"
        raise _fail(ErrorCode.INVALID, f"condition {code!r} is not one of category {v['category']}'s "
                    f"立案条件 (known: {known})", field="condition")
    v["condition"] = code


def _check_evidence(ctx: _Ctx) -> None:
    """EVIDENCE_REQUIRED when the catalog's evidence rules ask for a photo the case lacks."""
    if ctx.action is A.ATTACH:
        # The uploader and the time are the hub's, whatever the reference said.
        ctx.vals["attachment"] = msgspec.structs.replace(ctx.vals["attachment"], by=ctx.actor.id, at=ctx.now)
        return
    evidence = getattr(ctx.rules, "evidence", None)
    if not evidence:
        return
    missing = evidence.missing(ctx.current, ctx.action, ctx.vals.get("passed"))
    if missing:
        names = ", ".join(s.value for s in missing)
        raise _fail(ErrorCode.EVIDENCE_REQUIRED, f"case {ctx.current.id} needs {names} photos to {ctx.action.value}",
                    missing=[s.value for s in missing])


# -- the SLA clock --------------------------------------------------------------------


def _clock_left(case: Case, now: float, rules: Rules) -> float:
    """Clock time between now and the deadline, in the limit's unit; negative when overdue.

    ``rules.remaining`` with a zero limit is minus the clock time elapsed between its
    two instants, which measures this span on the case's calendar.
    """
    # Dispatch sets the limit and the deadline together; callers only come here with a deadline.
    assert case.sla_limit is not None and case.deadline is not None, f"case {case.id} has no running clock"
    zero = SlaLimit(case.sla_limit.kind, 0.0)
    if now <= case.deadline:
        return -rules.remaining(now, case.deadline, zero)
    return rules.remaining(case.deadline, now, zero)


def _stop_clock(ctx: _Ctx) -> dict[str, Any]:
    case = ctx.current
    if case.deadline is None:
        return {}
    return {"sla_remaining": _clock_left(case, ctx.now, ctx.rules)}


def _restart_clock(ctx: _Ctx) -> dict[str, Any]:
    case, now, rules = ctx.current, ctx.now, ctx.rules
    if case.sla_remaining is None or case.sla_limit is None:
        return {"sla_remaining": None}
    left, kind = case.sla_remaining, case.sla_limit.kind
    changes: dict[str, Any] = {"sla_remaining": None}
    if left > 0:
        changes["deadline"] = rules.deadline(now, SlaLimit(kind, left))
        to_warning = left - WARNING_SHARE * case.sla_limit.amount
        changes["warning_at"] = rules.deadline(now, SlaLimit(kind, to_warning)) if to_warning > 0 else now
    return changes


def _sla_state_at(deadline: float, warning_at: float, now: float) -> SlaState:
    if now >= deadline:
        return SlaState.OVERDUE
    return SlaState.WARNING if now >= warning_at else SlaState.OK


# -- effects: what else changes, per table row ----------------------------------------


def _dispatch(ctx: _Ctx) -> dict[str, Any]:
    case, now, rules = ctx.current, ctx.now, ctx.rules
    changes: dict[str, Any] = {"department": ctx.vals["department"]}
    if case.sla_limit is None:  # first dispatch starts the clock; re-dispatch keeps it
        limit = rules.limit(case.category, case.urgency)
        changes.update(
            dispatched_at=now,
            sla_limit=limit,
            deadline=rules.deadline(now, limit),
            warning_at=rules.warning_time(now, limit),
            sla_state=SlaState.OK,
        )
    return changes


def _close(ctx: _Ctx) -> dict[str, Any]:
    case = ctx.current
    done = case.resolved_at if case.resolved_at is not None else ctx.now
    on_time = True if case.deadline is None else done <= case.deadline
    return {"closed_at": ctx.now, "closed_on_time": on_time}


def _rework(ctx: _Ctx) -> dict[str, Any]:
    changes = _restart_clock(ctx)
    changes.update(rework_count=ctx.current.rework_count + 1, reason=ctx.vals["reason"], resolved_at=None)
    return changes


def _supervise(ctx: _Ctx) -> dict[str, Any]:
    v = ctx.vals
    order = Supervision(level=v["level"], reason=v["reason"], due=v["due"], by=ctx.actor.id, at=ctx.now)
    return {"supervision": order, "acknowledged_by": None}


def _reply(ctx: _Ctx) -> dict[str, Any]:
    supervision = ctx.current.supervision
    assert supervision is not None  # the SUPERVISED guard admits only a case under supervision
    order = msgspec.structs.replace(supervision, reply=ctx.vals["message"], replied_at=ctx.now)
    return {"supervision": order}


def _urge(ctx: _Ctx) -> dict[str, Any]:
    case, now = ctx.current, ctx.now
    return {
        "urge_count": case.urge_count + 1,
        "last_urged_at": now,
        "urge_times": recent_urges(case, now) + (now,),
    }


def _extend(ctx: _Ctx) -> dict[str, Any]:
    case, now, rules = ctx.current, ctx.now, ctx.rules
    # EXTEND is guarded by CLOCK_RUNNING: the case has its deadline and limit.
    assert case.deadline is not None and case.sla_limit is not None, f"case {case.id} has no running clock"
    deadline = rules.deadline(case.deadline, case.sla_limit)
    warning_at = rules.warning_time(case.deadline, case.sla_limit)
    return {
        "extension_count": case.extension_count + 1,
        "deadline": deadline,
        "warning_at": warning_at,
        "sla_state": _sla_state_at(deadline, warning_at, now),
    }


def _with_reason(ctx: _Ctx) -> dict[str, Any]:
    return {"reason": ctx.vals["reason"]}


EFFECTS: dict[str, Callable[[_Ctx], dict[str, Any]]] = {
    "accept": lambda ctx: {"accepted_at": ctx.now},
    "reject": _with_reason,
    "merge": lambda ctx: {"merged_into": ctx.vals["parent_id"]},
    "self_resolve": lambda ctx: {"resolved_at": ctx.now},
    "dispatch": _dispatch,
    "sign": lambda ctx: {},
    "return": lambda ctx: {"reason": ctx.vals["reason"], "return_count": ctx.current.return_count + 1},
    "resolve": lambda ctx: {"resolved_at": ctx.now, **_stop_clock(ctx)},
    "suspend": lambda ctx: {"reason": ctx.vals["reason"], "suspended_at": ctx.now, **_stop_clock(ctx)},
    "resume": lambda ctx: {"suspended_at": None, **_restart_clock(ctx)},
    "close": _close,
    "rework": _rework,
    "supervise": _supervise,
    "reply_supervision": _reply,
    "urge": _urge,
    "escalate": lambda ctx: {"owner_level": ctx.current.owner_level - 1},
    "extend": _extend,
    "acknowledge": lambda ctx: {"acknowledged_by": ctx.actor.id},
    "attach": lambda ctx: {"attachments": ctx.current.attachments + (ctx.vals["attachment"],)},
    "sla_warning": lambda ctx: {"sla_state": SlaState.WARNING, "acknowledged_by": None},
    "sla_overdue": lambda ctx: {"sla_state": SlaState.OVERDUE, "acknowledged_by": None},
}
_DETAIL_FIELDS = ("department", "deadline", "owner_level", "extension_count", "rework_count", "sla_state",
                  "sla_remaining", "closed_on_time", "merged_into")


_PERSONAL = ("caller_name", "caller_phone")
_CALLER_TEXT = ("ticket_no",)  # blank: not given


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)


# -- the entry point ------------------------------------------------------------------


def apply(
    case: Case | None,
    action: Action,
    args: Args,
    actor: Actor,
    now: float,
    rules: Rules,
    *,
    expected_version: int | None = None,
    new_id: str | None = None,
    departments_in_scope: Any = None,
) -> Outcome:
    """Apply one command to ``case`` (None to REPORT a new one); raise DomainError if refused."""
    try:
        action = Action(action)
    except ValueError:
        raise _fail(ErrorCode.INVALID, f"unknown action {action!r}", field="action") from None
    if case is None and action is not A.REPORT:
        raise _fail(ErrorCode.NOT_FOUND, f"there is no case to {action.value}")
    # Role and jurisdiction first: an actor who may not act on the case learns nothing about it
    # (not even its version) from the answer.
    report_node = args.node if case is None and isinstance(args, Args) and isinstance(args.node, str) else None
    permissions.check(actor, action, case, node=report_node)
    current = case.version if case is not None else 0
    if expected_version is not None and expected_version != current:
        what = f"case {case.id}" if case is not None else "a new case"
        raise _fail(
            ErrorCode.CONFLICT,
            f"{what} is at version {current}, the command expected {expected_version}",
            current_version=current,
        )
    move, why = lookup(case, action, now)
    if move is None:
        state = case.state.value if case is not None else "new"
        raise _fail(
            ErrorCode.ILLEGAL_TRANSITION,
            f"case {case.id if case else ''} is {state}: {action.value} is not allowed" + (f" ({why})" if why else ""),
            state=state,
            action=action.value,
        )
    if actor.role not in move.roles:
        state = case.state.value if case is not None else "new"
        raise _fail(ErrorCode.FORBIDDEN, f"role {_plain(actor.role)} may not {action.value} a {state} case")
    vals = validated(args, move)
    if branches(move) and vals["passed"] is False:
        assert case is not None  # only VERIFY branches, and it acts on a case
        if move.on_fail is None:
            raise _fail(
                ErrorCode.ILLEGAL_TRANSITION,
                f"case {case.id} is {case.state.value}: {action.value} with passed=false is not allowed",
                state=case.state.value,
                action=action.value,
            )
        move = move.on_fail
        vals = validated(args, move)
    ctx = _Ctx(case, action, vals, actor, now, rules, new_id, departments_in_scope)
    _check_values(ctx)
    if case is None:
        return _report(ctx)
    refusal = limit_refusal(case, action, now)
    if refusal is not None:
        raise refusal
    _check_evidence(ctx)

    effect = move.effect if isinstance(move, Transition) else action.value
    changes = EFFECTS[effect](ctx)
    state = move.next_state if isinstance(move, Transition) else case.state
    if state in TERMINAL_STATES:
        changes["sla_state"] = SlaState.NONE
    new = msgspec.structs.replace(case, **changes, state=state, version=case.version + 1, updated_at=now)
    detail: dict[str, object] = {k: _plain(v) for k, v in vals.items()}
    if state is not case.state:
        detail.update({"from": case.state.value, "to": state.value})
    detail.update({k: _plain(changes[k]) for k in _DETAIL_FIELDS if changes.get(k) is not None and k not in detail})
    return Outcome(new, [_event(new, action, actor, now, detail)])


def _report(ctx: _Ctx) -> Outcome:
    v = ctx.vals
    assert ctx.new_id is not None  # _check_values refuses a REPORT without one
    case = Case(
        id=ctx.new_id,
        node=v["node"],
        category=v["category"],
        urgency=v["urgency"],
        source=v["source"],
        state=State.REPORTED,
        version=1,
        reported_at=ctx.now,
        reported_by=ctx.actor.id,
        description=v.get("description", ""),
        address=v.get("address", ""),
        updated_at=ctx.now,
        lon=v.get("lon"),
        lat=v.get("lat"),
        caller_name=v.get("caller_name", ""),
        caller_phone=v.get("caller_phone", ""),
        ticket_no=v.get("ticket_no", ""),
        condition=v.get("condition"),
    )
    # The caller's name and phone stay on the case (masked per role by the hub), not in the event.
    detail: dict[str, object] = {k: _plain(x) for k, x in v.items()
                               if k not in _PERSONAL and not (k in _CALLER_TEXT and x == "")}
    detail["to"] = State.REPORTED.value
    return Outcome(case, [_event(case, A.REPORT, ctx.actor, ctx.now, detail)])


def _event(case: Case, action: Action, actor: Actor, now: float, detail: dict[str, object]) -> DomainEvent:
    return DomainEvent(
        kind=action, case_id=case.id, at=now, actor=actor.id, role=actor.role, version=case.version, detail=detail
    )


# -- helpers for UIs and the sweeper --------------------------------------------------


def allowed_actions(case: Case | None, actor: Actor, now: float) -> list[Action]:
    """Actions the table, the guards, the limits and the permissions allow right now.

    Arguments are not considered (the UI asks for them); for ``case=None`` this is
    [REPORT] when the actor may report at all.
    """
    result = []
    for action in Action:
        if case is None and action is not A.REPORT:
            continue
        if not permissions.can(actor, action, case):
            continue
        move, _ = lookup(case, action, now)
        if move is None or actor.role not in move.roles:
            continue
        if case is not None and limit_refusal(case, action, now) is not None:
            continue
        result.append(action)
    return result


def due_sla_action(case: Case, now: float) -> Action | None:
    """The tick the SLA sweeper should apply to ``case`` now (OVERDUE first), or None."""
    for action in (A.SLA_OVERDUE, A.SLA_WARNING):
        move, _ = lookup(case, action, now)
        if move is not None:
            return action
    return None
