"""The hub process's cyclic garbage collector: full collections on a schedule, not the allocator's.

A hub at a thousand consoles holds ~10^6 objects that live as long as their connections
(websockets' protocols and transports, the sessions, the snapshot cache). Python's full
collection walks all of them while the event loop stands still: 100–130 ms, twice in 30 s at
200 events/s (``bench/fanout_scale.py``, measured with ``gc.callbacks``), and every console sees
it as a delivery stall. So ``gridcc-hub serve`` moves what is alive to the permanent generation
(``gc.freeze``) every minute, where the automatic collections skip it, and once every ten
minutes gives it all back for one full collection (``gc.unfreeze``), so reference cycles that
died meanwhile (a closed connection's) are still freed. Reference counting frees everything else
at once, frozen or not.

Only the standalone hub does this: a hub embedded in the console (demo mode, tests) shares the
process with the client's own collector handling (``backend_client.collector``).
"""

from __future__ import annotations

import asyncio
import gc
import time

FREEZE_EVERY = 60.0
FULL_EVERY = 600.0


async def run_on_schedule(freeze_every: float = FREEZE_EVERY, full_every: float = FULL_EVERY) -> None:
    """Freeze what is alive now and every ``freeze_every`` s; a full collection every ``full_every`` s."""
    gc.freeze()
    last_full = time.monotonic()
    while True:
        await asyncio.sleep(freeze_every)
        if time.monotonic() - last_full >= full_every:
            gc.unfreeze()
            gc.collect()
            last_full = time.monotonic()
        gc.freeze()


__all__ = ["FREEZE_EVERY", "FULL_EVERY", "run_on_schedule"]
