"""What the wall shows, computed from the client's replica: headline, league table, ticker, alarms.

No Qt here: the controller pulls these on its display timer and hands plain values to the
painted widgets, so each figure can be checked without a window. Everything a wall holds
for long (ticker, alarm book) is bounded: by a fixed length, or by the open cases.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from backend_client.queue_index import _STATE_ORD, CaseIndex
from backend_client.replica import Replica
from desktop import figures
from domain.aggregates import today
from domain.hierarchy import lineage
from domain.kpi import BASE_OF, Kpis, rank_children
from domain.model import TERMINAL_STATES, Case, SlaState, State, Urgency

#: A child needs this many cases closed today before its on-time rate is ranked.
MIN_CASES = 5
#: Entries the ticker keeps (the widget shows as many as fit).
TICKER_SIZE = 40
#: Headline keys, in tile order.
HEADLINE_KEYS = ("reported_today", "closed_today", "completion_rate", "on_time_rate", "open", "overdue",
                 "supervised")
_NOT_RECEIVED = np.array([_STATE_ORD[State.REJECTED], _STATE_ORD[State.MERGED]], dtype=np.int8)


def headline(replica: Replica, index: CaseIndex, node: str, now: float) -> dict[str, float | None]:
    """The seven big numbers for ``node``: today's flow and what is open now."""
    k = figures.kpis(replica, index, node, now)
    _, closed, _ = today(replica.aggregate(node), now)
    return {
        "reported_today": k["reported_today"],
        "closed_today": closed,
        "completion_rate": k["completion_rate"],
        "on_time_rate": k["on_time_rate"],
        "open": k["open"],
        "overdue": k["overdue"],
        "supervised": k["supervised"],
    }


def child_kpis(replica: Replica, index: CaseIndex, children: Iterable[str], now: float) -> dict[str, Kpis]:
    """Today's figures per child as ``domain.kpi.Kpis``, from the aggregates and one index pass each."""
    start = figures.day_start(now)
    n = index.size
    todays = (index.cols["reported_at"][:n] >= start) & ~np.isin(index.cols["state"][:n], _NOT_RECEIVED)
    out = {}
    for code in children:
        agg = replica.aggregate(code)
        reported, closed, on_time = today(agg, now)
        received = int(np.count_nonzero(index.scope_mask(code) & todays))
        out[code] = Kpis(node=code, start=start, end=now, reported=reported, received=received, closed=closed,
                         closed_on_time=on_time, open=agg.open_cases, overdue_open=agg.by_sla.get("overdue", 0),
                         supervised=agg.supervised, on_time_rate=(on_time / closed) if closed else None)
    return out


@dataclass(frozen=True)
class RankRow:
    code: str
    name: str
    rank: int | None  # None: too few cases closed today to be ranked
    on_time_rate: float | None
    overdue: int
    closed: int
    open: int


def rank_rows(kpis_by_child: dict[str, Kpis], names, min_cases: int = MIN_CASES) -> list[RankRow]:
    """The league: best on-time rate first, fewer overdue breaking ties; the unranked last.

    ``domain.kpi.rank_children`` puts children with fewer than ``min_cases`` closed cases
    last (one fast case must not top the league); among equals, fewer overdue ranks higher.
    """
    if not isinstance(min_cases, int) or min_cases < 0:
        raise ValueError(f"min_cases must be a whole number ≥ 0, got {min_cases!r}")
    base = BASE_OF["on_time_rate"]
    ranked = rank_children(kpis_by_child, "on_time_rate", min_cases)

    def tier(item: tuple[str, Kpis]) -> tuple:
        k = item[1]
        qualified = getattr(k, base) >= min_cases and k.on_time_rate is not None
        return (not qualified, -k.on_time_rate if qualified else 0.0, k.overdue_open)

    ranked.sort(key=tier)  # stable: keeps rank_children's code order among full ties
    rows, rank, last = [], 0, None
    for position, (code, k) in enumerate(ranked, start=1):
        qualified = getattr(k, base) >= min_cases and k.on_time_rate is not None
        if qualified and tier((code, k)) != last:
            rank, last = position, tier((code, k))
        rows.append(RankRow(code, names.node_name(code), rank if qualified else None, k.on_time_rate,
                            k.overdue_open, k.closed, k.open))
    return rows


