"""The replica against the truth: incremental aggregates equal a recomputation, every event lands once."""

from __future__ import annotations

import random

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend_client.replica import RECENT_SECONDS, Changes, Replica, ReplicaError
from domain import protocol as p
from domain.aggregates import recompute
from domain.model import TERMINAL_STATES, Action, DomainEvent, Role, SlaState, State, Urgency
from tests.backend_client.factories import GRIDS, T0, make_case
from tests.backend_client.streams import FeedStream, snapshot_frames

SCOPES = ["", "37", "370202", "370202001", "370203001001"]


def load(replica: Replica, frames) -> Changes:
    begin, *chunks, end = frames
    replica.apply_snapshot_begin(begin)
    for chunk in chunks:
        replica.apply_snapshot_chunk(chunk)
    return replica.apply_snapshot_end(end)


def feed(seq, case, kind=Action.REPORT, epoch="ep-1", at=None):
    event = DomainEvent(kind=kind, case_id=case.id, at=at or case.reported_at, actor="u1", role=Role.OPERATOR,
                        version=case.version)
    return p.FeedEvent(seq=seq, epoch=epoch, event=event, case=case)


def run_stream(seed: int, scope: str, n_events: int, batch_max: int, replay_share: float):
    """Feed a replica a snapshot then ``n_events`` events in random batches, some resent; return both sides."""
    rng = random.Random(seed ^ 0x5EED)
    stream = FeedStream(seed)
    initial = stream.initial(200)
    replica = Replica(scope)
    load(replica, snapshot_frames(scope, stream, initial))
    events = list(stream.events(n_events))
    applied: list[int] = []
    i = 0
    while i < len(events):
        size = rng.randint(1, batch_max)
        start = i - rng.randint(1, min(i, 40)) if i and rng.random() < replay_share else i
        batch = events[start:i + size]
        changes = replica.apply_events(batch, upto=batch[-1].seq, epoch=stream.epoch)
        applied.extend(fe.seq for fe in changes.events)
        i += size
        if rng.random() < 0.05:
            replica.prune(events[min(i, len(events)) - 1].event.at)
    replica.prune(stream.now)
    return stream, replica, events, applied


def check_against_truth(stream: FeedStream, replica: Replica, events, applied, scope: str) -> None:
    now = stream.now
    truth = stream.in_scope(scope)
    assert replica.aggregates.to_list() == recompute(truth, scope, now=now).to_list()
    assert applied == [fe.seq for fe in events if fe.case.node.startswith(scope)]  # once each, in order
    assert replica.seq == stream.seq  # the out-of-scope events still move the resume point
    visible = {c.id for c in truth
               if c.state not in TERMINAL_STATES or (c.updated_at or 0) >= now - RECENT_SECONDS}
    assert set(replica.cases) == visible
    for cid in visible:
        assert replica.cases[cid] == stream.cases[cid]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), scope=st.sampled_from(SCOPES), batch_max=st.integers(1, 500),
       replay_share=st.floats(0, 0.5))
def test_incremental_aggregates_equal_recompute_after_10000_events(seed, scope, batch_max, replay_share):
    stream, replica, events, applied = run_stream(seed, scope, 10_000, batch_max, replay_share)
    check_against_truth(stream, replica, events, applied, scope)


def test_ten_thousand_events_over_four_days_with_pruning():
    stream, replica, events, applied = run_stream(11, "370202", 10_000, 300, 0.2)
    assert stream.now - T0 > 3 * 86400  # long enough that hours and closed cases were pruned
    assert any(c.state is State.CLOSED for c in stream.cases.values())
    check_against_truth(stream, replica, events, applied, "370202")


def test_replaying_everything_again_changes_nothing():
    stream, replica, events, _ = run_stream(3, "370202", 2000, 100, 0.0)
    before = replica.aggregates.to_list(), dict(replica.cases), replica.seq
    again = replica.apply_events(events, upto=events[-1].seq, epoch=stream.epoch)
    assert not again
    assert (replica.aggregates.to_list(), dict(replica.cases), replica.seq) == before


def test_resume_position_and_snapshot_reset():
    stream = FeedStream(5)
    replica = Replica("370202")
    assert replica.position is None
    changes = load(replica, snapshot_frames("370202", stream, stream.initial(30), chunk=7))
    assert changes.reset and changes.added == {c.id for c in stream.in_scope("370202")}
    assert replica.position == ("ep-1", 0)
    replica.apply_events(list(stream.events(50)), upto=60, epoch="ep-1")
    assert replica.position == ("ep-1", 60)
    # A new epoch: a fresh snapshot replaces everything and reports what disappeared.
    stream2 = FeedStream(6, epoch="ep-2")
    frames = snapshot_frames("370202", stream2, stream2.initial(5), chunk=2)
    old_ids = set(replica.cases)
    changes = load(replica, frames)
    assert replica.position == ("ep-2", 0)
    assert changes.removed == old_ids - set(replica.cases) and changes.added == set(replica.cases)


