"""SnapshotChunk frames made from stored case bodies, without decoding a case.

The store keeps each case as the canonical JSON of ``domain.model.Case`` (what
``p.encode`` would write for it), so the hub wraps those bytes in ``msgspec.Raw`` and the
frame comes out byte for byte what ``p.encode(SnapshotChunk(cases=[...]))`` would give
(tests/backend/test_snapshot_frames.py), at a fraction of the cost.

:class:`ChunkFrames` encodes each frame when it is first asked for: a frame's size is known
from its bodies' lengths and its aggregates (encoded up front, ~20 ms for a city), so the
number of chunks is fixed before any case is copied, and ``snapshot_begin`` leaves as soon
as the snapshot is chosen instead of after all ~80 MB are encoded (~0.1 s of the hub's CPU,
0.3–0.4 s of wall clock while it also reads a console's directory).
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from domain import protocol as p
from domain.aggregates import NodeAggregate
from domain.caller import masked_bodies
from domain.model import Role


class _RawChunk(msgspec.Struct, tag="snapshot_chunk", tag_field="type", frozen=True):
    """``p.SnapshotChunk`` with its cases and aggregates already encoded."""

    index: int
    cases: list[msgspec.Raw]
    aggregates: msgspec.Raw


_encoder = msgspec.json.Encoder()


class ChunkFrames(Sequence[bytes]):
    """The chunk frames of a snapshot, each encoded on first use and kept (sessions share them).

    At most SNAPSHOT_CHUNK_CASES cases and aggregates a chunk, fewer when a frame would be too
    big. Two threads asking for the same frame at once may both encode it: the same bytes.
    """

    def __init__(self, bodies: Sequence[bytes], aggs: Sequence[NodeAggregate]) -> None:
        self._bodies = bodies
        n = p.SNAPSHOT_CHUNK_CASES
        while True:
            chunks = max(1, -(-len(bodies) // n), -(-len(aggs) // n))
            parts = [_encoder.encode(list(aggs[i * n:(i + 1) * n])) for i in range(chunks)]
            if all(self._size(i, n, parts[i]) <= p.MAX_SERVER_FRAME_BYTES for i in range(chunks)):
                break
            if n == 1:
                raise p.FrameTooLarge("one case or aggregate alone is above the server frame limit")
            n = max(1, n // 2)
        self._n, self._aggs = n, parts
        self._frames: list[bytes | None] = [None] * chunks

    def _size(self, i: int, n: int, aggs: bytes) -> int:
        """The length of frame ``i`` as ``_encode`` will make it."""
        bodies = self._bodies[i * n:(i + 1) * n]
        empty = len(_encoder.encode(_RawChunk(index=i, cases=[], aggregates=msgspec.Raw(aggs))))
        return empty + sum(map(len, bodies)) + max(0, len(bodies) - 1)

    def __len__(self) -> int:
        return len(self._frames)

    def __getitem__(self, i):  # an int index only (no slices)
        i = range(len(self._frames))[i]  # a negative index counts from the end; IndexError past it
        frame = self._frames[i]
        if frame is None:
            n = self._n
            raws = [msgspec.Raw(b) for b in self._bodies[i * n:(i + 1) * n]]
            frame = self._frames[i] = _encoder.encode(_RawChunk(index=i, cases=raws,
                                                                 aggregates=msgspec.Raw(self._aggs[i])))
        return frame


def snapshot_frames(bodies: Sequence[str] | Sequence[bytes], aggs: Sequence[NodeAggregate]) -> Sequence[bytes]:
    """The chunk frames (:class:`ChunkFrames`) of bodies as the store reads them (str) or as the
    snapshot cache keeps them (bytes)."""
    if bodies and isinstance(bodies[0], str):
        bodies = [b.encode() for b in bodies]  # type: ignore[union-attr]  # all str, as read
    return ChunkFrames(bodies, aggs)  # type: ignore[arg-type]  # bytes now


def masked_snapshot_frames(bodies: Sequence[str], aggs: Sequence[NodeAggregate], role: Role) -> Sequence[bytes]:
    """:func:`snapshot_frames` of the bodies as ``role`` may see them (callers masked, domain.caller)."""
    return snapshot_frames(masked_bodies(bodies, role), aggs)
