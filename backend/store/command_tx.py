"""What one write transaction of commands has read and taken, so commands cost few round trips.

Over PostgreSQL each statement is a round trip to the server, and a command used to run about
nine of them (log lookup, node, stream, case, seqs, events, notify, log insert, commit), one after
the other. Inside :func:`transaction` instead:

- what the commands will look up — their logged answers, their report grids, their cases (locked,
  in id order) — is read for the whole batch at once (:meth:`CommandTx.prefetch`, one round trip);
- the stream row is locked once, at the first command that needs a number, and the batch's seqs
  and case numbers are counted here and written back once at the end (the lock is held to commit,
  so the numbering stays gap-free and in commit order across hubs, as before);
- one ``pg_notify`` per transaction, with the final head;
- on PostgreSQL the writes are pipelined (``fastpath.Raw.pipelined``): none waits for its answer.

Every lookup remembers what this transaction has read or written (a case as the transaction last
wrote it, an answer logged by an earlier command of the batch), so each command still sees exactly
what it would see run alone after the ones before it. Outside :func:`transaction` (the intake, a
replay, a single command on SQLite, where a statement is no round trip) a :class:`CommandTx` keeps
nothing and runs each statement as it comes, as the store always did.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy.engine import Connection

from backend.store.fastpath import Raw, dialect_sql, raw
from domain.commands import CommandRequest
from domain.model import Action

#: Where the open transaction's CommandTx is kept (the connection's info dict).
_KEY = "gridcc_command_tx"
#: A key this transaction has not looked up yet.
_UNKNOWN: Any = object()
#: PostgreSQL channel notified (with the new head seq) when events commit; other hubs LISTEN.
NOTIFY_CHANNEL = "gridcc_events"

AnswerKey = tuple[str, str, str]  # (user_id, client_id, command_id)


class CommandTx:
    """Lookups and numbering for the commands of one write transaction (see the module docstring)."""

    def __init__(self, conn: Connection, notify: bool, *, keep: bool) -> None:
        self.conn = conn
        self.fast: Raw = raw(conn)
        self.notify = notify
        self.keep = keep  # inside transaction(): remember reads, count numbers here
        self.answers: dict[AnswerKey, tuple[str, str] | None] = {}
        self.cases: dict[str, str | None] = {}  # body as this transaction last read (locked) or wrote it
        self.levels: dict[str, int | None] = {}  # node code -> level (None: not in the directory)
        self.geometry: dict[str, str | None] = {}
        self.any_node: bool | None = None
        self.stream: list[Any] | None = None  # [head_seq, next_case_no, epoch], locked until commit
        self.taken = False  # this transaction numbered something: the stream row is written at the end

    # ---- the batch's reads, at once -------------------------------------------------------------------
    def prefetch(self, requests: Iterable[CommandRequest], *, lock_stream: bool = False) -> None:
        """Read what ``requests`` will look up, in one round trip on PostgreSQL; with ``lock_stream``
        also lock the stream row (after the cases, the order every writer locks them in)."""
        requests = list(requests)
        pg = self.fast.pg
        keys = {(r.actor.id, r.client_id, r.id) for r in requests}
        nodes = sorted({r.args.node for r in requests
                        if r.action == Action.REPORT and isinstance(r.args.node, str)} - self.levels.keys())
        case_ids = sorted({r.case_id for r in requests if isinstance(r.case_id, str) and r.case_id}
                          - self.cases.keys())
        sent = []
        users, clients, ids = {k[0] for k in keys}, {k[1] for k in keys}, {k[2] for k in keys}
        params = {**_numbered("u", users), **_numbered("c", clients), **_numbered("i", ids)}
        sent.append(self.fast.send(dialect_sql(
            "SELECT user_id, client_id, command_id, request_hash, answer FROM command_log "
            f"WHERE user_id IN ({_marks('u', users)}) AND client_id IN ({_marks('c', clients)}) "
            f"AND command_id IN ({_marks('i', ids)})", pg), params))
        if nodes:
            sent.append(self.fast.send(dialect_sql(
                f"SELECT code, level, geometry FROM nodes WHERE code IN ({_marks('n', nodes)})", pg),
                _numbered("n", nodes)))
            if self.any_node is None:
                sent.append(self.fast.send(self.fast.sql["any_node"], {}))
        if case_ids:  # locked in id order: two hubs' batches never wait on each other crosswise
            sent.append(self.fast.send(dialect_sql(
                f"SELECT id, body FROM cases WHERE id IN ({_marks('k', case_ids)}) ORDER BY id", pg, lock=True),
                _numbered("k", case_ids)))
        if lock_stream and self.stream is None:
            sent.append(self.fast.send(self.fast.sql["lock_stream"], {}))
        results = iter([self.fast.rows(cur) for cur in sent])
        found = {(r[0], r[1], r[2]): (r[3], r[4]) for r in next(results)}
        for key in keys:
            self.answers.setdefault(key, found.get(key))
        if nodes:
            by_code = {r[0]: (int(r[1]), r[2]) for r in next(results)}
            for code in nodes:
                level, geometry = by_code.get(code, (None, None))
                self.levels[code] = level
                self.geometry[code] = geometry
            if self.any_node is None:
                self.any_node = bool(next(results))
        if case_ids:
            bodies = {r[0]: r[1] for r in next(results)}
            self.cases.update({case_id: bodies.get(case_id) for case_id in case_ids})
        if lock_stream and self.stream is None:
            row = next(results)[0]
            self.stream = [int(row[0]), int(row[1]), row[2]]

    # ---- lookups ------------------------------------------------------------------------------------
    def stored_answer(self, key: AnswerKey) -> tuple[str, str] | None:
        """(request_hash, answer JSON) logged for this command, by this transaction or before."""
        found = self.answers.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            row = self.fast.one("stored_answer", {"user": key[0], "client": key[1], "command": key[2]})
            found = None if row is None else (row[0], row[1])
            if self.keep:
                self.answers[key] = found
        return found

    def case_locked(self, case_id: str) -> str | None:
        """The case's body as stored, its row locked until commit (FOR UPDATE on PostgreSQL)."""
        body = self.cases.get(case_id, _UNKNOWN)
        if body is _UNKNOWN:
            row = self.fast.one("load_case", {"case_id": case_id})
            body = None if row is None else row[0]
            if self.keep:
                self.cases[case_id] = body
        return body

    def case_read(self, case_id: str) -> str | None:
        """The case's body as this transaction sees it, without locking it."""
        body = self.cases.get(case_id, _UNKNOWN)
        if body is _UNKNOWN:
            row = self.fast.one("read_case", {"case_id": case_id})
            body = None if row is None else row[0]  # not kept: a later locked read must read again
        return body

    def node_level(self, code: str) -> int | None:
        """The level of a node of the directory, or None when it is not there."""
        found = self.levels.get(code, _UNKNOWN)
        if found is _UNKNOWN:
            row = self.fast.one("node_level", {"code": code})
            found = None if row is None else int(row[0])
            if self.keep:
                self.levels[code] = found
        return found

    def node_geometry(self, code: str) -> str | None:
        """The node's outline (GeoJSON), or None."""
        found = self.geometry.get(code, _UNKNOWN)
        if found is _UNKNOWN:
            row = self.fast.one("node_geometry", {"code": code})
            found = None if row is None else row[0]
            if self.keep:
                self.geometry[code] = found
        return found

    def has_nodes(self) -> bool:
        """Whether a node directory has been imported at all."""
        if self.any_node is None:
            found = self.fast.one("any_node") is not None
            if not self.keep:
                return found
            self.any_node = found
        return self.any_node

    # ---- numbering ----------------------------------------------------------------------------------
    def next_case_no(self) -> int:
        """The next case number (locks the stream row, as numbering events will)."""
        if not self.keep:
            row = self.fast.one("next_case_no")
            assert row is not None  # the stream table always holds its one row (id = 1)
            return int(row[0])
        return int(self._stream()[1])

    def take(self, n: int, numbered: int) -> tuple[int, str]:
        """Take ``n`` seqs and ``numbered`` case numbers: (the new head, the epoch)."""
        if not self.keep:
            row = self.fast.one("take_seqs", {"n": n, "numbered": numbered})
            assert row is not None  # UPDATE ... RETURNING on the one stream row (id = 1)
            return int(row[0]), row[1]
        stream = self._stream()
        stream[0] += n
        stream[1] += numbered
        self.taken = self.taken or bool(n or numbered)
        return stream[0], stream[2]

    def _stream(self) -> list[Any]:
        if self.stream is None:
            row = self.fast.one("lock_stream")
            assert row is not None  # the stream table always holds its one row (id = 1)
            self.stream = [int(row[0]), int(row[1]), row[2]]
        return self.stream

    # ---- writes -------------------------------------------------------------------------------------
    def wrote(self, case_id: str, body: str) -> None:
        """The transaction stored this body for the case (later commands read it from here)."""
        if self.keep:
            self.cases[case_id] = body

    def logged(self, key: AnswerKey, request_hash: str, answer: str) -> None:
        if self.keep:
            self.answers[key] = (request_hash, answer)

    def published(self, head: int) -> None:
        """Events up to ``head`` were written: wake the other hubs (once, at the end, when kept)."""
        if self.notify and not self.keep:
            self.fast.run("notify", {"channel": NOTIFY_CHANNEL, "payload": str(head)})

    def finish(self) -> None:
        """Write the stream row back and notify once; the last statements before commit."""
        if self.stream is None or not self.taken:
            return
        head = self.stream[0]
        self.fast.run("set_stream", {"head": head, "next": self.stream[1]})
        if self.notify:
            self.fast.run("notify", {"channel": NOTIFY_CHANNEL, "payload": str(head)})


