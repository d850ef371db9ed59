"""The performance indicators (考核指标): each defined once, here, in 数字城管 vocabulary.

A figure is taken over a period ``[start, end)`` (see ``domain.periods``) as of a moment
``as_of`` (the query time, at most ``end``). Three families, each with one clock:

* The intake chain counts a report in the period it was *reported* in (a cohort): of the
  reports of the period, how many were accepted (立案), dispatched (派遣), closed (结案) by
  ``as_of``. Every numerator is a subset of its base, so a rate never exceeds 100%.
* Timeliness counts a case in the period its *deadline* fell in (应结案数), and only the
  deadlines already past at ``as_of``: a case that is not late yet is not judged yet.
  Live "today" figures therefore show what is late, never what is merely unfinished.
* Supervision (督办) counts an order in the period it was *issued* in.

``超期未结`` (overdue_open) is a snapshot at ``as_of``: open cases past their deadline,
whenever it fell. ``Counts`` are plain sums, so the counts of children add up to their
parent's; rates are derived from counts by :func:`value`, never averaged.

``count_case`` is the reference definition. The hub's SQL (``backend.reports.query``) and
the console's live figures (``desktop.figures``) produce the same ``Counts``; tests recount
from the database and compare.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import msgspec

from domain.model import OPEN_STATES, Case, ClockStage, Satisfaction, SlaState, State

_NOT_RECEIVED = frozenset({State.REJECTED, State.MERGED})
_CONTENT = frozenset({Satisfaction.SATISFIED, Satisfaction.FAIRLY_SATISFIED})
K = TypeVar("K", bound=Hashable)


class Counts(msgspec.Struct, omit_defaults=True):
    """The sums every indicator is derived from (one group: a node, a department, a worker)."""

    reported: int = 0  # 上报数
    received: int = 0  # 受理数: reported, not rejected or merged
    accepted: int = 0  # 立案数
    dispatched: int = 0  # 派遣数
    dispatched_right: int = 0  # 派遣准确数: dispatched, never returned
    returned: int = 0  # 退回数: dispatched, returned at least once
    extended: int = 0  # 延期数: dispatched, extended at least once
    closed: int = 0  # 结案数
    reworked: int = 0  # 返工数: closed, failed a verification at least once
    handle_n: int = 0  # closed cases with a dispatch (base of 处置用时)
    handle_seconds: float = 0.0  # Σ resolved − dispatched
    close_seconds: float = 0.0  # Σ closed − reported, over 结案数
    self_resolved: int = 0  # 就地解决数
    due: int = 0  # 应结案数
    on_time: int = 0  # 按期结案数
    late: int = 0  # 超期数: due, closed late or still open past the deadline
    overdue_open: int = 0  # 超期未结 (snapshot)
    supervised: int = 0  # 督办数
    supervision_due: int = 0  # 督办应反馈数: reply due by as_of, or replied
    supervision_on_time: int = 0  # 督办按期反馈数
    accept_late: int = 0  # 受理超时数: reports whose 受理 ran past its limit
    dispatch_late: int = 0  # 派遣超时数
    verify_late: int = 0  # 核查超时数
    sign_late: int = 0  # 签收超时数: dispatched cases the department signed for late (the hub's 签收 clock)
    callbacks: int = 0  # 回访数: reports whose caller was called back
    satisfied: int = 0  # 满意数: 满意 or 基本满意 at the last callback
    reopened: int = 0  # 重办数: reopened at least once after a dissatisfied callback

    def add(self, other: Counts) -> Counts:
        for f in self.__struct_fields__:
            setattr(self, f, getattr(self, f) + getattr(other, f))
        return self


COUNT_FIELDS: tuple[str, ...] = Counts.__struct_fields__


def was_self_resolved(case: Case) -> bool:
    """Fixed on the spot (就地解决): self-resolved, or closed without ever being accepted (立案)."""
    return case.state is State.SELF_RESOLVED or (case.state is State.CLOSED and case.accepted_at is None)


def count_case(case: Case, start: float, end: float, as_of: float, into: Counts | None = None) -> Counts:
    """Add what ``case`` contributes to the period ``[start, end)`` as of ``as_of``."""
    n = into if into is not None else Counts()
    cut = min(end, as_of)
    if start <= case.reported_at < end:
        n.reported += 1
        if case.state not in _NOT_RECEIVED:
            n.received += 1
            n.self_resolved += was_self_resolved(case)
        if case.accepted_at is not None:
            n.accepted += 1
            if case.state is State.CLOSED:
                n.closed += 1
                n.reworked += case.rework_count > 0
                closed_at = case.closed_at if case.closed_at is not None else case.reported_at
                n.close_seconds += closed_at - case.reported_at
                if case.dispatched_at is not None and case.resolved_at is not None:
                    n.handle_n += 1
                    n.handle_seconds += case.resolved_at - case.dispatched_at
        n.accept_late += ClockStage.ACCEPT in case.stages_late
        n.dispatch_late += ClockStage.DISPATCH in case.stages_late
        n.verify_late += ClockStage.VERIFY in case.stages_late
        n.sign_late += ClockStage.SIGN in case.stages_late
        if case.callback is not None:
            n.callbacks += 1
            n.satisfied += case.callback.satisfaction in _CONTENT
            n.reopened += case.reopen_count > 0
        if case.dispatched_at is not None:
            n.dispatched += 1
            n.dispatched_right += case.return_count == 0
            n.returned += case.return_count > 0
            n.extended += case.extension_count > 0
    deadline = case.deadline
    if deadline is not None and start <= deadline < cut and case.state not in _NOT_RECEIVED:
        n.due += 1
        if case.state is State.CLOSED:
            if case.closed_on_time:
                n.on_time += 1
            else:
                n.late += 1
        elif case.resolved_at is None or case.resolved_at > deadline:
            n.late += 1  # a case resolved in time and waiting for verification is not late
    if case.state in OPEN_STATES and case.sla_state is SlaState.OVERDUE:
        n.overdue_open += 1
    order = case.supervision
    if order is not None and start <= order.at < end:
        n.supervised += 1
        replied = order.replied_at
        if replied is not None or order.due < as_of:
            n.supervision_due += 1
            n.supervision_on_time += replied is not None and replied <= order.due
    return n


def count_cases(cases: Iterable[Case], start: float, end: float, as_of: float) -> Counts:
    n = Counts()
    for case in cases:
        count_case(case, start, end, as_of, n)
    return n


def count_cases_by(cases: Iterable[Case], key: Callable[[Case], K | None], start: float, end: float,
                   as_of: float) -> dict[K, Counts]:
    """Counts per ``key(case)``; cases whose key is None are left out."""
    out: dict[K, Counts] = {}
    for case in cases:
        k = key(case)
        if k is None:
            continue
        n = out.get(k)
        if n is None:
            n = out[k] = Counts()
        count_case(case, start, end, as_of, n)
    return out


# ---- the indicators --------------------------------------------------------------------------
@dataclass(frozen=True)
class Indicator:
    key: str
    zh: str  # the 数字城管 term, as every screen and report shows it
    en: str
    kind: str  # "count" | "rate" | "hours"
    num: str  # Counts field (for hours: the seconds sum)
    base: str | None  # Counts field the rate or mean is taken over
    formula: str
    lower_is_better: bool = False


INDICATORS: tuple[Indicator, ...] = (
    Indicator("reported", "上报数", "Reported", "count", "reported", None, "reports made in the period"),
    Indicator("accepted", "立案数", "Accepted", "count", "accepted", None,
              "reports of the period accepted (立案) by the query time"),
    Indicator("accept_rate", "立案率", "Acceptance rate", "rate", "accepted", "reported", "立案数 / 上报数"),
    Indicator("dispatched", "派遣数", "Dispatched", "count", "dispatched", None,
              "reports of the period dispatched to a department"),
    Indicator("dispatch_accuracy", "派遣准确率", "Dispatch accuracy", "rate", "dispatched_right", "dispatched",
              "dispatched cases never returned by the department / 派遣数"),
    Indicator("due", "应结案数", "Due", "count", "due", None,
              "cases whose deadline fell in the period, up to the query time"),
    Indicator("closed", "结案数", "Closed", "count", "closed", None, "立案 cases of the period closed (结案)"),
    Indicator("close_rate", "结案率", "Closure rate", "rate", "closed", "accepted", "结案数 / 立案数"),
    Indicator("on_time", "按期结案数", "Closed on time", "count", "on_time", None,
              "应结案 cases closed with handling finished by the deadline"),
    Indicator("on_time_rate", "按期结案率", "On-time closure rate", "rate", "on_time", "due", "按期结案数 / 应结案数"),
    Indicator("handle_hours", "处置用时", "Handling time", "hours", "handle_seconds", "handle_n",
              "mean hours from dispatch to resolved, over closed cases", lower_is_better=True),
    Indicator("close_hours", "结案用时", "Time to close", "hours", "close_seconds", "closed",
              "mean hours from report to closed, over 结案数", lower_is_better=True),
    Indicator("rework_rate", "返工率", "Rework rate", "rate", "reworked", "closed",
              "closed cases that failed a verification / 结案数", lower_is_better=True),
    Indicator("extension_rate", "延期率", "Extension rate", "rate", "extended", "dispatched",
              "dispatched cases extended / 派遣数", lower_is_better=True),
    Indicator("return_rate", "退回率", "Return rate", "rate", "returned", "dispatched",
              "dispatched cases returned by the department / 派遣数", lower_is_better=True),
    Indicator("late", "超期数", "Late", "count", "late", None,
              "应结案 cases closed late or still open past the deadline", lower_is_better=True),
    Indicator("overdue_open", "超期未结", "Overdue open", "count", "overdue_open", None,
              "open cases past their deadline now, whenever it fell", lower_is_better=True),
    Indicator("supervised", "督办数", "Supervised", "count", "supervised", None, "督办 orders issued in the period"),
    Indicator("supervision_rate", "督办按期反馈率", "Supervision replied on time", "rate", "supervision_on_time",
              "supervision_due", "orders replied by their due time / orders due or replied"),
    Indicator("self_resolved_rate", "就地解决率", "Solved on the spot", "rate", "self_resolved", "received",
              "reports fixed on the spot by the grid worker / reports received (not rejected or merged)"),
    Indicator("accept_late", "受理超时数", "Late acceptance", "count", "accept_late", None,
              "reports of the period whose 受理 ran past its limit", lower_is_better=True),
    Indicator("dispatch_late", "派遣超时数", "Late dispatch", "count", "dispatch_late", None,
              "reports of the period whose 派遣 ran past its limit", lower_is_better=True),
    Indicator("verify_late", "核查超时数", "Late verification", "count", "verify_late", None,
              "reports of the period whose 核查 ran past its limit", lower_is_better=True),
    Indicator("sign_late", "签收超时数", "Late signing", "count", "sign_late", None,
              "reports of the period whose 签收 ran past the deployment's limit", lower_is_better=True),
    Indicator("callbacks", "回访数", "Called back", "count", "callbacks", None,
              "reports of the period whose caller was called back (回访)"),
    Indicator("satisfaction_rate", "满意率", "Satisfaction rate", "rate", "satisfied", "callbacks",
              "满意 or 基本满意 at the last callback / 回访数"),
    Indicator("reopen_rate", "重办率", "Reopen rate", "rate", "reopened", "callbacks",
              "cases reopened (重办) after a dissatisfied callback / 回访数", lower_is_better=True),
)
BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
RATE_KEYS = tuple(i.key for i in INDICATORS if i.kind != "count")


def value(counts: Counts, key: str, min_cases: int = 0) -> float | None:
    """The indicator ``key`` of ``counts``: a count, a share 0..1, or mean hours.

    A rate or mean whose base is 0 or below ``min_cases`` is None: too few cases to judge.
    """
    ind = BY_KEY.get(key)
    if ind is None:
        raise KeyError(f"unknown indicator {key!r}; known: {', '.join(BY_KEY)}")
    num: float = getattr(counts, ind.num)
    if ind.base is None:
        return num
    base: float = getattr(counts, ind.base)
    if not base or base < min_cases:
        return None
    return num / base / 3600.0 if ind.kind == "hours" else num / base


def values(counts: Counts, min_cases: int = 0) -> dict[str, float | None]:
    return {i.key: value(counts, i.key, min_cases) for i in INDICATORS}


def base_of(key: str) -> str | None:
    return BY_KEY[key].base
