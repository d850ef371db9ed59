"""Trainer mode at hub level: the clock in the trainer's hands, injections, the scorecard, reset.

A real training session (small city, embedded hub on loopback) and real trainee clients.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from backend.city.generate import generate_city
from backend.embedded.training import SessionError, TrainingSession
from backend.sim.scenario import ScenarioError
from backend.store.models import CommandLogRow
from backend.training import record
from backend_client.client import CommandFailed, GridClient
from domain.clocks import CLOCK_STATES
from domain.hierarchy import Level
from domain.model import Action, SlaState, State
from domain.queues import Queue
from tests.backend_client.conftest import FAST, eventually

SEED, SCALE = 2023, 0.02
INJECTED = "测试：电梯困人，两人被困"


@pytest.fixture(scope="module")
def street() -> str:
    """The street the session's first trainee gets (the first of 市南区 in this city)."""
    city = generate_city(seed=SEED, scale=SCALE)
    return sorted(n.code for n in city.nodes if n.level == Level.STREET and n.code.startswith("370202"))[0]


@pytest.fixture
def scenario_file(tmp_path, street):
    path = tmp_path / "night.toml"
    path.write_text(f'''name = "测试夜班"
start = "18:00"
daily_volume = 9000

[[inject]]
at = "18:40"
category = "20451"
street = "{street}"
urgency = "critical"
description = "{INJECTED}"
''', encoding="utf-8")
    return path


@pytest.fixture
def session(tmp_path, scenario_file):
    s = TrainingSession(scenario=str(scenario_file), seed=SEED, scale=SCALE, speed=600, trainees=2,
                        sessions_dir=tmp_path / "sessions").start()
    yield s
    s.stop()


@pytest.fixture
def trainee_client(session, tmp_path):
    opened = []

    def _open(n: int = 0) -> GridClient:
        account = session.accounts[n]
        client = GridClient(session.local_url(), account.token, account.trainee.scope,
                            outbox_path=tmp_path / f"trainee{n}.db", backoff=FAST).start()
        opened.append(client)
        assert client.wait_until(lambda c: c.state.state.value == "live", 15)
        return client

    yield _open
    for client in opened:
        client.close()


class SweepSpy:
    """Calls through to ``store.due_for_sla`` and records the time each sweep asked about."""

    def __init__(self, store) -> None:
        self.store, self.real, self.nows = store, store.due_for_sla, []
        store.due_for_sla = self

    def __call__(self, now, limit=500):
        self.nows.append(now)
        return self.real(now, limit)

    def remove(self) -> None:
        del self.store.due_for_sla


def next_sla_moment(store, after: float):
    """(time, case id) of the next warning or deadline of a running clock after ``after``."""
    moments = []
    for c in store.snapshot("", after).cases:
        if c.state not in CLOCK_STATES or c.suspended_at is not None or c.deadline is None:
            continue
        moment = c.warning_at if c.sla_state in (SlaState.NONE, SlaState.OK) else \
            c.deadline if c.sla_state is SlaState.WARNING else None
        if moment is not None and moment > after:
            moments.append((moment, c.id))
    return min(moments) if moments else None


def test_pause_stops_the_clock_and_the_sla_sweeper(session):
    store = session.demo.store
    session.jump(2 * 3600)  # some cases with running clocks
    session.resume()
    t0 = session.now()
    eventually(lambda: session.now() >= t0 + 300, what="five simulated minutes")
    paused_at = session.pause()
    head = store.head()[1]
    spy = SweepSpy(store)
    try:
        eventually(lambda: len(spy.nows) >= 6, what="six sweeps while paused")
        assert session.now() == paused_at and set(spy.nows) == {paused_at}
        assert store.head()[1] == head  # nothing happened while real time passed

        # Bring the next SLA moment within 30 simulated seconds, still paused: at 600× it would pass
        # within a twentieth of a real second, but while paused it must not.
        for _ in range(30):
            moment = next_sla_moment(store, session.now())
            assert moment is not None, "no running clock ahead"
            if moment[0] - session.now() <= 60:
                break
            session.jump_to(moment[0] - 30)
        frozen = session.pause()
        head = store.head()[1]
        seen = len(spy.nows)
        eventually(lambda: len(spy.nows) >= seen + 6, what="six more sweeps while paused")
        assert set(spy.nows[seen:]) == {frozen} and store.head()[1] == head
        assert all(e.event.at <= frozen for e in store.events_after(0, 100_000))
    finally:
        spy.remove()
    session.resume()
    eventually(lambda: any(e.event.kind in (Action.SLA_WARNING, Action.SLA_OVERDUE) and e.event.at > frozen
                           for e in store.events_after(head, 10_000)), what="the sweeper working again")


