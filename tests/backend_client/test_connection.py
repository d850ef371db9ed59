"""Connection pieces that need no hub, and the refusals that must not turn into a retry loop."""

from __future__ import annotations

import random

import pytest

from backend_client.connection import Backoff, Connection, LinkState
from backend_client.outbox import Outbox


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    backoff = Backoff(base=0.5, factor=2.0, cap=15.0)
    rng = random.Random(1)
    for attempt, full in enumerate([0.5, 1, 2, 4, 8, 15, 15, 15]):
        delays = {backoff.delay(attempt, rng) for _ in range(50)}
        assert all(full / 2 <= d <= full for d in delays), (attempt, delays)
        assert len(delays) > 1  # jittered, so a crowd of consoles does not reconnect in step
    assert backoff.delay(10_000) <= 15.0
    with pytest.raises(ValueError, match="attempt must be 0 or more"):
        backoff.delay(-1)


def test_a_token_is_required(tmp_path):
    with pytest.raises(ValueError, match="bearer token is required"):
        Connection("ws://127.0.0.1:1/v1/feed", "", "370202", client_id="c", sink=print,
                   outbox=Outbox(tmp_path / "o.sqlite3"))


def test_a_wrong_path_is_final_not_retried(hub, token, make_client):
    client = make_client(hub.url.replace("/v1/feed", "/nope"), token)
    client.start()
    assert client.wait_until(lambda c: c.state.state is LinkState.OFFLINE)
    assert client.state.final and "HTTP 404" in client.state.reason


def test_a_scope_outside_the_jurisdiction_is_final(hub, token, make_client):
    client = make_client(hub.url, token, scope="370203")  # the operator's street is 370202001
    client.start()
    assert client.wait_until(lambda c: c.state.state is LinkState.OFFLINE)
    assert client.state.final and "refused" in client.state.reason
