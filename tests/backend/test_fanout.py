"""Publishing straight to caught-up sockets (backend.fanout) sends what each session's own queue
would have sent, and commands run in batches keep every connection's order (backend.command_runner).

Real hub on port 0 over SQLite and PostgreSQL, real websockets clients."""

from __future__ import annotations

import collections
import time

import pytest

from backend.command_runner import CommandRunner
from backend.embedded import HubThread
from domain import protocol as p
from domain.model import Action, Args, Source, Urgency
from tests.backend.feedclient import FeedClient

STREET = "370202001"
GRID = "370202001001001"
OTHER_GRID = "370202002001001"


@pytest.fixture
def hub(store, rules):
    with HubThread(store, rules=rules, heartbeat_interval=0.5, sweep_interval=60) as running:
        yield running


def _session(running, client: FeedClient):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for session in list(running.hub.sessions):
            if session.client_id == client.client_id:
                return session
        time.sleep(0.01)
    raise AssertionError(f"no session for {client.client_id}")


def _until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def _report_cmd(i: int, grid: str = GRID, **kw) -> p.Command:
    args = dict(node=grid, category="10103", urgency=Urgency.NORMAL, source=Source.HOTLINE,
                description=f"井盖缺失 {i}", caller_name="张三丰", caller_phone="13912345678")
    args.update(kw)
    return p.Command(id=f"fan-{i}", action=Action.REPORT, args=Args(**args))


def test_direct_and_queued_sessions_receive_the_same_stream(hub, store):
    tokens = {key: store.add_user(f"user-{key}", role, scope)[1] for key, (role, scope) in {
        "writer": ("operator", "3702"), "direct": ("operator", STREET), "queued": ("operator", STREET),
        "wall": ("wall", STREET)}.items()}
    direct, queued, wall = (FeedClient(hub.url, tokens[k]) for k in ("direct", "queued", "wall"))
    for client in (direct, queued, wall):
        client.subscribe(STREET)
    _session(hub, queued).direct_limit = 0  # its socket always counts as full: every batch goes through its queue
    writer = FeedClient(hub.url, tokens["writer"])
    n = 60
    for i in range(n):  # pipelined, not one at a time: the pump publishes several per batch
        writer.send(_report_cmd(i, grid=GRID if i % 3 else OTHER_GRID))
    writer.pump(lambda: len(writer.answers) >= n)
    assert all(isinstance(a, p.CommandAck) for a in writer.answers.values())
    head = max(a.seq for a in writer.answers.values())
    in_scope = sum(1 for i in range(n) if i % 3)
    for client in (direct, queued, wall):
        client.pump(lambda c=client: c.upto >= head and len(c.events) >= in_scope)
    assert [e.seq for e in direct.events] == [e.seq for e in queued.events] == [e.seq for e in wall.events]
    assert len(direct.events) == in_scope and all(e.case.node == GRID for e in direct.events)
    assert direct.events == queued.events  # the same bytes decoded: the operator sees the caller
    assert direct.events[0].case.caller_phone == "13912345678"
    assert all(e.case.caller_phone != "13912345678" and e.case.caller_phone for e in wall.events)  # masked
    assert direct.upto == queued.upto == wall.upto == head
    sessions = {k: _session(hub, c) for k, c in (("direct", direct), ("queued", queued), ("wall", wall))}
    # (a writer counts a frame once its send returns, which may be after the client has it)
    _until(lambda: all(s.sent_events == in_scope for s in sessions.values()))
    assert sessions["queued"].direct_events == 0
    assert sessions["direct"].direct_events > 0 and sessions["wall"].direct_events > 0
    for client in (direct, queued, wall, writer):
        client.close()


