"""What a period report holds, as it travels from the hub and into files: tables of counts per unit.

A report is a period, a node, the total counts (and the previous period's, for the trend),
and one table per grouping (street, community, grid, department, grid worker), each row a
unit's counts with its 综合评价 score and rank. Rates are never stored: they are derived
from the counts by ``domain.indicators.value`` wherever they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import msgspec

from domain.indicators import BY_KEY, INDICATORS, Counts, values
from domain.periods import Period, PeriodKind

#: Rows per table in one ``report`` frame; a table longer than this spans frames.
REPORT_CHUNK_ROWS = 1000

GROUP_LABELS = {  # 数字城管 wording for each grouping
    "": "合计",
    "district": "区",
    "street": "街道",
    "community": "社区",
    "grid": "网格",
    "department": "部门",
    "grid_worker": "网格员",
}


class ReportRow(msgspec.Struct, frozen=True, omit_defaults=True):
    key: str  # node code, department code or grid worker id
    name: str
    counts: Counts
    score: float | None = None  # 综合评价
    rank: int | None = None  # None: too few cases to rank
    previous_score: float | None = None  # the same unit's score in the previous period


class ReportTable(msgspec.Struct, frozen=True):
    group_by: str
    rows: list[ReportRow]


class ReportData(msgspec.Struct, frozen=True):
    node: str
    node_name: str
    period: Period
    as_of: float
    total: Counts
    previous_total: Counts
    tables: list[ReportTable] = []

    def table(self, group_by: str) -> ReportTable | None:
        return next((t for t in self.tables if t.group_by == group_by), None)

    @property
    def label(self) -> str:
        return self.period.label


def split_rows(table: ReportTable, size: int = REPORT_CHUNK_ROWS) -> list[ReportTable]:
    """``table`` in pieces of at most ``size`` rows (at least one piece, maybe empty)."""
    if size < 1:
        raise ValueError(f"size must be at least 1, got {size}")
    rows = table.rows
    return [ReportTable(table.group_by, rows[i:i + size]) for i in range(0, len(rows), size)] or [table]


def join_tables(pieces: list[ReportTable]) -> list[ReportTable]:
    """Inverse of ``split_rows`` over several tables: pieces of the same grouping, in order."""
    out: dict[str, list[ReportRow]] = {}
    for piece in pieces:
        out.setdefault(piece.group_by, []).extend(piece.rows)
    return [ReportTable(g, rows) for g, rows in out.items()]


# ---- the table every screen and file shows --------------------------------------------------
#: (key, heading, kind); kind is "text", "int", "rate" (0..1), "hours" or "score". Indicator keys
#: are those of ``domain.indicators``; the rest are the assessment's.
ROW_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("rank", "排名", "int"),
    ("name", "名称", "text"),
    ("score", "综合评价", "score"),
    ("trend", "较上期", "score"),
    *((i.key, i.zh + ("(小时)" if i.kind == "hours" else ""), "int" if i.kind == "count" else i.kind)
      for i in INDICATORS),
)
#: The figures of the summary table, in order (with the previous period and the change beside them).
SUMMARY_KEYS: tuple[str, ...] = ("reported", "accepted", "accept_rate", "dispatched", "dispatch_accuracy", "due",
                                 "on_time", "on_time_rate", "closed", "close_rate", "late", "overdue_open",
                                 "handle_hours", "close_hours", "rework_rate", "extension_rate", "return_rate",
                                 "supervised", "supervision_rate", "self_resolved_rate")


Cell = str | int | float | None


def row_values(row: ReportRow) -> list[Cell]:
    """One table row as plain values in ``ROW_COLUMNS`` order (None where there is no value)."""
    trend = None if row.score is None or row.previous_score is None else round(row.score - row.previous_score, 2)
    fixed: dict[str, Cell] = {"rank": row.rank, "name": row.name, "score": row.score, "trend": trend}
    figures = values(row.counts)
    return [fixed[key] if key in fixed else figures[key] for key, _, _ in ROW_COLUMNS]


def summary_rows(data: ReportData) -> list[tuple[str, str, float | None, float | None]]:
    """(heading, kind, this period, previous period) for each summary figure."""
    now, before = values(data.total), values(data.previous_total)
    out = []
    for k in SUMMARY_KEYS:
        ind = BY_KEY[k]
        heading = ind.zh + ("(小时)" if ind.kind == "hours" else "")
        out.append((heading, "int" if ind.kind == "count" else ind.kind, now[k], before[k]))
    return out


def format_value(v: Cell, kind: str) -> str:
    """How a value reads on screen and in text files: 1,234 · 95.2% · 3.5 · —."""
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if kind == "int":
        return f"{int(v):,}"
    if kind == "rate":
        return f"{100 * v:.1f}%"
    if kind in ("hours", "score"):
        return f"{v:.1f}"
    return str(v)


class ReportFrame(Protocol):
    """What ``assemble`` reads of a ``domain.messages.Report`` (which imports this module).

    Read-only members, so the frozen message matches.
    """

    @property
    def request_id(self) -> str: ...

    @property
    def chunk(self) -> int: ...

    @property
    def chunks(self) -> int: ...

    @property
    def node(self) -> str: ...

    @property
    def node_name(self) -> str: ...

    @property
    def period(self) -> Period: ...

    @property
    def as_of(self) -> float: ...

    @property
    def total(self) -> Counts: ...

    @property
    def previous_total(self) -> Counts: ...

    @property
    def tables(self) -> list[ReportTable]: ...


def assemble(received: Iterable[ReportFrame]) -> ReportData:
    """The ``ReportData`` of a complete ``report`` answer: every frame (``domain.messages.Report``), any order."""
    frames = sorted(received, key=lambda f: f.chunk)
    if not frames:
        raise ValueError("no report frames")
    first = frames[0]
    if [f.chunk for f in frames] != list(range(first.chunks)):
        raise ValueError(f"report {first.request_id}: have chunks {[f.chunk for f in frames]} of {first.chunks}")
    return ReportData(node=first.node, node_name=first.node_name, period=first.period, as_of=first.as_of,
                      total=first.total, previous_total=first.previous_total,
                      tables=join_tables([t for f in frames for t in f.tables]))


__all__ = ["REPORT_CHUNK_ROWS", "GROUP_LABELS", "ReportRow", "ReportTable", "ReportData", "Period", "PeriodKind",
           "split_rows", "join_tables", "assemble", "ROW_COLUMNS",
           "SUMMARY_KEYS", "row_values", "summary_rows", "format_value"]
