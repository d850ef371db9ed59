"""What the KPI strip and the charts show for one node, computed from the client's data.

Counts come from the replica's incremental aggregates (O(1) per node); the few
figures that need the cases themselves (completion, time to close) use the numpy
columns of the queue index to pick the cases, so a refresh stays in milliseconds
even with 100k cases held.
"""

from __future__ import annotations

import numpy as np

from backend_client.queue_index import _STATE_ORD, CaseIndex
from backend_client.replica import Replica
from domain.aggregates import day_series, today
from domain.calendar import CST
from domain.model import State

_CLOSED = _STATE_ORD[State.CLOSED]
_DEAD = np.array([_STATE_ORD[State.CLOSED], _STATE_ORD[State.REJECTED], _STATE_ORD[State.MERGED]], dtype=np.int8)


def day_start(now: float) -> float:
    """Midnight (China Standard Time) of the day containing ``now``."""
    offset = CST.utcoffset(None).total_seconds()
    return (now + offset) // 86400 * 86400 - offset


def kpis(replica: Replica, index: CaseIndex, node: str, now: float) -> dict:
    agg = replica.aggregate(node)
    reported, closed, on_time = today(agg, now)
    mask = index.scope_mask(node)
    n = index.size
    start = day_start(now)
    todays = mask & (index.cols["reported_at"][:n] >= start)
    received = int(np.count_nonzero(todays & ~np.isin(index.cols["state"][:n], _DEAD[1:])))
    done = todays & (index.cols["state"][:n] == _CLOSED)
    closed_slots = np.flatnonzero(mask & (index.cols["state"][:n] == _CLOSED))
    durations, self_resolved = [], 0
    for slot in closed_slots:
        case = index.cases[slot]
        if case is None or case.closed_at is None or case.closed_at < start:
            continue
        durations.append(case.closed_at - case.reported_at)
        if case.accepted_at is None:
            self_resolved += 1
    return {
        "reported_today": reported,
        "open": agg.open_cases,
        "overdue": agg.by_sla.get("overdue", 0),
        "completion_rate": (int(np.count_nonzero(done)) / received) if received else None,
        "on_time_rate": (on_time / closed) if closed else None,
        "mean_time_to_close": (sum(durations) / len(durations)) if durations else None,
        "supervised": agg.supervised,
        "self_resolved": self_resolved,
    }


def hourly(replica: Replica, node: str, now: float) -> tuple[list[int], list[int]]:
    agg = replica.aggregate(node)
    return day_series(agg, now, 0, "reported"), day_series(agg, now, 1, "reported")


def category_mix(index: CaseIndex, node: str, names, top: int = 10) -> list[tuple[str, int]]:
    """Open cases per category in the subtree, largest first."""
    n = index.size
    mask = index.scope_mask(node) & ~np.isin(index.cols["state"][:n], _DEAD)
    ids = index.cols["category"][:n][mask]
    if ids.size == 0:
        return []
    counts = np.bincount(ids)
    order = np.argsort(counts)[::-1][:top]
    words = index.categories._words
    return [(names.category_name(words[i]), int(counts[i])) for i in order if counts[i] > 0]


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
