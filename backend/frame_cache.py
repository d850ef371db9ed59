"""Events frames encoded once per batch and shared by every session that sends the same batch.

With hundreds of consoles on one scope, each session used to encode the same events into
the same JSON. Sessions that are caught up send the same batch (the pump's events filtered
by their scope) with the same ``upto``, so the frame is keyed by (epoch, upto, the events'
seqs) — a seq names one event version for good — and built once. The cache is small and
bounded: a batch is only shared while the sessions send it, within milliseconds.
"""

from __future__ import annotations

import collections

from domain import protocol as p

#: Frames kept; a burst cycles through a few dozen batches per scope at most.
CACHE_SIZE = 512


class FrameCache:
    """(epoch, upto, view, seqs) -> the encoded Events frames, least recently used out first.

    ``view`` names how the cases were shown (e.g. callers masked or not, domain.caller): sessions
    share a frame only when they would have encoded the very same bytes.
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._frames: collections.OrderedDict[tuple, list[bytes]] = collections.OrderedDict()
        self.hits = 0
        self.misses = 0

    def event_frames(self, epoch: str, batch: list[p.FeedEvent], upto: int, view: str = "") -> list[bytes]:
        key = (epoch, upto, view, *(e.seq for e in batch))
        frames = self._frames.get(key)
        if frames is not None:
            self._frames.move_to_end(key)
            self.hits += 1
            return frames
        self.misses += 1
        frames = self._frames[key] = encode_events(epoch, batch, upto)
        if len(self._frames) > self.size:
            self._frames.popitem(last=False)
        return frames


def encode_events(epoch: str, batch: list[p.FeedEvent], upto: int) -> list[bytes]:
    """One Events frame for ``batch``, or several when one would exceed the server frame limit."""
    data = p.encode(p.Events(epoch=epoch, events=batch, upto=upto))
    if len(data) <= p.MAX_SERVER_FRAME_BYTES:
        return [data]
    if len(batch) == 1:  # one event cannot be split: a hub bug, so fail loudly rather than send it
        raise p.FrameTooLarge(f"event {batch[0].seq} alone encodes to {len(data)} bytes")
    half = len(batch) // 2
    return encode_events(epoch, batch[:half], batch[half - 1].seq) + encode_events(epoch, batch[half:], upto)


#: Events frames of this process's hubs, encoded once per batch (keys name epoch and seqs).
FRAMES = FrameCache()
