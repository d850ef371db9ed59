"""The single entry point that changes a case: :func:`apply`.

``apply`` reads the tables in ``domain.transitions``, checks in a fixed order — case
exists (NOT_FOUND) → permission (FORBIDDEN) → expected version (CONFLICT) → table
(ILLEGAL_TRANSITION) → arguments (INVALID) → limits (LIMIT_EXCEEDED, RATE_LIMITED) —
then returns a new frozen case (version + 1) and one event. The input is never mutated.
The hub and the simulator call it; nothing else may change a case's state.

What else each row changes (the clocks among it) is in ``domain.effects``; the stage
clocks' reading is in ``domain.clocks``. APPROVE makes the move its pending request names,
through that move's own row (see ``domain.transitions``).
"""

from __future__ import annotations

from typing import Any

import msgspec

from domain import permissions
from domain.arguments import BOTTOM_OWNER_LEVEL, validated
from domain.clocks import awaits_callback, clock_running
from domain.effects import EFFECTS, NO_STAGE_CLOCK, Ctx, decided, start_stage, ticked_stage
from domain.errors import DomainError, ErrorCode
from domain.model import (
    REQUEST_ACTIONS,
    TERMINAL_STATES,
    Action,
    Actor,
    Args,
    Case,
    ClockStage,
    DomainEvent,
    RequestKind,
    Role,
    SlaState,
    State,
)
from domain.rules import Rules
from domain.transitions import (
    Flag,
    Transition,
    branches,
    fails,
    limit_refusal,
    lookup,
    next_state,
)

__all__ = ["Outcome", "apply", "allowed_actions", "next_state", "clock_running", "due_sla_action"]

A = Action


class Outcome(msgspec.Struct, frozen=True):
    case: Case
    events: list[DomainEvent]


_Ctx = Ctx


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
        if v.get("to_level", 3) < 3:
            raise _fail(ErrorCode.INVALID, "a new case is owned by its street (3) or its community (4)",
                        field="to_level")
    elif ctx.action is A.DISPATCH:
        for dept in (v["department"], *v.get("assist", ())):
            field = "department" if dept == v["department"] else "assist"
            if not rules.has_department(dept):
                raise _fail(ErrorCode.NOT_FOUND, f"department {dept!r} is not in the catalog", field=field)
            if ctx.departments_in_scope is not None and dept not in ctx.departments_in_scope:
                raise _fail(ErrorCode.FORBIDDEN, f"department {dept!r} is not among those this scope may dispatch to")
        if v["department"] in v.get("assist", ()):
            raise _fail(ErrorCode.INVALID, "the lead department cannot also assist", field="assist")
    elif ctx.action is A.MERGE and v["parent_id"] == ctx.current.id:
        raise _fail(ErrorCode.INVALID, "parent_id must name another case, not the case itself", field="parent_id")
    elif ctx.action is A.SUPERVISE and v["due"] <= ctx.now:
        raise _fail(ErrorCode.INVALID, "due must be later than now", field="due")
    elif ctx.action in (A.SUSPEND, A.REQUEST) and "until" in v and v["until"] <= ctx.now:
        raise _fail(ErrorCode.INVALID, "until must be later than now", field="until")
    if ctx.action is not A.REPORT and ctx.case is not None:
        _check_case_values(ctx)


