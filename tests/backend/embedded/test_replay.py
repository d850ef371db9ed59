"""Replaying a finished session from its event log, through a replay hub, to a real client."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.city.generate import generate_city
from backend.embedded.replay import Replay, ReplayError, append_recorded, prepare_store
from backend.sim.cityview import CityView
from backend.sim.engine import Simulator
from backend.sim.scenario import load_scenario
from backend.store import Store
from backend_client.client import GridClient
from backend_client.connection import Backoff
from domain.model import OPEN_STATES, Action
from domain.rules import default_rules
from tests.backend.embedded.recorded import held, recorded_at
from tests.backend_client.conftest import eventually

CST = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 3, 18, 18, 0, tzinfo=CST).timestamp()
RULES = default_rules()
HOURS = 4


@pytest.fixture(scope="module")
def session_db(tmp_path_factory):
    """A finished session: four simulated hours of a winter night on a small city, then the SLA clock
    runs out on the cases still open (so the log holds the hub's own SLA events too)."""
    path = tmp_path_factory.mktemp("session") / "hub.db"
    city = generate_city(2023, scale=0.02)
    with Store.open(f"sqlite:///{path}", require_current=False) as store:
        store.migrate()
        store.import_city(city)
        store.import_departments(RULES.catalog.departments.values())
        sim = Simulator(store, RULES, load_scenario("winter_night", RULES.catalog), CityView.from_city(city),
                        start=START, seed=5)
        sim.run_until(START + HOURS * 3600)
        late = START + (HOURS + 48) * 3600
        due = store.due_for_sla(late)
        assert due, "no open case with a running clock to run out"
        for case_id, action in due:
            store.system_apply(case_id, action, late, RULES)
    return f"sqlite:///{path}"


def shape(events):
    return [(e.seq, e.event.kind, e.event.at, e.case.id, e.case.version, e.case.state) for e in events]


def test_replay_republishes_the_session_seq_for_seq(session_db, tmp_path):
    with Store.open(session_db) as source:
        recorded = source.events_after(0, 100_000)
    assert len(recorded) > 50 and recorded[-1].event.kind is Action.SLA_OVERDUE
    end = recorded[-1].event.at
    replay = Replay(session_db, tmp_path / "replay", speed=600.0, start=START).start()
    try:
        replay.clock.pause()
        viewer = GridClient(replay.url, replay.token(""), "", outbox_path=tmp_path / "viewer.db",
                            backoff=Backoff(base=0.05, cap=0.5)).start()
        try:
            assert viewer.wait_until(lambda c: c.state.state.value == "live", 15)
            # paused at the session's start: nothing is out yet, and nothing comes while paused
            half = START + HOURS * 3600 / 2  # the middle of the busy part
            replay.clock.advance(half - START)
            expected_half = [e for e in recorded if e.event.at <= half]
            eventually(lambda: replay.replayed == len(expected_half), what="the first half replayed")
            assert replay.next_at() > half
            assert replay.store.head()[1] == len(expected_half)  # paused: the replayer stops at the clock
            replay.clock.advance(end - half)  # skip the quiet two days
            replay.clock.resume()
            assert replay.finished.wait(30), f"replayed {replay.replayed} of {replay.total}"
            assert shape(replay.store.events_after(0, 100_000)) == shape(recorded)
            # the client saw every open case as the session left it
            with Store.open(session_db) as source:
                final = {c.id: c.version for c in source.snapshot("", end).cases if c.state in OPEN_STATES}
            assert final and viewer.wait_until(
                lambda c: {k: v.version for k, v in c.replica.cases.items() if v.state in OPEN_STATES} == final, 15)
            assert replay.next_at() is None
        finally:
            viewer.close()
    finally:
        replay.stop()


def test_seek_back_and_forth_shows_the_session_as_it_stood_then(session_db, tmp_path):
    with Store.open(session_db) as source:
        recorded = source.events_after(0, 100_000)
    times = [START + h * 3600 for h in (3, 1, 2.5, 1.5)]
    expected = {t: recorded_at(session_db, tmp_path, t) for t in times}
    pictures = list(expected.values())
    assert all(a != b for i, a in enumerate(pictures) for b in pictures[i + 1:])  # four different pictures
    replay = Replay(session_db, tmp_path / "replay", speed=600.0, start=START).start()
    try:
        replay.clock.pause()
        url = replay.url
        viewer = GridClient(url, replay.token(""), "", outbox_path=tmp_path / "viewer.db",
                            backoff=Backoff(base=0.05, cap=0.5)).start()
        try:
            assert viewer.wait_until(lambda c: c.state.state.value == "live", 15)
            for n, t in enumerate(times):
                replay.seek(t)
                assert replay.clock.paused and replay.clock.now() == t and replay.url == url
                prefix = [e for e in recorded if e.event.at <= t]
                assert viewer.wait_until(lambda c, t=t: held(c) == expected[t], 30), f"seek {n} to +{t - START:.0f} s"
                assert shape(replay.store.events_after(0, 100_000)) == shape(prefix)
                assert replay.replayed == len(prefix)
            assert replay.generation == 2  # 3 h → 1 h and 2.5 h → 1.5 h rebuilt; 1 h → 2.5 h only moved the clock
            replay.seek(START - 3600)  # clamped to the start: nothing out yet
            assert replay.clock.now() == START and replay.replayed == 0
            assert viewer.wait_until(lambda c: not c.replica.cases, 30)
            replay.clock.resume()  # and on from there, as recorded
            replay.seek(recorded[-1].event.at + 7 * 86400)  # clamped to the last event
            assert replay.finished.wait(30), f"replayed {replay.replayed} of {replay.total}"
            assert shape(replay.store.events_after(0, 100_000)) == shape(recorded)
        finally:
            viewer.close()
    finally:
        replay.stop()


def test_replay_refuses_a_session_without_events(tmp_path):
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    with Store.open(empty, require_current=False) as store:
        store.migrate()
    with pytest.raises(ReplayError, match="no events to replay"):
        Replay(empty, tmp_path / "replay").start()


def test_recorded_events_must_follow_the_head(session_db, tmp_path):
    with Store.open(session_db) as source:
        target = prepare_store(source, f"sqlite:///{tmp_path / 'r.db'}")
        events = source.events_after(0, 3)
    try:
        with pytest.raises(ReplayError, match="does not follow the replay's head 0"):
            append_recorded(target, events[1:])
        assert append_recorded(target, events) == 3
        assert target.counts()["grids"] > 0
        with pytest.raises(ReplayError, match="already holds events"):
            prepare_store(target, f"sqlite:///{tmp_path / 'r.db'}")
    finally:
        target.close()
