"""What else changes when a table row applies: one function per ``Transition.effect`` name.

``domain.lifecycle.apply`` picks the row and checks the command; the function named by the
row's effect (a flag's effect is its action's name) returns the changed ``Case`` fields.

Clock choices (处置, the classic SLA clock):
- DISPATCH starts it (the item's 处置 limit, or its condition's); re-dispatch after a return
  keeps the running clock, so time lost bouncing between departments counts against the case.
- SUSPEND and RESOLVE stop it and store ``sla_remaining``: the clock time left between now
  and the deadline (negative when overdue). RESUME and rework (a failed VERIFY) restart it
  from that amount; when nothing was left the past deadline stays.
- The warning falls where 20% of the original limit is left (80% used at dispatch).
- EXTEND adds the original limit to the current deadline and re-derives the SLA state.
- Closing records ``closed_on_time``: on time means resolved (``resolved_at``) at or before
  the deadline; a case never dispatched (self-resolved) is on time.
- A dissatisfied callback reopens the case (重办) with a fresh 处置 clock of the full limit.

The short steps (受理 from report, 派遣 from accept, 核查 from resolve) each start their
own clock in the ``stage_*`` fields (see ``domain.clocks``). When the hub runs a 签收 limit,
dispatch and a reopen (重办) start the 签收 clock (``sign_*``), which SIGN ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from domain.clocks import clock_due, limits_for, stage_of
from domain.model import (
    Action,
    Actor,
    Args,
    Assist,
    Callback,
    Case,
    ClockStage,
    Request,
    SlaLimit,
    SlaState,
    Supervision,
)
from domain.rules import Rules
from domain.transitions import recent_urges

WARNING_SHARE = 0.2  # the warning fires when this share of the original limit is left


@dataclass(slots=True)
class Ctx:
    """Everything an effect or a value check may read."""

    case: Case | None
    action: Action
    vals: dict[str, Any]
    actor: Actor
    now: float
    rules: Rules
    new_id: str | None
    departments_in_scope: Any
    args: Args | None = None

    @property
    def current(self) -> Case:
        """The case acted on: only REPORT runs without one, and ``apply`` refuses any other action then."""
        assert self.case is not None, f"{self.action.value} needs a case"
        return self.case


# -- the 处置 clock ---------------------------------------------------------------------


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


def _stop_clock(ctx: Ctx) -> dict[str, Any]:
    case = ctx.current
    if case.deadline is None:
        return {}
    return {"sla_remaining": _clock_left(case, ctx.now, ctx.rules)}


def _restart_clock(ctx: Ctx) -> dict[str, Any]:
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


def sla_state_at(deadline: float, warning_at: float, now: float) -> SlaState:
    if now >= deadline:
        return SlaState.OVERDUE
    return SlaState.WARNING if now >= warning_at else SlaState.OK


def _handle_limit(case: Case, rules: Rules) -> SlaLimit:
    limits = limits_for(case, rules.catalog)
    return limits.handle if limits is not None else rules.limit(case.category, case.urgency)


def _fresh_handle_clock(case: Case, now: float, rules: Rules) -> dict[str, Any]:
    limit = _handle_limit(case, rules)
    return {"sla_limit": limit, "deadline": rules.deadline(now, limit), "warning_at": rules.warning_time(now, limit),
            "sla_state": SlaState.OK, "sla_remaining": None}


# -- the short step clocks (受理, 派遣, 核查) ---------------------------------------------

NO_STAGE_CLOCK: dict[str, Any] = {"stage_deadline": None, "stage_warning_at": None, "stage_sla": SlaState.NONE}


def start_stage(case: Case, stage: ClockStage, now: float, rules: Rules) -> dict[str, Any]:
    """The fields that start ``stage``'s clock now; no clock when the catalog has no limits for the case."""
    limits = limits_for(case, rules.catalog)
    if limits is None:
        return dict(NO_STAGE_CLOCK)
    limit = limits.of(stage)
    return {"stage_deadline": rules.deadline(now, limit), "stage_warning_at": rules.warning_time(now, limit),
            "stage_sla": SlaState.OK}


def _late(case: Case, stage: ClockStage) -> tuple[ClockStage, ...]:
    return case.stages_late if stage in case.stages_late else case.stages_late + (stage,)


