"""SQLite's WAL checkpoints on a thread of their own, while a hub runs.

By default SQLite checkpoints inside the commit that takes the WAL past 1,000 pages: that commit
copies the pages into the database file and syncs it. Measured here at 200 consoles × 100
commands/s (``bench/hub_fanout.py``), such a commit took 4–6 ms instead of ~0.9 ms, one command
in fifty paid it, and it was the whole p99 of the command path. The hub turns that off for its
own connections and runs a PASSIVE checkpoint every half second on a connection of its own.
A PASSIVE checkpoint never waits for the writer or a reader, and the driver releases the GIL
while SQLite copies, so the work moves to the other core. Other processes on the same file (the
CLI, a second tool) keep SQLite's default; when the last connection closes SQLite checkpoints
whatever is left, as before.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref

from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

#: SQLite's own default, which connections get back once the checkpointer stops.
DEFAULT_AUTOCHECKPOINT = 1000
#: Seconds between two background checkpoints: at the hub's command rate the WAL then stays
#: near the size SQLite's default lets it reach.
INTERVAL = 0.5
_KEY = "gridcc_autocheckpoint"
#: Engines some running checkpointer defers for, and how many (two hubs may share one Store).
_deferring: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _listen(engine: Engine) -> None:
    """Once per engine: every connection handed out says whether its commits may checkpoint
    (a pragma only when that changes)."""
    ref = weakref.ref(engine)

    def checkout(dbapi_connection, record, _proxy) -> None:  # noqa: ANN001
        bound = ref()
        want = 0 if bound is not None and _deferring.get(bound, 0) > 0 else DEFAULT_AUTOCHECKPOINT
        if record.info.get(_KEY) != want:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA wal_autocheckpoint={want}")
            cursor.close()
            record.info[_KEY] = want

    event.listen(engine, "checkout", checkout)


class WalCheckpointer:
    """Background checkpoints for ``engine`` (a SQLite engine) between :meth:`start` and :meth:`stop`."""

    def __init__(self, engine: Engine, interval: float = INTERVAL) -> None:
        self.engine = engine
        self.interval = interval
        self._started = False
        self.checkpoints = 0  # background checkpoints run
        self.pages = 0  # WAL frames they moved into the database file
        self.failures = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._warned_at = 0.0

    @property
    def deferred(self) -> bool:
        """Whether the engine's commits leave checkpoints to a checkpointer (this one or another)."""
        return _deferring.get(self.engine, 0) > 0

    def start(self) -> None:
        with _lock:
            count = _deferring.get(self.engine)
            if count is None:
                _listen(self.engine)
            _deferring[self.engine] = (count or 0) + 1
        self._started = True
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="gridcc-wal-checkpoint", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread, checkpoint once more, and, unless another checkpointer still runs on
        the engine, give connections SQLite's default back (each at its next checkout)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._started:
            self._started = False
            with _lock:
                _deferring[self.engine] = max(0, _deferring.get(self.engine, 1) - 1)
        self._checkpoint_logged()

    def checkpoint(self) -> tuple[int, int, int]:
        """One PASSIVE checkpoint: (busy, frames in the WAL, frames now in the database file)."""
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            row = cursor.fetchone()
            cursor.close()
        finally:
            raw.close()
        assert row is not None  # PRAGMA wal_checkpoint always answers one row
        busy, frames, moved = row
        self.checkpoints += 1
        self.pages += max(0, moved)
        return busy, frames, moved

    def _checkpoint_logged(self) -> None:
        try:
            self.checkpoint()
        except Exception:
            self.failures += 1
            now = time.monotonic()
            if now - self._warned_at > 60.0:  # a locked or vanished file: say so once a minute
                self._warned_at = now
                log.exception("WAL checkpoint failed (%d so far); the next one retries", self.failures)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._checkpoint_logged()


__all__ = ["DEFAULT_AUTOCHECKPOINT", "WalCheckpointer"]
