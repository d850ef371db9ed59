"""综合查询 and duplicate candidates over a real hub, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import time

import pytest

from backend.embedded import HubThread
from domain import protocol as p
from domain.model import Action, Actor, Role, Source, State, Urgency
from domain.search import SearchFilter
from tests.backend.conftest import DEPARTMENT, Driver
from tests.backend.feedclient import FeedClient

STREET_A, STREET_B = "370202001", "370202002"
GRID = "370202001001001"
NEIGHBOUR = "370202001001002"  # same community
FAR = "370202001002001"  # another community of the same street
DAY = 86400.0
_ids = itertools.count(1)


@pytest.fixture
def hub(store, rules):
    with HubThread(store, rules=rules, heartbeat_interval=5.0) as running:
        yield running


@pytest.fixture
def tokens(store):
    return {key: store.add_user(f"user-{key}", role, scope, dept)[1] for key, (role, scope, dept) in {
        "op_a": ("operator", STREET_A, None), "op_b": ("operator", STREET_B, None),
        "wall": ("wall", "3702", None), "dept": ("department", "3702", "szyl"), "sup": ("supervisor", "3702", None),
        "worker": ("grid_worker", GRID, None),
    }.items()}


def ask(client: FeedClient, msg):
    client.send(msg)
    kind = p.SearchResult if isinstance(msg, p.SearchRequest) else p.Duplicates
    return client.pump(lambda: next((m for m in client.other if isinstance(m, kind)
                                     and m.request_id == msg.request_id), None))


def search(client: FeedClient, offset: int = 0, limit: int = 50, **filter_):
    return ask(client, p.SearchRequest(request_id=f"s{next(_ids)}", filter=SearchFilter(**filter_),
                                       offset=offset, limit=limit))


def old_closed_case(store, rules, months: float = 4):
    """A hotline case reported, handled and closed ``months`` ago, written with those timestamps."""
    driver = Driver(store, rules)
    t = time.time() - months * 30 * DAY
    op = Actor(id="op-old", role=Role.OPERATOR, scope=STREET_A, name="老值班员")
    answer = driver.run(Action.REPORT, None, t, op, node=GRID, category="10103", urgency=Urgency.NORMAL,
                        source=Source.HOTLINE, description="路灯不亮 Street light", address="香港中路 10 号",
                        caller_name="王五", caller_phone="139-0532-7788", ticket_no="GD2026080100042")
    case = answer.case
    case = driver.step(case, Action.ACCEPT, t + 600, op)
    case = driver.step(case, Action.DISPATCH, t + 900, op, department="szyl")
    case = driver.step(case, Action.SIGN, t + 1200, DEPARTMENT)
    case = driver.step(case, Action.RESOLVE, t + 3000, DEPARTMENT, message="已修复")
    case = driver.step(case, Action.VERIFY, t + 4000, op, passed=True)
    assert case.state is State.CLOSED
    return case


def test_search_finds_a_case_closed_months_ago_by_the_callers_phone(hub, tokens, store, rules):
    old = old_closed_case(store, rules)
    op = FeedClient(hub.url, tokens["op_a"])
    for phone in ("13905327788", "139-0532-7788", "7788"):
        found = search(op, phone=phone)
        assert found.code is None, found
        assert (found.total, [c.id for c in found.cases]) == (1, [old.id]), phone
    assert found.cases[0].caller_phone == "139-0532-7788" and found.cases[0].state is State.CLOSED
    assert search(op, phone="13905327789").total == 0  # a whole number matches exactly
    assert search(op, text="STREET LIGHT").total == 1 and search(op, text="香港中路").total == 1
    assert search(op, caller_name="王").total == 1 and search(op, ticket_no="GD20260801").total == 1
    assert search(op, case_id=old.id[:6].lower()).total == 1
    assert search(op, category="101").total == 1 and search(op, category="102").total == 0
    assert search(op, states=[State.CLOSED]).total == 1 and search(op, states=[State.REPORTED]).total == 0
    assert search(op, reported_from=old.reported_at - 1, reported_to=old.reported_at + 1).total == 1
    assert search(op, reported_from=old.reported_at + 1).total == 0
    assert search(op, text="100%").total == 0  # wildcards are literal

    other = FeedClient(hub.url, tokens["op_b"])
    assert search(other, phone="13905327788").total == 0  # another street's operator finds nothing
    assert search(other, text="路灯").total == 0
    refused = search(other, node=STREET_A)
    assert refused.code is p.ErrorCode.FORBIDDEN

    sup = FeedClient(hub.url, tokens["sup"])
    assert search(sup, phone="7788").cases[0].caller_phone == "139-0532-7788"
    dept = FeedClient(hub.url, tokens["dept"])
    found = search(dept, text="路灯")  # dispatched to szyl: the department finds it, caller masked
    assert found.total == 1 and found.cases[0].caller_phone == "139****7788"
    for key in ("wall", "dept", "worker"):
        client = FeedClient(hub.url, tokens[key])
        for by in ({"phone": "7788"}, {"caller_name": "王"}):
            refused = search(client, **by)
            assert refused.code is p.ErrorCode.FORBIDDEN and refused.total == 0, (key, by)


def test_search_pages_are_stable_and_counted(hub, tokens):
    op = FeedClient(hub.url, tokens["op_a"])
    ids = []
    for i in range(7):
        ack = op.command(Action.REPORT, node=GRID, category="10103", urgency=Urgency.NORMAL, source=Source.HOTLINE,
                         description=f"第{i}件", caller_phone=f"1380000000{i}")
        ids.append(ack.case_id)
    pages = [search(op, offset=o, limit=3, text="第") for o in (0, 3, 6, 9)]
    assert [pg.total for pg in pages] == [7, 7, 7, 7]
    assert [c.id for pg in pages for c in pg.cases] == ids[::-1]
    assert search(op, phone="13800000003").cases[0].id == ids[3]
    op.send_raw('{"type": "search_request", "request_id": "big", "limit": 201}')
    err = op.pump(lambda: next((m for m in op.other if isinstance(m, p.Error)), None))
    assert err.code is p.ErrorCode.INVALID and "limit" in err.message


def test_duplicates_then_merge_into_the_chosen_candidate(hub, tokens, store, rules):
    op = FeedClient(hub.url, tokens["op_a"])
    first = op.command(Action.REPORT, node=NEIGHBOUR, category="10137", urgency=Urgency.NORMAL,
                       source=Source.GRID_WORKER, description="井盖破损")
    same = op.command(Action.REPORT, node=GRID, category="10103", urgency=Urgency.NORMAL,
                      source=Source.GRID_WORKER, description="井盖缺失")
    far = op.command(Action.REPORT, node=FAR, category="10103", urgency=Urgency.NORMAL, source=Source.GRID_WORKER)
    other_class = op.command(Action.REPORT, node=GRID, category="20102", urgency=Urgency.NORMAL,
                             source=Source.GRID_WORKER)
    assert all(isinstance(a, p.CommandAck) for a in (first, same, far, other_class))
    old = old_closed_case(store, rules, months=1)  # closed long ago: not a candidate

    dup = ask(op, p.DuplicatesRequest(request_id="d1", node=GRID, category="10103"))
    assert dup.code is None
    assert [c.id for c in dup.cases] == [same.case_id, first.case_id]  # same item and grid first
    assert old.id not in [c.id for c in dup.cases]

    # The operator files the call and merges it into the chosen candidate.
    new = op.command(Action.REPORT, node=GRID, category="10103", urgency=Urgency.NORMAL, source=Source.HOTLINE,
                     caller_name="赵六", caller_phone="13700001111", description="又有人反映井盖缺失")
    merged = op.command(Action.MERGE, new.case_id, expected_version=1, parent_id=same.case_id, reason="重复上报")
    assert isinstance(merged, p.CommandAck) and merged.case.state is State.MERGED
    assert merged.case.merged_into == same.case_id and merged.case.caller_phone == "13700001111"
    again = ask(op, p.DuplicatesRequest(request_id="d2", node=GRID, category="10103", hours=1))
    assert new.case_id not in [c.id for c in again.cases]  # a merged case is no merge target

    other = FeedClient(hub.url, tokens["op_b"])
    refused = ask(other, p.DuplicatesRequest(request_id="d3", node=GRID, category="10103"))
    assert refused.code is p.ErrorCode.FORBIDDEN and refused.cases == []
    wall = FeedClient(hub.url, tokens["wall"])
    assert ask(wall, p.DuplicatesRequest(request_id="d4", node=GRID, category="10103")).code is p.ErrorCode.FORBIDDEN
