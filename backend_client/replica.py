"""The client's copy of its scope: open cases, the recently closed, and node aggregates.

Pure Python and single-threaded: whoever owns it (the GUI thread under the Qt
bridge, the connection worker when headless) feeds it the hub's messages in
order. Aggregates are kept by ``domain.aggregates`` — each event replaces the
case's old contribution with the new one along its lineage, never a rescan — so
at every moment they equal a recomputation from the cases (tests check it).

Exactly-once: events at or below the replica's sequence number are ignored, so a
replay that overlaps what was already applied changes nothing. ``position`` is
what the connection sends to resume.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from msgspec.structs import force_setattr

from backend_client.interning import intern_codes
from domain.aggregates import Aggregates, NodeAggregate, shared_copies
from domain.model import TERMINAL_STATES, Case, SlaState, Urgency

if TYPE_CHECKING:
    from domain.messages import FeedEvent, SnapshotBegin, SnapshotChunk, SnapshotEnd

#: How long a finished case stays visible (the "recently closed").
RECENT_SECONDS = 24 * 3600
#: How long a pruned case is remembered so a late event for it is not counted twice.
RETIRED_SECONDS = 48 * 3600


class ReplicaError(ValueError):
    """A message that does not fit the replica's state (wrong scope, chunk order, epoch)."""


@dataclass(frozen=True, slots=True)
class Alert:
    """Something an operator must notice: ``kind`` is "critical" (a new 特急 case) or "overdue"."""

    kind: str
    case: Case


@dataclass(slots=True)
class Changes:
    """What one batch did to the replica, for the queue indexes and the widgets."""

    added: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    alerts: list[Alert] = field(default_factory=list)
    events: list[FeedEvent] = field(default_factory=list)  # the protocol.FeedEvents applied, in order (the ticker)
    reset: bool = False  # a snapshot replaced everything
    reindexed: bool = False  # the queue index took in another slice of a snapshot

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.alerts or self.events or self.reset
                    or self.reindexed)

    def merge(self, later: Changes) -> Changes:
        """Fold ``later`` into this batch (a case added then removed is just removed).

        Set operations, not loops: a snapshot's batch names every case (100k ids).
        """
        if later.reset:
            self.added, self.changed, self.removed = set(), set(), self.added | self.changed | self.removed
            self.reset = True
        if later.added:
            self.added |= later.added
            self.removed -= later.added
        if later.changed:
            self.changed |= later.changed - self.added
        if later.removed:
            undone = later.removed & self.added
            self.added -= undone
            self.removed |= later.removed - undone
            self.changed -= later.removed
        self.alerts.extend(later.alerts)
        self.events.extend(later.events)
        return self


class _Staging:
    def __init__(self, msg: SnapshotBegin) -> None:
        self.epoch: str = msg.epoch
        self.seq: int = msg.seq
        self.total_chunks: int = msg.total_chunks
        self.total_cases: int = msg.total_cases
        self.next_chunk = 0
        self.cases: dict[str, Case] = {}
        self.aggregates: list[NodeAggregate] = []  # copies (``shared_copies``), held nowhere else
        self.keys: dict[object, object] = {}  # the aggregates' hour keys, one int object each


