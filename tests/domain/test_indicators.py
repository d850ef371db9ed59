"""The indicators on hand-built cases with known answers, periods in CST, and the assessment."""

from __future__ import annotations

import datetime as dt

import pytest

from domain import indicators as ind
from domain import periods
from domain.assessment import assess, load_weights, score
from domain.indicators import Counts, count_cases, value
from domain.model import Case, SlaState, Source, State, Supervision, Urgency

H = 3600.0
DAY = periods.midnight(dt.date(2026, 12, 3))
GRID = "370202001001001"


def mk(cid: str, state: State, reported_at: float, **kw) -> Case:
    return Case(id=cid, node=GRID, category="10103", urgency=Urgency.NORMAL, source=Source.GRID_WORKER,
                state=state, version=5, reported_at=reported_at, reported_by="gw", **kw)


def known_day() -> list[Case]:
    """Ten cases due today by 10:00: four closed on time, six still open and overdue."""
    out = []
    for i in range(4):
        out.append(mk(f"ok{i}", State.CLOSED, DAY - 20 * H, accepted_at=DAY - 19 * H, dispatched_at=DAY - 19 * H,
                      resolved_at=DAY + H, closed_at=DAY + 2 * H, deadline=DAY + 3 * H, closed_on_time=True))
    for i in range(6):
        out.append(mk(f"late{i}", State.IN_PROGRESS, DAY - 20 * H, accepted_at=DAY - 19 * H,
                      dispatched_at=DAY - 19 * H, deadline=DAY + 4 * H, sla_state=SlaState.OVERDUE))
    return out


def test_on_time_rate_divides_by_cases_due_not_cases_closed():
    n = count_cases(known_day(), DAY, DAY + 86400, as_of=DAY + 10 * H)
    assert (n.due, n.on_time, n.late, n.overdue_open) == (10, 4, 6, 6)
    assert value(n, "on_time_rate") == pytest.approx(0.4)


def test_a_normal_morning_judges_only_what_is_late():
    cases = known_day()
    early = count_cases(cases, DAY, DAY + 86400, as_of=DAY + 3.5 * H)  # only the on-time ones are due yet
    assert (early.due, early.on_time, early.late) == (4, 4, 0)
    assert value(early, "on_time_rate") == 1.0
    waiting = mk("w", State.RESOLVED, DAY - 5 * H, accepted_at=DAY - 5 * H, dispatched_at=DAY - 5 * H,
                 resolved_at=DAY + H, deadline=DAY + 2 * H)
    n = count_cases([waiting], DAY, DAY + 86400, as_of=DAY + 3 * H)
    assert (n.due, n.on_time, n.late) == (1, 0, 0)  # resolved in time, waiting for verification: not late


def test_intake_chain_is_a_cohort_of_the_period_reports():
    t = DAY + H
    cases = [
        mk("a", State.CLOSED, t, accepted_at=t, dispatched_at=t, resolved_at=t + 2 * H, closed_at=t + 3 * H,
           closed_on_time=True, deadline=t + 5 * H, rework_count=1),
        mk("b", State.DISPATCHED, t, accepted_at=t, dispatched_at=t, return_count=1, extension_count=1,
           deadline=t + 30 * H),
        mk("c", State.REJECTED, t),
        mk("d", State.CLOSED, t, resolved_at=t, closed_at=t + H, closed_on_time=True),  # fixed on the spot
        mk("e", State.CLOSED, DAY - 30 * H, accepted_at=DAY - 30 * H, closed_at=t, closed_on_time=True),
        mk("s", State.IN_PROGRESS, DAY - 30 * H, accepted_at=DAY - 30 * H,
           supervision=Supervision(level=1, reason="r", due=t + H, by="sup", at=t, replied_at=t + 0.5 * H)),
    ]
    n = count_cases(cases, DAY, DAY + 86400, as_of=DAY + 23 * H)
    assert (n.reported, n.received, n.accepted, n.dispatched, n.closed) == (4, 3, 2, 2, 1)
    assert (n.dispatched_right, n.returned, n.extended, n.reworked, n.self_resolved) == (1, 1, 1, 1, 1)
    assert (n.supervised, n.supervision_due, n.supervision_on_time) == (1, 1, 1)
    v = ind.values(n)
    assert v["accept_rate"] == 0.5 and v["close_rate"] == 0.5 and v["dispatch_accuracy"] == 0.5
    assert v["handle_hours"] == pytest.approx(2.0) and v["close_hours"] == pytest.approx(3.0)
    assert v["self_resolved_rate"] == pytest.approx(1 / 3)


def test_rates_need_their_minimum_base():
    assert value(Counts(due=3, on_time=3), "on_time_rate", min_cases=5) is None
    assert value(Counts(), "on_time_rate") is None


def test_periods_in_china_time():
    t = periods.midnight(dt.date(2026, 12, 3)) + 5 * H  # a Thursday
    assert periods.period_of("day", t).label == "2026-12-03"
    week = periods.period_of("week", t)
    assert periods.date_of(week.start) == dt.date(2026, 11, 30) and week.end - week.start == 7 * 86400
    month = periods.period_of("month", t)
    assert (periods.date_of(month.start), periods.date_of(month.end)) == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert periods.previous(month).label == "2026-11"
    assert periods.day_start(t) == periods.midnight(dt.date(2026, 12, 3))
    assert periods.day_start(periods.midnight(dt.date(2026, 12, 4)) - 1) == periods.day_start(t)


def test_assessment_ranks_and_counts_open_overdue():
    w = load_weights()
    good = Counts(reported=20, received=20, accepted=20, closed=20, due=10, on_time=10, dispatched=20,
                  dispatched_right=20, handle_n=20, handle_seconds=20 * 3600.0)
    same_but_overdue = Counts(**{f: getattr(good, f) for f in Counts.__struct_fields__})
    same_but_overdue.overdue_open = 4
    tiny = Counts(reported=1, due=1, on_time=1)
    rows = assess({"a": same_but_overdue, "b": good, "c": tiny}, w, previous={"b": Counts(due=10, on_time=5)})
    assert [r.key for r in rows] == ["b", "a", "c"]
    assert [r.rank for r in rows] == [1, 2, None]
    assert rows[0].score - rows[1].score == pytest.approx(4 * w.overdue_penalty)
    assert rows[0].trend == pytest.approx(rows[0].score - score(Counts(due=10, on_time=5), w))
