"""Real hubs for tests, benchmarks and demo mode: in a thread, or in a child process.

``HubThread`` runs a :class:`backend.hub.Hub` on its own asyncio loop in a
background thread (what `gridcc demo` embeds). ``HubProcess`` runs
`gridcc-hub serve` as a child process, so tests can SIGKILL it and start it again
on the same port and database.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from pathlib import Path

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
        for event, future in self._spawned:
            self.loop.call_soon_threadsafe(event.set)
        for event, future in self._spawned:
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


class HubProcess:
    """`gridcc-hub serve` in a child process, restartable on the same port."""

    def __init__(self, db_url: str, workdir: Path, *, port: int = 0, name: str = "test-hub",
                 extra: tuple[str, ...] = ()) -> None:
        self.db_url = db_url
        self.workdir = Path(workdir)
        self.port = port
        self.name = name
        self.extra = extra
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> HubProcess:
        port_file = self.workdir / f"{self.name}.port"
        port_file.unlink(missing_ok=True)
        env = dict(os.environ, GRIDCC_STATE_DIR=str(self.workdir / "state"))
        log = open(self.workdir / f"{self.name}.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "backend.cli", "serve", "--db", self.db_url, "--port", str(self.port),
             "--port-file", str(port_file), "--name", self.name, "--sweep-interval", "0.2", *self.extra],
            stdout=log, stderr=subprocess.STDOUT, env=env,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while not port_file.exists():
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited with {self.proc.returncode}: "
                                   f"{(self.workdir / f'{self.name}.log').read_text()[-2000:]}")
            if time.monotonic() > deadline:
                self.kill()
                raise TimeoutError("hub did not start listening")
            time.sleep(0.05)
        self.port = int(port_file.read_text())
        return self

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/v1/feed"

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, exactly like a crash."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> HubProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
