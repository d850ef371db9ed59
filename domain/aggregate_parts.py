"""A node's aggregate (``NodeAggregate``), a case's contribution to it, and reading it by hour.

The counting itself, kept exact event by event, is ``domain.aggregates.Aggregates``; this module
holds what it counts and the small pieces both it and the readers (charts, reports) share.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import Any

import msgspec

from domain.hierarchy import CODE_LENGTHS
from domain.model import OPEN_STATES, Case, State
from domain.periods import day_start_hour

#: A node code's length -> its parent's (a province has none).
_PARENT_LENGTH = dict(zip(CODE_LENGTHS[1:], CODE_LENGTHS[:-1], strict=True))
#: An own part of n digits that is all zeros (not a node: ``validate_code``).
_ZEROS = tuple("0" * n for n in range(max(CODE_LENGTHS) + 1))

#: Hours of hourly counts kept: the current hour and the 47 before it.
WINDOW_HOURS = 48
METRICS = ("reported", "closed", "closed_on_time")


class AggregateError(ValueError):
    """An update that does not fit what was counted before (e.g. ``old`` was never applied)."""


class NodeAggregate(msgspec.Struct, omit_defaults=True, gc=False):
    """Counts for one node's subtree. Zero counts are absent keys; nodes with nothing are absent.

    ``gc=False``: it holds counts only (dicts of ints), so it can be in no reference cycle.
    """

    node: str
    by_state: dict[str, int] = {}  # open cases per State value
    by_sla: dict[str, int] = {}  # open cases per SlaState value
    by_urgency: dict[str, int] = {}  # open cases per Urgency value
    supervised: int = 0  # open cases under supervision (督办)
    hourly_reported: dict[int, int] = {}  # hour index -> cases reported in that hour
    hourly_closed: dict[int, int] = {}
    hourly_closed_on_time: dict[int, int] = {}

    @property
    def open_cases(self) -> int:
        return sum(self.by_state.values())

    def is_empty(self) -> bool:
        return not (
            self.by_state or self.by_sla or self.by_urgency or self.supervised
            or self.hourly_reported or self.hourly_closed or self.hourly_closed_on_time
        )

    def copy(self) -> NodeAggregate:
        return NodeAggregate(
            self.node, dict(self.by_state), dict(self.by_sla), dict(self.by_urgency), self.supervised,
            dict(self.hourly_reported), dict(self.hourly_closed), dict(self.hourly_closed_on_time),
        )


# Contribution components, in order; the first three and the hourly ones are dict fields.
_FIELDS = ("by_state", "by_sla", "by_urgency", "supervised",
           "hourly_reported", "hourly_closed", "hourly_closed_on_time")
_HOURLY = frozenset({4, 5, 6})
_OPEN_VALUES = frozenset(s.value for s in OPEN_STATES)
_OPEN_MEMBERS = frozenset(OPEN_STATES)
_ALL_PARTS = range(7)
#: Per contribution component: its dict field's getter (None for the ``supervised`` count).
_GETTERS = tuple(None if name == "supervised" else attrgetter(name) for name in
                 ("by_state", "by_sla", "by_urgency", "supervised",
                  "hourly_reported", "hourly_closed", "hourly_closed_on_time"))
_CLOSED = State.CLOSED.value
#: Per contribution component: (its index, its getter, whether it is an hourly count).
_PARTS = tuple((i, _GETTERS[i], i in _HOURLY) for i in range(7))

Contribution = tuple[Any, ...]  # (state, sla, urgency, supervised, reported_h, closed_h, on_time_h)


def contribution(case: Case) -> Contribution:
    """What one case adds to every node on its lineage; ``None``/``False`` add nothing.

    The same tuple as ``contribution_of`` on the case's values, without its string compares
    (this runs twice per feed event on the client).
    """
    state = case.state
    reported_h = int(case.reported_at // 3600)
    if state in _OPEN_MEMBERS:
        return (state._value_, case.sla_state._value_, case.urgency._value_, case.supervision is not None,
                reported_h, None, None)
    closed_at = case.closed_at
    if state is not State.CLOSED or closed_at is None:
        return (None, None, None, False, reported_h, None, None)
    closed_h = int(closed_at // 3600)
    return (None, None, None, False, reported_h, closed_h, closed_h if case.closed_on_time else None)


def contribution_of(state: str, sla_state: str, urgency: str, supervised: bool, reported_at: float,
                    closed_at: float | None, closed_on_time: bool | None) -> Contribution:
    """``contribution`` from the plain values a store keeps in columns (no decoded case needed)."""
    is_open = state in _OPEN_VALUES
    closed_h = None
    if state == _CLOSED and closed_at is not None:
        closed_h = int(closed_at // 3600)
    return (
        state if is_open else None,
        sla_state if is_open else None,
        urgency if is_open else None,
        is_open and bool(supervised),
        int(reported_at // 3600),
        closed_h,
        closed_h if closed_h is not None and closed_on_time else None,
    )


def _count(agg: NodeAggregate, ops: list[tuple[Any, Any]], sign: int) -> None:
    """Add ``sign`` to each (field, key) of ``ops`` in ``agg``; a count reaching zero is removed."""
    for getter, key in ops:
        if getter is None:
            agg.supervised += sign
            continue
        counts = getter(agg)
        n = counts.get(key, 0) + sign
        if n > 0:
            counts[key] = n
        else:  # hourly counts clamp at zero: a snapshot may have pruned an hour we keep
            counts.pop(key, None)


def _merge(into: NodeAggregate, part: NodeAggregate) -> None:
    """Add ``part``'s counts to ``into``."""
    for name in ("by_state", "by_sla", "by_urgency", "hourly_reported", "hourly_closed", "hourly_closed_on_time"):
        mine: dict[Any, int] = getattr(into, name)
        for key, n in getattr(part, name).items():
            mine[key] = mine.get(key, 0) + n
    into.supervised += part.supervised