class Replica:
    def __init__(self, scope: str) -> None:
        self.scope = scope
        self.cases: dict[str, Case] = {}
        self.aggregates = Aggregates(scope)
        self.epoch: str | None = None
        self.seq = 0
        self.ready = False  # True once a snapshot has been applied
        self.snapshot_progress: tuple[int, int] | None = None  # (chunks received, total) while loading
        self._finished_at: dict[str, float] = {}  # terminal cases -> when they finished
        self._retired: dict[str, tuple[float, Case]] = {}
        self._pending: dict[str, str] = {}  # command id -> case id
        self._staging: _Staging | None = None

    # ---- resume and pending marks ----------------------------------------------------
    @property
    def position(self) -> tuple[str, int] | None:
        """(epoch, seq) to resume from, or None before the first snapshot."""
        return (self.epoch, self.seq) if self.ready and self.epoch is not None else None

    @property
    def pending_ids(self) -> set[str]:
        """Cases with a command in flight (shown greyed until the answer)."""
        return set(self._pending.values())

    def is_pending(self, case_id: str) -> bool:
        return case_id in self._pending.values()

    def mark_pending(self, command_id: str, case_id: str | None) -> Changes:
        changes = Changes()
        if case_id:
            self._pending[command_id] = case_id
            if case_id in self.cases:
                changes.changed.add(case_id)
        return changes

    def clear_pending(self, command_id: str) -> Changes:
        changes = Changes()
        case_id = self._pending.pop(command_id, None)
        if case_id in self.cases:
            changes.changed.add(case_id)
        return changes

    # ---- snapshot --------------------------------------------------------------------
    def apply_snapshot_begin(self, msg: SnapshotBegin) -> None:
        if msg.scope != self.scope:
            raise ReplicaError(f"snapshot for scope {msg.scope!r} sent to a replica of scope {self.scope!r}")
        self._staging = _Staging(msg)
        self.snapshot_progress = (0, msg.total_chunks)

    def apply_snapshot_chunk(self, msg: SnapshotChunk) -> None:
        st = self._staging
        if st is None:
            raise ReplicaError("snapshot chunk without a snapshot begin")
        if msg.index != st.next_chunk:
            raise ReplicaError(f"snapshot chunk {msg.index} arrived; expected chunk {st.next_chunk}")
        st.next_chunk += 1
        scope, cases = self.scope, st.cases
        for case in msg.cases:
            if case.node.startswith(scope):
                cases[case.id] = intern_codes(case)
        st.aggregates.extend(shared_copies(msg.aggregates, st.keys))
        self.snapshot_progress = (st.next_chunk, st.total_chunks)

    def apply_snapshot_end(self, msg: SnapshotEnd, now: float | None = None) -> Changes:
        """Swap the staged snapshot in; everything it held before is reported removed."""
        st = self._staging
        if st is None:
            raise ReplicaError("snapshot end without a snapshot begin")
        self._staging = None
        self.snapshot_progress = None
        if msg.seq != st.seq:
            raise ReplicaError(f"snapshot end says seq {msg.seq}; its begin said {st.seq}")
        if st.next_chunk != st.total_chunks:
            raise ReplicaError(f"snapshot ended after {st.next_chunk} of {st.total_chunks} chunks")
        changes = Changes(removed=set(self.cases), reset=True)
        aggregates = Aggregates(self.scope)
        aggregates.load(st.aggregates, copy=False)
        self.cases, self.aggregates = st.cases, aggregates
        self._finished_at = {cid: _finished(c) for cid, c in self.cases.items() if c.state in TERMINAL_STATES}
        self._retired = {}
        self.epoch, self.seq, self.ready = st.epoch, st.seq, True
        changes.added = set(self.cases)
        if changes.removed:  # a replica that held cases (a staged one never did): no second set of 10^5 ids
            changes.removed -= changes.added
        if now is not None:
            changes.merge(self.prune(now))
        return changes

    def adopt(self, other: Replica, ids: set[str] | None = None) -> Changes:
        """Take ``other``'s snapshot (built elsewhere, e.g. off the GUI thread) as if applied here.

        The same outcome as ``apply_snapshot_end`` with ``other``'s contents; this replica's
        pending marks stay (they belong to commands this client still waits for). ``ids``:
        ``set(other.cases)``, when the builder already made it (100k ids cost ~10 ms).
        """
        if other.scope != self.scope:
            raise ReplicaError(f"a replica of scope {other.scope!r} cannot replace one of scope {self.scope!r}")
        if not other.ready:
            raise ReplicaError("only a replica that holds a whole snapshot can be adopted")
        added = set(other.cases) if ids is None else ids
        changes = Changes(added=added, removed={cid for cid in self.cases if cid not in added}, reset=True)
        self.cases, self.aggregates = other.cases, other.aggregates
        self._finished_at, self._retired = other._finished_at, other._retired
        self.epoch, self.seq, self.ready = other.epoch, other.seq, True
        self._staging = None
        self.snapshot_progress = None
        return changes

    def discard_snapshot(self) -> None:
        """Forget a snapshot cut short (the connection dropped before its end)."""
        self._staging = None
        self.snapshot_progress = None

    # ---- live events -------------------------------------------------------------------
    def apply_events(self, events: Iterable[FeedEvent], upto: int | None = None, epoch: str | None = None) -> Changes:
        """Apply protocol.FeedEvents in order; those at or below ``seq`` are skipped (exactly once)."""
        if not self.ready:
            raise ReplicaError("events arrived before any snapshot")
        if epoch is not None and epoch != self.epoch:
            raise ReplicaError(f"events of epoch {epoch!r} sent to a replica of epoch {self.epoch!r}")
        changes = Changes()
        scope, epoch_now, seq = self.scope, self.epoch, self.seq
        cases, retired_cases, finished_at, aggregates = self.cases, self._retired, self._finished_at, self.aggregates
        added, changed, removed, applied, alerts = (changes.added, changes.changed, changes.removed, changes.events,
                                                     changes.alerts)
        overdue, critical = SlaState.OVERDUE, Urgency.CRITICAL
        count, intern, terminal = aggregates.apply, intern_codes, TERMINAL_STATES  # locals: once per event
        try:
            for fe in events:
                if fe.seq <= seq:
                    continue
                if fe.epoch != epoch_now:
                    raise ReplicaError(f"event {fe.seq} is of epoch {fe.epoch!r}; the replica is at {epoch_now!r}")
                seq = fe.seq
                new = fe.case
                if not new.node.startswith(scope):
                    continue
                applied.append(fe)
                case_id = new.id
                old = cases.get(case_id)
                if old is None:
                    retired = retired_cases.pop(case_id, None)
                    old_counted = retired[1] if retired else None
                else:
                    old_counted = old
                if old_counted is not None and new.version <= old_counted.version:
                    continue  # already reflected (the snapshot was taken after this version)
                if old is not None and new.id is not old.id:
                    case_id = old.id  # the object the dicts hold as its key: later lookups match it by identity
                    force_setattr(new, "id", case_id)
                intern(new)  # first: the aggregates' and the index's lookups by node then match by identity too
                count(old_counted, new)
                cases[case_id] = new
                if old is None:
                    added.add(case_id)
                    removed.discard(case_id)
                elif case_id not in added:
                    changed.add(case_id)
                if new.state in terminal:
                    finished_at[case_id] = _finished(new, fe.event.at)
                    continue  # no alerts for a finished case
                finished_at.pop(case_id, None)
                if ((old_counted is None and new.urgency is critical) or new.sla_state is overdue
                        or new.stage_sla is overdue or new.sign_sla is overdue):
                    self._alerts(old_counted, new, alerts)
        finally:
            self.seq = seq
        if upto is not None and upto > self.seq:
            self.seq = upto
        return changes

    def prune(self, now: float) -> Changes:
        """Forget cases finished more than a day before ``now``; drop hourly counts past 48 h."""
        changes = Changes()
        cutoff = now - RECENT_SECONDS
        for cid in [cid for cid, at in self._finished_at.items() if at < cutoff]:
            del self._finished_at[cid]
            self._retired[cid] = (now, self.cases.pop(cid))
            changes.removed.add(cid)
        retired_cutoff = now - RETIRED_SECONDS + RECENT_SECONDS
        for cid in [cid for cid, (at, _) in self._retired.items() if at < retired_cutoff]:
            del self._retired[cid]
        self.aggregates.prune(now)
        return changes

    # ---- reads ---------------------------------------------------------------------------
    def get(self, case_id: str) -> Case | None:
        return self.cases.get(case_id)

    def aggregate(self, node: str) -> NodeAggregate:
        return self.aggregates.get(node)

    def __len__(self) -> int:
        return len(self.cases)

    @staticmethod
    def _alerts(old: Case | None, new: Case, out: list[Alert]) -> None:
        if new.state in TERMINAL_STATES:
            return
        if old is None and new.urgency is Urgency.CRITICAL:
            out.append(Alert("critical", new))
        if new.sla_state is SlaState.OVERDUE and (old is None or old.sla_state is not SlaState.OVERDUE):
            out.append(Alert("overdue", new))
        elif new.stage_sla is SlaState.OVERDUE and (old is None or old.stage_sla is not SlaState.OVERDUE):
            out.append(Alert("overdue", new))  # a short step (受理, 派遣, 核查) ran past its limit
        elif new.sign_sla is SlaState.OVERDUE and (old is None or old.sign_sla is not SlaState.OVERDUE):
            out.append(Alert("overdue", new))  # the department did not sign in time (签收 clock)


def _finished(case: Case, fallback: float | None = None) -> float:
    for t in (case.closed_at, case.updated_at, fallback, case.reported_at):
        if t is not None:
            return t
    return case.reported_at
