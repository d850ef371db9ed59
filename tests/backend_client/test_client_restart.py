"""Crashes on either side: a SIGKILLed hub process, a client closed with commands unanswered."""

from __future__ import annotations

import threading
import time

import pytest

from backend.embedded import HubThread
from backend.testing import HubProcess
from backend_client.connection import LinkState
from backend_client.outbox import Outbox
from domain import protocol as p
from domain.commands import CommandRequest
from domain.model import Action, Args, Source, State, Urgency
from domain.rules import default_rules
from tests.backend_client.conftest import GRID, STREET, eventually
from tests.backend_client.test_client_live import assert_replica_matches_store, is_live, record_seqs


@pytest.mark.slow
def test_killing_the_hub_mid_stream_loses_and_repeats_nothing(tmp_path, hub_store, token, make_client, producer):
    db_url = f"sqlite:///{tmp_path / 'hub.db'}"
    hub = HubProcess(db_url, tmp_path, name="killed-hub").start()
    try:
        client = make_client(hub.url, token)
        seqs = record_seqs(client)
        states = []
        client.add_listener(lambda batch: states.extend(batch.states))
        client.start()
        assert client.wait_until(is_live, 20), client.state
        writer = threading.Thread(target=producer.burst, args=(500,))  # other consoles keep working
        writer.start()
        assert client.wait_until(lambda c: c.replica.seq >= 100, 20)
        hub.kill()  # mid-stream: frames in flight are lost with the process
        assert client.wait_until(lambda c: c.state.state is LinkState.OFFLINE, 20)
        hub.start()  # same port, same database, same epoch
        writer.join()
        assert client.wait_until(lambda c: c.replica.seq == 500 and is_live(c), 30), client.replica.seq
    finally:
        hub.stop()
    assert seqs == list(range(1, 501))  # every sequence number exactly once, in order
    assert [s.reason for s in states if s.state is LinkState.RESYNCING][-1] == "resuming"
    assert_replica_matches_store(client, hub_store)


def test_outbox_survives_a_client_restart_and_applies_once(tmp_path, hub_store, token, make_client):
    # Learn a free port, then leave it closed: the first client works offline.
    probe = HubThread(hub_store).start()
    port, url = probe.hub.port, probe.url
    probe.stop()
    first = make_client(url, token, name="console")
    first.start()
    made = [first.report(GRID, "10103", Urgency.NORMAL, Source.RESIDENT, f"路灯不亮 {i}") for i in range(3)]
    assert first.wait_until(lambda c: c.state.state is LinkState.OFFLINE)
    assert len(first.outbox) == 3 and not any(f.done() for f in made)
    client_id = first.client_id
    first.close()  # the app is closed with three commands unanswered

    # One of them did reach the hub before the crash: the hub applied it but the ack was lost.
    box = Outbox(tmp_path / "console.outbox.sqlite3")
    assert box.client_id() == client_id
    sent = box.pending()[0]
    actor = hub_store.authenticate(token)
    first_answer = hub_store.execute(CommandRequest(client_id=client_id, id=sent.id, action=sent.action, case_id=None,
                                                    expected_version=None, args=sent.args, actor=actor),
                                     time.time(), default_rules())
    assert isinstance(first_answer, p.CommandAck)
    box.close()

    with HubThread(hub_store, port=port, heartbeat_interval=0.5, poll_interval=0.05):
        second = make_client(url, token, name="console")
        answers = []
        second.add_listener(lambda batch: answers.extend(batch.answers))
        assert second.client_id == client_id  # kept with the outbox
        second.start()
        assert second.wait_until(lambda c: len(c.outbox) == 0 and len(c.replica.cases) == 3, 20), \
            (len(second.outbox), second.replica.cases.keys())
        assert hub_store.head()[1] == 3  # three reports, not four
        assert sorted(a.replayed for a in answers) == [False, False, True]
        replayed = next(a for a in answers if a.replayed)
        assert replayed.command_id == sent.id and replayed.case_id == first_answer.case_id
        with second.lock:
            assert not second.replica.pending_ids


def test_commands_made_offline_are_pending_then_sent_on_connect(tmp_path, hub_store, token, make_client):
    probe = HubThread(hub_store).start()
    port, url = probe.hub.port, probe.url
    probe.stop()
    client = make_client(url, token)
    client.start()
    assert client.wait_until(lambda c: c.state.state is LinkState.OFFLINE)
    assert client.state.outbox == 0 and client.state.retry_in is not None
    fut = client.command(Action.REPORT, None, Args(node=GRID, category="10103", urgency=Urgency.CRITICAL,
                                                   source=Source.HOTLINE, description="电梯困人"))
    assert client.wait_until(lambda c: c.state.outbox == 1, 10)  # the next offline state counts it
    with HubThread(hub_store, port=port, heartbeat_interval=0.5, poll_interval=0.05):
        ack = fut.result(20)
        assert ack.case.state is State.REPORTED and ack.case.node.startswith(STREET)
        eventually(lambda: len(client.outbox) == 0)
