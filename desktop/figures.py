"""What the console's KPI strip and charts show for one node, from the client's data.

Every figure is an indicator of ``domain.indicators`` over today (``domain.periods``),
counted with ``count_cases`` over the cases the queue index finds for the day
(``CaseIndex.cases_touching``), so the strip, the wall and ``gridcc-hub report day``
give the same number for the same scope and moment. ``超期未结`` and ``在办`` are
snapshots, from the replica's aggregates (every open case, however old).
"""

from __future__ import annotations

import time

import msgspec

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


#: A recount may take at most this share of the time since the last one (a city's day is
#: ~10,000 cases, ~50 ms): between recounts the last counts are shown, at most that stale.
RECOUNT_SHARE = 0.2
_recent: dict[tuple[int, str], tuple[int, float, float, float, Counts]] = {}


def counts_today(replica: Replica, index: CaseIndex, node: str, now: float) -> Counts:
    """Today's counts under ``node`` as of ``now``.

    Recounted when the index changed (or the minute turned, as deadlines pass), but not more
    often than ``RECOUNT_SHARE`` of the time allows; ``recount_pending`` says when the counts
    shown are older than the index, so the caller asks again on its next tick.
    """
    key = (id(index), node)
    day = today(now)
    last = _recent.get(key)
    clock = time.monotonic()
    if last is not None:
        generation, minute, at, took, counts = last
        fresh = generation == index.generation and minute == now // 60
        if fresh or clock - at < took / RECOUNT_SHARE:
            out = Counts(**msgspec.structs.asdict(counts))
            out.overdue_open = replica.aggregate(node).by_sla.get("overdue", 0)
            return out
    counts = count_cases(index.cases_touching(node, day.start, day.end), day.start, day.end, now)
    _recent[key] = (index.generation, now // 60, clock, time.monotonic() - clock, counts)
    if len(_recent) > 64:
        _recent.pop(next(iter(_recent)))
    out = Counts(**msgspec.structs.asdict(counts))
    out.overdue_open = replica.aggregate(node).by_sla.get("overdue", 0)
    return out


def recount_pending(index: CaseIndex, node: str) -> bool:
    """True when the last counts of ``node`` were taken before the index's latest change."""
    last = _recent.get((id(index), node))
    return last is not None and last[0] != index.generation


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
