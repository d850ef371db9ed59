"""Consistent snapshots of a subtree, built from the cases table without decoding a case.

A city-scope snapshot holds ~100k cases. Decoding every stored body into a ``Case`` and
re-encoding it for the wire cost seconds, and so did counting aggregates case by case. Here
the stored bodies (the canonical JSON of each ``Case``, written by ``commands.case_values``)
go to the wire as they are (``Snapshot.bodies``; the hub frames them with ``msgspec.Raw``),
and the aggregates come from the columns the store already keeps beside each body, through
``domain.aggregates.contribution_of`` — the same function ``contribution(case)`` uses, so
hub and replica still agree by construction. Nothing here names a Case field beyond those
columns, so new Case fields travel untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

import msgspec
from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from backend.store.fastpath import fetch_all
from backend.store.models import CaseRow
from domain.aggregates import Aggregates, NodeAggregate, contribution_of
from domain.model import OPEN_STATES, Case

#: Closed cases younger than this go into a snapshot's case list (the "closed today" views).
SNAPSHOT_CLOSED_WINDOW = 24 * 3600.0
#: Cases reported or closed within this window feed a snapshot's hourly aggregates.
AGGREGATE_WINDOW = 48 * 3600.0
#: Scopes this short (the city, or everything) are read by a table scan (see ``build``).
_BROAD_SCOPE = 4
_by_id = itemgetter(0)
_OPEN_VALUES = sorted(s.value for s in OPEN_STATES)
_cases_decoder = msgspec.json.Decoder(list[Case])

_t = CaseRow.__table__.c
#: What one row gives: the body, then the columns a contribution (and the closed-today test) reads.
_COLUMNS = (_t.id, _t.body, _t.node, _t.state, _t.sla_state, _t.urgency, _t.supervised_at, _t.reported_at, _t.closed_at,
            _t.closed_on_time, _t.updated_at)


class Snapshot(msgspec.Struct, frozen=True):
    """Open cases (as stored JSON bodies) and aggregates of a subtree exactly as at stream position ``seq``."""

    epoch: str
    seq: int
    bodies: list[str]  # bytes when the hub's snapshot cache built it (backend.snapshot_cache)
    aggregates: list[NodeAggregate]

    @property
    def cases(self) -> list[Case]:
        """The cases decoded (tests, the trainer); the hub sends ``bodies`` as they are."""
        if not self.bodies:
            return []
        if isinstance(self.bodies[0], bytes):
            return _cases_decoder.decode(b"[" + b",".join(self.bodies) + b"]")
        return _cases_decoder.decode("[" + ",".join(self.bodies) + "]")


def build(conn: Connection, under: Callable[[Any, str], Any], now: float, epoch: str, seq: int,
          scope: str) -> Snapshot:
    """The snapshot inside ``conn``'s read transaction, whose view ``seq`` was read in.

    ``under(column, scope)`` is the subtree condition. For a city (or everything) nearly
    every case matches, and reading the table straight through is 2-3x faster than going
    through the (node, state) index row by row; ``coalesce`` hides the index from the
    planner there. Rows are sorted by id here rather than by an ORDER BY for the same reason.
    """
    node_column = func.coalesce(CaseRow.node, "") if len(scope) <= _BROAD_SCOPE else CaseRow.node
    scope_filter = under(node_column, scope)
    aggs = Aggregates(scope)
    aggs.prune(now)  # sets the window first, so hours before it are never counted
    bodies: list[str] = []
    items: list[tuple[str, tuple]] = []
    add_item, add_body = items.append, bodies.append
    open_rows = fetch_all(conn, select(*_COLUMNS).where(scope_filter, CaseRow.state.in_(_OPEN_VALUES)))
    open_rows.sort(key=_by_id)
    for _id, body, node, state, sla, urgency, sup_at, rep, closed, on_time, _updated in open_rows:
        add_body(body)
        add_item((node, contribution_of(state, sla, urgency, sup_at is not None, rep, closed, on_time)))
    cutoff, closed_cut = now - AGGREGATE_WINDOW, now - SNAPSHOT_CLOSED_WINDOW
    recent = or_(CaseRow.reported_at >= cutoff, CaseRow.closed_at >= cutoff, CaseRow.updated_at >= cutoff)
    done_rows = fetch_all(conn, select(*_COLUMNS).where(scope_filter, CaseRow.state.not_in(_OPEN_VALUES), recent))
    done_rows.sort(key=_by_id)
    del open_rows
    for _id, body, node, state, sla, urgency, sup_at, rep, closed, on_time, updated in done_rows:
        add_item((node, contribution_of(state, sla, urgency, sup_at is not None, rep, closed, on_time)))
        # Every case finished in the last day, rejected and merged ones too (finished when last
        # updated): the replica keeps exactly these live, so a snapshot and a live feed agree.
        finished = closed if closed is not None else updated if updated is not None else rep
        if finished >= closed_cut:
            add_body(body)
    aggs.add_all(items)
    return Snapshot(epoch=epoch, seq=seq, bodies=bodies, aggregates=aggs.to_list())
