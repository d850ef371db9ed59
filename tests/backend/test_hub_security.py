"""What an independent client written from docs/protocol.md found, each checked against a real hub.

SQLite and PostgreSQL (the ``store`` fixture): idempotency keys per user, no existence leaks,
merges within the jurisdiction, throttling and fairness, versions required, unknown nodes,
chunked directories, and the frame-level answers the document promises.
"""

from __future__ import annotations

import threading

import pytest
from websockets.exceptions import ConnectionClosed

from backend.embedded import HubThread
from domain import protocol as p
from domain.city import GridPortrait, NodeInfo
from domain.model import Action, Args, Source, Urgency
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
        "op_a": ("operator", STREET_A, None), "op_a2": ("operator", STREET_A, None),
        "op_b": ("operator", STREET_B, None), "district": ("operator", "370202", None),
    }.items():
        made[key] = store.add_user(f"user-{key}", role, scope, dept)[1]
    return made


def report_frame(command_id: str, grid: str = GRID_A) -> p.Command:
    return p.Command(id=command_id, action=Action.REPORT, args=Args(
        node=grid, category="10103", urgency=Urgency.NORMAL, source=Source.GRID_WORKER, description="井盖缺失"))


def ask(client: FeedClient, frame: p.Command):
    client.answers.pop(frame.id, None)
    client.send(frame)
    return client.pump(lambda: client.answers.get(frame.id))


def first_other(client: FeedClient, kind):
    return client.pump(lambda: next((m for m in client.other if isinstance(m, kind)), None))


# ---- 1. command ids belong to the user --------------------------------------------------------
def test_same_client_id_and_command_id_of_another_user_is_not_replayed(hub, tokens):
    a = FeedClient(hub.url, tokens["op_a"], client_id="console-shared")
    b = FeedClient(hub.url, tokens["op_b"], client_id="console-shared")
    mine = ask(a, report_frame("k-1"))
    assert isinstance(mine, p.CommandAck)
    theirs = ask(b, report_frame("k-1"))  # the same frame, the other user: GRID_A is outside b's street
    assert isinstance(theirs, p.CommandError) and not theirs.replayed and theirs.code == p.ErrorCode.FORBIDDEN
    # b uses a's next id first; a's real command with that id still runs
    ask(b, report_frame("k-2", GRID_B))
    second = ask(a, report_frame("k-2"))
    assert isinstance(second, p.CommandAck) and not second.replayed
    assert ask(a, report_frame("k-2")).replayed  # a true retry still gets the first answer


# ---- 2. and 3. nothing about a case outside the jurisdiction leaks ----------------------------------
def test_out_of_scope_case_is_indistinguishable_from_a_missing_one(hub, tokens):
    b = FeedClient(hub.url, tokens["op_b"])
    theirs = ask(b, report_frame("r-1", GRID_B))
    assert ask(b, p.Command(id="acc", action=Action.ACCEPT, case_id=theirs.case_id, expected_version=1)).version == 2
    a = FeedClient(hub.url, tokens["op_a"])
    for version in (0, 1, 2, 3, 1000):
        hidden = ask(a, p.Command(id=f"h{version}", action=Action.DISPATCH, case_id=theirs.case_id,
                                  expected_version=version, args=Args(department="szyl")))
        ghost = ask(a, p.Command(id=f"g{version}", action=Action.DISPATCH, case_id="QD202612039999999",
                                 expected_version=version, args=Args(department="szyl")))
        assert hidden.code == ghost.code == p.ErrorCode.NOT_FOUND
        assert hidden.message.replace(theirs.case_id, "X") == ghost.message.replace("QD202612039999999", "X")
        assert "version" not in hidden.message and "current_version" not in hidden.detail


def test_merge_into_a_case_of_another_jurisdiction_is_refused(hub, tokens):
    b = FeedClient(hub.url, tokens["op_b"])
    theirs = ask(b, report_frame("r-1", GRID_B))
    a = FeedClient(hub.url, tokens["op_a"])
    mine = ask(a, report_frame("r-2"))
    merge = ask(a, p.Command(id="m", action=Action.MERGE, case_id=mine.case_id, expected_version=1,
                             args=Args(parent_id=theirs.case_id)))
    assert merge.code == p.ErrorCode.NOT_FOUND and merge.detail["field"] == "parent_id"
    # within the jurisdiction it works
    other = ask(a, report_frame("r-3"))
    ok = ask(a, p.Command(id="m2", action=Action.MERGE, case_id=other.case_id, expected_version=1,
                          args=Args(parent_id=mine.case_id)))
    assert isinstance(ok, p.CommandAck)


