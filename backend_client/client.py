"""GridClient: the connection, the replica, the queue index and the outbox behind one object.

The connection's worker thread only decodes and appends to ``inbox`` (a deque).
Whoever *drains* applies those items, in order, to the replica and the queue
index, resolves command futures and records the link state:

* headless (the default): the worker drains right after each frame, under ``lock``;
  tests and tools read the replica under ``lock`` or with :meth:`wait_until`;
* under the Qt bridge: the bridge's GUI-thread timer drains, so the replica, the
  index and every future callback live on the GUI thread and need no locking.

Commands are written to the outbox before they are sent and resent after every
reconnect with the same id; the hub applies each id once.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backend_client import collector, heap, switching
from backend_client.connection import Backoff, Connection, LinkState, StateChange
from backend_client.outbox import Outbox, default_path
from backend_client.queue_index import CaseIndex
from backend_client.replica import Changes, Replica, ReplicaError
from domain import protocol as p
from domain.hierarchy import validate_code
from domain.model import Action, Args, Source, Urgency
from domain.reporting import ReportData, assemble

log = logging.getLogger(__name__)

#: How often the drain forgets cases finished more than a day ago (server seconds).
PRUNE_EVERY = 60.0
#: A budgeted drain applies a big Events frame this many events at a time.
EVENTS_SLICE = 64
#: ... and takes a snapshot into the queue index this many cases at a time (≈ 15 ms).
INDEX_SLICE = 1000
#: The first guess of what the queue index costs per changed case (seconds); a budgeted drain
#: stops applying events when what it spent plus this for each case still to index reaches the budget.
INDEX_COST = 20e-6


#: Link states that end a snapshot being received (the link dropped or stopped).
_LINK_LOST = frozenset({LinkState.OFFLINE, LinkState.CONNECTING, LinkState.STOPPED})


class CommandFailed(Exception):
    """The hub refused a command: ``code`` is a protocol.ErrorCode, ``detail`` its particulars."""

    def __init__(self, code: p.ErrorCode, message: str, detail: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code.value}: {message}")
        self.code, self.message, self.detail = code, message, dict(detail or {})


@dataclass
class Batch:
    """What one drain did: replica changes, link states, and answers to commands (also orphaned ones)."""

    changes: Changes = field(default_factory=Changes)
    states: list[StateChange] = field(default_factory=list)
    answers: list[Any] = field(default_factory=list)  # protocol.CommandAck | protocol.CommandError

    def __bool__(self) -> bool:
        return bool(self.changes or self.states or self.answers)


class _Local:
    """Changes made on the caller's side (pending marks), queued so the drain reports them in order."""

    __slots__ = ("changes",)

    def __init__(self, changes: Changes) -> None:
        self.changes = changes


class _Built:
    """A snapshot already taken into a fresh replica and queue index on the worker thread.

    The drain swaps their contents in (``Replica.adopt``, ``CaseIndex.adopt``): the GUI
    thread never decodes, counts or indexes 100k cases, it only exchanges references.
    """

    __slots__ = ("replica", "index", "ids")

    def __init__(self, replica: Replica, index: CaseIndex, ids: set[str] | None = None) -> None:
        self.replica, self.index = replica, index
        self.ids = set(replica.cases) if ids is None else ids


class _BuildFailed:
    """The staged snapshot did not fit (``ReplicaError``): the drain asks for a new one."""

    __slots__ = ("error",)

    def __init__(self, error: ReplicaError) -> None:
        self.error = error


