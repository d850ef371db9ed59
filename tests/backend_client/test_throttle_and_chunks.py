"""The client side of protocol 2: throttled commands are sent again, directories come in chunks."""

from __future__ import annotations

from backend.embedded import HubThread
from backend_client.client import GridClient
from backend_client.connection import Connection
from backend_client.outbox import Outbox
from domain import protocol as p
from domain.catalog import Department
from domain.city import NodeInfo
from domain.model import Source, Urgency
from tests.backend_client.conftest import GRID, STREET, open_store


def test_throttled_commands_are_sent_again_until_answered(tmp_path):
    store = open_store(tmp_path / "hub.db")
    token = store.add_user("值班员", "operator", STREET)[1]
    with HubThread(store, max_in_flight=2, user_burst=5, user_rate=50.0) as hub:
        client = GridClient(hub.url, token, STREET, outbox_path=tmp_path / "outbox.db").start()
        try:
            futures = [client.report(GRID, "10103", Urgency.NORMAL, Source.GRID_WORKER, f"井盖{i}")
                       for i in range(30)]
            acks = [f.result(timeout=60) for f in futures]
            assert all(isinstance(a, p.CommandAck) for a in acks)
            assert len({a.case_id for a in acks}) == 30  # each ran once
            assert hub.hub.commands_throttled > 0  # the limits did bite
        finally:
            client.close()
    store.close()


def test_directory_chunks_are_reassembled_in_order(tmp_path):
    conn = Connection("ws://127.0.0.1:1/v1/feed", "t", STREET, client_id="c", sink=lambda m: None,
                      outbox=Outbox(tmp_path / "o.sqlite3"))
    nodes = [NodeInfo(code=f"{STREET}{i:03d}", name=f"社区{i}", level=4, parent=STREET) for i in range(1, 6)]
    dept = Department(code="cg", name="城管", kind="government")
    frames = [p.decode_server(f) for f in p.directory_messages(STREET, nodes, [dept], chunk=2)]
    assert [f.total_chunks for f in frames] == [3, 3, 3]
    assert conn._directory_chunk(frames[0]) is None and conn._directory_chunk(frames[1]) is None
    whole = conn._directory_chunk(frames[2])
    assert whole.nodes == nodes and whole.departments == [dept]
    # a chunk whose start was lost is dropped, then a fresh answer assembles
    assert conn._directory_chunk(frames[1]) is None
    for f in frames[:2]:
        assert conn._directory_chunk(f) is None
    assert conn._directory_chunk(frames[2]).nodes == nodes
