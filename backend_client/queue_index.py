"""Columnar numpy indexes over the replica's cases, and the queue views the tables show.

A QSortFilterProxyModel over a Python model needs ~30 s to sort 200k rows, a numpy
permutation ~30 ms (bench/ui_scale.py measures both). So every case gets a row ("slot") in a set of
parallel arrays, kept current one case at a time; a :class:`QueueView` answers
"which cases of this node's subtree are in this queue, filtered and sorted" with one
vectorised mask and one stable argsort, and only when something it shows changed.

Not thread-safe: the index and its views belong to the thread that applies the
replica's changes (the GUI thread under the Qt bridge).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np

from backend_client import queue_columns
from backend_client.queue_columns import GRID_DIGITS, QUEUE_BITS, SORT_KEYS, node_number
from backend_client.queue_order import SortedSlots
from backend_client.queue_view import QueueView
from domain.model import TERMINAL_STATES, Case
from domain.queues import PREDICATES, USER_PREDICATES, Queue

_STATE_ORD = queue_columns.STATE_ORD
_FINISHED_ORDS = np.array([_STATE_ORD[s] for s in TERMINAL_STATES], dtype=np.int8)


#: ``CaseIndex.load`` writes this many cases at a time (each write holds the GIL a few ms).
LOAD_SLICE = 2048
#: ``CaseIndex.load`` sizes the columns for the snapshot and one LOAD_HEADROOM-th more (new cases),
#: not for the next power of two: up to half of ~70 bytes a slot was never used.
LOAD_HEADROOM = 16

#: node code -> node_number(code), for the codes seen (a city has a few thousand grids).
_NODE_NUMBERS: dict[str, int] = {}


def queue_bits(case: Case, me: str | None = None) -> int:
    """The case's queue membership as a bitmask (see QUEUE_BITS); ``me`` adds 我的待办.

    The plain form, one predicate at a time; the index writes ``queue_columns.columns`` (equal)."""
    bits = 0
    for queue, pred in PREDICATES.items():
        if pred(case):
            bits |= QUEUE_BITS[queue]
    if me:
        for queue, user_pred in USER_PREDICATES.items():
            if user_pred(case, me):
                bits |= QUEUE_BITS[queue]
    return bits


class _Vocab:
    """Interns strings to small ints; ``ranks()`` maps each id to its sorted position."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {"": 0}
        self._words: list[str] = [""]
        self._ranks: np.ndarray | None = None

    def id(self, word: str | None) -> int:
        word = word or ""
        found = self._ids.get(word)
        if found is None:
            found = self._ids[word] = len(self._words)
            self._words.append(word)
            self._ranks = None
        return found

    def word(self, word_id: int) -> str:
        return self._words[word_id]

    def __len__(self) -> int:
        return len(self._words)

    def ranks(self) -> np.ndarray:
        if self._ranks is None:
            order = np.argsort(np.array(self._words), kind="stable")
            ranks = np.empty(len(self._words), dtype=np.int64)
            ranks[order] = np.arange(len(self._words))
            self._ranks = ranks
        return self._ranks


