"""The hub's command scheduler: connections take turns, and a batch of commands runs per trip
to the writer thread.

Each connection's waiting commands stay in the order it sent them. Connections take turns
(round-robin, one command per turn), so a flooding connection gets one turn like any other.
What changed at a thousand consoles: a turn used to be one command per trip off the loop and
back, and with the loop busy publishing, each trip waited behind the fan-out, so commands were
answered at a few dozen a second however idle the database was. Now one trip runs up to
``BATCH`` commands, taken in turn order, one after
the other on the writer thread in one transaction: one commit for the batch (a group commit;
on PostgreSQL one WAL flush instead of one per command). Should anything in the batch fail,
nothing of it is kept and each command runs again alone in its own transaction. An ack still
means that command was stored. The pump is woken once per batch. Two of these loops run, so
the writer always has the next batch queued; the writer is one thread, so batches run in the
order they were taken. A batch's events go to the pump as the writer stored them
(``Hub.commands_ran``, ``backend.committed``): it publishes them without reading them back.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from domain import protocol as p
from domain.commands import CommandRequest
from domain.model import Action

if TYPE_CHECKING:
    from backend.session import Session

log = logging.getLogger(__name__)
#: Commands run per trip to the writer thread. Within a batch connections take turns; a command
#: that arrives behind a flood waits for the batches already taken (two at most: 2 × BATCH).
BATCH = 32

FAILED = "the hub failed to run the command; nothing was stored, retry the same id"


def prepared(store, request: CommandRequest, trusted: bool = False) -> CommandRequest | p.CommandError:
    """``request`` ready for the store, or the answer that refuses it before the store.

    ``attach`` comes only from the evidence upload (``trusted``), which has checked the file. A
    report with a position and no grid gets the grid there first.
    """
    if request.action is Action.ATTACH and not trusted:
        return p.CommandError(command_id=request.id, code=p.ErrorCode.FORBIDDEN,
                              message="attachments are added by uploading the file over HTTP")
    if request.action is Action.REPORT and request.args.node is None and request.args.lon is not None:
        from backend.geometry_service import place_report

        return place_report(store, request)  # the grid at the reported position
    return request


def _failed(request: CommandRequest) -> p.CommandError:
    return p.CommandError(command_id=request.id, code=p.ErrorCode.INTERNAL, message=FAILED)


def run_command(store, rules, now: Callable[[], float], request: CommandRequest, trusted: bool = False):
    """Run one command on the writer thread; the CommandAck or CommandError to send. A store
    failure answers ``internal``: nothing was stored, so the same id may be retried."""
    try:
        ready = prepared(store, request, trusted)
        if isinstance(ready, p.CommandError):
            return ready
        return store.execute(ready, now(), rules)
    except Exception:
        log.exception("command %s of %s failed", request.id, request.actor.id)
        return _failed(request)


def run_commands(store, rules, now: Callable[[], float],
                 requests: list[CommandRequest]) -> tuple[list[Any], float, list[p.FeedEvent]]:
    """Run ``requests`` in order on the writer thread, in one transaction (``Store.execute_many``):
    (their answers, seconds taken, the events committed in seq order)."""
    started = time.perf_counter()
    committed: list[p.FeedEvent] = []
    answers: list[Any] = [None] * len(requests)
    ready: list[CommandRequest] = []
    where: list[int] = []
    for i, request in enumerate(requests):
        try:
            made = prepared(store, request)
        except Exception:
            log.exception("command %s of %s failed", request.id, request.actor.id)
            made = _failed(request)
        if isinstance(made, p.CommandError):
            answers[i] = made
        else:
            ready.append(made)
            where.append(i)
    if ready:
        for i, answer in zip(where, store.execute_many(ready, now, rules, committed), strict=True):
            answers[i] = answer if answer is not None else _failed(requests[i])
    return answers, time.perf_counter() - started, committed


class CommandRunner:
    """Sessions with commands waiting, in turn order, and the loops that serve them."""

    def __init__(self, hub) -> None:
        self.hub = hub
        self._ready: collections.deque[Session] = collections.deque()
        self._ready_set: set[Session] = set()
        self._wake = asyncio.Event()
        self.command_seconds = 0.005  # moving average of one command's run time, for retry_after
        self.batches = 0

    def __len__(self) -> int:
        return len(self._ready)

    def schedule(self, session: Session) -> None:
        """Give ``session`` a turn with the command writer (it has a command waiting)."""
        if session not in self._ready_set:
            self._ready_set.add(session)
            self._ready.append(session)
        self._wake.set()

    def unschedule(self, session: Session) -> None:
        """Forget a closed session's waiting commands (they were never run; the client retries them)."""
        session.pending.clear()
        if session in self._ready_set:
            self._ready_set.discard(session)
            self._ready.remove(session)

    def take(self, limit: int = BATCH) -> list[tuple[Session, CommandRequest]]:
        """Up to ``limit`` waiting commands in turn order: one per connection per turn."""
        out: list[tuple[Session, CommandRequest]] = []
        ready = self._ready
        while ready and len(out) < limit:
            session = ready.popleft()
            if not session.pending:  # nothing left (its connection closed meanwhile)
                self._ready_set.discard(session)
                continue
            out.append((session, session.pending.popleft()))
            if session.pending:
                ready.append(session)  # back of the line
            else:
                self._ready_set.discard(session)
        return out

    async def serve(self) -> None:
        """Take a batch, run it on the writer thread, answer each command; forever."""
        hub = self.hub
        while True:
            if not self._ready:
                self._wake.clear()
                await self._wake.wait()
                continue
            batch = self.take()
            if not batch:
                continue
            requests = [request for _, request in batch]
            try:
                answers, seconds, committed = await hub.write(run_commands, hub.store, hub.rules, hub.clock.now,
                                                              requests)
            except asyncio.CancelledError:
                raise
            except Exception:  # never let one batch stop the scheduler
                log.exception("running %d commands failed", len(requests))
                answers = [p.CommandError(command_id=r.id, code=p.ErrorCode.INTERNAL, message=FAILED)
                           for r in requests]
                seconds, committed = 0.0, []
            self.batches += 1
            self.command_seconds = 0.9 * self.command_seconds + 0.1 * (seconds / len(requests))
            hub.commands_ran(answers, committed)  # the pump publishes the events (backend.committed)
            for (session, _), answer in zip(batch, answers, strict=True):
                session.answered(answer)

    def wait(self, waiting: int) -> float:
        """A fair retry_after for a connection with ``waiting`` commands ahead of a new one."""
        busy = len(self._ready) + 1
        return round(max(0.05, waiting * busy * self.command_seconds), 3)


__all__ = ["BATCH", "CommandRunner", "run_command", "run_commands"]
