"""Snapshot chunks decoded a case at a time, so the connection's worker never holds the GIL long.

msgspec decodes a frame in one call without releasing the GIL. A 2000-case chunk (~1.4 MB)
takes 15–30 ms on an idle core; on a loaded machine, where the worker can be descheduled in
the middle of that call, the GUI thread waited up to hundreds of milliseconds for the GIL
(``bench/ui_scale.py --stalls``). Here a chunk is first split into the raw text of each case
and aggregate (one quick pass), then each is decoded on its own, so the interpreter can
switch threads between them. The message is the one ``protocol.decode_server`` gives
(tests/backend_client/test_chunk_decode.py); any other frame, or anything unusual, goes to
``protocol.decode_server`` and gets its checks and errors.
"""

from __future__ import annotations

import msgspec

from domain import protocol as p
from domain.aggregates import NodeAggregate
from domain.model import Case


class _SplitChunk(msgspec.Struct, tag="snapshot_chunk", tag_field="type", frozen=True):
    index: int
    cases: list[msgspec.Raw]
    aggregates: list[msgspec.Raw]


_split = msgspec.json.Decoder(_SplitChunk)
_case = msgspec.json.Decoder(Case)
_aggregate = msgspec.json.Decoder(NodeAggregate)
#: How the hub's encoder starts a chunk frame (the tag comes first); other frames go the usual way.
_PREFIX = b'{"type":"snapshot_chunk"'


def decode_server(data: str | bytes) -> p.ServerMessage:
    """``protocol.decode_server``, with snapshot chunks decoded a case at a time."""
    if isinstance(data, str):
        if not data.startswith('{"type":"snapshot_chunk"') or len(data) > p.MAX_SERVER_FRAME_BYTES:
            return p.decode_server(data)
    elif not isinstance(data, bytes) or not data.startswith(_PREFIX) or len(data) > p.MAX_SERVER_FRAME_BYTES:
        return p.decode_server(data)
    try:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if len(raw) > p.MAX_SERVER_FRAME_BYTES:
            return p.decode_server(data)
        split = _split.decode(raw)
        cases = [_case.decode(c) for c in split.cases]
        aggregates = [_aggregate.decode(a) for a in split.aggregates]
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeError):
        return p.decode_server(data)  # the usual path finds the fault and names it
    return p.SnapshotChunk(index=split.index, cases=cases, aggregates=aggregates)
