"""A snapshot built on the worker thread and swapped in equals one applied message by message."""

from __future__ import annotations

import gc

import msgspec
import numpy as np

from backend_client import collector
from backend_client.client import GridClient
from domain import protocol as p
from domain.queues import Queue

from .streams import FeedStream, snapshot_frames

SCOPE = "370202"


def _client(tmp_path, name: str) -> GridClient:
    return GridClient("ws://127.0.0.1:9/v1/feed", "t", SCOPE, outbox_path=tmp_path / f"{name}.db",
                      drain_in_worker=False)


def _messages():
    stream = FeedStream(7, outside_share=0.1)
    stream.initial(400)
    for _ in stream.events(600):
        pass
    snap = snapshot_frames(SCOPE, stream, list(stream.cases.values()), chunk=37)
    later = list(stream.events(200))
    return snap, p.Events(epoch=stream.epoch, upto=later[-1].seq, events=later)


def _index_rows(client: GridClient) -> dict[str, tuple]:
    index, rows = client.index, {}
    for case_id in client.replica.cases:
        slot = index.slot_of(case_id)
        assert slot is not None
        rows[case_id] = tuple(int(index.cols[k][slot]) if index.cols[k].dtype != np.float64 else
                              float(index.cols[k][slot]) for k in ("node", "state", "urgency", "sla", "queues"))
    return rows


def test_swapped_in_snapshot_equals_the_message_by_message_path(tmp_path):
    snap, events = _messages()
    old, new = _client(tmp_path, "old"), _client(tmp_path, "new")
    try:
        view = new.index.view(SCOPE, Queue.ALL)
        for msg in snap:
            old.inbox.append(msg)  # the drain applies each message (the path tools and tests use)
            new._receive(msg)  # what the connection's worker calls: staged and built there
        assert not new.replica.ready and len(new.inbox) == 1  # one item: the built snapshot
        old.drain()
        batch = new.drain(budget=0.001)
        assert batch.changes.reset and new.replica.ready and not new.indexing
        for client in (old, new):
            client.inbox.append(events)
            client.drain()
        assert new.replica.cases == old.replica.cases and new.replica.seq == old.replica.seq
        assert new.replica.aggregates.to_list() == old.replica.aggregates.to_list()
        assert _index_rows(new) == _index_rows(old) and len(new.index) == len(old.index)
        view.refresh()
        assert sorted(view.case_ids()) == sorted(old.index.view(SCOPE, Queue.ALL).case_ids())
    finally:
        old.outbox.close()
        new.outbox.close()


def test_a_bad_chunk_discards_the_staged_snapshot_and_asks_again(tmp_path, caplog):
    snap, _ = _messages()
    client = _client(tmp_path, "bad")
    asked: list[bool] = []
    client.connection.resync = lambda: asked.append(True)  # type: ignore[method-assign]
    try:
        client._receive(snap[0])
        client._receive(snap[2])  # chunk 1 before chunk 0
        client.drain()
        assert asked == [True] and not client.replica.ready and client._staged is None
        assert "expected chunk 0" in caplog.text
    finally:
        client.outbox.close()


def test_resumed_discards_a_staged_snapshot(tmp_path):
    snap, _ = _messages()
    client = _client(tmp_path, "resumed")
    try:
        client._receive(snap[0])
        client._receive(p.Resumed(epoch="e", from_seq=1, to_seq=1))
        assert client._staged is None
        assert collector.paused() == 0 and gc.isenabled()  # the cut-short staging gave the collector back
    finally:
        client.outbox.close()


def test_the_collector_is_paused_while_a_snapshot_is_staged_and_runs_again_after(tmp_path):
    """Full collections over a half-staged city froze the GUI thread; the cases staged are frozen after."""
    snap, _ = _messages()
    client = _client(tmp_path, "gc")
    frozen = gc.get_freeze_count()
    try:
        assert gc.isenabled()
        client._receive(snap[0])
        assert collector.paused() == 1 and not gc.isenabled()
        for msg in snap[1:]:
            client._receive(msg)
        assert collector.paused() == 0 and gc.isenabled()
        assert gc.get_freeze_count() > frozen  # the staged cases are out of the collector's way
        client.drain()
        assert client.replica.ready and len(client.index) == len(client.replica.cases)
    finally:
        gc.unfreeze()
        client.outbox.close()


