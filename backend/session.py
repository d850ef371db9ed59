"""One client connection: handshake, subscription, the bounded outgoing queue, commands.

The hub's pump offers every published event to every session; a session keeps
those in its scope in its own queue and one writer task drains it, batching
events per frame. The queue is bounded: a client that falls further behind than
``queue_limit`` events is cut with close code 4008 and comes back by resume, so
a slow console never slows the hub or the other consoles (brief §5: broadcast()
has no backpressure, so we keep our own).
"""

from __future__ import annotations

import asyncio
import collections
import logging
from typing import TYPE_CHECKING, Union

from websockets.exceptions import ConnectionClosed

from domain import protocol as p
from domain.errors import DomainError
from domain.model import Actor
from domain.permissions import can_subscribe

if TYPE_CHECKING:
    from backend.hub import Hub

log = logging.getLogger(__name__)

#: Consecutive malformed frames tolerated before the connection is closed.
MAX_BAD_FRAMES = 20
#: How long a client may take to say hello.
HELLO_TIMEOUT = 10.0


class _HeartbeatMark:
    """A heartbeat queued behind the events: its head_seq is read when it is sent."""


_HEARTBEAT = _HeartbeatMark()
Outgoing = Union[bytes, p.FeedEvent, _HeartbeatMark]


