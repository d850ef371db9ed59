"""The hub: a websockets server over the store, publishing the event stream in order.

Only the pump publishes: it reads committed events from the store in sequence
order and offers them to every session. Local commits, PostgreSQL notifications
from other hubs, and a polling timer only *wake* it. So events from this hub and
from any other hub on the same database reach clients in one order, gap-free.

The store is synchronous (SQLAlchemy); writes go through one worker thread
(commands and the SLA sweeper are serialised, as the database would anyway) and
reads (snapshots, replays, the pump) through another pool, so a large snapshot
never holds up a command.
"""

from __future__ import annotations

import asyncio
import http
import logging
import os
import socket
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import msgspec
from websockets.asyncio.server import Server, serve

from backend import fanout
from backend.clock import Clock, WallClock
from backend.command_runner import CommandRunner, run_command
from backend.committed import CommittedEvents
from backend.reports.serve import report_frames
from backend.session import Session
from backend.snapshot_cache import SnapshotCache
from backend.snapshot_cache import load as load_snapshot_cache
from backend.snapshot_frames import masked_snapshot_frames, snapshot_frames
from backend.store.checkpoints import WalCheckpointer
from domain import protocol as p
from domain.caller import SEES_CALLER
from domain.commands import CommandRequest
from domain.model import SYSTEM_ACTOR, Actor, Role
from domain.rules import Rules, default_rules
from domain.version import APP_VERSION

if TYPE_CHECKING:  # the HTTP side (aiohttp, ~0.4 s) is imported where it starts, in start()
    from backend.evidence.server import HttpSide
    from backend.http.on_demand import OnDemandHttpSite
    from backend.http.server import HttpSite

log = logging.getLogger(__name__)
#: How long a snapshot waits for the pump to bring the cache up to what is committed, before
#: it reads the database instead.
CACHE_CATCH_UP = 2.0
#: How long a snapshot asked for while the cache loads waits for the load (on the loop) before it
#: reads the database instead. The database path competes with the load for the same cores: on a
#: hub that has just started, a city snapshot took 4.5 s that way against a 2.0 s load.
CACHE_LOAD_WAIT = 15.0

FEED_PATH = p.FEED_PATH