def current(conn: Connection, notify: bool) -> CommandTx:
    """The CommandTx of ``conn``'s open :func:`transaction`, else one that keeps nothing."""
    tx = conn.info.get(_KEY)
    return tx if tx is not None else CommandTx(conn, notify, keep=False)


@contextlib.contextmanager
def transaction(conn: Connection, notify: bool, requests: Iterable[CommandRequest] = ()) -> Iterator[CommandTx]:
    """Commands run in the block share one CommandTx; ``requests`` are prefetched. Leave the block
    before the caller commits: its end writes the stream row, notifies and waits for the pipeline.

    A batch (more than one request) locks the stream row with its lookups, saving a round trip; a
    single command locks it when it first needs a number, so a retry or a refusal leaves it free.
    """
    if conn.info.get(_KEY) is not None:
        raise RuntimeError("a command transaction is already open on this connection")
    tx = CommandTx(conn, notify, keep=True)
    conn.info[_KEY] = tx
    try:
        with tx.fast.pipelined():
            requests = list(requests)
            if requests:
                tx.prefetch(requests, lock_stream=len(requests) > 1)
            yield tx
            tx.finish()
    finally:
        conn.info.pop(_KEY, None)


def _numbered(prefix: str, values: Iterable[str]) -> dict[str, str]:
    return {f"{prefix}{i}": v for i, v in enumerate(sorted(values))}


def _marks(prefix: str, values: Iterable[Any]) -> str:
    return ", ".join(f":{prefix}{i}" for i in range(len(list(values))))
