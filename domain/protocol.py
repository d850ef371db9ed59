"""The feed protocol's codec: one encoder, one decoder per direction, one error type.

Decoding never raises anything but :class:`ProtocolError`, whose ``code`` tells
the peer what was wrong: ``too_large`` (checked before parsing), ``bad_frame``
(not UTF-8 JSON, not an object, nested too deeply), ``unknown_type`` or
``invalid`` (with msgspec's message and path, e.g. "Expected `int`, got `str` -
at `$.expected_version`"). The messages themselves live in ``domain.messages``
and are re-exported here, so callers import only this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, Union

import msgspec

from domain.aggregates import NodeAggregate
from domain.catalog import Department
from domain.city import NodeInfo
from domain.messages import *  # noqa: F401,F403 - this module is the protocol's one entry point
from domain.messages import (
    CLIENT_MESSAGES,
    DIRECTORY_CHUNK_NODES,
    MAX_BATCH_EVENTS,
    MAX_FRAME_BYTES,
    MAX_SERVER_FRAME_BYTES,
    SERVER_MESSAGES,
    SNAPSHOT_CHUNK_CASES,
    AnyClientMessage,
    AnyServerMessage,
    ClientMessage,
    Directory,
    Error,
    ErrorCode,
    Events,
    FeedEvent,
    ServerMessage,
    SnapshotBegin,
    SnapshotChunk,
    SnapshotEnd,
    tag_of,
)
from domain.model import Case

Frame = Union[bytes, bytearray, memoryview, str]


class ProtocolError(Exception):
    """A frame that cannot be taken: ``code`` for the peer, ``message`` for humans.

    For ``invalid`` frames ``ref`` is the command id when the frame was a command whose id
    could be read (the hub answers with CommandError so the client's outbox can settle it),
    else the message type.
    """

    def __init__(self, code: ErrorCode, message: str, ref: str | None = None,
                 command_id: str | None = None) -> None:
        super().__init__(f"{code.value}: {message}")
        self.code = ErrorCode(code)
        self.message = message
        self.ref = ref
        #: Set when the frame was a command whose id could be read.
        self.command_id = command_id

    def to_error(self) -> Error:
        return Error(code=self.code, message=self.message, ref=self.ref)

    def __repr__(self) -> str:
        return f"ProtocolError({self.code.value!r}, {self.message!r}, ref={self.ref!r})"


_encoder = msgspec.json.Encoder()
_client_decoder = msgspec.json.Decoder(AnyClientMessage)
_server_decoder = msgspec.json.Decoder(AnyServerMessage)
_CLIENT_TAGS = frozenset(tag_of(c) for c in CLIENT_MESSAGES)
_SERVER_TAGS = frozenset(tag_of(c) for c in SERVER_MESSAGES)


class _Peek(msgspec.Struct):
    """Just enough of a frame to classify a validation failure."""

    type: Any = msgspec.UNSET
    id: Any = msgspec.UNSET


_peek_decoder = msgspec.json.Decoder(_Peek)
#: What domain.messages.Id accepts: an id the hub can answer a command under.
_GOOD_ID = re.compile(r"^[^\x00-\x1f\x7f]{1,64}\Z")


def encode(msg: ClientMessage | ServerMessage) -> bytes:
    """UTF-8 JSON for one message; send it as a *text* frame (``ws.send(data.decode())``)."""
    if not isinstance(msg, (ClientMessage, ServerMessage)):
        raise TypeError(f"encode() takes a protocol message, got {type(msg).__name__}")
    return _encoder.encode(msg)


class FrameTooLarge(ValueError):
    """A server message that would encode above MAX_SERVER_FRAME_BYTES: a hub bug, never sent."""


def encode_server(msg: ServerMessage, limit: int = MAX_SERVER_FRAME_BYTES) -> bytes:
    """Encode a hub frame, refusing one above ``limit`` (the limit every client's transport enforces)."""
    data = encode(msg)
    if len(data) > limit:
        raise FrameTooLarge(f"{tag_of(type(msg))} frame of {len(data)} bytes is above the {limit}-byte limit")
    return data


def decode_client(data: Frame) -> ClientMessage:
    """A client → server frame as a typed message, or :class:`ProtocolError`."""
    return _decode(data, _client_decoder, _CLIENT_TAGS, MAX_FRAME_BYTES, "client")


def decode_server(data: Frame) -> ServerMessage:
    """A server → client frame as a typed message, or :class:`ProtocolError`."""
    return _decode(data, _server_decoder, _SERVER_TAGS, MAX_SERVER_FRAME_BYTES, "server")


def _decode(data: Frame, decoder: msgspec.json.Decoder, tags: frozenset, limit: int, side: str):
    raw = _as_bytes(data, limit)
    try:
        return decoder.decode(raw)
    except msgspec.ValidationError as exc:
        raise _classify(raw, exc, tags, side) from None
    except msgspec.DecodeError as exc:
        raise ProtocolError(ErrorCode.BAD_FRAME, f"frame is not valid JSON: {exc}") from None
    except RecursionError:
        raise ProtocolError(ErrorCode.BAD_FRAME, "frame is nested too deeply") from None


def _as_bytes(data: Frame, limit: int) -> bytes:
    """The frame as UTF-8 bytes within ``limit``, checked before any parsing."""
    if isinstance(data, str):
        if len(data) > limit:  # a character is at least one byte
            raise ProtocolError(ErrorCode.TOO_LARGE, f"frame has more than {limit} bytes")
        try:
            raw = data.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ProtocolError(ErrorCode.BAD_FRAME, f"frame is not valid UTF-8: {exc.reason}") from None
        _check_size(raw, limit)
        return raw
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    elif not isinstance(data, bytes):
        raise TypeError(f"a frame is str or bytes, got {type(data).__name__}")
    _check_size(data, limit)
    # msgspec checks UTF-8 only in the strings it keeps, not in the values it skips.
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(ErrorCode.BAD_FRAME, f"frame is not valid UTF-8 at byte {exc.start}") from None
    return data


def _check_size(raw: bytes, limit: int) -> None:
    if len(raw) > limit:
        raise ProtocolError(ErrorCode.TOO_LARGE, f"frame has {len(raw)} bytes; the limit is {limit}")


def _classify(raw: bytes, exc: msgspec.ValidationError, tags: frozenset, side: str) -> ProtocolError:
    """Tell a frame that is not a message (bad_frame, unknown_type) from one with a bad field (invalid)."""
    try:
        peek = _peek_decoder.decode(raw)
    except msgspec.ValidationError as not_object:
        return ProtocolError(ErrorCode.BAD_FRAME, f"frame must be a JSON object: {not_object}")
    except msgspec.DecodeError as malformed:
        return ProtocolError(ErrorCode.BAD_FRAME, f"frame is not valid JSON: {malformed}")
    except RecursionError:
        return ProtocolError(ErrorCode.BAD_FRAME, "frame is nested too deeply")
    kind = peek.type
    if kind is msgspec.UNSET:
        return ProtocolError(ErrorCode.UNKNOWN_TYPE, "message has no `type` field")
    if not isinstance(kind, str) or kind not in tags:
        shown = repr(kind) if isinstance(kind, (str, int, float, bool)) or kind is None else type(kind).__name__
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        return ProtocolError(
            ErrorCode.UNKNOWN_TYPE,
            f"unknown {side} message type {shown}; expected one of {', '.join(sorted(tags))}",
        )
    if kind == "command" and isinstance(peek.id, str) and _GOOD_ID.match(peek.id):
        return ProtocolError(ErrorCode.INVALID, str(exc), ref=peek.id, command_id=peek.id)
    return ProtocolError(ErrorCode.INVALID, str(exc), ref=kind)


# ---- building the hub's frames ----------------------------------------------------------
def snapshot_messages(
    scope: str,
    epoch: str,
    seq: int,
    cases: Sequence[Case],
    aggregates: Sequence[NodeAggregate],
    chunk: int = SNAPSHOT_CHUNK_CASES,
) -> Iterator[ServerMessage]:
    """SnapshotBegin, at least one SnapshotChunk (cases and aggregates split alike), SnapshotEnd."""
    if chunk < 1:
        raise ValueError(f"chunk must be at least 1, got {chunk}")
    chunks = max(1, -(-len(cases) // chunk), -(-len(aggregates) // chunk))
    yield SnapshotBegin(scope=scope, epoch=epoch, seq=seq, total_cases=len(cases), total_chunks=chunks,
                        aggregates_count=len(aggregates))
    for i in range(chunks):
        part = slice(i * chunk, (i + 1) * chunk)
        yield SnapshotChunk(index=i, cases=list(cases[part]), aggregates=list(aggregates[part]))
    yield SnapshotEnd(seq=seq)


def directory_messages(
    scope: str,
    nodes: Sequence[NodeInfo],
    departments: Sequence[Department],
    chunk: int = DIRECTORY_CHUNK_NODES,
    limit: int = MAX_SERVER_FRAME_BYTES,
) -> list[bytes]:
    """The encoded Directory frames of one answer, each at most ``limit`` bytes.

    Nodes go in order, at most ``chunk`` per frame; a frame that would still be too large
    (big portraits) is split again until it fits. Departments ride in the first frame.
    """
    if chunk < 1:
        raise ValueError(f"chunk must be at least 1, got {chunk}")
    parts: list[list[NodeInfo]] = []
    pending = [list(nodes[i:i + chunk]) for i in range(0, len(nodes), chunk)] or [[]]
    while pending:
        part = pending.pop(0)
        probe = Directory(scope=scope, nodes=part, departments=list(departments) if not parts else [],
                          index=len(parts), total_chunks=999_999)
        if len(encode(probe)) > limit:
            if len(part) <= 1:
                raise FrameTooLarge(f"directory node {part[0].code if part else '-'} alone is above {limit} bytes")
            half = len(part) // 2
            pending[:0] = [part[:half], part[half:]]
            continue
        parts.append(part)
    total = len(parts)
    return [encode_server(Directory(scope=scope, nodes=part, departments=list(departments) if i == 0 else [],
                                    index=i, total_chunks=total), limit)
            for i, part in enumerate(parts)]


def event_batches(epoch: str, events: Sequence[FeedEvent], upto: int,
                  batch: int = MAX_BATCH_EVENTS) -> Iterator[Events]:
    """Events frames of at most ``batch`` events; the last one carries ``upto``, earlier ones their last seq."""
    if batch < 1:
        raise ValueError(f"batch must be at least 1, got {batch}")
    if events and upto < events[-1].seq:
        raise ValueError(f"upto {upto} is below the last event's seq {events[-1].seq}")
    if not events:
        yield Events(epoch=epoch, upto=upto, events=[])
        return
    for start in range(0, len(events), batch):
        part = list(events[start:start + batch])
        last = start + batch >= len(events)
        yield Events(epoch=epoch, upto=upto if last else part[-1].seq, events=part)