def test_alerts_for_new_critical_and_newly_overdue_cases():
    replica = Replica("370202")
    stream = FeedStream(1)
    load(replica, snapshot_frames("370202", stream, []))
    crit = make_case(1, urgency=Urgency.CRITICAL)
    normal = make_case(2)
    changes = replica.apply_events([feed(1, crit), feed(2, normal)], upto=2)
    assert [(a.kind, a.case.id) for a in changes.alerts] == [("critical", crit.id)]
    late = msgspec.structs.replace(normal, version=2, state=State.IN_PROGRESS, sla_state=SlaState.OVERDUE)
    later = msgspec.structs.replace(late, version=3, urge_count=1)
    changes = replica.apply_events([feed(3, late, Action.SLA_OVERDUE), feed(4, later, Action.URGE)], upto=4)
    assert [(a.kind, a.case.id) for a in changes.alerts] == [("overdue", normal.id)]  # once, not per event
    assert changes.changed == {normal.id} and not changes.added


def test_pending_marks_until_the_answer():
    replica = Replica("370202")
    load(replica, snapshot_frames("370202", FeedStream(1), [make_case(1)]))
    changes = replica.mark_pending("cmd-1", "E00000001")
    assert changes.changed == {"E00000001"} and replica.is_pending("E00000001")
    assert replica.pending_ids == {"E00000001"}
    assert replica.clear_pending("cmd-1").changed == {"E00000001"}
    assert not replica.is_pending("E00000001") and not replica.clear_pending("cmd-1")


def test_wrong_messages_are_named():
    replica = Replica("370202")
    stream = FeedStream(2)
    with pytest.raises(ReplicaError, match="before any snapshot"):
        replica.apply_events([feed(1, make_case(1))])
    begin, c0, c1, end = snapshot_frames("370202", stream, stream.initial(40), chunk=20)
    with pytest.raises(ReplicaError, match="scope '370203'"):
        Replica("370203").apply_snapshot_begin(begin)
    replica.apply_snapshot_begin(begin)
    with pytest.raises(ReplicaError, match="chunk 1 arrived; expected chunk 0"):
        replica.apply_snapshot_chunk(c1)
    replica.apply_snapshot_chunk(c0)
    with pytest.raises(ReplicaError, match="after 1 of 2 chunks"):
        replica.apply_snapshot_end(end)
    assert load(replica, [begin, c0, c1, end]).reset
    with pytest.raises(ReplicaError, match="epoch 'other'"):
        replica.apply_events([], epoch="other")


def test_changes_merge_keeps_the_net_effect():
    a = Changes(added={"x"}, changed={"y"})
    a.merge(Changes(removed={"x", "y"}, changed={"z"}))
    assert a.added == set() and a.removed == {"y"} and a.changed == {"z"}
    a.merge(Changes(added={"y"}))
    assert a.added == {"y"} and a.removed == set()


def test_cases_outside_the_scope_are_not_held():
    replica = Replica(GRIDS[0][:9])
    load(replica, snapshot_frames(GRIDS[0][:9], FeedStream(1), []))
    inside, outside = make_case(1, node=GRIDS[0]), make_case(2, node="370211001001001")
    changes = replica.apply_events([feed(1, inside), feed(2, outside)], upto=2)
    assert changes.added == {inside.id} and set(replica.cases) == {inside.id} and replica.seq == 2


def test_a_short_step_running_late_raises_an_overdue_alert_once():
    replica = Replica("370202")
    load(replica, snapshot_frames("370202", FeedStream(1), []))
    case = make_case(3)
    replica.apply_events([feed(1, case)], upto=1)
    late = msgspec.structs.replace(case, version=2, stage_sla=SlaState.OVERDUE)  # 受理 past its 15 minutes
    again = msgspec.structs.replace(late, version=3, urge_count=1)
    changes = replica.apply_events([feed(2, late, Action.SLA_OVERDUE), feed(3, again, Action.URGE)], upto=3)
    assert [(a.kind, a.case.id) for a in changes.alerts] == [("overdue", case.id)]


def test_a_late_sign_raises_an_overdue_alert_once():
    replica = Replica("370202")
    load(replica, snapshot_frames("370202", FeedStream(1), []))
    case = make_case(4)
    replica.apply_events([feed(1, case)], upto=1)
    warned = msgspec.structs.replace(case, version=2, sign_sla=SlaState.WARNING)
    late = msgspec.structs.replace(case, version=3, sign_sla=SlaState.OVERDUE)  # not signed within the 签收 limit
    again = msgspec.structs.replace(late, version=4, urge_count=1)
    changes = replica.apply_events([feed(2, warned, Action.SLA_WARNING), feed(3, late, Action.SLA_OVERDUE),
                                    feed(4, again, Action.URGE)], upto=4)
    assert [(a.kind, a.case.id) for a in changes.alerts] == [("overdue", case.id)]
