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


def _families(start: float, end: float, as_of: float) -> list[tuple]:
    """(row filter, {count field: aggregate}) for each of the indicators' clocks.

    Each family's filter is a range an index answers (reported_at, deadline, supervised_at,
    sla_state), so a month of one city reads only its rows, and each row is tested for
    the few conditions of its own family rather than for all of them.
    """
    c = CaseRow
    cut = min(end, as_of)

    def n(cond):  # COUNT(*) FILTER (WHERE …): both databases skip the row early
        return func.count().filter(cond)

    def s(cond, expr):
        return func.coalesce(func.sum(expr).filter(cond), 0.0)

    is_closed = c.state == State.CLOSED.value
    accepted = c.accepted_at.is_not(None)
    closed = and_(accepted, is_closed)
    dispatched = c.dispatched_at.is_not(None)
    handled = and_(closed, dispatched, c.resolved_at.is_not(None))
    received = c.state.not_in(_NOT_RECEIVED)
    on_time_flag = c.closed_on_time.is_(True)
    replied = c.supervision_replied_at.is_not(None)
    returns, reworks, extensions = (func.coalesce(x, 0) for x in (c.return_count, c.rework_count,
                                                                    c.extension_count))
    cohort = {  # a report counts in the period it was reported in
        "reported": func.count(),
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
        "accept_late": n(c.stages_late.like("%accept%")),
        "dispatch_late": n(c.stages_late.like("%dispatch%")),
        "verify_late": n(c.stages_late.like("%verify%")),
        "sign_late": n(c.stages_late.like("%sign%")),  # no other stage's name contains "sign"
        "callbacks": n(c.callback_result.is_not(None)),
        "satisfied": n(c.callback_result.in_(["satisfied", "fairly_satisfied"])),
        "reopened": n(and_(c.callback_result.is_not(None), func.coalesce(c.reopen_count, 0) > 0)),
    }
    due = {  # a case counts in the period its deadline fell in, once it is past
        "due": func.count(),
        "on_time": n(and_(is_closed, on_time_flag)),
        "late": n(or_(and_(is_closed, not_(on_time_flag)),
                      and_(not_(is_closed), or_(c.resolved_at.is_(None), c.resolved_at > c.deadline)))),
    }
    supervision = {  # an order counts in the period it was issued in
        "supervised": func.count(),
        "supervision_due": n(or_(replied, c.supervision_due < as_of)),
        "supervision_on_time": n(and_(replied, c.supervision_replied_at <= c.supervision_due)),
    }
    overdue = {"overdue_open": func.count()}  # a snapshot: open and past the deadline now
    return [
        (and_(c.reported_at >= start, c.reported_at < end), cohort),
        (and_(c.deadline >= start, c.deadline < cut, received), due),
        (and_(c.supervised_at >= start, c.supervised_at < end), supervision),
        (and_(c.sla_state == "overdue", c.state.in_(_OPEN)), overdue),
    ]


def counts_by_keys(conn: Connection, scope: str, start: float, end: float, as_of: float,
                   keys: list[str]) -> dict[tuple, Counts]:
    """Counts per combination of groupings (e.g. ``["street", "department"]``) under ``scope``.

    One GROUP BY per family; the combinations with nothing are absent. Sum the combinations
    to get any of the groupings alone (``split``).
    """
    exprs = [_key(k, scope).label(f"k{i}") for i, k in enumerate(keys)]
    _tune(conn)
    out: dict[tuple, Counts] = {}
    for where, sums in _families(start, end, as_of):
        query = (select(*exprs, *(expr.label(name) for name, expr in sums.items()))
                 .where(under(CaseRow.node, scope), where).group_by(*exprs))
        for row in conn.execute(query).mappings():
            key = tuple(row[f"k{i}"] for i in range(len(keys)))
            counts = out.get(key)
            if counts is None:
                counts = out[key] = Counts()
            for name in sums:
                v = row[name] or 0
                setattr(counts, name, float(v) if name.endswith("seconds") else int(v))
    return {k: v for k, v in out.items() if any(getattr(v, f) for f in COUNT_FIELDS)}


#: SQLite reads a period's rows through memory-mapped I/O and a larger page cache: the deadline
#: family visits rows in deadline order, all over the file, which page by page costs a syscall each.
SQLITE_MMAP_BYTES = 1 << 30
SQLITE_CACHE_KIB = 64 * 1024


def _tune(conn: Connection) -> None:
    """Per-dialect settings for one report's scans (harmless for anything else on the connection)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    elif conn.dialect.name == "postgresql":
        # These scans are short; compiling their CASE expressions (JIT) costs more than it saves.
        conn.exec_driver_sql("SET LOCAL jit = off")


def split(combined: dict[tuple, Counts], position: int) -> dict[str, Counts]:
    """The counts per value of one grouping of ``counts_by_keys``'s combinations (None dropped)."""
    out: dict[str, Counts] = {}
    for key, counts in combined.items():
        k = key[position]
        if k is None:
            continue
        out.setdefault(str(k), Counts()).add(counts)
    return out


def counts_by(conn: Connection, scope: str, start: float, end: float, as_of: float,
              group_by: str = "") -> dict[str, Counts]:
    """Counts per group key for the cases under ``scope`` ("" = everything); groups with nothing are absent."""
    return split(counts_by_keys(conn, scope, start, end, as_of, [group_by]), 0)


def counts_for_groups(conn: Connection, scope: str, start: float, end: float, as_of: float,
                      groups: list[str]) -> tuple[Counts, dict[str, dict[str, Counts]]]:
    """The total under ``scope`` and the counts per unit of each grouping, in as few scans as it takes.

    One place level coarser than a grid and the departments share their scans (a few
    thousand combinations at most); grids and grid workers have scans of their own.
    """
    groups = list(dict.fromkeys(groups))
    places = [g for g in groups if g in LEVEL_NAMES and g != "grid"]
    shared = ([places[0]] if places else [""]) + (["department"] if "department" in groups else [])
    combined = counts_by_keys(conn, scope, start, end, as_of, shared)
    total = Counts()
    for counts in combined.values():
        total.add(counts)
    tables: dict[str, dict[str, Counts]] = {}
    for i, g in enumerate(shared):
        if g:
            tables[g] = split(combined, i)
    for g in groups:
        if g not in tables:
            tables[g] = counts_by(conn, scope, start, end, as_of, g)
    return total, {g: tables[g] for g in groups}


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
