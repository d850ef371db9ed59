"""The ingest fast paths against the plain ones on the same data: equal results.

* queue views merge the rows a frame changed into their sorted order, their own or the index's order
  of all cases shared by the views sorted alike (encoded keys, one search); a view built afresh sorts all;
* ``Aggregates.apply`` replaces a contribution in one walk up the chain; the plain way subtracts the
  old contribution along the chain, then adds the new one;
* ``contribution`` reads the enums directly; ``contribution_of`` takes the plain values;
* the replica interns the code fields of the cases it holds: equal cases, one copy of each code;
* a drain within a small time budget (the GUI timer's) ends where one unbudgeted drain ends.
"""

from __future__ import annotations

import random
import time

import msgspec
import numpy as np
import pytest

import backend_client.queue_order as queue_order
import backend_client.queue_view as queue_view
from backend_client.client import GridClient
from backend_client.queue_index import SORT_KEYS, CaseIndex, QueueView
from backend_client.replica import Replica
from domain import protocol as p
from domain.aggregates import contribution, contribution_of, recompute
from domain.queues import Queue
from tests.backend_client.factories import T0
from tests.backend_client.streams import FeedStream, snapshot_frames

SCOPE = "370202"
VIEWS = [("", Queue.ALL, "priority", False, ""), (SCOPE, Queue.ALL, "deadline", True, ""),
         ("370202001", Queue.INTAKE, "reported_at", False, ""), ("", Queue.IN_PROGRESS, "category", True, ""),
         (SCOPE, Queue.ALL, "department", False, ""), ("", Queue.ALL, "urgency", True, "井盖"),
         ("", Queue.TO_DISPATCH, "node", False, ""), ("", Queue.ALL, "state", False, ""),
         ("", Queue.ALL, "id", True, "")]


def names(code: str) -> str:
    return {"370202001": "香港中路街道"}.get(code[:9], "其他街道")


def load(replica: Replica, frames) -> None:
    begin, *chunks, end = frames
    replica.apply_snapshot_begin(begin)
    for chunk in chunks:
        replica.apply_snapshot_chunk(chunk)
    replica.apply_snapshot_end(end)


def wire(msg):
    """The message as the client receives it: encoded by the hub, decoded by the connection."""
    return p.decode_server(p.encode(msg))


def fresh_view(index: CaseIndex, node, queue, key, descending, text, shared=False):
    """A view sorted afresh on its own (``shared=False``: not from the index's shared order)."""
    view = QueueView(index, node, queue, shared=shared)
    view.sort_by(key, descending)
    view.set_filter(text)
    return view


@pytest.mark.parametrize("seed", [1, 2])
def test_views_merging_changed_rows_equal_views_sorted_afresh(seed, monkeypatch):
    """Both fast paths: views taking their rows from the index's shared orders (merged once per frame
    with encoded keys), and views merging their own rows, against views sorted from scratch."""
    merges, shared_merges = [], []
    real_merge, real_encode = queue_view.merge_sorted, queue_order.encode_keys

    def counting_merge(*args):
        merges.append(len(args[1]))
        return real_merge(*args)

    def counting_encode(keys):
        if len(keys[0]) < len(replica):  # a merge encodes the changed rows only; a full build, all of them
            shared_merges.append(len(keys[0]))
        return real_encode(keys)

    monkeypatch.setattr(queue_view, "merge_sorted", counting_merge)
    monkeypatch.setattr(queue_order, "encode_keys", counting_encode)
    rng = random.Random(seed)
    stream = FeedStream(seed, outside_share=0.0)
    replica = Replica(SCOPE)
    load(replica, [wire(m) for m in snapshot_frames(SCOPE, stream, stream.initial(1500), chunk=400)])
    index = CaseIndex(node_name=names)
    index.upsert_many(replica.cases.values())
    views = [(spec, fresh_view(index, *spec, shared=shared)) for spec in VIEWS for shared in (True, False)]
    for step in range(40):
        events = list(stream.events(rng.randint(1, 40)))
        changes = replica.apply_events(events, upto=events[-1].seq)
        if rng.random() < 0.2:  # a case leaves the replica (as a prune does)
            gone = rng.choice(list(replica.cases))
            del replica.cases[gone]
            changes.removed.add(gone)
        index.apply(changes.added, changes.changed, changes.removed, replica.cases)
        for spec, view in views[step % 3:] + views[:step % 3]:  # shared orders asked first by either kind
            view.refresh()
            afresh = fresh_view(index, *spec)
            assert view.case_ids() == afresh.case_ids(), spec
            assert all(view.row_of(cid) == afresh.row_of(cid) for cid in afresh.case_ids())
    assert len(merges) > 100  # the merge path was the one taken (not a full sort every time)
    assert len(shared_merges) > 100


