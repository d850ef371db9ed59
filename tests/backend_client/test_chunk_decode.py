"""Snapshot chunks decoded a case at a time equal the one-call decode, and bad frames fail the same way."""

from __future__ import annotations

import pytest

from backend_client.chunk_decode import decode_server
from domain import protocol as p

from .streams import FeedStream, snapshot_frames

SCOPE = "370202"


def _frames() -> list[str]:
    stream = FeedStream(3, outside_share=0.1)
    stream.initial(300)
    for _ in stream.events(400):
        pass
    msgs = snapshot_frames(SCOPE, stream, list(stream.cases.values()), chunk=20)
    later = list(stream.events(20))
    msgs.append(p.Events(epoch=stream.epoch, upto=later[-1].seq, events=later))
    return [p.encode(m).decode() for m in msgs]


def test_every_frame_decodes_as_the_protocol_decodes_it(monkeypatch):
    frames = _frames()
    expected = [p.decode_server(frame) for frame in frames]
    plain = p.decode_server
    taken: list[str] = []

    def usual_path(data):
        taken.append(type(plain(data)).__name__)
        return plain(data)

    monkeypatch.setattr(p, "decode_server", usual_path)
    for frame, theirs in zip(frames, expected, strict=True):
        for data in (frame, frame.encode()):
            ours = decode_server(data)
            assert type(ours) is type(theirs) and ours == theirs
    assert sum(isinstance(m, p.SnapshotChunk) for m in expected) > 5
    assert "SnapshotChunk" not in taken and "SnapshotBegin" in taken  # chunks went the case-at-a-time way


@pytest.mark.parametrize("mangle", [
    lambda f: f.replace('"index":', '"index":"x",', 1),  # a wrong type
    lambda f: f[: len(f) // 2],  # cut short
    lambda f: f.replace('"node":', '"node":1,"x":', 1),  # a case that does not fit
    lambda f: f + " " * p.MAX_SERVER_FRAME_BYTES,  # too large
])
def test_a_bad_chunk_fails_with_the_protocols_error(mangle):
    frame = next(f for f in _frames() if f.startswith('{"type":"snapshot_chunk"'))
    bad = mangle(frame)
    with pytest.raises(p.ProtocolError) as theirs:
        p.decode_server(bad)
    with pytest.raises(p.ProtocolError) as ours:
        decode_server(bad)
    assert ours.value.code == theirs.value.code and str(ours.value) == str(theirs.value)
