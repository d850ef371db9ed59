"""Bulk work off the GUI thread: one worker for what a snapshot makes the console redo.

After a city snapshot the console rescans ~10^5 cases (the alarms still waiting, the map's
points). Done on the GUI thread that froze the window for hundreds of milliseconds. On this
worker, while a job runs, the GIL is handed back at the short interval a snapshot's staging
uses (backend_client.switching.STAGING_INTERVAL): at the default 5 ms each of the GUI
thread's many returns to Python during a paint waited that long, and the ticks right after a
snapshot stalled for up to ~110 ms. The caller polls the future from its display timer and
applies the result on the GUI thread; the work must only read immutable things (cases,
lists of them).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from backend_client import switching

_pool: ThreadPoolExecutor | None = None


def submit(fn: Callable[..., Any], *args: Any) -> Future[Any]:
    """Run ``fn(*args)`` on the bulk worker (started on first use)."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gridcc-bulk")
    return _pool.submit(_switching_often, fn, *args)


def _switching_often(fn: Callable[..., Any], *args: Any) -> Any:
    switching.shorten()
    try:
        return fn(*args)
    finally:
        switching.restore()
