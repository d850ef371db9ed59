"""The operator's work queues, as predicates over a case.

A queue is a pure function of the case as it stands, so the client can keep its
indexes incrementally (a changed case moves between queues) and the hub, the
console and the wall all count the same thing. One queue also reads who looks:
我的待办 (``MINE``) holds the cases assigned to the signed-in person (``USER_PREDICATES``,
a function of the case and the user id; the client's index is told the user once).
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from domain.clocks import awaits_callback, sign_clock
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
    MINE = "mine"  # 我的待办: assigned to the signed-in person (a department's user) and still with them
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
    Queue.SLA_ALERT: lambda c: c.state in OPEN_STATES and (c.sla_state in _ALERT or c.stage_sla in _ALERT
                                                           or (c.sign_sla in _ALERT and sign_clock(c) is not None)),
    Queue.SUPERVISED: lambda c: c.state in OPEN_STATES
    and c.supervision is not None
    and c.supervision.reply is None,
    Queue.APPROVALS: lambda c: c.state in OPEN_STATES and c.request is not None and c.request.approved is None,
    Queue.CALLBACK: lambda c: awaits_callback(c),
    Queue.ALL: lambda c: True,
}


#: States in which an assigned case is still the assignee's to do.
_MINE = frozenset({State.DISPATCHED, State.IN_PROGRESS, State.SUSPENDED})

USER_PREDICATES: dict[Queue, Callable[[Case, str], bool]] = {
    Queue.MINE: lambda c, me: bool(me) and c.assignee == me and c.state in _MINE,
}


def queues_of(case: Case, me: str | None = None) -> frozenset[Queue]:
    """Every queue the case belongs to right now; ``me`` (a user id) adds the user's own queues."""
    mine = frozenset(q for q, pred in USER_PREDICATES.items() if me and pred(case, me))
    return frozenset(q for q, pred in PREDICATES.items() if pred(case)) | mine
