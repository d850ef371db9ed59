"""The standalone hub's collector schedule (backend.collector): what is alive is frozen, and a
reference cycle that dies while frozen is still freed by the next scheduled full collection."""

from __future__ import annotations

import asyncio
import gc
import weakref

from backend import collector


class _Node:
    me: _Node


async def _schedule() -> tuple[bool, bool]:
    task = asyncio.get_running_loop().create_task(collector.run_on_schedule(freeze_every=0.02, full_every=0.3))
    node = _Node()
    node.me = node
    ref = weakref.ref(node)
    del node  # a dead cycle: only a collection frees it, and the automatic ones are off
    frozen_at = gc.get_freeze_count()
    while gc.get_freeze_count() == frozen_at or gc.get_freeze_count() == 0:
        await asyncio.sleep(0.005)
    alive_after_freeze = ref() is not None
    for _ in range(400):
        if ref() is None:
            break
        await asyncio.sleep(0.005)
    task.cancel()
    return alive_after_freeze, ref() is None


def test_a_cycle_frozen_alive_is_freed_by_the_scheduled_full_collection():
    enabled = gc.isenabled()
    gc.disable()
    try:
        alive_after_freeze, freed = asyncio.run(_schedule())
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()
    assert alive_after_freeze  # frozen, not collected
    assert freed  # the full collection (after unfreeze) found it
