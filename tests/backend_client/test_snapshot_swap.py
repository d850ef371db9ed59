"""A snapshot built on the worker thread and swapped in equals one applied message by message."""

from __future__ import annotations

import numpy as np

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
    finally:
        client.outbox.close()
