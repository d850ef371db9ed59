"""SQLite's WAL checkpoints leave the commit path while a hub runs (backend.store.checkpoints).

SQLite's default has the commit that takes the WAL past 1,000 pages copy them into the database
file; these tests show the hub's commits no longer do, that the background checkpoint moves
them instead, and that connections get SQLite's default back when the hub stops.
"""

from __future__ import annotations

import time

from sqlalchemy import text

from backend.embedded import HubThread
from backend.store import Store
from backend.store.checkpoints import DEFAULT_AUTOCHECKPOINT, WalCheckpointer
from backend.store.engine import make_engine, resolve_url

from .conftest import Driver

PAGE_WRITES = 1500  # single-page commits, half again SQLite's autocheckpoint threshold


def _engine(path):
    engine = make_engine(resolve_url(str(path)))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE scratch (id INTEGER PRIMARY KEY, body BLOB)"))
    return engine


def _write_pages(engine, count: int) -> None:
    for i in range(count):
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO scratch (body) VALUES (:b)"), {"b": bytes([i % 256]) * 3000})


def _autocheckpoint(engine) -> int:
    with engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()


def _until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def test_commits_leave_the_wal_to_the_checkpointer(tmp_path):
    plain, deferred = _engine(tmp_path / "plain.db"), _engine(tmp_path / "deferred.db")
    checkpointer = WalCheckpointer(deferred, interval=3600.0)  # its thread stays asleep: only the call below
    checkpointer.start()
    try:
        assert _autocheckpoint(deferred) == 0
        _write_pages(plain, PAGE_WRITES)
        _write_pages(deferred, PAGE_WRITES)
        # SQLite's default: some commit checkpointed, so the WAL restarted and holds fewer
        # frames than were written.
        _busy, frames_plain, _moved = WalCheckpointer(plain).checkpoint()
        assert frames_plain < PAGE_WRITES
        # Deferred: every frame written is still in the WAL, and the checkpoint moves them all.
        busy, frames, moved = checkpointer.checkpoint()
        assert busy == 0 and frames >= PAGE_WRITES and moved == frames
        assert checkpointer.pages == moved
        with deferred.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM scratch")).scalar_one() == PAGE_WRITES
    finally:
        checkpointer.stop()
    assert _autocheckpoint(deferred) == DEFAULT_AUTOCHECKPOINT  # back to SQLite's default
    plain.dispose()
    deferred.dispose()


def test_two_checkpointers_on_one_engine_defer_until_both_stop(tmp_path):
    """Two hubs in one process may share a Store: the first to stop must not undo the other."""
    engine = _engine(tmp_path / "shared.db")
    first, second = WalCheckpointer(engine, interval=3600.0), WalCheckpointer(engine, interval=3600.0)
    first.start()
    second.start()
    first.stop()
    assert second.deferred and _autocheckpoint(engine) == 0
    second.stop()
    assert not second.deferred and _autocheckpoint(engine) == DEFAULT_AUTOCHECKPOINT
    first.stop()  # a second stop changes nothing
    assert _autocheckpoint(engine) == DEFAULT_AUTOCHECKPOINT
    engine.dispose()


def test_the_thread_keeps_the_wal_short(tmp_path):
    engine = _engine(tmp_path / "busy.db")
    checkpointer = WalCheckpointer(engine, interval=0.01)
    checkpointer.start()
    try:
        _write_pages(engine, 300)
        _until(lambda: checkpointer.pages >= 300)
        # Nothing left behind: a checkpoint now finds every frame already in the database file.
        _until(lambda: (lambda r: r[1] == r[2])(checkpointer.checkpoint()))
    finally:
        checkpointer.stop()
    assert checkpointer.failures == 0
    engine.dispose()


def test_a_failing_checkpoint_is_counted_and_the_thread_goes_on(tmp_path, caplog):
    engine = _engine(tmp_path / "gone.db")
    checkpointer = WalCheckpointer(engine, interval=0.01)

    def broken():
        raise RuntimeError("disk went away")

    checkpointer.checkpoint = broken  # type: ignore[method-assign]
    checkpointer.start()
    try:
        _until(lambda: checkpointer.failures >= 3)  # still running after the first failure
    finally:
        checkpointer.stop()
    assert "WAL checkpoint failed" in caplog.text
    assert caplog.text.count("WAL checkpoint failed") == 1  # said once, not at every retry
    engine.dispose()


def test_a_hub_on_sqlite_checkpoints_in_the_background(tmp_path, rules):
    """(On PostgreSQL the hub runs no checkpointer: the server checkpoints by itself.)"""
    store = Store.open(str(tmp_path / "hub.db"), require_current=False)
    store.migrate()
    try:
        with HubThread(store, rules=rules) as running:
            checkpointer = running.hub._checkpointer
            assert checkpointer is not None and checkpointer.deferred
            assert _autocheckpoint(store.engine) == 0
            driver = Driver(store, rules)
            for k in range(50):
                driver.report(1773108000.0 + k)
            _until(lambda: checkpointer.pages > 0)
        assert running.hub._checkpointer is None
        assert _autocheckpoint(store.engine) == DEFAULT_AUTOCHECKPOINT
        assert store.head()[1] == 50
    finally:
        store.close()
