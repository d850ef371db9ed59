"""The hub's in-memory snapshot cache gives exactly the database's snapshot, on SQLite and PostgreSQL.

A real hub follows the stream while commands of every kind run (report, accept, dispatch,
sign, resolve, verify/close, reject, merge, supervise, suspend, callback that reopens, SLA
ticks); then for several scopes and both views (callers in full, callers masked) the cached
snapshot must equal ``Store.snapshot`` (``backend.store.snapshot.build``) at the same seq and
``now``, also after the clock moves past the 24 h and 48 h windows. With two hubs on one
PostgreSQL database each cache follows the shared stream; a live client resuming from a
cached snapshot sees the same cases and then every later event.
"""

from __future__ import annotations

import time

import pytest

from backend.embedded import HubThread
from backend.snapshot_cache import SnapshotCache, load
from domain import protocol as p
from domain.caller import masked_bodies
from domain.model import Action, Actor, Role, Satisfaction, Source, Urgency
from tests.backend.feedclient import FeedClient

from .conftest import DEPARTMENT, T0, Driver

ADMIN = Actor(id="adm", role=Role.ADMIN, scope="", name="管理员")
GRIDS = ("370202001001001", "370202001001002", "370202002001001", "370203001002001", "370211004001001")
SCOPES = ("", "3702", "370202", "370202001", "370202001001001", "370203", "370299")
HOUR = 3600.0


class Now:
    """A hub clock the test moves by hand."""

    speed = 1.0
    paused = True

    def __init__(self, t: float) -> None:
        self.t = t

    def now(self) -> float:
        return self.t


def settle(running: HubThread, store, timeout: float = 30.0) -> None:
    """Wait until the hub has published everything stored and its cache is at that seq."""
    hub, cache = running.hub, running.hub.snapshot_cache
    deadline = time.monotonic() + timeout
    while True:
        head = store.head()[1]
        if hub.published_seq == head and cache.warm and cache.seq == head:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"hub at {hub.published_seq}, cache at {cache.seq} (warm {cache.warm}), head {head}")
        running.hub.wake_pump()
        time.sleep(0.02)


def assert_same(cache: SnapshotCache, store, now: float) -> int:
    """Every scope, both views: the cache's snapshot equals the database's. Returns the cases compared."""
    compared = 0
    for scope in SCOPES:
        cached = cache.snapshot(scope, now)
        assert cached is not None, f"the cache declined scope {scope!r} at {now}"
        plain = store.snapshot(scope, now)
        assert (cached.epoch, cached.seq) == (plain.epoch, plain.seq)
        assert [b.decode() for b in cached.bodies] == plain.bodies, scope
        assert cached.aggregates == plain.aggregates, scope
        assert [c.id for c in cached.cases] == [c.id for c in plain.cases]
        masked = cache.snapshot(scope, now, masked=True)
        assert masked is not None
        assert [b.decode() for b in masked.bodies] == masked_bodies(plain.bodies, Role.WALL), scope
        compared += len(plain.bodies)
    return compared


def workload(driver: Driver, t: float, n: int = 8) -> float:
    """A mix of every kind of move over several grids, from ``t``; returns the time after the last."""

    def report(grid: str, urgency: Urgency = Urgency.NORMAL, **kw):
        answer = driver.run(Action.REPORT, None, t, ADMIN, node=grid, category="10103", urgency=urgency,
                            source=Source.HOTLINE, description="井盖缺失", **kw)
        assert isinstance(answer, p.CommandAck), answer
        return answer.case

    def step(case, action: Action, actor: Actor = ADMIN, **args):
        answer = driver.run(action, case.id, t, actor, expected_version=case.version, **args)
        assert isinstance(answer, p.CommandAck), answer
        return answer.case

    for i in range(n):
        grid = GRIDS[i % len(GRIDS)]
        caller = {"caller_name": "张三明", "caller_phone": "13812341234"} if i % 2 == 0 else {}
        parent = report(grid, Urgency.URGENT if i % 3 == 0 else Urgency.NORMAL, **caller)
        t += 60
        twin = report(grid)
        step(twin, Action.MERGE, parent_id=parent.id)
        rejected = report(grid)
        step(rejected, Action.REJECT, reason="不属于受理范围")
        case = step(step(parent, Action.ACCEPT), Action.DISPATCH, department="szyl")
        if i % 4 == 1:
            continue  # left dispatched
        case = step(case, Action.SIGN, DEPARTMENT)
        if i % 4 == 2:
            case = step(case, Action.SUPERVISE, level=1, reason="群众反映强烈", due=t + 86400)
            step(case, Action.SUSPEND, reason="等待施工条件", until=t + 3 * 86400)
            continue
        t += 600
        case = step(case, Action.RESOLVE, DEPARTMENT, message="已处置")
        case = step(case, Action.VERIFY, passed=True)
        if caller and i % 3 == 0:
            step(case, Action.CALLBACK, satisfaction=Satisfaction.DISSATISFIED, reason="没有修好")  # reopens
        driver.run(Action.REPORT, None, t, ADMIN, node=grid, category="10103")  # refused: no urgency, no event
    return t


