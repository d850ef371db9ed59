"""PostgreSQL LISTEN/NOTIFY: lets one hub wake the others after a commit.

Notifications carry no data: the events table is the outbox and the replay log,
and the pump reads it. A lost notification only costs one polling interval.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

CHANNEL = "gridcc_events"


class NotifyListener:
    """A thread holding one LISTEN connection; calls ``wake`` on every notification."""

    def __init__(self, dsn: str, wake: Callable[[], None]) -> None:
        self._dsn = dsn
        self._wake = wake
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hub-pg-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._dsn, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=0.5):
                            self._wake()
            except Exception as exc:  # the polling fallback keeps the feed going meanwhile
                log.warning("LISTEN connection lost (%s); retrying", exc)
                self._stop.wait(1.0)


def notify(dsn_connection) -> None:
    """Send one wake-up on an open DBAPI/SQLAlchemy connection (PostgreSQL only)."""
    dsn_connection.exec_driver_sql(f"NOTIFY {CHANNEL}")
