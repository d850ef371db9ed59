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

from backend_client.held import HeldWhileAny


def _disable() -> bool:
    was = gc.isenabled()
    gc.disable()
    return was


_held = HeldWhileAny(_disable, lambda was: gc.enable() if was else None)


def pause() -> None:
    """A staging starts: no cyclic collection until every staging under way has ended."""
    _held.enter()


def resume(freeze: bool = False) -> None:
    """A staging ended; ``freeze``: it succeeded, move what is alive now out of the collector's way."""
    _held.leave(gc.freeze if freeze else None)


def paused() -> int:
    """How many stagings hold the collector (for tests)."""
    return _held.holders
