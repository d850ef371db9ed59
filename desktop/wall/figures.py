"""What the wall shows, computed from the client's replica: headline, league table, ticker, alarms.

The headline and the league use the indicators of ``domain.indicators`` for today, counted
as the console's KPI strip counts them (``desktop.figures``), and the 综合评价 of
``domain.assessment``.

No Qt here: the controller pulls these on its display timer and hands plain values to the
painted widgets, so each figure can be checked without a window. Everything a wall holds
for long (ticker, alarm book) is bounded: by a fixed length, or by the open cases.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from backend_client.queue_index import CaseIndex
from backend_client.replica import Replica
from desktop import figures
from domain.assessment import Weights, assess, load_weights
from domain.hierarchy import lineage
from domain.indicators import Counts, value
from domain.model import TERMINAL_STATES, Case, SlaState, Urgency

#: Today's 应结案数 or 上报数 a child needs before it is ranked (the assessment's minimums apply too).
MIN_CASES = 5
#: Entries the ticker keeps (the widget shows as many as fit).
TICKER_SIZE = 40
#: Headline keys (indicators of ``domain.indicators``, and 在办), in tile order.
HEADLINE_KEYS = ("reported", "closed", "due", "on_time_rate", "open", "overdue_open", "supervised")


def headline(replica: Replica, index: CaseIndex, node: str, now: float) -> dict[str, float | None]:
    """The seven big numbers for ``node``: today's indicators and what is open now."""
    counts = figures.counts_today(replica, index, node, now)
    out: dict[str, float | None] = {key: value(counts, key) for key in HEADLINE_KEYS if key != "open"}
    out["open"] = replica.aggregate(node).open_cases
    return {key: out[key] for key in HEADLINE_KEYS}


def child_counts(replica: Replica, index: CaseIndex, node: str, children: list[str], now: float
                 ) -> dict[str, Counts]:
    """Today's counts per child of ``node``."""
    return figures.counts_today_by_child(replica, index, children, node, now)


@dataclass(frozen=True)
class RankRow:
    code: str
    name: str
    rank: int | None  # None: too few cases today to be ranked
    score: float | None  # 综合评价
    on_time_rate: float | None
    overdue: int  # 超期未结
    due: int


def rank_rows(counts_by_child: dict[str, Counts], names, min_cases: int = MIN_CASES,
              weights: Weights | None = None) -> list[RankRow]:
    """The league by today's 综合评价 (open overdue cases cost points); the unranked last.

    A child with fewer than ``min_cases`` 应结案数 and 上报数 today is not ranked: one fast
    case must not top the league.
    """
    if not isinstance(min_cases, int) or min_cases < 0:
        raise ValueError(f"min_cases must be a whole number ≥ 0, got {min_cases!r}")
    w = weights or _weights()
    w = Weights(**{**w.__dict__, "min_due": min_cases, "min_reported": min_cases})
    return [RankRow(a.key, names.node_name(a.key), a.rank, a.score, value(a.counts, "on_time_rate"),
                    a.counts.overdue_open, a.counts.due)
            for a in assess(counts_by_child, w)]


_WEIGHTS: list[Weights] = []


def _weights() -> Weights:
    if not _WEIGHTS:
        _WEIGHTS.append(load_weights())
    return _WEIGHTS[0]


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
        assert self.entries.maxlen is not None  # built with maxlen=size in __init__
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
