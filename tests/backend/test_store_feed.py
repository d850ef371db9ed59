"""Feed reads, snapshots consistent with their seq, and the SLA sweeper's queries."""

from __future__ import annotations

import msgspec
import pytest
from sqlalchemy import event

from backend.store.schema import head_revision
from domain.aggregates import recompute
from domain.model import Action, State
from domain.protocol import FeedEvent

from .conftest import DEPARTMENT, GRID, OPERATOR, OTHER_GRID, T0, Driver

A = Action
OTHER_STREET_GRID = "370202002001001"


def test_events_after_pages_and_scope(store, driver):
    assert store.events_after(0, 10) == [] and store.oldest_seq() == 1
    here = driver.report(T0, node=GRID)
    there = driver.report(T0, node=OTHER_STREET_GRID, actor=msgspec.structs.replace(
        OPERATOR, scope="370202002"))
    driver.step(here, A.ACCEPT, T0 + 1)
    page = store.events_after(0, 2)
    assert [f.seq for f in page] == [1, 2] and all(isinstance(f, FeedEvent) for f in page)
    assert [f.seq for f in store.events_after(2, 10)] == [3]
    assert [f.case.id for f in store.events_after(0, 10, scope="370202001")] == [here.id, here.id]
    assert [f.case.id for f in store.events_after(0, 10, scope="370202002")] == [there.id]
    assert store.events_after(0, 10, scope="370202003") == []
    assert len(store.events_after(0, 10, scope="")) == 3
    with pytest.raises(ValueError, match="scope must be a node code"):
        store.events_after(0, 10, scope="37%")
    with pytest.raises(ValueError, match="limit must be positive"):
        store.events_after(0, 0)


def test_snapshot_contents(store, driver):
    now = T0 + 40 * 3600
    open_case = driver.report(T0)
    closed_recent = close(driver, driver.report(T0), now - 3600)
    closed_old = close(driver, driver.report(T0), now - 30 * 3600)
    rejected = driver.step(driver.report(T0 + 5), A.REJECT, T0 + 6, reason="非本辖区")
    elsewhere = driver.report(T0, node=OTHER_STREET_GRID, actor=msgspec.structs.replace(
        OPERATOR, scope="370202002"))
    snap = store.snapshot("370202001", now)
    assert (snap.epoch, snap.seq) == store.head()
    assert {c.id for c in snap.cases} == {open_case.id, closed_recent.id}
    expected = recompute([open_case, closed_recent, closed_old, rejected], "370202001", now).to_list()
    assert snap.aggregates == expected
    everything = store.snapshot("", now)
    assert {c.id for c in everything.cases} == {open_case.id, closed_recent.id, elsewhere.id}
    old_grid = [a for a in everything.aggregates if a.node == GRID]
    assert old_grid and old_grid[0].hourly_closed  # the 30 h old closure still counts hourly
    assert store.snapshot("370202001001002", now).cases == []


def close(driver: Driver, case, at):
    case = driver.step(case, A.ACCEPT, at - 50)
    case = driver.step(case, A.DISPATCH, at - 40, department="szyl")
    case = driver.step(case, A.SIGN, at - 30, DEPARTMENT)
    case = driver.step(case, A.RESOLVE, at - 20, DEPARTMENT)
    return driver.step(case, A.VERIFY, at, passed=True)


def test_snapshot_is_one_transaction(store, open_store, rules, driver):
    """A write that commits between the snapshot's reads must not show up in it."""
    case = driver.report(T0)
    other = Driver(open_store(), rules, client_id="intruder")
    fired = []

    def write_in_between(conn, cursor, statement, *args):
        if "stream" in statement and not fired:
            fired.append(True)
            other.step(case, A.ACCEPT, T0 + 1)
            other.report(T0 + 2, node=OTHER_GRID)

    event.listen(store.engine, "after_cursor_execute", write_in_between)
    try:
        snap = store.snapshot("", T0 + 10)
    finally:
        event.remove(store.engine, "after_cursor_execute", write_in_between)
    assert fired and store.head()[1] == 3  # the intruder did commit in between
    assert snap.seq == 1
    assert [(c.id, c.version, c.state) for c in snap.cases] == [(case.id, 1, State.REPORTED)]
    assert snap.aggregates == recompute([case], "", T0 + 10).to_list()
    later = store.snapshot("", T0 + 10)
    assert later.seq == 3 and sorted(c.version for c in later.cases) == [1, 2]


def test_sweeper_finds_warning_then_overdue(store, rules, driver):
    case = driver.dispatched(T0)  # 03001 normal: 2 natural hours, warning with 20% left
    assert (case.warning_at, case.deadline) == (T0 + 1.6 * 3600, T0 + 2 * 3600)
    assert store.due_for_sla(case.warning_at - 1) == []
    assert store.due_for_sla(case.warning_at) == [(case.id, A.SLA_WARNING)]
    events = store.system_apply(case.id, A.SLA_WARNING, case.warning_at, rules)
    assert [f.event.kind for f in events] == [A.SLA_WARNING] and events[0].seq == 4
    assert events[0].event.actor == "system" and store.case(case.id).sla_state.value == "warning"
    assert store.due_for_sla(case.warning_at + 60) == []
    assert store.due_for_sla(case.deadline) == [(case.id, A.SLA_OVERDUE)]
    store.system_apply(case.id, A.SLA_OVERDUE, case.deadline, rules)
    assert store.due_for_sla(case.deadline + 86400) == []
    assert [f.event.kind for f in store.case_events(case.id)][-2:] == [A.SLA_WARNING, A.SLA_OVERDUE]


def test_sweeper_skips_stopped_clocks_and_goes_straight_to_overdue(store, driver):
    late = driver.dispatched(T0)
    suspended = driver.dispatched(T0)
    suspended = driver.step(suspended, A.SIGN, T0 + 1, DEPARTMENT)
    driver.step(suspended, A.SUSPEND, T0 + 2, reason="等待配件")
    waiting = driver.report(T0)  # never accepted: its 受理 clock (15 minutes) runs, not 处置's
    assert store.due_for_sla(T0 + 3 * 3600) == sorted([(late.id, A.SLA_OVERDUE), (waiting.id, A.SLA_OVERDUE)])


def test_sweeper_limit(store, driver):
    cases = [driver.dispatched(T0 + i) for i in range(5)]
    due = store.due_for_sla(T0 + 10 * 3600, limit=3)
    assert due == [(c.id, A.SLA_OVERDUE) for c in cases[:3]]  # earliest deadline first


def test_stats(store, driver):
    driver.report(T0)
    stats = store.stats()
    assert stats["head_seq"] == 1 and stats["cases"] == 1 and stats["open_cases"] == 1
    assert stats["events"] == 1 and stats["command_log"] == 1 and stats["schema"] == head_revision()
