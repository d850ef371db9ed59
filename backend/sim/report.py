"""`gridcc-hub report day`: a day's figures from the database, each next to its calibration target.

Everything comes from the same SQL aggregation as every other report
(``backend.reports.query``, definitions in ``domain.indicators`` and docs/indicators.md),
never from the simulator's counters, so the same report judges a simulated day and a real
one. The day D runs 00:00–24:00 CST; "as of" is the latest event in the database unless
given, so a finished simulated day is judged when the run stopped.

Calibration rows: 上报数 (items), 按期结案率 (on time over the cases due that day),
就地解决率, and 超期数 over 应结案数 (breach share); per department the load: cases
dispatched (of the day's reports), due, on time, and open past the deadline now.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlalchemy import func, select

from backend.reports.query import counts_by
from backend.store.models import CaseEventRow
from domain import periods
from domain.indicators import Counts, value

CST = periods.CST
DAY = periods.DAY

TARGET_ITEMS = 9000
TARGET_ON_TIME = 0.95
TARGET_BREACH_MAX = 0.05


class DepartmentLoad(msgspec.Struct, frozen=True):
    code: str
    name: str
    dispatched: int
    due: int
    on_time: int
    overdue_open: int


class DayReport(msgspec.Struct, frozen=True):
    date: str
    start: float
    end: float
    as_of: float
    counts: Counts
    overdue_alarms: int
    departments: list[DepartmentLoad]

    @property
    def items(self) -> int:
        return self.counts.reported

    @property
    def on_time_rate(self) -> float | None:
        return value(self.counts, "on_time_rate")

    @property
    def close_rate(self) -> float | None:
        return value(self.counts, "close_rate")

    @property
    def self_resolved_rate(self) -> float | None:
        return value(self.counts, "self_resolved_rate")

    @property
    def breach_share(self) -> float | None:
        c = self.counts
        return c.late / c.due if c.due else None


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"--date must be a date YYYY-MM-DD, got {text!r}") from None


def day_bounds(date: dt.date) -> tuple[float, float]:
    p = periods.period_on("day", date)
    return p.start, p.end


def latest_event_time(store) -> float | None:
    with store.engine.connect() as conn:
        return conn.execute(select(func.max(CaseEventRow.at))).scalar()


def day_report(store, date: dt.date, as_of: float | None = None, department_names: dict | None = None,
               node: str = "") -> DayReport:
    """The figures of ``date`` (CST) under ``node`` as of ``as_of`` (default: the latest event stored)."""
    start, end = day_bounds(date)
    if as_of is None:
        as_of = latest_event_time(store) or end
    with store.engine.connect() as conn, conn.begin():
        total = counts_by(conn, node, start, end, as_of).get(node, Counts())
        by_dept = counts_by(conn, node, start, end, as_of, "department")
        alarms = conn.execute(
            select(func.count()).select_from(CaseEventRow)
            .where(CaseEventRow.kind == "sla_overdue", CaseEventRow.at >= start, CaseEventRow.at < end,
                   CaseEventRow.node.startswith(node))
        ).scalar_one()
    names = department_names or {}
    departments = [DepartmentLoad(code=c, name=names.get(c, c), dispatched=k.dispatched, due=k.due, on_time=k.on_time,
                                  overdue_open=k.overdue_open)
                   for c, k in sorted(by_dept.items(), key=lambda item: (-item[1].dispatched, item[0]))]
    return DayReport(date=date.isoformat(), start=start, end=end, as_of=as_of, counts=total,
                     overdue_alarms=int(alarms), departments=departments)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISS")


def format_report(r: DayReport, target_items: int = TARGET_ITEMS) -> str:
    as_of = dt.datetime.fromtimestamp(r.as_of, CST).strftime("%Y-%m-%d %H:%M")
    c = r.counts
    o, s, b = r.on_time_rate, r.self_resolved_rate, r.breach_share
    rows = [
        ("上报数 items reported", f"{c.reported:,}", f"{target_items:,} ±10%",
         abs(c.reported - target_items) <= 0.1 * target_items, f"{c.received:,} received, {c.accepted:,} 立案"),
        ("按期结案率 on time", _pct(o), f"≥ {_pct(TARGET_ON_TIME)}", None if o is None else o >= TARGET_ON_TIME,
         f"{c.on_time:,} of {c.due:,} 应结案 (due that day)"),
        ("结案率 closure", _pct(r.close_rate), "", None, f"{c.closed:,} of {c.accepted:,} 立案 closed"),
        ("就地解决率 on the spot", _pct(s), "10–30%",
         None if s is None else 0.10 <= s <= 0.30, f"{c.self_resolved:,} of {c.received:,} received"),
        ("超期数 late (of due)", _pct(b), f"≤ {_pct(TARGET_BREACH_MAX)}",
         None if b is None else b <= TARGET_BREACH_MAX, f"{c.late:,} late; {r.overdue_alarms:,} alarms"),
    ]
    lines = [f"Day report {r.date} (CST), as of {as_of}", "",
             f"{'figure':<26}{'value':>10}  {'target':<14}{'':<6}detail"]
    for name, val, target, ok, detail in rows:
        lines.append(f"{name:<26}{val:>10}  {target:<14}{_mark(ok):<6}{detail}")
    lines += ["", "Load per department", f"{'department':<20}{'dispatched':>11}{'due':>7}{'on time':>9}"
              f"{'overdue':>9}"]
    for d in r.departments:
        label = f"{d.name} ({d.code})"
        lines.append(f"{label:<20}{d.dispatched:>11,}{d.due:>7,}{d.on_time:>9,}{d.overdue_open:>9,}")
    return "\n".join(lines)
