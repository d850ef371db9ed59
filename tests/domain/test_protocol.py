"""The wire protocol: round trips, precise errors for every kind of bad frame, doc ↔ code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import protocol as p
from domain.aggregates import NodeAggregate
from domain.catalog import Department
from domain.city import GridPortrait, NodeInfo
from domain.gridwork import wire as gw
from domain.indicators import Counts
from domain.model import (
    Action,
    Args,
    Assist,
    Callback,
    Case,
    ClockKind,
    ClockStage,
    DomainEvent,
    Request,
    RequestKind,
    Role,
    Satisfaction,
    SlaLimit,
    SlaState,
    Source,
    State,
    Supervision,
    Urgency,
)
from domain.periods import Period, PeriodKind
from domain.reporting import ReportRow, ReportTable
from domain.search import SearchFilter

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"

CASE = Case(
    id="c-1", node="370202001001001", category="20151", urgency=Urgency.URGENT, source=Source.HOTLINE,
    state=State.IN_PROGRESS, version=5, reported_at=1778548325.0, reported_by="gw-1", description="井盖缺失",
    department="smyl", dispatched_at=1778549500.0, sla_limit=SlaLimit(ClockKind.NATURAL_HOURS, 2.0),
    deadline=1778556700.0, sla_state=SlaState.WARNING, urge_count=1, urge_times=(1778550000.0,),
    supervision=Supervision(level=2, reason="群众反复投诉", due=1778560000.0, by="sup-1", at=1778551000.0),
)
EVENT = DomainEvent(kind=Action.URGE, case_id="c-1", at=1778550000.0, actor="op-1", role=Role.OPERATOR,
                    version=5, detail={"message": "请加快", "nested": {"n": [1, 2.5, None, True]}})
FEED = p.FeedEvent(seq=10, epoch="e1", event=EVENT, case=CASE)
# The practised loop's fields (§18): a co-handled, reopened case with a decided request and a callback.
LOOP_CASE = msgspec.structs.replace(
    CASE, stage_deadline=1778549300.0, stage_warning_at=1778549120.0, stage_sla=SlaState.OVERDUE,
    stages_late=(ClockStage.ACCEPT, ClockStage.SIGN), suspended_until=1778810000.0, reopen_count=1, assignee="u-1",
    sign_deadline=1778551300.0, sign_warning_at=1778550940.0, sign_sla=SlaState.OVERDUE,
    request=Request(kind=RequestKind.SUSPEND, reason="等配件", by="d-1", at=1.0, until=2.0, approved=False,
                    answer="不同意", decided_by="op-1", decided_at=3.0),
    assists=(Assist(department="sthj", signed_at=4.0, report="已检测", reported_at=5.0), Assist(department="cg")),
    callback=Callback(satisfaction=Satisfaction.DISSATISFIED, by="op-1", at=6.0, message="仍松动"),
)
LOOP_FEED = p.FeedEvent(seq=11, epoch="e1", event=EVENT, case=LOOP_CASE)
AGG = NodeAggregate("370202001", by_state={"in_progress": 1}, by_sla={"warning": 1}, by_urgency={"urgent": 1},
                    supervised=1, hourly_reported={494041: 1}, hourly_closed={494042: 2},
                    hourly_closed_on_time={494042: 1})

CLIENT_SAMPLES = [
    p.Command(id="k-9", action=Action.DISPATCH, case_id="c-1", expected_version=2,
              args=Args(department="szyl", assist=("sthj", "cg"))),
    p.Command(id="k-10", action=Action.REQUEST, case_id="c-1", expected_version=2,
              args=Args(request=RequestKind.SUSPEND, reason="r", until=2.0)),
    p.Command(id="k-11", action=Action.CALLBACK, case_id="c-1", expected_version=2,
              args=Args(satisfaction=Satisfaction.SATISFIED)),
    p.Command(id="k-12", action=Action.DELEGATE, case_id="c-1", expected_version=2, args=Args(to_level=4, reason="r")),
    p.Hello(protocol=2, client_id="console-1", client_name="席位 2"),
    p.Hello(protocol=2, client_id="c"),
    p.Subscribe(scope="370202001"),
    p.Subscribe(scope="37", resume=p.Resume(epoch="e1", seq=41)),
    p.Unsubscribe(),
    p.Command(id="k-1", action=Action.REPORT, args=Args(node="370202001001001", category="20151",
                                                        urgency=Urgency.NORMAL, source=Source.RESIDENT)),
    p.Command(id="k-2", action=Action.VERIFY, case_id="c-1", expected_version=5, args=Args(passed=False)),
    p.Ping(t=1778552100.25),
    p.DirectoryRequest(scope="370202"),
    p.HistoryRequest(case_id="c-1"),
    p.ReportRequest(request_id="r-1", node="370202", period="month", start=1778552100.0, group_by=["street"]),
    p.GridworkQuery(id="q-1", query=gw.PortraitQuery(scope="370202001001001")),
    p.GridworkCommand(id="g-1", op=gw.LogVisit(person_id="p-1", notes="好", problem=gw.ProblemIn(
        category="21201", description="助餐"))),
    p.GeometryRequest(scope="3702", level=5),
    p.GeometryRequest(scope="370202", level=3, tolerance=0.0002),
    p.Command(id="k-4", action=Action.REPORT, args=Args(node="370202001001001", category="20151",
                                                        urgency=Urgency.NORMAL, source=Source.RESIDENT,
                                                        lon=120.3861, lat=36.0642)),
    p.Command(id="k-5", action=Action.REPORT, args=Args(node="370202001001001", category="10103",
                                                        urgency=Urgency.NORMAL, source=Source.HOTLINE,
                                                        caller_name="张三明", caller_phone="13812345678",
                                                        ticket_no="GD1", condition="1010301")),
    p.SearchRequest(request_id="s-1", filter=SearchFilter(phone="5678", states=[State.CLOSED], category="101"),
                    offset=50, limit=200),
    p.SearchRequest(request_id="s-2"),
    p.DuplicatesRequest(request_id="d-1", node="370202001001001", category="10103", hours=24.0),
    p.UsersRequest(request_id="u-1", department="szyl"),
]
SERVER_SAMPLES = [
    p.Welcome(protocol=2, server="hub", user=p.UserInfo("op-1", "王晓", Role.OPERATOR, "370202001"), epoch="e1",
              head_seq=9, heartbeat_interval=15.0, server_time=1778552100.5, limits=p.Limits.default()),
    p.SnapshotBegin(scope="370202001", epoch="e1", seq=9, total_cases=1, total_chunks=1, aggregates_count=1),
    p.SnapshotChunk(index=0, cases=[CASE], aggregates=[AGG]),
    p.SnapshotEnd(seq=9),
    p.Events(epoch="e1", upto=12, events=[FEED]),
    p.Events(epoch="e1", upto=12, events=[LOOP_FEED]),
    p.Resumed(epoch="e1", from_seq=5, to_seq=9),
    p.SnapshotRequired(reason="epoch changed", epoch="e2"),
    p.CommandAck(command_id="k-2", case_id="c-1", version=5, seq=10, case=CASE, replayed=True),
    p.CommandError(command_id="k-3", code=p.ErrorCode.CONFLICT, message="stale", detail={"current_version": 6}),
    p.Error(code=p.ErrorCode.BAD_FRAME, message="not JSON"),
    p.Error(code=p.ErrorCode.INVALID, message="x", ref="k-9"),
    p.Pong(t=1.5, server_time=2.0),
    p.Heartbeat(server_time=3.0, head_seq=12),
    p.Directory(scope="370202001", nodes=[
        NodeInfo(code="370202001", name="香港中路街道", level=3, parent="370202", center=(120.38, 36.06)),
        NodeInfo(code="370202001001", name="浮山所社区", level=4, parent="370202001"),
        NodeInfo(code="370202001001001", name="浮山所社区第1网格", level=5, parent="370202001001",
                 portrait=GridPortrait(households=412, residents=1073, special_care={"elderly_alone": 9},
                                       buildings=14, shops=22, area_km2=0.12)),
    ], departments=[Department(code="cg", name="城管", kind="government")]),
    p.History(case_id="c-1", events=[FEED]),
    p.Report(request_id="r-1", chunk=0, chunks=1, node="370202", node_name="市南区",
             period=Period(PeriodKind.MONTH, 1777564800.0, 1780243200.0), as_of=1778552100.0,
             total=Counts(reported=10, due=10, on_time=4, late=6), previous_total=Counts(),
             tables=[ReportTable("street", [ReportRow("370202001", "香港中路街道", Counts(due=10, on_time=4),
                                                      score=61.5, rank=1)])]),
    p.GridworkAnswer(id="g-1", result=gw.Done(op="log_visit", record_id="c/g-1", case_ids=["c-2"])),
    p.GridworkAnswer(id="q-2", code=p.ErrorCode.FORBIDDEN, message="outside"),
    p.Geometry(scope="370202", level=3, tolerance=0.0002, index=0, total_chunks=1, outlines=[
        p.Outline("370202001", [[120.37, 36.05, 120.39, 36.05, 120.39, 36.07, 120.37, 36.07]])]),
    p.CommandAck(command_id="k-4", case_id="c-2", version=1, seq=11,
                 case=msgspec.structs.replace(CASE, lon=120.3861, lat=36.0642)),
    p.SearchResult(request_id="s-1", total=51, offset=50,
                   cases=[msgspec.structs.replace(CASE, caller_name="张*明", caller_phone="138****5678")]),
    p.SearchResult(request_id="s-2", code=p.ErrorCode.FORBIDDEN, message="masked"),
    p.Duplicates(request_id="d-1", cases=[CASE]),
    p.Duplicates(request_id="d-2", code=p.ErrorCode.THROTTLED, message="later"),
    p.Users(request_id="u-1", department="szyl", users=[p.UserEntry("u-3f2a9c1d", "张工", Role.DEPARTMENT)]),
    p.Users(request_id="u-2", department="sthj", code=p.ErrorCode.FORBIDDEN, message="not yours"),
]


def test_samples_cover_every_message_type():
    assert {type(m) for m in CLIENT_SAMPLES} == set(p.CLIENT_MESSAGES)
    assert {type(m) for m in SERVER_SAMPLES} == set(p.SERVER_MESSAGES)


@pytest.mark.parametrize("msg", CLIENT_SAMPLES, ids=lambda m: type(m).__name__)
def test_client_messages_round_trip(msg):
    data = p.encode(msg)
    assert json.loads(data)["type"] == p.tag_of(type(msg))
    assert p.decode_client(data) == msg
    assert p.decode_client(data.decode()) == msg  # websockets hands text frames over as str
    with pytest.raises(p.ProtocolError) as err:
        p.decode_server(data)
    assert err.value.code == p.ErrorCode.UNKNOWN_TYPE


@pytest.mark.parametrize("msg", SERVER_SAMPLES, ids=lambda m: type(m).__name__)
def test_server_messages_round_trip(msg):
    data = p.encode(msg)
    assert p.decode_server(data) == msg
    assert p.decode_server(bytearray(data)) == msg
    with pytest.raises(p.ProtocolError) as err:
        p.decode_client(data)
    assert err.value.code == p.ErrorCode.UNKNOWN_TYPE


def test_server_messages_tolerate_unknown_fields_but_client_messages_do_not():
    extra = json.loads(p.encode(p.Heartbeat(server_time=1.0, head_seq=2)))
    extra["added_in_a_later_hub"] = {"x": 1}
    assert p.decode_server(json.dumps(extra)) == p.Heartbeat(server_time=1.0, head_seq=2)
    with pytest.raises(p.ProtocolError) as err:
        p.decode_client('{"type": "ping", "t": 1.0, "tt": 2}')
    assert err.value.code == p.ErrorCode.INVALID
    assert "unknown field `tt`" in err.value.message


def _code(frame, side=p.decode_client):
    with pytest.raises(p.ProtocolError) as err:
        side(frame)
    return err.value.code


DEEP = b'{"type": "hello", "protocol": ' + b"[" * 30000 + b"]" * 30000 + b', "client_id": "a"}'


@pytest.mark.parametrize(
    "frame, code",
    [
        (b"not json", "bad_frame"),
        (b"", "bad_frame"),
        (b"[1, 2]", "bad_frame"),
        (b'"hello"', "bad_frame"),
        (b"42", "bad_frame"),
        (b"null", "bad_frame"),
        (b'{"type": "ping", "t": 1.0} trailing', "bad_frame"),
        (b'{"type": "ping", "t": 1.0', "bad_frame"),
        (b'\xff\xfe{"type": "ping", "t": 1.0}', "bad_frame"),
        (b'{"type": "ping", "t": 1.0, "x": "\xc3\x28"}', "bad_frame"),
        ('{"type": "hello", "protocol": 1, "client_id": "\ud800"}', "bad_frame"),
        (b"[" * 60000, "bad_frame"),
        (DEEP, "bad_frame"),
        (b"{}", "unknown_type"),
        (b'{"type": 7}', "unknown_type"),
        (b'{"type": null}', "unknown_type"),
        (b'{"type": "teleport"}', "unknown_type"),
        (b'{"type": "welcome"}', "unknown_type"),
        (b'{"type": "hello"}', "invalid"),
        (b'{"type": "hello", "protocol": "1", "client_id": "a"}', "invalid"),
        (b'{"type": "hello", "protocol": -1, "client_id": "a"}', "invalid"),
        (b'{"type": "hello", "protocol": 1, "client_id": ""}', "invalid"),
        (b'{"type": "hello", "protocol": 1, "client_id": "' + b"a" * 65 + b'"}', "invalid"),
        (b'{"type": "hello", "protocol": ' + b"9" * 4000 + b', "client_id": "a"}', "invalid"),
        (b'{"type": "subscribe", "scope": "3702020"}', "invalid"),
        (b'{"type": "subscribe", "scope": "37", "resume": {"epoch": "e", "seq": -1}}', "invalid"),
        (b'{"type": "subscribe", "scope": "37", "resume": {"epoch": "e", "seq": 1, "x": 0}}', "invalid"),
        (b'{"type": "command", "id": "k", "action": "fly"}', "invalid"),
        (b'{"type": "command", "id": "k", "action": "accept", "args": {"bogus": 1}}', "invalid"),
        (b'{"type": "command", "id": "k", "action": "accept", "args": [[[[[1]]]]]}', "invalid"),
        (b'{"type": "command", "id": "k", "action": "accept", "expected_version": 1e400}', "invalid"),
        (b'{"type": "ping", "t": "now"}', "invalid"),
        (b'{"type": "unsubscribe", "please": true}', "invalid"),
    ],
)
def test_malformed_client_frames_get_the_right_code(frame, code):
    assert _code(frame) == p.ErrorCode(code)


def test_invalid_field_message_carries_msgspec_path_and_command_id():
    frame = '{"type": "command", "id": "k-7", "action": "accept", "case_id": "c-1", "expected_version": "3"}'
    with pytest.raises(p.ProtocolError) as err:
        p.decode_client(frame)
    e = err.value
    assert e.code == p.ErrorCode.INVALID
    assert "got `str` - at `$.expected_version`" in e.message
    assert e.ref == "k-7"
    assert e.to_error() == p.Error(code=p.ErrorCode.INVALID, message=e.message, ref="k-7")


def test_huge_integers_are_rejected_with_their_path():
    frame = b'{"type": "command", "id": "k", "action": "accept", "expected_version": ' + b"9" * 40 + b"}"
    with pytest.raises(p.ProtocolError) as err:
        p.decode_client(frame)
    assert err.value.code == p.ErrorCode.INVALID
    assert "`$.expected_version`" in err.value.message


def _command_of_size(size: int) -> bytes:
    base = p.encode(p.Command(id="k", action=Action.REPORT, args=Args(description="")))
    return base.replace(b'"description":""', b'"description":"' + b"x" * max(0, size - len(base)) + b'"')


def test_size_limit_is_checked_before_decoding_and_is_inclusive():
    at_limit = _command_of_size(p.MAX_FRAME_BYTES)
    assert len(at_limit) == p.MAX_FRAME_BYTES
    base = len(_command_of_size(0))
    assert p.decode_client(at_limit).args.description == "x" * (p.MAX_FRAME_BYTES - base)
    assert _code(_command_of_size(p.MAX_FRAME_BYTES + 1)) == p.ErrorCode.TOO_LARGE
    assert _code(b"[" * (p.MAX_FRAME_BYTES + 1)) == p.ErrorCode.TOO_LARGE  # never parsed


def test_size_limit_counts_utf8_bytes_of_text_frames():
    text = '{"type": "ping", "t": 1, "pad": "' + "中" * (p.MAX_FRAME_BYTES // 3) + '"}'
    assert len(text) < p.MAX_FRAME_BYTES < len(text.encode())
    assert _code(text) == p.ErrorCode.TOO_LARGE


def test_server_frames_have_their_own_larger_limit():
    chunk = p.SnapshotChunk(index=0, cases=[CASE] * 200, aggregates=[])
    data = p.encode(chunk)
    assert p.MAX_FRAME_BYTES < len(data) < p.MAX_SERVER_FRAME_BYTES
    assert p.decode_server(data) == chunk
    assert _code(b" " * (p.MAX_SERVER_FRAME_BYTES + 1), p.decode_server) == p.ErrorCode.TOO_LARGE


def test_encode_and_decode_refuse_what_is_not_a_message_or_a_frame():
    with pytest.raises(TypeError, match="protocol message"):
        p.encode(CASE)
    with pytest.raises(TypeError, match="str or bytes"):
        p.decode_client(123)


# ---- fuzzing: nothing but ProtocolError ever escapes -------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def _decodes_or_protocol_error(frame, side):
    try:
        msg = side(frame)
    except p.ProtocolError as exc:
        assert isinstance(exc.code, p.ErrorCode) and exc.message
        return None
    assert isinstance(msg, p.ClientMessage if side is p.decode_client else p.ServerMessage)
    return msg


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_random_bytes(frame):
    _decodes_or_protocol_error(frame, p.decode_client)
    _decodes_or_protocol_error(frame, p.decode_server)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_random_text(frame):
    _decodes_or_protocol_error(frame, p.decode_client)
    _decodes_or_protocol_error(frame, p.decode_server)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_fuzz_random_json(value):
    frame = json.dumps(value)
    _decodes_or_protocol_error(frame, p.decode_client)
    _decodes_or_protocol_error(frame, p.decode_server)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(CLIENT_SAMPLES + SERVER_SAMPLES), st.data())
def test_fuzz_valid_messages_with_one_field_replaced(msg, data):
    obj = json.loads(p.encode(msg))
    key = data.draw(st.sampled_from(sorted(obj) + ["extra"]))
    obj[key] = data.draw(json_values)
    frame = json.dumps(obj)
    side = p.decode_client if isinstance(msg, p.ClientMessage) else p.decode_server
    try:
        side(frame)
    except p.ProtocolError as exc:
        expected = {p.ErrorCode.INVALID, p.ErrorCode.UNKNOWN_TYPE}
        assert exc.code in expected, exc


# ---- building the hub's frames ---------------------------------------------------------------
def test_snapshot_messages_chunk_cases_and_aggregates_alike():
    cases = [msgspec.structs.replace(CASE, id=f"c-{i}") for i in range(5)]
    aggs = [NodeAggregate(f"37020200100{i}") for i in range(1, 8)]
    msgs = list(p.snapshot_messages("370202001", "e1", 40, cases, aggs, chunk=2))
    begin, chunks, end = msgs[0], msgs[1:-1], msgs[-1]
    assert begin == p.SnapshotBegin(scope="370202001", epoch="e1", seq=40, total_cases=5, total_chunks=4,
                                    aggregates_count=7)
    assert [c.index for c in chunks] == [0, 1, 2, 3]
    assert [x for c in chunks for x in c.cases] == cases
    assert [x for c in chunks for x in c.aggregates] == aggs
    assert end == p.SnapshotEnd(seq=40)
    empty = list(p.snapshot_messages("37", "e1", 0, [], []))
    assert [type(m) for m in empty] == [p.SnapshotBegin, p.SnapshotChunk, p.SnapshotEnd]
    assert empty[0].total_chunks == 1


def test_event_batches_split_and_carry_upto_on_the_last():
    feed = [msgspec.structs.replace(FEED, seq=s) for s in (3, 5, 8, 9, 12)]
    frames = list(p.event_batches("e1", feed, upto=20, batch=2))
    assert [[e.seq for e in f.events] for f in frames] == [[3, 5], [8, 9], [12]]
    assert [f.upto for f in frames] == [5, 9, 20]
    assert list(p.event_batches("e1", [], upto=7)) == [p.Events(epoch="e1", upto=7, events=[])]
    with pytest.raises(ValueError, match="below the last event"):
        list(p.event_batches("e1", feed, upto=11))


def test_close_codes_say_whether_to_reconnect():
    assert p.CloseCode.SLOW_CONSUMER.reconnect and p.CloseCode.GOING_AWAY.reconnect
    assert not p.CloseCode.UNAUTHORIZED.reconnect and not p.CloseCode.VERSION_UNSUPPORTED.reconnect
    assert p.CloseCode.SLOW_CONSUMER == 4008 and p.CloseCode.GOING_AWAY == 1001


def test_wire_error_codes_include_the_domain_codes():
    errors = pytest.importorskip("domain.errors")
    assert {c.value for c in errors.ErrorCode} <= {c.value for c in p.ErrorCode}


# ---- docs/protocol.md and the code cannot drift --------------------------------------------------
def _doc_examples() -> list[str]:
    return re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_every_doc_example_decodes_with_the_real_decoder():
    examples = _doc_examples()
    assert examples, "docs/protocol.md has no ```json examples"
    client_tags = {p.tag_of(c) for c in p.CLIENT_MESSAGES}
    seen = set()
    for text in examples:
        kind = json.loads(text)["type"]
        side = p.decode_client if kind in client_tags else p.decode_server
        msg = side(text)
        assert side(p.encode(msg)) == msg
        seen.add(kind)
    all_tags = client_tags | {p.tag_of(c) for c in p.SERVER_MESSAGES}
    assert seen == all_tags, f"no example in docs/protocol.md for: {sorted(all_tags - seen)}"


def test_doc_examples_decode_strictly_without_unknown_fields():
    """Tolerant decoding would hide a misspelt field in a server example; check them strictly."""
    for text in _doc_examples():
        obj = json.loads(text)
        cls = next(c for c in p.CLIENT_MESSAGES + p.SERVER_MESSAGES if p.tag_of(c) == obj["type"])
        fields = set(cls.__struct_fields__) | {"type"}
        assert set(obj) <= fields, f"{obj['type']}: unknown fields {set(obj) - fields}"


def test_doc_lists_every_error_code_and_close_code():
    doc = DOC.read_text(encoding="utf-8")
    for code in p.ErrorCode:
        assert f"| `{code.value}` |" in doc, f"error code {code.value} is not in the table of docs/protocol.md"
    for close in p.CloseCode:
        assert f"| {int(close)} |" in doc, f"close code {int(close)} is not in the table of docs/protocol.md"
