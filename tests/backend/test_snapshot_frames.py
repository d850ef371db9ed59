"""Snapshot frames made from stored bodies are byte for byte the frames p.encode makes from cases."""

from __future__ import annotations

import msgspec
import pytest

from backend.snapshot_frames import snapshot_frames
from domain import protocol as p
from domain.aggregates import NodeAggregate

from .conftest import GRID, T0


def test_raw_frames_equal_encoded_chunks(store, driver):
    cases = [driver.report(T0 + i) for i in range(5)]
    snap = store.snapshot("", T0 + 10)
    assert sorted(c.id for c in snap.cases) == sorted(c.id for c in cases)
    frames = snapshot_frames(snap.bodies, snap.aggregates)
    expected = [p.encode(m) for m in p.snapshot_messages("", snap.epoch, snap.seq, snap.cases, snap.aggregates)
                if isinstance(m, p.SnapshotChunk)]
    assert frames == expected
    decoded = p.decode_server(frames[0])
    assert isinstance(decoded, p.SnapshotChunk) and decoded.cases == snap.cases


def test_many_bodies_split_into_chunks():
    body = msgspec.json.encode({"id": "x"}).decode()
    aggs = [NodeAggregate(GRID, supervised=1)]
    frames = snapshot_frames([body] * (p.SNAPSHOT_CHUNK_CASES + 1), aggs)
    assert len(frames) == 2
    assert [msgspec.json.decode(f)["index"] for f in frames] == [0, 1]
    assert sum(len(msgspec.json.decode(f)["cases"]) for f in frames) == p.SNAPSHOT_CHUNK_CASES + 1


def test_one_body_above_the_frame_limit_is_refused():
    with pytest.raises(p.FrameTooLarge):
        snapshot_frames(['"' + "x" * p.MAX_SERVER_FRAME_BYTES + '"'], [])
