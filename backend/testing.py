"""Real hubs for tests and benchmarks: in a thread, or in a child process.

``HubThread`` (from :mod:`backend.embedded.hub_thread`) runs a hub on its own asyncio
loop in a background thread. ``HubProcess`` runs
`gridcc-hub serve` as a child process, so tests can SIGKILL it and start it again
on the same port and database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from backend.embedded.hub_thread import HubThread

__all__ = ["HubProcess", "HubThread"]  # HubThread's home is backend.embedded; tests find both here


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
