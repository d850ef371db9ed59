"""A plausible feed: cases reported, moved through the lifecycle, closed; seq and epoch like the hub's.

Used by the replica's property tests and by bench/ingest.py. Moves follow the
lifecycle table (domain.transitions) loosely (the replica does not check transitions, the hub does);
terminal cases never change again, as on the hub.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import msgspec

from domain import protocol as p
from domain.model import (
    TERMINAL_STATES,
    Action,
    Case,
    ClockKind,
    DomainEvent,
    Role,
    SlaLimit,
    SlaState,
    Source,
    State,
    Supervision,
    Urgency,
)
from tests.backend_client.factories import CATEGORIES, DEPARTMENTS, GRIDS, T0

OUTSIDE_GRIDS = ("370211001001001", "370211001002003")  # another district: outside a 370202/370203 scope
_NEXT = {
    State.REPORTED: [(State.ACCEPTED, Action.ACCEPT), (State.REJECTED, Action.REJECT), (State.MERGED, Action.MERGE),
                     (State.SELF_RESOLVED, Action.SELF_RESOLVE)],
    State.ACCEPTED: [(State.DISPATCHED, Action.DISPATCH)],
    State.DISPATCHED: [(State.IN_PROGRESS, Action.SIGN), (State.RETURNED, Action.RETURN)],
    State.RETURNED: [(State.DISPATCHED, Action.DISPATCH), (State.REJECTED, Action.REJECT)],
    State.IN_PROGRESS: [(State.RESOLVED, Action.RESOLVE), (State.SUSPENDED, Action.SUSPEND),
                        (State.RETURNED, Action.RETURN)],
    State.SUSPENDED: [(State.IN_PROGRESS, Action.RESUME)],
    State.RESOLVED: [(State.CLOSED, Action.VERIFY), (State.IN_PROGRESS, Action.VERIFY)],
    State.SELF_RESOLVED: [(State.CLOSED, Action.VERIFY)],
}
_URGENCY_WEIGHTS = ([Urgency.NORMAL, Urgency.URGENT, Urgency.CRITICAL], [80, 17, 3])


class FeedStream:
    """Generates FeedEvents; ``cases`` holds every case's latest version (the truth to compare with)."""

    def __init__(self, seed: int, *, epoch: str = "ep-1", start: float = T0, mean_gap: float = 30.0,
                 grids: tuple[str, ...] = GRIDS, outside_share: float = 0.05) -> None:
        self.rng = random.Random(seed)
        self.epoch = epoch
        self.now = start
        self.mean_gap = mean_gap
        self.grids = grids
        self.outside_share = outside_share
        self.seq = 0
        self.cases: dict[str, Case] = {}
        self._open: list[str] = []
        self._n = 0

    def initial(self, count: int) -> list[Case]:
        """Cases that exist before the stream starts (what a snapshot would hold), spread over 2 days."""
        for _ in range(count):
            case = self._new_case(self.now - self.rng.uniform(0, 2 * 86400))
            self.cases[case.id] = case
            self._open.append(case.id)
        return list(self.cases.values())

    def events(self, count: int) -> Iterator[p.FeedEvent]:
        for _ in range(count):
            yield self.next_event()

    def next_event(self) -> p.FeedEvent:
        rng = self.rng
        self.now += rng.expovariate(1 / self.mean_gap)
        if not self._open or rng.random() < 0.3:
            case = self._new_case(self.now)
            kind = Action.REPORT
        else:
            i = rng.randrange(len(self._open))
            old = self.cases[self._open[i]]
            case, kind = self._move(old)
            if case.state in TERMINAL_STATES:
                self._open[i] = self._open[-1]
                self._open.pop()
        if case.state not in TERMINAL_STATES and kind is Action.REPORT:
            self._open.append(case.id)
        self.cases[case.id] = case
        self.seq += 1
        event = DomainEvent(kind=kind, case_id=case.id, at=self.now, actor="u1", role=Role.OPERATOR,
                            version=case.version)
        return p.FeedEvent(seq=self.seq, epoch=self.epoch, event=event, case=case)

    def in_scope(self, scope: str) -> list[Case]:
        return [c for c in self.cases.values() if c.node.startswith(scope)]

    # ---- internals ----------------------------------------------------------------------
    def _new_case(self, at: float) -> Case:
        rng = self.rng
        self._n += 1
        node = rng.choice(OUTSIDE_GRIDS) if rng.random() < self.outside_share else rng.choice(self.grids)
        return Case(
            id=f"E{self._n:08d}", node=node, category=rng.choice(CATEGORIES),
            urgency=rng.choices(*_URGENCY_WEIGHTS)[0], source=rng.choice(list(Source)), state=State.REPORTED,
            version=1, reported_at=at, reported_by="w1", description=rng.choice(["井盖缺失", "占道经营", "楼道堆物"]),
            address="香港中路10号", updated_at=at,
        )

    def _move(self, old: Case) -> tuple[Case, Action]:
        rng, now = self.rng, self.now
        roll = rng.random()
        changes: dict = {"version": old.version + 1, "updated_at": now}
        if roll < 0.15 and old.sla_limit is not None:
            sla = SlaState.WARNING if old.sla_state is SlaState.OK else SlaState.OVERDUE
            changes["sla_state"] = sla
            kind = Action.SLA_WARNING if sla is SlaState.WARNING else Action.SLA_OVERDUE
        elif roll < 0.22:
            if old.supervision is None:
                changes["supervision"] = Supervision(level=rng.randint(1, 3), reason="督办", due=now + 86400,
                                                     by="s1", at=now)
                kind = Action.SUPERVISE
            else:
                changes["supervision"] = msgspec.structs.replace(old.supervision, reply="已处理", replied_at=now)
                kind = Action.REPLY_SUPERVISION
        elif roll < 0.26:
            changes["urge_count"] = old.urge_count + 1
            kind = Action.URGE
        else:
            state, kind = rng.choice(_NEXT[old.state])
            changes["state"] = state
            if kind is Action.DISPATCH:
                changes.update(department=rng.choice(DEPARTMENTS[1:]), dispatched_at=now,
                               sla_limit=SlaLimit(ClockKind.NATURAL_HOURS, 2.0), deadline=now + 7200,
                               sla_state=SlaState.OK)
            if state in TERMINAL_STATES or state is State.SELF_RESOLVED:
                changes["sla_state"] = SlaState.NONE
            if state is State.CLOSED:
                changes.update(closed_at=now, closed_on_time=old.sla_state is not SlaState.OVERDUE)
            if state is State.IN_PROGRESS and old.state is State.RESOLVED:
                changes["rework_count"] = old.rework_count + 1
        return msgspec.structs.replace(old, **changes), kind


def snapshot_frames(scope: str, stream: FeedStream, cases: list[Case], chunk: int = 50,
                    now: float | None = None) -> list[p.ServerMessage]:
    """A hub-like snapshot of ``cases`` at the stream's current seq, aggregates from scratch."""
    from domain.aggregates import recompute

    mine = [c for c in cases if c.node.startswith(scope)]
    aggs = recompute(mine, scope, now=now).to_list()
    shown = [c for c in mine if c.state not in TERMINAL_STATES]
    return list(p.snapshot_messages(scope, stream.epoch, stream.seq, shown, aggs, chunk=chunk))
