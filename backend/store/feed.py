"""Reading the stored event stream and cases: feed pages, timelines, consistent snapshots.

Feed rows keep the encoded FeedEvent as written, so a page is decoded in one pass
(the bodies joined into one JSON array) and what a client gets on resume is
byte-for-byte what was published live.
"""

from __future__ import annotations

import msgspec
from sqlalchemy import ColumnElement, and_, bindparam, func, select, true
from sqlalchemy.engine import Connection

from backend.store import snapshot as snapshots
from backend.store.models import CaseEventRow, CaseRow, StreamRow
from backend.store.snapshot import AGGREGATE_WINDOW, SNAPSHOT_CLOSED_WINDOW, Snapshot
from domain.model import Case
from domain.protocol import FeedEvent

__all__ = ["AGGREGATE_WINDOW", "SNAPSHOT_CLOSED_WINDOW", "Snapshot"]  # still importable from here

_events_decoder = msgspec.json.Decoder(list[FeedEvent])
_cases_decoder = msgspec.json.Decoder(list[Case])
_case_decoder = msgspec.json.Decoder(Case)


def check_scope(scope: str | None) -> str:
    if scope is None:
        return ""
    if not isinstance(scope, str) or (scope and not (scope.isascii() and scope.isdigit())):
        raise ValueError(f"scope must be a node code (digits) or empty, got {scope!r}")
    return scope


def under(column, scope: str) -> ColumnElement[bool]:
    """``column`` starts with ``scope``, as a range both databases answer from a b-tree index.

    For digit strings, s starts with p exactly when p <= s < p+1 (same width): no LIKE,
    so neither SQLite's case-insensitive LIKE nor a non-C PostgreSQL collation defeats
    the index.
    """
    scope = check_scope(scope)
    if not scope:
        return true()
    if set(scope) == {"9"}:
        return column >= scope
    upper = str(int(scope) + 1).zfill(len(scope))
    return and_(column >= scope, column < upper)


def decode_events(bodies: list[str]) -> list[FeedEvent]:
    if not bodies:
        return []
    return _events_decoder.decode("[" + ",".join(bodies) + "]")


def decode_cases(bodies: list[str]) -> list[Case]:
    if not bodies:
        return []
    return _cases_decoder.decode("[" + ",".join(bodies) + "]")


def head(conn: Connection) -> tuple[str, int]:
    row = conn.execute(select(StreamRow.epoch, StreamRow.head_seq).where(StreamRow.id == 1)).one()
    return row.epoch, int(row.head_seq)


def events_after(conn: Connection, seq: int, limit: int, scope: str | None = None) -> list[FeedEvent]:
    if limit <= 0:
        raise ValueError(f"limit must be positive, got {limit}")
    stmt = (
        select(CaseEventRow.body)
        .where(CaseEventRow.seq > seq, under(CaseEventRow.node, check_scope(scope)))
        .order_by(CaseEventRow.seq)
        .limit(limit)
    )
    return decode_events(list(conn.execute(stmt).scalars()))


def oldest_seq(conn: Connection) -> int:
    """The lowest seq still stored; head + 1 when there are none (nothing to replay)."""
    oldest = conn.execute(select(func.min(CaseEventRow.seq))).scalar()
    if oldest is None:
        return head(conn)[1] + 1
    return int(oldest)


def case_events(conn: Connection, case_id: str) -> list[FeedEvent]:
    stmt = select(CaseEventRow.body).where(CaseEventRow.case_id == case_id).order_by(CaseEventRow.seq)
    return decode_events(list(conn.execute(stmt).scalars()))


_LOAD_CASE = select(CaseRow.__table__.c.body).where(CaseRow.__table__.c.id == bindparam("case_id"))
_LOAD_CASE_LOCKED = _LOAD_CASE.with_for_update()


def load_case(conn: Connection, case_id: str, *, lock: bool = False) -> Case | None:
    body = conn.execute(_LOAD_CASE_LOCKED if lock else _LOAD_CASE, {"case_id": case_id}).scalar()
    return None if body is None else _case_decoder.decode(body)


def finished_at(case: Case) -> float:
    """When a finished case finished: closed, else its last change (rejected, merged)."""
    for t in (case.closed_at, case.updated_at):
        if t is not None:
            return t
    return case.reported_at


def snapshot(conn: Connection, scope: str, now: float) -> Snapshot:
    """Build a snapshot; ``conn`` must be inside ONE read transaction (see Store.snapshot)."""
    scope = check_scope(scope)
    epoch, seq = head(conn)  # first read: fixes the transaction's view
    return snapshots.build(conn, under, now, epoch, seq, scope)
