"""The operator's queues are predicates over a case (domain/queues.py)."""

from __future__ import annotations

import msgspec
import pytest

from domain.model import Case, SlaState, Source, State, Supervision, Urgency
from domain.queues import Queue, queues_of

BASE = Case(id="c", node="370202001001001", category="10103", urgency=Urgency.NORMAL, source=Source.RESIDENT,
            state=State.REPORTED, version=1, reported_at=0.0, reported_by="gw")


@pytest.mark.parametrize("state,queue", [
    (State.REPORTED, Queue.INTAKE), (State.ACCEPTED, Queue.TO_DISPATCH), (State.DISPATCHED, Queue.IN_PROGRESS),
    (State.IN_PROGRESS, Queue.IN_PROGRESS), (State.SUSPENDED, Queue.IN_PROGRESS), (State.RETURNED, Queue.RETURNED),
    (State.RESOLVED, Queue.TO_VERIFY), (State.SELF_RESOLVED, Queue.TO_VERIFY),
])
def test_each_state_has_its_queue(state, queue):
    case = msgspec.structs.replace(BASE, state=state)
    assert queues_of(case) == {queue, Queue.ALL}


def test_alert_and_supervision_ride_on_open_states_only():
    overdue = msgspec.structs.replace(BASE, state=State.IN_PROGRESS, sla_state=SlaState.OVERDUE,
                                      supervision=Supervision(level=1, reason="r", due=1.0, by="s", at=0.0))
    assert {Queue.SLA_ALERT, Queue.SUPERVISED, Queue.IN_PROGRESS} <= queues_of(overdue)
    replied = msgspec.structs.replace(overdue, supervision=msgspec.structs.replace(overdue.supervision, reply="done"))
    assert Queue.SUPERVISED not in queues_of(replied)
    closed = msgspec.structs.replace(overdue, state=State.CLOSED)
    assert queues_of(closed) == {Queue.ALL}