class GridClient:
    def __init__(self, url: str, token: str, scope: str, *, outbox_path: str | Path | None = None,
                 client_id: str | None = None, client_name: str = "GridCC",
                 node_name: Callable[[str], str] | None = None, backoff: Backoff = Backoff(),
                 drain_in_worker: bool = True) -> None:
        if scope:
            validate_code(scope)
        self.url, self.scope = url, scope
        self.outbox = Outbox(outbox_path if outbox_path is not None else default_path(client_id or "default"))
        self.client_id = client_id or self.outbox.client_id()
        self.replica = Replica(scope)
        self.index = CaseIndex(node_name=node_name)
        self.inbox: collections.deque[object] = collections.deque()  # messages, states, _Local
        self.lock = threading.RLock()
        self.state = StateChange(LinkState.STOPPED)
        self.drain_in_worker = drain_in_worker
        self._changed = threading.Condition(self.lock)
        self._futures: dict[str, Future[p.CommandAck]] = {}
        # ("directory", scope) / ("history", id) / ("report", id) / ... -> futures waiting for the answer
        self._lookups: dict[tuple[str, str], list[Future[Any]]] = {}
        self._report_requests: dict[str, p.ReportRequest] = {}  # request id -> request until answered
        self._report_frames: dict[str, dict[int, p.Report]] = {}  # request id -> frames so far, by chunk
        self._gridwork_sent: dict[str, p.GridworkQuery | p.GridworkCommand] = {}  # by id, until answered
        # 综合查询, duplicates and users requests, by request id, until answered
        self._search_sent: dict[str, p.SearchRequest | p.DuplicatesRequest | p.UsersRequest] = {}
        self._reindex: list[str] = []  # case ids of a snapshot still to put into the index
        self._staged: Replica | None = None  # a snapshot being received, on the worker thread
        self._index_changes = Changes()  # what the index has yet to follow in the current drain
        self._acked_versions: dict[str, int] = {}  # case id -> version of its latest ack to this client
        self._last_prune = float("-inf")
        self._index_cost = INDEX_COST  # seconds the queue index takes per changed case (learnt by drain)
        # "scope/level" -> outlines, kept: they change only with the city
        self._geometry: dict[str, list[p.Outline]] = {}
        self._geometry_parts: dict[str, dict[int, list[p.Outline]]] = {}
        self._listeners: list[Callable[[Batch], None]] = []
        self._conn = Connection(url, token, scope, client_id=self.client_id, client_name=client_name,
                                sink=self._receive, outbox=self.outbox, backoff=backoff)
        for command in self.outbox.pending():  # left by a previous run: greyed until answered
            self.replica.mark_pending(command.id, command.case_id)

    # ---- life ----------------------------------------------------------------------------
    def start(self) -> GridClient:
        self._conn.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Close the link and join its thread; unanswered commands stay in the outbox."""
        self._conn.stop(timeout)
        self._end_staging()  # a snapshot cut short by the stop
        self.drain()  # take the last states so ``state`` says stopped

    def close(self) -> None:
        self.stop()
        self.outbox.close()

    def __enter__(self) -> GridClient:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add_listener(self, fn: Callable[[Batch], None]) -> None:
        """Call ``fn(batch)`` after every non-empty drain, on the draining thread, under ``lock``."""
        self._listeners.append(fn)

    @property
    def connection(self) -> Connection:
        return self._conn

    def server_now(self) -> float:
        return self._conn.server_now()

    # ---- the inbox ---------------------------------------------------------------------------
    def _receive(self, item: object) -> None:
        """Called by the worker for every message and state, in order."""
        if self._stage(item):
            return
        self.inbox.append(item)
        if self.drain_in_worker:
            self.drain()

    def _stage(self, item: object) -> bool:
        """Take a snapshot's messages into a private replica and index here, on the worker thread.

        True when ``item`` was taken (nothing for the drain yet). At SnapshotEnd the finished
        replica and index go to the inbox as one ``_Built``. SnapshotRequired or Resumed (after a
        drop) discard what was staged and pass on as before; a new SnapshotBegin starts afresh.
        """
        staged = self._staged
        try:
            if isinstance(item, p.SnapshotBegin):
                if staged is None:
                    collector.pause()  # no full collections over the cases staged so far (collector.py)
                    switching.shorten()  # the GUI thread gets the GIL back sooner meanwhile (switching.py)
                staged = self._staged = Replica(self.scope)
                staged.apply_snapshot_begin(item)
                self.replica.snapshot_progress = staged.snapshot_progress
                return True
            if staged is None:
                return False
            if isinstance(item, p.SnapshotChunk):
                staged.apply_snapshot_chunk(item)
                self.replica.snapshot_progress = staged.snapshot_progress
                return True
            if isinstance(item, p.SnapshotEnd):
                ids = staged.apply_snapshot_end(item, now=self.server_now()).added  # set(staged.cases)
                index = CaseIndex(node_name=self.index.node_name)
                index.me = self.index.me
                index.load(staged.cases.values())
                index.prepare_orders(self.index.order_keys())  # the views' sort orders, off the GUI thread
                built = _Built(staged, index, ids)
                self._end_staging(freeze=True)
                heap.trim()  # what staging freed in large blocks goes back (heap.py)
                self.inbox.append(built)
                if self.drain_in_worker:
                    self.drain()
                return True
        except ReplicaError as exc:
            self._end_staging()
            self.inbox.append(_BuildFailed(exc))
            if self.drain_in_worker:
                self.drain()
            return True
        if isinstance(item, (p.SnapshotRequired, p.Resumed)) or (
                isinstance(item, StateChange) and item.state in _LINK_LOST):
            self._end_staging()  # a snapshot cut short by a drop no longer applies
        return False

    def _end_staging(self, freeze: bool = False) -> None:
        if self._staged is not None:
            self._staged = None
            collector.resume(freeze)
            switching.restore()

    def drain(self, budget: float | None = None) -> Batch:
        """Apply queued items in order; with ``budget`` (seconds) stop once it is spent, leaving the rest."""
        batch = Batch()
        inbox = self.inbox
        with self.lock:
            self._index_changes = Changes()
            started = time.perf_counter()
            pending = self._index_changes  # the index work the loop leaves for after it: counted in the budget
            while inbox:
                item = inbox.popleft()
                if budget is not None and isinstance(item, p.Events) and len(item.events) > EVENTS_SLICE:
                    # Split a big frame so the budget is checked every EVENTS_SLICE events.
                    head, rest = item.events[:EVENTS_SLICE], item.events[EVENTS_SLICE:]
                    inbox.appendleft(p.Events(epoch=item.epoch, upto=item.upto, events=rest))
                    item = p.Events(epoch=item.epoch, upto=head[-1].seq, events=head)
                self._apply(item, batch)
                pending = self._index_changes
                if budget is not None and (time.perf_counter() - started + self._index_cost
                                           * (len(pending.added) + len(pending.changed)) > budget):
                    break
            now = self.server_now()
            if (self.replica.ready and now - self._last_prune > PRUNE_EVERY
                    and (budget is None or time.perf_counter() - started < budget / 2)):  # else the next tick
                self._last_prune = now
                self._changed_by(batch, self.replica.prune(now))
            pending = self._index_changes
            cases = len(pending.added) + len(pending.changed)
            indexed = time.perf_counter()
            self._update_index(pending, budgeted=budget is not None)
            if cases >= 32 and not pending.reset:  # learn what one case costs the index, for the budget
                took = (time.perf_counter() - indexed) / cases
                self._index_cost = 0.8 * self._index_cost + 0.2 * took
            batch.changes.reindexed |= self._index_changes.reindexed
            self._index_changes = Changes()  # not kept: after a snapshot it names every case
            if batch:
                for fn in self._listeners:
                    fn(batch)
                self._changed.notify_all()
        return batch

    def wait_until(self, predicate: Callable[[GridClient], bool], timeout: float = 10.0) -> bool:
        """Block until ``predicate(self)`` holds (evaluated under the lock after each drain)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
            return True

    def _apply(self, item: object, batch: Batch) -> None:
        try:
            if isinstance(item, _BuildFailed):
                raise item.error
            self._apply_one(item, batch)
        except ReplicaError as exc:  # the stream and the replica disagree: start over from a snapshot
            log.error("replica rejected %s: %s; asking for a snapshot", type(item).__name__, exc)
            self.replica.discard_snapshot()
            self._conn.resync()

    def _changed_by(self, batch: Batch, changes: Changes) -> None:
        """Record ``changes`` for the listeners and for the queue index."""
        batch.changes.merge(changes)
        self._index_changes.merge(changes)

    def _adopt(self, built: _Built, batch: Batch) -> None:
        """Swap a snapshot built on the worker thread in; the index needs nothing more for it."""
        self._update_index(self._index_changes)  # what came before, on the old index
        self._index_changes = Changes()
        batch.changes.merge(self.replica.adopt(built.replica, built.ids))
        self.index.adopt(built.index)
        self._reindex = []

    def _apply_one(self, item: object, batch: Batch) -> None:
        replica = self.replica
        if isinstance(item, StateChange):
            self.state = item
            batch.states.append(item)
        elif isinstance(item, _Local):
            self._changed_by(batch, item.changes)
        elif isinstance(item, p.Events):
            self._changed_by(batch, replica.apply_events(item.events, upto=item.upto, epoch=item.epoch))
        elif isinstance(item, _Built):
            self._adopt(item, batch)
        elif isinstance(item, p.SnapshotBegin):  # only when fed straight into the inbox (tests, tools)
            replica.apply_snapshot_begin(item)
        elif isinstance(item, p.SnapshotChunk):
            replica.apply_snapshot_chunk(item)
        elif isinstance(item, p.SnapshotEnd):
            self._changed_by(batch, replica.apply_snapshot_end(item, now=self.server_now()))
        elif isinstance(item, (p.SnapshotRequired, p.Resumed)):
            replica.discard_snapshot()  # a snapshot cut short by a drop no longer applies
        elif isinstance(item, p.Directory):
            self._answer_lookup(("directory", item.scope), p.DirectoryRequest(scope=item.scope), item)
        elif isinstance(item, p.History):
            self._answer_lookup(("history", item.case_id), p.HistoryRequest(case_id=item.case_id), item)
        elif isinstance(item, p.Report):
            self._report_frame(item)
        elif isinstance(item, p.Error) and item.ref in self._report_requests:
            request = self._report_requests.pop(item.ref)
            self._report_frames.pop(item.ref, None)
            self._conn.request_answered(request)
            for future in self._lookups.pop(("report", item.ref), []):
                if not future.done():
                    future.set_exception(CommandFailed(item.code, item.message))
        elif isinstance(item, p.GridworkAnswer):
            self._answer_lookup(("gridwork", item.id), self._gridwork_sent.pop(item.id, None), item)
        elif isinstance(item, p.Geometry):
            self._geometry_chunk(item)
        elif isinstance(item, (p.SearchResult, p.Duplicates, p.Users)):
            self._answer_lookup(("search", item.request_id), self._search_sent.pop(item.request_id, None), item)
        elif isinstance(item, (p.CommandAck, p.CommandError)):
            if isinstance(item, p.CommandAck):
                self._note_ack(item)
            self._changed_by(batch, replica.clear_pending(item.command_id))
            batch.answers.append(item)
            waiter = self._futures.pop(item.command_id, None)
            if waiter is not None and not waiter.done():
                if isinstance(item, p.CommandAck):
                    waiter.set_result(item)
                else:
                    waiter.set_exception(CommandFailed(item.code, item.message, item.detail))

    def _note_ack(self, ack: p.CommandAck) -> None:
        versions = self._acked_versions
        versions[ack.case_id] = max(ack.version, versions.get(ack.case_id, 0))
        while len(versions) > 1000:  # only recent acks matter: the feed catches up within seconds
            versions.pop(next(iter(versions)))

    def _update_index(self, changes: Changes, budgeted: bool = False) -> None:
        """Follow the replica. After a snapshot the index is refilled in slices when draining on a
        budget (the GUI timer), so 100k cases never freeze the window for seconds."""
        if changes.reset:
            self.index.clear()
            self._reindex = list(self.replica.cases)  # ids: each slice takes the case as it is then
        elif changes:
            self.index.apply(changes.added, changes.changed, changes.removed, self.replica.cases)
        if self._reindex:
            take = INDEX_SLICE if budgeted else len(self._reindex)
            ids, self._reindex = self._reindex[:take], self._reindex[take:]
            cases = self.replica.cases
            self.index.upsert_many([cases[i] for i in ids if i in cases])
            changes.reindexed = True

    @property
    def indexing(self) -> bool:
        """True while a snapshot is still being taken into the queue index."""
        return bool(self._reindex)

    # ---- read-only lookups -----------------------------------------------------------------------
    def request_directory(self, scope: str | None = None) -> Future[p.Directory]:
        """The hub's node directory of ``scope`` (default: the subscription's); a Future of p.Directory."""
        scope = self.scope if scope is None else scope
        return self._lookup(("directory", scope), p.DirectoryRequest(scope=scope))

    def request_history(self, case_id: str) -> Future[p.History]:
        """Every event of one case, for its timeline; a Future of p.History."""
        return self._lookup(("history", case_id), p.HistoryRequest(case_id=case_id))

    def request_report(self, node: str, period: str, start: float, end: float | None = None,
                       group_by: tuple[str, ...] = ()) -> Future[ReportData]:
        """A period's indicators from the hub (``report_request``); a Future of ``domain.reporting.ReportData``.

        Fails with :class:`CommandFailed` (``forbidden``, ``not_found``, ``invalid``) when the hub refuses.
        """
        request_id = f"r-{uuid.uuid4().hex[:12]}"
        # ``period`` goes out as given (a PeriodKind value): the hub validates it and refuses a bad one.
        msg = p.ReportRequest(request_id=request_id, node=node, period=period,  # type: ignore[arg-type]
                              start=start, end=end, group_by=list(group_by))
        with self.lock:
            self._report_requests[request_id] = msg
        return self._lookup(("report", request_id), msg)

    def _report_frame(self, frame: p.Report) -> None:
        request = self._report_requests.get(frame.request_id)
        if request is None:
            return  # an answer to a request this client no longer waits for
        frames = self._report_frames.setdefault(frame.request_id, {})
        frames[frame.chunk] = frame
        if len(frames) < frame.chunks:
            return
        del self._report_requests[frame.request_id]
        del self._report_frames[frame.request_id]
        self._answer_lookup(("report", frame.request_id), request, assemble(list(frames.values())))
    def request_gridwork(self, msg: p.GridworkQuery | p.GridworkCommand) -> Future[p.GridworkAnswer]:
        """Send a GridworkQuery or GridworkCommand (see backend_client.gridwork); a Future of its GridworkAnswer."""
        with self.lock:
            self._gridwork_sent[msg.id] = msg
        return self._lookup(("gridwork", msg.id), msg)
    def request_search(self, msg: p.SearchRequest | p.DuplicatesRequest | p.UsersRequest
                       ) -> Future[p.SearchResult | p.Duplicates | p.Users]:
        """Send a 综合查询, duplicate-candidates or users request (see backend_client.search); a Future of its
        answer."""
        with self.lock:
            self._search_sent[msg.request_id] = msg
        return self._lookup(("search", msg.request_id), msg)

    def request_geometry(self, level: int, scope: str | None = None) -> Future[list[p.Outline]]:
        """Outlines of every node of ``level`` under ``scope`` (default: the subscription's), at the hub's
        default simplification for that level; a Future of a list of p.Outline. Answers are cached."""
        scope = self.scope if scope is None else scope
        key = ("geometry", f"{scope}/{int(level)}")
        with self.lock:
            cached = self._geometry.get(key[1])
            if cached is not None:
                cached_future: Future[list[p.Outline]] = Future()
                cached_future.set_result(cached)
                return cached_future
        return self._lookup(key, p.GeometryRequest(scope=scope, level=int(level)))

    def _geometry_chunk(self, item: p.Geometry) -> None:
        name = f"{item.scope}/{item.level}"
        parts = self._geometry_parts.setdefault(name, {})
        parts[item.index] = item.outlines
        if len(parts) < item.total_chunks:
            return
        del self._geometry_parts[name]
        outlines = [o for i in range(item.total_chunks) for o in parts.get(i, [])]
        self._geometry[name] = outlines
        self._answer_lookup(("geometry", name), p.GeometryRequest(scope=item.scope, level=item.level), outlines)

    def _lookup(self, key: tuple[str, str], msg: p.ClientMessage) -> Future[Any]:
        future: Future[Any] = Future()
        with self.lock:
            waiting = self._lookups.setdefault(key, [])
            waiting.append(future)
            first = len(waiting) == 1
        if first:
            self._conn.send_request(msg)
        return future

    def _answer_lookup(self, key: tuple[str, str], request: p.ClientMessage | None, answer: object) -> None:
        if request is not None:  # None: a gridwork answer to a request this client no longer holds
            self._conn.request_answered(request)
        for future in self._lookups.pop(key, []):
            if not future.done():
                future.set_result(answer)

    # ---- commands ----------------------------------------------------------------------------
    def command(self, action: Action | str, case_id: str | None = None, args: Args | None = None,
                expected_version: int | None = None) -> Future[p.CommandAck]:
        """Send one command; the future gets the CommandAck or fails with :class:`CommandFailed`.

        ``expected_version`` defaults to the version of the case in the replica, so acting
        on a case someone else changed meanwhile fails with ``conflict`` instead of
        overwriting what the operator has not seen.
        """
        action = Action(action)
        args = args if args is not None else Args()
        future: Future[p.CommandAck] = Future()
        with self.lock:
            if expected_version is None and case_id is not None:
                # The hub requires a version for every action but report: the replica's, or the
                # version of this client's latest ack for the case when the feed has not brought it yet.
                known = self.replica.get(case_id)
                versions = [v for v in (known.version if known is not None else None,
                                        self._acked_versions.get(case_id)) if v is not None]
                expected_version = max(versions) if versions else None
            command = p.Command(id=uuid.uuid4().hex, action=action, case_id=case_id,
                                expected_version=expected_version, args=args)
            self.outbox.put(command)  # before sending: a crash now still sends it later
            self._futures[command.id] = future
            future.command_id = command.id  # type: ignore[attr-defined]
            self.inbox.append(_Local(self.replica.mark_pending(command.id, case_id)))
        self._conn.send_command(command)
        return future

    def report(self, node: str | None, category: str, urgency: Urgency, source: Source, description: str,
               address: str = "", position: tuple[float, float] | None = None) -> Future[p.CommandAck]:
        """``position``: (lon, lat) in WGS-84 degrees, inside the grid ``node``; with a position,
        ``node`` may be None and the hub finds the grid there."""
        lon, lat = position if position is not None else (None, None)
        return self.command(Action.REPORT, None, Args(node=node, category=category, urgency=Urgency(urgency),
                                                      source=Source(source), description=description,
                                                      address=address, lon=lon, lat=lat))

    def accept(self, case_id: str) -> Future[p.CommandAck]:
        return self.command(Action.ACCEPT, case_id)

    def dispatch(self, case_id: str, department: str) -> Future[p.CommandAck]:
        return self.command(Action.DISPATCH, case_id, Args(department=department))

    def sign(self, case_id: str) -> Future[p.CommandAck]:
        return self.command(Action.SIGN, case_id)

    def resolve(self, case_id: str, message: str | None = None) -> Future[p.CommandAck]:
        return self.command(Action.RESOLVE, case_id, Args(message=message))

    def urge(self, case_id: str, message: str | None = None) -> Future[p.CommandAck]:
        return self.command(Action.URGE, case_id, Args(message=message))

    def acknowledge(self, case_id: str) -> Future[p.CommandAck]:
        return self.command(Action.ACKNOWLEDGE, case_id)
