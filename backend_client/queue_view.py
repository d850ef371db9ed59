"""A queue as the tables show it: one (node, queue) of the index, filtered and sorted.

A :class:`QueueView` answers "which cases of this node's subtree are in this queue, filtered and
sorted" from the index's columns (``queue_index.CaseIndex``) with one vectorised mask and a
permutation, and recomputes only when something it shows changed.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from backend_client.queue_columns import GRID_DIGITS, QUEUE_BITS, SORT_KEYS, node_number
from backend_client.queue_order import DEFAULT_SORT, MERGE_MIN, MERGE_SHARE, key_columns
from backend_client.sort_merge import lex_order, merge_sorted
from domain.model import Case
from domain.queues import Queue


class CaseIndex(Protocol):
    """What a view reads of ``queue_index.CaseIndex`` (named here, not imported: no import cycle)."""

    cols: dict[str, np.ndarray]
    size: int
    generation: int
    cases: np.ndarray

    @property
    def haystack(self) -> list[str]: ...

    def slot_of(self, case_id: str) -> int | None: ...

    def order(self, key: str, descending: bool) -> np.ndarray: ...

    def changed_since(self, generation: int) -> np.ndarray: ...

    def scope_mask(self, node: str) -> np.ndarray: ...

    categories: Any  # what the shared orders read too (queue_order.CaseIndex)
    departments: Any


def members_in_order(order: np.ndarray, member: np.ndarray) -> np.ndarray:
    """``order[member[order]]``: the slots of ``order`` that are members, in its order.

    Boolean indexing is quick when nearly every entry is taken (the all-cases queue) and slow when
    the taken ones are scattered (a queue of a third of them: branch mispredictions); ``compress``
    is about even either way. Both give the same array."""
    taken = member[order]
    if np.count_nonzero(taken) * 8 > len(taken) * 7:
        dense: np.ndarray = order[taken]
        return dense
    scattered: np.ndarray = order.compress(taken)
    return scattered


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
        index = self.index
        slots = index.changed_since(self._seen)
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
        self._perm = members_in_order(order, member)  # the order holds live slots only, all below n
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