def ticked_stage(case: Case, state: SlaState, now: float) -> ClockStage | None:
    """The step whose clock a warning/overdue tick at ``now`` applies to (the guard found one due)."""
    clock = clock_due(case, "overdue" if state is SlaState.OVERDUE else "warning", now)
    return clock.stage if clock is not None else stage_of(case)


_SLA_FIELD = {ClockStage.HANDLE: "sla_state", ClockStage.SIGN: "sign_sla"}


def _tick(state: SlaState) -> Callable[[Ctx], dict[str, Any]]:
    def effect(ctx: Ctx) -> dict[str, Any]:
        case = ctx.current
        stage = ticked_stage(case, state, ctx.now)
        changes: dict[str, Any] = {"acknowledged_by": None}
        changes[_SLA_FIELD.get(stage, "stage_sla") if stage is not None else "stage_sla"] = state
        if state is SlaState.OVERDUE and stage is not None:
            changes["stages_late"] = _late(case, stage)
        return changes

    return effect


# -- effects: what else changes, per table row ----------------------------------------


def _dispatch(ctx: Ctx) -> dict[str, Any]:
    case, now, rules = ctx.current, ctx.now, ctx.rules
    assists = tuple(Assist(department=d) for d in ctx.vals.get("assist", ()))
    changes: dict[str, Any] = {"department": ctx.vals["department"], "assists": assists, **NO_STAGE_CLOCK}
    if case.sla_limit is None:  # first dispatch starts the clock; re-dispatch keeps it
        changes.update(dispatched_at=now, **_fresh_handle_clock(case, now, rules))
    if getattr(rules, "sign_limit", None) is not None:
        changes.update(fresh_sign_clock(now, rules), assignee=None, assigned_at=None)
    return changes


def fresh_sign_clock(now: float, rules: Rules) -> dict[str, Any]:
    """The 签收 clock started now (the deployment's limit), or cleared when the hub runs none."""
    limit = getattr(rules, "sign_limit", None)
    if limit is None:
        return {"sign_deadline": None, "sign_warning_at": None, "sign_sla": SlaState.NONE}
    return {"sign_deadline": rules.deadline(now, limit), "sign_warning_at": rules.warning_time(now, limit),
            "sign_sla": SlaState.OK, "signed_at": None}


def _close(ctx: Ctx) -> dict[str, Any]:
    case = ctx.current
    done = case.resolved_at if case.resolved_at is not None else ctx.now
    on_time = True if case.deadline is None else done <= case.deadline
    return {"closed_at": ctx.now, "closed_on_time": on_time}


def _rework(ctx: Ctx) -> dict[str, Any]:
    changes = _restart_clock(ctx)
    changes.update(rework_count=ctx.current.rework_count + 1, reason=ctx.vals["reason"], resolved_at=None,
                   **NO_STAGE_CLOCK)
    return changes


def _supervise(ctx: Ctx) -> dict[str, Any]:
    v = ctx.vals
    order = Supervision(level=v["level"], reason=v["reason"], due=v["due"], by=ctx.actor.id, at=ctx.now)
    return {"supervision": order, "acknowledged_by": None}


def _reply(ctx: Ctx) -> dict[str, Any]:
    supervision = ctx.current.supervision
    assert supervision is not None  # the SUPERVISED guard admits only a case under supervision
    order = msgspec.structs.replace(supervision, reply=ctx.vals["message"], replied_at=ctx.now)
    return {"supervision": order}


def _urge(ctx: Ctx) -> dict[str, Any]:
    case, now = ctx.current, ctx.now
    return {
        "urge_count": case.urge_count + 1,
        "last_urged_at": now,
        "urge_times": recent_urges(case, now) + (now,),
    }


def _extend(ctx: Ctx) -> dict[str, Any]:
    case, now, rules = ctx.current, ctx.now, ctx.rules
    # EXTEND is guarded by CLOCK_RUNNING: the case has its deadline and limit.
    assert case.deadline is not None and case.sla_limit is not None, f"case {case.id} has no running clock"
    deadline = rules.deadline(case.deadline, case.sla_limit)
    warning_at = rules.warning_time(case.deadline, case.sla_limit)
    return {
        "extension_count": case.extension_count + 1,
        "deadline": deadline,
        "warning_at": warning_at,
        "sla_state": sla_state_at(deadline, warning_at, now),
    }


def _suspend(ctx: Ctx) -> dict[str, Any]:
    return {"reason": ctx.vals["reason"], "suspended_at": ctx.now, "suspended_until": ctx.vals.get("until"),
            **_stop_clock(ctx)}


