"""The alarms still waiting for someone: 特急 or past a limit, open and unacknowledged.

A console opened mid-shift (or reloaded by a snapshot) lists them quietly. Picking them out
of a city's ~10^5 cases is a pure scan over immutable cases, so it can run off the GUI
thread (``desktop.background``); only the few kept become widgets.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from domain.model import OPEN_STATES, Case, SlaState, Urgency


def overdue(case: Case) -> bool:
    """Past a limit at any step: 处置, a short step (受理, 派遣, 核查) or the 签收 clock."""
    return SlaState.OVERDUE in (case.sla_state, case.stage_sla, case.sign_sla)


def outstanding(cases: Iterable[Case], root: str, limit: int) -> list[Case]:
    """The ``limit`` most recently updated waiting alarms under ``root``, oldest first."""
    critical, open_states = Urgency.CRITICAL, OPEN_STATES
    waiting = (c for c in cases
               if c.acknowledged_by is None and c.state in open_states and c.node.startswith(root)
               and (c.urgency is critical or overdue(c)))
    # as sorted(waiting, key=time)[-limit:] would give, ties in scan order, without sorting them all
    keyed = ((c.updated_at or c.reported_at, i, c) for i, c in enumerate(waiting))
    return [c for _, _, c in sorted(heapq.nlargest(limit, keyed, key=lambda t: t[:2]), key=lambda t: t[:2])]