class Session:
    def __init__(self, hub: Hub, ws, actor: Actor) -> None:
        self.hub = hub
        self.ws = ws
        self.actor = actor
        self.client_id: str = ""
        self.scope: str | None = None
        self.syncing = False
        self._held: list[p.FeedEvent] = []
        self._out: collections.deque[Outgoing] = collections.deque()
        self._queued_events = 0
        self._wake = asyncio.Event()
        self._bad_frames = 0
        self._closing = False
        self.last_heard = asyncio.get_running_loop().time()
        self._tasks: set[asyncio.Task] = set()
        self._subscribing = asyncio.Lock()
        self.sent_events = 0

    # ---- called by the hub -------------------------------------------------------
    def offer(self, events: list[p.FeedEvent]) -> None:
        """Queue the events in this session's scope (called on the hub's loop)."""
        scope = self.scope
        if scope is None or self._closing:
            return
        mine = [e for e in events if e.case.node.startswith(scope)]
        if not mine:
            return
        if self.syncing:
            self._held.extend(mine)
            return
        self._enqueue_events(mine)

    def heartbeat(self) -> None:
        """Queue a heartbeat; cut a client silent for HEARTBEAT_MISSES intervals (close 4003)."""
        silent = asyncio.get_running_loop().time() - self.last_heard
        if silent > self.hub.heartbeat_interval * p.HEARTBEAT_MISSES and not self._closing:
            self._spawn(self.close(p.CloseCode.HEARTBEAT_TIMEOUT, "nothing heard for %.0f s" % silent))
            return
        if not self._closing:
            self._out.append(_HEARTBEAT)
            self._wake.set()

    # ---- queue -------------------------------------------------------------------
    def _enqueue_events(self, events: list[p.FeedEvent]) -> None:
        self._out.extend(events)
        self._queued_events += len(events)
        self._wake.set()
        if self._queued_events > self.hub.queue_limit and not self._closing:
            log.warning("client %s (%s) is %d events behind: cutting it", self.client_id,
                        self.actor.name, self._queued_events)
            self.hub.slow_consumers_cut += 1
            self._spawn(self.close(p.CloseCode.SLOW_CONSUMER, "too far behind; resume"))

    def send(self, msg) -> None:
        self._out.append(p.encode(msg))
        self._wake.set()

    async def _writer(self) -> None:
        out = self._out
        while True:
            await self._wake.wait()
            self._wake.clear()
            while out:
                item = out.popleft()
                if isinstance(item, bytes):
                    await self.ws.send(item.decode())
                elif item is _HEARTBEAT:
                    await self.ws.send(p.encode(p.Heartbeat(
                        server_time=self.hub.clock.now(), head_seq=self._resume_point(),
                        clock_rate=self.hub.clock_rate())).decode())
                else:
                    batch = [item]
                    while out and len(batch) < p.MAX_BATCH_EVENTS and isinstance(out[0], p.FeedEvent):
                        batch.append(out.popleft())
                    self._queued_events -= len(batch)
                    upto = batch[-1].seq
                    if not any(isinstance(x, p.FeedEvent) for x in out):
                        upto = max(upto, self._resume_point())
                    frame = p.encode(p.Events(epoch=self.hub.epoch, events=batch, upto=upto))
                    await self.ws.send(frame.decode())
                    self.sent_events += len(batch)

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
        except ConnectionClosed:
            pass
        finally:
            writer.cancel()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(writer, *self._tasks, return_exceptions=True)

    async def _handshake(self) -> bool:
        try:
            raw = await asyncio.wait_for(self.ws.recv(), HELLO_TIMEOUT)
        except TimeoutError:
            await self.close(p.CloseCode.PROTOCOL_ERROR, "no hello within %.0f s" % HELLO_TIMEOUT)
            return False
        try:
            msg = p.decode_client(raw)
        except p.ProtocolError as exc:
            self.send(exc.to_error())
            await self._flush_then_close(p.CloseCode.PROTOCOL_ERROR, "bad hello")
            return False
        if not isinstance(msg, p.Hello):
            self.send(p.Error(code=p.ErrorCode.INVALID, message="the first message must be hello"))
            await self._flush_then_close(p.CloseCode.PROTOCOL_ERROR, "expected hello")
            return False
        if msg.protocol != p.PROTOCOL_VERSION:
            self.send(p.Error(code=p.ErrorCode.UNSUPPORTED_VERSION,
                              message=f"protocol {msg.protocol} is not supported; this hub speaks {p.PROTOCOL_VERSION}"))
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
                raise p.ProtocolError(p.ErrorCode.BAD_FRAME, "binary frames are not part of the protocol; send JSON text")
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
            self._spawn(self._command(msg))
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
        elif isinstance(msg, p.GeometryRequest):
            self._spawn(self._geometry(msg))
        else:
            self.send(p.Error(code=p.ErrorCode.INVALID,
                              message=f"message type {type(msg).__name__} is not expected now"))

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

    async def _subscribe(self, msg: p.Subscribe) -> None:
        if not can_subscribe(self.actor, msg.scope):
            self.send(p.Error(code=p.ErrorCode.FORBIDDEN,
                              message=f"scope {msg.scope} is outside your jurisdiction {self.actor.scope}"))
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
        self.send(p.Resumed(epoch=hub.epoch, from_seq=resume.seq + 1, to_seq=cursor))
        if replayed:
            self._enqueue_events(replayed)
        self._go_live(cursor)
        return True

    async def _snapshot(self, scope: str) -> None:
        hub = self.hub
        snap = await hub.read(hub.store.snapshot, scope, hub.clock.now())
        n = p.SNAPSHOT_CHUNK_CASES
        cases, aggs = snap.cases, snap.aggregates
        chunks = max(1, -(-len(cases) // n), -(-len(aggs) // n))
        self.send(p.SnapshotBegin(scope=scope, epoch=snap.epoch, seq=snap.seq, total_cases=len(cases),
                                  total_chunks=chunks, aggregates_count=len(aggs)))
        for i in range(chunks):
            self.send(p.SnapshotChunk(index=i, cases=cases[i * n:(i + 1) * n],
                                      aggregates=aggs[i * n:(i + 1) * n]))
            if i % 4 == 3:
                await asyncio.sleep(0)  # let the writer drain between chunks
        self.send(p.SnapshotEnd(seq=snap.seq))
        self._go_live(snap.seq)

    # ---- read-only requests ------------------------------------------------------------
    async def _directory(self, scope: str) -> None:
        if not can_subscribe(self.actor, scope):
            self.send(p.Error(code=p.ErrorCode.FORBIDDEN, ref="directory_request",
                              message=f"scope {scope} is outside your jurisdiction {self.actor.scope}"))
            return
        nodes, departments = await self.hub.read(self.hub.directory, scope)
        self.send(p.Directory(scope=scope, nodes=nodes, departments=departments))

    async def _history(self, case_id: str) -> None:
        events = await self.hub.read(self.hub.store.case_events, case_id)
        if events and not self._may_read(events[-1].case):
            events = []
        self.send(p.History(case_id=case_id, events=events))

    async def _geometry(self, msg) -> None:
        from backend.geometry_service import geometry_service

        if not can_subscribe(self.actor, msg.scope):
            self.send(p.Error(code=p.ErrorCode.FORBIDDEN, ref="geometry_request",
                              message=f"scope {msg.scope} is outside your jurisdiction {self.actor.scope}"))
            return
        service = geometry_service(self.hub.store)
        for frame in await self.hub.read(service.frames, msg.scope, msg.level, msg.tolerance):
            self._out.append(frame)  # already encoded (and cached for every session)
            self._wake.set()
            await asyncio.sleep(0)  # let the writer drain between chunks

    def _may_read(self, case) -> bool:
        actor = self.actor
        if actor.department and case.department == actor.department:
            return True
        return case.node.startswith(actor.scope)

    # ---- commands ---------------------------------------------------------------------
    async def _command(self, cmd: p.Command) -> None:
        hub = self.hub
        answer = await hub.execute(self.client_id, cmd, self.actor)
        self.send(answer)
