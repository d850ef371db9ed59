"""The websocket session with the hub, on an asyncio loop in one worker thread.

It speaks docs/protocol.md: bearer token at the handshake, hello → welcome →
subscribe (with ``resume`` when it has a position) → snapshot chunks or a replay →
live events. It keeps its own resume position — the last ``upto`` or snapshot seq
*received* — because everything received is handed on in order and will be applied
in order. Heartbeats both ways; three silent intervals mean the link is dead.
Reconnects with exponential backoff and jitter; a 401, an unsupported version or a
refused subscription is final. ``stop()`` closes the socket, ends the loop and
joins the thread.

Nothing here touches the replica: every decoded message and every state change
goes, in order, to ``sink`` (called on the worker thread).
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from backend_client.chunk_decode import decode_server
from backend_client.outbox import Outbox
from domain import protocol as p

log = logging.getLogger(__name__)

#: Decoded frames the client needs, in arrival order (the rest stay in here).
FORWARDED = (p.SnapshotBegin, p.SnapshotChunk, p.SnapshotEnd, p.Events, p.Resumed, p.SnapshotRequired,
             p.CommandAck, p.CommandError, p.Directory, p.History, p.Report,
             p.GridworkAnswer, p.Geometry, p.SearchResult, p.Duplicates, p.Users)
MAX_BAD_FRAMES = 20


class LinkState(str, enum.Enum):
    CONNECTING = "connecting"
    RESYNCING = "resyncing"  # subscribed, loading a snapshot or a replay
    LIVE = "live"
    OFFLINE = "offline"  # between attempts (retry_in set) or for good (final)
    STOPPED = "stopped"


@dataclass(frozen=True)
class StateChange:
    """What the connection is doing; ``progress`` is (chunks done, total) while resyncing."""

    state: LinkState
    reason: str = ""
    progress: tuple[int, int] | None = None
    outbox: int = 0  # unanswered commands waiting
    attempt: int = 0
    retry_in: float | None = None
    final: bool = False  # offline for good: no retry until restarted (bad token, old protocol, ...)


@dataclass(frozen=True)
class Backoff:
    """Delay before reconnect attempt ``n`` (0-based): base·factor^n capped, times a jitter in [½, 1]."""

    base: float = 0.5
    factor: float = 2.0
    cap: float = 15.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        if attempt < 0:
            raise ValueError(f"attempt must be 0 or more, got {attempt}")
        jitter = (rng or random).uniform(0.5, 1.0)  # spreads a crowd of consoles after a hub restart
        return min(self.cap, self.base * self.factor ** min(attempt, 30)) * jitter


class _Final(Exception):
    """Stop retrying: the reason needs a person (token, version, jurisdiction)."""


class _Dead(Exception):
    """The link is unusable (silence, garbage); reconnect."""


class Connection:
    def __init__(self, url: str, token: str, scope: str, *, client_id: str, sink: Callable[[object], None],
                 outbox: Outbox, position: tuple[str, int] | None = None, client_name: str = "",
                 backoff: Backoff = Backoff(), open_timeout: float = 10.0) -> None:
        if not token:
            raise ValueError("a bearer token is required to connect to the hub")
        self.url, self.scope, self.client_id, self.client_name = url, scope, client_id, client_name
        self._token = token
        self._sink = sink
        self.outbox = outbox
        self.position = position  # (epoch, seq) to resume from; touched only on the loop
        self.backoff = backoff
        self.open_timeout = open_timeout
        self.state = StateChange(LinkState.STOPPED)
        self.welcome: p.Welcome | None = None
        self.server_offset = 0.0  # hub clock minus local clock, from Welcome/Heartbeat/Pong
        self._clock = (time.time(), time.time(), 1.0)  # (hub time, local time, rate) at the last reading
        self.rtt: float | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ws: ClientConnection | None = None
        self._out: asyncio.Queue[str] | None = None  # encoded frames for the writer
        self._sent: set[str] = set()
        self._requests: list[p.ClientMessage] = []  # read-only requests (directory, history), resent after a reconnect
        self._attempt_task: asyncio.Task[None] | None = None
        self._ready = threading.Event()
        self._went_live = False  # this attempt reached live (resets the backoff)
        self._snapshot_epoch = ""
        self._directory_parts: dict[str, list[p.Directory]] = {}  # scope -> chunks of a directory so far

    # ---- called from any thread ---------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("connection already started; make a new one after stop()")
        self._thread = threading.Thread(target=self._thread_main, name=f"gridcc-conn-{self.client_id}",
                                        daemon=True)
        self._thread.start()
        self._ready.wait()

    def stop(self, timeout: float = 10.0) -> None:
        """Close the socket (the hub sees a normal close), end the loop, join the thread."""
        thread, loop = self._thread, self._loop
        if thread is None:
            return
        if loop is not None and thread.is_alive():
            try:
                loop.call_soon_threadsafe(self._request_stop)
            except RuntimeError:  # the loop already closed
                pass
        thread.join(timeout)
        if thread.is_alive():
            raise RuntimeError(f"connection thread did not stop within {timeout} s")

    def send_command(self, command: p.Command) -> None:
        """Send now if connected; it is in the outbox already, so a reconnect sends it otherwise."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._send_command, command)
            except RuntimeError:
                pass

    def resync(self) -> None:
        """Drop the resume position and reconnect for a fresh snapshot (the replica disagreed)."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._resync)

    def server_now(self) -> float:
        """The hub's clock, run forward at its rate since the last reading (a training hub runs fast)."""
        mark_server, mark_local, rate = self._clock
        return mark_server + (time.time() - mark_local) * rate

    def _set_clock(self, server_time: float, local_time: float, rate: float | None = None) -> None:
        rate = self._clock[2] if rate is None else rate
        self._clock = (server_time, local_time, rate)
        self.server_offset = server_time - local_time

    # ---- the loop ---------------------------------------------------------------------------
    def _thread_main(self) -> None:
        try:
            asyncio.run(self._main())
        finally:
            self._loop = None
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        self._ready.set()
        attempt = 0
        while not self._stopping.is_set():
            self._emit(LinkState.CONNECTING, attempt=attempt)
            self._attempt_task = asyncio.ensure_future(self._attempt())
            try:
                await self._attempt_task
                went_live, reason = self._went_live, "connection closed"
            except asyncio.CancelledError:
                if self._stopping.is_set():
                    break
                raise
            except _Final as exc:
                self._emit(LinkState.OFFLINE, reason=str(exc), final=True)
                await self._stopping.wait()
                break
            except _Reconnect as exc:
                went_live, reason = exc.went_live, exc.reason
            finally:
                self._attempt_task = None
            if self._stopping.is_set():
                break
            attempt = 0 if went_live else attempt + 1
            delay = self.backoff.delay(attempt)
            self._emit(LinkState.OFFLINE, reason=reason, attempt=attempt, retry_in=delay)
            try:
                await asyncio.wait_for(self._stopping.wait(), delay)
            except TimeoutError:
                pass
        self._emit(LinkState.STOPPED, reason="stopped")

    def _request_stop(self) -> None:
        assert self._stopping is not None  # scheduled only on the running loop, which made it
        self._stopping.set()
        if self._ws is not None:
            asyncio.ensure_future(self._ws.close(p.CloseCode.NORMAL, "client stopping"))
        elif self._attempt_task is not None:
            self._attempt_task.cancel()

    def _resync(self) -> None:
        self.position = None
        if self._ws is not None:
            asyncio.ensure_future(self._ws.close(p.CloseCode.NORMAL, "resync"))

    async def _attempt(self) -> None:
        """One connection from handshake to close; always ends by raising _Reconnect or _Final."""
        self._went_live = False
        headers = {"Authorization": f"Bearer {self._token}"}
        try:
            async with connect(self.url, additional_headers=headers, compression=None, ping_interval=None,
                               proxy=None, max_size=p.MAX_SERVER_FRAME_BYTES, open_timeout=self.open_timeout,
                               close_timeout=3, user_agent_header=f"GridCC-client/{p.PROTOCOL_VERSION}") as ws:
                self._ws = ws
                try:
                    await self._session(ws)
                finally:
                    self._ws = None
                    self._sent.clear()
                    self._directory_parts.clear()
            raise _Reconnect(self._went_live, _close_reason(ws))
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status in (401, 403):
                raise _Final(f"the hub refused the token (HTTP {status}); sign in again") from None
            if 400 <= status < 500 and status not in (408, 429):
                raise _Final(f"the hub refused the connection (HTTP {status}) at {self.url}") from None
            raise _Reconnect(False, f"the hub answered HTTP {status}") from None
        except _Dead as exc:
            raise _Reconnect(self._went_live, str(exc)) from None
        except ConnectionClosed as exc:
            code = exc.rcvd.code if exc.rcvd else None
            raise self._after_close(code, exc.rcvd.reason if exc.rcvd else "", self._went_live) from None
        except (TimeoutError, OSError, InvalidHandshake) as exc:
            detail = str(exc) or type(exc).__name__
            raise _Reconnect(self._went_live, f"cannot reach the hub at {self.url}: {detail}") from None

    def _after_close(self, code: int | None, reason: str, went_live: bool) -> Exception:
        try:
            known = p.CloseCode(code) if code is not None else None
        except ValueError:
            known = None
        text = f"closed by the hub ({code} {reason})".strip() if code is not None else "connection lost"
        if known is not None and not known.reconnect and known is not p.CloseCode.NORMAL:
            return _Final(text)
        return _Reconnect(went_live, text)

    async def _session(self, ws: ClientConnection) -> None:
        self._out = asyncio.Queue()
        writer = asyncio.ensure_future(self._writer(ws, self._out))
        pinger: asyncio.Future[None] | None = None
        try:
            await ws.send(p.encode(p.Hello(protocol=p.PROTOCOL_VERSION, client_id=self.client_id,
                                           client_name=self.client_name)).decode())
            welcome = await self._recv(ws, self.open_timeout)
            if isinstance(welcome, p.Error):
                raise _Final(f"the hub refused the hello: {welcome.code.value}: {welcome.message}")
            if not isinstance(welcome, p.Welcome):
                raise _Dead(f"expected welcome, got {type(welcome).__name__}")
            if welcome.protocol not in p.SUPPORTED_VERSIONS:
                raise _Final(f"the hub speaks protocol {welcome.protocol}, this console speaks "
                             f"{p.PROTOCOL_VERSION}: upgrade this console")
            self.welcome = welcome
            self._set_clock(welcome.server_time, time.time(), welcome.clock_rate)
            interval = welcome.heartbeat_interval
            for request in list(self._requests):  # lookups first: a directory beats a big snapshot
                self._queue(request)
            self._subscribe()
            self._flush_outbox()
            pinger = asyncio.ensure_future(self._pinger(interval))
            silence = interval * welcome.limits.heartbeat_misses
            bad = 0
            while True:
                try:
                    msg = await self._recv(ws, silence)
                except p.ProtocolError as exc:
                    bad += 1
                    log.warning("bad frame from the hub: %s", exc)
                    if bad >= MAX_BAD_FRAMES:
                        raise _Dead("too many malformed frames from the hub") from None
                    continue
                bad = 0
                self._on_message(msg)
        finally:
            for task in (writer, pinger):
                if task is not None:
                    task.cancel()
            await asyncio.gather(writer, *(t for t in (pinger,) if t), return_exceptions=True)

    async def _recv(self, ws: ClientConnection, timeout: float) -> p.ServerMessage:
        try:
            # bytes as they came: UTF-8 is checked once, by the JSON decoder (a city snapshot is ~80 MB;
            # decoding it to str here and encoding it back for msgspec cost ~0.25 s)
            raw = await asyncio.wait_for(ws.recv(decode=False), timeout)
        except TimeoutError:
            raise _Dead(f"nothing heard from the hub for {timeout:g} s") from None
        return decode_server(raw)  # snapshot chunks a case at a time (chunk_decode.py)

    async def _writer(self, ws: ClientConnection, out: asyncio.Queue[str]) -> None:
        while True:
            frame = await out.get()
            await ws.send(frame)

    async def _pinger(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            self._queue(p.Ping(t=time.time()))

    def _queue(self, msg: p.ClientMessage) -> None:
        if self._out is not None:
            self._out.put_nowait(p.encode(msg).decode())

    def _subscribe(self) -> None:
        resume = p.Resume(epoch=self.position[0], seq=self.position[1]) if self.position else None
        self._emit(LinkState.RESYNCING, reason="resuming" if resume else "loading snapshot")
        self._queue(p.Subscribe(scope=self.scope, resume=resume))

    def _flush_outbox(self) -> None:
        for command in self.outbox.pending():
            self._send_command(command)

    def send_request(self, msg: p.ClientMessage) -> None:
        """Send a read-only request now if connected, and again after every reconnect until answered."""
        self._requests.append(msg)
        loop = self._loop
        if loop is not None and not loop.is_closed() and self._out is not None:
            try:
                loop.call_soon_threadsafe(self._queue, msg)
            except RuntimeError:
                pass

    def _answers_request(self, error: p.Error) -> bool:
        """True when ``error`` refuses a pending report request (its ``ref`` is the request id)."""
        if error.ref is None:
            return False
        return any(isinstance(r, p.ReportRequest) and r.request_id == error.ref for r in self._requests)

    def request_answered(self, msg: p.ClientMessage) -> None:
        self._requests = [r for r in self._requests if r != msg]

    def _send_command(self, command: p.Command) -> None:
        if self._ws is None or self._out is None or command.id in self._sent:
            return
        self._sent.add(command.id)
        self._queue(command)
        self.outbox.mark_sent(command.id)

    # ---- inbound --------------------------------------------------------------------------------
    def _on_message(self, msg: p.ServerMessage) -> None:
        live = False
        if isinstance(msg, p.SnapshotBegin):
            self._snapshot_epoch = msg.epoch
            self._emit(LinkState.RESYNCING, reason="loading snapshot", progress=(0, msg.total_chunks))
        elif isinstance(msg, p.SnapshotChunk):
            total = self.state.progress[1] if self.state.progress else msg.index + 1
            self._emit(LinkState.RESYNCING, reason="loading snapshot", progress=(msg.index + 1, total))
        elif isinstance(msg, p.SnapshotEnd):
            self.position = (self._snapshot_epoch, msg.seq)
            live = True
        elif isinstance(msg, p.Resumed):
            live = True
        elif isinstance(msg, p.Events):
            if self.position is not None:
                self.position = (msg.epoch, max(self.position[1], msg.upto))
        elif isinstance(msg, p.SnapshotRequired):
            self.position = None
            self._sink(msg)
            self._subscribe()
            return
        elif isinstance(msg, p.CommandError) and msg.code is p.ErrorCode.THROTTLED:
            self._throttled(msg)
            return  # not an answer: the command stays in the outbox and goes again later
        elif isinstance(msg, (p.CommandAck, p.CommandError)):
            self.outbox.remove(msg.command_id)
        elif isinstance(msg, p.Directory):
            whole = self._directory_chunk(msg)
            if whole is None:
                return  # more chunks to come
            msg = whole
        elif isinstance(msg, p.Heartbeat):
            self._set_clock(msg.server_time, time.time(), msg.clock_rate)
        elif isinstance(msg, p.Pong):
            now = time.time()
            self.rtt = now - msg.t
            self._set_clock(msg.server_time, (now + msg.t) / 2)
        elif isinstance(msg, p.Error):
            if self._answers_request(msg):  # a refused report request: its caller hears of it
                self._sink(msg)
                return
            if self.state.state is LinkState.RESYNCING and msg.code in (p.ErrorCode.FORBIDDEN, p.ErrorCode.NOT_FOUND):
                raise _Final(f"subscription to {self.scope or 'the whole tree'} refused: {msg.message}")
            log.warning("hub error %s: %s (ref %s)", msg.code.value, msg.message, msg.ref)
        if isinstance(msg, FORWARDED):
            self._sink(msg)
        if live:
            self._went_live = True
            self._emit(LinkState.LIVE)

    def _throttled(self, msg: p.CommandError) -> None:
        """Send a throttled command again (same id) after the hub's ``retry_after``."""
        self._sent.discard(msg.command_id)
        try:
            wait = max(0.01, min(60.0, float(msg.detail.get("retry_after", 1.0))))
        except (TypeError, ValueError):
            wait = 1.0
        asyncio.get_running_loop().call_later(wait, self._resend, msg.command_id)

    def _resend(self, command_id: str) -> None:
        for command in self.outbox.pending():
            if command.id == command_id:
                self._send_command(command)
                return

    def _directory_chunk(self, msg: p.Directory) -> p.Directory | None:
        """Reassemble a directory sent in several frames; the whole one once its last chunk is in."""
        if msg.total_chunks <= 1:
            return msg
        parts = self._directory_parts.setdefault(msg.scope, [])
        if msg.index == 0:
            parts.clear()
        if msg.index != len(parts):  # a chunk of an answer whose start was lost: wait for a new one
            log.warning("directory chunk %d of %s out of order; dropped", msg.index, msg.scope)
            self._directory_parts.pop(msg.scope, None)
            return None
        parts.append(msg)
        if len(parts) < msg.total_chunks:
            return None
        del self._directory_parts[msg.scope]
        return p.Directory(scope=msg.scope, nodes=[n for part in parts for n in part.nodes],
                           departments=[d for part in parts for d in part.departments])

    def _emit(self, state: LinkState, **kw: Any) -> None:
        self.state = StateChange(state, outbox=len(self.outbox), **kw)
        self._sink(self.state)


class _Reconnect(Exception):
    def __init__(self, went_live: bool, reason: str) -> None:
        super().__init__(reason)
        self.went_live, self.reason = went_live, reason


def _close_reason(ws: ClientConnection) -> str:
    code = ws.close_code
    return f"closed ({code} {ws.close_reason or ''})".strip() if code is not None else "connection closed"
