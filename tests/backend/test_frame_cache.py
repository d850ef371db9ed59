"""Events frames are encoded once per batch and shared; a different batch never gets another's frame."""

from __future__ import annotations

from backend.frame_cache import FrameCache, encode_events
from domain import protocol as p
from tests.backend_client.streams import FeedStream

_STREAM = FeedStream(3)
_STREAM.initial(5)
_EVENTS = {e.seq: e for e in _STREAM.events(20)}


def _event(seq: int) -> p.FeedEvent:
    return _EVENTS[min(_EVENTS) + seq]


def test_the_same_batch_is_encoded_once_and_equals_a_fresh_encoding():
    cache = FrameCache()
    batch = [_event(1), _event(2)]
    first = cache.event_frames(_STREAM.epoch, batch, 2)
    again = cache.event_frames(_STREAM.epoch, list(batch), 2)
    assert again is first and (cache.hits, cache.misses) == (1, 1)
    assert first == encode_events(_STREAM.epoch, batch, 2)
    decoded = p.decode_server(first[0])
    assert isinstance(decoded, p.Events) and decoded.events == batch and decoded.upto == 2


def test_other_seqs_another_upto_or_epoch_get_their_own_frames():
    cache = FrameCache()
    a = cache.event_frames(_STREAM.epoch, [_event(1), _event(3)], 3)
    b = cache.event_frames(_STREAM.epoch, [_event(1), _event(2), _event(3)], 3)  # a scope that sees seq 2 too
    c = cache.event_frames(_STREAM.epoch, [_event(1), _event(3)], 5)  # a session further ahead: upto differs
    d = cache.event_frames("f", [_event(1), _event(3)], 3)
    assert len({a[0], b[0], c[0], d[0]}) == 4 and cache.misses == 4


def test_the_cache_stays_bounded():
    cache = FrameCache(size=3)
    for seq in range(1, 10):
        cache.event_frames(_STREAM.epoch, [_event(seq)], seq)
    assert len(cache._frames) == 3
    cache.event_frames(_STREAM.epoch, [_event(1)], 1)
    assert cache.misses == 10  # the oldest was dropped


def test_sessions_that_see_callers_differently_never_share_a_frame():
    cache = FrameCache()
    full = cache.event_frames(_STREAM.epoch, [_event(1)], 1, "full")
    masked = cache.event_frames(_STREAM.epoch, [_event(1)], 1, "masked")
    assert full is not masked and cache.misses == 2
    assert cache.event_frames(_STREAM.epoch, [_event(1)], 1, "masked") is masked
