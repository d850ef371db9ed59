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

    def changed_since(self, generation: int) -> np.ndarray: ...

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

    ``perm`` holds every slot the index has used: the live ones in order, then the dead ones (in any
    order). ``skeys`` holds each slot's encoded key (``encode_keys``) by slot number, a dead slot's
    being ``_DEAD`` (above any live key: its first column would have to be 2**63 - 1 in all 8 bytes
    of every column). So merging a frame's changed rows in moves no keys: one search over the old
    order through ``perm`` (numpy's ``sorter``, which wants every slot in it), the changed rows'
    positions taken off, then one insert into ``perm`` (int64); copying the kept 40-byte keys of
    every row twice was half of it.
    """

    __slots__ = ("key", "descending", "perm", "skeys", "live", "seen", "built_size", "vocab")

    def __init__(self, key: str, descending: bool) -> None:
        self.key, self.descending = key, descending
        self.perm = np.zeros(0, dtype=np.int64)
        self.skeys = np.zeros(0, dtype="S8")
        self.live = 0  # perm[:live] are the live slots, in order
        self.seen = -1  # the index generation the order reflects (-1: never built)
        self.built_size = 0
        self.vocab = (0, 0)  # the category and department vocabularies' sizes (their ranks shift as they grow)

    def current(self, index: CaseIndex) -> np.ndarray:
        """The live slots in order, after taking in whatever changed since the last call."""
        n = index.size
        if self.seen == index.generation and self.built_size == n:
            return self.perm[: self.live]
        alive = index.cols["alive"][:n]
        vocab = (len(index.categories), len(index.departments)) if self.key in ("category", "department") else (0, 0)
        slots = None
        if self.seen >= 0 and self.built_size <= n and vocab == self.vocab:
            slots = index.changed_since(self.seen)
            if len(slots) > max(MERGE_MIN, self.live // MERGE_SHARE):
                slots = None
        if slots is None:
            self._build(index, alive, n)
        elif len(slots):
            changed = np.zeros(n, dtype=np.bool_)
            changed[slots] = True
            self._merge(index, alive, n, changed, slots)
        self.seen, self.built_size, self.vocab = index.generation, n, vocab
        return self.perm[: self.live]

    def adopted(self, built: int, generation: int, size: int) -> None:
        """The index this order was built on was adopted whole at ``generation``: an order that was
        current there (at generation ``built``, ``size`` slots) is current at ``generation`` too."""
        if self.seen == built and self.built_size == size:
            self.seen = generation

    def _build(self, index: CaseIndex, alive: np.ndarray, n: int) -> None:
        rows = np.flatnonzero(alive)
        keys = key_columns(index, self.key, self.descending, rows)
        order = lex_order(keys)
        live = rows[order]
        encoded = encode_keys([k[order] for k in keys])
        dead = np.flatnonzero(~alive)
        skeys = np.empty(n, dtype=encoded.dtype)
        skeys[live] = encoded
        skeys[dead] = _dead(encoded.dtype)
        self.perm, self.skeys, self.live = np.concatenate([live, dead]), skeys, len(live)

    def _merge(self, index: CaseIndex, alive: np.ndarray, n: int, changed: np.ndarray, slots: np.ndarray) -> None:
        """Take the changed ``slots`` out of the order and put the live ones back where their keys go."""
        perm, skeys, old_n = self.perm, self.skeys, self.built_size
        now_alive = alive[slots]
        added, dead = slots[now_alive], slots[~now_alive]
        add_keys = encode_keys(key_columns(index, self.key, self.descending, added))
        order = np.argsort(add_keys)  # unique keys: any sort is the stable one
        added, add_keys = added[order], add_keys[order]
        out = np.flatnonzero(changed[perm])  # positions (in the old order) of the rows taken out
        # where each added row goes among the rows kept: the old rows below its key, less those taken out
        below = np.searchsorted(skeys[:old_n], add_keys, sorter=perm)
        at = below - np.searchsorted(out, below)
        kept = np.delete(perm, out)
        live = self.live - int(np.count_nonzero(out < self.live))
        if len(skeys) < n:  # the index grew: room for its new slots' keys (and a little more)
            grown = np.empty(n + n // 16, dtype=skeys.dtype)
            grown[:old_n] = skeys[:old_n]
            skeys = grown
        skeys[added] = add_keys
        skeys[dead] = _dead(skeys.dtype)
        self.perm = np.concatenate([np.insert(kept, at, added), dead])
        self.skeys, self.live = skeys, live + len(added)


def _dead(dtype: np.dtype) -> bytes:
    """A dead slot's key: every byte 0xFF, above any live key of the same width."""
    return b"\xff" * dtype.itemsize