@pytest.fixture
def clock():
    return Now(T0)


def test_cached_snapshots_equal_the_database_as_the_stream_and_the_clock_move(store, rules, clock):
    driver = Driver(store, rules)
    t = workload(driver, T0 - 30 * HOUR, 6)  # some of it before the windows: loaded, then pruned
    clock.t = t + 60
    with HubThread(store, rules=rules, clock=clock, poll_interval=0.05, sweep_interval=3600) as running:
        settle(running, store)
        cache = running.hub.snapshot_cache
        assert cache.cases > 0
        assert assert_same(cache, store, clock.t) > 0  # loaded from the database
        t = workload(driver, t + 120, 10)  # followed event by event
        clock.t = t + 60
        settle(running, store)
        assert_same(cache, store, clock.t)
        clock.t += 3 * 86400  # SLA ticks and suspensions coming to an end: the hub's own events
        assert running.call(running.hub.sweep()) > 0
        settle(running, store)
        for later in (0, 20 * HOUR, 26 * HOUR, 47 * HOUR, 50 * HOUR):  # windows sliding over what was done
            assert_same(cache, store, clock.t + later)
        clock.t += 50 * HOUR
        workload(driver, clock.t, 5)  # after the pruning: new cases and moves on old ones
        settle(running, store)
        assert_same(cache, store, clock.t + 600)
        assert cache.declined == 0
        # A clock set back before what the cache pruned: it declines, the hub reads the database.
        clock.t -= 80 * HOUR
        assert cache.snapshot("", clock.t) is None
        back = running.hub.snapshot("3702")
        assert back.bodies == store.snapshot("3702", clock.t).bodies
        assert isinstance(back.bodies[0], str)  # from the database


def test_a_cache_loaded_from_the_database_equals_one_that_followed_the_stream(store, rules, clock):
    driver = Driver(store, rules)
    with HubThread(store, rules=rules, clock=clock, poll_interval=0.05, sweep_interval=3600) as running:
        settle(running, store)
        t = workload(driver, T0, 12)
        settle(running, store)
        followed = running.hub.snapshot_cache
        fresh = SnapshotCache()
        fresh.begin_load()
        state = load(store, t)
        assert state.open.all._sorted and state.done.all._sorted  # the database gave them in id order
        fresh.install(state)
        for scope in SCOPES:
            a, b = followed.snapshot(scope, t), fresh.snapshot(scope, t)
            assert a is not None and b is not None
            assert (a.seq, a.bodies, a.aggregates) == (b.seq, b.bodies, b.aggregates)


def test_events_published_while_the_cache_loads_are_not_lost(store, rules, clock):
    driver = Driver(store, rules)
    t = workload(driver, T0, 3)
    cache = SnapshotCache()
    cache.begin_load()
    state = load(store, t)  # loaded at this seq ...
    workload(driver, t, 3)  # ... while more is committed and "published"
    cache.apply(store.events_after(0, 10_000))  # the pump published from the start meanwhile
    cache.install(state)
    assert cache.warm and cache.seq == store.head()[1]
    assert_same(cache, store, t + 3600)