def test_a_bad_snapshot_gives_the_collector_back(tmp_path):
    snap, _ = _messages()
    client = _client(tmp_path, "gc-bad")
    client.connection.resync = lambda: None  # type: ignore[method-assign]
    try:
        client._receive(snap[0])
        client._receive(snap[2])  # out of order: the staging ends in error
        assert collector.paused() == 0 and gc.isenabled() and client._staged is None
    finally:
        client.outbox.close()


def test_two_stagings_hold_the_collector_until_both_end():
    collector.pause()
    collector.pause()
    collector.resume()
    assert not gc.isenabled()
    collector.resume()
    assert gc.isenabled() and collector.paused() == 0
    collector.resume()  # one too many changes nothing
    assert gc.isenabled()


def test_a_swapped_in_snapshot_keeps_whose_mine_queue_the_index_holds(tmp_path):
    """The index built on the worker must not forget the signed-in user (我的待办)."""
    snap, _ = _messages()
    me = "u1"
    snap = [msgspec.structs.replace(msg, cases=[msgspec.structs.replace(c, assignee=me) if i % 3 == 0 else c
                                                for i, c in enumerate(msg.cases)])
            if isinstance(msg, p.SnapshotChunk) else msg for msg in snap]
    old, new = _client(tmp_path, "me-old"), _client(tmp_path, "me-new")
    try:
        for client in (old, new):
            client.index.set_me(me)
        for msg in snap:
            old.inbox.append(msg)
            new._receive(msg)
        old.drain()
        new.drain()
        assert new.index.me == me
        assert _index_rows(new) == _index_rows(old)
        mine = new.index.view(SCOPE, Queue.MINE).case_ids()
        assert mine and sorted(mine) == sorted(old.index.view(SCOPE, Queue.MINE).case_ids())
    finally:
        old.outbox.close()
        new.outbox.close()



def test_a_drop_during_a_snapshot_gives_the_collector_back(tmp_path):
    from backend_client.connection import LinkState, StateChange

    snap, _ = _messages()
    client = _client(tmp_path, "gc-drop")
    try:
        client._receive(snap[0])
        client._receive(snap[1])
        client._receive(StateChange(LinkState.RESYNCING))  # progress while it loads: staging goes on
        assert client._staged is not None and collector.paused() == 1
        client._receive(StateChange(LinkState.OFFLINE))
        assert client._staged is None and collector.paused() == 0 and gc.isenabled()
    finally:
        client.outbox.close()


def test_the_views_sort_orders_come_built_with_the_snapshot(tmp_path, monkeypatch):
    """The worker sorts the staged cases by every key a view uses, so the first refresh after the
    swap only reads the order (sorting a city's cases there stalled the GUI thread ~0.13 s); and
    the order it reads is the one sorting the swapped-in index afresh gives."""
    from backend_client import queue_order

    snap, events = _messages()
    client, fresh = _client(tmp_path, "orders"), _client(tmp_path, "fresh")
    try:
        views = [client.index.view(SCOPE, Queue.ALL), client.index.view(SCOPE, Queue.ALL)]
        views[1].sort_by("deadline", descending=True)
        for view in views:
            view.refresh()  # the views ask for their orders before the snapshot, as a console's do
        for msg in snap:
            client._receive(msg)
            fresh.inbox.append(msg)
        builds: list[str] = []
        real = queue_order.SortedSlots._build
        monkeypatch.setattr(queue_order.SortedSlots, "_build",
                            lambda self, *a: (builds.append(self.key), real(self, *a))[1])
        client.drain(budget=0.001)
        assert client.replica.ready and not client.indexing
        for view in views:
            view.refresh()
        assert builds == []  # nothing sorted on this (the GUI) thread
        fresh.drain()
        for view in views:
            again = fresh.index.view(SCOPE, Queue.ALL)
            again.sort_by(*view.sort_key)
            again.refresh()
            assert view.case_ids() == again.case_ids() and len(view) > 100
        assert sorted(builds) == sorted(k for k, _ in client.index.order_keys())  # the fresh ones
        for c in (client, fresh):  # and the orders keep merging what comes after
            c.inbox.append(events)
            c.drain()
        for view in views:
            again = fresh.index.view(SCOPE, Queue.ALL)
            again.sort_by(*view.sort_key)
            view.refresh()
            again.refresh()
            assert view.case_ids() == again.case_ids()
    finally:
        client.outbox.close()
        fresh.outbox.close()
