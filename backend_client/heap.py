"""Hand the C heap's free pages back to the system after a snapshot (glibc's ``malloc_trim``).

Taking a snapshot allocates and frees large blocks (a dict resized a dozen times as its cases
come in, the id sets of the changes, the queue index's columns): freed, they stay in the
process's heap. One ``malloc_trim(0)`` after the snapshot is staged returns ~60 bytes per held
case of a 21k-case snapshot (``bench/ingest.py`` memory rows) in well under a millisecond. Where
the C library has no ``malloc_trim`` (not glibc), ``trim`` does nothing.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

_trim: Callable[[int], int] | None = None
try:
    _trim = ctypes.CDLL(None).malloc_trim
except (AttributeError, OSError, TypeError):  # not glibc, or no C library to load by None
    _trim = None


def trim() -> bool:
    """Return the heap's free memory to the system where the C library can; True when it tried."""
    if _trim is None:
        return False
    _trim(0)
    return True
