"""Real hubs on loopback (port 0) over a SQLite store in tmp_path, and clients that clean up."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from backend.embedded import HubThread
from backend.store import Store
from backend_client.client import GridClient
from backend_client.connection import Backoff
from domain.commands import CommandRequest
from domain.model import Action, Args, Role, Source, Urgency
from domain.rules import default_rules

STREET = "370202001"
GRID = "370202001001001"
FAST = Backoff(base=0.05, factor=2.0, cap=0.5)


def eventually(predicate: Callable[[], bool], timeout: float = 15.0, what: str = "condition") -> None:
    """Wait for a condition owned by another thread or process (polls; never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    tick = threading.Event()
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        tick.wait(0.01)


def open_store(path) -> Store:
    store = Store.open(f"sqlite:///{path}", require_current=False)
    store.migrate()
    return store


@pytest.fixture
def hub_store(tmp_path) -> Iterator[Store]:
    store = open_store(tmp_path / "hub.db")
    yield store
    store.close()


@pytest.fixture
def token(hub_store) -> str:
    return hub_store.add_user("值班员", Role.OPERATOR, STREET)[1]


@pytest.fixture
def hub(hub_store) -> Iterator[HubThread]:
    with HubThread(hub_store, heartbeat_interval=0.5, poll_interval=0.05, sweep_interval=0.2) as running:
        yield running


@pytest.fixture
def make_client(tmp_path) -> Iterator[Callable[..., GridClient]]:
    made: list[GridClient] = []

    def _make(url: str, token: str, name: str = "console", scope: str = STREET, **kw) -> GridClient:
        kw.setdefault("backoff", FAST)
        client = GridClient(url, token, scope, outbox_path=tmp_path / f"{name}.outbox.sqlite3", **kw)
        made.append(client)
        return client

    yield _make
    for client in made:
        client.close()


class Producer:
    """Writes commands straight into the store, as other consoles on the hub would."""

    def __init__(self, store: Store, token: str) -> None:
        self.store, self.rules = store, default_rules()
        self.actor = store.authenticate(token)
        self.n = 0

    def run(self, action: Action, case_id=None, expected_version=None, **args):
        self.n += 1
        return self.store.execute(CommandRequest(client_id="producer", id=f"p{self.n}", action=action, case_id=case_id,
                                                 expected_version=expected_version, args=Args(**args),
                                                 actor=self.actor),
                                  time.time(), self.rules)

    def report(self, grid: str = GRID, urgency: Urgency = Urgency.NORMAL):
        return self.run(Action.REPORT, node=grid, category="10103", urgency=urgency, source=Source.GRID_WORKER,
                        description="井盖缺失", address="香港中路10号").case

    def burst(self, n: int) -> None:
        """``n`` events: reports, and accepts of what was reported."""
        for i in range(n):
            if i % 2 == 0:
                self._last = self.report()
            else:
                self.run(Action.ACCEPT, self._last.id, self._last.version)


@pytest.fixture
def producer(hub_store, token) -> Producer:
    return Producer(hub_store, token)
