"""A snapshot held compactly equals the plain holding of the same frames.

What the client does to hold a snapshot in less memory, each against the plain way:

* the snapshot staged as the connection feeds it (each frame decoded by ``chunk_decode`` and
  staged before the next) equals the decoded cases themselves, the aggregates recomputed from
  every case, and queue views of an index filled one upsert at a time; also after live events;
* ``intern_codes`` points a staged case's codes at shared copies and changes nothing else;
* aggregates copied per chunk with shared keys (``shared_copies``) equal the decoded ones and
  leave the messages untouched; a prune rebuilds the hourly dicts with the same counts;
* ``CaseIndex.load`` sizes its columns for the snapshot, not the next power of two.
"""

from __future__ import annotations

import random
import time

import msgspec

from backend_client import heap
from backend_client.chunk_decode import decode_server
from backend_client.client import GridClient
from backend_client.interning import CODE_FIELDS, intern_codes
from backend_client.queue_index import LOAD_HEADROOM, CaseIndex
from backend_client.replica import Replica
from domain import protocol as p
from domain.aggregates import WINDOW_HOURS, Aggregates, recompute, shared_copies
from tests.backend_client.factories import make_case, random_case
from tests.backend_client.streams import FeedStream, snapshot_frames
from tests.backend_client.test_fast_paths import VIEWS, fresh_view

SCOPE = "370202"
DAY = 86400.0


def encoded(case) -> bytes:
    return msgspec.json.encode(case)


def stream_and_frames(seed: int, initial: int, chunk: int = 150) -> tuple[FeedStream, list[bytes]]:
    # From two days before now: the client's prune (at the wall clock) drops part of the hourly counts.
    stream = FeedStream(seed, start=time.time() - 2 * DAY, mean_gap=30.0, outside_share=0.05)
    stream.initial(initial)
    for _ in stream.events(3000):
        pass
    frames = [p.encode(m) for m in snapshot_frames(SCOPE, stream, list(stream.cases.values()), chunk=chunk)]
    return stream, frames


