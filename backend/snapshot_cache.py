"""The snapshot material kept in the hub's memory and followed event by event.

A city snapshot read from the database costs 1.5-2 s (71 MB of bodies plus Python work per
row); sessions of one city ask for the same ~110k cases again and again. The hub's pump
already reads every committed event in order, and each event carries its case as it is
after the event, which is exactly the body the store wrote (``commands.case_values``
encodes the same ``Case`` with the same encoder). So the cache keeps, per case, that body
as bytes plus what a snapshot needs beside it, and per node the aggregates, and moves them
with each published event. A snapshot at the cache's position is then a filter and a copy.

What it equals: ``backend.store.snapshot.build`` at the same seq and ``now``: the open cases
by id, then the cases finished at most 24 h before ``now`` by id, and the aggregates of the
open cases plus the hourly counts of the last 48 hours (tests/backend/test_snapshot_cache.py).
Whatever it cannot answer exactly (not loaded yet, a gap, a clock before its pruning) it
declines, and the hub reads the database as before.

Invariants: ``_open`` holds every open case; ``_done`` every finished case that may still
show (finished at or after ``_body_floor``) or still counts in an hour at or after
``_horizon``. A finished case not held has no counted part, so an event about it only adds.
"""

from __future__ import annotations

import bisect
import logging
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from backend.snapshot_entries import Cases, Entry, finished_of
from backend.store.fastpath import fetch_chunks
from backend.store.feed import head
from backend.store.models import CaseRow
from backend.store.snapshot import SNAPSHOT_CLOSED_WINDOW, Snapshot
from domain.aggregates import WINDOW_HOURS, Aggregates, Contribution, NodeAggregate, contribution, contribution_of
from domain.caller import masked_case
from domain.hierarchy import lineage
from domain.model import OPEN_STATES, Case, Role
from domain.protocol import FeedEvent

log = logging.getLogger(__name__)

_encoder = msgspec.json.Encoder()
_case_decoder = msgspec.json.Decoder(Case)
_OPEN_VALUES = sorted(s.value for s in OPEN_STATES)
_t = CaseRow.__table__.c
_COLUMNS = (_t.id, _t.body, _t.node, _t.state, _t.sla_state, _t.urgency, _t.supervised_at, _t.reported_at,
            _t.closed_at, _t.closed_on_time, _t.updated_at)
#: Finished cases are kept this much past the 24 h window, so a snapshot asked a little earlier finds them.
_MARGIN = 3600.0
_HOURLY = ("hourly_reported", "hourly_closed", "hourly_closed_on_time")


