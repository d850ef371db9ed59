"""The client's side of the grid's own work: queries and commands as Futures of their results.

Requests ride the client's lookup channel (sent again after a reconnect until answered;
commands are idempotent on the hub by their id, so a resend records nothing twice).
"""

from __future__ import annotations

import uuid
from concurrent.futures import Future

from backend_client.answers import answered
from domain import protocol as p
from domain.gridwork import wire as gw


class GridworkFailed(Exception):
    def __init__(self, code: p.ErrorCode, message: str) -> None:
        super().__init__(f"{code.value}: {message}")
        self.code, self.message = code, message


class Gridwork:
    """``Gridwork(client).portrait(scope)`` → a Future of ``gw.PortraitView`` (or GridworkFailed)."""

    def __init__(self, client) -> None:
        self.client = client

    def _send(self, msg) -> Future:
        return answered(self.client.request_gridwork(msg), lambda answer: answer.result, GridworkFailed)

    def query(self, query) -> Future:
        return self._send(p.GridworkQuery(id=uuid.uuid4().hex, query=query))

    def command(self, op) -> Future:
        return self._send(p.GridworkCommand(id=uuid.uuid4().hex, op=op))

    # ---- shorthands --------------------------------------------------------------------------
    def portrait(self, scope: str) -> Future:
        return self.query(gw.PortraitQuery(scope=scope))

    def visit_queue(self, scope: str, overdue_only: bool = False) -> Future:
        return self.query(gw.VisitQueueQuery(scope=scope, overdue_only=overdue_only))

    def meeting_log(self, scope: str, year: int | None = None) -> Future:
        return self.query(gw.MeetingLogQuery(scope=scope, year=year))

    def patrols(self, scope: str, day: str | None = None) -> Future:
        return self.query(gw.PatrolQuery(scope=scope, day=day))

    def roster(self, scope: str) -> Future:
        return self.query(gw.RosterQuery(scope=scope))

    def log_visit(self, person_id: str, notes: str = "", problem: gw.ProblemIn | None = None) -> Future:
        return self.command(gw.LogVisit(person_id=person_id, notes=notes, problem=problem))
