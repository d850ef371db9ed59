"""The live path's shortcuts against the plain forms on the same data: equal results.

* ``members_in_order`` picks boolean indexing or ``compress`` by density: both equal ``order[member[order]]``;
* a shared order (``SortedSlots``) merged frame after frame, its keys kept by slot and dead slots at the
  end, equals one built afresh, keys included;
* ``CaseIndex.changed_since`` (one scan shared by the views of a frame) equals the scan;
* the replica hands a case's later versions the id object its dicts hold: equal cases, one id object.
"""

from __future__ import annotations

import random

import msgspec
import numpy as np
import pytest

from backend_client.queue_index import CaseIndex
from backend_client.queue_order import SortedSlots, encode_keys, key_columns
from backend_client.queue_view import members_in_order
from backend_client.replica import Replica
from domain import protocol as p
from tests.backend_client.streams import FeedStream, snapshot_frames

SCOPE = "370202"


@pytest.mark.parametrize("share", [0.0, 0.02, 0.3, 0.9, 0.99, 1.0])
def test_members_in_order_equals_the_boolean_gather(share):
    rng = np.random.default_rng(5)
    order = rng.permutation(5000).astype(np.int64)
    member = rng.random(5000) < share
    assert np.array_equal(members_in_order(order, member), order[member[order]])


@pytest.mark.parametrize(("key", "descending"), [("priority", False), ("deadline", True), ("category", False),
                                                  ("reported_at", True)])
def test_a_merged_shared_order_equals_one_built_afresh(key, descending):
    rng = random.Random(11)
    stream = FeedStream(6, outside_share=0.0)
    index = CaseIndex()
    index.upsert_many(stream.initial(800))
    order = SortedSlots(key, descending)
    order.current(index)
    merges = 0
    for _ in range(60):
        index.upsert_many([fe.case for fe in stream.events(rng.randint(1, 30))])
        for _ in range(rng.randint(0, 6)):  # removals leave dead slots; later cases reuse them
            index.remove(rng.choice(list(index._slot_of)))
        assert np.array_equal(index.changed_since(order.seen), np.flatnonzero(index.cols["gen"][: index.size]
                                                                               > order.seen))
        was_built = order.built_size
        got = order.current(index).copy()
        merges += was_built > 0
        fresh = SortedSlots(key, descending)
        assert np.array_equal(got, fresh.current(index))
        live = np.flatnonzero(index.cols["alive"][: index.size])
        assert sorted(order.perm[order.live:].tolist()) == sorted(set(range(index.size)) - set(live.tolist()))
        assert np.array_equal(order.skeys[live], encode_keys(key_columns(index, key, descending, live)))
    assert merges > 40


def test_later_versions_take_the_held_id_object():
    stream = FeedStream(8, outside_share=0.0)
    replica = Replica(SCOPE)
    begin, *chunks, end = [p.decode_server(p.encode(m))
                           for m in snapshot_frames(SCOPE, stream, stream.initial(200), chunk=100)]
    replica.apply_snapshot_begin(begin)
    for chunk in chunks:
        replica.apply_snapshot_chunk(chunk)
    replica.apply_snapshot_end(end)
    for _ in range(30):
        feed = list(stream.events(20))
        msg = p.decode_server(p.encode(p.Events(epoch=stream.epoch, upto=feed[-1].seq, events=feed)))
        replica.apply_events(msg.events, upto=msg.upto)
    keys = {cid: cid for cid in replica.cases}
    assert all(case.id is keys[cid] for cid, case in replica.cases.items())
    truth = {cid: c for cid, c in stream.cases.items() if cid in replica.cases}
    assert len(truth) == len(replica) > 100
    assert all(msgspec.json.encode(replica.cases[cid]) == msgspec.json.encode(c) for cid, c in truth.items())
