"""The operator's work queues, as predicates over a case.

A queue is a pure function of the case as it stands, so the client can keep its
indexes incrementally (a changed case moves between queues) and the hub, the
console and the wall all count the same thing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from domain.clocks import awaits_callback
from domain.model import OPEN_STATES, Case, SlaState, State


class Queue(str, enum.Enum):
    INTAKE = "intake"  # 待受理
    TO_DISPATCH = "to_dispatch"  # 待派遣
    IN_PROGRESS = "in_progress"  # 处置中
    RETURNED = "returned"  # 退回
    TO_VERIFY = "to_verify"  # 待核实
    SLA_ALERT = "sla_alert"  # 预警/超期
    SUPERVISED = "supervised"  # 督办中
    APPROVALS = "approvals"  # 待审批: a department's request awaits the command center
    CALLBACK = "callback"  # 待回访: closed, with a caller not yet called back since
    ALL = "all"  # 全部 (open cases and the recently closed the replica holds)


_IN_PROGRESS = frozenset({State.DISPATCHED, State.IN_PROGRESS, State.SUSPENDED})
_TO_VERIFY = frozenset({State.RESOLVED, State.SELF_RESOLVED})
_ALERT = frozenset({SlaState.WARNING, SlaState.OVERDUE})

PREDICATES: dict[Queue, Callable[[Case], bool]] = {
    Queue.INTAKE: lambda c: c.state is State.REPORTED,
    Queue.TO_DISPATCH: lambda c: c.state is State.ACCEPTED,
    Queue.IN_PROGRESS: lambda c: c.state in _IN_PROGRESS,
    Queue.RETURNED: lambda c: c.state is State.RETURNED,
    Queue.TO_VERIFY: lambda c: c.state in _TO_VERIFY,
    Queue.SLA_ALERT: lambda c: c.state in OPEN_STATES and (c.sla_state in _ALERT or c.stage_sla in _ALERT),
    Queue.SUPERVISED: lambda c: c.state in OPEN_STATES
    and c.supervision is not None
    and c.supervision.reply is None,
    Queue.APPROVALS: lambda c: c.state in OPEN_STATES and c.request is not None and c.request.approved is None,
    Queue.CALLBACK: lambda c: awaits_callback(c),
    Queue.ALL: lambda c: True,
}


def queues_of(case: Case) -> frozenset[Queue]:
    """Every queue the case belongs to right now."""
    return frozenset(q for q, pred in PREDICATES.items() if pred(case))