# ---- 4. one client cannot starve the others -------------------------------------------------------
def test_flooding_client_is_throttled_and_others_are_all_answered(store, rules, tokens):
    with HubThread(store, rules=rules, heartbeat_interval=60, max_in_flight=8, user_rate=20.0,
                   user_burst=40) as h:
        flooder = FeedClient(h.url, tokens["op_a"])
        peer = FeedClient(h.url, tokens["op_a2"])
        flood = [f"flood-{i}" for i in range(400)]
        for cid in flood:
            flooder.send(report_frame(cid))
        peer_acks = [ask(peer, report_frame(f"peer-{i}")) for i in range(30)]
        assert all(isinstance(a, p.CommandAck) for a in peer_acks)
        flooder.pump(lambda: all(cid in flooder.answers for cid in flood), timeout=120)
        throttled = [a for a in flooder.answers.values()
                     if isinstance(a, p.CommandError) and a.code == p.ErrorCode.THROTTLED]
        assert throttled and all(a.detail["retry_after"] > 0 for a in throttled)
        assert {a.detail["limit"] for a in throttled} <= {"in_flight", "user_rate"}
        acked = [a for a in flooder.answers.values() if isinstance(a, p.CommandAck)]
        assert acked and len(acked) + len(throttled) == len(flood)
        # a throttled command was not run and not stored: sending the same id again runs it
        again = throttled[0].command_id
        retry = ask(flooder, report_frame(again))
        while isinstance(retry, p.CommandError) and retry.code == p.ErrorCode.THROTTLED:
            threading.Event().wait(retry.detail["retry_after"])  # what the protocol asks a client to do
            retry = ask(flooder, report_frame(again))
        assert isinstance(retry, p.CommandAck) and not retry.replayed
        assert h.hub.commands_throttled >= len(throttled)


# ---- 6. versions are required, 7. reports need a known node ---------------------------------------
@pytest.mark.parametrize("action, args", [(Action.ACCEPT, Args()), (Action.DISPATCH, Args(department="szyl"))])
def test_null_expected_version_is_invalid_except_for_report(hub, tokens, action, args):
    a = FeedClient(hub.url, tokens["op_a"])
    case = ask(a, report_frame("r-1"))  # report: null is fine
    assert isinstance(case, p.CommandAck)
    if action is Action.DISPATCH:
        ask(a, p.Command(id="acc", action=Action.ACCEPT, case_id=case.case_id, expected_version=1))
    refused = ask(a, p.Command(id="x", action=action, case_id=case.case_id, args=args))
    assert refused.code == p.ErrorCode.INVALID and refused.detail["field"] == "expected_version"


def _small_city(store) -> None:
    store.import_nodes([
        NodeInfo(code="37", name="山东省", level=0, parent=None),
        NodeInfo(code="3702", name="青岛市", level=1, parent="37"),
        NodeInfo(code="370202", name="市南区", level=2, parent="3702"),
        NodeInfo(code=STREET_A, name="香港中路街道", level=3, parent="370202"),
        NodeInfo(code=STREET_A + "001", name="社区", level=4, parent=STREET_A),
        NodeInfo(code=GRID_A, name="第1网格", level=5, parent=STREET_A + "001"),
    ])


def test_report_at_an_unknown_grid_and_subscribe_to_an_unknown_scope_are_not_found(hub, tokens, store):
    _small_city(store)
    a = FeedClient(hub.url, tokens["op_a"])
    assert isinstance(ask(a, report_frame("ok")), p.CommandAck)
    ghost = ask(a, report_frame("ghost", "370202001001999"))
    assert ghost.code == p.ErrorCode.NOT_FOUND and ghost.detail["field"] == "node"
    answer = a.subscribe("370202001009")  # well-formed, in the jurisdiction, not in the directory
    assert isinstance(answer, p.Error) and answer.code == p.ErrorCode.NOT_FOUND and answer.ref == "subscribe"
    a.send(p.DirectoryRequest(scope="370202001009"))
    assert first_other(a, p.Error).code == p.ErrorCode.NOT_FOUND


