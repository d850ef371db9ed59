"""GridClient against a real hub on loopback: live feed, resume, snapshots, commands, shutdown."""

from __future__ import annotations

import threading
import time

import pytest

from backend.embedded import HubThread
from backend_client.client import CommandFailed
from backend_client.connection import LinkState
from domain import protocol as p
from domain.aggregates import recompute
from domain.commands import CommandRequest
from domain.model import Role, State, Urgency
from domain.queues import Queue
from tests.backend_client.conftest import GRID, STREET, Producer, eventually, open_store


def is_live(client) -> bool:
    return client.state.state is LinkState.LIVE


def record_seqs(client) -> list[int]:
    seen: list[int] = []
    client.add_listener(lambda batch: seen.extend(fe.seq for fe in batch.changes.events))
    return seen


def new_threads(before: set) -> list[threading.Thread]:
    """Threads started since ``before`` that are not the hub's own (its pools grow on demand)."""
    return [t for t in threading.enumerate() if t not in before and not t.name.startswith("hub-")]


def assert_replica_matches_store(client, store) -> None:
    with client.lock:
        replica = client.replica
        assert replica.seq == store.head()[1]
        for cid, case in replica.cases.items():
            assert store.case(cid) == case
        truth = [store.case(cid) for cid in replica.cases]  # every case the tests make is recent
        assert replica.aggregates.to_list() == recompute(truth, STREET, now=client.server_now()).to_list()


def test_live_updates_arrive_with_alerts_and_queue_counts(hub, token, make_client, producer, hub_store):
    client = make_client(hub.url, token)
    seqs = record_seqs(client)
    alerts = []
    client.add_listener(lambda batch: alerts.extend(batch.changes.alerts))
    client.start()
    assert client.wait_until(is_live), client.state
    critical = producer.report(urgency=Urgency.CRITICAL)
    producer.burst(9)
    assert client.wait_until(lambda c: c.replica.seq == 10), client.replica.seq
    assert seqs == list(range(1, 11))
    assert [a.case.id for a in alerts if a.kind == "critical"] == [critical.id]
    with client.lock:
        counts = client.index.counts(STREET)
        view = client.index.view(STREET, Queue.INTAKE)
        assert counts[Queue.ALL] == len(client.replica.cases) == 6
        assert len(view) == counts[view.queue] and view.case_at(0).state is State.REPORTED
    assert_replica_matches_store(client, hub_store)


def test_commands_resolve_futures_and_show_pending_until_the_ack(hub, token, make_client):
    client = make_client(hub.url, token)
    client.start()
    assert client.wait_until(is_live)
    ack = client.report(GRID, "10103", Urgency.URGENT, "grid_worker", "井盖缺失", "香港中路10号").result(10)
    assert isinstance(ack, p.CommandAck) and ack.case.state is State.REPORTED and not ack.replayed
    assert client.wait_until(lambda c: ack.case_id in c.replica.cases)
    fut = client.accept(ack.case_id)
    with client.lock:
        assert client.replica.is_pending(ack.case_id) or fut.done()
    assert fut.result(10).case.state is State.ACCEPTED
    with client.lock:
        assert not client.replica.is_pending(ack.case_id)
    assert len(client.outbox) == 0


def test_a_version_conflict_surfaces_as_command_failed(hub, token, make_client, producer):
    client = make_client(hub.url, token)
    client.start()
    assert client.wait_until(is_live)
    case = producer.report()
    assert client.wait_until(lambda c: case.id in c.replica.cases)
    producer.run(p.Action.ACCEPT, case.id, case.version)  # someone else moves first
    stale = client.command(p.Action.DISPATCH, case.id, p.Args(department="szyl"), expected_version=case.version)
    with pytest.raises(CommandFailed) as err:
        stale.result(10)
    assert err.value.code is p.ErrorCode.CONFLICT and err.value.detail.get("current_version") == 2
    assert client.wait_until(lambda c: not c.replica.is_pending(case.id))
    assert len(client.outbox) == 0  # a typed error is an answer: it leaves the outbox too


def test_a_bad_token_is_final_and_stop_leaves_no_thread(hub, make_client):
    before = set(threading.enumerate())
    client = make_client(hub.url, "not-a-token")
    client.start()
    assert client.wait_until(lambda c: c.state.state is LinkState.OFFLINE)
    assert client.state.final and "401" in client.state.reason and client.state.retry_in is None
    client.stop()
    assert client.state.state is LinkState.STOPPED
    assert new_threads(before) == []


