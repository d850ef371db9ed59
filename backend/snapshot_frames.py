"""SnapshotChunk frames made from stored case bodies, without decoding a case.

The store keeps each case as the canonical JSON of ``domain.model.Case`` (what
``p.encode`` would write for it), so the hub wraps those bytes in ``msgspec.Raw`` and the
frame comes out byte for byte what ``p.encode(SnapshotChunk(cases=[...]))`` would give
(tests/backend/test_snapshot_frames.py), at a fraction of the cost.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from domain import protocol as p
from domain.aggregates import NodeAggregate
from domain.caller import masked_bodies
from domain.model import Role


class _RawChunk(msgspec.Struct, tag="snapshot_chunk", tag_field="type", frozen=True):
    """``p.SnapshotChunk`` with its cases already encoded."""

    index: int
    cases: list[msgspec.Raw]
    aggregates: list[NodeAggregate]


_encoder = msgspec.json.Encoder()


def snapshot_frames(bodies: Sequence[str] | Sequence[bytes], aggs: Sequence[NodeAggregate]) -> list[bytes]:
    """Chunks of at most SNAPSHOT_CHUNK_CASES cases and aggregates, fewer when frames would be too big.

    Bodies as the store reads them (str) or as the snapshot cache keeps them (bytes).
    """
    raws = [msgspec.Raw(b if isinstance(b, bytes) else b.encode()) for b in bodies]
    n = p.SNAPSHOT_CHUNK_CASES
    while True:
        chunks = max(1, -(-len(raws) // n), -(-len(aggs) // n))
        frames = [_encoder.encode(_RawChunk(index=i, cases=raws[i * n:(i + 1) * n],
                                            aggregates=list(aggs[i * n:(i + 1) * n]))) for i in range(chunks)]
        if all(len(f) <= p.MAX_SERVER_FRAME_BYTES for f in frames):
            return frames
        if n == 1:
            raise p.FrameTooLarge("one case or aggregate alone is above the server frame limit")
        n = max(1, n // 2)


def masked_snapshot_frames(bodies: Sequence[str], aggs: Sequence[NodeAggregate], role: Role) -> list[bytes]:
    """:func:`snapshot_frames` of the bodies as ``role`` may see them (callers masked, domain.caller)."""
    return snapshot_frames(masked_bodies(bodies, role), aggs)
