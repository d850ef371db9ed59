"""Replay a finished training session from its event log, at a chosen speed, for the debrief.

A replay is a hub of its own over a fresh store holding the session's city. A replayer
task on the hub's loop copies the recorded events into that store in sequence order as
the replay clock (a :class:`~backend.clock.SimClock`, so pause, speed and skip work as in
the session) passes each event's time, through the store's own ``write_outcome`` (case
row, numbered event, supervision orders), then wakes the pump: consoles connected to the
replay hub see the session unfold exactly as it was published, seq for seq.

The replay hub never runs the SLA sweeper (the recorded SLA events are replayed instead)
and its users are read-only (role ``wall``), so a debrief cannot change what happened.

Seeking (:meth:`Replay.seek`): forward, or back to a time no replayed event is past, only
moves the clock (the replayer catches up at once). Further back, a new generation of the
replay store is built beside the running one — a copy of the city-only template, the
viewers' accounts, a fresh stream epoch, and the recorded events up to the target fed
without pacing — and the hub restarts on it on the same port. Connected consoles reconnect
by themselves, are told the epoch changed (``snapshot_required``) and take a snapshot, so
they show exactly the session as it stood at the target time.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import insert, select

from backend.clock import SimClock
from backend.embedded.hub_thread import HubThread
from backend.sim.cityview import CityView
from backend.store import Store
from backend.store.archive import new_epoch
from backend.store.commands import write_outcome
from backend.store.feed import load_case
from backend.store.models import UserRow
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


def feed_until(source: Store, target: Store, until: float, after: int = 0) -> tuple[int, float | None]:
    """Append ``source``'s events after seq ``after`` up to simulated time ``until`` (inclusive), without
    pacing; returns the new head and the time of the last event written (None when none was)."""
    head, last_at = after, None
    while True:
        page = source.events_after(head, PAGE)
        due = [fe for fe in page if fe.event.at <= until]
        if due:
            head, last_at = append_recorded(target, due), due[-1].event.at
        if len(due) < len(page) or len(page) < PAGE:
            return head, last_at


def copy_users(source: Store, target: Store) -> int:
    """The accounts (viewers' tokens) of one replay generation into the next."""
    with source._read() as conn:
        rows = [dict(r) for r in conn.execute(select(UserRow)).mappings()]
    if rows:
        with target._write() as conn:
            conn.execute(insert(UserRow), rows)
    return len(rows)


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite file (WAL included), through SQLite's own backup."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


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
        self.replayed_at: float | None = None  # simulated time of the last event replayed
        self.first_at = self.end_at = 0.0  # simulated times of the session's first and last events
        self.generation = 0  # how many times a seek rebuilt the replay store
        self.finished = threading.Event()
        self._runner: concurrent.futures.Future | None = None
        self._seek_lock = threading.Lock()
        self._writing_upto: float | None = None  # time of the last event of the batch being written

    def start(self) -> Replay:
        self.source = Store.open(self.session_db)
        self.total = self.source.head()[1]
        if self.total == 0:
            self.source.close()
            raise ReplayError(f"{self.session_db}: the session has no events to replay")
        self.first_at = self.source.events_after(0, 1)[0].event.at
        self.end_at = self.source.events_after(self.total - 1, 1)[0].event.at
        self.workdir.mkdir(parents=True, exist_ok=True)
        prepare_store(self.source, f"sqlite:///{self._template}").close()  # the city, no cases: each generation's start
        self.store = self._new_generation()
        start = self.first_at if self.start_at is None else self.start_at
        self.clock = SimClock(start=start, speed=self.speed)
        self._start_hub()
        return self

    @property
    def _template(self) -> Path:
        return self.workdir / "replay-city.db"

    def _generation_path(self, generation: int) -> Path:
        return self.workdir / ("replay.db" if generation == 0 else f"replay-{generation}.db")

    def _new_generation(self) -> Store:
        """A store for generation ``self.generation``: the template, the viewers so far, a fresh epoch."""
        path = self._generation_path(self.generation)
        copy_sqlite(self._template, path)
        store = Store.open(f"sqlite:///{path}")
        try:
            new_epoch(store)  # consoles of the previous generation must take a snapshot, never resume
            if self.store is not None:
                copy_users(self.store, store)
        except BaseException:
            store.close()
            raise
        return store

    def _start_hub(self) -> None:
        assert self.store is not None and self.clock is not None
        self.hub = HubThread(self.store, rules=default_rules(), clock=self.clock, host=self.host, port=self.port,
                             sweep_interval=NO_SWEEP).start()
        self.port = self.hub.hub.port  # a later generation listens where the consoles already connect
        self._runner = self.hub.spawn(self._run)

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
        cursor = self.replayed  # a generation built by a seek starts with the events up to the target
        while not stop.is_set():
            if not pending and cursor < self.total:
                pending = await hub.read(run.source.events_after, cursor, PAGE)
                cursor = pending[-1].seq if pending else self.total
            now = run.clock.now()
            due = 0
            while due < len(pending) and pending[due].event.at <= now:
                due += 1
            if due:
                self._writing_upto = pending[due - 1].event.at  # set before yielding to the loop: see _move_clock
                self.replayed = await hub.write(append_recorded, run.store, pending[:due])
                self.replayed_at, self._writing_upto = self._writing_upto, None
                del pending[:due]
                hub.wake_pump()
                continue
            if self.replayed >= self.total:
                self.finished.set()
            try:
                await asyncio.wait_for(stop.wait(), self.tick)
            except TimeoutError:
                pass

    def seek(self, at: float) -> None:
        """Show the session as it stood at simulated time ``at`` (clamped to the session); keeps the
        speed and whether the clock is paused. Blocking (a rebuild takes a moment): call it off the GUI thread."""
        with self._seek_lock:
            run = self._running()
            at = min(max(at, self.begin_at), self.end_at)
            if run.hub.call(self._move_clock(at)):
                return
            self.generation += 1
            store = self._new_generation()
            try:
                head, last_at = feed_until(run.source, store, at)
            except BaseException:
                store.close()
                raise
            run.hub.stop()  # its replayer first: nothing more is written to the old generation
            run.store.close()
            self._generation_path(self.generation - 1).unlink(missing_ok=True)
            self.store, self.replayed, self.replayed_at = store, head, last_at
            self.finished.clear()
            run.clock.reset(at)
            self._start_hub()

    async def _move_clock(self, at: float) -> bool:
        """On the hub's loop, between two replayer steps: move the clock to ``at`` when nothing
        replayed (or being written) lies past it, so no rebuild is needed; True when done."""
        latest = self._writing_upto if self._writing_upto is not None else self.replayed_at
        if latest is not None and latest > at:
            return False
        self._running().clock.reset(at)  # the replayer catches up from here
        return True

    @property
    def begin_at(self) -> float:
        """Where the replay starts: the session's start, else its first event."""
        return self.first_at if self.start_at is None else min(self.start_at, self.first_at)

    def next_at(self) -> float | None:
        """Simulated time of the next event still to replay, or None when all are out."""
        if self.replayed >= self.total:
            return None
        events = self._running().source.events_after(self.replayed, 1)
        return events[0].event.at if events else None

    def stop(self) -> None:
        with self._seek_lock:  # a seek under way finishes first, so no hub outlives the replay
            if self.hub is not None:
                self.hub.stop()  # stops the replay task first
                self.hub = None
            for store in (self.store, self.source):
                if store is not None:
                    store.close()
            self.store = self.source = None
            if self._own_workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)


__all__ = ["Replay", "ReplayError", "append_recorded", "copy_users", "feed_until", "prepare_store"]
