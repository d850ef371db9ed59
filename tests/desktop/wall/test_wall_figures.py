"""The wall's pure figures: the league table's minimum case count, the alarm book, the bounded ticker."""

from __future__ import annotations

import pytest

from desktop.wall.figures import ALARM_CRITICAL, ALARM_OVERDUE, AlarmBook, Ticker, alarm_kind, rank_rows
from domain.indicators import Counts
from domain.model import Case, SlaState, Source, State, Urgency
from widgets.common.names import MappingNames

NAMES = MappingNames(categories={"10103": "井盖缺失"})


def kpis(code: str, due: int, on_time: int, overdue: int = 0) -> Counts:
    return Counts(due=due, on_time=on_time, late=due - on_time, overdue_open=overdue)


def case(n: int, **changes) -> Case:
    base = dict(id=f"C{n}", node="370202001001001", category="10103", urgency=Urgency.NORMAL,
                source=Source.GRID_WORKER, state=State.DISPATCHED, version=1, reported_at=1000.0 + n,
                reported_by="gw")
    base.update(changes)
    return Case(**base)


def test_one_fast_case_cannot_top_the_league_and_overdue_breaks_ties():
    rows = rank_rows({
        "370202": kpis("370202", due=1, on_time=1),  # 100 % of one case: not ranked
        "370203": kpis("370203", due=20, on_time=18, overdue=3),  # open overdue cases cost points
        "370211": kpis("370211", due=10, on_time=9, overdue=0),  # same 90 %, no overdue
        "370212": kpis("370212", due=40, on_time=39),
        "370213": kpis("370213", due=0, on_time=0),
    }, NAMES, min_cases=5)
    assert [(r.code, r.rank) for r in rows] == [
        ("370212", 1), ("370211", 2), ("370203", 3), ("370202", None), ("370213", None)]
    equal = rank_rows({"370202": kpis("370202", 10, 9), "370203": kpis("370203", 10, 9)}, NAMES, 5)
    assert [r.rank for r in equal] == [1, 1]  # a true tie shares the rank
    with pytest.raises(ValueError, match="min_cases must be a whole number ≥ 0, got -1"):
        rank_rows({}, NAMES, -1)


def test_alarms_stay_until_acknowledged_and_come_back_when_overdue():
    book = AlarmBook(NAMES, "3702")
    critical = case(1, urgency=Urgency.CRITICAL)
    book.reset([critical, case(2)])
    assert [(a.case_id, a.kind) for a in book.newest_first()] == [("C1", ALARM_CRITICAL)]
    book.update(case(2, sla_state=SlaState.OVERDUE, version=2, updated_at=2000.0))
    assert [a.case_id for a in book.newest_first()] == ["C2", "C1"]  # newest first
    book.update(case(1, urgency=Urgency.CRITICAL, acknowledged_by="op-1", version=2))
    assert list(book.alarms) == ["C2"]
    # The overdue tick clears an acknowledgement: the case alarms again, now as overdue.
    book.update(case(1, urgency=Urgency.CRITICAL, sla_state=SlaState.OVERDUE, version=3))
    assert book.alarms["C1"].kind == ALARM_OVERDUE
    book.update(case(2, state=State.CLOSED, version=3))  # finished: nothing left to alarm about
    book.remove("C1")  # pruned from the replica
    assert not book and len(book) == 0
    assert alarm_kind(case(3, urgency=Urgency.CRITICAL, node="370303001001001")) == ALARM_CRITICAL
    other_city = AlarmBook(NAMES, "3702")
    other_city.update(case(3, urgency=Urgency.CRITICAL, node="370303001001001"))
    assert not other_city  # outside the wall's scope


def test_ticker_keeps_the_newest_and_stays_bounded():
    ticker = Ticker(NAMES, "3702", size=3)
    ticker.reset([case(n) for n in range(10)])
    assert [e.case_id for e in ticker.entries] == ["C9", "C8", "C7"]
    for n in range(10, 1000):
        ticker.add(case(n))
    ticker.add(case(999))  # a repeated report event is not shown twice
    assert [e.case_id for e in ticker.entries] == ["C999", "C998", "C997"]
    assert ticker.entries[0].category == "井盖缺失"
    with pytest.raises(ValueError, match="ticker size must be at least 1"):
        Ticker(NAMES, "3702", size=0)