def test_stop_closes_the_socket_and_the_hub_sees_it(hub, token, make_client):
    before = set(threading.enumerate())
    client = make_client(hub.url, token)
    client.start()
    assert client.wait_until(is_live)
    eventually(lambda: len(hub.hub.sessions) == 1, what="the hub to register the session")
    client.stop()
    assert new_threads(before) == []
    eventually(lambda: len(hub.hub.sessions) == 0, what="the hub to see the disconnect")


def test_a_stale_epoch_leads_to_a_snapshot(tmp_path, hub_store, token, make_client, producer):
    first = HubThread(hub_store, heartbeat_interval=0.5, poll_interval=0.05).start()
    port = first.hub.port
    client = make_client(first.url, token)
    states = []
    client.add_listener(lambda batch: states.extend(batch.states))
    client.start()
    assert client.wait_until(is_live)
    producer.burst(6)
    assert client.wait_until(lambda c: c.replica.seq == 6)
    old_epoch = client.replica.epoch
    states.clear()
    first.stop()
    # The same address now serves another database: another stream, another epoch.
    other = open_store(tmp_path / "other.db")
    other_token = other.add_user("值班员", Role.OPERATOR, STREET)[1]
    client.connection._token = other_token  # the same person signed up on the new hub
    Producer(other, other_token).burst(3)
    with HubThread(other, port=port, heartbeat_interval=0.5, poll_interval=0.05):
        assert client.wait_until(lambda c: c.replica.epoch == other.head()[0] and is_live(c), 20), client.state
        with client.lock:
            assert client.replica.epoch != old_epoch and client.replica.seq == 3
            assert len(client.replica.cases) == 2 and len(client.index) == 2
        resyncs = [s for s in states if s.state is LinkState.RESYNCING]
        assert resyncs[0].reason == "resuming" and any(s.progress for s in resyncs), resyncs
        assert_replica_matches_store(client, other)
    other.close()


def test_slow_consumer_is_cut_and_resumes_exactly_once(hub_store, token, make_client, producer):
    with HubThread(hub_store, heartbeat_interval=5, poll_interval=0.05, queue_limit=40) as hub:
        client = make_client(hub.url, token)
        seqs = record_seqs(client)
        states = []
        client.add_listener(lambda batch: states.extend(batch.states))
        client.start()
        assert client.wait_until(is_live)
        gate = threading.Event()
        hub.loop.call_soon_threadsafe(gate.wait, 30)  # hold the pump so 400 events publish at once
        producer.burst(400)
        gate.set()
        assert client.wait_until(lambda c: any("4008" in s.reason for s in states), 30), states
        assert client.wait_until(lambda c: c.replica.seq == 400 and is_live(c), 30), client.replica.seq
        assert seqs == list(range(1, 401))
        assert_replica_matches_store(client, hub_store)


def test_silence_from_the_hub_is_a_dead_link(hub_store, token, make_client):
    with HubThread(hub_store, heartbeat_interval=0.2, poll_interval=0.05) as hub:
        client = make_client(hub.url, token)
        states = []
        client.add_listener(lambda batch: states.extend(batch.states))
        client.start()
        assert client.wait_until(is_live)
        gate = threading.Event()
        hub.loop.call_soon_threadsafe(gate.wait, 30)  # the hub hangs: no heartbeats, no pongs
        try:
            assert client.wait_until(lambda c: c.state.state is LinkState.OFFLINE, 10), client.state
            assert "nothing heard" in client.state.reason and not client.state.final
        finally:
            gate.set()
        assert client.wait_until(is_live, 20), client.state


def test_directory_and_history_lookups(tmp_path):
    """The console's read-only lookups travel over the same connection and are answered."""
    from backend.city import generate_city
    from backend.embedded import HubThread
    from backend.store import Store
    from backend_client.client import GridClient
    from domain.model import Source, Urgency

    store = Store.open(f"sqlite:///{tmp_path / 'hub.db'}", require_current=False)
    store.migrate()
    city = generate_city(seed=3, scale=0.02)
    store.import_city(city)
    street = next(n.code for n in city.nodes if n.level == 3)
    grid = next(n.code for n in city.nodes if n.level == 5 and n.code.startswith(street))
    token = store.add_user("值班员", "operator", street)[1]
    with HubThread(store) as hub:
        client = GridClient(hub.url, token, street, outbox_path=tmp_path / "outbox.db").start()
        try:
            directory = client.request_directory().result(timeout=20)
            assert directory.scope == street and any(n.code == grid for n in directory.nodes)
            ack = client.report(grid, "10103", Urgency.NORMAL, Source.GRID_WORKER, "井盖缺失").result(timeout=20)
            accepting = client.accept(ack.case_id)
            assert accepting.result(timeout=20).command_id == accepting.command_id
            history = client.request_history(ack.case_id).result(timeout=20)
            assert [e.event.kind.value for e in history.events][:1] == ["report"]
            report = client.request_report(street, "day", client.server_now()).result(timeout=20)
            assert report.node == street and report.total.reported == 1 and report.total.accepted == 1
            assert [t.group_by for t in report.tables] == ["community", "department"]
            other = next(n.code for n in city.nodes if n.level == 3 and n.code != street)
            refused = client.request_report(other, "week", client.server_now())
            with pytest.raises(CommandFailed) as failure:
                refused.result(timeout=20)
            assert failure.value.code == p.ErrorCode.FORBIDDEN
            assert client.connection.state.state.value == "live"  # a refused report is not a refused subscription
        finally:
            client.close()
        store.close()