def test_a_batch_answers_every_command_in_the_order_sent_and_a_bad_one_alone(hub, store):
    token = store.add_user("user-batch", "operator", "3702")[1]
    client = FeedClient(hub.url, token)
    client.subscribe(STREET)
    sent = []
    for i in range(40):
        cmd = _report_cmd(i)
        if i == 17:  # a category that does not exist: refused, and only this one
            cmd = _report_cmd(i, category="99999")
        sent.append(cmd.id)
        client.send(cmd)
    client.pump(lambda: len(client.answers) >= len(sent))
    bad = client.answers.pop("fan-17")
    assert isinstance(bad, p.CommandError) and bad.code != p.ErrorCode.INTERNAL
    acks = [client.answers[cid] for cid in sent if cid != "fan-17"]
    assert all(isinstance(a, p.CommandAck) for a in acks)
    seqs = [a.seq for a in acks]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)  # run in the order sent
    client.pump(lambda: client.upto >= seqs[-1])
    assert [e.seq for e in client.events if e.seq in set(seqs)] == seqs
    assert hub.hub.commands.batches < len(sent)  # several commands per trip to the writer thread
    client.close()


class _Waiting:
    """What the scheduler reads of a session: its commands waiting, oldest first."""

    def __init__(self, *commands: str) -> None:
        self.pending = collections.deque(commands)


def test_turns_take_one_command_per_connection_and_keep_each_ones_order():
    runner = CommandRunner(hub=None)
    a, b, c = _Waiting("a1", "a2", "a3"), _Waiting("b1"), _Waiting("c1", "c2")
    for session in (a, b, c):
        runner.schedule(session)
    first = runner.take(limit=4)
    assert [r for _, r in first] == ["a1", "b1", "c1", "a2"]
    assert [r for _, r in runner.take()] == ["c2", "a3"]
    assert runner.take() == [] and len(runner) == 0
    runner.schedule(b)  # a session that closed meanwhile: its turn is skipped
    b.pending.clear()
    assert runner.take() == []


def test_a_flood_and_a_newcomer_take_turns_within_a_batch():
    runner = CommandRunner(hub=None)
    flood, other = _Waiting(*(f"f{i}" for i in range(20))), _Waiting()
    runner.schedule(flood)
    assert [r for _, r in runner.take(limit=4)] == ["f0", "f1", "f2", "f3"]  # alone: the batch is its
    other.pending.extend(["o1", "o2"])  # another user's commands arrive behind the flood
    runner.schedule(other)
    assert [r for _, r in runner.take(limit=4)] == ["f4", "o1", "f5", "o2"]  # the next batch: turns
    assert [r for _, r in runner.take(limit=64)] == [f"f{i}" for i in range(6, 20)]
    assert len(runner) == 0


def _reports_seen(writer: FeedClient, reader: FeedClient, n: int) -> int:
    """``writer`` reports ``n`` cases pipelined; once ``reader`` has the stream up to the last, its seq."""
    for i in range(n):
        writer.send(_report_cmd(i))
    writer.pump(lambda: len(writer.answers) >= n)
    head = max(a.seq for a in writer.answers.values())
    reader.pump(lambda: reader.upto >= head)
    return head


def test_a_batch_s_events_are_published_from_what_was_stored_and_equal_the_stored_stream(store, rules):
    """Commands' events go out as the writer stored them, not read back from the database: a
    subscriber gets exactly the stored events (same bodies), in seq order, none twice."""
    token = store.add_user("user-direct", "operator", "3702")[1]
    # a long poll: the pump reads the database only when asked to (on PostgreSQL the hub's own
    # NOTIFY asks it, and a read may then take the events first)
    with HubThread(store, rules=rules, poll_interval=3600, sweep_interval=3600) as running:
        reader, writer = FeedClient(running.hub.url, token), FeedClient(running.hub.url, token)
        begin, _, _ = reader.subscribe(STREET)
        direct_before = running.hub.published_direct
        head = _reports_seen(writer, reader, 30)
        stored = store.events_after(begin.seq, 10_000)
        assert [e.seq for e in stored] == list(range(begin.seq + 1, head + 1))
        assert reader.events == [e for e in stored if e.case.node.startswith(STREET)]
        if store.dialect == "sqlite":  # (a pump read that overlapped a commit may have sent a few)
            assert running.hub.published_direct - direct_before > 0
        assert running.hub.published_seq == head
        assert _session(running, writer).direct_frames > 0  # acks written without a writer turn when idle
        for client in (reader, writer):
            client.close()


