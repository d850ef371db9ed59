"""Patrols and hazard checks (巡查): the tasks of a grid's day and their check-ins.

Every grid has the routine daily patrol; seasonal checks come with the month (冰面安全巡查
December–February, 防汛巡查 June–September, 防火巡查 in the dry spring and autumn). A task
is covered once a worker has checked in; a hazard found is reported as a case.
"""

from __future__ import annotations

import msgspec

#: Task kind → (Chinese name, months it runs in; empty = all year).
PATROL_KINDS: dict[str, tuple[str, tuple[int, ...]]] = {
    "routine": ("日常巡查", ()),
    "ice": ("冰面安全巡查", (12, 1, 2)),
    "flood": ("防汛巡查", (6, 7, 8, 9)),
    "fire": ("防火巡查", (3, 4, 10, 11)),
}


def patrol_name(kind: str) -> str:
    return PATROL_KINDS[kind][0] if kind in PATROL_KINDS else kind


def planned_kinds(month: int) -> tuple[str, ...]:
    """The patrol tasks every grid has on a day of ``month`` (1–12)."""
    return tuple(k for k, (_, months) in PATROL_KINDS.items() if not months or month in months)


class CheckIn(msgspec.Struct, frozen=True, omit_defaults=True):
    """A patrol task done: who, when, and the case if a hazard was found."""

    id: str
    grid: str
    day: str  # YYYY-MM-DD, China Standard Time
    kind: str
    at: float
    worker: str
    notes: str = ""
    hazard_case_id: str | None = None


class PatrolCoverage(msgspec.Struct, frozen=True):
    """Coverage of one node on one day: planned tasks and those checked in."""

    key: str
    name: str
    day: str
    planned: int
    done: int
    hazards: int = 0
    kinds_open: tuple[str, ...] = ()  # at grid level: the kinds still open


def coverage_of(key: str, name: str, day: str, grids: int, month: int, done_kinds: dict[str, set[str]],
                hazards: int = 0, grid_level: bool = False) -> PatrolCoverage:
    """``done_kinds``: grid → kinds checked in that day, for the ``grids`` grids under ``key``."""
    kinds = planned_kinds(month)
    done = sum(len(set(kinds) & v) for v in done_kinds.values())
    open_kinds: tuple[str, ...] = ()
    if grid_level:
        seen = set().union(*done_kinds.values()) if done_kinds else set()
        open_kinds = tuple(k for k in kinds if k not in seen)
    return PatrolCoverage(key=key, name=name, day=day, planned=grids * len(kinds), done=done, hazards=hazards,
                          kinds_open=open_kinds)
