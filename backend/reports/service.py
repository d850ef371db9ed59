"""Build a period report from the store: counts per grouping in SQL, names, scores, the previous period.

Runs on the hub's read pool (one read transaction) and in ``gridcc-hub report``; both give
the same ``domain.reporting.ReportData`` for the same database and moment.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from backend.reports.query import counts_for_groups
from backend.store.feed import check_scope
from backend.store.models import CaseEventRow, DepartmentRow, GridWorkerRow, NodeRow
from domain.assessment import Weights, assess, load_weights, score
from domain.hierarchy import CODE_LENGTHS, LEVEL_NAMES
from domain.periods import Period, previous
from domain.reporting import ReportData, ReportRow, ReportTable
from domain.rules import default_rules

DEFAULT_GROUPS = ()  # the level just below the node, and the departments


def default_groups(node: str) -> tuple[str, ...]:
    """The tables a report of ``node`` shows unless told: the next level down, and the departments."""
    below = [name for name, level in LEVEL_NAMES.items() if CODE_LENGTHS[level] > len(node)]
    below = [b for b in below if b in ("district", "street", "community", "grid")]
    return (*below[:1], "department")


def _names(conn: Connection, group_by: str, keys: Iterable[str]) -> dict[str, str]:
    keys = list(keys)
    if not keys:
        return {}
    if group_by == "department":
        stored = {str(k): str(v) for k, v in conn.execute(select(DepartmentRow.code, DepartmentRow.name)).all()}
        return stored or {d.code: d.name for d in default_rules().catalog.departments.values()}
    elif group_by == "grid_worker":
        q = select(GridWorkerRow.id, GridWorkerRow.name).where(GridWorkerRow.id.in_(keys))
    else:
        q = select(NodeRow.code, NodeRow.name).where(NodeRow.code.in_(keys))
    return {str(k): str(v) for k, v in conn.execute(q).all()}


def node_name(conn: Connection, node: str) -> str:
    if not node:
        return "全部"
    return conn.execute(select(NodeRow.name).where(NodeRow.code == node)).scalar() or node


def latest_event_time(conn: Connection) -> float | None:
    return conn.execute(select(func.max(CaseEventRow.at))).scalar()


def build_report(conn: Connection, node: str, period: Period, as_of: float, group_by: Iterable[str] = DEFAULT_GROUPS,
                 weights: Weights | None = None) -> ReportData:
    """The report of ``period`` under ``node`` as of ``as_of``: totals, and one assessed table per grouping."""
    node = check_scope(node)
    w = weights or load_weights()
    before = previous(period)
    groups = list(dict.fromkeys(group_by or default_groups(node)))
    total, now = counts_for_groups(conn, node, period.start, period.end, as_of, groups)
    prev_total, then = counts_for_groups(conn, node, before.start, before.end, as_of, groups)
    tables = []
    for group in groups:
        names = _names(conn, group, now[group])
        rows = [ReportRow(key=a.key, name=names.get(a.key, a.key), counts=a.counts, score=a.score, rank=a.rank,
                          previous_score=None if a.key not in then[group] else score(then[group][a.key], w, group))
                for a in assess(now[group], w, group)]
        tables.append(ReportTable(group, rows))
    return ReportData(node=node, node_name=node_name(conn, node), period=period, as_of=as_of, total=total,
                      previous_total=prev_total, tables=tables)


def report_from_store(store, node: str, period: Period, as_of: float | None = None,
                      group_by: Iterable[str] = DEFAULT_GROUPS, weights: Weights | None = None) -> ReportData:
    """One read transaction on ``store``; ``as_of`` defaults to the latest stored event (else the period's end)."""
    with store.engine.connect() as conn, conn.begin():
        if as_of is None:
            as_of = latest_event_time(conn) or period.end
        return build_report(conn, node, period, as_of, group_by, weights)
