"""A city-like snapshot from a real hub (its warm snapshot cache, real SQLite): what the console's
bulk paths make of it (bytes off the socket, the one-pass index columns, the bulk index load)
equals the plain per-case path on the same cases."""

from __future__ import annotations

import random
import time
from typing import cast

import msgspec
import numpy as np
from sqlalchemy import Table, insert

from backend.embedded import HubThread
from backend.store.commands import case_values
from backend.store.models import CaseRow
from backend_client.queue_index import QUEUE_BITS, CaseIndex, queue_bits
from domain.model import Case, Role
from domain.queues import Queue

from .conftest import eventually
from .test_queue_columns import ME, varied_case

SCOPE = "370202"


def _insert(store, cases: list[Case]) -> None:
    """Case rows as the store's command path writes them (``case_values``), in one transaction."""
    with store._write() as conn:
        conn.execute(insert(cast(Table, CaseRow.__table__)), [case_values(c) for c in cases])


def _rows(index: CaseIndex, ids) -> dict[str, tuple]:
    keys = [k for k in index.cols if k != "gen"]  # generations differ by how the index was filled
    out = {}
    for case_id in ids:
        slot = index.slot_of(case_id)
        assert slot is not None
        out[case_id] = tuple(index.cols[k][slot].item() for k in keys) + (index.cases[slot],)
    return out


def test_a_snapshot_from_a_real_hub_is_indexed_as_the_plain_path_indexes_it(hub_store, make_client):
    rng, now = random.Random(5), time.time()
    _insert(hub_store, [varied_case(rng, n, now=now) for n in range(3000)])
    _, token = hub_store.add_user("区值班员", Role.OPERATOR, SCOPE)
    with HubThread(hub_store, heartbeat_interval=0.5, poll_interval=0.05) as hub:
        cache = hub.hub.snapshot_cache
        assert cache is not None
        eventually(lambda: cache.warm, what="the hub's snapshot cache to load")
        client = make_client(hub.url, token, name="bulk", scope=SCOPE)
        client.index.set_me(ME)
        client.start()
        eventually(lambda: (client.drain(), client.replica.ready and not client.indexing)[1],
                   what="the snapshot to be applied")
        expected = {c.id: c for c in map(msgspec.json.Decoder(Case).decode, hub_store.snapshot(SCOPE, now).bodies)}
    held = client.replica.cases
    assert held == expected and len(held) > 1000
    plain = CaseIndex()
    plain.me = ME
    for case in held.values():  # one case at a time, as live events are indexed
        plain.upsert(case)
    assert _rows(client.index, held) == _rows(plain, held) and len(client.index) == len(held)
    bits = [client.index.cols["queues"][client.index.slot_of(i)] for i in held]
    assert bits == [queue_bits(c, ME) for c in held.values()]
    assert np.count_nonzero(np.array(bits) & QUEUE_BITS[Queue.MINE]) > 0  # some held cases are 我的待办
