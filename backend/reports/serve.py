"""The hub's answer to ``report_request``: jurisdiction first, then the SQL report in chunks."""

from __future__ import annotations

from backend.reports.service import DEFAULT_GROUPS, build_report
from backend.store import Store
from domain import periods
from domain import protocol as p
from domain.model import Actor
from domain.permissions import can_subscribe
from domain.reporting import REPORT_CHUNK_ROWS, ReportTable, split_rows

#: Longest custom period a hub answers (a year and a day).
MAX_CUSTOM_SECONDS = 367 * 86400.0


def _period(msg: p.ReportRequest) -> periods.Period:
    if msg.period is periods.PeriodKind.CUSTOM:
        if msg.end is None:
            raise ValueError("a custom period needs an end")
        if not 0 < msg.end - msg.start <= MAX_CUSTOM_SECONDS:
            raise ValueError("a custom period runs forward, at most 367 days")
        return periods.Period(periods.PeriodKind.CUSTOM, msg.start, msg.end)
    if msg.end is not None:
        raise ValueError(f"a {msg.period.value} period takes no end")
    return periods.period_of(msg.period, msg.start)


def report_frames(store: Store, now: float, actor: Actor, msg: p.ReportRequest, rows_per_frame: int = REPORT_CHUNK_ROWS
                  ) -> list[p.ServerMessage]:
    """Runs on the hub's read pool. An Error when the node is out of scope, unknown or the period bad."""
    def error(code: p.ErrorCode, message: str) -> list[p.ServerMessage]:
        return [p.Error(code=code, message=message, ref=msg.request_id)]

    if not can_subscribe(actor, msg.node):
        return error(p.ErrorCode.FORBIDDEN, f"node {msg.node} is outside your jurisdiction {actor.scope}")
    if msg.node and store.node(msg.node) is None:
        return error(p.ErrorCode.NOT_FOUND, f"node {msg.node} does not exist")
    try:
        period = _period(msg)
        with store.engine.connect() as conn, conn.begin():
            data = build_report(conn, msg.node, period, now, msg.group_by or DEFAULT_GROUPS)
    except ValueError as exc:
        return error(p.ErrorCode.INVALID, str(exc))
    pieces: list[list[ReportTable]] = [[piece] for table in data.tables
                                       for piece in split_rows(table, rows_per_frame)] or [[]]
    return [
        p.Report(request_id=msg.request_id, chunk=i, chunks=len(pieces), node=data.node, node_name=data.node_name,
                 period=data.period, as_of=data.as_of, total=data.total, previous_total=data.previous_total,
                 tables=piece)
        for i, piece in enumerate(pieces)
    ]

