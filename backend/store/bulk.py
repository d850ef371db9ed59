"""Many commands in one write transaction, each through exactly the store's per-command code.

The simulator fast-forwards a day of ~50,000 commands; one transaction (one fsync, one
BEGIN IMMEDIATE) per command would dominate. A :class:`Batch` runs
``backend.store.commands.execute`` — the same function ``Store.execute`` runs, with the
same command log, version check, lifecycle, event numbering — on one connection and
commits when the ``with`` block ends. Nothing here writes a table directly.

A batch holds the database's write lock while it is open, so keep batches short (the
simulator commits every simulated minute or every few hundred commands).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from sqlalchemy.engine import Connection

from backend.store import command_tx, commands
from domain.commands import CommandRequest
from domain.model import Action, Case
from domain.protocol import FeedEvent
from domain.rules import Rules


class Batch:
    """Commands sharing one open write transaction; see :func:`batch`."""

    def __init__(self, conn: Connection, notify: bool, tx: command_tx.CommandTx) -> None:
        self._conn = conn
        self._notify = notify
        self._tx = tx
        self.commands = 0

    def execute(self, request: CommandRequest, now: float, rules: Rules) -> commands.Answer:
        """Like ``Store.execute``: returns the CommandAck or CommandError, logged for retries."""
        if not request.client_id or not request.id:
            raise ValueError("client_id and command_id must be non-empty")
        self.commands += 1
        return commands.execute(self._conn, self._notify, request, now, rules)

    def system_apply(self, case_id: str, action: Action, now: float, rules: Rules) -> list[FeedEvent]:
        """Like ``Store.system_apply`` (an SLA tick), inside this batch."""
        return commands.system_apply(self._conn, self._notify, case_id, action, now, rules)

    def collecting(self) -> contextlib.AbstractContextManager[list[FeedEvent]]:
        """The feed events this batch writes inside the block (``commands.collecting``)."""
        return commands.collecting(self._conn)

    def case(self, case_id: str) -> Case | None:
        """The case as this transaction sees it (including this batch's own changes)."""
        body = self._tx.case_read(case_id)
        return None if body is None else commands._case_decoder.decode(body)


@contextlib.contextmanager
def batch(store, requests: Iterable[CommandRequest] = ()) -> Iterator[Batch]:
    """Open one write transaction on ``store``; commit on leaving, roll back on an exception.

    ``requests``, when the caller knows them, are looked up ahead at once (``command_tx``).
    """
    notify = store.dialect == "postgresql"
    with store._write() as conn, command_tx.transaction(conn, notify, requests) as tx:
        yield Batch(conn, notify, tx)