def blocked(case: Case, action: Action, actor: Actor, now: float) -> DomainError | None:
    """Why ``action`` cannot apply to ``case`` now whatever its args, beyond the table's guards; or None.

    These conditions read the case together with the actor (co-handling) or with other rows
    of the table (a request must name a move possible now), so they sit beside the guards.
    """
    if action is A.REQUEST:
        if not any(_requestable(case, kind, now) for kind in RequestKind):
            return _illegal(case, action, "no extension, suspension or return is possible now")
    elif action in (A.ASSIST_SIGN, A.ASSIST_REPORT):
        mine = next((a for a in case.assists if a.department == actor.department), None)
        if mine is None:
            return _fail(ErrorCode.FORBIDDEN, f"department {actor.department!r} does not assist case {case.id}")
        if action is A.ASSIST_SIGN and mine.signed_at is not None:
            return _illegal(case, action, f"department {mine.department!r} has already signed")
        if action is A.ASSIST_REPORT and mine.signed_at is None:
            return _illegal(case, action, f"department {mine.department!r} must sign before it reports")
        if action is A.ASSIST_REPORT and mine.report is not None:
            return _illegal(case, action, f"department {mine.department!r} has already reported")
    elif action is A.RESOLVE:
        awaiting = [a.department for a in case.assists if a.report is None]
        if awaiting and case.state is State.IN_PROGRESS:
            return _fail(ErrorCode.ILLEGAL_TRANSITION,
                         f"case {case.id} awaits the feedback of its assisting departments: {', '.join(awaiting)}",
                         state=case.state.value, action=action.value, awaiting=awaiting)
    elif action is A.CALLBACK and case.state is State.CLOSED:
        if not case.caller_phone:
            return _illegal(case, action, "the case has no caller to call back")
        if not awaits_callback(case):
            return _illegal(case, action, "the citizen has already been called back since it closed")
    elif action is A.DELEGATE and case.owner_level >= BOTTOM_OWNER_LEVEL:
        return _fail(ErrorCode.LIMIT_EXCEEDED, f"case {case.id} is already owned by the community; it cannot go lower")
    elif action is A.RESUME and actor.role is Role.SYSTEM and case.state is State.SUSPENDED:
        until = case.suspended_until
        if until is None or now < until:
            return _illegal(case, action, "the suspension has no end date that has come")
    return None


def requestable_kinds(case: Case, now: float) -> list[RequestKind]:
    """What a department could ask for on ``case`` now (what its request dialog offers)."""
    return [kind for kind in RequestKind if _requestable(case, kind, now)]


def _requestable(case: Case, kind: RequestKind, now: float) -> bool:
    wanted = REQUEST_ACTIONS[kind]
    move, _ = lookup(case, wanted, now)
    return move is not None and limit_refusal(case, wanted, now) is None


def _check_case_values(ctx: _Ctx) -> None:
    """The new steps' conditions on the case that depend on the args: requests, levels."""
    case, v, action = ctx.current, ctx.vals, ctx.action
    if action is A.REQUEST:
        kind = v["request"]
        if kind is RequestKind.SUSPEND and "until" not in v:
            raise _fail(ErrorCode.INVALID, "a suspension request needs until: when the case resumes", field="until")
        wanted = REQUEST_ACTIONS[kind]
        move, why = lookup(case, wanted, ctx.now)
        if move is None:
            raise _illegal(case, action, f"a {kind.value} is not possible now" + (f": {why}" if why else ""))
        refusal = limit_refusal(case, wanted, ctx.now)
        if refusal is not None:
            raise refusal
    elif action is A.DELEGATE:
        to = v["to_level"]
        if to <= case.owner_level:
            raise _fail(ErrorCode.INVALID, f"case {case.id} is owned by level {case.owner_level}: 下派 goes to a lower "
                        f"level (a higher number, at most {BOTTOM_OWNER_LEVEL})", field="to_level")


def _illegal(case: Case, action: Action, why: str) -> DomainError:
    return _fail(ErrorCode.ILLEGAL_TRANSITION, f"case {case.id} is {case.state.value}: {action.value} is not allowed "
                 f"({why})", state=case.state.value, action=action.value)


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


