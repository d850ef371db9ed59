"""One sorted order of all the index's cases per sort key, shared by every queue view sorted by it.

A console shows several queues sorted the same way (the default priority order). Each view kept
its own sorted permutation and merged a frame's changed rows into it: one vectorised binary
search per view per frame (~0.5 ms each, mostly numpy call overhead, whatever the rows). Here
the index keeps, per (key, direction) a view asked for, the order of *all* live slots, merged
once per frame; a view's rows are that order restricted to its members (``order[member[order]]``,
one gather), which is the view's own sort because the keys are a total order (they end with the
arrival number). ``queue_view.QueueView(shared=False)`` still sorts on its own: tests compare both.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from backend_client.sort_merge import lex_order
from domain.model import TERMINAL_STATES, State


class _Vocabulary(Protocol):
    def ranks(self) -> np.ndarray: ...

    def __len__(self) -> int: ...


class CaseIndex(Protocol):
    """What an order reads of ``queue_index.CaseIndex`` (named here, not imported: no import cycle)."""

    cols: dict[str, np.ndarray]
    size: int
    generation: int

    @property
    def categories(self) -> _Vocabulary: ...

    @property
    def departments(self) -> _Vocabulary: ...

#: The default order: open cases first, then 特急 before 紧急 before 一般, then the least time
#: left (no deadline yet counts as none), then the longest waiting. Always in this direction.
DEFAULT_SORT = "priority"
#: Per state ordinal: 1 for a finished case (closed, rejected, merged). Finished cases come last
#: in the deadline and priority orders, whichever the direction.
FINISHED = np.array([s in TERMINAL_STATES for s in State], dtype=np.int64)
#: An order merges the changed rows into the sorted ones (instead of sorting all again) when they
#: are at most MERGE_MIN or one MERGE_SHARE-th of the rows.
MERGE_MIN = 64
MERGE_SHARE = 8


def key_columns(index: CaseIndex, key: str, descending: bool, rows: np.ndarray) -> list[np.ndarray]:
    """The sort keys of ``rows``, most significant first, ending with the arrival number (unique):
    ascending order of these is the view's order, ties by arrival, finished cases last where
    the key is the deadline or the priority. Not for the "id" key (``QueueView._order_ids``)."""
    c = index.cols
    if key == DEFAULT_SORT:
        return [FINISHED[c["state"][rows]], -c["urgency"][rows].astype(np.int64), c["deadline"][rows],
                c["reported_at"][rows], c["ins"][rows]]
    if key == "deadline":
        primary = c["deadline"][rows]
        return [FINISHED[c["state"][rows]], -primary if descending else primary, c["ins"][rows]]
    if key == "category":
        primary = index.categories.ranks()[c["category"][rows]]
    elif key == "department":
        primary = index.departments.ranks()[c["department"][rows]]
    else:
        primary = c[key][rows].astype(np.float64 if key in ("reported_at", "deadline") else np.int64)
    return [-primary if descending else primary, c["ins"][rows]]


_SIGN = np.uint64(1 << 63)


def encode_keys(keys: list[np.ndarray]) -> np.ndarray:
    """Per row, its key columns as one byte string that compares (bytewise) as the columns do in order.

    Each column becomes 8 big-endian bytes whose unsigned order is its numeric order (integers with
    the sign bit flipped; floats by their IEEE bits, negative ones inverted, -0.0 taken as 0.0), so one
    ``np.searchsorted`` over these strings does the lexicographic search that took ~15 vectorised
    comparison rounds of every column."""
    m = len(keys[0])
    out = np.empty((m, len(keys)), dtype=">u8")
    for j, col in enumerate(keys):
        if col.dtype.kind == "f":
            bits = (col.astype(np.float64) + 0.0).view(np.uint64)
            out[:, j] = np.where(bits >= _SIGN, ~bits, bits | _SIGN)
        else:
            out[:, j] = col.astype(np.int64).view(np.uint64) ^ _SIGN
    return out.view(f"S{8 * len(keys)}").reshape(m)


class SortedSlots:
    """Every live slot of an index in the order of one (key, direction), kept current on demand.

    Beside the order it keeps each row's encoded key (``encode_keys``): the rows a frame did not
    change keep their keys, so merging the changed ones in is one search over those, not a gather
    of every column at each step of a binary search.
    """

    __slots__ = ("key", "descending", "perm", "skeys", "seen", "built_size", "vocab")

    def __init__(self, key: str, descending: bool) -> None:
        self.key, self.descending = key, descending
        self.perm = np.zeros(0, dtype=np.int64)
        self.skeys = np.zeros(0, dtype="S8")
        self.seen = -1  # the index generation the order reflects (-1: never built)
        self.built_size = 0
        self.vocab = (0, 0)  # the category and department vocabularies' sizes (their ranks shift as they grow)

    def current(self, index: CaseIndex) -> np.ndarray:
        """The live slots in order, after taking in whatever changed since the last call."""
        n = index.size
        if self.seen == index.generation and self.built_size == n:
            return self.perm
        alive = index.cols["alive"][:n]
        vocab = (len(index.categories), len(index.departments)) if self.key in ("category", "department") else (0, 0)
        perm = self.perm
        added = None
        if self.seen >= 0 and self.built_size <= n and vocab == self.vocab:
            changed = index.cols["gen"][:n] > self.seen
            added = np.flatnonzero(changed & alive)
            if len(added) > max(MERGE_MIN, len(perm) // MERGE_SHARE):
                added = None
        if added is None:
            rows = np.flatnonzero(alive)
            keys = key_columns(index, self.key, self.descending, rows)
            order = lex_order(keys)
            self.perm = rows[order]
            self.skeys = encode_keys([k[order] for k in keys])
        elif len(added) or changed[perm].any():
            # a frame's few rows: the others keep their order, the changed ones are merged in
            keep = ~changed[perm]
            kept_keys = self.skeys[keep]
            add_keys = encode_keys(key_columns(index, self.key, self.descending, added))
            order = np.argsort(add_keys)  # unique keys: any sort is the stable one
            added, add_keys = added[order], add_keys[order]
            # where each added row lands in the result: after the kept rows below it and the added before it
            at = np.searchsorted(kept_keys, add_keys) + np.arange(len(added))
            fresh = np.zeros(len(kept_keys) + len(added), dtype=np.bool_)
            fresh[at] = True
            old = ~fresh
            merged, merged_keys = np.empty(len(fresh), dtype=np.int64), np.empty(len(fresh), dtype=kept_keys.dtype)
            merged[at], merged_keys[at] = added, add_keys
            merged[old], merged_keys[old] = perm[keep], kept_keys
            self.perm, self.skeys = merged, merged_keys
        self.seen, self.built_size, self.vocab = index.generation, n, vocab
        return self.perm
