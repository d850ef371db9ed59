"""Performance figures per node and period, always computed from cases (brief §3 KPIs).

Definitions (periods are half-open, ``start <= t < end``):
- reported: cases reported in the period; accepted: accepted (立案) in it; closed: closed in it.
- received: cases reported in the period that entered the flow, i.e. were not rejected or
  merged as duplicates. completion_rate (办结率) is the share of them closed by ``now``.
- on_time_rate (按期结案率): of the cases closed in the period, the share closed on time
  (resolved by the deadline, see ``domain.lifecycle``).
- open / overdue_open: cases open now / open now with SLA state OVERDUE (a snapshot at
  ``now``, not a period figure).
- mean_hours_to_close: reported → closed, over the cases closed in the period.
- self_resolved_share: of the received, the share fixed on the spot by the grid worker.
- rework_rate: of the cases closed in the period, the share that failed a verification.
- supervised: supervision orders issued in the period; urged: cases last urged in it.
A rate whose base count is 0 or below ``min_cases`` is None: too few cases to judge.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from domain.errors import DomainError, ErrorCode
from domain.hierarchy import CodeError, is_within, validate_code
from domain.model import OPEN_STATES, Case, SlaState, State

_NOT_RECEIVED = frozenset({State.REJECTED, State.MERGED})


class Kpis(msgspec.Struct, frozen=True):
    node: str
    start: float
    end: float
    reported: int = 0
    received: int = 0
    accepted: int = 0
    closed: int = 0
    closed_on_time: int = 0
    open: int = 0
    overdue_open: int = 0
    self_resolved: int = 0
    reworked: int = 0
    supervised: int = 0
    urged: int = 0
    completion_rate: float | None = None
    on_time_rate: float | None = None
    mean_hours_to_close: float | None = None
    self_resolved_share: float | None = None
    rework_rate: float | None = None


#: The count each figure is taken over, for min_cases (rates) and rankings.
BASE_OF: dict[str, str] = {
    "completion_rate": "received",
    "self_resolved_share": "received",
    "on_time_rate": "closed",
    "mean_hours_to_close": "closed",
    "rework_rate": "closed",
}
#: Figures where a smaller value ranks higher.
LOWER_IS_BETTER = frozenset({"mean_hours_to_close", "rework_rate", "overdue_open"})
_FIGURES = frozenset(Kpis.__struct_fields__) - {"node", "start", "end"}


def was_self_resolved(case: Case) -> bool:
    """Fixed on the spot: self-resolved, or closed without ever being accepted (立案)."""
    return case.state is State.SELF_RESOLVED or (case.state is State.CLOSED and case.accepted_at is None)


def _within(t: float | None, start: float, end: float) -> bool:
    return t is not None and start <= t < end


def _rate(part: int, base: int, min_cases: int) -> float | None:
    return part / base if base and base >= min_cases else None


def compute_kpis(
    cases: Iterable[Case], node: str, start: float, end: float, now: float, *, min_cases: int = 0
) -> Kpis:
    """The figures of the cases within ``node`` ("" for all) for the period [start, end)."""
    if node != "":
        try:
            validate_code(node)
        except CodeError as exc:
            raise DomainError(ErrorCode.INVALID, f"KPI node: {exc}") from None
    if not start <= end:
        raise DomainError(ErrorCode.INVALID, f"KPI period: start {start} is after end {end}")
    n = dict.fromkeys(("reported", "received", "received_closed", "accepted", "closed", "closed_on_time",
                       "open", "overdue_open", "self_resolved", "reworked", "supervised", "urged"), 0)
    hours = 0.0
    for case in cases:
        if not is_within(case.node, node):
            continue
        if _within(case.reported_at, start, end):
            n["reported"] += 1
            if case.state not in _NOT_RECEIVED:
                n["received"] += 1
                n["received_closed"] += case.closed_at is not None and case.closed_at <= now
                n["self_resolved"] += was_self_resolved(case)
        n["accepted"] += _within(case.accepted_at, start, end)
        if _within(case.closed_at, start, end):
            n["closed"] += 1
            n["closed_on_time"] += bool(case.closed_on_time)
            n["reworked"] += case.rework_count > 0
            hours += (case.closed_at - case.reported_at) / 3600
        if case.state in OPEN_STATES:
            n["open"] += 1
            n["overdue_open"] += case.sla_state is SlaState.OVERDUE
        n["supervised"] += case.supervision is not None and _within(case.supervision.at, start, end)
        n["urged"] += _within(case.last_urged_at, start, end)
    received, closed = n.pop("received"), n["closed"]
    received_closed = n.pop("received_closed")
    enough_closed = closed and closed >= min_cases
    return Kpis(
        node=node,
        start=start,
        end=end,
        received=received,
        **n,
        completion_rate=_rate(received_closed, received, min_cases),
        on_time_rate=_rate(n["closed_on_time"], closed, min_cases),
        mean_hours_to_close=hours / closed if enough_closed else None,
        self_resolved_share=_rate(n["self_resolved"], received, min_cases),
        rework_rate=_rate(n["reworked"], closed, min_cases),
    )


def rank_children(
    kpis_by_child: dict[str, Kpis], key: str, min_cases: int = 0, *, descending: bool | None = None
) -> list[tuple[str, Kpis]]:
    """Children ordered best first by ``key`` (a Kpis figure).

    Children whose base count for ``key`` (BASE_OF, else ``received``) is below
    ``min_cases`` go last, so one fast case cannot top a league; children with no value
    for ``key`` go after those with one. ``descending`` defaults to True except for
    LOWER_IS_BETTER figures. Ties keep code order.
    """
    if key not in _FIGURES:
        raise DomainError(ErrorCode.INVALID, f"unknown KPI {key!r}; known: {', '.join(sorted(_FIGURES))}")
    if descending is None:
        descending = key not in LOWER_IS_BETTER
    base = BASE_OF.get(key, "received")
    sign = -1 if descending else 1

    def order(item: tuple[str, Kpis]) -> tuple:
        code, k = item
        value = getattr(k, key)
        qualified = getattr(k, base) >= min_cases
        return (not qualified, value is None, sign * value if value is not None else 0, code)

    return sorted(kpis_by_child.items(), key=order)
