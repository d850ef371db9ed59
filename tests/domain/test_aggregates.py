"""Node aggregates: incremental updates equal a recompute from the final cases, always."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import aggregates as ag
from domain.aggregates import AggregateError, Aggregates, NodeAggregate, recompute
from domain.hierarchy import CodeError, parent_of
from domain.model import Case, SlaState, Source, State, Supervision, Urgency

CST = timezone(timedelta(hours=8))
BASE = datetime(2026, 5, 12, 0, 0, tzinfo=CST).timestamp()  # 00:00 CST
GRIDS = [
    "370202001001001", "370202001001002", "370202001002001",
    "370202002001001", "370203001001001", "370203001001002",
]
SUP = Supervision(level=1, reason="督办", due=BASE + 86400, by="sup", at=BASE)


def make(cid, node, state, version, reported_at, urgency=Urgency.NORMAL, sla=SlaState.NONE,
         supervised=False, closed_at=None, on_time=None) -> Case:
    return Case(id=cid, node=node, category="20151", urgency=urgency, source=Source.GRID_WORKER, state=state,
                version=version, reported_at=reported_at, reported_by="gw", sla_state=sla,
                supervision=SUP if supervised else None, closed_at=closed_at, closed_on_time=on_time)


def same(a: Aggregates, b: Aggregates) -> None:
    assert a.to_list() == b.to_list()


# ---- the property ------------------------------------------------------------------------
step = st.tuples(
    st.integers(0, 7),  # which case
    st.sampled_from(list(State)),
    st.sampled_from(list(SlaState)),
    st.sampled_from(list(Urgency)),
    st.booleans(),  # supervised
    st.integers(0, 60),  # hours from report to close
    st.booleans(),  # closed on time
    st.integers(0, len(GRIDS) - 1),  # node (a later version may even move)
    st.booleans(),  # prune before this step
)


@settings(max_examples=300, deadline=None)
@given(st.lists(step, max_size=80), st.sampled_from(["", "37", "370202", "370202001"]))
def test_incremental_equals_recompute(steps, scope):
    agg = Aggregates(scope)
    current: dict[str, Case] = {}
    last_prune = None
    for k, (i, state, sla, urg, sup, close_h, on_time, node_i, prune) in enumerate(steps):
        cid = f"c{i}"
        reported = BASE + i * 7 * 3600 + 125.0
        closed = reported + close_h * 3600 if state == State.CLOSED else None
        old = current.get(cid)
        new = make(cid, GRIDS[node_i], state, (old.version + 1) if old else 1, reported, urg, sla, sup,
                   closed, on_time if closed else None)
        if prune:
            last_prune = BASE + k * 3600.0 + 3 * 86400
            agg.prune(last_prune)
        agg.apply(old, new)
        current[cid] = new
    same(agg, recompute(current.values(), scope, now=last_prune))
    horizon = None if last_prune is None else int(last_prune // 3600) - 47
    for node in {g[:n] for g in GRIDS for n in (2, 4, 6, 9, 12, 15) if n >= len(scope) and g.startswith(scope)}:
        assert agg.get(node) == naive(current.values(), node, horizon), node


def naive(cases, node: str, horizon) -> NodeAggregate:
    """An independent oracle: count straight from the cases."""
    a = NodeAggregate(node)

    def bump(d, key):
        if horizon is None or not isinstance(key, int) or key >= horizon:
            d[key] = d.get(key, 0) + 1

    for c in cases:
        if not c.node.startswith(node):
            continue
        if c.state not in (State.CLOSED, State.REJECTED, State.MERGED):
            bump(a.by_state, c.state.value)
            bump(a.by_sla, c.sla_state.value)
            bump(a.by_urgency, c.urgency.value)
            a.supervised += c.supervision is not None
        bump(a.hourly_reported, int(c.reported_at // 3600))
        if c.state == State.CLOSED:
            bump(a.hourly_closed, int(c.closed_at // 3600))
            if c.closed_on_time:
                bump(a.hourly_closed_on_time, int(c.closed_at // 3600))
    return a


def _lifecycle_stream(n_events: int, n_cases: int, seed: int):
    """Realistic versions: report, accept, dispatch, work, sla ticks, supervision, close."""
    rng = random.Random(seed)
    path = [State.REPORTED, State.ACCEPTED, State.DISPATCHED, State.IN_PROGRESS, State.RESOLVED, State.CLOSED]
    nodes = [f"3702{d:02d}{s:03d}{c:03d}{g:03d}" for d in (2, 3) for s in (1, 2) for c in (1, 2, 3) for g in (1, 2)]
    current: dict[str, Case] = {}
    t = BASE
    for _ in range(n_events):
        t += rng.uniform(0, 40)
        cid = f"c{rng.randrange(n_cases)}"
        old = current.get(cid)
        if old is None:
            new = make(cid, rng.choice(nodes), State.REPORTED, 1, t, rng.choice(list(Urgency)))
        elif old.state in (State.CLOSED, State.REJECTED, State.MERGED):
            continue
        else:
            roll = rng.random()
            if roll < 0.1:
                new = msgspec.structs.replace(old, sla_state=rng.choice([SlaState.WARNING, SlaState.OVERDUE]))
            elif roll < 0.15:
                new = msgspec.structs.replace(old, supervision=None if old.supervision else SUP)
            elif roll < 0.2 and old.state == State.REPORTED:
                new = msgspec.structs.replace(old, state=rng.choice([State.REJECTED, State.SELF_RESOLVED]))
            else:
                nxt = path[min(path.index(old.state) + 1, len(path) - 1)] if old.state in path else State.CLOSED
                new = msgspec.structs.replace(
                    old, state=nxt,
                    sla_state=SlaState.OK if nxt == State.DISPATCHED else old.sla_state,
                    closed_at=t if nxt == State.CLOSED else None,
                    closed_on_time=rng.random() < 0.8 if nxt == State.CLOSED else None,
                )
            new = msgspec.structs.replace(new, version=old.version + 1, updated_at=t)
        current[cid] = new
        yield old, new, t


def test_ten_thousand_events_incremental_equals_recompute():
    agg = Aggregates("3702")
    current = {}
    count = 0
    for old, new, _t in _lifecycle_stream(25_000, 2500, seed=7):
        agg.apply(old, new)
        current[new.id] = new
        count += 1
    assert count >= 10_000
    same(agg, recompute(current.values(), "3702"))
    city = agg.get("3702")
    assert city.open_cases == sum(1 for c in current.values() if c.state not in (State.CLOSED, State.REJECTED, State.MERGED))
    assert sum(city.hourly_reported.values()) == len(current)
    # Every node is the sum of its children.
    nodes = {a.node: a for a in agg.to_list()}
    for code, a in nodes.items():
        kids = [k for c, k in nodes.items() if len(c) > len(code) and parent_of(c) == code]
        if kids:
            assert a.open_cases == sum(k.open_cases for k in kids)
            assert a.supervised == sum(k.supervised for k in kids)
            assert sum(a.hourly_closed.values()) == sum(sum(k.hourly_closed.values()) for k in kids)


def test_snapshot_load_then_live_events_equals_recompute():
    """The hub's snapshot (to_list) loaded by a client, then the rest of the stream."""
    stream = list(_lifecycle_stream(3000, 300, seed=3))
    hub, current = Aggregates(), {}
    for old, new, _ in stream[:1500]:
        hub.apply(old, new)
        current[new.id] = new
    wire = msgspec.json.encode(hub.to_list(under="370202"))
    client = Aggregates("370202")
    client.load(msgspec.json.decode(wire, type=list[NodeAggregate]))
    for old, new, _ in stream[1500:]:
        client.apply(old, new)
        current[new.id] = new
    same(client, recompute(current.values(), "370202"))


