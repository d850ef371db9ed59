"""A list-backed queue source for widget tests: the same interface as
backend_client.queue_index, kept deliberately plain (sorting a few rows in Python)."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from domain.hierarchy import Hierarchy
from domain.model import Case, Source, State, Urgency

SORT_KEYS = ("id", "urgency", "category", "node", "state", "reported_at", "deadline", "department")
_URGENCY_RANK = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.CRITICAL: 2}
T0 = 1_735_700_000.0  # 2025-01-01 10:53:20 CST

GRID_A = "370203001001001"
GRID_B = "370203001001002"


def make_case(case_id: str, **fields) -> Case:
    base = dict(
        id=case_id,
        node=GRID_A,
        category="20102",
        urgency=Urgency.NORMAL,
        source=Source.GRID_WORKER,
        state=State.REPORTED,
        version=1,
        reported_at=T0,
        reported_by="w1",
    )
    base.update(fields)
    return Case(**base)


def replace(case: Case, **fields) -> Case:
    return msgspec.structs.replace(case, **fields)


class ListQueueSource:
    def __init__(self, cases: Iterable[Case] = ()):
        self._cases = {case.id: case for case in cases}
        self.sort_key = "id"
        self.descending = False
        self.filter_text = ""
        self.revision = 0
        self.refresh_calls = 0
        self._rows: list[Case] = []
        self._row_of: dict[str, int] = {}
        self._dirty = True
        self.refresh()

    def put(self, case: Case) -> None:
        self._cases[case.id] = case
        self._dirty = True

    def remove(self, case_id: str) -> None:
        del self._cases[case_id]
        self._dirty = True

    def __len__(self) -> int:
        return len(self._rows)

    def case_at(self, row: int) -> Case:
        return self._rows[row]

    def row_of(self, case_id: str) -> int | None:
        return self._row_of.get(case_id)

    def sort_by(self, key: str, descending: bool) -> None:
        if key not in SORT_KEYS:
            raise ValueError(f"unknown sort key {key!r}")
        self.sort_key, self.descending = key, descending
        self._dirty = True

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self._dirty = True

    def refresh(self) -> bool:
        self.refresh_calls += 1
        if not self._dirty:
            return False
        text = self.filter_text.strip().lower()
        rows = [
            c for c in self._cases.values() if not text or text in c.id.lower() or text in c.description.lower()
        ]
        rows.sort(key=self._key, reverse=self.descending)
        self._rows = rows
        self._row_of = {c.id: i for i, c in enumerate(rows)}
        self.revision += 1
        self._dirty = False
        return True

    def _key(self, case: Case):
        key = self.sort_key
        if key == "urgency":
            return (_URGENCY_RANK[case.urgency], case.id)
        if key == "deadline":
            return (case.deadline is None, case.deadline or 0.0, case.id)
        if key == "department":
            return (case.department or "", case.id)
        if key == "state":
            return (case.state.value, case.id)
        return (getattr(case, key), case.id)


def small_city() -> Hierarchy:
    """Province → city → district 市北区 → 3 streets → 3 communities each → 5 grids each."""
    h = Hierarchy([("37", "山东省"), ("3702", "青岛市"), ("370203", "市北区")])
    for s in range(1, 4):
        street = f"370203{s:03d}"
        h.add(street, f"第{s}街道")
        for c in range(1, 4):
            community = f"{street}{c:03d}"
            h.add(community, f"第{s}-{c}社区")
            for g in range(1, 6):
                h.add(f"{community}{g:03d}", f"第{s}-{c}-{g}网格")
    return h
