"""The six administrative levels and the codes that name their nodes.

Codes follow the statistical division codes: 2 digits for a province, 4 for a
city, 6 for a district, 9 for a street or town, 12 for a community or village,
and a grid extends its community's code by 3 digits (15). A child's code always
starts with its parent's, so jurisdiction is a prefix test and ancestry needs no
lookup table.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


class Level(enum.IntEnum):
    PROVINCE = 0  # 省
    CITY = 1  # 市
    DISTRICT = 2  # 区/县级市
    STREET = 3  # 街道/镇
    COMMUNITY = 4  # 社区/村
    GRID = 5  # 网格


CODE_LENGTHS = (2, 4, 6, 9, 12, 15)
_LEVEL_BY_LENGTH = {n: Level(i) for i, n in enumerate(CODE_LENGTHS)}
LEVEL_NAMES = {
    "province": Level.PROVINCE,
    "city": Level.CITY,
    "district": Level.DISTRICT,
    "street": Level.STREET,
    "community": Level.COMMUNITY,
    "grid": Level.GRID,
}


#: Who acts for a node of each level when a case is held there (Chinese, the data of record):
#: the community's 网格长 heads its grids and is the first the grid worker reports to; the
#: province views and supervises. English in ``LEVEL_OWNERS_EN``.
LEVEL_OWNERS = {
    Level.PROVINCE: "省级平台",
    Level.CITY: "市级指挥中心",
    Level.DISTRICT: "区级指挥中心",
    Level.STREET: "街道网格化服务管理中心",
    Level.COMMUNITY: "网格长",
    Level.GRID: "网格员",
}
LEVEL_OWNERS_EN = {
    Level.PROVINCE: "provincial platform",
    Level.CITY: "city command centre",
    Level.DISTRICT: "district command centre",
    Level.STREET: "street grid centre",
    Level.COMMUNITY: "grid head",
    Level.GRID: "grid worker",
}


class CodeError(ValueError):
    """A node code that cannot name a node; the message says why."""


#: A well-formed code in one match: each level's part (2, 2, 2, 3, 3, 3 digits) not all zeros.
#: The console validates every node of the city's directory on the GUI thread: the city's
#: Hierarchy of 16,824 nodes took 69 ms with the part-by-part check alone, 25 ms with this first.
#: A code that does not match is checked part by part below, for the message.
_WELL_FORMED = re.compile(
    r"(?!00)[0-9]{2}(?:(?!00)[0-9]{2}(?:(?!00)[0-9]{2}(?:(?!000)[0-9]{3}(?:(?!000)[0-9]{3}(?:(?!000)[0-9]{3})?)?)?)?)?")


def validate_code(code: object) -> str:
    """Return ``code`` if it is a well-formed node code, else raise :class:`CodeError`."""
    if type(code) is str and _WELL_FORMED.fullmatch(code):
        return code
    return _checked_part_by_part(code)


def _checked_part_by_part(code: object) -> str:
    """The same check as ``_WELL_FORMED``, one rule at a time, so a bad code is told what is wrong."""
    if not isinstance(code, str):
        raise CodeError(f"node code must be a string of digits, got {type(code).__name__}")
    if not code:
        raise CodeError("node code is empty")
    if not code.isascii() or not code.isdigit():
        raise CodeError(f"node code {code!r} must contain only the digits 0-9")
    if len(code) not in _LEVEL_BY_LENGTH:
        raise CodeError(
            f"node code {code!r} has {len(code)} digits; a code has 2 (province), 4 (city), "
            "6 (district), 9 (street), 12 (community) or 15 (grid)"
        )
    # Each level's own part must not be all zeros: 370200 is the city's "districts"
    # placeholder in some tables, not a district.
    lengths = CODE_LENGTHS[: CODE_LENGTHS.index(len(code)) + 1]
    start = 0
    for n in lengths:
        if set(code[start:n]) == {"0"}:
            level = _LEVEL_BY_LENGTH[n].name.lower()
            raise CodeError(f"node code {code!r}: the {level} part {code[start:n]!r} is all zeros")
        start = n
    return code


def level_of(code: str) -> Level:
    return _LEVEL_BY_LENGTH[len(validate_code(code))]


def parent_of(code: str) -> str | None:
    """The parent's code, or None for a province."""
    return _parent_at(code, level_of(code))


def _parent_at(code: str, level: Level) -> str | None:
    return None if level == Level.PROVINCE else code[: CODE_LENGTHS[level - 1]]


def ancestors(code: str) -> list[str]:
    """Codes from the province down to the parent (not including ``code``)."""
    level = level_of(code)
    return [code[:n] for n in CODE_LENGTHS[:level]]


def lineage(code: str) -> list[str]:
    """Codes from the province down to ``code`` itself."""
    return ancestors(code) + [code]


def is_within(code: str, scope: str) -> bool:
    """True when ``code`` is ``scope`` or lies in its subtree. An empty scope is everything."""
    return code.startswith(scope)


@dataclass(slots=True)
class Node:
    code: str
    name: str
    level: Level
    parent: str | None
    children: list[str] = field(default_factory=list)


class Hierarchy:
    """An in-memory tree of named nodes, built parent-first."""

    def __init__(self, nodes: Iterable[tuple[str, str]] = ()) -> None:
        self._nodes: dict[str, Node] = {}
        for code, name in nodes:
            self.add(code, name)

    def add(self, code: str, name: str) -> Node:
        level = level_of(code)
        parent = _parent_at(code, level)  # the code validated once
        if code in self._nodes:
            raise CodeError(f"node {code} ({name}) is already present")
        if parent is not None and parent not in self._nodes:
            raise CodeError(f"node {code} ({name}): its parent {parent} is not present")
        node = Node(code, name, level, parent)
        self._nodes[code] = node
        if parent is not None:
            self._nodes[parent].children.append(code)
        return node

    def __contains__(self, code: object) -> bool:
        return code in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def __iter__(self) -> Iterator[Node]:
        return iter(self._nodes.values())

    def get(self, code: str) -> Node:
        try:
            return self._nodes[code]
        except KeyError:
            raise KeyError(f"unknown node {code}") from None

    def name(self, code: str) -> str:
        node = self._nodes.get(code)
        return node.name if node else code

    def children(self, code: str) -> list[str]:
        return self.get(code).children

    def subtree(self, code: str) -> Iterator[str]:
        """``code`` and all its descendants, depth first."""
        stack = [code]
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed(self._nodes[current].children))

    def path_names(self, code: str) -> list[str]:
        return [self.name(c) for c in lineage(code) if c in self._nodes]

    def at_level(self, level: Level) -> list[str]:
        return [n.code for n in self._nodes.values() if n.level == level]