class SnapshotCache:
    """Snapshot material of the whole stream at ``seq``, updated by :meth:`apply` (thread-safe).

    The pump applies on the hub's loop; snapshots are built in reader threads. One lock
    covers both, so a snapshot is read at one position: nothing moves between reading
    ``seq`` and copying the material.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.epoch = ""
        self.seq = -1
        self.warm = False
        self._loading: list[FeedEvent] | None = None  # events published while a load runs
        self._open = Cases()
        self._done = Cases()
        self._nodes: dict[str, NodeAggregate] = {}
        self._chains: dict[str, tuple[str, ...]] = {}
        self._contribs: dict[Contribution, Contribution] = {}  # interned: most cases share theirs
        self._horizon = 0  # hourly counts before this hour are not kept
        self._codes: list[str] | None = None  # the node codes sorted, while no node comes or goes
        #: Codes whose aggregate object no snapshot holds yet (changed in place); any other is copied first.
        self._private: set[str] = set()
        self._body_floor = 0.0  # finished cases before this time are not kept for their bodies
        self.loaded_in = 0.0  # seconds the last load took (the bench reports it)
        self._frames: dict[tuple[str, bool], _Shared] = {}
        self.hits = 0
        self.declined = 0
        self.frames_shared = 0

    @property
    def loading(self) -> bool:
        return self._loading is not None

    @property
    def cases(self) -> int:
        return len(self._open.all.items) + len(self._done.all.items)

    # ---- filling ---------------------------------------------------------------------------
    def begin_load(self) -> None:
        """From now on, published events are kept until :meth:`install` (call on the pump's side first)."""
        with self._lock:
            self.warm = False
            self._loading = []

    def install(self, state: LoadedState) -> None:
        """Take a loaded state and catch up with the events published since the load began."""
        with self._lock:
            pending, self._loading = self._loading or [], None
            self.epoch, self.seq = state.epoch, state.seq
            self._open, self._done, self._nodes = state.open, state.done, state.nodes
            self._horizon, self._body_floor = state.horizon, state.body_floor
            self._contribs = state.contribs
            self._codes = None
            self._private = set()
            self.loaded_in = state.seconds
            self.warm = True
            self._apply_locked(pending)
            self._frames.clear()

    def invalidate(self) -> None:
        with self._lock:
            self.warm = False
            self._loading = None

    def apply(self, events: list[FeedEvent], now: float | None = None) -> None:
        """Follow published events (in seq order, as the pump publishes them)."""
        with self._lock:
            if self._loading is not None:
                self._loading.extend(events)
                return
            if self.warm:
                self._apply_locked(events)
                self._frames.clear()  # frames of the last seq: no longer what a snapshot gives
                if now is not None and self.warm:
                    self._prune(now)

    def _apply_locked(self, events: list[FeedEvent]) -> None:
        for fe in events:
            if fe.seq <= self.seq:
                continue  # the load already saw it
            if fe.seq != self.seq + 1:
                log.warning("snapshot cache: event %d after %d; falling back to the database", fe.seq, self.seq)
                self.warm = False
                return
            self._put(fe.case)
            self.seq = fe.seq

    def _put(self, case: Case) -> None:
        case_id = case.id
        old = self._open.pop(case_id)
        if old is None:
            old = self._done.pop(case_id)
        c = contribution(case)
        c = self._contribs.setdefault(c, c)  # interned: an unchanged contribution is the same object
        if old is None or old[1] != case.node or old[2] is not c:  # most events (urge, sign, ...) count nothing new
            if old is not None:
                self._count(old[1], old[2], -1)
            self._count(case.node, c, +1)
        is_open = c[0] is not None
        finished = None if is_open else finished_of(case.closed_at, case.updated_at, case.reported_at)
        seen = masked_case(case, Role.WALL)
        entry: Entry = (_encoder.encode(case), case.node, c, finished, None if seen is case else _encoder.encode(seen))
        if is_open:
            self._open.put(case_id, entry)
        elif self._keeps(entry):
            self._done.put(case_id, entry)

    def _keeps(self, entry: Entry) -> bool:
        c, finished = entry[2], entry[3]
        return (finished is not None and finished >= self._body_floor) or c[4] >= self._horizon \
            or (c[5] is not None and c[5] >= self._horizon)

    def _count(self, node: str, c: Contribution, sign: int) -> None:
        """Add (or take) one case's contribution along its node's lineage, hours before the horizon left out."""
        chain = self._chains.get(node)
        if chain is None:
            chain = self._chains[node] = tuple(lineage(node))
        horizon = self._horizon
        hours = [(name, c[i]) for name, i in zip(_HOURLY, (4, 5, 6), strict=True)
                 if c[i] is not None and c[i] >= horizon]
        is_open = c[0] is not None
        if not is_open and not hours:
            return
        nodes, private = self._nodes, self._private
        for code in chain:
            agg = nodes.get(code)
            if agg is None:
                agg = nodes[code] = NodeAggregate(code, {}, {}, {}, 0, {}, {}, {})
                self._codes = None
                private.add(code)
            elif code not in private:  # a snapshot may hold this object: change a copy
                agg = nodes[code] = agg.copy()
                private.add(code)
            if is_open:
                _bump(agg.by_state, c[0], sign)
                _bump(agg.by_sla, c[1], sign)
                _bump(agg.by_urgency, c[2], sign)
                if c[3]:
                    agg.supervised += sign
            for name, hour in hours:
                _bump(getattr(agg, name), hour, sign)
            if sign < 0 and agg.is_empty():
                del nodes[code]
                self._codes = None

    def _prune(self, now: float) -> None:
        """Forget hours and finished cases no snapshot at ``now`` or later can show (cheap when nothing moved).

        The horizon is exactly a snapshot's at ``now``, so snapshots share the node aggregates as they are.
        """
        horizon = int(now // 3600) - (WINDOW_HOURS - 1)
        if horizon <= self._horizon:
            return
        self._horizon = horizon
        self._body_floor = now - SNAPSHOT_CLOSED_WINDOW - _MARGIN
        nodes = self._nodes
        for code, agg in list(nodes.items()):
            if any(h < horizon for name in _HOURLY for h in getattr(agg, name)):
                agg = nodes[code] = _copy_from(agg, horizon)
                if agg.is_empty():
                    del nodes[code]
                    self._codes = None
        done = self._done
        for case_id in [i for i, e in done.all.items.items() if not self._keeps(e)]:
            done.pop(case_id)

    # ---- reading ---------------------------------------------------------------------------
    def snapshot(self, scope: str, now: float, masked: bool = False) -> Snapshot | None:
        """The snapshot ``build`` would give at the cache's seq, bodies as bytes; None when not exact here.

        ``masked``: bodies carrying a caller are shown as roles outside ``SEES_CALLER`` see them.
        """
        built = self._build(scope, now, masked)
        return None if built is None else built[0]

    def snapshot_frames(self, scope: str, now: float, masked: bool,
                        encode: Callable[[list[bytes], list[NodeAggregate]], Sequence[bytes]],
                        ) -> tuple[Snapshot, Sequence[bytes]] | None:
        """A snapshot and its frames (``encode``), shared by sessions asking while the stream stands still.

        Shared only while it is exactly what :meth:`snapshot` would give now: the same seq, the
        same hour window, no shown finished case gone past 24 h, a clock not set back. Kept
        until the next event, so a city's ~70 MB of frames are held only that long.
        """
        horizon = int(now // 3600) - (WINDOW_HOURS - 1)
        key = (scope, masked)
        with self._lock:
            held = self._frames.get(key) if self.warm else None
            if held is not None and held.seq == self.seq and held.horizon == horizon and held.now <= now \
                    and held.first_finished >= now - SNAPSHOT_CLOSED_WINDOW:
                self.frames_shared += 1
                return held.snap, held.frames
        built = self._build(scope, now, masked)
        if built is None:
            return None
        snap, first_finished = built
        frames = encode(snap.bodies, snap.aggregates)  # type: ignore[arg-type]
        with self._lock:
            if snap.seq == self.seq:
                self._frames[key] = _Shared(snap, frames, snap.seq, horizon, now, first_finished)
        return snap, frames

    def _build(self, scope: str, now: float, masked: bool) -> tuple[Snapshot, float] | None:
        """(snapshot, when its earliest shown finished case finished) or None (see :meth:`snapshot`)."""
        horizon = int(now // 3600) - (WINDOW_HOURS - 1)
        closed_cut = now - SNAPSHOT_CLOSED_WINDOW
        with self._lock:
            if not self.warm or horizon < self._horizon or closed_cut < self._body_floor:
                self.declined += 1
                return None
            self._prune(now)  # now the cache's horizon is the snapshot's
            chosen = self._open.under(scope)
            done = [e for e in self._done.under(scope) if e[3] is not None and e[3] >= closed_cut]
            if self._codes is None:
                self._codes = sorted(self._nodes)
            codes, nodes = self._codes, self._nodes
            # shared, not copied: the cache never changes an aggregate it has handed out (see _count)
            self._private.clear()
            first, end = bisect.bisect_left(codes, scope), bisect.bisect_left(codes, _above(scope))
            aggs = [nodes[code] for code in codes[first:end]]
            epoch, seq = self.epoch, self.seq
            self.hits += 1
        chosen += done
        if masked:
            bodies = [e[0] if e[4] is None else e[4] for e in chosen]
        else:
            bodies = [e[0] for e in chosen]
        first_finished = min((e[3] for e in done if e[3] is not None), default=math.inf)
        return Snapshot(epoch=epoch, seq=seq, bodies=bodies,  # type: ignore[arg-type]  # bytes, sent as they are
                        aggregates=aggs), first_finished

    def memory_bytes(self) -> int:
        """Roughly what the cache holds (bodies, entries, aggregates), for the bench."""
        import sys

        with self._lock:
            total = 0
            for cases in (self._open, self._done):
                total += sum(sys.getsizeof(part.items) for part in cases.by_district.values())
                table = cases.all.items
                total += sys.getsizeof(table)
                for case_id, e in table.items():
                    total += sys.getsizeof(case_id) + sys.getsizeof(e) + sys.getsizeof(e[0])
                    total += sys.getsizeof(e[4]) if e[4] is not None else 0
            total += sum(sys.getsizeof(c) + sum(sys.getsizeof(x) for x in c) for c in self._contribs)
            for agg in self._nodes.values():
                total += sys.getsizeof(agg) + sum(sys.getsizeof(getattr(agg, f)) for f in
                                                  ("by_state", "by_sla", "by_urgency", *_HOURLY))
            return total


def _masked(body: str) -> bytes | None:
    """A stored body as roles outside ``SEES_CALLER`` see it, None when that is the body itself."""
    if '"caller_name"' not in body and '"caller_phone"' not in body:
        return None
    case = _case_decoder.decode(body)
    seen = masked_case(case, Role.WALL)
    return None if seen is case else _encoder.encode(seen)


def _above(scope: str) -> str:
    """The least string above every code that starts with ``scope`` (codes are digits)."""
    return scope + "\x7f" if scope else "\x7f"


def _bump(counts: dict[Any, int], key: Any, sign: int) -> None:
    n = counts.get(key, 0) + sign
    if n > 0:
        counts[key] = n
    elif n == 0:
        counts.pop(key, None)
    else:
        raise AssertionError(f"snapshot cache: count for {key!r} would go below zero")


def _copy_from(agg: NodeAggregate, horizon: int) -> NodeAggregate:
    return NodeAggregate(agg.node, dict(agg.by_state), dict(agg.by_sla), dict(agg.by_urgency), agg.supervised,
                         *({h: n for h, n in getattr(agg, name).items() if h >= horizon} for name in _HOURLY))


@dataclass
class _Shared:
    """A snapshot's frames as built for the first session that asked (see ``snapshot_frames``)."""

    snap: Snapshot
    frames: Sequence[bytes]  # encoded as first sent (backend.snapshot_frames.ChunkFrames)
    seq: int
    horizon: int
    now: float
    first_finished: float


@dataclass
class LoadedState:
    """What one read transaction gave a cache (built in a reader thread, installed on the loop)."""

    epoch: str
    seq: int
    open: Cases
    done: Cases
    nodes: dict[str, NodeAggregate]
    horizon: int
    body_floor: float
    contribs: dict
    seconds: float


def load(store, now: float) -> LoadedState:
    """Read the cache's material in one read transaction (off the loop; see ``Store.snapshot``)."""
    import time

    started = time.perf_counter()
    cache = SnapshotCache()
    cache._horizon = int(now // 3600) - (WINDOW_HOURS - 1)
    cache._body_floor = now - SNAPSHOT_CLOSED_WINDOW - _MARGIN
    cutoff = min(cache._horizon * 3600.0, cache._body_floor)

    interned = cache._contribs
    open_items: dict[str, Entry] = {}
    done_items: dict[str, Entry] = {}
    counted: list[tuple[str, Contribution]] = []
    done_filter = (CaseRow.state.not_in(_OPEN_VALUES),
                   or_(CaseRow.reported_at >= cutoff, CaseRow.closed_at >= cutoff, CaseRow.updated_at >= cutoff))

    def read(conn: Connection) -> tuple[str, int]:
        """Rows are taken a chunk at a time, so their text bodies never all live beside the bytes kept,
        and in id order, sorted by the database: sorting 10^5 ids here was one call that held the GIL
        for 60–80 ms, and a console in the same process (the demo) stood still meanwhile. PostgreSQL
        sorts by its collation unless told "C" (code points, as Python compares); ``Ordered`` checks."""
        epoch, seq = head(conn)  # first read: fixes the transaction's view
        by_id = CaseRow.id if conn.dialect.name == "sqlite" else CaseRow.id.collate("C")
        for where in ((CaseRow.state.in_(_OPEN_VALUES),), done_filter):
            for rows in fetch_chunks(conn, select(*_COLUMNS).where(*where).order_by(by_id)):
                for case_id, body, node, state, sla, urgency, sup_at, rep, closed, on_time, updated in rows:
                    c = contribution_of(state, sla, urgency, sup_at is not None, rep, closed, on_time)
                    c = interned.setdefault(c, c)
                    if c[0] is not None:
                        open_items[case_id] = (body.encode(), node, c, None, _masked(body))
                    else:
                        entry: Entry = (body.encode(), node, c, finished_of(closed, updated, rep), _masked(body))
                        if not cache._keeps(entry):
                            continue
                        done_items[case_id] = entry
                    counted.append((node, c))
        return epoch, seq

    epoch, seq = store.read_consistent(read)
    aggs = Aggregates()  # the very sums ``build`` makes, for the whole tree at once
    aggs.prune(now)
    aggs.add_all(counted)
    return LoadedState(epoch=epoch, seq=seq, open=Cases(open_items), done=Cases(done_items),
                       nodes={a.node: a for a in aggs.to_list()}, horizon=cache._horizon, body_floor=cache._body_floor,
                       contribs=interned, seconds=time.perf_counter() - started)
