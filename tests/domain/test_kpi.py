"""KPIs on hand-built cases, and league tables that one fast case cannot top."""

from __future__ import annotations

import pytest

from domain.errors import DomainError, ErrorCode
from domain.kpi import Kpis, compute_kpis, rank_children, was_self_resolved
from domain.model import Case, SlaState, Source, State, Supervision, Urgency
from tests.domain.test_lifecycle import T0, WORKER, A, make, step

H = 3600.0
DAY = 86400.0
GRID = "370202001001001"
FAR_GRID = "370203001001001"  # another district


def mk(cid: str, state: State, reported_at: float, node: str = GRID, **kw) -> Case:
    return Case(id=cid, node=node, category="03001", urgency=Urgency.NORMAL, source=Source.HOTLINE, state=state,
                version=3, reported_at=reported_at, reported_by="gw", **kw)


CASES = [
    mk("c1", State.CLOSED, T0, accepted_at=T0 + 60, closed_at=T0 + 5 * H, closed_on_time=True),
    mk("c2", State.CLOSED, T0 + H, accepted_at=T0 + H, closed_at=T0 + 11 * H, closed_on_time=False, rework_count=1),
    mk("c3", State.CLOSED, T0 + 2 * H, resolved_at=T0 + 2 * H, closed_at=T0 + 3 * H, closed_on_time=True),
    mk("c4", State.IN_PROGRESS, T0 + 3 * H, accepted_at=T0 + 3 * H, sla_state=SlaState.OVERDUE, last_urged_at=T0 + 9 * H,
       supervision=Supervision(level=1, reason="r", due=T0 + 2 * DAY, by="sup", at=T0 + 8 * H)),
    mk("c5", State.REJECTED, T0 + 4 * H, reason="重复"),
    mk("c6", State.CLOSED, T0 - 10 * H, accepted_at=T0 - 9 * H, closed_at=T0 + 2 * H, closed_on_time=True),
    mk("c7", State.CLOSED, T0 + H, node=FAR_GRID, accepted_at=T0 + H, closed_at=T0 + 2 * H, closed_on_time=True),
    mk("c8", State.REPORTED, T0 + 20 * H),
    mk("c9", State.REPORTED, T0 + DAY + H),  # after the period
]


def test_figures_for_a_district_and_a_day():
    k = compute_kpis(CASES, "370202", T0, T0 + DAY, now=T0 + DAY + 2 * H)
    assert (k.node, k.start, k.end) == ("370202", T0, T0 + DAY)
    assert (k.reported, k.received, k.accepted, k.closed, k.closed_on_time) == (6, 5, 3, 4, 3)
    assert k.completion_rate == pytest.approx(3 / 5)
    assert k.on_time_rate == pytest.approx(3 / 4)
    assert k.mean_hours_to_close == pytest.approx((5 + 10 + 1 + 12) / 4)
    assert (k.self_resolved, k.self_resolved_share) == (1, pytest.approx(1 / 5))
    assert (k.reworked, k.rework_rate) == (1, pytest.approx(1 / 4))
    assert (k.open, k.overdue_open, k.supervised, k.urged) == (3, 1, 1, 1)


def test_node_filter_and_empty_selection():
    everything = compute_kpis(CASES, "", T0, T0 + DAY, now=T0 + DAY)
    assert everything.reported == 7 and everything.closed == 5
    far = compute_kpis(CASES, "370203", T0, T0 + DAY, now=T0 + DAY)
    assert (far.reported, far.closed, far.on_time_rate) == (1, 1, 1.0)
    empty = compute_kpis(CASES, "370204", T0, T0 + DAY, now=T0 + DAY)
    assert empty == Kpis(node="370204", start=T0, end=T0 + DAY)
    assert empty.completion_rate is None and empty.on_time_rate is None and empty.mean_hours_to_close is None


def test_rates_below_min_cases_are_withheld():
    k = compute_kpis(CASES, "370202", T0, T0 + DAY, now=T0 + DAY, min_cases=5)
    assert k.completion_rate == pytest.approx(3 / 5)  # 5 received
    assert k.on_time_rate is None and k.rework_rate is None and k.mean_hours_to_close is None  # 4 closed
    assert k.closed == 4  # counts stay


def test_bad_arguments_are_named():
    for node, start, end, word in [("37020", T0, T0 + 1, "37020"), ("370202", T0 + 1, T0, "start")]:
        with pytest.raises(DomainError) as info:
            compute_kpis(CASES, node, start, end, now=T0)
        assert info.value.code is ErrorCode.INVALID and word in info.value.message
    with pytest.raises(DomainError) as info:
        rank_children({}, "speed")
    assert info.value.code is ErrorCode.INVALID and "speed" in info.value.message


def test_self_resolved_is_told_by_the_missing_acceptance():
    assert was_self_resolved(CASES[2]) and not was_self_resolved(CASES[0]) and not was_self_resolved(CASES[7])


def test_kpis_of_cases_driven_through_the_lifecycle():
    work = step(step(make(State.ACCEPTED, start=T0), A.DISPATCH, now=T0 + H), A.SIGN, now=T0 + 1.5 * H)
    closed = step(step(work, A.RESOLVE, now=T0 + 2 * H), A.VERIFY)
    spot = step(make(State.SELF_RESOLVED, start=T0), A.VERIFY, actor=WORKER)
    k = compute_kpis([closed, spot, work], "370202001", T0, T0 + DAY, now=T0 + DAY)
    assert (k.reported, k.received, k.accepted, k.closed, k.open) == (3, 3, 2, 2, 1)
    assert (k.on_time_rate, k.self_resolved_share, k.completion_rate) == (1.0, pytest.approx(1 / 3), pytest.approx(2 / 3))


def _k(received: int, closed: int, completion, hours) -> Kpis:
    return Kpis(node="x", start=T0, end=T0 + DAY, received=received, closed=closed, completion_rate=completion,
                mean_hours_to_close=hours)


def test_ranking_puts_small_children_last():
    children = {
        "370202001": _k(1, 1, 1.0, 0.5),  # one fast case
        "370202002": _k(10, 9, 0.9, 6.0),
        "370202003": _k(8, 4, 0.5, 3.0),
        "370202004": _k(0, 0, None, None),
        "370202005": _k(6, 5, 0.9, 4.0),
    }
    order = [code for code, _ in rank_children(children, "completion_rate", 5)]
    assert order == ["370202002", "370202005", "370202003", "370202001", "370202004"]
    order = [code for code, _ in rank_children(children, "mean_hours_to_close", 5)]  # lower is better, base: closed
    assert order == ["370202005", "370202002", "370202001", "370202003", "370202004"]
    order = [code for code, _ in rank_children(children, "completion_rate", 0)]
    assert order[:2] == ["370202001", "370202002"]
    order = [code for code, _ in rank_children(children, "completion_rate", 0, descending=False)]
    assert order[:2] == ["370202003", "370202002"]
