"""The hub as a real process: crash safety, and several hubs on one PostgreSQL."""

from __future__ import annotations

import pytest
from websockets.exceptions import ConnectionClosed

from backend.store import Store
from backend.testing import HubProcess
from domain import protocol as p
from domain.model import Action, Args, Source, Urgency
from tests.backend.feedclient import FeedClient

GRID = "370202001001001"


def _report(cid: str) -> p.Command:
    return p.Command(id=cid, action=Action.REPORT, args=Args(
        node=GRID, category="10103", urgency=Urgency.NORMAL, source=Source.GRID_WORKER, description=cid))


@pytest.fixture
def migrated(db_url):
    store = Store.open(db_url, require_current=False)
    store.migrate()
    token = store.add_user("值班员", "operator", "370202")[1]
    store.close()
    return db_url, token


def test_sigkill_loses_no_acknowledged_command(migrated, tmp_path):
    db_url, token = migrated
    hub = HubProcess(db_url, tmp_path).start()
    client = FeedClient(hub.url, token)
    acked: dict[str, p.CommandAck] = {}
    for i in range(40):
        client.send(_report(f"before-{i}"))
    client.pump(lambda: len(client.answers) == 40, timeout=60)
    acked.update({k: v for k, v in client.answers.items() if isinstance(v, p.CommandAck)})
    # Fire more commands and kill the hub while they are in flight.
    for i in range(40):
        client.send(_report(f"during-{i}"))
    try:
        client.pump(lambda: len(client.answers) >= 45, timeout=30)
    except (TimeoutError, ConnectionClosed):
        pass
    hub.kill()
    acked.update({k: v for k, v in client.answers.items() if isinstance(v, p.CommandAck)})
    assert len(acked) >= 45

    store = Store.open(db_url)
    try:
        for ack in acked.values():
            case = store.case(ack.case_id)
            assert case is not None and case.version == ack.version
        epoch, head = store.head()
        assert head >= max(a.seq for a in acked.values())
    finally:
        store.close()

    # Restarted on the same port and database, the same command ids get their first answers.
    hub.start()
    again = FeedClient(hub.url, token, client_id=client.client_id)
    for cid, ack in list(acked.items())[:5]:
        again.send(_report(cid))
        answer = again.pump(lambda: again.answers.get(cid), timeout=30)
        assert answer.replayed and answer.case_id == ack.case_id
    hub.stop()


@pytest.mark.postgres
def test_two_hubs_share_one_ordered_stream(tmp_path, request):
    url = request.getfixturevalue("pg_session_url")
    from tests.backend.conftest import _reset_pg

    _reset_pg(url)
    store = Store.open(url, require_current=False)
    store.migrate()
    token = store.add_user("值班员", "operator", "370202")[1]
    store.close()
    with HubProcess(url, tmp_path, name="hub-a") as hub_a, HubProcess(url, tmp_path, name="hub-b") as hub_b:
        watcher = FeedClient(hub_a.url, token)
        watcher.subscribe("370202")
        writer_a = FeedClient(hub_a.url, token)
        writer_b = FeedClient(hub_b.url, token)
        for i in range(30):
            writer_a.send(_report(f"a-{i}"))
            writer_b.send(_report(f"b-{i}"))
        writer_a.pump(lambda: len(writer_a.answers) == 30, timeout=60)
        writer_b.pump(lambda: len(writer_b.answers) == 30, timeout=60)
        top = max(a.seq for a in list(writer_a.answers.values()) + list(writer_b.answers.values()))
        watcher.pump(lambda: top in watcher.seqs(), timeout=30)
        assert watcher.seqs() == list(range(1, top + 1))  # both hubs' commands, in order, gap-free

        # The watcher leaves hub A and resumes on hub B, missing nothing.
        epoch, seen = watcher.welcome.epoch, watcher.upto
        watcher.close()
        for i in range(10):
            writer_a.send(_report(f"a2-{i}"))
        writer_a.pump(lambda: len(writer_a.answers) == 40, timeout=60)
        resumed = FeedClient(hub_b.url, token)
        answer = resumed.subscribe("370202", resume=p.Resume(epoch=epoch, seq=seen))
        assert isinstance(answer, p.Resumed) and answer.from_seq == seen + 1
        last = max(a.seq for a in writer_a.answers.values())
        resumed.pump(lambda: last in resumed.seqs(), timeout=30)
        assert resumed.seqs() == list(range(seen + 1, last + 1))
