"""Indicator counts for a period, grouped by place, department or grid worker, in one SQL query.

The SQL is the definition of ``domain.indicators.count_case`` written as ``SUM(CASE …)``
over the report columns of ``cases`` (revision 0003), grouped in the database: nothing is
decoded in Python, so a month of a whole city answers in well under a second. The same
text runs on SQLite and PostgreSQL. ``recount`` is the plain-Python peer (load the rows,
count with the domain), used by the tests and the benchmark to check and to compare.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Float, and_, case, cast, func, literal, not_, or_, select
from sqlalchemy.engine import Connection

from backend.store.feed import decode_cases, under
from backend.store.models import CaseRow
from domain.hierarchy import CODE_LENGTHS, LEVEL_NAMES
from domain.indicators import COUNT_FIELDS, Counts, count_cases_by
from domain.model import OPEN_STATES, Case, Source, State

#: What a report may be grouped by: a level of the place tree, or who handled / reported it.
GROUPS = ("", "district", "street", "community", "grid", "department", "grid_worker")
_OPEN = sorted(s.value for s in OPEN_STATES)
_NOT_RECEIVED = (State.REJECTED.value, State.MERGED.value)


class ReportQueryError(ValueError):
    pass


def _key(group_by: str, scope: str):
    c = CaseRow
    if group_by == "":
        return literal(scope)
    if group_by in LEVEL_NAMES:
        n = CODE_LENGTHS[LEVEL_NAMES[group_by]]
        if n <= len(scope):
            raise ReportQueryError(f"cannot group {scope or 'the whole tree'} by {group_by}: not below it")
        return func.substr(c.node, 1, n)
    if group_by == "department":
        return c.department
    if group_by == "grid_worker":
        return case((c.source == Source.GRID_WORKER.value, c.reported_by), else_=None)
    raise ReportQueryError(f"unknown grouping {group_by!r}; expected one of {', '.join(g or '(none)' for g in GROUPS)}")


def _sums(start: float, end: float, as_of: float) -> dict:
    c = CaseRow
    cut = min(end, as_of)

    def n(cond):
        return func.sum(case((cond, 1), else_=0))

    def s(cond, expr):
        return func.sum(case((cond, expr), else_=0.0))

    rep = and_(c.reported_at >= start, c.reported_at < end)
    received = and_(rep, c.state.not_in(_NOT_RECEIVED))
    accepted = and_(rep, c.accepted_at.is_not(None))
    closed = and_(accepted, c.state == State.CLOSED.value)
    dispatched = and_(rep, c.dispatched_at.is_not(None))
    handled = and_(closed, c.dispatched_at.is_not(None), c.resolved_at.is_not(None))
    on_time_flag = c.closed_on_time.is_(True)
    due = and_(c.deadline >= start, c.deadline < cut, c.state.not_in(_NOT_RECEIVED))
    is_closed = c.state == State.CLOSED.value
    sup = and_(c.supervised_at >= start, c.supervised_at < end)
    replied = c.supervision_replied_at.is_not(None)
    returns, reworks, extensions = (func.coalesce(x, 0) for x in (c.return_count, c.rework_count,
                                                                    c.extension_count))
    return {
        "reported": n(rep),
        "received": n(received),
        "accepted": n(accepted),
        "dispatched": n(dispatched),
        "dispatched_right": n(and_(dispatched, returns == 0)),
        "returned": n(and_(dispatched, returns > 0)),
        "extended": n(and_(dispatched, extensions > 0)),
        "closed": n(closed),
        "reworked": n(and_(closed, reworks > 0)),
        "handle_n": n(handled),
        "handle_seconds": s(handled, cast(c.resolved_at - c.dispatched_at, Float)),
        "close_seconds": s(closed, cast(c.closed_at - c.reported_at, Float)),
        "self_resolved": n(and_(received, or_(c.state == State.SELF_RESOLVED.value,
                                              and_(is_closed, c.accepted_at.is_(None))))),
        "due": n(due),
        "on_time": n(and_(due, is_closed, on_time_flag)),
        "late": n(and_(due, or_(and_(is_closed, not_(on_time_flag)),
                                and_(not_(is_closed), or_(c.resolved_at.is_(None), c.resolved_at > c.deadline))))),
        "overdue_open": n(and_(c.state.in_(_OPEN), c.sla_state == "overdue")),
        "supervised": n(sup),
        "supervision_due": n(and_(sup, or_(replied, c.supervision_due < as_of))),
        "supervision_on_time": n(and_(sup, replied, c.supervision_replied_at <= c.supervision_due)),
    }


def _touching(start: float, end: float, as_of: float):
    """Rows that can count for the period: a cheap pre-filter the indexes answer."""
    c = CaseRow
    return or_(and_(c.reported_at >= start, c.reported_at < end),
               and_(c.deadline >= start, c.deadline < min(end, as_of)),
               and_(c.supervised_at >= start, c.supervised_at < end),
               and_(c.sla_state == "overdue", c.state.in_(_OPEN)))


def counts_by(conn: Connection, scope: str, start: float, end: float, as_of: float,
              group_by: str = "") -> dict[str, Counts]:
    """Counts per group key for the cases under ``scope`` ("" = everything); groups with nothing are absent."""
    key = _key(group_by, scope).label("k")
    sums = _sums(start, end, as_of)
    query = (select(key, *(expr.label(name) for name, expr in sums.items()))
             .where(under(CaseRow.node, scope), _touching(start, end, as_of))
             .group_by(key))
    out: dict[str, Counts] = {}
    for row in conn.execute(query).mappings():
        if row["k"] is None:
            continue
        values = {f: (float(row[f] or 0) if f.endswith("seconds") else int(row[f] or 0)) for f in COUNT_FIELDS}
        if any(values.values()):
            out[str(row["k"])] = Counts(**values)
    return out


def _key_fn(group_by: str, scope: str) -> Callable[[Case], str | None]:
    if group_by == "":
        return lambda c: scope
    if group_by in LEVEL_NAMES:
        n = CODE_LENGTHS[LEVEL_NAMES[group_by]]
        return lambda c: c.node[:n]
    if group_by == "department":
        return lambda c: c.department
    if group_by == "grid_worker":
        return lambda c: c.reported_by if c.source is Source.GRID_WORKER else None
    raise ReportQueryError(f"unknown grouping {group_by!r}")


def recount(conn: Connection, scope: str, start: float, end: float, as_of: float,
            group_by: str = "") -> dict[str, Counts]:
    """The naive peer: load every case under ``scope`` and count with ``domain.indicators``."""
    bodies = conn.execute(select(CaseRow.body).where(under(CaseRow.node, scope))).scalars().all()
    found = count_cases_by(decode_cases(list(bodies)), _key_fn(group_by, scope), start, end, as_of)
    return {k: v for k, v in found.items() if any(getattr(v, f) for f in COUNT_FIELDS)}