# ---- the ticker ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TickerEntry:
    case_id: str
    at: float
    urgency: Urgency
    category: str
    place: str


def place_of(names, root: str, node: str, depth: int = 3) -> str:
    """The ``depth`` levels below ``root`` (district · street · community for a city wall)."""
    path = [c for c in lineage(node) if len(c) > len(root)][:depth] or [node]
    return " · ".join(names.node_name(c) for c in path)


def ticker_entry(case: Case, names, root: str) -> TickerEntry:
    return TickerEntry(case.id, case.reported_at, case.urgency, names.category_name(case.category),
                       place_of(names, root, case.node))


class Ticker:
    """The latest reported cases, newest first, at most ``size`` of them."""

    def __init__(self, names, root: str, size: int = TICKER_SIZE) -> None:
        if size < 1:
            raise ValueError(f"ticker size must be at least 1, got {size}")
        self.names, self.root = names, root
        self.entries: deque[TickerEntry] = deque(maxlen=size)

    def reset(self, cases: Iterable[Case]) -> None:
        """After a snapshot: the newest cases the replica holds."""
        latest = heapq.nlargest(self.entries.maxlen, cases, key=lambda c: (c.reported_at, c.id))
        self.entries.clear()
        self.entries.extend(ticker_entry(c, self.names, self.root) for c in latest)

    def add(self, case: Case) -> None:
        if any(e.case_id == case.id for e in self.entries):
            return
        self.entries.appendleft(ticker_entry(case, self.names, self.root))

    def __len__(self) -> int:
        return len(self.entries)


# ---- alarms ----------------------------------------------------------------------------------
ALARM_CRITICAL, ALARM_OVERDUE = "critical", "overdue"


def alarm_kind(case: Case) -> str | None:
    """Why ``case`` alarms the wall now (overdue first), or None: finished or acknowledged."""
    if case.state in TERMINAL_STATES or case.acknowledged_by is not None:
        return None
    if case.sla_state is SlaState.OVERDUE:
        return ALARM_OVERDUE
    if case.urgency is Urgency.CRITICAL:
        return ALARM_CRITICAL
    return None


@dataclass(frozen=True)
class Alarm:
    case_id: str
    kind: str
    since: float  # when the case last changed into this alarm
    category: str
    place: str


class AlarmBook:
    """Unacknowledged 特急 and overdue cases of the wall's scope, kept from the replica's changes.

    An alarm stays until an operator acknowledges the case (ACKNOWLEDGE sets
    ``acknowledged_by``) or the case finishes; an overdue tick clears an earlier
    acknowledgement, so the case alarms again. Bounded by the open cases.
    """

    def __init__(self, names, root: str) -> None:
        self.names, self.root = names, root
        self.alarms: dict[str, Alarm] = {}

    def reset(self, cases: Iterable[Case]) -> None:
        self.alarms.clear()
        for case in cases:
            self.update(case)

    def update(self, case: Case) -> None:
        kind = alarm_kind(case) if case.node.startswith(self.root) else None
        if kind is None:
            self.alarms.pop(case.id, None)
            return
        old = self.alarms.get(case.id)
        if old is not None and old.kind == kind:
            return
        since = case.updated_at if case.updated_at is not None else case.reported_at
        self.alarms[case.id] = Alarm(case.id, kind, since, self.names.category_name(case.category),
                                     place_of(self.names, self.root, case.node))

    def remove(self, case_id: str) -> None:
        self.alarms.pop(case_id, None)

    def newest_first(self) -> list[Alarm]:
        return sorted(self.alarms.values(), key=lambda a: (-a.since, a.case_id))

    def __len__(self) -> int:
        return len(self.alarms)

    def __bool__(self) -> bool:
        return bool(self.alarms)
