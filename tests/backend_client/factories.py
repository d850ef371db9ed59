"""Plain builders of realistic cases for the client tests (no randomness hidden inside)."""

from __future__ import annotations

import random

from domain.model import Case, ClockKind, SlaLimit, SlaState, Source, State, Supervision, Urgency

STREETS = ("370202001", "370202002", "370203001")
GRIDS = tuple(f"{s}{c:03d}{g:03d}" for s in STREETS for c in (1, 2) for g in (1, 2, 3))
CATEGORIES = ("20102", "20151", "20501", "20506", "10103", "20451", "10552", "21001")
DEPARTMENTS = (None, "cg", "zj", "szyl", "ga", "xf")
T0 = 1_760_000_000.0  # 2025-10-09 16:53 CST


def make_case(n: int, *, node: str = GRIDS[0], state: State = State.REPORTED, urgency: Urgency = Urgency.NORMAL,
              version: int = 1, reported_at: float = T0, **kw) -> Case:
    return Case(
        id=kw.pop("id", f"E{n:08d}"), node=node, category=kw.pop("category", CATEGORIES[n % len(CATEGORIES)]),
        urgency=urgency, source=Source.GRID_WORKER, state=state, version=version, reported_at=reported_at,
        reported_by="w1", **kw,
    )


def random_case(rng: random.Random, n: int, *, version: int = 1, now: float | None = None) -> Case:
    """A case in a random state with fields that are consistent enough for indexes and queues."""
    state = rng.choice(list(State))
    reported = (now or T0) - rng.uniform(0, 3 * 86400)
    open_ = state not in (State.REJECTED, State.MERGED, State.CLOSED)
    dispatched = state in (State.DISPATCHED, State.IN_PROGRESS, State.RETURNED, State.SUSPENDED, State.RESOLVED)
    sla = rng.choice([SlaState.OK, SlaState.WARNING, SlaState.OVERDUE]) if dispatched else SlaState.NONE
    supervision = None
    if open_ and rng.random() < 0.15:
        supervision = Supervision(level=rng.randint(1, 3), reason="督办", due=reported + 86400, by="s1", at=reported,
                                  reply="已回复" if rng.random() < 0.3 else None)
    closed_at = reported + rng.uniform(600, 86400) if state is State.CLOSED else None
    return Case(
        id=f"E{n:08d}", node=rng.choice(GRIDS), category=rng.choice(CATEGORIES),
        urgency=rng.choice(list(Urgency)), source=rng.choice(list(Source)), state=state, version=version,
        reported_at=reported, reported_by="w1", description=rng.choice(["井盖缺失", "占道经营", "楼道堆物", "噪音扰民"]),
        address=rng.choice(["香港中路10号", "福州南路", "宁夏路288号"]), department=rng.choice(DEPARTMENTS),
        deadline=reported + 7200 if dispatched else None,
        sla_limit=SlaLimit(ClockKind.NATURAL_HOURS, 2.0) if dispatched else None,
        sla_state=sla, supervision=supervision, closed_at=closed_at, updated_at=closed_at or reported,
        closed_on_time=(rng.random() < 0.8) if closed_at else None,
    )