def test_shared_order_follows_new_categories_and_removals():
    """A category first seen mid-stream shifts the vocabulary's ranks: the shared order by category
    is rebuilt, not merged with stale keys; removed cases leave it."""
    stream = FeedStream(4, outside_share=0.0)
    cases = stream.initial(600)
    index = CaseIndex()
    index.upsert_many(cases[:300])
    view = index.view("", Queue.ALL)
    view.sort_by("category", True)
    for case in cases[300:]:
        index.upsert(case)
        if int(case.id[-1], 16) % 3 == 0:
            index.remove(cases[int(case.id[-2:], 16) % 300].id)
        view.refresh()
        assert view.case_ids() == fresh_view(index, "", Queue.ALL, "category", True, "").case_ids()
    assert len(view) > 300


def test_encoded_keys_compare_as_the_columns_do():
    rng = random.Random(7)
    floats = [0.0, -0.0, 1.5, -1.5, float("inf"), -float("inf"), 1e-300, -1e-300, 1.7e9, 1.7e9 + 0.25]
    rows = [(rng.choice(floats), rng.randint(-3, 3), rng.choice(floats), i) for i in range(400)]
    cols = [np.array([r[j] for r in rows], dtype=np.float64 if j in (0, 2) else np.int64) for j in range(4)]
    encoded = queue_order.encode_keys(cols)
    by_bytes = sorted(range(len(rows)), key=lambda i: encoded[i])
    by_values = sorted(range(len(rows)), key=lambda i: (rows[i][0] + 0.0, rows[i][1], rows[i][2] + 0.0, rows[i][3]))
    assert by_bytes == by_values
    assert list(np.argsort(encoded, kind="stable")) == by_values


def test_aggregates_in_one_walk_equal_subtracting_then_adding():
    """``apply``'s fast paths (a new open case without the per-part loop, one count moving within one
    field, the general one-walk replacement) against the plain subtract-then-add, with the kept-hours
    window moved mid-stream past the hours some new cases are reported in."""
    stream = FeedStream(5, outside_share=0.1)
    initial = stream.initial(400)
    fast, plain = recompute(initial, SCOPE), recompute(initial, SCOPE)
    now = T0 + 3600
    fast.prune(now)  # some hours pruned: the kept-hours rule takes part
    plain.prune(now)
    held = {c.id: c for c in initial}
    for i, fe in enumerate(stream.events(3000)):
        if i == 1500:  # the stream is ~12 h past T0 here: new cases are then reported below the horizon
            now = T0 + 62 * 3600
            fast.prune(now)
            plain.prune(now)
        new, old = fe.case, held.get(fe.case.id)
        held[new.id] = new
        fast.apply(old, new)
        if old is None:
            plain._add(plain._chain(new.node), contribution(new), range(7), +1)
        else:  # the plain way: take the old contribution away along its chain, then add the new one
            plain._check_counted(old, plain._chain(old.node), contribution(old), range(7))
            plain._add(plain._chain(old.node), contribution(old), range(7), -1)
            plain._add(plain._chain(new.node), contribution(new), range(7), +1)
        assert fast.get(new.node[:9]) == plain.get(new.node[:9])
        assert fast.get(new.node) == plain.get(new.node)
    assert fast.to_list() == plain.to_list()
    assert fast.to_list() == recompute(held.values(), SCOPE, now=now).to_list()


