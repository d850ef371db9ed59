"""The sweeper's query by index (backend.store.sweep_query) picks exactly the cases the single
``WHERE … OR …`` it replaced picked, on SQLite and PostgreSQL, for every state, every SLA state of
each clock and each clock's warning/deadline before, at, after ``now`` or missing."""

from __future__ import annotations

import itertools

from sqlalchemy import insert, or_, select

from backend.store.models import CaseRow
from backend.store.sweep_query import due_statement
from domain.clocks import CLOCK_STATES, STAGE_CLOCK_STATES
from domain.model import SlaState, State

NOW = 1000.0
TIMES = (None, 900.0, NOW, 1100.0)  # missing, passed, now, to come
SLAS = [s.value for s in SlaState]


def _reference(now: float, limit: int):
    """The query as it was before revision 0011 (one OR, ordered by id)."""
    c = CaseRow
    early = [SlaState.NONE.value, SlaState.OK.value]
    later = [*early, SlaState.WARNING.value]
    handle = (c.state.in_([s.value for s in CLOCK_STATES]) & c.deadline.is_not(None) & c.suspended_at.is_(None)
              & ((c.sla_state.in_(early) & (c.warning_at <= now)) | (c.sla_state.in_(later) & (c.deadline <= now))))
    stage = (c.state.in_([s.value for s in STAGE_CLOCK_STATES]) & c.stage_deadline.is_not(None)
             & ((c.stage_sla.in_(early) & (c.stage_warning_at <= now))
                | (c.stage_sla.in_(later) & (c.stage_deadline <= now))))
    sign = ((c.state == State.DISPATCHED.value) & c.sign_deadline.is_not(None)
            & ((c.sign_sla.in_(early) & (c.sign_warning_at <= now))
               | (c.sign_sla.in_(later) & (c.sign_deadline <= now))))
    resume = (c.state == State.SUSPENDED.value) & (c.suspended_until <= now)
    return select(c.body).where(or_(handle, stage, sign, resume)).order_by(c.id).limit(limit)


def _rows():
    """Every state × SLA state × warning/deadline pair, for each clock in turn (the others idle)."""
    n = 0
    for state in State:
        for clock in ("", "stage_", "sign_"):
            sla_column = {"": "sla_state", "stage_": "stage_sla", "sign_": "sign_sla"}[clock]
            for sla, warning, deadline in itertools.product(SLAS, TIMES, TIMES):
                n += 1
                row = {"id": f"c{n:05d}", "node": "370202001001001", "category": "10103", "urgency": "normal",
                       "state": state.value, "version": 1, "owner_level": 5, "reported_at": 1.0,
                       "sla_state": "none", "stage_sla": "none", "sign_sla": "none", "body": f'"c{n:05d}"',
                       **{f"{c}{t}": None for c in ("", "stage_", "sign_") for t in ("warning_at", "deadline")},
                       sla_column: sla, f"{clock}warning_at": warning, f"{clock}deadline": deadline,
                       "suspended_at": 500.0 if n % 3 == 0 else None,
                       "suspended_until": (None, 900.0, NOW, 1100.0)[n % 4]}
                yield row


def test_the_indexed_query_picks_what_the_single_or_picked(store):
    rows = list(_rows())
    with store.engine.begin() as conn:
        conn.execute(insert(CaseRow), rows)
    with store.engine.connect() as conn:
        for now in (NOW - 150, NOW, NOW + 150):
            for limit in (5, 100_000):
                want = list(conn.execute(_reference(now, limit)).scalars())
                got = list(conn.execute(due_statement(now, limit)).scalars())
                assert got == want
        assert 100 < len(list(conn.execute(_reference(NOW, 100_000)).scalars())) < len(rows)