def test_client_runs_the_hubs_clock_at_its_rate(tmp_path):
    """A training hub's clock runs fast or stands still; the client's server_now follows it."""
    from backend.clock import SimClock
    from backend.embedded import HubThread
    from backend.store import Store
    from backend_client.client import GridClient

    store = Store.open(f"sqlite:///{tmp_path / 'hub.db'}", require_current=False)
    store.migrate()
    token = store.add_user("值班员", "operator", "370202001")[1]
    clock = SimClock(start=1773108000.0, speed=60.0)
    with HubThread(store, clock=clock, heartbeat_interval=0.2) as hub:
        client = GridClient(hub.url, token, "370202001", outbox_path=tmp_path / "outbox.db").start()
        try:
            assert client.wait_until(lambda c: c.connection.welcome is not None, timeout=20)
            assert client.connection._clock[2] == 60.0
            clock.pause()
            deadline = time.monotonic() + 20  # heartbeats change no case, so poll for the next one
            while client.connection._clock[2] != 0.0 and time.monotonic() < deadline:
                threading.Event().wait(0.05)
            assert client.connection._clock[2] == 0.0
            frozen = client.server_now()
            assert abs(frozen - clock.now()) < 1.0 and client.server_now() == frozen
        finally:
            client.close()
    store.close()


def test_a_big_snapshot_is_built_off_the_drain_and_swapped_in_whole(tmp_path):
    """The worker thread builds the replica and the queue index; one budgeted drain swaps both in."""
    from backend.embedded import HubThread
    from backend.store import Store
    from backend_client import client as client_module
    from backend_client.client import GridClient
    from domain.model import Action, Actor, Args, Source
    from domain.rules import default_rules

    store = Store.open(f"sqlite:///{tmp_path / 'hub.db'}", require_current=False)
    store.migrate()
    rules = default_rules()
    actor = Actor(id="gw", role=Role.GRID_WORKER, scope="370202001", name="网格员")
    n = client_module.INDEX_SLICE * 2 + 5
    for i in range(n):
        store.execute(CommandRequest(client_id="seed", id=f"s{i}", action=Action.REPORT, case_id=None,
                                     expected_version=None,
                                     args=Args(node="370202001001001", category="10103", urgency=Urgency.NORMAL,
                                               source=Source.GRID_WORKER),
                                     actor=actor), 1773108000.0 + i, rules)
    token = store.add_user("值班员", "operator", "370202001")[1]
    built_on: set[str] = set()
    write = client_module.CaseIndex._write  # every way of filling the index writes its rows here

    def recording(index, slots, cases):
        built_on.add(threading.current_thread().name)
        return write(index, slots, cases)

    with HubThread(store) as hub:
        client = GridClient(hub.url, token, "370202001", outbox_path=tmp_path / "o.db", drain_in_worker=False)
        view = client.index.view("370202001", Queue.INTAKE)  # made before the snapshot: must follow the swap
        client_module.CaseIndex._write = recording  # type: ignore[method-assign]
        client.start()
        try:
            deadline = time.monotonic() + 60
            while not client.replica.ready and time.monotonic() < deadline:
                batch = client.drain(budget=0.001)
                if not batch:
                    threading.Event().wait(0.01)
            # the drain that made the replica ready also left the index complete: no slices follow
            assert len(client.replica) == n and not client.indexing
            assert batch.changes.reset and len(batch.changes.added) == n
            assert len(client.index) == n and client.index.counts("370202001")[Queue.INTAKE] == n
            assert threading.current_thread().name not in built_on and built_on  # built on the worker
            assert view.refresh() and len(view.case_ids()) == n
            assert sorted(view.case_ids()) == sorted(client.replica.cases)
        finally:
            client_module.CaseIndex._write = write  # type: ignore[method-assign]
            client.close()
    store.close()