_DETAIL_FIELDS = ("department", "deadline", "owner_level", "extension_count", "rework_count", "sla_state",
                  "sla_remaining", "closed_on_time", "merged_into", "stage_deadline", "reopen_count",
                  "suspended_until")


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
    why_not = blocked(case, action, actor, now) if case is not None else None
    if why_not is not None:
        raise why_not
    vals = validated(args, move)
    if branches(move) and fails(vals):
        assert case is not None  # only VERIFY and CALLBACK branch, and they act on a case
        if move.on_fail is None:
            raise _fail(
                ErrorCode.ILLEGAL_TRANSITION,
                f"case {case.id} is {case.state.value}: {action.value} with passed=false is not allowed",
                state=case.state.value,
                action=action.value,
            )
        move = move.on_fail
        vals = validated(args, move)
    ctx = _Ctx(case, action, vals, actor, now, rules, new_id, departments_in_scope, args)
    _check_values(ctx)
    if case is None:
        return _report(ctx)
    refusal = limit_refusal(case, action, now)
    if refusal is not None:
        raise refusal
    _check_evidence(ctx)

    if action is A.APPROVE:
        move, changes = _approved(ctx)
        effect = ""
    else:
        effect = move.effect if isinstance(move, Transition) else action.value
        changes = EFFECTS[effect](ctx)
    state = move.next_state if isinstance(move, Transition) else case.state
    if state in TERMINAL_STATES:
        changes.update(sla_state=SlaState.NONE, **NO_STAGE_CLOCK)
    new = msgspec.structs.replace(case, **changes, state=state, version=case.version + 1, updated_at=now)
    detail: dict[str, object] = {k: _plain(v) for k, v in vals.items()}
    if state is not case.state:
        detail.update({"from": case.state.value, "to": state.value})
    detail.update({k: _plain(changes[k]) for k in _DETAIL_FIELDS if changes.get(k) is not None and k not in detail})
    if action in (A.SLA_WARNING, A.SLA_OVERDUE):
        stage = ticked_stage(case, SlaState.OVERDUE if action is A.SLA_OVERDUE else SlaState.WARNING, now)
        detail["stage"] = stage.value if stage is not None else None
    if action in (A.APPROVE, A.REJECT_REQUEST):
        request = new.request
        assert request is not None
        detail.update(request=request.kind.value, approved=request.approved)
        if request.answer:
            detail["answer"] = request.answer
    return Outcome(new, [_event(new, action, actor, now, detail)])


def _approval(case: Case, now: float) -> tuple[Transition | Flag | None, DomainError | None]:
    """The move approving ``case``'s pending request would make now, or why it cannot be made
    (the case moved on since it was asked, e.g. 延期 of a case already resolved)."""
    request = case.request
    assert request is not None
    wanted = REQUEST_ACTIONS[request.kind]
    move, why = lookup(case, wanted, now)
    if move is None:
        return None, _illegal(case, A.APPROVE, f"the requested {request.kind.value} no longer applies"
                              + (f": {why}" if why else "") + "; reject the request instead")
    return move, limit_refusal(case, wanted, now)


def _approved(ctx: _Ctx) -> tuple[Transition | Flag, dict[str, Any]]:
    """The pending request's move made now: its row's effect, its args, and the request marked approved."""
    case = ctx.current
    request = case.request
    assert request is not None  # the REQUEST_PENDING guard
    wanted = REQUEST_ACTIONS[request.kind]
    move, refusal = _approval(case, ctx.now)
    if refusal is not None:
        raise refusal
    assert move is not None
    vals: dict[str, Any] = {"reason": request.reason}
    if request.until is not None:
        vals["until"] = request.until
    inner = _Ctx(case, wanted, vals, ctx.actor, ctx.now, ctx.rules, None, ctx.departments_in_scope)
    effect = move.effect if isinstance(move, Transition) else wanted.value
    changes = EFFECTS[effect](inner)
    changes.update(decided(ctx, True, ctx.vals.get("message")))
    return move, changes


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
        owner_level=v.get("to_level", 3),
    )
    case = msgspec.structs.replace(case, **start_stage(case, ClockStage.ACCEPT, ctx.now, ctx.rules))
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
        if case is not None and (limit_refusal(case, action, now) is not None
                                 or blocked(case, action, actor, now) is not None):
            continue
        if case is not None and action is A.APPROVE and _approval(case, now)[1] is not None:
            continue  # only 驳回 is left for a request the case has outgrown
        result.append(action)
    return result


def due_sla_action(case: Case, now: float) -> Action | None:
    """The tick the hub's clock should apply to ``case`` now (OVERDUE first), or None.

    Besides the current stage's warning and overdue, a suspension whose end date has come
    is due to RESUME.
    """
    if case.state is State.SUSPENDED:
        until = case.suspended_until
        return A.RESUME if until is not None and now >= until else None
    for action in (A.SLA_OVERDUE, A.SLA_WARNING):
        move, _ = lookup(case, action, now)
        if move is not None:
            return action
    return None

