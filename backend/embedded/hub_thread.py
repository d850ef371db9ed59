"""A hub on a private asyncio loop in a daemon thread: what demo, trainer and replay embed.

The hub stays a plain asyncio program; this wrapper gives synchronous callers (the desktop,
tests, benchmarks) a started hub, a way to run coroutines on its loop, and background tasks
that stop before the hub does.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future

from backend.hub import Hub


class HubThread:
    """A hub on a private event loop in a daemon thread."""

    def __init__(self, store, **hub_kwargs) -> None:
        hub_kwargs.setdefault("port", 0)
        self.hub = Hub(store, **hub_kwargs)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="hub-loop", daemon=True)
        self._started: Future = Future()
        self._spawned: list[tuple[asyncio.Event, concurrent.futures.Future]] = []

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)

        async def boot() -> None:
            await self.hub.start()

        try:
            self.loop.run_until_complete(boot())
        except BaseException as exc:  # report start-up failures to the caller
            self._started.set_exception(exc)
            return
        self._started.set_result(self.hub.port)
        self.loop.run_forever()
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()

    def start(self, timeout: float = 30) -> HubThread:
        self._thread.start()
        self._started.result(timeout)
        return self

    def call(self, coro, timeout: float = 60):
        """Run a coroutine on the hub's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def spawn(self, make: Callable[[asyncio.Event], Awaitable[None]]) -> concurrent.futures.Future:
        """Run ``make(stop_event)`` on the hub's loop until ``stop()`` sets the event (a simulator, a replay)."""

        async def start() -> tuple[asyncio.Event, asyncio.Future]:
            event = asyncio.Event()
            return event, asyncio.ensure_future(make(event))

        event, task = self.call(start())
        future = asyncio.run_coroutine_threadsafe(self._await(task), self.loop)
        self._spawned.append((event, future))
        return future

    @staticmethod
    async def _await(task) -> None:
        await task

    def _stop_spawned(self) -> None:
        for event, _ in self._spawned:
            self.loop.call_soon_threadsafe(event.set)
        for _, future in self._spawned:
            try:
                future.result(timeout=30)
            except (concurrent.futures.TimeoutError, concurrent.futures.CancelledError):
                future.cancel()
        self._spawned = []

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        self._stop_spawned()
        self.call(self.hub.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=30)

    @property
    def url(self) -> str:
        return self.hub.url

    def __enter__(self) -> HubThread:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
