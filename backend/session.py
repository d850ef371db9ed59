"""One client connection: handshake, subscription, the bounded outgoing queue, commands.

The hub's pump offers every published event to every session; a session keeps
those in its scope in its own queue and one writer task drains it, batching
events per frame. The queue is bounded: a client that falls further behind than
``queue_limit`` events is cut with close code 4008 and comes back by resume, so
a slow console never slows the hub or the other consoles (websockets' broadcast()
has no backpressure, so we keep our own).
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from websockets.exceptions import ConnectionClosed

from backend import colleagues, search
from backend.clock import Clock
from backend.frame_cache import FRAMES
from backend.gridwork import service as gridwork
from backend.socket_write import send_text
from domain import protocol as p
from domain.caller import SEES_CALLER, masked_with_case
from domain.commands import CommandRequest
from domain.errors import DomainError
from domain.model import Actor, Role
from domain.permissions import can_subscribe
from domain.version import APP_VERSION


class Hub(Protocol):
    """What a session needs of its hub: the hub's settings, its reads off the loop, its command
    scheduler and its counters, all through these names, so the hub module stays the only
    place that knows how it is built (and a session needs no import of it)."""

    epoch: str
    published_seq: int
    clock: Clock
    queue_limit: int
    heartbeat_interval: float
    max_in_flight: int
    user_rate: float
    replay_limit: int

    async def read(self, fn: Callable[..., Any], *args: Any) -> Any: ...
    def welcome(self, actor: Actor) -> p.Welcome: ...
    def clock_rate(self) -> float: ...
    def schedule(self, session: Session) -> None: ...
    def unschedule(self, session: Session) -> None: ...
    def rate_wait(self, user_id: str) -> float: ...
    def command_wait(self, waiting: int) -> float: ...
    def replay_window(self) -> tuple[int, int]: ...
    def events_page(self, after: int, limit: int, scope: str | None) -> tuple[list[p.FeedEvent], int]: ...
    def directory(self, scope: str) -> Any: ...
    def geometry_frames(self, scope: str, level: int, tolerance: float | None) -> list[bytes]: ...
    def knows_node(self, code: str) -> bool: ...
    def snapshot(self, scope: str) -> Any: ...
    def snapshot_frames(self, scope: str, role: Role) -> tuple[Any, Sequence[bytes]]: ...
    async def cache_settled(self) -> None: ...
    def case_events(self, case_id: str) -> Any: ...
    def report_frames(self, actor: Actor, msg: p.ReportRequest) -> list[Any]: ...
    def note_slow_consumer_cut(self) -> None: ...
    def note_throttled(self) -> None: ...

log = logging.getLogger(__name__)

#: Consecutive malformed frames tolerated before the connection is closed.
MAX_BAD_FRAMES = 20
#: Pause before reading the next frame of a connection whose last command was throttled.
THROTTLED_READ_PAUSE = 0.005
#: How long a client may take to say hello.
HELLO_TIMEOUT = 10.0
#: Bytes waiting in a socket's buffer above which published events go through the session's own
#: queue (its writer waits for the socket to drain) rather than straight to the socket.
DIRECT_WRITE_LIMIT = 128 * 1024
#: Snapshot chunks queued ahead of the writer at most, so that an answer made meanwhile (the
#: directory a console asks for beside its subscription) waits behind a few chunks, not the city.
SNAPSHOT_AHEAD = 2


_BINARY = "binary frames are not part of the protocol; send JSON text"


class _HeartbeatMark:
    """A heartbeat queued behind the events: its head_seq is read when it is sent."""


_HEARTBEAT = _HeartbeatMark()
Outgoing = bytes | p.FeedEvent | _HeartbeatMark


class Session:
    def __init__(self, hub: Hub, ws, actor: Actor) -> None:
        self.hub = hub
        self.ws = ws
        self.actor = actor
        # Shared Events frames are shared only between sessions that see callers alike (frame_cache).
        self.view = "full" if actor.role in SEES_CALLER else "masked"
        self.client_id: str = ""
        self.scope: str | None = None
        self.syncing = False
        self._held: list[p.FeedEvent] = []
        self._out: collections.deque[Outgoing] = collections.deque()
        self._writing = False  # the writer holds items it has taken off _out and not yet written
        self.direct_limit = DIRECT_WRITE_LIMIT
        self.direct_frames = 0  # frames of send() written straight to the socket (no writer turn)
        self._room = asyncio.Event()  # set by the writer after each frame it sends
        self._queued_events = 0
        self._wake = asyncio.Event()
        self._bad_frames = 0
        self._closing = False
        self._cut = False  # cut as a slow consumer: its close is under way (counted once)
        self.last_heard = asyncio.get_running_loop().time()
        self._tasks: set[asyncio.Task] = set()
        self._subscribing = asyncio.Lock()
        self.sent_events = 0
        self.direct_events = 0  # of which written straight to the socket by backend.fanout
        #: Commands received and not yet answered, oldest first (the hub's scheduler takes from here).
        self.pending: collections.deque[CommandRequest] = collections.deque()
        self.in_flight = 0  # commands received and not yet answered (queued or running)
        self._throttled_last = False

    # ---- called by the hub -------------------------------------------------------
    @property
    def closing(self) -> bool:
        return self._closing

    def caught_up(self) -> bool:
        """Whether published events may be written straight to the socket (backend.fanout): live,
        nothing queued or held by the writer, and the socket's buffer below ``direct_limit``."""
        if self.syncing or self._out or self._writing or self._closing:
            return False
        transport = self.ws.transport
        return transport is not None and transport.get_write_buffer_size() < self.direct_limit

    def take(self, mine: list[p.FeedEvent], shown: list[p.FeedEvent]) -> None:
        """Keep published events in this session's scope (``shown``: as this session's role sees
        them) for its writer; while syncing, hold them as published until the snapshot is out."""
        if self.syncing:
            self._held.extend(mine)
            return
        self._queue_shown(shown)

    def heartbeat(self) -> None:
        """Queue a heartbeat; cut a client silent for HEARTBEAT_MISSES intervals (close 4003).

        Nothing before the welcome: the hello has its own timeout, and the welcome is the first frame.
        """
        if not self.client_id:
            return
        silent = asyncio.get_running_loop().time() - self.last_heard
        if silent > self.hub.heartbeat_interval * p.HEARTBEAT_MISSES and not self._closing:
            self._spawn(self.close(p.CloseCode.HEARTBEAT_TIMEOUT, f"nothing heard for {silent:.0f} s"))
            return
        if self._closing:
            return
        if self.caught_up():
            self.send(self._heartbeat())
        else:
            self._out.append(_HEARTBEAT)  # made when the writer gets to it: head_seq as of then
            self._wake.set()

    # ---- queue -------------------------------------------------------------------
    def _enqueue_events(self, events: list[p.FeedEvent]) -> None:
        self._queue_shown(masked_with_case(events, self.actor.role))  # the caller's name and phone, per role

    def _queue_shown(self, events: list[p.FeedEvent]) -> None:
        self._out.extend(events)
        self._queued_events += len(events)
        self._wake.set()
        if self._queued_events > self.hub.queue_limit and not (self._closing or self._cut):
            # the close runs as a task: publishes that come before it must not cut (and count) again
            self._cut = True
            log.warning("client %s (%s) is %d events behind: cutting it", self.client_id,
                        self.actor.name, self._queued_events)
            self.hub.note_slow_consumer_cut()
            self._spawn(self.close(p.CloseCode.SLOW_CONSUMER, "too far behind; resume"))

    def send(self, msg) -> None:
        """Send one server message (see ``_encoded``): straight to the socket when nothing is queued
        (no writer-task turn: at a thousand consoles, a heartbeat round or a burst of pongs would
        otherwise wake a thousand tasks), else after what is queued."""
        data = self._encoded(msg)
        if self.caught_up():
            send_text([self.ws], data)
            self.direct_frames += 1
        else:
            self._out.append(data)
            self._wake.set()

    def _encoded(self, msg) -> bytes:
        """``msg`` as a frame. Every frame is size-checked here: a frame above the clients' limit
        is never sent; the client gets an ``internal`` answer instead (a hub bug, logged)."""
        try:
            data = p.encode_server(msg)
        except p.FrameTooLarge as exc:
            log.error("not sending to %s: %s", self.client_id, exc)
            if isinstance(msg, (p.CommandAck, p.CommandError)):
                data = p.encode(p.CommandError(command_id=msg.command_id, code=p.ErrorCode.INTERNAL,
                                               message="the answer is too large to send"))
            else:
                data = p.encode(p.Error(code=p.ErrorCode.INTERNAL, ref=p.tag_of(type(msg)),
                                        message=f"the {p.tag_of(type(msg))} answer is too large to send"))
        return data

    def send_encoded(self, frames: list[bytes]) -> None:
        """Queue frames already encoded and size-checked (``domain.protocol.encode_server``)."""
        for data in frames:
            if len(data) > p.MAX_SERVER_FRAME_BYTES:  # the same promise as send()
                raise p.FrameTooLarge(f"frame of {len(data)} bytes")
            self._out.append(data)
        self._wake.set()

    async def _writer(self) -> None:
        out = self._out
        while True:
            await self._wake.wait()
            self._wake.clear()
            self._writing = True
            while out:
                item = out.popleft()
                if isinstance(item, bytes):
                    await self.ws.send(item, text=True)  # JSON is UTF-8 already: no decode, no re-encode
                elif isinstance(item, _HeartbeatMark):  # _HEARTBEAT, the only instance
                    await self.ws.send(p.encode(self._heartbeat()), text=True)
                else:
                    batch = [item]
                    while out and len(batch) < p.MAX_BATCH_EVENTS:
                        nxt = out[0]
                        if not isinstance(nxt, p.FeedEvent):
                            break
                        batch.append(nxt)
                        out.popleft()
                    self._queued_events -= len(batch)
                    upto = batch[-1].seq
                    if not any(isinstance(x, p.FeedEvent) for x in out):
                        upto = max(upto, self._resume_point())
                    for frame in FRAMES.event_frames(self.hub.epoch, batch, upto, self.view):  # shared by sessions
                        await self.ws.send(frame, text=True)
                    self.sent_events += len(batch)
                self._room.set()
            self._writing = False

    def _heartbeat(self) -> p.Heartbeat:
        return p.Heartbeat(server_time=self.hub.clock.now(), head_seq=self._resume_point(),
                           clock_rate=self.hub.clock_rate())

    def _resume_point(self) -> int:
        """The highest global seq this client has fully seen (filtered events included)."""
        if self.syncing or self.scope is None:
            return 0
        for item in self._out:  # an event still queued bounds what this client has seen
            if isinstance(item, p.FeedEvent):
                return item.seq - 1
        return self.hub.published_seq

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self, code: int, reason: str) -> None:
        if self._closing:
            return
        self._closing = True
        try:
            await self.ws.close(int(code), reason)
        except ConnectionClosed:
            pass

    # ---- the conversation ----------------------------------------------------------
    async def run(self) -> None:
        writer = asyncio.ensure_future(self._writer())
        try:
            if not await self._handshake():
                return
            async for raw in self.ws:
                await self._on_frame(raw)
                # Frames already buffered would otherwise be handled back to back without giving
                # the loop up: one flooding connection would hold every other connection's turn.
                # A connection that is being throttled is also read more slowly (its socket
                # buffers fill and TCP slows the sender), so a flood costs the loop little.
                await asyncio.sleep(THROTTLED_READ_PAUSE if self._throttled_last else 0)
        except ConnectionClosed:
            pass
        finally:
            self.hub.unschedule(self)
            writer.cancel()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(writer, *self._tasks, return_exceptions=True)

    async def _handshake(self) -> bool:
        try:
            raw = await asyncio.wait_for(self.ws.recv(), HELLO_TIMEOUT)
        except TimeoutError:
            await self.close(p.CloseCode.PROTOCOL_ERROR, f"no hello within {HELLO_TIMEOUT:.0f} s")
            return False
        try:
            if not isinstance(raw, str):
                raise p.ProtocolError(p.ErrorCode.BAD_FRAME, _BINARY)
            msg = p.decode_client(raw)
        except p.ProtocolError as exc:
            self.send(exc.to_error())
            await self._flush_then_close(p.CloseCode.PROTOCOL_ERROR, "bad hello")
            return False
        if not isinstance(msg, p.Hello):
            self.send(p.Error(code=p.ErrorCode.UNEXPECTED, ref=p.tag_of(type(msg)),
                              message=f"the first message must be hello, not {p.tag_of(type(msg))}"))
            await self._flush_then_close(p.CloseCode.PROTOCOL_ERROR, "expected hello")
            return False
        if msg.protocol not in p.SUPPORTED_VERSIONS:
            spoken = ", ".join(str(v) for v in p.SUPPORTED_VERSIONS)
            side = "upgrade the hub" if msg.protocol > max(p.SUPPORTED_VERSIONS) else "upgrade the console"
            log.warning("refused %s (%s, user %s): it speaks protocol %s, this hub %s", msg.client_name or "a client",
                        msg.client_id, self.actor.id, msg.protocol, spoken)
            self.send(p.Error(code=p.ErrorCode.UNSUPPORTED_VERSION, ref="hello",
                              message=f"protocol {msg.protocol} is not supported; this hub speaks {spoken} "
                                      f"(release {APP_VERSION}): {side}"))
            await self._flush_then_close(p.CloseCode.VERSION_UNSUPPORTED, "protocol version")
            return False
        self.client_id = msg.client_id
        self.send(self.hub.welcome(self.actor))
        return True

    async def _flush_then_close(self, code: int, reason: str) -> None:
        while self._out:
            await asyncio.sleep(0)
            if not self._out:
                break
            item = self._out.popleft()
            if isinstance(item, bytes):
                await self.ws.send(item.decode())
        await self.close(code, reason)

    async def _on_frame(self, raw) -> None:
        self.last_heard = asyncio.get_running_loop().time()
        try:
            if not isinstance(raw, str):
                raise p.ProtocolError(p.ErrorCode.BAD_FRAME, _BINARY)
            msg = p.decode_client(raw)
        except p.ProtocolError as exc:
            self._bad_frames += 1
            if exc.command_id is not None:  # a command whose id we could read: answer it as that command
                self.send(p.CommandError(command_id=exc.command_id, code=exc.code, message=exc.message))
            else:
                self.send(exc.to_error())
            if self._bad_frames >= MAX_BAD_FRAMES:
                await self.close(p.CloseCode.PROTOCOL_ERROR, "too many malformed frames")
            return
        self._bad_frames = 0
        if isinstance(msg, p.Command):
            self._submit(msg)
        elif isinstance(msg, p.Subscribe):
            self._spawn(self._subscribe_in_turn(msg))  # a big snapshot must not hold up lookups
        elif isinstance(msg, p.Ping):
            self.send(p.Pong(t=msg.t, server_time=self.hub.clock.now()))
        elif isinstance(msg, p.Unsubscribe):
            self._drop_subscription()
        elif isinstance(msg, p.DirectoryRequest):
            self._spawn(self._directory(msg.scope))
        elif isinstance(msg, p.HistoryRequest):
            self._spawn(self._history(msg.case_id))
        elif isinstance(msg, p.ReportRequest):
            self._spawn(self._report(msg))
        elif isinstance(msg, (p.GridworkQuery, p.GridworkCommand)):
            self._spawn(gridwork.answer(self, msg))
        elif isinstance(msg, p.GeometryRequest):
            self._spawn(self._geometry(msg))
        elif isinstance(msg, (p.SearchRequest, p.DuplicatesRequest)):
            self._spawn(search.answer(self, msg))
        elif isinstance(msg, p.UsersRequest):
            self._spawn(colleagues.answer(self, msg))
        else:  # a second hello
            self.send(p.Error(code=p.ErrorCode.UNEXPECTED, ref=p.tag_of(type(msg)),
                              message=f"{p.tag_of(type(msg))} is not expected now: the session is already open"))

    # ---- subscriptions ---------------------------------------------------------------
    def _drop_subscription(self) -> None:
        self.scope = None
        self.syncing = False
        self._held = []
        kept = [x for x in self._out if not isinstance(x, p.FeedEvent)]
        self._out.clear()
        self._out.extend(kept)
        self._queued_events = 0

    async def _subscribe_in_turn(self, msg: p.Subscribe) -> None:
        async with self._subscribing:  # one subscription change at a time, in the order asked
            await self._subscribe(msg)

    async def _scope_refusal(self, scope: str, ref: str) -> p.Error | None:
        """The error for a scope outside the jurisdiction (forbidden) or not in the directory (not_found)."""
        try:
            allowed = can_subscribe(self.actor, scope)
        except DomainError as exc:
            return p.Error(code=p.ErrorCode(exc.code.value), ref=ref, message=exc.message)
        if not allowed:
            return p.Error(code=p.ErrorCode.FORBIDDEN, ref=ref,
                           message=f"scope {scope} is outside your jurisdiction {self.actor.scope}")
        if scope and not await self.hub.read(self.hub.knows_node, scope):
            return p.Error(code=p.ErrorCode.NOT_FOUND, ref=ref, message=f"scope {scope} is not in the node directory")
        return None

    async def _subscribe(self, msg: p.Subscribe) -> None:
        refusal = await self._scope_refusal(msg.scope, "subscribe")
        if refusal is not None:
            self.send(refusal)
            return
        self._drop_subscription()
        self.scope = msg.scope
        self.syncing = True  # live events are held until the snapshot or replay is out
        try:
            if msg.resume is not None and await self._resume(msg.scope, msg.resume):
                return
            await self._snapshot(msg.scope)
        except DomainError as exc:  # e.g. an unknown scope
            self._drop_subscription()
            self.send(p.Error(code=p.ErrorCode(exc.code.value), message=exc.message))

    def _go_live(self, after_seq: int) -> None:
        held = [e for e in self._held if e.seq > after_seq]
        self._held = []
        self.syncing = False
        if held:
            self._enqueue_events(held)
        else:
            self._wake.set()

    async def _resume(self, scope: str, resume: p.Resume) -> bool:
        """Replay exactly the missed events, or say a snapshot is required. True when replayed."""
        hub = self.hub
        reason = None
        if resume.epoch != hub.epoch:
            reason = f"stream epoch changed ({resume.epoch} → {hub.epoch})"
        else:
            oldest, head = await hub.read(hub.replay_window)
            if resume.seq > head:
                reason = f"seq {resume.seq} is ahead of the stream head {head}"
            elif resume.seq < oldest - 1:
                reason = f"events after {resume.seq} are no longer kept (oldest {oldest})"
            elif head - resume.seq > hub.replay_limit:
                reason = f"{head - resume.seq} events behind; more than {hub.replay_limit} to replay"
        if reason is not None:
            self._drop_subscription()
            self.send(p.SnapshotRequired(reason=reason, epoch=hub.epoch))
            return True
        replayed: list[p.FeedEvent] = []
        cursor = resume.seq
        while True:
            batch, last = await hub.read(hub.events_page, cursor, 5000, scope)
            replayed.extend(batch)
            if last <= cursor:
                break
            cursor = last
        oldest, _ = await hub.read(hub.replay_window)
        if resume.seq < oldest - 1:  # events were archived while we read: the replay may have a hole
            self._drop_subscription()
            self.send(p.SnapshotRequired(reason=f"events after {resume.seq} are no longer kept (oldest {oldest})",
                                         epoch=hub.epoch))
            return True
        self.send(p.Resumed(epoch=hub.epoch, from_seq=resume.seq + 1, to_seq=cursor))
        if replayed:
            self._enqueue_events(replayed)
        self._go_live(cursor)
        return True

    async def _snapshot(self, scope: str) -> None:
        hub = self.hub
        await hub.cache_settled()  # a hub that has just started: its cache answers sooner than the database
        # ~70 MB at city scope: off the loop; callers masked for roles that may not see them
        snap, frames = await hub.read(hub.snapshot_frames, scope, self.actor.role)
        bodies, aggs = snap.bodies, snap.aggregates
        self.send(p.SnapshotBegin(scope=scope, epoch=snap.epoch, seq=snap.seq, total_cases=len(bodies),
                                  total_chunks=len(frames), aggregates_count=len(aggs)))
        for frame in frames:
            while len(self._out) >= SNAPSHOT_AHEAD:  # the writer takes them as the socket drains
                self._room.clear()
                await self._room.wait()
            self.send_encoded([frame])
        self.send(p.SnapshotEnd(seq=snap.seq))
        self._go_live(snap.seq)

    # ---- read-only requests ------------------------------------------------------------
    async def _directory(self, scope: str) -> None:
        refusal = await self._scope_refusal(scope, "directory_request")
        if refusal is not None:
            self.send(refusal)
            return
        try:
            nodes, departments = await self.hub.read(self.hub.directory, scope)
            frames = p.directory_messages(scope, nodes, departments)
        except Exception as exc:
            log.error("directory of %s cannot be sent: %s", scope, exc)
            self.send(p.Error(code=p.ErrorCode.INTERNAL, ref="directory_request", message=str(exc)))
            return
        self.send_encoded(frames)

    async def _history(self, case_id: str) -> None:
        try:
            events = await self.hub.read(self.hub.case_events, case_id)
        except Exception:
            log.exception("history of %r failed", case_id)
            self.send(p.Error(code=p.ErrorCode.INTERNAL, ref="history_request", message="reading the history failed"))
            return
        if events and not self._may_read(events[-1].case):
            events = []
        self.send(p.History(case_id=case_id, events=masked_with_case(events, self.actor.role)))

    async def _report(self, msg: p.ReportRequest) -> None:
        for frame in await self.hub.read(self.hub.report_frames, self.actor, msg):
            self.send(frame)
    async def _geometry(self, msg: p.GeometryRequest) -> None:
        refusal = await self._scope_refusal(msg.scope, "geometry_request")
        if refusal is not None:
            self.send(refusal)
            return
        # Encoded once per (scope, level, tolerance) and cached for every session.
        self.send_encoded(await self.hub.read(self.hub.geometry_frames, msg.scope, msg.level, msg.tolerance))

    def _may_read(self, case) -> bool:
        actor = self.actor
        if actor.department and case.department == actor.department:
            return True
        return case.node.startswith(actor.scope)

    # ---- commands ---------------------------------------------------------------------
    def _submit(self, cmd: p.Command) -> None:
        """Queue a command for the hub's fair scheduler, or answer ``throttled`` at once.

        A throttled command was not run and its answer is not stored: the client sends the
        same id again after ``retry_after`` seconds.
        """
        hub = self.hub
        self._throttled_last = True
        if self.in_flight >= hub.max_in_flight:
            wait = hub.command_wait(self.in_flight)
            self.send(p.CommandError(
                command_id=cmd.id, code=p.ErrorCode.THROTTLED,
                message=f"{self.in_flight} commands of this connection are already waiting "
                        f"(at most {hub.max_in_flight}); send it again later",
                detail={"retry_after": wait, "limit": "in_flight", "max_in_flight": hub.max_in_flight}))
            hub.note_throttled()
            return
        wait = hub.rate_wait(self.actor.id)
        if wait > 0:
            self.send(p.CommandError(
                command_id=cmd.id, code=p.ErrorCode.THROTTLED,
                message=f"user {self.actor.id} sends commands faster than {hub.user_rate:g} a second; "
                        "send it again later",
                detail={"retry_after": wait, "limit": "user_rate", "rate": hub.user_rate}))
            hub.note_throttled()
            return
        self._throttled_last = False
        self.pending.append(CommandRequest.from_wire(self.client_id, cmd, self.actor))
        self.in_flight += 1
        hub.schedule(self)

    def answered(self, answer) -> None:
        """Called by the hub's scheduler with a command's answer."""
        self.in_flight -= 1
        if isinstance(answer, p.CommandAck):
            answer = masked_with_case([answer], self.actor.role)[0]
        self.send(answer)
