"""One malloc arena for the desktop process (glibc), so memory freed on one thread serves another.

glibc gives a thread that allocates its own arena (up to eight per core), and memory freed in
one arena is not reused by the others and seldom goes back to the system. ``gridcc demo`` runs
the hub, the simulator and its prefill, the connection and the window on threads of their own:
with one arena it settles ~15 MB lower (``bench/demo_startup.py``: 249–253 MB against 266–267),
and the ingest, snapshot-load and wall benchmarks show no change — the threads take turns on the
GIL, so they seldom wait for the arena's lock. ``MALLOC_ARENA_MAX`` in the environment rules
when set.
"""

from __future__ import annotations

import ctypes
import os
import sys

M_ARENA_MAX = -8  # glibc's malloc.h


def use_one_arena() -> bool:
    """Limit this process to one malloc arena; True when done. Call it before threads start."""
    if os.environ.get("MALLOC_ARENA_MAX") or not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # no C library to ask, or one without mallopt
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(M_ARENA_MAX, 1))
