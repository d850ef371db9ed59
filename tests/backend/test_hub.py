"""The hub over a real websockets connection, on SQLite and PostgreSQL: what docs/protocol.md promises."""

from __future__ import annotations

import threading
import time

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from backend.embedded import HubThread
from domain import protocol as p
from domain.model import Action, Args, Source, State, Urgency
from tests.backend.feedclient import FeedClient

STREET_A = "370202001"
STREET_B = "370202002"
GRID_A = "370202001001001"
GRID_B = "370202002001001"


@pytest.fixture
def hub(store, rules):
    with HubThread(store, rules=rules, heartbeat_interval=0.5, sweep_interval=0.2) as running:
        yield running


@pytest.fixture
def tokens(store):
    made = {}
    for key, (role, scope, dept) in {
        "op_a": ("operator", STREET_A, None), "op_b": ("operator", STREET_B, None),
        "district": ("operator", "370202", None), "wall": ("wall", "3702", None),
        "dept": ("department", "3702", "szyl"), "sup": ("supervisor", "3702", None),
    }.items():
        made[key] = store.add_user(f"user-{key}", role, scope, dept)[1]
    return made


def report(client: FeedClient, grid: str = GRID_A, **kw):
    args = dict(node=grid, category="10103", urgency=Urgency.NORMAL, source=Source.GRID_WORKER,
                description="井盖缺失")
    args.update(kw)
    return client.command(Action.REPORT, **args)


def test_token_checked_at_handshake(hub, tokens):
    with pytest.raises(InvalidStatus) as refused:
        FeedClient(hub.url, "not-a-token")
    assert refused.value.response.status_code == 401
    with pytest.raises(InvalidStatus) as missing:
        FeedClient(hub.url, None)
    assert missing.value.response.status_code == 401
    client = FeedClient(hub.url, tokens["op_a"])
    assert client.welcome.user.scope == STREET_A
    assert client.welcome.protocol == p.PROTOCOL_VERSION
    client.close()


def test_wrong_protocol_version_is_refused(hub, tokens):
    client = FeedClient(hub.url, tokens["op_a"], hello=False)
    client.send(p.Hello(protocol=99, client_id="old"))
    err = client.recv()
    assert isinstance(err, p.Error) and err.code == p.ErrorCode.UNSUPPORTED_VERSION
    with pytest.raises(ConnectionClosed) as closed:
        client.recv()
    assert closed.value.rcvd.code == p.CloseCode.VERSION_UNSUPPORTED


def test_scope_isolation(hub, tokens):
    a = FeedClient(hub.url, tokens["op_a"])
    b = FeedClient(hub.url, tokens["op_b"])
    a.subscribe(STREET_A)
    b.subscribe(STREET_B)
    mine = report(a)
    theirs = report(b, GRID_B)
    assert isinstance(mine, p.CommandAck) and isinstance(theirs, p.CommandAck)
    a.pump(lambda: mine.seq in a.seqs())
    b.pump(lambda: theirs.seq in b.seqs())
    # Heartbeats carry the head; once a has seen past b's event it has had every chance to get it.
    a.pump(lambda: a.upto >= theirs.seq)
    assert all(e.case.node.startswith(STREET_A) for e in a.events)
    assert theirs.seq not in a.seqs()
    # a may not command b's case (which answers as if it did not exist), nor subscribe to b's
    # street, nor report there.
    refused = a.command(Action.ACCEPT, theirs.case_id, expected_version=1)
    assert isinstance(refused, p.CommandError) and refused.code == p.ErrorCode.NOT_FOUND
    assert isinstance(report(a, GRID_B), p.CommandError)
    a.send(p.Subscribe(scope=STREET_B))
    err = a.pump(lambda: next((m for m in a.other if isinstance(m, p.Error)), None))
    assert err.code == p.ErrorCode.FORBIDDEN


def test_snapshot_then_live_without_gap_or_duplicate(hub, tokens):
    writer = FeedClient(hub.url, tokens["op_a"])
    for _ in range(5):
        report(writer)
    reader = FeedClient(hub.url, tokens["district"])
    begin, chunks, end = reader.subscribe("370202")
    cases = [c for chunk in chunks for c in chunk.cases]
    assert begin.total_cases == len(cases) == 5 and end.seq == begin.seq
    assert sum(len(c.aggregates) for c in chunks) == begin.aggregates_count > 0
    later = [report(writer) for _ in range(5)]
    reader.pump(lambda: all(ack.seq in reader.seqs() for ack in later))
    seqs = reader.seqs()
    assert seqs == sorted(set(seqs)) and seqs[0] == end.seq + 1


