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
from backend_client.queue_order import DEFAULT_SORT, MERGE_MIN, MERGE_SHARE, SortedSlots, key_columns
from backend_client.sort_merge import lex_order, merge_sorted
from domain.model import TERMINAL_STATES, Case
from domain.queues import PREDICATES, USER_PREDICATES, Queue

GRID_DIGITS = 15
QUEUE_BITS: dict[Queue, int] = {q: 1 << i for i, q in enumerate(Queue)}
_STATE_ORD = queue_columns.STATE_ORD
_FINISHED_ORDS = np.array([_STATE_ORD[s] for s in TERMINAL_STATES], dtype=np.int8)
SORT_KEYS = ("id", "urgency", "category", "node", "state", "reported_at", "deadline", "department", "priority")


#: ``CaseIndex.load`` writes this many cases at a time (each write holds the GIL a few ms).
LOAD_SLICE = 2048
#: ``CaseIndex.load`` sizes the columns for the snapshot and one LOAD_HEADROOM-th more (new cases),
#: not for the next power of two: up to half of ~70 bytes a slot was never used.
LOAD_HEADROOM = 16

#: node code -> node_number(code), for the codes seen (a city has a few thousand grids).
_NODE_NUMBERS: dict[str, int] = {}
#: 10 ** (GRID_DIGITS - digits) by digits: pads a node code to GRID_DIGITS.
_PAD: tuple[int, ...] = tuple(10 ** (GRID_DIGITS - n) for n in range(GRID_DIGITS + 1))


def node_number(code: str) -> int:
    """A node code as an int64 padded to 15 digits, so a subtree is one integer range."""
    if not code.isascii() or not code.isdigit() or len(code) > GRID_DIGITS:
        raise ValueError(f"node code {code!r} must be at most {GRID_DIGITS} ASCII digits")
    return int(code) * _PAD[len(code)]


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

    def set_me(self, user_id: str | None) -> None:
        """Whose 我的待办 the index keeps; the cases already in are re-sorted into it."""
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
        self.__dict__.update(other.__dict__)
        self.generation = generation
        self.cols["gen"][: self.size] = generation
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