def test_speed_changes_take_effect(session):
    store = session.demo.store
    session.resume()
    real0, sim0 = time.monotonic(), session.now()
    eventually(lambda: session.now() - sim0 >= 600, what="ten simulated minutes at 600×")
    assert time.monotonic() - real0 < 600 / 60  # far faster than 60× would allow
    eventually(lambda: session.demo.sim.now >= sim0 + 300, what="the simulator following the clock")
    session.set_speed(1)
    spy = SweepSpy(store)
    try:
        real1 = time.monotonic()
        sim1 = session.now()
        eventually(lambda: len(spy.nows) >= 4, what="a few sweeps at 1×")
        sim2 = session.now()
        real2 = time.monotonic()
    finally:
        spy.remove()
    assert 0 < sim2 - sim1 <= (real2 - real1) * 1.0 + 1e-6  # one simulated second per real second at most
    assert session.demo.clock.speed == 1.0 and session.speed == 1.0


def test_injected_cases_reach_the_trainee_queue(session, trainee_client, street):
    client = trainee_client(0)
    store = session.demo.store
    upcoming = session.next_event()
    assert upcoming.injected and upcoming.grid.startswith(street) and upcoming.description == INJECTED
    assert session.jump_to_next_event() == upcoming
    assert session.now() == upcoming.at + 1

    def intake(c) -> list:
        view = c.index.view(street, Queue.INTAKE)
        return [view.case_at(i) for i in range(len(view))]

    assert client.wait_until(lambda c: any(case.description == INJECTED for case in intake(c)), 15)

    grid = session.grids_of(street)[-1]
    ack = session.inject(grid=grid, category="21201", urgency="urgent", description="独居老人摔倒求助")
    assert client.wait_until(lambda c: ack.case_id in {case.id for case in intake(c)}, 15)
    first = store.case_events(ack.case_id)[0]
    assert (first.event.actor, first.event.at, first.case.node) == (session.trainer.id, session.now(), grid)
    # The trainee's street is left to humans: an hour later nobody else has accepted either case.
    session.jump(3600)
    assert client.wait_until(lambda c: ack.case_id in {case.id for case in intake(c)}, 15)
    assert store.case(ack.case_id).state is State.REPORTED
    # The scorecard shows what waits for the trainee now.
    mine = next(score for score in session.scores() if score.scope == street)
    waiting = [c for c in store.snapshot(street, session.now()).cases
               if c.state in (State.REPORTED, State.ACCEPTED, State.RETURNED)]
    assert mine.backlog == len(waiting) >= 2


def settled(client, future):
    """The command's answer, once the client's replica shows its result too."""
    ack = future.result(15)
    assert client.wait_until(lambda c: c.replica.get(ack.case_id) is not None
                             and c.replica.get(ack.case_id).version >= ack.version, 15)
    return ack