def test_events_another_writer_stored_in_between_go_out_through_the_pump_in_order(store, rules):
    """The hub publishes a batch itself only when it follows what is published: when another
    writer's event came in between, the pump reads both, and the stream keeps its order."""
    token = store.add_user("user-gap", "operator", "3702")[1]
    from domain.commands import CommandRequest
    from domain.model import Actor, Role

    # a long poll: the pump reads only when woken, so the other writer's event stays unpublished
    with HubThread(store, rules=rules, poll_interval=3600, sweep_interval=3600) as running:
        hub = running.hub
        reader, writer = FeedClient(hub.url, token), FeedClient(hub.url, token)
        begin, _, _ = reader.subscribe(STREET)
        other = Actor(id="other-writer", role=Role.ADMIN, scope="", name="另一写入方")
        outside = store.execute(CommandRequest(id="other-1", client_id="other", action=Action.REPORT,
                                               case_id=None, expected_version=None, actor=other,
                                               args=Args(node=GRID, category="10103", urgency=Urgency.NORMAL,
                                                         source=Source.HOTLINE, description="另一写入方")),
                                hub.clock.now(), rules)
        assert isinstance(outside, p.CommandAck)
        # (on PostgreSQL the store's NOTIFY wakes the pump, which may publish it first: then the
        # hub's command follows what is published and goes out directly; the stream is the same)
        sqlite = store.dialect == "sqlite"
        if sqlite:
            assert hub.published_seq == outside.seq - 1  # stored, not published
        direct_before = hub.published_direct
        writer.send(_report_cmd(1))
        writer.pump(lambda: "fan-1" in writer.answers)
        mine = writer.answers["fan-1"]
        assert isinstance(mine, p.CommandAck) and mine.seq == outside.seq + 1
        reader.pump(lambda: reader.upto >= mine.seq)
        assert [e.seq for e in reader.events] == [outside.seq, mine.seq]
        assert reader.events == store.events_after(begin.seq, 10)
        if sqlite:
            assert hub.published_direct == direct_before  # the pump published both
        for client in (reader, writer):
            client.close()


def test_the_pump_skips_events_already_published_from_a_batch(hub, store):
    """The pump's read can overlap what a batch just published (it was in flight meanwhile): the
    overlap is dropped, nothing is sent twice, and what follows goes out."""
    token = store.add_user("user-overlap", "operator", "3702")[1]
    reader, writer = FeedClient(hub.url, token), FeedClient(hub.url, token)
    begin, _, _ = reader.subscribe(STREET)
    head = _reports_seen(writer, reader, 3)
    stored = store.events_after(begin.seq, 10)

    async def publish_again() -> int:
        hub.hub._publish(stored)  # all already published: nothing goes out
        return hub.hub.published_seq

    assert hub.call(publish_again()) == head
    writer.send(_report_cmd(9))
    writer.pump(lambda: "fan-9" in writer.answers)
    reader.pump(lambda: reader.upto >= writer.answers["fan-9"].seq)
    assert [e.seq for e in reader.events] == [e.seq for e in stored] + [writer.answers["fan-9"].seq]
    for client in (reader, writer):
        client.close()


def test_committed_events_go_out_in_runs_that_follow_what_is_published(store, rules):
    """The pump's buffer of this hub's committed batches: a run that follows the published seq is
    taken whole (batches that piled up go out together); what was read meanwhile is dropped; a
    gap (another writer's events in between) yields None so the pump reads the database."""
    from backend.committed import CommittedEvents

    token = store.add_user("user-buffer", "operator", "3702")[1]
    with HubThread(store, rules=rules, sweep_interval=3600) as running:
        client = FeedClient(running.hub.url, token)
        for i in range(6):
            client.send(_report_cmd(i))
        client.pump(lambda: len(client.answers) >= 6)
        client.close()
    driver_events = store.events_after(0, 100)[-6:]
    first = driver_events[0].seq
    buffer = CommittedEvents()
    buffer.add(driver_events[:2])
    buffer.add(driver_events[2:4])  # a second batch piled up behind the first
    assert [e.seq for e in buffer.take(first - 1) or []] == [first, first + 1, first + 2, first + 3]
    assert buffer.take(first + 3) is None and len(buffer) == 0
    buffer.add(driver_events[4:])
    assert buffer.take(first + 4) == [driver_events[5]]  # the pump had read first + 4 already
    buffer.add(driver_events[3:4])
    assert buffer.take(first + 1) is None  # first + 2 is not here: the database has it
