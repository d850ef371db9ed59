"""The statements commands run, on the DBAPI cursor of the caller's transaction.

SQLAlchemy's execution machinery costs about 150 µs a statement here, against 25 µs
for SQLite itself; a command runs six, and a simulated day runs 43,000 commands. So
the hot path skips it: the same SQL, bound by name, on the same connection and
inside the same transaction SQLAlchemy opened (nothing about atomicity changes).
Everything else in the store keeps using SQLAlchemy.

On PostgreSQL a command transaction runs in psycopg's pipeline mode (:meth:`Raw.pipelined`):
a write is sent without waiting for its answer, and only a read that needs its rows waits,
so a command's writes cost no round trip of their own. The server still runs every statement
in the order sent; an error surfaces at the next read or at the end of the pipeline.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from typing import Any, cast

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

_NAMED = re.compile(r":(\w+)")

#: Columns the period reports aggregate over (backend.store.commands.report_values).
_REPORT = ("source", "reported_by", "accepted_at", "dispatched_at", "resolved_at", "closed_on_time", "return_count",
           "rework_count", "extension_count", "supervised_at", "supervision_due", "supervision_replied_at",
           "stage_deadline", "stage_warning_at", "stage_sla", "stages_late", "suspended_until", "request_kind",
           "callback_result", "reopen_count", "sign_deadline", "sign_warning_at", "sign_sla")
#: Columns 综合查询 filters on (backend.store.commands.search_values, revision 0009).
_SEARCH = ("caller_name", "caller_phone", "ticket_no", "search_text")
_COLUMNS = _REPORT + _SEARCH
_REPORT_COLS = ", ".join(_COLUMNS)
_REPORT_PARAMS = ", ".join(":" + c for c in _COLUMNS)
_REPORT_SET = ", ".join(f"{c} = :{c}" for c in _COLUMNS)

_SQL = {
    "stored_answer": (
        "SELECT request_hash, answer FROM command_log "
        "WHERE user_id = :user AND client_id = :client AND command_id = :command"
    ),
    "node_level": "SELECT level FROM nodes WHERE code = :code",
    "any_node": "SELECT 1 FROM nodes LIMIT 1",
    "next_case_no": "SELECT next_case_no FROM stream WHERE id = 1",
    "load_case": "SELECT body FROM cases WHERE id = :case_id",
    "insert_case": (
        "INSERT INTO cases (id, node, category, urgency, state, version, owner_level, department, reported_at, "
        "updated_at, deadline, warning_at, sla_state, suspended_at, closed_at, body, lon, lat, " + _REPORT_COLS + ") "
        "VALUES (:id, :node, :category, :urgency, :state, :version, :owner_level, :department, :reported_at, "
        ":updated_at, :deadline, :warning_at, :sla_state, :suspended_at, :closed_at, :body, :lon, :lat, "
        + _REPORT_PARAMS + ")"
    ),
    "update_case": (
        "UPDATE cases SET node = :node, category = :category, urgency = :urgency, state = :state, "
        "version = :version, owner_level = :owner_level, department = :department, reported_at = :reported_at, "
        "updated_at = :updated_at, deadline = :deadline, warning_at = :warning_at, sla_state = :sla_state, "
        "suspended_at = :suspended_at, closed_at = :closed_at, body = :body, lon = :lon, lat = :lat, "
        + _REPORT_SET + " WHERE id = :id"
    ),
    "take_seqs": (
        "UPDATE stream SET head_seq = head_seq + :n, next_case_no = next_case_no + :numbered WHERE id = 1 "
        "RETURNING head_seq, epoch"
    ),
    "insert_events": (
        "INSERT INTO case_events (seq, epoch, case_id, kind, at, actor, node, body) "
        "VALUES (:seq, :epoch, :case_id, :kind, :at, :actor, :node, :body)"
    ),
    "read_case": "SELECT body FROM cases WHERE id = :case_id",
    "node_geometry": "SELECT geometry FROM nodes WHERE code = :code",
    "user_department": "SELECT department, disabled FROM users WHERE id = :id",
    "open_order": "SELECT max(id) FROM supervision_orders WHERE case_id = :case_id AND reply IS NULL",
    "reply_order": "UPDATE supervision_orders SET reply = :reply, replied_at = :replied_at WHERE id = :id",
    "insert_order": (
        'INSERT INTO supervision_orders (case_id, level, reason, due, "by", at, reply, replied_at) '
        "VALUES (:case_id, :level, :reason, :due, :by, :at, :reply, :replied_at)"
    ),
    "lock_stream": "SELECT head_seq, next_case_no, epoch FROM stream WHERE id = 1",
    "set_stream": "UPDATE stream SET head_seq = :head, next_case_no = :next WHERE id = 1",
    "notify": "SELECT pg_notify(:channel, :payload)",
    "insert_log": (
        "INSERT INTO command_log (client_id, command_id, created_at, request_hash, answer, user_id) "
        "VALUES (:client_id, :command_id, :created_at, :request_hash, :answer, :user_id)"
    ),
}
#: Reads that must lock the row on PostgreSQL (SQLite's BEGIN IMMEDIATE already serialises writers).
_LOCKING = {"next_case_no", "load_case", "lock_stream"}


def dialect_sql(sql: str, pg: bool, lock: bool = False) -> str:
    """``sql`` with ``:name`` parameters as the dialect's driver binds them (and FOR UPDATE when ``lock``)."""
    if not pg:
        return sql
    return _NAMED.sub(r"%(\1)s", sql) + (" FOR UPDATE" if lock else "")


