"""A barrage of malformed input against a real hub: frames, fields, sizes, encodings, floods,
binary frames, wrong types, unknown fields and bad codes.

Every case opens its own connection, first gets one real command acknowledged, then sends
its bad input and checks the typed answer (or the close code) the document promises; a
connection that should survive must still answer a ping. After the barrage the event
stream is gap-free, every acknowledged command's event is in it, and the hub still
accepts new sessions. The barrage runs on SQLite per case, and whole on each store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from websockets.exceptions import ConnectionClosed

from backend.embedded import HubThread
from backend.store import Store
from domain import protocol as p
from domain.city import NodeInfo
from domain.model import Action, Source, Urgency
from tests.backend.feedclient import FeedClient

STREET = "370202001"
GRID = "370202001001001"
E, CE, CLOSE, ANSWER = "error", "command_error", "close", "answer"


@dataclass(frozen=True)
class Case:
    name: str
    frames: tuple  # str (text frame), bytes (binary frame) or ("text-bytes", b"...") raw text payload
    expect: str  # E / CE / CLOSE / ANSWER
    code: object = None  # error code(s), close code, or the answer type
    count: int = 1  # how many answers to expect
    also: tuple = ()  # other answer types allowed among them

    def __str__(self) -> str:
        return self.name


def cmd(**fields) -> str:
    return json.dumps({"type": "command", **fields}, ensure_ascii=False)


def report(cid: str, **over) -> str:
    args = {"node": GRID, "category": "10103", "urgency": "normal", "source": "grid_worker", "description": "井盖"}
    args.update(over)
    return cmd(id=cid, action="report", args=args)


def ping_padded(total: int) -> str:
    head = '{"type": "ping", "t": 1.5'
    return head + " " * (total - len(head) - 1) + "}"


BAD = '{"type": "nope"}'
C = p.ErrorCode
CASES = [
    # ---- frames that are not messages
    Case("not-json", ("not json",), E, C.BAD_FRAME),
    Case("empty-text", ("",), E, C.BAD_FRAME),
    Case("array", ("[1, 2]",), E, C.BAD_FRAME),
    Case("string", ('"hello"',), E, C.BAD_FRAME),
    Case("number", ("42",), E, C.BAD_FRAME),
    Case("null", ("null",), E, C.BAD_FRAME),
    Case("true", ("true",), E, C.BAD_FRAME),
    Case("trailing-garbage", ('{"type": "ping", "t": 1} x',), E, C.BAD_FRAME),
    Case("truncated", ('{"type": "ping", "t": 1',), E, C.BAD_FRAME),
    Case("deep-array", ("[" * 60000,), E, C.BAD_FRAME),
    Case("deep-object", ('{"a":' * 10000 + "1" + "}" * 10000,), E, C.BAD_FRAME),
    Case("nan", ('{"type": "ping", "t": NaN}',), E, C.BAD_FRAME),
    Case("single-quotes", ("{'type': 'ping', 't': 1}",), E, C.BAD_FRAME),
    # ---- types
    Case("no-type", ("{}",), E, C.UNKNOWN_TYPE),
    Case("type-number", ('{"type": 7}',), E, C.UNKNOWN_TYPE),
    Case("type-null", ('{"type": null}',), E, C.UNKNOWN_TYPE),
    Case("type-list", ('{"type": ["ping"]}',), E, C.UNKNOWN_TYPE),
    Case("type-unknown", ('{"type": "teleport"}',), E, C.UNKNOWN_TYPE),
    Case("type-server-message", ('{"type": "welcome"}',), E, C.UNKNOWN_TYPE),
    Case("type-wrong-case", ('{"type": "PING", "t": 1}',), E, C.UNKNOWN_TYPE),
    Case("second-hello", ('{"type": "hello", "protocol": 2, "client_id": "x"}',), E, C.UNEXPECTED),
    # ---- fields: missing, wrong types, out of range, unknown
    Case("ping-missing-t", ('{"type": "ping"}',), E, C.INVALID),
    Case("ping-t-string", ('{"type": "ping", "t": "now"}',), E, C.INVALID),
    Case("ping-t-null", ('{"type": "ping", "t": null}',), E, C.INVALID),
    Case("ping-t-bool", ('{"type": "ping", "t": true}',), E, C.INVALID),
    Case("ping-t-huge", ('{"type": "ping", "t": 1e999}',), E, C.INVALID),
    Case("ping-unknown-field", ('{"type": "ping", "t": 1, "extra": 1}',), E, C.INVALID),
    Case("unsubscribe-unknown-field", ('{"type": "unsubscribe", "please": true}',), E, C.INVALID),
    Case("subscribe-missing-scope", ('{"type": "subscribe"}',), E, C.INVALID),
    Case("subscribe-7-digits", ('{"type": "subscribe", "scope": "3702020"}',), E, C.INVALID),
    Case("subscribe-letters", ('{"type": "subscribe", "scope": "37abcd"}',), E, C.INVALID),
    Case("subscribe-fullwidth-digits", ('{"type": "subscribe", "scope": "３７"}',), E, C.INVALID),
    Case("subscribe-scope-number", ('{"type": "subscribe", "scope": 370202}',), E, C.INVALID),
    Case("resume-negative-seq", ('{"type": "subscribe", "scope": "370202001", "resume": {"epoch": "e", "seq": -1}}',),
         E, C.INVALID),
    Case("resume-seq-2^63", ('{"type": "subscribe", "scope": "370202001", "resume": {"epoch": "e", "seq": '
                             + str(2**63) + "}}",), E, C.INVALID),
    Case("resume-empty-epoch", ('{"type": "subscribe", "scope": "370202001", "resume": {"epoch": "", "seq": 1}}',),
         E, C.INVALID),
    Case("resume-unknown-field", ('{"type": "subscribe", "scope": "370202001", "resume": '
                                  '{"epoch": "e", "seq": 1, "x": 0}}',), E, C.INVALID),
    Case("subscribe-outside", ('{"type": "subscribe", "scope": "370202002"}',), E, C.FORBIDDEN),
    Case("subscribe-unknown-scope", ('{"type": "subscribe", "scope": "370202001999"}',), E, C.NOT_FOUND),
    Case("directory-bad-code", ('{"type": "directory_request", "scope": "1"}',), E, C.INVALID),
    Case("directory-outside", ('{"type": "directory_request", "scope": "370203"}',), E, C.FORBIDDEN),
    Case("history-long-id", ('{"type": "history_request", "case_id": "' + "a" * 65 + '"}',), E, C.INVALID),
    Case("history-number-id", ('{"type": "history_request", "case_id": 5}',), E, C.INVALID),
    Case("history-nul-in-id", ('{"type": "history_request", "case_id": "a\\u0000b"}',), E, C.INVALID),
    Case("command-id-with-newline", (cmd(id="a\nb", action="accept"),), E, C.INVALID),
    # ---- commands
    Case("command-empty-id", (cmd(id="", action="accept"),), E, C.INVALID),
    Case("command-long-id", (cmd(id="k" * 65, action="accept"),), E, C.INVALID),
    Case("command-number-id", (cmd(id=5, action="accept"),), E, C.INVALID),
    Case("command-unknown-action", (cmd(id="k1", action="fly"),), CE, C.INVALID),
    Case("command-unknown-arg", (cmd(id="k2", action="accept", case_id="c", expected_version=1, args={"x": 1}),),
         CE, C.INVALID),
    Case("command-args-list", (cmd(id="k3", action="accept", args=[1]),), CE, C.INVALID),
    Case("command-negative-version", (cmd(id="k4", action="accept", case_id="c", expected_version=-1),), CE, C.INVALID),
    Case("command-float-version", (cmd(id="k5", action="accept", case_id="c", expected_version=1.5),), CE, C.INVALID),
    Case("command-string-version", (cmd(id="k6", action="accept", case_id="c", expected_version="1"),), CE, C.INVALID),
    Case("command-number-case-id", (cmd(id="k7", action="accept", case_id=5, expected_version=1),), CE, C.INVALID),
    Case("command-report-with-case-id", (cmd(id="k8", action="report", case_id="c", args={"node": GRID}),),
         CE, C.INVALID),
    Case("command-accept-without-case", (cmd(id="k9", action="accept", expected_version=1),), CE, C.INVALID),
    Case("command-ghost-null-version", (cmd(id="k10", action="accept", case_id="QD1"),), CE, C.NOT_FOUND),
    Case("command-ghost-case", (cmd(id="k11", action="accept", case_id="QD1", expected_version=1),), CE, C.NOT_FOUND),
    Case("command-node-not-a-grid", (report("k12", node="370202001001"),), CE, C.INVALID),
    Case("command-bad-node-code", (report("k19", node="123"),), CE, C.FORBIDDEN),
    Case("command-unknown-grid", (report("k13", node="370202001001999"),), CE, C.NOT_FOUND),
    Case("command-grid-outside", (report("k14", node="370202002001001"),), CE, C.FORBIDDEN),
    Case("command-unknown-category", (report("k15", category="99999"),), CE, C.INVALID),
    Case("command-bad-urgency", (report("k16", urgency="yesterday"),), CE, C.INVALID),
    Case("command-clock-action", (cmd(id="k17", action="sla_warning", case_id="QD1", expected_version=1),),
         CE, (C.FORBIDDEN, C.NOT_FOUND)),
    Case("command-duplicate-id-other-content", (report("k18"), report("k18", description="另一个")), CE,
         C.DUPLICATE_ID, 2),
    # ---- sizes
    Case("exactly-the-limit", (ping_padded(p.MAX_FRAME_BYTES),), ANSWER, p.Pong),
    Case("one-byte-over", ("x" * (p.MAX_FRAME_BYTES + 1),), E, C.TOO_LARGE),
    Case("half-a-megabyte", ("x" * 500_000,), E, C.TOO_LARGE),
    Case("above-transport-cap", ("x" * (p.TRANSPORT_MAX_BYTES + 1),), CLOSE, 1009),
    # ---- encodings
    Case("invalid-utf8-text", (("text-bytes", b'{"type": "ping", "t": 1, "x": "\xc3\x28"}'),), CLOSE, 1007),
    Case("utf8-bom", ("\ufeff" + '{"type": "ping", "t": 1}',), E, C.BAD_FRAME),
    Case("escaped-lone-surrogate", ('{"type": "history_request", "case_id": "\\ud800"}',), E,
         (C.BAD_FRAME, C.INVALID)),
    # ---- binary frames
    Case("binary-garbage", (b"\x00\x01\x02",), E, C.BAD_FRAME),
    Case("binary-valid-json", (b'{"type": "ping", "t": 1}',), E, C.BAD_FRAME),
    Case("binary-empty", (b"",), E, C.BAD_FRAME),
    # ---- floods
    Case("twenty-bad-frames", (BAD,) * 20, CLOSE, p.CloseCode.PROTOCOL_ERROR),
    Case("nineteen-bad-then-good-then-nineteen", (BAD,) * 19 + ('{"type": "ping", "t": 1}',) + (BAD,) * 19,
         E, C.UNKNOWN_TYPE, 39, (p.Pong,)),
    Case("ping-flood", ('{"type": "ping", "t": 1}',) * 2000, ANSWER, p.Pong, 2000),
    Case("command-flood", tuple(report(f"flood-{i}") for i in range(300)), "flood", None, 300),
]
assert len(CASES) >= 50


def _send(client: FeedClient, frame) -> None:
    if isinstance(frame, tuple):
        client.ws.send(frame[1], text=True)
    else:
        client.send_raw(frame)


def run_case(url: str, token: str, case: Case, acks: list[p.CommandAck]) -> None:
    client = FeedClient(url, token)
    good = client.command(Action.REPORT, node=GRID, category="10103", urgency=Urgency.NORMAL,
                          source=Source.GRID_WORKER, description="barrage")
    assert isinstance(good, p.CommandAck), good
    acks.append(good)
    for frame in case.frames:
        _send(client, frame)
    if case.expect == CLOSE:
        with pytest.raises(ConnectionClosed) as closed:
            for _ in range(100):
                client.recv(timeout=20)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == case.code, closed.value
        return
    got: list = []
    while len(got) < case.count:
        msg = client.recv(timeout=30)
        if isinstance(msg, p.Heartbeat):
            continue
        got.append(msg)
    codes = case.code if isinstance(case.code, tuple) else (case.code,)
    for msg in got:
        if isinstance(msg, case.also):
            continue
        if case.expect == E:
            assert isinstance(msg, p.Error) and msg.code in codes, (case.name, msg)
        elif case.expect == CE:
            assert isinstance(msg, (p.CommandAck, p.CommandError)), (case.name, msg)
        elif case.expect == ANSWER:
            assert isinstance(msg, case.code), (case.name, msg)
        else:  # a command flood: every command answered, acked or throttled
            assert isinstance(msg, p.CommandAck) or msg.code == C.THROTTLED, (case.name, msg)
            if isinstance(msg, p.CommandAck):
                acks.append(msg)
    if case.expect == CE:
        assert isinstance(got[-1], p.CommandError) and got[-1].code in codes, (case.name, got[-1])
        acks.extend(m for m in got if isinstance(m, p.CommandAck))
    client.send(p.Ping(t=9.0))  # the connection is still fine
    assert isinstance(client.pump(lambda: next((m for m in client.other if isinstance(m, p.Pong)), None)), p.Pong)
    client.close()


def check_stream(store: Store, acks: list[p.CommandAck], url: str, token: str) -> None:
    epoch, head = store.head()
    events = store.events_after(0, head + 10)
    assert [e.seq for e in events] == list(range(1, head + 1))  # gap-free
    by_seq = {e.seq: e for e in events}
    for ack in acks:
        assert ack.seq in by_seq and by_seq[ack.seq].case.id == ack.case_id and by_seq[ack.seq].epoch == epoch
    assert isinstance(FeedClient(url, token).welcome, p.Welcome)  # the hub is still up


def small_city(store: Store) -> None:
    store.import_nodes([
        NodeInfo(code="37", name="山东省", level=0, parent=None),
        NodeInfo(code="3702", name="青岛市", level=1, parent="37"),
        NodeInfo(code="370202", name="市南区", level=2, parent="3702"),
        NodeInfo(code=STREET, name="香港中路街道", level=3, parent="370202"),
        NodeInfo(code="370202002", name="八大湖街道", level=3, parent="370202"),
        NodeInfo(code=STREET + "001", name="社区", level=4, parent=STREET),
        NodeInfo(code=GRID, name="第1网格", level=5, parent=STREET + "001"),
        NodeInfo(code="370202002001", name="社区", level=4, parent="370202002"),
        NodeInfo(code="370202002001001", name="第1网格", level=5, parent="370202002001"),
    ])


@pytest.fixture(scope="module")
def barrage_hub(tmp_path_factory):
    from domain.rules import default_rules

    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('barrage') / 'hub.db'}", require_current=False)
    store.migrate()
    small_city(store)
    token = store.add_user("值班员", "operator", STREET)[1]
    acks: list[p.CommandAck] = []
    with HubThread(store, rules=default_rules(), heartbeat_interval=60) as hub:
        yield hub, store, token, acks
    store.close()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_malformed_input(barrage_hub, case: Case):
    hub, _, token, acks = barrage_hub
    run_case(hub.url, token, case, acks)


def test_after_the_barrage_the_stream_is_whole_and_the_hub_is_up(barrage_hub):
    hub, store, token, acks = barrage_hub
    assert acks  # the cases above ran first in this module
    check_stream(store, acks, hub.url, token)


def test_barrage_on_each_store(store, rules):
    small_city(store)
    token = store.add_user("值班员", "operator", STREET)[1]
    acks: list[p.CommandAck] = []
    with HubThread(store, rules=rules, heartbeat_interval=60) as hub:
        for case in CASES:
            run_case(hub.url, token, case, acks)
        check_stream(store, acks, hub.url, token)