def test_resume_replays_exactly_the_missed_events(hub, tokens):
    op = FeedClient(hub.url, tokens["op_a"])
    op.subscribe(STREET_A)
    first = report(op)
    op.pump(lambda: first.seq in op.seqs())
    seen = op.upto
    epoch = op.welcome.epoch
    op.close()
    other = FeedClient(hub.url, tokens["district"])
    missed = [report(other, GRID_A), report(other, GRID_B), report(other, GRID_A)]
    back = FeedClient(hub.url, tokens["op_a"])
    resumed = back.subscribe(STREET_A, resume=p.Resume(epoch=epoch, seq=seen))
    assert isinstance(resumed, p.Resumed) and resumed.from_seq == seen + 1
    want = [missed[0].seq, missed[2].seq]  # GRID_B is outside street A
    back.pump(lambda: set(want) <= set(back.seqs()))
    assert back.seqs()[:2] == want


def test_stale_epoch_requires_snapshot(hub, tokens):
    op = FeedClient(hub.url, tokens["op_a"])
    answer = op.subscribe(STREET_A, resume=p.Resume(epoch="some-old-epoch", seq=3))
    assert isinstance(answer, p.SnapshotRequired) and answer.epoch == op.welcome.epoch
    ahead = op.subscribe(STREET_A, resume=p.Resume(epoch=op.welcome.epoch, seq=10_000))
    assert isinstance(ahead, p.SnapshotRequired) and "ahead" in ahead.reason
    begin, _, _ = op.subscribe(STREET_A)
    assert isinstance(begin, p.SnapshotBegin)


def test_retry_gets_first_answer_and_conflict_is_typed(hub, tokens):
    op = FeedClient(hub.url, tokens["op_a"])
    op.subscribe(STREET_A)
    ack = report(op, command_id="same-id")
    again = report(op, command_id="same-id")
    assert again.replayed and again.case_id == ack.case_id and again.seq == ack.seq
    accepted = op.command(Action.ACCEPT, ack.case_id, expected_version=1)
    assert isinstance(accepted, p.CommandAck) and accepted.version == 2
    stale = op.command(Action.ACCEPT, ack.case_id, expected_version=1)
    assert isinstance(stale, p.CommandError) and stale.code == p.ErrorCode.CONFLICT
    assert stale.detail["current_version"] == 2
    bad = op.command(Action.REJECT, ack.case_id, expected_version=2)
    assert bad.code == p.ErrorCode.ILLEGAL_TRANSITION
    missing = op.command(Action.DISPATCH, ack.case_id, expected_version=2)
    assert missing.code == p.ErrorCode.INVALID and "department" in missing.message
    unknown = op.command(Action.DISPATCH, ack.case_id, expected_version=2, department="nasa")
    assert unknown.code == p.ErrorCode.NOT_FOUND and unknown.detail["field"] == "department"
    ghost = op.command(Action.ACCEPT, "QD000", expected_version=1)
    assert ghost.code == p.ErrorCode.NOT_FOUND
    dispatched = op.command(Action.DISPATCH, ack.case_id, expected_version=2, department="szyl")
    assert dispatched.case.state == State.DISPATCHED
    urge = op.command(Action.URGE, ack.case_id, expected_version=3, message="请尽快处理")
    assert isinstance(urge, p.CommandAck)
    too_soon = op.command(Action.URGE, ack.case_id, expected_version=4, message="再催")
    assert too_soon.code == p.ErrorCode.RATE_LIMITED and too_soon.detail["retry_after"] > 0


def test_wall_is_read_only(hub, tokens):
    op = FeedClient(hub.url, tokens["op_a"])
    ack = report(op)
    wall = FeedClient(hub.url, tokens["wall"])
    wall.subscribe("3702")
    refused = wall.command(Action.ACKNOWLEDGE, ack.case_id, expected_version=1)
    assert isinstance(refused, p.CommandError) and refused.code == p.ErrorCode.FORBIDDEN