def test_contribution_equals_contribution_of_the_plain_values():
    stream = FeedStream(9)
    cases = stream.initial(300) + [fe.case for fe in stream.events(2000)]
    for c in cases:
        assert contribution(c) == contribution_of(c.state.value, c.sla_state.value, c.urgency.value,
                                                  c.supervision is not None, c.reported_at, c.closed_at,
                                                  c.closed_on_time)


def test_held_cases_share_one_copy_of_each_code_and_equal_what_was_sent():
    stream = FeedStream(3, outside_share=0.0)
    replica = Replica(SCOPE)
    load(replica, [wire(m) for m in snapshot_frames(SCOPE, stream, stream.initial(300), chunk=100)])
    for fe in stream.events(500):
        replica.apply_events([wire(p.Events(epoch=stream.epoch, upto=fe.seq, events=[fe])).events[0]])
    truth = {cid: c for cid, c in stream.cases.items() if cid in replica.cases}
    assert len(truth) == len(replica) > 100
    assert all(msgspec.json.encode(replica.cases[cid]) == msgspec.json.encode(c) for cid, c in truth.items())
    by_node: dict[str, str] = {}
    for case in replica.cases.values():
        assert by_node.setdefault(case.node, case.node) is case.node  # one object per grid code
        assert case.category is by_node.setdefault("category:" + case.category, case.category)


def frames_of(stream: FeedStream, initial: int, events: int, per_frame: int) -> list[p.ServerMessage]:
    msgs = snapshot_frames(SCOPE, stream, stream.initial(initial), chunk=200)
    feed = list(stream.events(events))
    msgs += [p.Events(epoch=stream.epoch, upto=feed[i:i + per_frame][-1].seq, events=feed[i:i + per_frame])
             for i in range(0, len(feed), per_frame)]
    return [wire(m) for m in msgs]


def test_drains_within_a_small_budget_end_where_one_drain_ends(tmp_path):
    now = time.time()  # recent cases: the prune (its timing differs between the two) forgets none
    frames = frames_of(FeedStream(11, start=now - 3600, mean_gap=2.0, outside_share=0.0), 600, 3000, 250)
    plain = GridClient("ws://127.0.0.1:9/v1/feed", "t", SCOPE, outbox_path=tmp_path / "a.sqlite3")
    budgeted = GridClient("ws://127.0.0.1:9/v1/feed", "t", SCOPE, outbox_path=tmp_path / "b.sqlite3")
    try:
        plain.inbox.extend(frames)
        plain.drain()
        snapshot = next(i for i, m in enumerate(frames) if isinstance(m, p.SnapshotEnd)) + 1
        budgeted.inbox.extend(frames[:snapshot])  # the snapshot, then the events in GUI-timer ticks
        budgeted.drain()
        budgeted.inbox.extend(frames[snapshot:])
        ticks = 0
        while budgeted.inbox:  # a budget of 0 s: each tick stops after its first slice, however fast it was
            budgeted.drain(budget=0.0)
            ticks += 1
        budgeted.drain(budget=0.0)  # the index work of the last tick
        assert ticks > len(frames) - snapshot  # frames were split over several ticks
        assert plain.replica.cases == budgeted.replica.cases
        assert plain.replica.aggregates.to_list() == budgeted.replica.aggregates.to_list()
        assert plain.replica.seq == budgeted.replica.seq
        for spec in VIEWS:  # the same rows; in the same order where the key has no ties (ties go by arrival
            # in the index, which follows set order in both cases)
            a, b = fresh_view(plain.index, *spec).case_ids(), fresh_view(budgeted.index, *spec).case_ids()
            assert (a == b) if spec[2] in ("priority", "id") else (sorted(a) == sorted(b)), spec
    finally:
        plain.outbox.close()
        budgeted.outbox.close()


def test_sort_keys_are_all_covered():
    assert {spec[2] for spec in VIEWS} == set(SORT_KEYS)