# ---- 8. no server frame above the limit: a directory comes in chunks -------------------------------
def test_huge_directory_comes_in_frames_within_the_limit(tmp_path, rules):
    from backend.store import Store

    store = Store.open(f"sqlite:///{tmp_path / 'big.db'}", require_current=False)
    store.migrate()
    _small_city(store)
    portrait = GridPortrait(households=400, residents=1000, special_care={f"类别{i}": i for i in range(40)},
                            buildings=10, shops=20, area_km2=0.1)
    nodes = [NodeInfo(code=f"{STREET_A}{c:03d}", name=f"社区{c}", level=4, parent=STREET_A) for c in range(2, 40)]
    for c in range(2, 40):
        for g in range(1, 401):
            nodes.append(NodeInfo(code=f"{STREET_A}{c:03d}{g:03d}", name="很长的网格名称" * 14, level=5,
                                  parent=f"{STREET_A}{c:03d}", portrait=portrait))
    store.import_nodes(nodes)
    token = store.add_user("区", "operator", "370202")[1]
    with HubThread(store, rules=rules, heartbeat_interval=60) as h:
        client = FeedClient(h.url, token)  # its transport refuses frames above MAX_SERVER_FRAME_BYTES
        client.send(p.DirectoryRequest(scope=STREET_A))
        parts, sizes = [], []
        while not parts or len(parts) < parts[0].total_chunks:
            raw = client.ws.recv(timeout=60)
            sizes.append(len(raw.encode()))
            msg = p.decode_server(raw)
            if isinstance(msg, p.Directory):
                parts.append(msg)
        assert len(parts) > 1 and [m.index for m in parts] == list(range(parts[0].total_chunks))
        assert max(sizes) <= p.MAX_SERVER_FRAME_BYTES
        assert sum(len(s.encode()) for s in [p.encode(m).decode() for m in parts]) > p.MAX_SERVER_FRAME_BYTES
        codes = [n.code for m in parts for n in m.nodes]
        assert len(codes) == len(set(codes)) == 6 + len(nodes)  # 3 ancestors, the street, _small_city's 2 below
        assert parts[0].departments and all(not m.departments for m in parts[1:])
    store.close()


def test_session_send_path_refuses_oversized_frames():
    big = p.History(case_id="c", events=[])
    assert p.encode_server(big)
    with pytest.raises(p.FrameTooLarge):
        p.encode_server(p.Error(code=p.ErrorCode.INVALID, message="x" * (p.MAX_SERVER_FRAME_BYTES + 1)))


# ---- the document and the hub agree -----------------------------------------------------------------
def test_second_hello_is_unexpected(hub, tokens):
    a = FeedClient(hub.url, tokens["op_a"])
    a.send(p.Hello(protocol=p.PROTOCOL_VERSION, client_id="again"))
    err = a.recv()
    assert isinstance(err, p.Error) and err.code == p.ErrorCode.UNEXPECTED and err.ref == "hello"
    a.send(p.Ping(t=1.0))
    assert isinstance(a.recv(), p.Pong)


@pytest.mark.parametrize("first", [p.Subscribe(scope=STREET_A), p.Ping(t=1.0), report_frame("early"),
                                   p.Unsubscribe(), p.DirectoryRequest(scope=STREET_A)])
def test_first_frame_other_than_hello_is_unexpected_and_closes_4000(hub, tokens, first):
    a = FeedClient(hub.url, tokens["op_a"], hello=False)
    a.send(first)
    err = a.recv()
    assert isinstance(err, p.Error) and err.code == p.ErrorCode.UNEXPECTED and err.ref == p.tag_of(type(first))
    with pytest.raises(ConnectionClosed) as closed:
        a.recv()
    assert closed.value.rcvd.code == p.CloseCode.PROTOCOL_ERROR


@pytest.mark.parametrize("version", [0, 1, 3, 2**31 - 1])
def test_unspoken_protocol_versions_get_unsupported_version_and_4002(hub, tokens, version):
    a = FeedClient(hub.url, tokens["op_a"], hello=False)
    a.send(p.Hello(protocol=version, client_id="old"))
    err = a.recv()
    assert isinstance(err, p.Error) and err.code == p.ErrorCode.UNSUPPORTED_VERSION
    assert "speaks 2" in err.message
    with pytest.raises(ConnectionClosed) as closed:
        a.recv()
    assert closed.value.rcvd.code == p.CloseCode.VERSION_UNSUPPORTED


def test_frame_just_above_the_protocol_limit_gets_too_large(hub, tokens):
    a = FeedClient(hub.url, tokens["op_a"])
    a.send_raw("x" * (p.MAX_FRAME_BYTES + 1))  # 65,537 bytes
    err = a.recv()
    assert isinstance(err, p.Error) and err.code == p.ErrorCode.TOO_LARGE
    a.send(p.Ping(t=2.0))
    assert isinstance(a.recv(), p.Pong)


def test_invalid_utf8_text_frame_closes_with_1007(hub, tokens):
    a = FeedClient(hub.url, tokens["op_a"])
    a.ws.send(b'{"type": "ping", "t": 1, "x": "\xc3\x28"}', text=True)
    with pytest.raises(ConnectionClosed) as closed:
        a.recv()
    assert closed.value.rcvd.code == 1007
    assert isinstance(FeedClient(hub.url, tokens["op_a"]).welcome, p.Welcome)  # the hub is up


def test_user_rate_bucket_allows_the_burst_then_throttles(store):
    from backend.hub import Hub

    hub = Hub(store, user_rate=1e-6, user_burst=5)  # practically no refill during the test
    waits = [hub.rate_wait("u1") for _ in range(8)]
    assert waits[:5] == [0.0] * 5 and all(w > 0 for w in waits[5:])
    assert hub.rate_wait("u2") == 0.0  # per user