def shared_copies(aggregates: Iterable[NodeAggregate], keys: dict[Any, Any]) -> list[NodeAggregate]:
    """Copies of ``aggregates`` whose hourly counts share their hour keys through ``keys``.

    A decoded snapshot has a fresh int object (32 bytes) for every hour of every node's hourly
    counts: ~2 per held case in bench/ingest.py's feed, 0.6 in a 107k-case city. Copying each
    chunk's aggregates as it comes lets the decoded ones go while the next chunk's cases take
    their place (``Replica.apply_snapshot_chunk``).
    """
    return [_shared_copy(agg, keys) for agg in aggregates]


def _shared_copy(agg: NodeAggregate, keys: dict[Any, Any]) -> NodeAggregate:
    """``agg.copy()`` whose hourly counts' keys are the objects in ``keys`` (added there when new).

    The state, SLA and urgency keys need nothing: msgspec already decodes short dict keys to one
    cached string each."""
    def share(counts: dict[int, int]) -> dict[int, int]:
        return {keys.setdefault(h, h): n for h, n in counts.items()} if counts else {}

    return NodeAggregate(agg.node, dict(agg.by_state), dict(agg.by_sla), dict(agg.by_urgency), agg.supervised,
                         share(agg.hourly_reported), share(agg.hourly_closed), share(agg.hourly_closed_on_time))


def cst_day_start_hour(now: float, days_ago: int = 0) -> int:
    """Hour index of 00:00 CST on the day of ``now`` (minus ``days_ago`` days)."""
    return day_start_hour(now, days_ago)


def _metric(agg: NodeAggregate, metric: str) -> dict[int, int]:
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {', '.join(METRICS)}")
    hourly: dict[int, int] = getattr(agg, "hourly_" + metric)
    return hourly


def today(agg: NodeAggregate, now: float) -> tuple[int, int, int]:
    """(reported, closed, closed_on_time) since 00:00 CST of ``now``'s day, up to ``now``'s hour."""
    first, last = cst_day_start_hour(now), int(now // 3600)

    def total(counts: dict[int, int]) -> int:
        return sum(n for h, n in counts.items() if first <= h <= last)

    return total(agg.hourly_reported), total(agg.hourly_closed), total(agg.hourly_closed_on_time)


def hourly_series(agg: NodeAggregate, now: float, hours: int = 24, metric: str = "reported") -> list[int]:
    """The last ``hours`` hours up to and including ``now``'s hour, oldest first."""
    if not 1 <= hours <= WINDOW_HOURS:
        raise ValueError(f"hours must be 1..{WINDOW_HOURS} (the kept window), got {hours}")
    counts = _metric(agg, metric)
    last = int(now // 3600)
    return [counts.get(h, 0) for h in range(last - hours + 1, last + 1)]


def day_series(agg: NodeAggregate, now: float, days_ago: int = 0, metric: str = "reported") -> list[int]:
    """24 hourly values from 00:00 CST for today (0) or yesterday (1); hours after ``now`` are 0."""
    if days_ago not in (0, 1):
        raise ValueError(f"days_ago must be 0 (today) or 1 (yesterday); older hours are not kept, got {days_ago}")
    counts = _metric(agg, metric)
    first, last = cst_day_start_hour(now, days_ago), int(now // 3600)
    return [counts.get(h, 0) if h <= last else 0 for h in range(first, first + 24)]