def test_scorecard_equals_a_recount_of_the_logs(session, trainee_client, street):
    client, other_client = trainee_client(0), trainee_client(1)
    store = session.demo.store
    grid = session.grids_of(street)[0]
    c1 = session.inject(grid=grid, category="10103", urgency="normal").case_id
    c2 = session.inject(grid=grid, category="10103", urgency="normal").case_id
    assert client.wait_until(lambda c: {c1, c2} <= set(c.replica.cases), 15)
    session.jump(600)
    settled(client, client.accept(c1))
    session.jump(300)
    settled(client, client.dispatch(c1, "szyl"))  # 井盖缺失 → 市政园林: the right department
    settled(client, client.accept(c2))
    settled(client, client.dispatch(c2, "cg"))  # not the category's department
    with pytest.raises(CommandFailed, match="illegal_transition"):
        client.command(Action.ACCEPT, c1, expected_version=store.case(c1).version).result(15)
    settled(client, client.urge(c1, "请尽快处置"))
    with pytest.raises(CommandFailed, match="not_found"):  # the second trainee's only command: another street's
        other_client.command(Action.ACCEPT, c2, expected_version=store.case(c2).version).result(15)

    scores = {s.user_id: s for s in session.scores()}

    # The same figures, counted again here from the stored logs.
    events = store.events_after(0, 100_000)
    with store.engine.connect() as conn:
        logged = conn.execute(select(CommandLogRow.client_id, CommandLogRow.answer)).all()
    for n, c in enumerate((client, other_client)):
        uid = session.accounts[n].user_id
        mine = [e for e in events if e.event.actor == uid]
        handled = {e.case.id for e in mine}
        first_accept, first_dispatch, dispatches, right = {}, {}, 0, 0
        for e in mine:
            wait = e.event.at - e.case.reported_at
            if e.event.kind is Action.ACCEPT:
                first_accept.setdefault(e.case.id, wait)
            if e.event.kind is Action.DISPATCH:
                first_dispatch.setdefault(e.case.id, wait)
                dispatches += 1
                right += e.case.department == session.rules.catalog.categories[e.case.category].default_department
        overdue = {e.case.id for e in events if e.event.kind is Action.SLA_OVERDUE}
        refused = [a for cid, a in logged if cid == c.client_id and '"command_error"' in a]
        mistakes = [a for a in refused if '"conflict"' not in a]
        got = scores[uid]
        assert got.cases_handled == len(handled)
        assert (got.accepted, got.dispatched, got.dispatches) == (len(first_accept), len(first_dispatch), dispatches)
        assert got.mean_accept_seconds == (sum(first_accept.values()) / len(first_accept) if first_accept else None)
        assert got.mean_dispatch_seconds == (sum(first_dispatch.values()) / len(first_dispatch)
                                             if first_dispatch else None)
        assert got.correct_department == right and got.sla_breaches == len(handled & overdue)
        assert got.urges == sum(e.event.kind is Action.URGE for e in mine)
        assert got.mistakes == len(mistakes) and got.conflicts == len(refused) - len(mistakes)
    first = scores[session.accounts[0].user_id]
    assert (first.accepted, first.mean_accept_seconds, first.mean_dispatch_seconds) == (2, 750.0, 900.0)
    assert (first.correct_department, first.dispatches, first.urges, first.mistakes) == (1, 2, 1, 1)
    assert scores[session.accounts[1].user_id].mistakes == 1


def sim_reports(store, trainer_id: str, before: float) -> list[tuple]:
    return [(e.event.at, e.case.node, e.case.category, e.case.urgency, e.case.description)
            for e in store.events_after(0, 100_000)
            if e.event.kind is Action.REPORT and e.event.actor != trainer_id and e.event.at < before]


def test_reset_restores_the_start(session, trainee_client, street, tmp_path):
    client = trainee_client(0)
    port, start = session.port, session.sim_start
    old_folder, old_epoch = session.folder, session.demo.store.head()[0]
    session.jump(3600)
    session.inject(grid=session.grids_of(street)[0], category="20451", urgency="critical")
    session.resume()
    eventually(lambda: session.now() > start + 3660, what="a simulated minute running")
    session.pause()
    before = sim_reports(session.demo.store, session.trainer.id, start + 3600)
    assert before and client.wait_until(lambda c: len(c.replica.cases) > 0, 15)
    old_ids = [a.user_id for a in session.accounts]

    session.reset()

    store = session.demo.store
    epoch, head = store.head()
    assert (session.paused, session.now(), head, session.port) == (True, start, 0, port)
    assert epoch != old_epoch and session.folder != old_folder
    # the trainee's console reconnects with the same token, sees the new epoch and an empty city
    assert client.wait_until(lambda c: c.replica.epoch == epoch and c.state.state.value == "live"
                             and not c.replica.cases, 20)
    assert [a.user_id for a in session.accounts] == old_ids
    assert all(s.cases_handled == 0 and s.mistakes == 0 for s in session.scores())
    # the same seed and scenario bring the same hour again
    session.jump(3600)
    assert sim_reports(store, session.trainer.id, start + 3600) == before
    # the finished run is kept for replay, with its record
    finished = dict(record.list_sessions(session.root))
    assert finished[old_folder].ended_at is not None and finished[old_folder].trainees[0].user_id == old_ids[0]
    assert (old_folder / "scorecard.csv").exists()


def test_bad_requests_are_refused_by_name(session, tmp_path, street):
    with pytest.raises(SessionError, match="speed must be within 1–600×, got 700"):
        session.set_speed(700)
    with pytest.raises(SessionError, match="positive number of seconds"):
        session.jump(-5)
    with pytest.raises(SessionError, match="a trainee sits at a street"):
        session.add_trainee("学员三", street + "001")
    with pytest.raises(SessionError, match="trainee name is empty"):
        session.add_trainee(" ", street)
    with pytest.raises(ScenarioError, match="unknown scenario 'no_such'"):
        TrainingSession(scenario="no_such", sessions_dir=tmp_path)
    account = session.add_trainee("学员三", street)
    assert account in session.accounts
    assert session.demo.sim.actors.human_streets == {a.trainee.scope for a in session.accounts}