class Hub:
    def __init__(self, store, rules: Rules | None = None, *, host: str = "127.0.0.1", port: int = 8765,
                 clock: Clock | None = None, sweep_interval: float = 1.0, poll_interval: float = 0.5,
                 queue_limit: int = p.CLIENT_QUEUE_LIMIT, heartbeat_interval: float = p.HEARTBEAT_INTERVAL,
                 replay_limit: int = 100_000, name: str = "gridcc-hub", max_in_flight: int = p.MAX_IN_FLIGHT,
                 user_rate: float = p.USER_COMMAND_RATE, user_burst: int = p.USER_COMMAND_BURST,
                 http_port: int | None = None, http: HttpSide | None = None, snapshot_cache: bool = True) -> None:
        self.store = store
        self.rules = rules or default_rules()
        self.host = host
        self.port = port
        self.clock: Clock = clock or WallClock()
        self.sweep_interval = sweep_interval
        self.sweeping = True  # False while an embedded simulator fast-forwards and sweeps at its own times
        self.poll_interval = poll_interval
        self.queue_limit = queue_limit
        self.heartbeat_interval = heartbeat_interval
        self.replay_limit = replay_limit
        self.name = name
        self.epoch = ""
        self.published_seq = 0
        self.sessions: set[Session] = set()
        self.commands_done = 0
        self.commands_throttled = 0
        self.max_in_flight = max_in_flight
        self.user_rate = user_rate
        self.user_burst = user_burst
        #: user id -> (tokens, when counted): the per-user token bucket (all of a user's connections).
        self._buckets: dict[str, tuple[float, float]] = {}
        #: Sessions with commands waiting, served in turns, a batch per trip to the writer thread.
        self.commands = CommandRunner(self)
        self._calendar_warned: set[str] = set()
        self.slow_consumers_cut = 0
        self.direct_writes = 0  # (session, batch) pairs written straight to the socket (backend.fanout)
        self.published_direct = 0  # events published from what the writer committed, not read back
        self._committed = CommittedEvents()
        self._publish_cost = 0.0  # seconds the last publish took
        self._published_at = 0.0  # perf_counter when it ended
        self._pump_read = True  # the pump must read the database on its next turn (not only publish _committed)
        self._server: Server | None = None
        self._tasks: list[asyncio.Task] = []
        self._pump_wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="hub-db-write")
        self._readers = ThreadPoolExecutor(2, thread_name_prefix="hub-db-read")
        self._listener = None
        self._checkpointer: WalCheckpointer | None = None
        self.on_published: list[Callable[[list[p.FeedEvent]], None]] = []
        # One HTTP side beside the feed (backend.http): Open311 and the hotline bridge, and the evidence
        # upload/download routes when the hub keeps evidence. ``http`` names the evidence store and port.
        self.evidence = http.evidence if http is not None else None
        self.http_port = http.port if http is not None and http_port is None else http_port
        self.http: HttpSite | OnDemandHttpSite | None = None  # on demand: gridcc demo (backend.embedded.demo)
        #: The snapshot material followed in memory (backend.snapshot_cache); None reads every snapshot from the db.
        self.snapshot_cache = SnapshotCache() if snapshot_cache else None
        self._cache_loaded_at = -1e9  # when the last load began (time.monotonic)
        self._cache_settled = asyncio.Event()  # set whenever no load is running
        self._cache_settled.set()

    # ---- database access off the loop ------------------------------------------------
    async def write(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._writer, fn, *args)

    async def read(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._readers, fn, *args)

    # ---- what a session reads or reports (called through read() off the loop where noted) -----
    def knows_node(self, code: str) -> bool:
        """Whether ``code`` is a node of the directory (off the loop)."""
        return bool(self.store.knows_node(code))

    def snapshot(self, scope: str):
        """A snapshot of ``scope`` consistent with a stated sequence, as of the hub's clock (off the loop).

        From the in-memory cache when it can answer exactly (bodies as bytes), else from the database.
        """
        now = self.clock.now()
        cache = self.snapshot_cache
        snap = cache.snapshot(scope, now) if cache is not None else None
        return snap if snap is not None else self.store.snapshot(scope, now)

    def snapshot_frames(self, scope: str, role: Role):
        """(snapshot, its SnapshotChunk frames with callers masked for ``role``) (off the loop)."""
        masked = role not in SEES_CALLER
        now = self.clock.now()
        cache = self.snapshot_cache
        if cache is not None and not self._cache_caught_up(cache):
            cache = None  # the pump is behind what is committed: the database has it all
        try:
            shared = cache.snapshot_frames(scope, now, masked, snapshot_frames) if cache is not None else None
        except Exception:  # a cache bug must cost speed, never a snapshot
            log.exception("snapshot cache: building a snapshot failed; reading the database")
            shared = None
        if shared is not None:
            return shared
        snap = self.store.snapshot(scope, now)
        return snap, masked_snapshot_frames(snap.bodies, snap.aggregates, role)

    async def cache_settled(self) -> None:
        """Wait, up to CACHE_LOAD_WAIT, while the snapshot cache loads (on the loop, holding no reader thread)."""
        cache = self.snapshot_cache
        if cache is None or not cache.loading:
            return
        try:
            async with asyncio.timeout(CACHE_LOAD_WAIT):
                await self._cache_settled.wait()
        except TimeoutError:
            log.warning("snapshot cache: still loading after %.0f s; this snapshot reads the database",
                        CACHE_LOAD_WAIT)

    def _cache_caught_up(self, cache: SnapshotCache) -> bool:
        """Wait (off the loop, up to CACHE_CATCH_UP seconds) until the cache has every event
        committed before this snapshot was asked for, as the database path does: a client that
        subscribes right after its command's ack sees the command's effect in its snapshot."""
        if not cache.warm:
            return False
        head = self.store.head()[1]
        if cache.seq >= head:
            return True
        loop = self._loop
        if loop is None:
            return False
        deadline = time.monotonic() + CACHE_CATCH_UP
        loop.call_soon_threadsafe(self.wake_pump)
        while cache.seq < head:
            if not cache.warm or time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    def case_events(self, case_id: str):
        """A case's recorded events, for a history request (off the loop)."""
        return self.store.case_events(case_id)

    def report_frames(self, actor: Actor, msg: p.ReportRequest) -> list:
        """The frames answering a report request (off the loop): SQL aggregation in the store."""
        return list(report_frames(self.store, self.clock.now(), actor, msg))

    def note_slow_consumer_cut(self) -> None:
        self.slow_consumers_cut += 1

    def note_throttled(self) -> None:
        self.commands_throttled += 1

    def replay_window(self) -> tuple[int, int]:
        return self.store.oldest_seq(), self.store.head()[1]

    def events_page(self, after: int, limit: int, scope: str | None) -> tuple[list[p.FeedEvent], int]:
        """Up to ``limit`` events after ``after`` in ``scope``, and the last global seq scanned."""
        events = self.store.events_after(after, limit)
        last = events[-1].seq if events else after
        if scope:
            events = [e for e in events if e.case.node.startswith(scope)]
        return events, last

    def geometry_frames(self, scope: str, level: int, tolerance: float | None) -> list[bytes]:
        """The encoded ``geometry`` answer (outlines of ``level`` under ``scope``), cached per store."""
        from backend.geometry_service import geometry_service

        return geometry_service(self.store).frames(scope, level, tolerance)

    def directory(self, scope: str):
        """Nodes of the subtree (plus its ancestors, for breadcrumbs) and the departments."""
        from domain.hierarchy import ancestors

        nodes = self.store.nodes(with_geometry=False, scope=scope)
        if scope:
            above = [self.store.node(code) for code in ancestors(scope)]
            nodes = [msgspec.structs.replace(n, geometry=None) for n in above if n is not None] + nodes
        departments = self.store.departments() or list(self.rules.catalog.departments.values())
        return nodes, departments

    # ---- life ---------------------------------------------------------------------------
    async def start(self) -> None:
        self.epoch, self.published_seq = await self.read(self.store.head)
        self._pump_wake = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._server = await serve(
            self._handle, self.host, self.port,
            process_request=self._authenticate,
            compression=None,  # many small frames: deflate costs more CPU than it saves on a LAN
            # Above the protocol's limit so an oversized frame is read and answered with too_large;
            # the transport still drops anything above TRANSPORT_MAX_BYTES (close 1009).
            max_size=p.TRANSPORT_MAX_BYTES,
            ping_interval=None,  # the protocol's own heartbeats (docs/protocol.md)
            server_header=f"GridCC-hub/{p.PROTOCOL_VERSION}",
            family=socket.AF_INET if ":" not in self.host else socket.AF_INET6,
        )
        self.port = self._server.sockets[0].getsockname()[1]
        loop = asyncio.get_running_loop()
        loops = (self._pump(), self._sweeper(), self._heartbeats(), self.commands.serve(), self.commands.serve())
        self._tasks = [loop.create_task(coro) for coro in loops]
        if self.snapshot_cache is not None:
            self._tasks.append(loop.create_task(self.warm_snapshot_cache()))
        self._listener = self._start_listener(loop)
        if self.http_port is not None:
            from backend.http.server import HttpSite

            self.http = HttpSite(self, self.host, self.http_port, evidence=self.evidence)
            await self.http.start()
            self.http_port = self.http.port
        if self.store.dialect == "sqlite":  # commits no longer stop to checkpoint (backend.store.checkpoints)
            self._checkpointer = WalCheckpointer(self.store.engine)  # last: a start that failed leaves none
            self._checkpointer.start()
        log.info("hub %s listening on %s:%d (epoch %s, head %d)", self.name, self.host, self.port,
                 self.epoch, self.published_seq)
        self.check_calendar(self.clock.now())

    def _start_listener(self, loop):
        """On PostgreSQL, wake the pump when another hub commits; polling covers any loss."""
        if getattr(self.store, "dialect", "") != "postgresql":
            return None
        from backend.notify import NotifyListener

        listener = NotifyListener(self.store.raw_dsn(), lambda: loop.call_soon_threadsafe(self.wake_pump))
        listener.start()
        return listener

    async def stop(self) -> None:
        if self.http is not None:
            await self.http.stop()
            self.http = None
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        self._writer.shutdown(wait=True)
        self._readers.shutdown(wait=True)
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None

    @property
    def url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"ws://{host}:{self.port}{FEED_PATH}"

    # ---- connections ---------------------------------------------------------------------
    async def _authenticate(self, connection, request):
        if request.path.split("?", 1)[0] != FEED_PATH:
            return connection.respond(http.HTTPStatus.NOT_FOUND, f"the feed is at {FEED_PATH}\n")
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        actor = None
        if scheme.lower() == "bearer" and token.strip():
            actor = await self.read(self.store.authenticate, token.strip())
        if actor is None:
            return connection.respond(http.HTTPStatus.UNAUTHORIZED, "a valid bearer token is required\n")
        connection.gridcc_actor = actor
        return None

    async def _handle(self, ws) -> None:
        session = Session(self, ws, ws.gridcc_actor)
        self.sessions.add(session)
        try:
            await session.run()
        finally:
            self.sessions.discard(session)

    def welcome(self, actor: Actor) -> p.Welcome:
        return p.Welcome(
            protocol=p.PROTOCOL_VERSION, server=self.name,
            user=p.UserInfo(id=actor.id, name=actor.name, role=actor.role, scope=actor.scope,
                            department=actor.department),
            epoch=self.epoch, head_seq=self.published_seq, heartbeat_interval=self.heartbeat_interval,
            server_time=self.clock.now(), limits=p.Limits.default(), clock_rate=self.clock_rate(),
            server_version=APP_VERSION,
        )

    def clock_rate(self) -> float:
        """Hub seconds per real second, for clients' clocks (0 while a training clock is paused)."""
        return 0.0 if getattr(self.clock, "paused", False) else float(getattr(self.clock, "speed", 1.0))

    # ---- commands --------------------------------------------------------------------------
    async def execute(self, request: CommandRequest, *, trusted: bool = False):
        """Run one command through the store now (the HTTP side, training, the grid's own work);
        returns the CommandAck or CommandError to send (``backend.command_runner.run_command``)."""
        answer = await self.write(run_command, self.store, self.rules, self.clock.now, request, trusted)
        self.commands_ran([answer])
        return answer

    def commands_ran(self, answers: list, committed: list[p.FeedEvent] | None = None) -> None:
        """After commands ran: note deadlines past the calendar, count them, and wake the pump,
        which publishes the events they committed (``committed``, in seq order) without reading
        them back when they follow what is published (``backend.committed``)."""
        for answer in answers:
            deadline = getattr(getattr(answer, "case", None), "deadline", None)
            if deadline is not None:
                self.check_calendar(deadline)
        self.commands_done += len(answers)
        if committed is None:
            self._pump_read = True  # a command run alone (execute): the pump reads its events back
        else:
            self._committed.add(committed)
        if self._pump_wake is not None:
            self._pump_wake.set()

    def schedule(self, session: Session) -> None:
        """Give ``session`` a turn with the command writer (it has a command waiting)."""
        self.commands.schedule(session)

    def unschedule(self, session: Session) -> None:
        """Forget a closed session's waiting commands (they were never run; the client retries them)."""
        self.commands.unschedule(session)

    def check_calendar(self, *instants: float) -> str | None:
        """Log a warning (once per missing year) when today or a deadline falls in a year the working
        calendar does not cover; returns the warning."""
        from domain.calendar import coverage_warning

        calendar = getattr(self.rules, "calendar", None)
        if calendar is None:
            return None
        warning = coverage_warning(calendar, *instants)
        if warning is not None and warning not in self._calendar_warned:
            self._calendar_warned.add(warning)
            log.warning("CALENDAR: %s", warning)
        return warning

    def rate_wait(self, user_id: str) -> float:
        """Take one command from ``user_id``'s token bucket: 0 when allowed, else seconds to wait."""
        now = time.monotonic()
        tokens, then = self._buckets.get(user_id, (float(self.user_burst), now))
        tokens = min(float(self.user_burst), tokens + (now - then) * self.user_rate)
        if tokens >= 1.0:
            self._buckets[user_id] = (tokens - 1.0, now)
            return 0.0
        self._buckets[user_id] = (tokens, now)
        # never 0: 0 means "allowed", and this command was not
        return max(0.001, round((1.0 - tokens) / self.user_rate, 3)) if self.user_rate > 0 else 60.0

    def command_wait(self, waiting: int) -> float:
        """A fair retry_after for a connection with ``waiting`` commands ahead of a new one."""
        return self.commands.wait(waiting)

    # ---- publishing ----------------------------------------------------------------------------
    def wake_pump(self) -> None:
        """The pump reads the database for new events (something other than this hub's command
        batches wrote them: the sweeper, the HTTP side, another process)."""
        self._pump_read = True
        if self._pump_wake is not None:
            self._pump_wake.set()

    async def _pump(self) -> None:
        wake = self._pump_wake
        assert wake is not None  # start() makes it before it starts this task
        while True:
            try:
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancel that
                # arrives as the event is set, and the pump would then outlive Hub.stop()
                async with asyncio.timeout(self.poll_interval):
                    await wake.wait()
            except TimeoutError:
                self._pump_read = True  # the poll: whatever another writer stored
            wake.clear()
            rest = self._published_at + self._publish_cost - time.perf_counter()
            if self._publish_cost > 0.001 and rest > 0:
                # Let more events commit first: at least as long as the last publish took passes
                # between two publishes, so at most half the loop's time goes to publishing (a
                # publish writes to every socket: at a thousand consoles, publishing each command
                # batch, or each NOTIFY of another hub's, outran the loop; bench/fanout_scale.py).
                # Events that come after a quiet spell go at once.
                await asyncio.sleep(rest)
            try:
                while True:
                    events = self._committed.take(self.published_seq)  # this hub's own, as stored
                    if events is not None:
                        self.published_direct += len(events)
                        self._publish(events)
                        continue
                    if self._committed:  # a gap: another writer's events came between
                        self._pump_read = True
                    if not self._pump_read:
                        break
                    self._pump_read = False
                    events = await self.read(self.store.events_after, self.published_seq, 2000)
                    if events:
                        self._publish(events)
                    if len(events) == 2000:
                        self._pump_read = True  # more to read
                    elif not self._committed:
                        break
            except Exception:  # a database hiccup must not stop the stream; the next wake retries
                log.exception("pump: reading events failed; retrying")
                self._pump_read = True
                await asyncio.sleep(self.poll_interval)

    def _publish(self, events: list[p.FeedEvent]) -> None:
        expected = self.published_seq + 1
        if events[0].seq < expected:  # the pump read what commands_ran published meanwhile
            events = [e for e in events if e.seq >= expected]
            if not events:
                return
        if events[0].seq != expected:
            # Never publish past a hole: wait for the next read to fill it.
            log.error("pump: expected seq %d, store returned %d", expected, events[0].seq)
            return
        started = time.perf_counter()
        self.published_seq = events[-1].seq
        if self.snapshot_cache is not None:
            self._follow(events)
        self.direct_writes += fanout.publish(list(self.sessions), events, self.epoch, self.published_seq,
                                             self.queue_limit)
        for callback in self.on_published:
            callback(events)
        self._published_at = time.perf_counter()
        self._publish_cost = self._published_at - started

    def _follow(self, events: list[p.FeedEvent]) -> None:
        """Move the snapshot cache with the published events; on any failure, snapshots read the db."""
        cache = self.snapshot_cache
        assert cache is not None
        try:
            cache.apply(events, self.clock.now())
        except Exception:
            log.exception("snapshot cache: following the stream failed; snapshots read the database")
            cache.invalidate()
        # Lost (a gap, a failure): load again, at most once a minute, while snapshots read the database.
        if not cache.warm and not cache.loading and time.monotonic() - self._cache_loaded_at > 60.0:
            self._tasks = [t for t in self._tasks if not t.done()]
            self._tasks.append(asyncio.get_running_loop().create_task(self.warm_snapshot_cache()))

    async def warm_snapshot_cache(self) -> None:
        """Load the snapshot cache in a reader thread while the hub serves (snapshots asked meanwhile wait for it)."""
        cache = self.snapshot_cache
        if cache is None or cache.loading:
            return
        self._cache_loaded_at = time.monotonic()
        cache.begin_load()  # on the loop, before the read: events published from here on are kept
        self._cache_settled.clear()
        try:
            state = await self.read(load_snapshot_cache, self.store, self.clock.now())
        except Exception:
            log.exception("snapshot cache: loading failed; snapshots read the database")
            cache.invalidate()
            return
        else:
            cache.install(state)
        finally:
            self._cache_settled.set()  # the snapshots waiting for the load go on (from the cache, or the db)
        log.info("snapshot cache: %d cases at seq %d, loaded in %.2f s", cache.cases, cache.seq, state.seconds)

    # ---- SLA sweeper -------------------------------------------------------------------------
    async def _sweeper(self) -> None:
        while True:
            await asyncio.sleep(self.sweep_interval)
            if not self.sweeping:
                continue
            try:
                await self.sweep()
            except Exception:
                log.exception("SLA sweep failed; will retry")

    async def sweep(self) -> int:
        """Emit warning/overdue events for every case whose moment has passed. Returns how many."""
        now = self.clock.now()
        due = await self.write(self.store.due_for_sla, now, 1000)
        done = 0
        for case_id, action in due:
            events = await self.write(self.store.system_apply, case_id, action, now, self.rules)
            done += len(events)
        if done:
            self.wake_pump()
        return done

    async def _heartbeats(self) -> None:
        beats = 0
        while True:
            await asyncio.sleep(self.heartbeat_interval)
            for session in list(self.sessions):
                session.heartbeat()
            beats += 1
            try:
                await self._housekeeping(beats)
            except Exception:
                log.exception("housekeeping failed; will retry")

    async def _housekeeping(self, beats: int) -> None:
        """Cut sessions of users disabled since they signed in (4001); prune old command ids."""
        if self.sessions:
            disabled = {u.id for u in await self.read(self.store.list_users) if u.disabled}
            for session in list(self.sessions):
                if session.actor.id in disabled:
                    await session.close(p.CloseCode.UNAUTHORIZED, "this user has been disabled")
        if beats % max(1, int(3600 / self.heartbeat_interval)) == 1:
            await self.write(self.store.prune_command_log, self.clock.now())

    def status(self) -> dict:
        return {
            "name": self.name, "pid": os.getpid(), "url": self.url, "epoch": self.epoch,
            "head_seq": self.published_seq, "clients": len(self.sessions),
            "commands": self.commands_done, "throttled": self.commands_throttled,
        }


__all__ = ["Hub", "FEED_PATH", "SYSTEM_ACTOR"]
