"""Commands not yet answered, kept in a local SQLite file so they survive a restart.

A command is written here before it is sent, re-sent with the same id after every
reconnect (the hub answers a retried id with its first answer, so it applies once),
and deleted when its answer (ack or typed error) arrives. Safe to use from the GUI
thread (put) and the connection worker (sent, remove) at the same time.
"""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import platformdirs
from sqlalchemy import (
    Column,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from domain import protocol as p

_meta = MetaData()
_commands = Table(
    "outbox",
    _meta,
    Column("position", Integer, primary_key=True, autoincrement=True),  # send order
    Column("command_id", String(64), nullable=False, unique=True),
    Column("case_id", String(64)),
    Column("payload", LargeBinary, nullable=False),  # the protocol.Command as JSON
    Column("created_at", Float, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_sent_at", Float),
)
_meta_kv = Table(
    "outbox_meta",
    _meta,
    Column("key", String(64), primary_key=True),
    Column("value", String(256), nullable=False),
)


class OutboxError(RuntimeError):
    """The outbox file cannot be opened or holds something unreadable; the message names the file."""


def default_path(client_id: str = "default") -> Path:
    """Where a client's outbox lives when no path is given (per user, per client id)."""
    return Path(platformdirs.user_data_dir("gridcc", appauthor=False)) / f"outbox-{client_id}.sqlite3"


class Outbox:
    def __init__(self, path: str | Path | None = None, *, client_id: str = "default") -> None:
        self.path = Path(path) if path is not None else default_path(client_id)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._engine = create_engine(f"sqlite:///{self.path}", connect_args={"check_same_thread": False})
            event.listen(self._engine, "connect", _pragmas)
            _meta.create_all(self._engine)
        except Exception as exc:  # sqlalchemy and OS errors alike
            raise OutboxError(f"cannot open the command outbox {self.path}: {exc}") from exc
        self._lock = threading.Lock()
        self._count = self._query_count()

    def client_id(self) -> str:
        """This installation's client id, made once and kept with the commands it names.

        The hub keys idempotency by (user, client id, command id), so a command resent
        after a restart must travel under the same client id as before.
        """
        with self._lock, self._engine.begin() as conn:
            row = conn.execute(select(_meta_kv.c.value).where(_meta_kv.c.key == "client_id")).first()
            if row is not None:
                known: str = row[0]
                return known
            made = "c-" + uuid.uuid4().hex[:16]
            conn.execute(insert(_meta_kv).values(key="client_id", value=made))
            return made

    def put(self, command: p.Command) -> None:
        """Keep ``command`` until answered; a second put of the same id is ignored."""
        payload = p.encode(command)
        with self._lock, self._engine.begin() as conn:
            exists = conn.execute(select(_commands.c.position).where(_commands.c.command_id == command.id)).first()
            if exists is None:
                conn.execute(insert(_commands).values(command_id=command.id, case_id=command.case_id,
                                                      payload=payload, created_at=time.time(), attempts=0))
                self._count += 1

    def pending(self) -> list[p.Command]:
        """Unanswered commands in the order they were made."""
        with self._lock, self._engine.connect() as conn:
            rows = conn.execute(select(_commands.c.command_id, _commands.c.payload)
                                .order_by(_commands.c.position)).all()
        commands = []
        for command_id, payload in rows:
            try:
                msg = p.decode_client(payload)
            except p.ProtocolError as exc:
                raise OutboxError(f"outbox {self.path}: command {command_id} cannot be read: {exc}") from exc
            if not isinstance(msg, p.Command):
                raise OutboxError(f"outbox {self.path}: entry {command_id} is a {type(msg).__name__}, not a command")
            commands.append(msg)
        return commands

    def mark_sent(self, command_id: str) -> None:
        with self._lock, self._engine.begin() as conn:
            conn.execute(update(_commands).where(_commands.c.command_id == command_id)
                         .values(attempts=_commands.c.attempts + 1, last_sent_at=time.time()))

    def attempts(self, command_id: str) -> int:
        with self._lock, self._engine.connect() as conn:
            row = conn.execute(select(_commands.c.attempts).where(_commands.c.command_id == command_id)).first()
        return 0 if row is None else int(row[0])

    def remove(self, command_id: str) -> bool:
        """Forget an answered command; False when it was not here."""
        with self._lock, self._engine.begin() as conn:
            gone = conn.execute(delete(_commands).where(_commands.c.command_id == command_id)).rowcount
            self._count -= gone
        return bool(gone)

    def __len__(self) -> int:
        return self._count

    def __contains__(self, command_id: object) -> bool:
        with self._lock, self._engine.connect() as conn:
            return conn.execute(select(_commands.c.position).where(_commands.c.command_id == command_id)).first() \
                is not None

    def close(self) -> None:
        self._engine.dispose()

    def _query_count(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(_commands)).scalar_one())


def _pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()

