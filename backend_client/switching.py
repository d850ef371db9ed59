"""The interpreter's thread switch interval while a snapshot is staged: 0.2 ms instead of 5.

While the connection's worker decodes and stages a city snapshot (~1 s of Python), another
thread that wants the GIL gets it only when the worker is made to drop it, once per switch
interval. The GUI thread goes back and forth between Qt and Python many times per paint and
each return waits up to that long, so a paint of a few dozen returns stood still for tens of
milliseconds (``bench/ui_scale.py --stalls``: the queue table's paint, ~1,800 calls into its
Python model, was most of the longest stalls). A shorter interval only costs a few more
thread switches while another thread waits (with the hub in the same process, a warm
snapshot was applied in 1.27–1.45 s against 1.06–1.34 s at 1 ms). It is put back when the
last staging under way ends (several clients in one process may stage at once).
"""

from __future__ import annotations

import sys

from backend_client.held import HeldWhileAny

#: The switch interval while a snapshot is staged (seconds). Six runs of ``ui_scale.py
#: --only-open`` each (four figures a run), alternating: the GUI's longest stall around a
#: snapshot was over 50 ms in 4 of 24 figures at 0.2 ms against 6 of 24 at 1 ms, and the
#: worst of a run 29–77 ms (median 38) against 43–163 ms (median 68).
STAGING_INTERVAL = 0.0002


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
