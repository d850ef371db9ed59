"""The Qt bridge: the worker only queues; a GUI-thread timer drains and emits batches."""

from __future__ import annotations

import threading

import pytest

from backend.embedded import HubThread
from backend_client.connection import LinkState
from backend_client.qt_bridge import QtBridge
from domain.model import Source, State, Urgency
from tests.backend_client.conftest import GRID, STREET
from tests.backend_client.streams import FeedStream, snapshot_frames
from tests.backend_client.test_client_live import new_threads


def test_live_feed_reaches_the_gui_thread_in_batches(qtbot, hub, token, make_client, producer):
    before = set(threading.enumerate())
    client = make_client(hub.url, token)
    bridge = QtBridge(client)
    seen, threads, progress = [], set(), []
    bridge.changes.connect(lambda ch: (seen.extend(fe.seq for fe in ch.events), threads.add(threading.get_ident())))
    bridge.resyncing.connect(lambda st: progress.append(st.progress))
    with qtbot.waitSignal(bridge.live, timeout=10000) as live:
        bridge.start()
    assert live.args[0].state is LinkState.LIVE
    assert (1, 1) in progress  # the (empty) snapshot's one chunk was reported
    producer.burst(40)
    qtbot.waitUntil(lambda: len(seen) == 40, timeout=10000)
    assert seen == list(range(1, 41))
    assert threads == {threading.main_thread().ident}  # emitted on the GUI thread
    assert len(client.index) == 20 and client.replica.seq == 40  # no lock needed: all on this thread
    target = producer.report()
    qtbot.waitUntil(lambda: target.id in client.replica.cases, timeout=10000)
    with qtbot.waitSignal(bridge.answers, timeout=10000) as answered:
        fut = client.accept(target.id)
        assert client.replica.pending_ids == {target.id}  # greyed at once, before any frame
    assert answered.args[0][0].command_id == fut.result(0).command_id
    assert fut.result(0).case.state is State.ACCEPTED and not client.replica.pending_ids
    bridge.stop()
    assert new_threads(before) == []


def test_offline_signal_carries_the_reason_and_the_outbox_count(qtbot, hub_store, token, make_client):
    probe = HubThread(hub_store).start()
    url = probe.url
    probe.stop()
    client = make_client(url, token)
    bridge = QtBridge(client)
    with qtbot.waitSignal(bridge.offline, timeout=10000) as first:
        bridge.start()
    assert "cannot reach the hub" in first.args[0].reason and first.args[0].outbox == 0
    client.report(GRID, "10103", Urgency.NORMAL, Source.RESIDENT, "噪音扰民")
    with qtbot.waitSignal(bridge.offline, timeout=10000,
                          check_params_cb=lambda st: st.outbox == 1) as later:
        pass
    assert not later.args[0].final and later.args[0].retry_in is not None
    bridge.stop()


def test_a_big_snapshot_is_spread_over_ticks(qtbot, make_client):
    client = make_client("ws://127.0.0.1:9/v1/feed", "t")  # never started: frames are fed by hand
    bridge = QtBridge(client, budget=0.0)
    stream = FeedStream(4, grids=tuple(g for g in ("370202001001001", "370202001002001")))
    frames = snapshot_frames(STREET, stream, stream.initial(400), chunk=50)
    client.inbox.extend(frames)
    resets = []
    bridge.changes.connect(lambda ch: resets.append(ch.reset))
    ticks = 0
    while client.inbox:
        bridge.drain()
        ticks += 1
    assert ticks == len(frames)  # one frame per tick with a zero budget: the GUI never stalls for all of them
    assert resets == [True] and len(client.index) == len(stream.in_scope(STREET))


def test_the_bridge_refuses_a_started_client_and_bad_rates(hub, token, make_client):
    client = make_client(hub.url, token)
    with pytest.raises(ValueError, match="hz must be in"):
        QtBridge(client, hz=60)
    client.start()
    with pytest.raises(RuntimeError, match="before starting the client"):
        QtBridge(client)
