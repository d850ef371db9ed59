"""The cases a snapshot cache holds: one entry per case, open ones in id order overall and per district.

A snapshot lists cases by id. Ids of new cases ascend (a day and a counter), so a dict kept in
insertion order is already in id order; only a case coming back (reopened) or another hub's
numbering breaks it, and then the next snapshot sorts once.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.aggregates import Contribution

#: Open cases are also kept per district (codes' first six digits, domain.hierarchy).
_DISTRICT = 6
#: One case: (body as stored, node, contribution, when finished or None while open, the body as roles
#: that may not see the caller see it or None when it is the same: domain.caller).
Entry = tuple[bytes, str, Contribution, float | None, bytes | None]


def finished_of(closed_at: float | None, updated_at: float | None, reported_at: float) -> float:
    """When a finished case finished, by ``build``'s rule: closed, else last updated (rejected, merged)."""
    return closed_at if closed_at is not None else updated_at if updated_at is not None else reported_at


class Ordered:
    """id -> entry kept in id order for free while ids arrive ascending (new cases); re-sorted once otherwise."""

    __slots__ = ("items", "_last", "_sorted")

    def __init__(self, items: dict[str, Entry] | None = None) -> None:
        self.items: dict[str, Entry] = items if items is not None else {}
        self._last = max(self.items) if self.items else ""
        self._sorted = all(a < b for a, b in zip(self.items, list(self.items)[1:], strict=False))

    def put(self, case_id: str, entry: Entry) -> None:
        items = self.items
        if case_id not in items:
            if case_id > self._last:
                self._last = case_id
            else:
                self._sorted = False
        items[case_id] = entry

    def in_order(self) -> Iterable[Entry]:
        if not self._sorted:
            self.items = dict(sorted(self.items.items()))
            self._sorted = True
        return self.items.values()


class Cases:
    """Cases by id, once in all and once per district, so a district or street is read from its own part."""

    __slots__ = ("all", "by_district")

    def __init__(self, items: dict[str, Entry] | None = None) -> None:
        self.all = Ordered(items)
        parts: dict[str, dict[str, Entry]] = {}
        for case_id, entry in self.all.items.items():
            parts.setdefault(entry[1][:_DISTRICT], {})[case_id] = entry
        self.by_district = {code: Ordered(part) for code, part in parts.items()}

    def pop(self, case_id: str) -> Entry | None:
        entry = self.all.items.pop(case_id, None)
        if entry is not None:
            code = entry[1][:_DISTRICT]
            part = self.by_district[code]
            del part.items[case_id]
            if not part.items:
                del self.by_district[code]
        return entry

    def put(self, case_id: str, entry: Entry) -> None:
        self.all.put(case_id, entry)
        code = entry[1][:_DISTRICT]
        part = self.by_district.get(code)
        if part is None:
            part = self.by_district[code] = Ordered()
        part.put(case_id, entry)

    def under(self, scope: str) -> list[Entry]:
        """The cases at or below ``scope``, by id."""
        if len(scope) >= _DISTRICT:
            part = self.by_district.get(scope[:_DISTRICT])
            if part is None:
                return []
            if len(scope) == _DISTRICT:
                return list(part.in_order())
            return [e for e in part.in_order() if e[1].startswith(scope)]
        if all(code.startswith(scope) for code in self.by_district):
            return list(self.all.in_order())  # the city: every case, nothing to test
        return [e for e in self.all.in_order() if e[1].startswith(scope)]