def test_malformed_frames_get_typed_errors_and_the_hub_stays_up(hub, tokens):
    op = FeedClient(hub.url, tokens["op_a"])
    cases = {
        "not json at all": p.ErrorCode.BAD_FRAME,
        "[1, 2, 3]": p.ErrorCode.BAD_FRAME,
        '{"type": "launch_rockets"}': p.ErrorCode.UNKNOWN_TYPE,
        '{"type": "ping", "t": "yesterday"}': p.ErrorCode.INVALID,
        '{"type": "ping"}': p.ErrorCode.INVALID,
        '{"type": "ping", "t": 1, "extra": true}': p.ErrorCode.INVALID,
        "x" * (p.MAX_FRAME_BYTES + 1): p.ErrorCode.TOO_LARGE,
    }
    for raw, code in cases.items():
        op.send_raw(raw)
        err = op.recv()
        assert isinstance(err, p.Error) and err.code == code, (raw, err)
    op.send_raw(b"\x00\x01binary")
    assert op.recv().code == p.ErrorCode.BAD_FRAME
    op.send_raw('{"type": "command", "id": "bad-1", "action": "accept", "case_id": 5}')
    err = op.recv()
    assert isinstance(err, p.CommandError) and err.command_id == "bad-1" and err.code == p.ErrorCode.INVALID
    # The connection and the hub are still fine.
    op.send(p.Ping(t=1.5))
    assert isinstance(op.recv(), p.Pong)
    huge = FeedClient(hub.url, tokens["op_a"])
    huge.send_raw("x" * (p.TRANSPORT_MAX_BYTES + 10))  # above the transport's own cap
    with pytest.raises(ConnectionClosed) as closed:
        huge.recv()
    assert closed.value.rcvd.code == 1009
    assert isinstance(report(FeedClient(hub.url, tokens["op_a"])), p.CommandAck)


def test_stalled_client_is_cut_while_others_flow(store, rules, tokens):
    with HubThread(store, rules=rules, queue_limit=300, heartbeat_interval=60, max_in_flight=1000,
                   user_burst=10_000) as small:
        stalled = FeedClient(small.url, tokens["district"], rcvbuf=4096)
        stalled.subscribe("370202")
        healthy = FeedClient(small.url, tokens["op_a"])
        healthy.subscribe(STREET_A)
        writer = FeedClient(small.url, tokens["district"])
        # ~7.5 MB of events: more than the socket buffers (4 MB on loopback) can hide.
        ids = [f"flood-{i}" for i in range(1500)]
        for start in range(0, len(ids), 100):
            for cid in ids[start:start + 100]:
                writer.send(p.Command(id=cid, action=Action.REPORT, args=Args(
                    node=GRID_A, category="10103", urgency=Urgency.NORMAL, source=Source.GRID_WORKER,
                    description="x" * 5_000)))
            last = writer.pump(lambda: writer.answers.get(cid), timeout=60)
            healthy.pump(lambda: last.seq in healthy.seqs(), timeout=60)
        healthy.pump(lambda: last.seq in healthy.seqs(), timeout=60)
        # The stalled client never read: the hub cut it (close 4008; a client that reads
        # nothing may never see the close frame, only the connection ending).
        assert small.hub.slow_consumers_cut == 1
        with pytest.raises(ConnectionClosed) as closed:
            for _ in range(10_000):
                stalled.recv(timeout=30)
        if closed.value.rcvd is not None:
            assert closed.value.rcvd.code == p.CloseCode.SLOW_CONSUMER
        assert healthy.seqs() == sorted(set(healthy.seqs()))
        deadline = time.monotonic() + 10  # the hub forgets the cut session on its own loop
        while len(small.hub.sessions) != 2 and time.monotonic() < deadline:
            threading.Event().wait(0.02)
        assert len(small.hub.sessions) == 2  # the healthy reader and the writer


def test_sla_sweeper_emits_warning_and_overdue_once(store, rules, tokens):
    from backend.clock import SimClock

    clock = SimClock(start=1773108000.0, speed=1.0, paused=True)  # Tue 2026-03-10 10:00 CST
    with HubThread(store, rules=rules, clock=clock, sweep_interval=0.05) as h:
        op = FeedClient(h.url, tokens["op_a"])
        op.subscribe(STREET_A)
        ack = report(op, category="10103")
        op.command(Action.ACCEPT, ack.case_id, expected_version=1)
        disp = op.command(Action.DISPATCH, ack.case_id, expected_version=2, department="szyl")
        case = disp.case
        clock.advance(case.warning_at - clock.now() + 1)
        op.pump(lambda: any(e.event.kind == Action.SLA_WARNING for e in op.events))
        clock.advance(case.deadline - clock.now() + 1)
        op.pump(lambda: any(e.event.kind == Action.SLA_OVERDUE for e in op.events))
        h.call(h.hub.sweep())
        h.call(h.hub.sweep())
        kinds = [e.event.kind for e in op.events if e.case.id == case.id]
        assert kinds.count(Action.SLA_WARNING) == 1 and kinds.count(Action.SLA_OVERDUE) == 1