def test_a_snapshot_staged_as_the_connection_feeds_it_equals_the_plain_holding(tmp_path):
    stream, frames = stream_and_frames(5, 900)
    client = GridClient("ws://127.0.0.1:9/v1/feed", "t", SCOPE, outbox_path=tmp_path / "o.sqlite3")
    try:
        for raw in frames:  # what Connection does: decode a frame, hand it over, next
            client._receive(decode_server(raw))
        plain = {c.id: c for raw in frames for m in [p.decode_server(raw)] if isinstance(m, p.SnapshotChunk)
                 for c in m.cases if c.node.startswith(SCOPE)}
        assert len(client.replica) == len(plain) > 500
        assert {cid: encoded(c) for cid, c in client.replica.cases.items()} == \
            {cid: encoded(c) for cid, c in plain.items()}
        now = client.server_now()
        mine = [c for c in stream.cases.values() if c.node.startswith(SCOPE)]
        assert client.replica.aggregates.to_list() == recompute(mine, SCOPE, now=now).to_list()
        assert any(a.hourly_reported for a in client.replica.aggregates.to_list())  # some hours kept...
        assert client.replica.aggregates._horizon > int(min(c.reported_at for c in mine) // 3600)  # ...some not

        reference = CaseIndex()
        for case in plain.values():
            reference.upsert(case)
        assert len(client.index) == len(reference)
        for spec in VIEWS:
            a, b = fresh_view(client.index, *spec).case_ids(), fresh_view(reference, *spec).case_ids()
            assert (a == b) if spec[2] in ("priority", "id") else (sorted(a) == sorted(b)), spec

        feed = list(stream.events(2000))  # live events on top of the compact snapshot
        for i in range(0, len(feed), 100):
            part = feed[i:i + 100]
            client._receive(p.decode_server(p.encode(p.Events(epoch=stream.epoch, upto=part[-1].seq, events=part))))
        held = {cid: c for cid, c in stream.cases.items() if c.node.startswith(SCOPE)}
        assert client.replica.aggregates.to_list() == recompute(held.values(), SCOPE, now=now).to_list()
        assert all(encoded(client.replica.cases[cid]) == encoded(held[cid]) for cid in client.replica.cases)
    finally:
        client.outbox.close()


def test_intern_codes_shares_the_codes_and_changes_none():
    rng = random.Random(4)
    cases = [random_case(rng, n) for n in range(400)]
    fresh = [msgspec.json.decode(encoded(c), type=type(c)) for c in cases]  # every value its own object
    for before, case in zip(cases, fresh, strict=True):
        assert intern_codes(case) is case
        assert encoded(case) == encoded(before)
    for name in CODE_FIELDS:
        seen: dict[str, str] = {}
        for case in fresh:
            value = getattr(case, name)
            if value is not None:
                assert seen.setdefault(value, value) is value  # one object per equal code


def test_shared_copies_equal_the_decoded_aggregates_and_leave_them_untouched():
    _, frames = stream_and_frames(8, 600, chunk=100)
    chunks = [m for raw in frames for m in [p.decode_server(raw)] if isinstance(m, p.SnapshotChunk)]
    decoded = [a for m in chunks for a in m.aggregates]
    before = msgspec.json.encode(decoded)
    keys: dict[object, object] = {}
    copies = [a for m in chunks for a in shared_copies(m.aggregates, keys)]
    assert copies == decoded
    hours = {}
    for agg in copies:  # one int object per hour across every node and count
        for counts in (agg.hourly_reported, agg.hourly_closed, agg.hourly_closed_on_time):
            for hour in counts:
                assert hours.setdefault(hour, hour) is hour
    held = Aggregates(SCOPE)
    held.load(copies, copy=False)
    grid = max((a for a in copies if len(a.node) == 15), key=lambda a: len(a.hourly_reported))
    held.apply(None, make_case(10_000, node=grid.node, reported_at=max(grid.hourly_reported) * 3600.0))
    assert held.get(grid.node) != next(a for a in decoded if a.node == grid.node)  # counted in the copy...
    assert msgspec.json.encode(decoded) == before  # the messages' aggregates were copied, not taken


def test_a_prune_keeps_the_counts_of_the_kept_hours():
    _, frames = stream_and_frames(9, 400, chunk=100)
    decoded = [a for raw in frames for m in [p.decode_server(raw)] if isinstance(m, p.SnapshotChunk)
               for a in m.aggregates]
    last = max(h for a in decoded for h in a.hourly_reported)
    now = (last + 1) * 3600.0
    held = Aggregates(SCOPE)
    held.load(decoded)
    held.prune(now)
    horizon = int(now // 3600) - (WINDOW_HOURS - 1)
    expected = {}
    for a in decoded:
        kept = a.copy()
        for name in ("hourly_reported", "hourly_closed", "hourly_closed_on_time"):
            setattr(kept, name, {h: n for h, n in getattr(a, name).items() if h >= horizon})
        if not kept.is_empty():
            expected[a.node] = kept
    assert held.to_list() == [expected[k] for k in sorted(expected)]
    assert any(len(a.hourly_reported) != len(expected[a.node].hourly_reported) for a in decoded
               if a.node in expected)  # some hours were dropped


def test_the_index_takes_a_snapshot_in_columns_of_its_size():
    cases = [make_case(n) for n in range(5000)]
    index = CaseIndex(capacity=16)
    index.load(cases)
    assert index.capacity == 5000 + 5000 // LOAD_HEADROOM  # not 8192
    reference = CaseIndex(capacity=16)
    reference.upsert_many(cases)
    for spec in VIEWS:
        assert fresh_view(index, *spec).case_ids() == fresh_view(reference, *spec).case_ids(), spec
    more = [make_case(n) for n in range(5000, 5400)]  # past the headroom: grows as before
    index.upsert_many(more)
    reference.upsert_many(more)
    assert index.capacity >= 5400
    for spec in VIEWS:
        assert fresh_view(index, *spec).case_ids() == fresh_view(reference, *spec).case_ids(), spec


def test_the_heap_is_trimmed_where_glibc_runs():
    import platform

    assert heap.trim() is (platform.system() == "Linux" and platform.libc_ver()[0] == "glibc")


def test_a_replica_fed_the_same_messages_twice_is_not_changed_through_the_other():
    stream, frames = stream_and_frames(12, 300, chunk=100)
    msgs = [p.decode_server(raw) for raw in frames]
    first, second = Replica(SCOPE), Replica(SCOPE)
    for replica in (first, second):
        begin, *chunks, end = msgs
        replica.apply_snapshot_begin(begin)
        for chunk in chunks:
            replica.apply_snapshot_chunk(chunk)
        replica.apply_snapshot_end(end)
    untouched = second.aggregates.to_list()
    feed = list(stream.events(500))
    first.apply_events(p.decode_server(p.encode(p.Events(epoch=stream.epoch, upto=feed[-1].seq, events=feed))).events)
    assert first.aggregates.to_list() != untouched
    assert second.aggregates.to_list() == untouched
