"""Engines for the store: which database, and SQLite set up so transactions mean what they say.

SQLite's Python driver issues its own deferred BEGIN lazily; the store instead emits BEGIN
itself (SQLAlchemy's documented recipe) so that a read transaction opened for a snapshot
really is one snapshot, and write transactions start with BEGIN IMMEDIATE so two writers
queue on the busy timeout instead of failing when a reader tries to upgrade its lock.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url

ENV_URL = "GRIDCC_DB_URL"
BUSY_TIMEOUT_MS = 30_000
#: Execution option that marks a connection whose transactions will write.
WRITE_OPTION = "gridcc_write"


def default_sqlite_path() -> Path:
    return Path(platformdirs.user_data_dir("gridcc")) / "hub.db"


def resolve_url(url: str | URL | None = None) -> URL:
    """The argument, else ``$GRIDCC_DB_URL``, else the per-user SQLite file.

    A value without ``://`` is taken as a SQLite file path; ``postgresql://`` and
    ``postgres://`` get the psycopg 3 driver, the only one installed.
    """
    if url is None:
        url = os.environ.get(ENV_URL) or None
    if url is None:
        path = default_sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return URL.create("sqlite", database=str(path))
    if isinstance(url, URL):
        return url
    if "://" not in url:
        return URL.create("sqlite", database=str(Path(url).expanduser().resolve()))
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise ValueError("an in-memory SQLite database cannot be shared by the hub's threads: give a file path")
    return parsed


def make_engine(url: URL) -> Engine:
    engine = create_engine(url)
    if url.get_backend_name() == "sqlite":
        _setup_sqlite(engine)
    return engine


def _setup_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # noqa: ANN001
        writing = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
