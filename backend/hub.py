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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import msgspec
from websockets.asyncio.server import serve

from backend.clock import Clock, WallClock
from backend.session import Session
from domain import protocol as p
from domain.model import SYSTEM_ACTOR, Actor
from domain.rules import Rules, default_rules

log = logging.getLogger(__name__)

FEED_PATH = p.FEED_PATH


class Hub:
    def __init__(self, store, rules: Rules | None = None, *, host: str = "127.0.0.1", port: int = 8765,
                 clock: Clock | None = None, sweep_interval: float = 1.0, poll_interval: float = 0.5,
                 queue_limit: int = p.CLIENT_QUEUE_LIMIT, heartbeat_interval: float = p.HEARTBEAT_INTERVAL,
                 replay_limit: int = 100_000, name: str = "gridcc-hub") -> None:
        self.store = store
        self.rules = rules or default_rules()
        self.host = host
        self.port = port
        self.clock: Clock = clock or WallClock()
        self.sweep_interval = sweep_interval
        self.poll_interval = poll_interval
        self.queue_limit = queue_limit
        self.heartbeat_interval = heartbeat_interval
        self.replay_limit = replay_limit
        self.name = name
        self.epoch = ""
        self.published_seq = 0
        self.sessions: set[Session] = set()
        self.commands_done = 0
        self.slow_consumers_cut = 0
        self._server = None
        self._tasks: list[asyncio.Task] = []
        self._pump_wake: asyncio.Event | None = None
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="hub-db-write")
        self._readers = ThreadPoolExecutor(2, thread_name_prefix="hub-db-read")
        self._listener = None
        self.on_published: list[Callable[[list[p.FeedEvent]], None]] = []

    # ---- database access off the loop ------------------------------------------------
    async def write(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._writer, fn, *args)

    async def read(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._readers, fn, *args)

    def replay_window(self) -> tuple[int, int]:
        return self.store.oldest_seq(), self.store.head()[1]

    def events_page(self, after: int, limit: int, scope: str | None) -> tuple[list[p.FeedEvent], int]:
        """Up to ``limit`` events after ``after`` in ``scope``, and the last global seq scanned."""
        events = self.store.events_after(after, limit)
        last = events[-1].seq if events else after
        if scope:
            events = [e for e in events if e.case.node.startswith(scope)]
        return events, last

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
        self._server = await serve(
            self._handle, self.host, self.port,
            process_request=self._authenticate,
            compression=None,  # brief §5: no compression on the feed
            max_size=p.MAX_FRAME_BYTES,
            ping_interval=None,  # the protocol's own heartbeats (docs/protocol.md)
            server_header=f"GridCC-hub/{p.PROTOCOL_VERSION}",
            family=socket.AF_INET if ":" not in self.host else socket.AF_INET6,
        )
        self.port = self._server.sockets[0].getsockname()[1]
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(coro) for coro in
                       (self._pump(), self._sweeper(), self._heartbeats())]
        self._listener = self._start_listener(loop)
        log.info("hub %s listening on %s:%d (epoch %s, head %d)", self.name, self.host, self.port,
                 self.epoch, self.published_seq)

    def _start_listener(self, loop):
        """On PostgreSQL, wake the pump when another hub commits; polling covers any loss."""
        if getattr(self.store, "dialect", "") != "postgresql":
            return None
        from backend.notify import NotifyListener

        listener = NotifyListener(self.store.raw_dsn(), lambda: loop.call_soon_threadsafe(self.wake_pump))
        listener.start()
        return listener

    async def stop(self) -> None:
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
        )

    def clock_rate(self) -> float:
        """Hub seconds per real second, for clients' clocks (0 while a training clock is paused)."""
        return 0.0 if getattr(self.clock, "paused", False) else float(getattr(self.clock, "speed", 1.0))

    # ---- commands --------------------------------------------------------------------------
    async def execute(self, client_id: str, cmd: p.Command, actor: Actor):
        """Run one command through the store; returns the CommandAck or CommandError to send."""
        if cmd.action is p.Action.REPORT and cmd.args.node is None and cmd.args.lon is not None:
            from backend.geometry_service import place_report

            cmd = await self.read(place_report, self.store, cmd)  # the grid at the reported position
            if isinstance(cmd, p.CommandError):
                return cmd
        answer = await self.write(self.store.execute, client_id, cmd.id, cmd.action, cmd.case_id,
                                  cmd.expected_version, cmd.args, actor, self.clock.now(), self.rules)
        self.commands_done += 1
        self.wake_pump()
        return answer

    # ---- publishing ----------------------------------------------------------------------------
    def wake_pump(self) -> None:
        if self._pump_wake is not None:
            self._pump_wake.set()

    async def _pump(self) -> None:
        wake = self._pump_wake
        while True:
            try:
                await asyncio.wait_for(wake.wait(), self.poll_interval)
            except TimeoutError:
                pass
            wake.clear()
            try:
                while True:
                    events = await self.read(self.store.events_after, self.published_seq, 2000)
                    if not events:
                        break
                    self._publish(events)
                    if len(events) < 2000:
                        break
            except Exception:  # a database hiccup must not stop the stream; the next wake retries
                log.exception("pump: reading events failed; retrying")
                await asyncio.sleep(self.poll_interval)

    def _publish(self, events: list[p.FeedEvent]) -> None:
        expected = self.published_seq + 1
        if events[0].seq != expected:
            # Never publish past a hole: wait for the next read to fill it.
            log.error("pump: expected seq %d, store returned %d", expected, events[0].seq)
            return
        self.published_seq = events[-1].seq
        for session in list(self.sessions):
            session.offer(events)
        for callback in self.on_published:
            callback(events)

    # ---- SLA sweeper -------------------------------------------------------------------------
    async def _sweeper(self) -> None:
        while True:
            await asyncio.sleep(self.sweep_interval)
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
            "commands": self.commands_done,
        }


__all__ = ["Hub", "FEED_PATH", "SYSTEM_ACTOR"]
