"""The alarms still waiting for someone: 特急 or past a limit, open and unacknowledged.

A console opened mid-shift (or reloaded by a snapshot) lists them quietly. Picking them out
of a city's ~10^5 cases is a pure scan over immutable cases, so it can run off the GUI
thread (``desktop.background``); only the few kept become widgets.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from concurrent.futures import Future

from desktop import background
from domain.model import OPEN_STATES, Case, SlaState, Urgency


def overdue(case: Case) -> bool:
    """Past a limit at any step: 处置, a short step (受理, 派遣, 核查) or the 签收 clock."""
    return SlaState.OVERDUE in (case.sla_state, case.stage_sla, case.sign_sla)


def kind_of(case: Case) -> str:
    """The alarm a waiting case raises: "overdue" or "critical"."""
    return "overdue" if overdue(case) else "critical"


def waiting(case: Case) -> bool:
    """Open, unacknowledged, and 特急 or past a limit."""
    return case.acknowledged_by is None and case.state in OPEN_STATES and \
        (case.urgency is Urgency.CRITICAL or overdue(case))


def outstanding(cases: Iterable[Case], root: str, limit: int) -> list[Case]:
    """The ``limit`` most recently updated waiting alarms under ``root``, oldest first."""
    critical, open_states = Urgency.CRITICAL, OPEN_STATES
    found = (c for c in cases
             if c.acknowledged_by is None and c.state in open_states and c.node.startswith(root)
             and (c.urgency is critical or overdue(c)))
    # as sorted(waiting, key=time)[-limit:] would give, ties in scan order, without sorting them all
    keyed = ((c.updated_at or c.reported_at, i, c) for i, c in enumerate(found))
    return [c for _, _, c in sorted(heapq.nlargest(limit, keyed, key=lambda t: t[:2]), key=lambda t: t[:2])]


class Seeder:
    """``outstanding`` run on the bulk worker; what it found is handed out a few per display tick."""

    def __init__(self) -> None:
        self._future: Future[list[Case]] | None = None
        self._found: list[Case] = []

    def start(self, cases: list[Case], root: str, limit: int) -> None:
        self._future, self._found = background.submit(outstanding, cases, root, limit), []

    def cancel(self) -> None:
        self._future, self._found = None, []

    @property
    def busy(self) -> bool:
        return self._future is not None or bool(self._found)

    def take(self, n: int) -> list[Case]:
        """Up to ``n`` found cases, oldest first; none while the scan runs."""
        if self._future is not None and self._future.done():
            self._found, self._future = self._future.result(), None
        out, self._found = self._found[:n], self._found[n:]
        return out
