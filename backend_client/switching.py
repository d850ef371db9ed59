"""The interpreter's thread switch interval while a snapshot is staged: 1 ms instead of 5.

While the connection's worker decodes and stages a city snapshot (~1 s of Python), another
thread that wants the GIL gets it only when the worker is made to drop it, once per switch
interval. The GUI thread goes back and forth between Qt and Python many times per paint and
each return waits up to that long, so a paint of a few dozen returns stood still for tens of
milliseconds (``bench/ui_scale.py --stalls``). A shorter interval only costs a few more
thread switches; it is put back when the last staging under way ends (several clients in one
process may stage at once).
"""

from __future__ import annotations

import sys

from backend_client.held import HeldWhileAny

#: The switch interval while a snapshot is staged (seconds).
STAGING_INTERVAL = 0.001


def _shorten() -> float:
    was = sys.getswitchinterval()
    sys.setswitchinterval(min(was, STAGING_INTERVAL))
    return was


_held = HeldWhileAny(_shorten, sys.setswitchinterval)


def shorten() -> None:
    """A staging starts: switch threads at least every STAGING_INTERVAL."""
    _held.enter()


def restore() -> None:
    """A staging ended; the interval goes back when none is under way."""
    _held.leave()
