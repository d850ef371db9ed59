"""The queue index's columns of many cases in one pass, queue membership included.

``queue_index.queue_bits`` asks every predicate of ``domain.queues`` of one case: ~3 µs a
case, a third of a second for a city snapshot of 10^5 cases. Here most of a case's queues
come from a table by state (a numpy lookup over the whole column); a case adds, in the same
pass that reads its other columns, only the few facts a state alone does not give (an SLA
alert, a pending supervision or request, a callback due, its assignee). The result equals
``queue_bits`` case by case (tests/backend_client/test_queue_columns.py compares them on
cases of every queue, and on a city snapshot served by a real hub).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from domain.clocks import awaits_callback, sign_clock
from domain.model import OPEN_STATES, Case, SlaState, State, Urgency
from domain.queues import Queue

GRID_DIGITS = 15
#: Each queue's bit in the ``queues`` column.
QUEUE_BITS: dict[Queue, int] = {q: 1 << i for i, q in enumerate(Queue)}
#: The keys a queue view sorts by.
SORT_KEYS = ("id", "urgency", "category", "node", "state", "reported_at", "deadline", "department", "priority")
#: 10 ** (GRID_DIGITS - digits) by digits: pads a node code to GRID_DIGITS.
_PAD: tuple[int, ...] = tuple(10 ** (GRID_DIGITS - n) for n in range(GRID_DIGITS + 1))


def node_number(code: str) -> int:
    """A node code as an int64 padded to 15 digits, so a subtree is one integer range."""
    if not code.isascii() or not code.isdigit() or len(code) > GRID_DIGITS:
        raise ValueError(f"node code {code!r} must be at most {GRID_DIGITS} ASCII digits")
    return int(code) * _PAD[len(code)]


STATE_ORD: dict[State, int] = {s: i for i, s in enumerate(State)}
URGENCY_ORD = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.CRITICAL: 2}
SLA_ORD = {SlaState.NONE: 0, SlaState.OK: 1, SlaState.WARNING: 2, SlaState.OVERDUE: 3}

#: Queues a case's state alone decides (domain.queues.PREDICATES).
_BY_STATE: dict[Queue, frozenset[State]] = {
    Queue.INTAKE: frozenset({State.REPORTED}),
    Queue.TO_DISPATCH: frozenset({State.ACCEPTED}),
    Queue.IN_PROGRESS: frozenset({State.DISPATCHED, State.IN_PROGRESS, State.SUSPENDED}),
    Queue.RETURNED: frozenset({State.RETURNED}),
    Queue.TO_VERIFY: frozenset({State.RESOLVED, State.SELF_RESOLVED}),
    Queue.ALL: frozenset(State),
}
#: Per queue that needs more than the state: the states in which it can hold a case at all.
_GATED: dict[Queue, frozenset[State]] = {
    Queue.SLA_ALERT: frozenset(OPEN_STATES),
    Queue.SUPERVISED: frozenset(OPEN_STATES),
    Queue.APPROVALS: frozenset(OPEN_STATES),
    Queue.CALLBACK: frozenset({State.CLOSED}),
    Queue.MINE: frozenset({State.DISPATCHED, State.IN_PROGRESS, State.SUSPENDED}),
}


def _table(groups: dict[Queue, frozenset[State]]) -> np.ndarray:
    table = np.zeros(len(State), dtype=np.uint16)
    for queue, states in groups.items():
        for state in states:
            table[STATE_ORD[state]] |= QUEUE_BITS[queue]
    return table


#: By state ordinal: the queues the state puts a case in, and the other queues it may be in.
STATE_BITS = _table(_BY_STATE)
GATE_BITS = _table(_GATED)
_ALERT = (SlaState.WARNING, SlaState.OVERDUE)
_SLA_ALERT, _SUPERVISED, _APPROVALS, _CALLBACK, _MINE = (QUEUE_BITS[q] for q in (
    Queue.SLA_ALERT, Queue.SUPERVISED, Queue.APPROVALS, Queue.CALLBACK, Queue.MINE))


def columns(cases: Sequence[Case], me: str | None, numbers: dict[str, int], node_number: Callable[[str], int],
            category_id: Callable[[str | None], int], department_id: Callable[[str | None], int],
            ) -> dict[str, Any]:
    """The index columns of ``cases`` (lists, and ``queues`` as an array), read in one pass.

    ``numbers`` caches ``node_number`` by code (filled here)."""
    nodes, states, urgencies, slas, reported, deadlines, supervised, extras, categories, departments = (
        [], [], [], [], [], [], [], [], [], [])
    inf, alert, closed = np.inf, _ALERT, State.CLOSED
    state_ord, urgency_ord, sla_ord = STATE_ORD, URGENCY_ORD, SLA_ORD
    for k in cases:  # one pass collecting every column (a comprehension per column costs 3×)
        number = numbers.get(k.node)
        if number is None:
            number = numbers[k.node] = node_number(k.node)
        nodes.append(number)
        state = k.state
        states.append(state_ord[state])
        urgencies.append(urgency_ord[k.urgency])
        slas.append(sla_ord[k.sla_state])
        reported.append(k.reported_at)
        deadlines.append(inf if k.deadline is None else k.deadline)
        sup = k.supervision
        supervised.append(inf if sup is None else sup.at)
        categories.append(category_id(k.category))
        departments.append(department_id(k.department))
        # what the state alone does not say; GATE_BITS then keeps each only in the states it applies to
        extra = 0
        if k.sla_state in alert or k.stage_sla in alert or (k.sign_sla in alert and sign_clock(k) is not None):
            extra = _SLA_ALERT
        if sup is not None and sup.reply is None:
            extra |= _SUPERVISED
        request = k.request
        if request is not None and request.approved is None:
            extra |= _APPROVALS
        if state is closed and awaits_callback(k):
            extra |= _CALLBACK
        if me and k.assignee == me:
            extra |= _MINE
        extras.append(extra)
    ords = np.array(states, dtype=np.int8)
    queues = STATE_BITS[ords] | (np.array(extras, dtype=np.uint16) & GATE_BITS[ords])
    return {"node": nodes, "state": ords, "urgency": urgencies, "sla": slas, "reported_at": reported,
            "deadline": deadlines, "supervised_at": supervised, "queues": queues, "category": categories,
            "department": departments}
