"""The thread switch interval is short while a snapshot is staged and comes back after, however it ends."""

from __future__ import annotations

import sys

import pytest

from backend_client import switching
from backend_client.client import GridClient
from domain import protocol as p

from .streams import FeedStream, snapshot_frames

SCOPE = "370202"


def _snapshot():
    stream = FeedStream(3)
    stream.initial(120)
    return snapshot_frames(SCOPE, stream, list(stream.cases.values()), chunk=40)


def _client(tmp_path, name: str) -> GridClient:
    client = GridClient("ws://127.0.0.1:9/v1/feed", "t", SCOPE, outbox_path=tmp_path / f"{name}.db",
                        drain_in_worker=False)
    client.connection.resync = lambda: None  # type: ignore[method-assign]
    return client


def test_staging_shortens_the_switch_interval_until_the_snapshot_is_in(tmp_path):
    snap, before = _snapshot(), sys.getswitchinterval()
    client = _client(tmp_path, "whole")
    try:
        client._receive(snap[0])
        assert sys.getswitchinterval() == pytest.approx(min(before, switching.STAGING_INTERVAL))  # kept in whole µs
        for msg in snap[1:]:
            client._receive(msg)
        assert sys.getswitchinterval() == before and client.drain() is not None and client.replica.ready
    finally:
        client.outbox.close()


def test_a_cut_short_or_bad_staging_puts_the_interval_back(tmp_path):
    snap, before = _snapshot(), sys.getswitchinterval()
    client = _client(tmp_path, "cut")
    try:
        client._receive(snap[0])
        client._receive(p.Resumed(epoch="e", from_seq=1, to_seq=1))
        assert sys.getswitchinterval() == before
        client._receive(snap[0])
        client._receive(snap[2])  # out of order: the staging ends in error
        assert sys.getswitchinterval() == before and client._staged is None
    finally:
        client.outbox.close()


def test_two_stagings_keep_it_short_until_both_end():
    before = sys.getswitchinterval()
    switching.shorten()
    switching.shorten()
    switching.restore()
    assert sys.getswitchinterval() == pytest.approx(min(before, switching.STAGING_INTERVAL))  # kept in whole µs
    switching.restore()
    assert sys.getswitchinterval() == before
    switching.restore()  # one too many changes nothing
    assert sys.getswitchinterval() == before