class CaseIndex:
    """One row per case, reused slots, columns grown by doubling.

    ``generation`` increases on every change and each slot records the generation
    of its last change, so views recompute only what changed since they last looked.
    """

    _NUMERIC = {
        "alive": np.bool_,
        "node": np.int64,
        "state": np.int8,
        "urgency": np.int8,
        "sla": np.int8,
        "reported_at": np.float64,
        "deadline": np.float64,
        "supervised_at": np.float64,  # the current supervision order's time, +inf when none
        "queues": np.uint16,
        "category": np.int32,  # _Vocab ids
        "department": np.int32,
        "ins": np.int64,
        "gen": np.int64,
    }

    def __init__(self, node_name: Callable[[str], str] | None = None, capacity: int = 1024) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self._node_name = node_name
        self.capacity = capacity
        self.size = 0  # high-water mark: slots [0, size) have been used
        self.generation = 0
        self._inserted = 0
        self.cols: dict[str, np.ndarray] = {k: np.zeros(capacity, dtype=t) for k, t in self._NUMERIC.items()}
        # The case in each slot (None before first use): an object array, not a list, because numpy
        # arrays are not walked by the garbage collector (a 100k-entry list was, on every full collection).
        self.cases: np.ndarray = np.full(capacity, None, dtype=object)
        # Search text per slot, made on the first filter (None until then: most consoles never filter,
        # and it would be ~120 bytes a case).
        self._haystack: list[str] | None = None
        self._slot_of: dict[str, int] = {}
        self._free: list[int] = []
        self.categories = _Vocab()
        self.departments = _Vocab()
        self.me: str | None = None  # the signed-in user, for 我的待办 (domain.queues.USER_PREDICATES)
        self._orders: dict[tuple[str, bool], SortedSlots] = {}  # (sort key, descending) -> all live slots
        self._changed: tuple[tuple[int, int, int], np.ndarray] = ((-2, -2, -2), np.zeros(0, dtype=np.int64))

    def set_me(self, user_id: str | None) -> None:
        """Whose 我的待办 the index keeps; the cases already in are re-sorted into it (not when it stays
        the same: rewriting a city's 10^5 cases on the GUI thread stalled it ~0.3 s)."""
        if (user_id or None) == self.me:
            return
        self.me = user_id or None
        held = [(slot, k) for slot, k in enumerate(self.cases[:self.size].tolist()) if k is not None]
        if held:
            self._write([slot for slot, _ in held], [k for _, k in held])

    @property
    def node_name(self) -> Callable[[str], str] | None:
        return self._node_name

    @property
    def haystack(self) -> list[str]:
        """Per slot: the case's id, description, address and place name, casefolded, for filters."""
        hay = self._haystack
        if hay is None:
            hay = self._haystack = [""] * self.capacity
            alive, cases = self.cols["alive"], self.cases
            for slot in np.flatnonzero(alive[: self.size]).tolist():
                hay[slot] = self._search_text(cases[slot])
        return hay

    def _search_text(self, k: Case) -> str:
        name = self._node_name(k.node) if self._node_name else ""
        return "\x00".join((k.id, k.description, k.address, name)).casefold()

    def adopt(self, other: CaseIndex) -> None:
        """Take ``other``'s contents (an index built on another thread) in place of these.

        Views keep pointing at this object. Every slot counts as changed, at a generation above
        any either index had, so each view rebuilds at its next refresh.
        """
        node_name, me = self._node_name, self.me
        generation = max(self.generation, other.generation) + 1
        built = other.generation
        self.__dict__.update(other.__dict__)
        self.generation = generation
        self.cols["gen"][: self.size] = generation
        for order in self._orders.values():  # built by the other thread (prepare_orders): still true
            order.adopted(built, generation, self.size)
        if self._node_name is not node_name:  # the names changed while it was built
            self.set_node_name(node_name)
        if self.me != me:  # whose 我的待办 is kept: this index's, not the builder's
            self.set_me(me)

    def set_node_name(self, node_name: Callable[[str], str] | None) -> None:
        """Filter by place names from now on (the directory arrives after the client starts)."""
        self._node_name = node_name
        if self._haystack is not None:
            self._haystack = None  # made again, with the names, by the next filter
        self.generation += 1
        self.cols["gen"][: self.size] = self.generation  # every view re-filters once

    # ---- contents ---------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._slot_of

    def slot_of(self, case_id: str) -> int | None:
        return self._slot_of.get(case_id)

    def get(self, case_id: str) -> Case | None:
        slot = self._slot_of.get(case_id)
        return None if slot is None else self.cases[slot]

    def upsert(self, case: Case) -> int:
        """Insert or replace the case; returns its slot."""
        return self.upsert_many((case,))[0]

    def upsert_many(self, cases: Iterable[Case]) -> list[int]:
        """Insert or replace several cases with one vectorised write per column; returns their slots."""
        return self._upsert_latest({case.id: case for case in cases})  # one row per id, the last version wins

    def _upsert_latest(self, latest: dict[str, Case]) -> list[int]:
        """``upsert_many`` of the cases by id."""
        if not latest:
            return []
        slots = []
        for case_id in latest:
            slot = self._slot_of.get(case_id)
            if slot is None:
                slot = self._free.pop() if self._free else self._take_new_slot()
                self._slot_of[case_id] = slot
                self._inserted += 1
                self.cols["ins"][slot] = self._inserted
            slots.append(slot)
        self._write(slots, list(latest.values()))
        return slots

    def remove(self, case_id: str) -> bool:
        slot = self._slot_of.pop(case_id, None)
        if slot is None:
            return False
        self.generation += 1
        self.cols["alive"][slot] = False
        self.cols["queues"][slot] = 0
        self.cols["gen"][slot] = self.generation
        # cases[slot] keeps the last version until the slot is reused, so a view not yet
        # refreshed (a paint between a drain and the display timer) still has a case to show.
        if self._haystack is not None:
            self._haystack[slot] = ""
        self._free.append(slot)
        return True

    def clear(self) -> None:
        """Forget every case at once (a snapshot replaces them); slots are reused from the start."""
        if not self._slot_of:
            return
        n = self.size
        self.generation += 1
        self.cols["alive"][:n] = False
        self.cols["queues"][:n] = 0
        self.cols["gen"][:n] = self.generation
        if self._haystack is not None:
            self._haystack[:n] = [""] * n
        self._free = list(range(n - 1, -1, -1))  # pop() hands out slot 0 first
        self._slot_of.clear()

    def load(self, cases: Iterable[Case]) -> None:
        """Replace everything with ``cases`` (after a snapshot), ``LOAD_SLICE`` cases per write.

        Each column write turns a Python list into an array while holding the GIL: one write of
        a city's 10^5 cases held it for tens of milliseconds per column, and the GUI thread
        waited (the snapshot is indexed on the connection's worker thread). When every id comes
        once (a snapshot), case i takes slot i directly, with the slots, arrival numbers and
        generations ``upsert_many`` would give (tests/backend_client/test_queue_columns.py).
        """
        self.clear()
        todo = list(cases)
        n = len(todo)
        if self.capacity < n:  # to the snapshot's size and a little more, not to the next power of two
            self._grow(n + n // LOAD_HEADROOM)
        ids = [k.id for k in todo]
        slot_of: dict[str, int] = {}
        for start in range(0, n, LOAD_SLICE):  # a slice per call: one call over 10^5 ids held the GIL ~10 ms
            slot_of.update(zip(ids[start:start + LOAD_SLICE], range(start, min(n, start + LOAD_SLICE)), strict=True))
        if len(slot_of) < n:  # an id twice: the general way (the last version wins)
            for start in range(0, n, LOAD_SLICE):
                self.upsert_many(todo[start:start + LOAD_SLICE])
            return
        # Every id once, into an empty index: case i gets slot i, as upsert_many would hand them out.
        self._slot_of = slot_of
        self._free = self._free[:max(0, len(self._free) - n)]
        self.size = max(self.size, n)
        self.cols["ins"][:n] = np.arange(self._inserted + 1, self._inserted + n + 1, dtype=np.int64)
        self._inserted += n
        for start in range(0, n, LOAD_SLICE):
            stop = min(n, start + LOAD_SLICE)
            self._write(list(range(start, stop)), todo[start:stop])

    def apply(self, added: Iterable[str], changed: Iterable[str], removed: Iterable[str],
              cases: Mapping[str, Case]) -> None:
        """Follow a replica's changes; ``cases`` maps id to the case as it stands."""
        for case_id in removed:
            self.remove(case_id)
        get = cases.get
        self._upsert_latest({case_id: case for group in (added, changed) for case_id in group
                             if (case := get(case_id)) is not None})

    def counts(self, node: str) -> dict[Queue, int]:
        """Cases per queue in ``node``'s subtree (for the tab badges)."""
        n = self.size
        bits = self.cols["queues"][:n][self.scope_mask(node)]
        return {q: int(np.count_nonzero(bits & np.uint16(b))) for q, b in QUEUE_BITS.items()}

    def word(self, category_id: int) -> str:
        """The category code interned as ``category_id``."""
        return self.categories.word(category_id)

    def cases_touching(self, node: str, start: float, end: float) -> list[Case]:
        """Cases under ``node`` reported, due or supervised in ``[start, end)``: all a period figure can count.

        ``domain.indicators.count_cases`` over these gives the period's counts (except the
        snapshot ``overdue_open``, which the aggregates hold for every open case).
        """
        n = self.size
        c = self.cols

        def within(col: str) -> np.ndarray:
            values = c[col][:n]
            return (values >= start) & (values < end)

        mask = self.scope_mask(node) & (within("reported_at") | within("deadline") | within("supervised_at"))
        cases = self.cases
        return [case for case in (cases[slot] for slot in np.flatnonzero(mask)) if case is not None]

    def open_category_counts(self, node: str) -> list[tuple[str, int]]:
        """(category code, open cases) in ``node``'s subtree, largest first."""
        n = self.size
        mask = self.scope_mask(node) & ~np.isin(self.cols["state"][:n], _FINISHED_ORDS)
        ids = self.cols["category"][:n][mask]
        if ids.size == 0:
            return []
        counts = np.bincount(ids)
        order = np.argsort(counts, kind="stable")[::-1]
        return [(self.categories.word(int(i)), int(counts[i])) for i in order if counts[i] > 0]

    def scope_mask(self, node: str) -> np.ndarray:
        """Live slots whose node lies in ``node``'s subtree ("" is everything)."""
        n = self.size
        alive = self.cols["alive"][:n]
        if not node:
            return alive.copy()
        div = np.int64(10 ** (GRID_DIGITS - len(node)))
        under: np.ndarray = alive & (self.cols["node"][:n] // div == np.int64(node_number(node)) // div)
        return under

    def view(self, node: str, queue: Queue) -> QueueView:
        return QueueView(self, node, queue)

    def changed_since(self, generation: int) -> np.ndarray:
        """The slots changed after ``generation``, by number. The views and orders refreshed after a frame
        all ask with the same generation: one scan of the column serves them all."""
        key = (generation, self.generation, self.size)
        if self._changed[0] != key:
            self._changed = (key, np.flatnonzero(self.cols["gen"][: self.size] > generation))
        return self._changed[1]

    def order_keys(self) -> list[tuple[str, bool]]:
        """The (sort key, descending) pairs the views have asked for so far."""
        return list(self._orders)

    def prepare_orders(self, keys: list[tuple[str, bool]]) -> None:
        """Sort the cases by each of ``keys`` now: on the thread that builds a snapshot's index, so the
        first refresh after the swap does not (sorting 10^5 cases took ~0.13 s on the GUI thread)."""
        for key, descending in keys:
            self.order(key, descending)

    def order(self, key: str, descending: bool) -> np.ndarray:
        """Every live slot in the order of ``key`` (not "id"), shared by the views sorted so (queue_order.py)."""
        found = self._orders.get((key, descending))
        if found is None:
            found = self._orders[(key, descending)] = SortedSlots(key, descending)
        return found.current(self)

    # ---- internals --------------------------------------------------------------
    def _take_new_slot(self) -> int:
        if self.size == self.capacity:
            self._grow()
        self.size += 1
        return self.size - 1

    def _grow(self, new: int | None = None) -> None:
        """Make room for ``new`` slots (default: twice as many)."""
        new = self.capacity * 2 if new is None else max(new, self.capacity)
        for key, col in self.cols.items():
            grown = np.zeros(new, dtype=col.dtype)
            grown[: self.capacity] = col
            self.cols[key] = grown
        cases = np.full(new, None, dtype=object)
        cases[: self.capacity] = self.cases
        self.cases = cases
        if self._haystack is not None:
            self._haystack.extend([""] * (new - self.capacity))
        self.capacity = new

    def _write(self, slots: list[int], cases: list[Case]) -> None:
        c = self.cols
        rows = np.array(slots, dtype=np.int64)
        first = self.generation + 1
        self.generation += len(cases)
        cols = queue_columns.columns(cases, self.me, _NODE_NUMBERS, node_number, self.categories.id,
                                      self.departments.id)
        c["alive"][rows] = True
        for key, values in cols.items():
            c[key][rows] = values
        c["gen"][rows] = np.arange(first, first + len(cases), dtype=np.int64)
        store, hay = self.cases, self._haystack
        store[rows] = np.fromiter(cases, dtype=object, count=len(cases))  # not np.array: no rows of fields
        if hay is not None:
            text = self._search_text
            for slot, k in zip(slots, cases, strict=True):
                hay[slot] = text(k)


#: The names callers import from here (the view lives in queue_view.py, the column helpers in queue_columns.py).
__all__ = ["GRID_DIGITS", "LOAD_HEADROOM", "LOAD_SLICE", "QUEUE_BITS", "SORT_KEYS", "CaseIndex", "QueueView",
           "node_number", "queue_bits"]
