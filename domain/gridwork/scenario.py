"""Scenario injections for the grid's own work: the ``[[gridwork]]`` tables of a scenario file.

    [[gridwork]]
    kind = "missed_visit"   # the next visits of `people` special-care people in `node` are not made
    at = "08:00"            # time of day (CST); `day` = 1 is the run's first day (default)
    node = "370202002"      # a grid, or any node above one: its first grid with people on the register
    people = 2              # default 1
    days = 3                # how long after their due day the visits stay missed (default 3)

    [[gridwork]]
    kind = "meeting"        # a 网格自管会 meeting that raises `matters` matters, each reported as a case
    at = "15:00"
    node = "370202002001001"
    matters = 3             # default 3, at most 10

Parsing raises ``ValueError`` naming the entry; the scenario loader wraps it with the file name.
"""

from __future__ import annotations

import re

import msgspec

from domain.hierarchy import CodeError, validate_code

_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
KINDS = ("missed_visit", "meeting")


class GridworkInjection(msgspec.Struct, frozen=True):
    kind: str
    at: float  # seconds after midnight (CST) of day ``day``
    day: int
    node: str
    people: int = 1
    days: int = 3
    matters: int = 3


def parse_injections(entries: list) -> tuple[GridworkInjection, ...]:
    return tuple(_one(entry, i) for i, entry in enumerate(entries))


def _one(entry, i: int) -> GridworkInjection:
    where = f"gridwork #{i + 1}"
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: must be a table")
    allowed = {"kind", "at", "day", "node", "people", "days", "matters"}
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise ValueError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    match = _TIME.match(str(entry.get("at", "")))
    if not match:
        raise ValueError(f"{where}: at must be a time of day HH:MM, got {entry.get('at')!r}")
    try:
        node = validate_code(entry.get("node"))
    except CodeError as exc:
        raise ValueError(f"{where}: node: {exc}") from None
    numbers = {}
    for key, default, top in (("day", 1, 366), ("people", 1, 50), ("days", 3, 60), ("matters", 3, 10)):
        value = entry.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= top:
            raise ValueError(f"{where}: {key} must be a whole number from 1 to {top}, got {value!r}")
        numbers[key] = value
    at = int(match.group(1)) * 3600 + int(match.group(2)) * 60
    return GridworkInjection(kind=kind, at=float(at), node=node, **numbers)