def _dialect_sql(pg: bool) -> dict[str, str]:
    return {name: dialect_sql(sql, pg, name in _LOCKING) for name, sql in _SQL.items()}


_BY_DIALECT = {False: _dialect_sql(False), True: _dialect_sql(True)}


class Raw:
    """The hot statements on ``conn``'s DBAPI connection (one cursor, reused)."""

    __slots__ = ("cur", "sql", "pg", "_error")

    def __init__(self, conn: Connection) -> None:
        self.pg = conn.dialect.name == "postgresql"
        self.sql = _BY_DIALECT[self.pg]
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None  # a Connection in use holds its checked-out DBAPI connection
        self.cur = dbapi.cursor()
        self._error = conn.dialect.loaded_dbapi.Error

    def one(self, name: str, params: dict[str, Any] | None = None) -> tuple | None:
        self._do(self.cur.execute, name, params or {})
        return self._fetched(self.cur, self.cur.fetchone)

    def send(self, sql: str, params: dict[str, Any]) -> Any:
        """Run ``sql`` (already in the dialect's form) on a cursor of its own; read it with :meth:`rows`.

        In a pipeline, statements sent one after another reach the server in one round trip.
        """
        cur = self.cur.connection.cursor()
        try:
            cur.execute(sql, params)
        except self._error as exc:
            raise DBAPIError.instance(sql, params, exc, self._error) from exc
        return cur

    def rows(self, cur: Any) -> list[tuple]:
        try:
            return self._fetched(cur, cur.fetchall)
        finally:
            cur.close()

    @contextlib.contextmanager
    def pipelined(self) -> Iterator[None]:
        """On PostgreSQL, psycopg's pipeline mode for the block (see the module docstring); else nothing."""
        if not self.pg:
            yield
            return
        try:
            with self.cur.connection.pipeline():
                yield
        except self._error as exc:  # an error the end of the pipeline surfaced, as SQLAlchemy raises it
            raise DBAPIError.instance("(pipeline)", None, exc, self._error) from exc

    def _fetched(self, cur: Any, fetch: Any) -> Any:
        try:
            return fetch()
        except self._error as exc:  # in a pipeline, an earlier statement's error surfaces here
            raise DBAPIError.instance("(fetch)", None, exc, self._error) from exc

    def run(self, name: str, params: dict[str, Any]) -> None:
        self._do(self.cur.execute, name, params)

    def many(self, name: str, rows: Sequence[dict[str, Any]]) -> None:
        self._do(self.cur.executemany, name, rows)

    def _do(self, method, name: str, params) -> None:
        sql = self.sql[name]
        try:
            method(sql, params)
        except self._error as exc:  # the same exception types SQLAlchemy's own path raises
            raise DBAPIError.instance(sql, params, exc, self._error) from exc


def raw(conn: Connection) -> Raw:
    """One Raw per SQLAlchemy connection checkout (kept in its info dict)."""
    info = conn.info
    found = info.get("gridcc_raw")
    if found is None or found.cur.connection is not conn.connection.dbapi_connection:
        found = info["gridcc_raw"] = Raw(conn)
    return found


def _executed(conn: Connection, stmt: Any) -> Any:
    """A DBAPI cursor of ``conn``'s connection on which ``stmt`` (compiled for its dialect) has run."""
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    bound: Any = [params[k] for k in compiled.positiontup] if compiled.positional and compiled.positiontup else params
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cur = dbapi.cursor()
    try:
        cur.execute(str(compiled), bound)
    except BaseException:
        cur.close()
        raise
    return cur


def fetch_chunks(conn: Connection, stmt: Any, size: int = 5000) -> Iterator[list[tuple]]:
    """:func:`fetch_all` ``size`` rows at a time, for a caller that keeps less than it reads (the snapshot cache)."""
    cur = _executed(conn, stmt)
    try:
        while rows := cur.fetchmany(size):
            yield cast(list[tuple], rows)
    finally:
        cur.close()


def fetch_all(conn: Connection, stmt: Any) -> list[tuple]:
    """All rows of a SQLAlchemy ``select`` as plain DBAPI tuples, inside ``conn``'s transaction.

    For reads of ~100k rows (a city snapshot), SQLAlchemy's per-row result processing costs
    more than SQLite's own reading; values come back as the driver gives them (SQLite
    booleans as 0/1), so callers must only test them for truth.
    """
    cur = _executed(conn, stmt)
    try:
        return list(cur.fetchall())
    finally:
        cur.close()
