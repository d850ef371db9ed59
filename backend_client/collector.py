"""The cyclic garbage collector around a snapshot: paused while one is staged, its objects frozen after.

A city snapshot is ~10^5 cases decoded and indexed within seconds. Each full collection
meanwhile walks every object staged so far while holding the GIL: the console's GUI thread
stood still for up to 1.7 s at a time, several times per snapshot (``bench/ui_scale.py
--stalls``). Cases hold no reference cycles, so the collector has nothing to find in them.
So it is paused while a snapshot is staged, and when the staging ends everything then alive
moves to the permanent generation (``gc.freeze``): later full collections skip it.
Reference counting still frees a frozen object once nothing refers to it (a replaced case,
an old replica); only a reference cycle alive at the freeze and dropped later stays.

Several clients in one process (tests, tools) may stage at once: the collector runs again
when the last of them is done.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_paused = 0  # stagings under way
_was_enabled = False


def pause() -> None:
    """A staging starts: no cyclic collection until every staging under way has ended."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1


def resume(freeze: bool = False) -> None:
    """A staging ended; ``freeze``: it succeeded, move what is alive now out of the collector's way."""
    global _paused
    with _lock:
        if _paused == 0:
            return
        if freeze:
            gc.freeze()
        _paused -= 1
        if _paused == 0 and _was_enabled:
            gc.enable()


def paused() -> int:
    """How many stagings hold the collector (for tests)."""
    return _paused
