"""When fast-forward must run the hub's SLA sweep: the minute after a followed case's SLA moment.

Running ``store.due_for_sla`` every simulated minute costs a query per minute whether or
not anything is due. The simulator knows the warning time and deadline of every case it
follows, so it sweeps at the minute after the earliest of those moments — and at least
every ``FULL_SWEEP_EVERY`` for cases it does not follow (humans' cases, ones it gave up
on). Moments go stale when a case moves on; they are checked against the case before use.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

from domain.clocks import running_clocks
from domain.model import Case, SlaState, State

SWEEP_EVERY = 60.0  # sweeps fall on simulated minute boundaries
FULL_SWEEP_EVERY = 900.0  # ... and come at least this often


def _moment(case: Case) -> float | None:
    """The next moment the hub's clock acts on ``case``: a stage tick or the end of a suspension."""
    if case.state is State.SUSPENDED:
        return case.suspended_until
    moments = []
    for clock in running_clocks(case):  # the step's clock and the 签收 clock beside it
        if clock.state in (SlaState.NONE, SlaState.OK) and clock.warning_at is not None:
            moments.append(clock.warning_at)
        elif clock.state is not SlaState.OVERDUE:
            moments.append(clock.deadline)
    return min(moments, default=None)


class SweepSchedule:
    def __init__(self, start: float, current: Callable[[str], Case | None]) -> None:
        """``current(case_id)``: the case as the simulator last saw it, or None if not followed."""
        self._moments: list[tuple[float, str]] = []
        self._current = current
        self.last_sweep = start

    def note(self, case: Case) -> None:
        """Remember the next clock moment of ``case`` (call after every change of a followed case)."""
        moment = _moment(case)
        if moment is not None:
            heapq.heappush(self._moments, (moment, case.id))

    def _still_due(self, moment: float, case_id: str) -> bool:
        case = self._current(case_id)
        return case is not None and _moment(case) == moment

    def due_at(self, now: float) -> float:
        """The simulated minute (after ``now``) at which the next sweep is needed."""
        moments = self._moments
        while moments and not self._still_due(*moments[0]):
            heapq.heappop(moments)
        full = self.last_sweep + FULL_SWEEP_EVERY
        if moments:
            return min(full, (max(moments[0][0], now) // SWEEP_EVERY + 1) * SWEEP_EVERY)
        return full

    def swept(self, now: float) -> None:
        """A sweep ran at ``now``: every moment up to it is dealt with."""
        moments = self._moments
        while moments and moments[0][0] <= now:
            heapq.heappop(moments)
        self.last_sweep = now