# ---- behaviour ----------------------------------------------------------------------------
def test_a_case_counts_along_its_lineage_within_scope_only():
    agg = Aggregates("370202")
    case = make("a", GRIDS[0], State.DISPATCHED, 1, BASE + 10, Urgency.URGENT, SlaState.OK, supervised=True)
    agg.apply(None, case)
    assert [a.node for a in agg.to_list()] == ["370202", "370202001", "370202001001", "370202001001001"]
    d = agg.get("370202")
    assert (d.by_state, d.by_sla, d.by_urgency, d.supervised) == ({"dispatched": 1}, {"ok": 1}, {"urgent": 1}, 1)
    assert d.hourly_reported == {int((BASE + 10) // 3600): 1}
    agg.apply(None, make("b", "370203001001001", State.REPORTED, 1, BASE))  # another district: ignored
    assert "370203" not in agg and agg.get("3702") == NodeAggregate("3702")


def test_closing_moves_counts_from_open_to_hourly_closed():
    agg = Aggregates()
    opened = make("a", GRIDS[0], State.RESOLVED, 5, BASE, sla=SlaState.OVERDUE, supervised=True)
    agg.apply(None, opened)
    closed = msgspec.structs.replace(opened, state=State.CLOSED, version=6, closed_at=BASE + 7200, closed_on_time=False)
    agg.apply(opened, closed)
    a = agg.get("37")
    assert (a.by_state, a.by_sla, a.by_urgency, a.supervised) == ({}, {}, {}, 0)
    h = int((BASE + 7200) // 3600)
    assert (a.hourly_closed, a.hourly_closed_on_time) == ({h: 1}, {})


def test_apply_refuses_an_old_version_that_was_never_counted_and_changes_nothing():
    agg = Aggregates()
    agg.apply(None, make("a", GRIDS[0], State.REPORTED, 1, BASE))
    before = agg.to_list()
    ghost = make("a", GRIDS[0], State.DISPATCHED, 2, BASE)
    with pytest.raises(AggregateError, match="not counted at node 370202001001001"):
        agg.apply(ghost, msgspec.structs.replace(ghost, state=State.IN_PROGRESS, version=3))
    assert agg.to_list() == before
    with pytest.raises(AggregateError, match="two different cases"):
        agg.apply(make("a", GRIDS[0], State.REPORTED, 1, BASE), make("b", GRIDS[0], State.ACCEPTED, 2, BASE))
    with pytest.raises(CodeError):
        agg.apply(None, make("x", "3702020", State.REPORTED, 1, BASE))


def test_prune_drops_old_hours_and_ignores_later_updates_to_them():
    agg = Aggregates()
    old_case = make("old", GRIDS[0], State.REPORTED, 1, BASE)
    agg.apply(None, old_case)
    agg.apply(None, make("new", GRIDS[0], State.REPORTED, 1, BASE + 50 * 3600))
    now = BASE + 50 * 3600 + 60
    agg.prune(now)
    assert agg.get("37").hourly_reported == {int((BASE + 50 * 3600) // 3600): 1}
    assert agg.get("37").by_state == {"reported": 2}  # open counts are not windowed
    moved = msgspec.structs.replace(old_case, state=State.REJECTED, version=2)
    agg.apply(old_case, moved)
    assert agg.get("37").by_state == {"reported": 1}
    same(agg, recompute([moved, make("new", GRIDS[0], State.REPORTED, 1, BASE + 50 * 3600)], now=now))


def test_prune_removes_nodes_left_with_nothing():
    agg = Aggregates()
    case = make("a", GRIDS[0], State.CLOSED, 3, BASE, closed_at=BASE + 60, on_time=True)
    agg.apply(None, case)
    agg.prune(BASE + 5 * 86400)
    assert len(agg) == 0 and agg.to_list() == []


def test_load_checks_its_input():
    agg = Aggregates("370202")
    with pytest.raises(AggregateError, match="outside scope"):
        agg.load([NodeAggregate("370203")])
    with pytest.raises(AggregateError, match="twice"):
        agg.load([NodeAggregate("370202"), NodeAggregate("370202")])
    with pytest.raises(CodeError):
        agg.load([NodeAggregate("3702029")])
    src = NodeAggregate("370202", by_state={"reported": 1})
    agg.load([src])
    src.by_state["reported"] = 99  # load copies
    assert agg.get("370202").by_state == {"reported": 1}


# ---- derived views --------------------------------------------------------------------------
def _at(day: int, hour: int, minute: int = 0) -> float:
    return datetime(2026, 5, day, hour, minute, tzinfo=CST).timestamp()


def _views_fixture() -> NodeAggregate:
    agg = Aggregates()
    rows = [  # (reported, closed or None, on time)
        (_at(11, 0, 5), None, None),  # yesterday 00:05
        (_at(11, 23, 55), _at(12, 0, 30), True),  # yesterday, closed today 00:30
        (_at(12, 0, 10), _at(12, 9, 15), False),
        (_at(12, 9, 0), None, None),
        (_at(12, 9, 59), None, None),
    ]
    for i, (rep, closed, on_time) in enumerate(rows):
        state = State.CLOSED if closed else State.REPORTED
        agg.apply(None, make(f"c{i}", GRIDS[0], state, 1, rep, closed_at=closed, on_time=on_time))
    return agg.get("37")


def test_today_uses_the_cst_day_of_now():
    a = _views_fixture()
    now = _at(12, 10, 30)
    assert ag.today(a, now) == (3, 2, 1)
    assert ag.today(a, _at(12, 0, 40)) == (1, 1, 1)  # 00:10 reported, 00:30 closed on time
    assert ag.today(a, _at(11, 23, 59)) == (2, 0, 0)


def test_day_series_and_hourly_series():
    a = _views_fixture()
    now = _at(12, 10, 30)
    today = ag.day_series(a, now)
    assert len(today) == 24 and today[0] == 1 and today[9] == 2 and sum(today) == 3
    yesterday = ag.day_series(a, now, days_ago=1)
    assert yesterday[0] == 1 and yesterday[23] == 1 and sum(yesterday) == 2
    assert ag.day_series(a, now, metric="closed")[:10] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert ag.day_series(a, now, metric="closed_on_time")[0] == 1
    assert ag.hourly_series(a, now, hours=3) == [0, 2, 0]  # 08:00, 09:00, 10:00
    assert sum(ag.hourly_series(a, now, hours=48)) == 5


@pytest.mark.parametrize("call, match", [
    (lambda a: ag.hourly_series(a, 0.0, hours=49), "hours must be 1..48"),
    (lambda a: ag.hourly_series(a, 0.0, hours=0), "hours must be 1..48"),
    (lambda a: ag.day_series(a, 0.0, days_ago=2), "days_ago must be 0"),
    (lambda a: ag.day_series(a, 0.0, metric="urged"), "unknown metric 'urged'"),
])
def test_views_reject_what_is_not_kept(call, match):
    with pytest.raises(ValueError, match=match):
        call(NodeAggregate("37"))