def test_a_gap_in_the_stream_makes_the_cache_decline(store, rules):
    driver = Driver(store, rules)
    workload(driver, T0, 2)
    cache = SnapshotCache()
    cache.begin_load()
    cache.install(load(store, T0))
    head = cache.seq
    workload(driver, T0 + 60, 2)
    events = store.events_after(head, 1000)
    cache.apply(events[1:])  # one missing
    assert not cache.warm
    assert cache.snapshot("", T0 + 120) is None


@pytest.mark.postgres
def test_two_hubs_on_one_postgresql_database_keep_their_caches_equal_to_it(open_store, rules, clock, db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("two hubs share a database on PostgreSQL")
    store_a = open_store(require_current=False)
    store_a.migrate()
    store_b = open_store()
    a, b = Driver(store_a, rules, "client-a"), Driver(store_b, rules, "client-b")
    with HubThread(store_a, rules=rules, clock=clock, poll_interval=0.05, sweep_interval=3600) as hub_a, \
            HubThread(store_b, rules=rules, clock=clock, poll_interval=0.05, sweep_interval=3600) as hub_b:
        settle(hub_a, store_a)
        settle(hub_b, store_b)
        t = workload(a, T0, 6)
        t = workload(b, t, 6)
        clock.t = t + 60
        settle(hub_a, store_a)
        settle(hub_b, store_b)
        assert hub_a.hub.snapshot_cache.seq == hub_b.hub.snapshot_cache.seq == store_a.head()[1]
        assert_same(hub_a.hub.snapshot_cache, store_a, clock.t)
        assert_same(hub_b.hub.snapshot_cache, store_b, clock.t)


@pytest.mark.parametrize("role, scope", [("operator", "3702"), ("wall", "3702"), ("operator", "370202001")])
def test_a_client_resuming_from_a_cached_snapshot_sees_the_same_cases_then_every_event(store, rules, clock, role,
                                                                                         scope):
    driver = Driver(store, rules)
    _, token = store.add_user("u", role, scope)
    with HubThread(store, rules=rules, clock=clock, poll_interval=0.05, sweep_interval=3600) as running:
        t = workload(driver, T0, 6)
        clock.t = t + 60
        settle(running, store)
        hits = running.hub.snapshot_cache.hits
        client = FeedClient(running.hub.url, token)
        try:
            begin, chunks, end = client.subscribe(scope)
            assert running.hub.snapshot_cache.hits == hits + 1  # served from the cache
            plain = store.snapshot(scope, clock.t)
            assert end.seq == plain.seq
            got = [c for chunk in chunks for c in chunk.cases]
            want = plain.cases if role == "operator" else \
                [msgspec_decode(b) for b in masked_bodies(plain.bodies, Role.WALL)]
            assert got == want
            assert [a for chunk in chunks for a in chunk.aggregates] == plain.aggregates
            shared = running.hub.snapshot_cache.frames_shared
            second = FeedClient(running.hub.url, token)  # asks at the same seq: the same frames, encoded once
            try:
                _, chunks2, end2 = second.subscribe(scope)
                assert (end2.seq, chunks2) == (end.seq, chunks)
                assert running.hub.snapshot_cache.frames_shared == shared + 1
            finally:
                second.close()
            workload(driver, t + 120, 3)
            head = store.head()[1]
            in_scope = [e.seq for e in store.events_after(end.seq, 10_000) if e.case.node.startswith(scope)]
            client.pump(lambda: client.upto >= head)
            assert client.seqs() == in_scope
        finally:
            client.close()


def msgspec_decode(body: str):
    import msgspec

    from domain.model import Case

    return msgspec.json.decode(body, type=Case)


def test_frames_are_shared_at_one_seq_only_while_they_are_still_exact(store, rules):
    from backend.snapshot_frames import snapshot_frames

    driver = Driver(store, rules)
    t = workload(driver, T0, 6)
    cache = SnapshotCache()
    cache.begin_load()
    cache.install(load(store, t))
    encoded = []

    def encode(bodies, aggs):
        encoded.append(len(bodies))
        return snapshot_frames(bodies, aggs)

    snap, frames = cache.snapshot_frames("3702", t + 60, False, encode)
    again, frames_again = cache.snapshot_frames("3702", t + 120, False, encode)
    assert frames_again is frames and again is snap and len(encoded) == 1  # shared
    masked, _ = cache.snapshot_frames("3702", t + 120, True, encode)
    assert len(encoded) == 2 and masked.bodies != snap.bodies  # the masked view is its own
    # Once the first shown finished case is more than 24 h old, it is built again, as the database gives it.
    later = t + 86400 + 60
    moved, moved_frames = cache.snapshot_frames("3702", later, False, encode)
    assert len(encoded) == 3 and len(moved.bodies) < len(snap.bodies)
    assert [b.decode() for b in moved.bodies] == store.snapshot("3702", later).bodies
    assert list(moved_frames) == list(snapshot_frames(store.snapshot("3702", later).bodies, moved.aggregates))
    # A new event: the next snapshot is built at the new seq.
    workload(driver, later, 1)
    cache.apply(store.events_after(cache.seq, 1000))
    newer, _ = cache.snapshot_frames("3702", later + 60, False, encode)
    assert len(encoded) == 4 and newer.seq == store.head()[1] > moved.seq
    assert [b.decode() for b in newer.bodies] == store.snapshot("3702", later + 60).bodies


def test_a_snapshot_handed_out_does_not_change_when_the_cache_moves_on(store, rules):
    import msgspec

    driver = Driver(store, rules)
    t = workload(driver, T0, 4)
    cache = SnapshotCache()
    cache.begin_load()
    cache.install(load(store, t))
    snap = cache.snapshot("", t + 60)
    assert snap is not None
    frozen = msgspec.json.encode(snap.aggregates)
    for i in range(3):  # more events on the same nodes, with snapshots between some of them
        workload(driver, t + 60 * (i + 1), 2)
        cache.apply(store.events_after(cache.seq, 1000))
        assert cache.snapshot("3702", t + 600) is not None
    assert msgspec.json.encode(snap.aggregates) == frozen
    assert_same(cache, store, t + 600)


class _GatedLoad:
    """The cache's load, held until the test opens the gate (or made to fail), to catch a hub mid-load."""

    def __init__(self, fail: bool = False) -> None:
        import threading

        self.gate, self.fail = threading.Event(), fail

    def __call__(self, store, now):
        assert self.gate.wait(30), "the test never opened the gate"
        if self.fail:
            raise RuntimeError("load failed (test)")
        return load(store, now)


@pytest.mark.parametrize("fail", [False, True], ids=["loaded", "load-failed"])
def test_a_snapshot_asked_for_while_the_cache_loads_waits_for_the_load(store, rules, clock, monkeypatch, fail):
    """A hub that has just started answers from its cache once loaded, not from a database read that
    competes with the load; if the load fails, the snapshot comes from the database all the same."""
    import threading

    driver = Driver(store, rules)
    clock.t = workload(driver, T0, 4) + 60
    _, token = store.add_user("u", "operator", "3702")
    gated = _GatedLoad(fail)
    monkeypatch.setattr("backend.hub.load_snapshot_cache", gated)
    with HubThread(store, rules=rules, clock=clock, poll_interval=0.05, sweep_interval=3600) as running:
        hub = running.hub
        database_reads: list[str] = []
        plain_snapshot = hub.store.snapshot
        monkeypatch.setattr(hub.store, "snapshot", lambda scope, now: database_reads.append(scope)
                            or plain_snapshot(scope, now))
        waiting = threading.Event()
        settled = hub.cache_settled

        async def noted_settled() -> None:
            waiting.set()
            await settled()

        monkeypatch.setattr(hub, "cache_settled", noted_settled)
        got: list = []
        client = FeedClient(hub.url, token)
        try:
            asker = threading.Thread(target=lambda: got.append(client.subscribe("3702")))
            asker.start()
            assert waiting.wait(10), "the subscription never asked for a snapshot"
            assert hub.snapshot_cache.loading and not got  # held while the cache loads
            gated.gate.set()
            asker.join(30)
            begin, chunks, end = got[0]
        finally:
            client.close()
        assert database_reads == (["3702"] if fail else [])
        assert hub.snapshot_cache.warm is not fail
        plain = store.snapshot("3702", clock.t)
        assert end.seq == plain.seq
        assert [c for chunk in chunks for c in chunk.cases] == plain.cases
        assert [a for chunk in chunks for a in chunk.aggregates] == plain.aggregates
