"""The hub's store: one synchronous object over one database, safe to use from a worker thread.

Every public method is one transaction. Writes on SQLite start with BEGIN IMMEDIATE; on
PostgreSQL they rely on row locks (the case row, then the stream row). Snapshots run in
one read transaction (SQLite WAL snapshot, PostgreSQL REPEATABLE READ READ ONLY).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeVar

import msgspec
from sqlalchemy import delete, func, select
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import IntegrityError

from backend.store import bulk, command_tx, commands, feed, schema, users
from backend.store import city as city_db
from backend.store.engine import WRITE_OPTION, make_engine, resolve_url
from backend.store.feed import Snapshot
from backend.store.models import CaseEventRow, CaseRow, CommandLogRow
from backend.store.schema import SchemaStatus
from backend.store.sweep_query import due_statement
from backend.store.users import StoredUser
from domain.catalog import Department
from domain.city import CityData, GridWorker, NodeInfo
from domain.commands import CommandRequest
from domain.lifecycle import due_sla_action
from domain.model import OPEN_STATES, Action, Actor, Case, Role
from domain.protocol import FeedEvent
from domain.rules import Rules

log = logging.getLogger(__name__)

#: How long command answers are kept for retries (the protocol promises at least 7 days).
COMMAND_LOG_KEEP = 7 * 86400.0
_OPEN_VALUES = sorted(s.value for s in OPEN_STATES)
_case_decoder = msgspec.json.Decoder(Case)
T = TypeVar("T")


class Store:
    """Open with :meth:`Store.open`; close with :meth:`close` (or use it as a context manager)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url: URL = engine.url  # str(url) masks the password
        self.dialect: str = engine.url.get_backend_name()  # "sqlite" | "postgresql"

    @classmethod
    def open(cls, url: str | URL | None = None, *, require_current: bool = True) -> Store:
        """Connect to ``url`` (else $GRIDCC_DB_URL, else the per-user SQLite file).

        With ``require_current`` the schema must be at this hub's head revision, else
        :class:`SchemaError` says what to run; pass False to inspect or :meth:`migrate`.
        """
        store = cls(make_engine(resolve_url(url)))
        if require_current:
            try:
                schema.require_current(store.schema_status(), str(store.url))
            except Exception:
                store.close()
                raise
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url})"

    def raw_dsn(self) -> str:
        """A libpq connection string for psycopg (LISTEN connections); PostgreSQL only."""
        if self.dialect != "postgresql":
            raise ValueError(f"raw_dsn() is for PostgreSQL; this store is {self.dialect}")
        return self.url.set(drivername="postgresql").render_as_string(hide_password=False)

    # ---- transactions ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def _read(self, *, snapshot: bool = False) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if snapshot and self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn

    def _alone(self, conn: Connection, *requests: CommandRequest) -> contextlib.AbstractContextManager:
        """One command's transaction: on PostgreSQL its lookups at once and its writes pipelined
        (``command_tx``); SQLite, where a statement is no round trip, runs each as it comes."""
        if self.dialect == "postgresql":
            return command_tx.transaction(conn, True, requests)
        return contextlib.nullcontext()

    # ---- schema --------------------------------------------------------------------------------
    def schema_status(self) -> SchemaStatus:
        return schema.schema_status(self.engine)

    def migrate(self) -> SchemaStatus:
        """Upgrade to this hub's head revision; a new database gets its stream epoch here."""
        status = self.schema_status()
        if status.state == "ahead":
            schema.require_current(status, str(self.url))
        with self._write() as conn:
            schema.upgrade_on(conn)
        return self.schema_status()

    # ---- users ---------------------------------------------------------------------------------
    def add_user(self, name: str, role: Role | str, scope: str, department: str | None = None) -> tuple[str, str]:
        with self._write() as conn:
            return users.add_user(conn, name, role, scope, department)

    def authenticate(self, token: str) -> Actor | None:
        with self._read() as conn:
            return users.authenticate(conn, token)

    def list_users(self) -> list[StoredUser]:
        with self._read() as conn:
            return users.list_users(conn)

    def set_user_disabled(self, user_id: str, disabled: bool = True) -> None:
        with self._write() as conn:
            users.set_disabled(conn, user_id, disabled)

    # ---- city ----------------------------------------------------------------------------------
    def import_city(self, data: CityData) -> tuple[int, int]:
        """Nodes and workers in one transaction; returns (nodes, workers) written."""
        with self._write() as conn:
            return city_db.import_city(conn, data)

    def import_nodes(self, nodes: Iterable[NodeInfo]) -> int:
        with self._write() as conn:
            return city_db.import_nodes(conn, list(nodes))

    def attach_geometry(self, code_to_geometry: Mapping[str, dict | None]) -> int:
        with self._write() as conn:
            return city_db.attach_geometry(conn, code_to_geometry)

    def import_departments(self, departments: Iterable[Department]) -> int:
        with self._write() as conn:
            return city_db.import_departments(conn, departments)

    def nodes(self, *, with_geometry: bool = True, scope: str = "", level: int | None = None) -> list[NodeInfo]:
        with self._read() as conn:
            return city_db.nodes(conn, with_geometry=with_geometry, scope=scope, level=level)

    def node(self, code: str) -> NodeInfo | None:
        with self._read() as conn:
            return city_db.node(conn, code)

    def knows_node(self, code: str) -> bool:
        """True when ``code`` is in the node directory, or the directory is empty (no city imported yet)."""
        from backend.store.fastpath import raw

        with self._read() as conn:
            fast = raw(conn)
            return fast.one("node_level", {"code": code}) is not None or fast.one("any_node") is None

    def workers_of(self, grid: str) -> list[GridWorker]:
        with self._read() as conn:
            return city_db.workers_of(conn, grid)

    def all_workers(self) -> list[GridWorker]:
        with self._read() as conn:
            return city_db.all_workers(conn)

    def departments(self) -> list[Department]:
        with self._read() as conn:
            return city_db.departments(conn)

    def counts(self) -> dict[str, int]:
        with self._read() as conn:
            return city_db.counts(conn)

    # ---- commands ------------------------------------------------------------------------------
    def execute(self, request: CommandRequest, now: float, rules: Rules,
                committed: list[FeedEvent] | None = None) -> commands.Answer:
        """Run one client command; returns the CommandAck or CommandError to send (stored for retries).
        The events it stored are appended to ``committed`` once the transaction has committed."""
        if not isinstance(request.client_id, str) or not request.client_id:
            raise ValueError("client_id is empty")
        if not isinstance(request.id, str) or not request.id:
            raise ValueError("command_id is empty")
        for _ in range(3):
            try:
                with self._write() as conn, commands.collecting(conn) as written, self._alone(conn, request):
                    answer = commands.execute(conn, self.dialect == "postgresql", request, now, rules)
                if committed is not None:
                    committed.extend(written)
                return answer
            except IntegrityError:
                # Another hub may have run the same retried command concurrently and logged it
                # first: then the next round returns its answer. Anything else is a real fault.
                with self._read() as conn:
                    if commands.stored_answer(conn, request.actor.id, request.client_id, request.id) is None:
                        raise
        raise RuntimeError(f"command {request.client_id}/{request.id} kept colliding; giving up")

    def execute_many(self, requests: list[CommandRequest], now: Callable[[], float], rules: Rules,
                     committed: list[FeedEvent] | None = None) -> list[commands.Answer | None]:
        """Run ``requests`` in order in one transaction (one commit for the batch: a group commit),
        each exactly as :meth:`execute` would; the answers in order. The events stored are appended
        to ``committed`` once committed.

        Should anything fail, nothing of the batch is kept and each command runs again alone in its
        own transaction; a command that fails alone answers None (the caller says ``internal``).
        """
        if len(requests) > 1:
            try:
                # the simulator's batches: the same per-command code, the batch's lookups read at once
                with bulk.batch(self, requests) as batch, batch.collecting() as written:
                    answers = [batch.execute(request, now(), rules) for request in requests]
                if committed is not None:
                    committed.extend(written)
                return list(answers)
            except Exception as exc:  # e.g. another hub logged a retried command first: one by one
                log.warning("a batch of %d commands failed (%s); running each alone", len(requests), exc)
        answers_alone: list[commands.Answer | None] = []
        for request in requests:
            try:
                answers_alone.append(self.execute(request, now(), rules, committed))
            except Exception:
                log.exception("command %s of %s failed", request.id, request.actor.id)
                answers_alone.append(None)
        return answers_alone

    def system_apply(self, case_id: str, action: Action, now: float, rules: Rules) -> list[FeedEvent]:
        with self._write() as conn, self._alone(conn):
            return commands.system_apply(conn, self.dialect == "postgresql", case_id, action, now, rules)

    def due_for_sla(self, now: float, limit: int = 500) -> list[tuple[str, Action]]:
        """Cases whose running clock passed its warning time or deadline, with the tick to apply.

        The query narrows by columns; ``domain.lifecycle.due_sla_action`` has the last word,
        so the sweeper never asks for a tick the lifecycle would refuse.
        """
        stmt = due_statement(now, limit)
        with self._read() as conn:
            bodies = list(conn.execute(stmt).scalars())
        due = []
        for case in feed.decode_cases(bodies):
            action = due_sla_action(case, now)
            if action is not None:
                due.append((case.id, action))
        return due

    def prune_command_log(self, now: float, keep: float = COMMAND_LOG_KEEP) -> int:
        """Drop answers older than ``keep`` seconds (at least 7 days); returns how many."""
        if keep < COMMAND_LOG_KEEP:
            raise ValueError(f"command answers must be kept at least {COMMAND_LOG_KEEP:.0f} s, got {keep}")
        with self._write() as conn:
            return conn.execute(delete(CommandLogRow).where(CommandLogRow.created_at < now - keep)).rowcount

    # ---- reads ---------------------------------------------------------------------------------
    def head(self) -> tuple[str, int]:
        """(epoch, head_seq)."""
        with self._read() as conn:
            return feed.head(conn)

    def events_after(self, seq: int, limit: int, scope: str | None = None) -> list[FeedEvent]:
        with self._read() as conn:
            return feed.events_after(conn, seq, limit, scope)

    def oldest_seq(self) -> int:
        with self._read() as conn:
            return feed.oldest_seq(conn)

    def case(self, case_id: str) -> Case | None:
        with self._read() as conn:
            return feed.load_case(conn, case_id)

    def case_events(self, case_id: str) -> list[FeedEvent]:
        with self._read() as conn:
            return feed.case_events(conn, case_id)

    def snapshot(self, scope: str, now: float) -> Snapshot:
        with self._read(snapshot=True) as conn:
            return feed.snapshot(conn, scope, now)

    def read_consistent(self, fn: Callable[[Connection], T]) -> T:
        """``fn(conn)`` inside one snapshot read transaction, as :meth:`snapshot` reads (backend.snapshot_cache)."""
        with self._read(snapshot=True) as conn:
            return fn(conn)

    def stats(self) -> dict[str, object]:
        """Figures for `gridcc-hub status`."""
        status = self.schema_status()
        with self._read(snapshot=True) as conn:
            epoch, head = feed.head(conn)

            def count(table, *where) -> int:  # noqa: ANN001
                return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()

            return {
                "url": str(self.url), "dialect": self.dialect, "schema": status.current, "epoch": epoch,
                "head_seq": head, "oldest_seq": feed.oldest_seq(conn),
                "events": count(CaseEventRow), "cases": count(CaseRow),
                "open_cases": count(CaseRow, CaseRow.state.in_(_OPEN_VALUES)),
                "users": users.count_users(conn), "command_log": count(CommandLogRow),
                **city_db.counts(conn),
            }