class QueueView:
    """The rows of one (node, queue): a filtered, sorted permutation of the index's slots.

    The duck-typed source of ``widgets.console.queue_model.QueueTableModel``. ``refresh()``
    rebuilds only when a case it shows, or should now show, changed; ``sort_by`` and
    ``set_filter`` rebuild at once. ``revision`` bumps on every rebuild.
    """

    def __init__(self, index: CaseIndex, node: str, queue: Queue, shared: bool = True) -> None:
        """``shared``: take the rows' order from the index's shared order of all cases (one merge per
        frame for all views); False sorts and merges this view's rows on its own (the plain way)."""
        if node:
            node_number(node)  # validates
        self.index = index
        self.node = node
        self.queue = Queue(queue)
        self.revision = 0
        self._sort_key = DEFAULT_SORT
        self._descending = False
        self._text = ""
        self._filter_ok = np.ones(0, dtype=np.bool_)
        self._member = np.zeros(0, dtype=np.bool_)
        self._perm = np.zeros(0, dtype=np.int64)
        self._pos: np.ndarray | None = np.zeros(0, dtype=np.int64)  # row by slot, made when first asked
        self._seen = -1
        self._built_size = 0  # the index's size when the permutation was last built
        self._shared = shared
        self.refresh(force=True)

    # ---- the interface the Qt model uses ------------------------------------------
    def __len__(self) -> int:
        return len(self._perm)

    def case_at(self, row: int) -> Case:
        if not 0 <= row < len(self._perm):
            raise IndexError(f"row {row} is outside 0..{len(self._perm) - 1}")
        case: Case = self.index.cases[int(self._perm[row])]
        return case

    def row_of(self, case_id: str) -> int | None:
        slot = self.index.slot_of(case_id)
        pos = self._pos
        if pos is None:
            pos = self._pos = np.full(self._built_size, -1, dtype=np.int64)
            pos[self._perm] = np.arange(len(self._perm))
        if slot is None or slot >= len(pos):
            return None
        row = int(pos[slot])
        return row if row >= 0 else None

    def sort_by(self, key: str, descending: bool = False) -> None:
        if key not in SORT_KEYS:
            raise ValueError(f"unknown sort key {key!r}; expected one of {', '.join(SORT_KEYS)}")
        self._sort_key, self._descending = key, bool(descending) and key != DEFAULT_SORT
        self.refresh(force=True)

    def set_filter(self, text: str) -> None:
        text = (text or "").strip().casefold()
        if text != self._text:
            self._text = text
            self._filter_ok = np.ones(0, dtype=np.bool_)  # recompute for every slot
            self.refresh(force=True)

    def has_changes(self) -> bool:
        """Whether a refresh would touch these rows: a case shown, or one that could now be, changed."""
        index = self.index
        if index.generation == self._seen:
            return False
        n = index.size
        changed = index.cols["gen"][:n] > self._seen
        member = (index.cols["queues"][:n] & np.uint16(QUEUE_BITS[self.queue])) != 0
        m = min(n, len(self._member))
        member[:m] |= self._member[:m]
        return bool((changed & member).any())

    def refresh(self, force: bool = False) -> bool:
        """Rebuild the permutation if needed; True when the rows or their contents changed."""
        index = self.index
        if not force and index.generation == self._seen:
            return False
        n = index.size
        if self._shared and self._sort_key != "id" and not force and self._built_size <= n:
            return self._refresh_changed(n)
        changed = index.cols["gen"][:n] > self._seen
        self._update_filter(n, changed)
        member = index.scope_mask(self.node)
        member &= (index.cols["queues"][:n] & np.uint16(QUEUE_BITS[self.queue])) != 0
        member &= self._filter_ok[:n]
        old = np.zeros(n, dtype=np.bool_)
        m = min(n, len(self._member))
        old[:m] = self._member[:m]
        self._seen = index.generation
        if not force and not (changed & (member | old)).any():
            self._member = member
            return False
        self._member = member
        perm = self._perm
        if self._shared and self._sort_key != "id":
            order = index.order(self._sort_key, self._descending)
            self._perm = order[member[order]]
        else:
            added = np.flatnonzero(changed & member)
            if (force or self._sort_key == "id" or self._built_size > n
                    or len(added) > max(MERGE_MIN, len(perm) // MERGE_SHARE)):
                rows = np.flatnonzero(member)
                order = self._order_ids(rows) if self._sort_key == "id" else lex_order(self._key_columns(rows))
                self._perm = rows[order]
            else:  # only a few rows changed: the others keep their order, the changed ones are merged in
                self._perm = merge_sorted(perm[~changed[perm]], added, self._key_columns)
        self._rebuilt(n)
        return True

    def _refresh_changed(self, n: int) -> bool:
        """``refresh`` of a view on a shared order: membership is recomputed for the changed slots only
        (a slot's membership depends on its own columns, and every change bumps its generation)."""
        index, seen = self.index, self._seen
        slots = np.flatnonzero(index.cols["gen"][:n] > seen)
        member = self._member
        if len(member) < n:  # the index grew: new slots are not members until computed below
            member = np.concatenate([member, np.zeros(max(n, 2 * len(member)) - len(member), dtype=np.bool_)])
        self._update_filter(n, slots)
        c = index.cols
        now = c["alive"][slots] & ((c["queues"][slots] & np.uint16(QUEUE_BITS[self.queue])) != 0)
        if self.node:
            low = np.int64(node_number(self.node))
            nodes = c["node"][slots]
            now &= (nodes >= low) & (nodes < low + np.int64(10 ** (GRID_DIGITS - len(self.node))))
        now &= self._filter_ok[slots]
        touched = bool((now | member[slots]).any())
        member[slots] = now
        self._member, self._seen = member, index.generation
        if not touched:
            return False
        order = index.order(self._sort_key, self._descending)
        self._perm = order[member[order]]  # the order holds live slots only, all below n
        self._rebuilt(n)
        return True

    def _rebuilt(self, n: int) -> None:
        self._built_size = n
        self._pos = None  # made by the first row_of
        self.revision += 1

    # ---- extras -------------------------------------------------------------------
    @property
    def sort_key(self) -> tuple[str, bool]:
        return self._sort_key, self._descending

    @property
    def filter_text(self) -> str:
        return self._text

    def case_ids(self) -> list[str]:
        cases = self.index.cases
        return [cases[s].id for s in self._perm.tolist()]

    # ---- internals ----------------------------------------------------------------
    def _update_filter(self, n: int, changed: np.ndarray) -> None:
        """Filter results for the ``changed`` slots (a mask of the first ``n``, or slot numbers)."""
        ok = self._filter_ok
        slots = changed if changed.dtype != np.bool_ else None
        if slots is not None and not self._text:  # every entry is True without a filter
            if len(ok) < n:
                self._filter_ok = np.ones(max(n, 2 * len(ok)), dtype=np.bool_)
            return
        if len(ok) < n:  # grown, or reset by set_filter: recompute the new tail too
            grown = np.ones(n, dtype=np.bool_)
            grown[: len(ok)] = ok
            if slots is None:
                changed = changed.copy()
                changed[len(ok):] = True
            else:
                slots = np.union1d(slots, np.arange(len(ok), n))
            ok = self._filter_ok = grown
        if not self._text:
            ok[:n] = True
            return
        text, hay = self._text, self.index.haystack
        for slot in (np.flatnonzero(changed) if slots is None else slots).tolist():
            ok[slot] = text in hay[slot]

    def _order_ids(self, rows: np.ndarray) -> np.ndarray:
        """The order of ``rows`` by case id (ids are unique, so no ties)."""
        cases = self.index.cases
        order = np.argsort(np.array([cases[s].id for s in rows.tolist()], dtype=str), kind="stable")
        return order[::-1] if self._descending else order

    def _key_columns(self, rows: np.ndarray) -> list[np.ndarray]:
        """This view's sort keys of ``rows`` (``queue_order.key_columns``)."""
        return key_columns(self.index, self._sort_key, self._descending, rows)
