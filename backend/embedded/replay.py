"""Replay a finished training session from its event log, at a chosen speed, for the debrief.

A replay is a hub of its own over a fresh store holding the session's city. A replayer
task on the hub's loop copies the recorded events into that store in sequence order as
the replay clock (a :class:`~backend.clock.SimClock`, so pause, speed and skip work as in
the session) passes each event's time, through the store's own ``write_outcome`` (case
row, numbered event, supervision orders), then wakes the pump: consoles connected to the
replay hub see the session unfold exactly as it was published, seq for seq.

The replay hub never runs the SLA sweeper (the recorded SLA events are replayed instead)
and its users are read-only (role ``wall``), so a debrief cannot change what happened.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
import tempfile
import threading
from pathlib import Path
from typing import NamedTuple

from backend.clock import SimClock
from backend.embedded.hub_thread import HubThread
from backend.sim.cityview import CityView
from backend.store import Store
from backend.store.commands import write_outcome
from backend.store.feed import load_case
from domain.city import CityData
from domain.lifecycle import Outcome
from domain.protocol import FeedEvent
from domain.rules import default_rules

#: Events copied per page read from the session's store.
PAGE = 2000
#: The replay hub's SLA sweeper never runs: the session's own SLA events are replayed.
NO_SWEEP = 10.0 ** 9


class ReplayError(ValueError):
    """A session that cannot be replayed; the message says why."""


def prepare_store(source: Store, target_url: str) -> Store:
    """A migrated store at ``target_url`` with ``source``'s city and departments and no cases."""
    target = Store.open(target_url, require_current=False)
    target.migrate()
    if target.head()[1] != 0:
        target.close()
        raise ReplayError(f"{target_url} already holds events; a replay needs an empty store")
    if target.counts().get("nodes", 0) == 0:
        workers = [w for ws in CityView.from_store(source).workers.values() for w in ws]
        target.import_city(CityData(nodes=source.nodes(with_geometry=True), workers=workers))
        target.import_departments(source.departments())
    return target


def append_recorded(store: Store, events: list[FeedEvent]) -> int:
    """Write recorded events (in seq order) through the store's own outcome writer; returns the head."""
    head = store.head()[1]
    with store._write() as conn:  # one transaction, as the hub's own writes (see bulk.batch)
        for fe in events:
            if fe.seq != head + 1:
                raise ReplayError(f"recorded event seq {fe.seq} does not follow the replay's head {head}")
            before = load_case(conn, fe.case.id, lock=True)
            write_outcome(conn, False, before, Outcome(fe.case, [fe.event]), 0)
            head = fe.seq
    return head


class _Running(NamedTuple):
    """A started replay's parts, none of them None."""

    source: Store
    store: Store
    hub: HubThread
    clock: SimClock


class Replay:
    """A session's events re-published by a hub of its own, following a replay clock."""

    def __init__(self, session_db: str, workdir: Path | str | None = None, *, speed: float = 60.0,
                 start: float | None = None, host: str = "127.0.0.1", port: int = 0, tick: float = 0.1) -> None:
        """``workdir``: where the replay's own store goes (default: a temporary folder, removed on stop)."""
        if speed <= 0:
            raise ValueError(f"speed must be positive, got {speed}")
        self.session_db = session_db
        self._own_workdir = workdir is None
        self.workdir = Path(tempfile.mkdtemp(prefix="gridcc-replay-") if workdir is None else workdir)
        self.speed, self.start_at, self.host, self.port, self.tick = speed, start, host, port, tick
        self.source: Store | None = None
        self.store: Store | None = None
        self.hub: HubThread | None = None
        self.clock: SimClock | None = None
        self.total = 0  # the session's head seq
        self.replayed = 0
        self.finished = threading.Event()
        self._runner: concurrent.futures.Future | None = None

    def start(self) -> Replay:
        self.source = Store.open(self.session_db)
        self.total = self.source.head()[1]
        if self.total == 0:
            self.source.close()
            raise ReplayError(f"{self.session_db}: the session has no events to replay")
        first = self.source.events_after(0, 1)[0]
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.store = prepare_store(self.source, f"sqlite:///{self.workdir / 'replay.db'}")
        start = first.event.at if self.start_at is None else self.start_at
        self.clock = SimClock(start=start, speed=self.speed)
        # Imported here: backend.embedded imports this module to re-export Replay.

        self.hub = HubThread(self.store, rules=default_rules(), clock=self.clock, host=self.host, port=self.port,
                             sweep_interval=NO_SWEEP).start()
        self._runner = self.hub.spawn(self._run)
        return self

    def _running(self) -> _Running:
        if self.source is None or self.store is None or self.hub is None or self.clock is None:
            raise RuntimeError("the replay is not running")
        return _Running(self.source, self.store, self.hub, self.clock)

    @property
    def url(self) -> str:
        return self._running().hub.url

    def token(self, scope: str = "", name: str = "复盘") -> str:
        """A read-only viewer (role wall) of ``scope``: the console shows everything, changes nothing."""
        return self._running().store.add_user(name, "wall", scope)[1]

    async def _run(self, stop: asyncio.Event) -> None:
        run = self._running()
        hub = run.hub.hub
        pending: list[FeedEvent] = []
        cursor = 0
        while not stop.is_set():
            if not pending and cursor < self.total:
                pending = await hub.read(run.source.events_after, cursor, PAGE)
                cursor = pending[-1].seq if pending else self.total
            now = run.clock.now()
            due = 0
            while due < len(pending) and pending[due].event.at <= now:
                due += 1
            if due:
                self.replayed = await hub.write(append_recorded, run.store, pending[:due])
                del pending[:due]
                hub.wake_pump()
                continue
            if self.replayed >= self.total:
                self.finished.set()
            try:
                await asyncio.wait_for(stop.wait(), self.tick)
            except TimeoutError:
                pass

    def next_at(self) -> float | None:
        """Simulated time of the next event still to replay, or None when all are out."""
        if self.replayed >= self.total:
            return None
        events = self._running().source.events_after(self.replayed, 1)
        return events[0].event.at if events else None

    def stop(self) -> None:
        if self.hub is not None:
            self.hub.stop()  # stops the replay task first
            self.hub = None
        for store in (self.store, self.source):
            if store is not None:
                store.close()
        self.store = self.source = None
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


__all__ = ["Replay", "ReplayError", "append_recorded", "prepare_store"]
