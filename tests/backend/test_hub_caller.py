"""The caller (诉求人) over a real hub: stored in full, masked per role in feed, snapshot, history and answers."""

from __future__ import annotations

import pytest

from backend.embedded import HubThread
from domain import protocol as p
from domain.model import Action, Source, Urgency
from tests.backend.feedclient import FeedClient

STREET = "370202001"
GRID = "370202001001001"
CALLER = {"caller_name": "张三明", "caller_phone": "13812341234", "ticket_no": "GD20261203001"}


@pytest.fixture
def hub(store, rules):
    with HubThread(store, rules=rules, heartbeat_interval=5.0) as running:
        yield running


@pytest.fixture
def tokens(store):
    return {key: store.add_user(f"user-{key}", role, scope, dept)[1] for key, (role, scope, dept) in {
        "op": ("operator", STREET, None), "sup": ("supervisor", "3702", None), "wall": ("wall", "3702", None),
        "dept": ("department", "3702", "szyl"), "worker": ("grid_worker", GRID, None),
    }.items()}


def _seen(client: FeedClient, case_id: str):
    """The case as ``client`` sees it: in its snapshot, in its live feed and in its history."""
    begin, chunks, _ = client.subscribe(STREET if client.welcome.user.role.value != "grid_worker" else GRID)
    [snap] = [c for chunk in chunks for c in chunk.cases if c.id == case_id]
    client.send(p.HistoryRequest(case_id=case_id))
    history = client.pump(lambda: next((m for m in client.other if isinstance(m, p.History)), None))
    return snap, history.events[0].case


def test_caller_is_full_for_operators_and_supervisors_masked_for_wall_department_and_worker(hub, tokens, store):
    op = FeedClient(hub.url, tokens["op"])
    op.subscribe(STREET)
    ack = op.command(Action.REPORT, node=GRID, category="10103", urgency=Urgency.NORMAL, source=Source.HOTLINE,
                     description="井盖缺失", **CALLER)
    assert isinstance(ack, p.CommandAck), ack
    assert (ack.case.caller_name, ack.case.caller_phone, ack.case.ticket_no) == ("张三明", "13812341234",
                                                                                 "GD20261203001")
    stored = store.case(ack.case_id)
    assert (stored.caller_name, stored.caller_phone) == ("张三明", "13812341234")
    op.pump(lambda: any(e.event.case_id == ack.case_id for e in op.events))
    report_event = next(e for e in op.events if e.event.case_id == ack.case_id)
    assert report_event.case.caller_phone == "13812341234"
    assert "caller_phone" not in report_event.event.detail and report_event.event.detail["ticket_no"] == "GD20261203001"

    op.command(Action.ACCEPT, ack.case_id, expected_version=1)
    op.command(Action.DISPATCH, ack.case_id, expected_version=2, department="szyl")
    version = 3
    for key, full in (("sup", True), ("wall", False), ("dept", False), ("worker", False)):
        client = FeedClient(hub.url, tokens[key])
        snap, hist = _seen(client, ack.case_id)
        for case in (snap, hist):
            if full:
                assert (case.caller_name, case.caller_phone) == ("张三明", "13812341234"), key
            else:
                assert (case.caller_name, case.caller_phone) == ("张*明", "138****1234"), key
            assert case.ticket_no == "GD20261203001"
        # A live event is masked the same way.
        done = op.command(Action.ACKNOWLEDGE, ack.case_id, expected_version=version, message=f"已阅 {key}")
        assert isinstance(done, p.CommandAck), done
        version = done.version
        live = client.pump(lambda c=client, text=f"已阅 {key}": next(
            (e for e in c.events if e.event.kind is Action.ACKNOWLEDGE and e.event.detail.get("message") == text),
            None))
        assert live.case.caller_phone == ("13812341234" if full else "138****1234"), key
        client.close()
    op.close()


def test_a_worker_reporting_a_caller_sees_the_answer_masked(hub, tokens):
    worker = FeedClient(hub.url, tokens["worker"])
    ack = worker.command(Action.REPORT, node=GRID, category="10103", urgency=Urgency.NORMAL, source=Source.RESIDENT,
                         **CALLER)
    assert isinstance(ack, p.CommandAck), ack
    assert (ack.case.caller_name, ack.case.caller_phone) == ("张*明", "138****1234")


def test_a_bad_phone_is_invalid_and_names_the_field(hub, tokens):
    op = FeedClient(hub.url, tokens["op"])
    err = op.command(Action.REPORT, node=GRID, category="10103", urgency=Urgency.NORMAL, source=Source.HOTLINE,
                     caller_phone="call me")
    assert isinstance(err, p.CommandError) and err.code is p.ErrorCode.INVALID
    assert err.detail["field"] == "caller_phone"
