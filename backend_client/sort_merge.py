"""Keeping a sorted permutation current by merging the few rows that changed into it.

A queue view's rows are sorted by several keys at once (``np.lexsort``): ~3 ms for 36k rows,
paid on every refresh when done from scratch. But between two refreshes only the rows of
one feed frame change (a few hundred), and the others keep their order. So the view drops
the changed rows from its permutation, sorts just them, and finds where each goes with a
vectorised binary search over the kept rows; the result is the permutation a full sort gives
whenever the keys are a total order (they end with the arrival number, unique per case).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

#: Key columns of some slots, most significant first.
KeyColumns = Callable[[np.ndarray], Sequence[np.ndarray]]


def lex_order(keys: Sequence[np.ndarray]) -> np.ndarray:
    """The stable order of rows by ``keys`` (most significant first)."""
    return np.lexsort(tuple(reversed(keys)))


def lex_less(a: Sequence[np.ndarray], b: Sequence[np.ndarray]) -> np.ndarray:
    """Row-wise: whether the key tuple of ``a`` is below that of ``b``."""
    less = np.zeros(len(a[0]), dtype=np.bool_)
    equal = np.ones(len(a[0]), dtype=np.bool_)
    for x, y in zip(a, b, strict=True):
        less |= equal & (x < y)
        equal &= x == y
    return less


def merge_sorted(kept: np.ndarray, added: np.ndarray, keys: KeyColumns) -> np.ndarray:
    """``kept`` (slots in key order) with ``added`` (slots in any order) inserted where they belong.

    Equal to sorting ``kept`` and ``added`` together when no two slots have equal keys.
    """
    if not len(added):
        return kept
    add_keys = keys(added)
    order = lex_order(add_keys)
    added = added[order]
    add_keys = [k[order] for k in add_keys]
    if not len(kept):
        return added
    lo = np.zeros(len(added), dtype=np.int64)
    hi = np.full(len(added), len(kept), dtype=np.int64)
    last = len(kept) - 1
    while True:
        active = lo < hi
        if not active.any():
            break
        mid = (lo + hi) >> 1
        below = lex_less(keys(kept[np.minimum(mid, last)]), add_keys)  # kept[mid] sorts before the new row
        lo = np.where(active & below, mid + 1, lo)
        hi = np.where(active & ~below, mid, hi)
    merged: np.ndarray = np.insert(kept, lo, added)
    return merged
