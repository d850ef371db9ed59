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
    frames = list(snapshot_frames(snap.bodies, snap.aggregates))
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


def test_frames_planned_by_size_fit_the_limit_and_carry_everything_in_order(monkeypatch):
    """Chunk sizes come from the bodies' lengths before any frame is encoded: each frame made later
    is exactly as long as planned, under the limit, and the frames hold every case and aggregate in order."""
    monkeypatch.setattr(p, "MAX_SERVER_FRAME_BYTES", 6000)
    bodies = [msgspec.json.encode({"id": f"c{i}", "text": "网格" * (i % 37)}) for i in range(700)]
    aggs = [NodeAggregate(GRID[:-3] + f"{i + 1:03d}", supervised=i, hourly_reported={i: 1}) for i in range(90)]
    frames = snapshot_frames(bodies, aggs)
    assert len(frames) > 1 and frames._n < p.SNAPSHOT_CHUNK_CASES  # halved to fit
    made = [frames[i] for i in range(len(frames))]
    assert all(len(f) == frames._size(i, frames._n, frames._aggs[i]) <= 6000 for i, f in enumerate(made))
    decoded = [msgspec.json.decode(f) for f in made]
    assert [m["type"] for m in decoded] == ["snapshot_chunk"] * len(made)
    assert [m["index"] for m in decoded] == list(range(len(frames)))
    assert [c for m in decoded for c in m["cases"]] == [msgspec.json.decode(b) for b in bodies]
    assert [a for m in decoded for a in m["aggregates"]] == msgspec.json.decode(msgspec.json.encode(aggs))
    assert frames[-1] is made[-1] and list(frames) == made  # kept once made
    with pytest.raises(IndexError):
        frames[len(frames)]