def test_directory_and_history(hub, tokens, store):
    from backend.city import generate_city

    city = generate_city(seed=7, scale=0.02)
    store.import_city(city)
    street = next(n.code for n in city.nodes if n.level == 3 and n.code.startswith("370202"))
    district = FeedClient(hub.url, tokens["district"])
    district.send(p.DirectoryRequest(scope=street))
    directory = district.pump(lambda: next((m for m in district.other if isinstance(m, p.Directory)), None))
    codes = [n.code for n in directory.nodes]
    assert codes[:3] == ["37", "3702", "370202"]  # ancestors first, for the breadcrumb
    assert codes[3] == street and all(c.startswith(street) for c in codes[3:]) and len(codes) > 10
    assert any(n.portrait is not None for n in directory.nodes) and all(n.geometry is None for n in directory.nodes)
    assert directory.departments
    op = FeedClient(hub.url, tokens["op_a"])
    op.send(p.DirectoryRequest(scope="370203"))
    err = op.pump(lambda: next((m for m in op.other if isinstance(m, p.Error)), None))
    assert err.code == p.ErrorCode.FORBIDDEN

    op_b = FeedClient(hub.url, tokens["op_b"])
    grid = next(n.code for n in city.nodes if n.level == 5 and n.code.startswith(STREET_B))
    assert report(op_b, "370202002999999").code == p.ErrorCode.NOT_FOUND  # not in the directory
    ack = report(op_b, grid)
    op_b.command(Action.ACCEPT, ack.case_id, expected_version=1)
    op_b.send(p.HistoryRequest(case_id=ack.case_id))
    history = op_b.pump(lambda: next((m for m in op_b.other if isinstance(m, p.History)), None))
    assert [e.event.kind for e in history.events] == [Action.REPORT, Action.ACCEPT]
    other = FeedClient(hub.url, tokens["op_a"])
    other.send(p.HistoryRequest(case_id=ack.case_id))
    hidden = other.pump(lambda: next((m for m in other.other if isinstance(m, p.History)), None))
    assert hidden.events == []


def test_disabled_user_is_cut_with_4001(store, rules, tokens):
    with HubThread(store, rules=rules, heartbeat_interval=0.5) as h:
        op = FeedClient(h.url, tokens["op_a"])
        op.subscribe(STREET_A)
        store.set_user_disabled(op.welcome.user.id)
        with pytest.raises(ConnectionClosed) as closed:
            op.pump(lambda: False, timeout=20)
        assert closed.value.rcvd.code == p.CloseCode.UNAUTHORIZED
        with pytest.raises(InvalidStatus):
            FeedClient(h.url, tokens["op_a"])


def test_report_request_answers_in_scope_from_sql_and_refuses_outside(hub, tokens, store):
    from backend.city import generate_city
    from domain.indicators import value
    from domain.reporting import assemble

    city = generate_city(seed=7, scale=0.02)
    store.import_city(city)
    op = FeedClient(hub.url, tokens["district"])
    street = next(n.code for n in city.nodes if n.level == 3 and n.code.startswith("370202"))
    grid = next(n.code for n in city.nodes if n.level == 5 and n.code.startswith(street))  # in the directory
    acks = [report(op, grid) for _ in range(3)]
    op.command(Action.ACCEPT, acks[0].case_id, expected_version=1)
    op.send(p.ReportRequest(request_id="r1", node="370202", period="day", start=time.time(),
                            group_by=["street", "department", "grid_worker"]))
    def answer():
        frames = [m for m in op.other if isinstance(m, p.Report) and m.request_id == "r1"]
        return frames if frames and len(frames) == frames[0].chunks else None

    data = assemble(op.pump(answer))
    assert data.node == "370202" and data.total.reported == 3 and data.total.accepted == 1
    assert value(data.total, "accept_rate") == pytest.approx(1 / 3)
    streets = data.table("street").rows
    assert [r.key for r in streets] == [street] and streets[0].counts.reported == 3
    assert data.table("grid_worker") is not None

    op.send(p.ReportRequest(request_id="r2", node="370203", period="week", start=time.time()))
    err = op.pump(lambda: next((m for m in op.other if isinstance(m, p.Error)), None))
    assert err.code == p.ErrorCode.FORBIDDEN and err.ref == "r2"
    op.other.clear()
    op.send(p.ReportRequest(request_id="r3", node="370202999", period="day", start=time.time()))
    err = op.pump(lambda: next((m for m in op.other if isinstance(m, p.Error)), None))
    assert err.code == p.ErrorCode.NOT_FOUND


def test_the_welcome_is_the_first_frame_even_after_a_slow_hello(hub, tokens):
    """Heartbeats start only after the welcome: a client slow to say hello never meets one first."""
    client = FeedClient(hub.url, tokens["op_a"], hello=False)
    with pytest.raises(TimeoutError):  # three heartbeat intervals (0.5 s) pass before the hello
        client.ws.recv(timeout=1.5)
    client.send(p.Hello(protocol=p.PROTOCOL_VERSION, client_id=client.client_id, client_name="pytest"))
    assert isinstance(client.recv(), p.Welcome)
    client.close()
