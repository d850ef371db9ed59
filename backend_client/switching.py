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
import threading

#: The switch interval while a snapshot is staged (seconds).
STAGING_INTERVAL = 0.001

_lock = threading.Lock()
_staging = 0
_was = 0.005


def shorten() -> None:
    """A staging starts: switch threads at least every STAGING_INTERVAL."""
    global _staging, _was
    with _lock:
        if _staging == 0:
            _was = sys.getswitchinterval()
            sys.setswitchinterval(min(_was, STAGING_INTERVAL))
        _staging += 1


def restore() -> None:
    """A staging ended; the interval goes back when none is under way."""
    global _staging
    with _lock:
        if _staging == 0:
            return
        _staging -= 1
        if _staging == 0:
            sys.setswitchinterval(_was)
