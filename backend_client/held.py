"""A process-wide setting held while any of several overlapping holders needs it.

Several clients in one process (tests, tools) may stage a snapshot at once; what staging changes
for the whole process (the cyclic collector, the thread switch interval) is changed when the
first staging starts and put back when the last one ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class HeldWhileAny:
    """``enter()``: the first holder applies the change (``apply`` returns what ``undo`` needs to
    put it back); ``leave()``: the last holder undoes it. A ``leave()`` with no holder does nothing."""

    def __init__(self, apply: Callable[[], Any], undo: Callable[[Any], None]) -> None:
        self._apply, self._undo = apply, undo
        self._lock = threading.Lock()
        self._saved: Any = None
        self.holders = 0

    def enter(self) -> None:
        with self._lock:
            if self.holders == 0:
                self._saved = self._apply()
            self.holders += 1

    def leave(self, first: Callable[[], None] | None = None) -> None:
        """One holder is done; ``first``, when given, runs before (under the same lock) if any holds."""
        with self._lock:
            if self.holders == 0:
                return
            if first is not None:
                first()
            self.holders -= 1
            if self.holders == 0:
                self._undo(self._saved)


__all__ = ["HeldWhileAny"]