def _resolve(ctx: Ctx) -> dict[str, Any]:
    return {"resolved_at": ctx.now, **_stop_clock(ctx), **start_stage(ctx.current, ClockStage.VERIFY, ctx.now,
                                                                      ctx.rules)}


def _with_reason(ctx: Ctx) -> dict[str, Any]:
    return {"reason": ctx.vals["reason"]}


# -- requests, co-handling, callback, levels --------------------------------------------


def _request(ctx: Ctx) -> dict[str, Any]:
    v = ctx.vals
    return {"request": Request(kind=v["request"], reason=v["reason"], by=ctx.actor.id, at=ctx.now,
                               until=v.get("until"))}


def decided(ctx: Ctx, approved: bool, answer: str | None) -> dict[str, Any]:
    request = ctx.current.request
    assert request is not None  # the REQUEST_PENDING guard admits only a case with a request
    return {"request": msgspec.structs.replace(request, approved=approved, answer=answer, decided_by=ctx.actor.id,
                                               decided_at=ctx.now)}


def _assist_changed(ctx: Ctx, **fields: Any) -> dict[str, Any]:
    dept = ctx.actor.department
    return {"assists": tuple(msgspec.structs.replace(a, **fields) if a.department == dept else a
                             for a in ctx.current.assists)}


def _callback(ctx: Ctx) -> dict[str, Any]:
    v = ctx.vals
    return {"callback": Callback(satisfaction=v["satisfaction"], by=ctx.actor.id, at=ctx.now,
                                 message=v.get("message") or v.get("reason"))}


def _reopen(ctx: Ctx) -> dict[str, Any]:
    case, now = ctx.current, ctx.now
    return {
        **_callback(ctx), **_fresh_handle_clock(case, now, ctx.rules), **NO_STAGE_CLOCK,
        **fresh_sign_clock(now, ctx.rules),
        "reopen_count": case.reopen_count + 1, "rework_count": case.rework_count + 1, "reason": ctx.vals["reason"],
        "closed_at": None, "closed_on_time": None, "resolved_at": None, "suspended_at": None,
        "suspended_until": None, "assists": tuple(Assist(department=a.department) for a in case.assists),
    }


EFFECTS: dict[str, Callable[[Ctx], dict[str, Any]]] = {
    "accept": lambda ctx: {"accepted_at": ctx.now, **start_stage(ctx.current, ClockStage.DISPATCH, ctx.now,
                                                                 ctx.rules)},
    "reject": _with_reason,
    "merge": lambda ctx: {"merged_into": ctx.vals["parent_id"]},
    "self_resolve": lambda ctx: {"resolved_at": ctx.now, **start_stage(ctx.current, ClockStage.VERIFY, ctx.now,
                                                                       ctx.rules)},
    "dispatch": _dispatch,
    "sign": lambda ctx: {"signed_at": ctx.now},
    "return": lambda ctx: {"reason": ctx.vals["reason"], "return_count": ctx.current.return_count + 1},
    "resolve": _resolve,
    "suspend": _suspend,
    "resume": lambda ctx: {"suspended_at": None, "suspended_until": None, **_restart_clock(ctx)},
    "close": _close,
    "rework": _rework,
    "callback": _callback,
    "reopen": _reopen,
    "supervise": _supervise,
    "reply_supervision": _reply,
    "urge": _urge,
    "escalate": lambda ctx: {"owner_level": ctx.current.owner_level - 1},
    "delegate": lambda ctx: {"owner_level": ctx.vals["to_level"]},
    "extend": _extend,
    "acknowledge": lambda ctx: {"acknowledged_by": ctx.actor.id},
    "attach": lambda ctx: {"attachments": ctx.current.attachments + (ctx.vals["attachment"],)},
    "request": _request,
    "reject_request": lambda ctx: decided(ctx, False, ctx.vals["reason"]),
    "assist_sign": lambda ctx: _assist_changed(ctx, signed_at=ctx.now),
    "assist_report": lambda ctx: _assist_changed(ctx, report=ctx.vals["message"], reported_at=ctx.now),
    "assign": lambda ctx: {"assignee": ctx.vals["assignee"], "assigned_at": ctx.now},
    "sla_warning": _tick(SlaState.WARNING),
    "sla_overdue": _tick(SlaState.OVERDUE),
}
