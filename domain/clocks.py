"""The stage clocks: which timed step (受理, 派遣, 处置, 核查) a case is in and that step's clock.

处置 (HANDLE) keeps the classic fields of ``Case`` (``deadline``, ``warning_at``, ``sla_state``,
``sla_limit``): suspension stops it, extension adds the limit, re-dispatch keeps it. The
other steps are short and simple, so one set of fields (``stage_deadline``,
``stage_warning_at``, ``stage_sla``) holds whichever of them runs: the step that starts
replaces the one before. A step that runs past its limit is remembered in ``stages_late``
for the indicators (受理超时数 and the like).

Steps by state: reported → 受理; accepted → 派遣; dispatched, in progress, returned,
suspended → 处置; resolved, self-resolved → 核查/核实. Terminal states have none.

签收 (SIGN) is the one clock that runs *beside* another: a hub started with a 签收 limit
(``Rules.sign_limit``) times a dispatched case from dispatch until the department signs,
while 处置 runs too. Its fields are ``sign_deadline``, ``sign_warning_at``, ``sign_sla``;
its limit is the deployment's, not the catalog's. The sweeper ticks whichever clock is due
(:func:`clock_due`), the step clock first.
"""

from __future__ import annotations

from typing import NamedTuple

from domain.catalog import CatalogError
from domain.model import Case, ClockStage, Satisfaction, SlaState, StageLimits, State

S = State

STAGE_OF_STATE: dict[State, ClockStage] = {
    S.REPORTED: ClockStage.ACCEPT,
    S.ACCEPTED: ClockStage.DISPATCH,
    S.DISPATCHED: ClockStage.HANDLE,
    S.IN_PROGRESS: ClockStage.HANDLE,
    S.RETURNED: ClockStage.HANDLE,
    S.SUSPENDED: ClockStage.HANDLE,
    S.RESOLVED: ClockStage.VERIFY,
    S.SELF_RESOLVED: ClockStage.VERIFY,
}

#: States in which the 处置 clock runs. Returned keeps running: re-dispatch keeps the clock.
CLOCK_STATES = frozenset({S.DISPATCHED, S.IN_PROGRESS, S.RETURNED})
#: States whose step clock is one of the short ones (受理, 派遣, 核查).
STAGE_CLOCK_STATES = frozenset(s for s, stage in STAGE_OF_STATE.items() if stage is not ClockStage.HANDLE)
SLA_ORDER = {SlaState.NONE: 0, SlaState.OK: 0, SlaState.WARNING: 1, SlaState.OVERDUE: 2}


class StageClock(NamedTuple):
    """The current step's clock as a person reads it."""

    stage: ClockStage
    deadline: float
    warning_at: float | None
    state: SlaState
    running: bool  # False while suspended or resolved-but-waiting (处置 stopped)


def stage_of(case: Case) -> ClockStage | None:
    """The timed step the case is in now, or None when it is finished."""
    return STAGE_OF_STATE.get(case.state)


def clock_running(case: Case) -> bool:
    """True while the 处置 clock counts: the sweeper may only tick such cases for 处置."""
    return case.state in CLOCK_STATES and case.deadline is not None


def stage_clock(case: Case) -> StageClock | None:
    """The clock of the case's current step, or None when that step has no clock."""
    stage = stage_of(case)
    if stage is None:
        return None
    if stage is ClockStage.HANDLE:
        if case.deadline is None:
            return None
        return StageClock(stage, case.deadline, case.warning_at, case.sla_state, clock_running(case))
    if case.stage_deadline is None:
        return None
    return StageClock(stage, case.stage_deadline, case.stage_warning_at, case.stage_sla, True)


def sign_clock(case: Case) -> StageClock | None:
    """The 签收 clock while it runs: dispatched, not yet signed, with a 签收 deadline."""
    if case.state is not S.DISPATCHED or case.sign_deadline is None or case.signed_at is not None:
        return None
    return StageClock(ClockStage.SIGN, case.sign_deadline, case.sign_warning_at, case.sign_sla, True)


def running_clocks(case: Case) -> list[StageClock]:
    """Every clock that counts now: the current step's, then the 签收 clock beside it."""
    return [c for c in (stage_clock(case), sign_clock(case)) if c is not None and c.running]


def tick_is_due(clock: StageClock, tick: str, now: float) -> bool:
    """True when ``clock`` is due for ``tick`` ("warning" or "overdue") at ``now``."""
    order = SLA_ORDER[clock.state]
    if tick == "overdue":
        return order < 2 and now >= clock.deadline
    return order < 1 and clock.warning_at is not None and now >= clock.warning_at


def clock_due(case: Case, tick: str, now: float) -> StageClock | None:
    """The clock a ``tick`` ("warning" | "overdue") applies to now: the step clock first, then 签收."""
    return next((c for c in running_clocks(case) if tick_is_due(c, tick, now)), None)


def limits_for(case: Case, catalog: object) -> StageLimits | None:
    """The four step limits of the case from the catalog (its condition's 处置 limit if any); None if unknown."""
    stage_limits = getattr(catalog, "stage_limits", None)
    if stage_limits is None:
        return None
    try:
        limits: StageLimits = stage_limits(case.category, case.urgency, case.condition)
    except CatalogError:
        try:
            limits = stage_limits(case.category, case.urgency, None)
        except CatalogError:
            return None
    return limits


def due_tick(case: Case, now: float) -> tuple[str, ClockStage] | None:
    """("overdue" | "warning", stage) when a running clock (the step's or 签收) has a tick due now."""
    for tick in ("overdue", "warning"):
        clock = clock_due(case, tick, now)
        if clock is not None:
            return tick, clock.stage
    return None


def late_stages(case: Case) -> frozenset[ClockStage]:
    return frozenset(case.stages_late)


def awaits_callback(case: Case) -> bool:
    """Closed with a caller (诉求人 phone) not yet called back since it closed (回访).

    A dissatisfied callback always reopens the case, so a closed case whose last callback
    was dissatisfied has been handled again and closed since: it awaits a new callback.
    """
    if case.state is not State.CLOSED or not case.caller_phone:
        return False
    return case.callback is None or case.callback.satisfaction is Satisfaction.DISSATISFIED
