"""What the console's KPI strip and charts show for one node, from the client's data.

Every figure is an indicator of ``domain.indicators`` over today (``domain.periods``),
counted with ``count_cases`` over the cases the queue index finds for the day
(``CaseIndex.cases_touching``), so the strip, the wall and ``gridcc-hub report day``
give the same number for the same scope and moment. ``超期未结`` and ``在办`` are
snapshots, from the replica's aggregates (every open case, however old).
"""

from __future__ import annotations

from backend_client.queue_index import CaseIndex
from backend_client.replica import Replica
from domain import periods
from domain.aggregates import day_series
from domain.indicators import Counts, count_cases, count_cases_by, value

#: The indicators on the console's KPI strip (keys of ``domain.indicators``), besides 在办.
STRIP_KEYS = ("reported", "accepted", "due", "on_time_rate", "late", "overdue_open", "close_hours", "handle_hours",
              "supervised", "self_resolved_rate")


def today(now: float) -> periods.Period:
    return periods.period_of(periods.PeriodKind.DAY, now)


def counts_today(replica: Replica, index: CaseIndex, node: str, now: float) -> Counts:
    """Today's counts under ``node`` as of ``now``."""
    day = today(now)
    counts = count_cases(index.cases_touching(node, day.start, day.end), day.start, day.end, now)
    counts.overdue_open = replica.aggregate(node).by_sla.get("overdue", 0)
    return counts


def counts_today_by_child(replica: Replica, index: CaseIndex, children: list[str], node: str,
                          now: float) -> dict[str, Counts]:
    """Today's counts per child of ``node`` (one pass over the day's cases)."""
    day = today(now)
    width = {len(c) for c in children}
    if len(width) > 1:
        raise ValueError(f"children of {node} have codes of different lengths: {sorted(width)}")
    n = width.pop() if width else 0
    wanted = set(children)
    found = count_cases_by(index.cases_touching(node, day.start, day.end),
                           lambda c: c.node[:n] if c.node[:n] in wanted else None, day.start, day.end, now)
    out = {}
    for code in children:
        counts = found.get(code, Counts())
        counts.overdue_open = replica.aggregate(code).by_sla.get("overdue", 0)
        out[code] = counts
    return out


def kpis(replica: Replica, index: CaseIndex, node: str, now: float) -> dict[str, float | None]:
    """The KPI strip's values: today's indicators and what is open now."""
    counts = counts_today(replica, index, node, now)
    out: dict[str, float | None] = {key: value(counts, key) for key in STRIP_KEYS}
    out["open"] = replica.aggregate(node).open_cases
    return out


def hourly(replica: Replica, node: str, now: float) -> tuple[list[int], list[int]]:
    agg = replica.aggregate(node)
    return day_series(agg, now, 0, "reported"), day_series(agg, now, 1, "reported")


def category_mix(index: CaseIndex, node: str, names, top: int = 10) -> list[tuple[str, int]]:
    """Open cases per category in the subtree, largest first."""
    return [(names.category_name(code), n) for code, n in index.open_category_counts(node)[:top]]


def children(replica: Replica, directory, node: str) -> list[tuple[str, str, int]]:
    """(code, name, open cases) per child, for the comparison chart."""
    out = []
    for code in directory.children(node):
        agg = replica.aggregate(code)
        out.append((code, directory.node_name(code), agg.open_cases))
    return out


def children_alerts(replica: Replica, directory, node: str) -> list[int]:
    return [replica.aggregate(code).by_sla.get("overdue", 0) for code in directory.children(node)]


def sla_shares(replica: Replica, node: str) -> tuple[int, int, int]:
    by_sla = replica.aggregate(node).by_sla
    return by_sla.get("ok", 0), by_sla.get("warning", 0), by_sla.get("overdue", 0)
