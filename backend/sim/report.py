"""`gridcc-hub report day`: a day's figures from the database, each next to its target.

Everything is computed from the cases and case_events tables — never from the
simulator's counters — so the same report judges a simulated day and a real one.

Definitions (day D = 00:00–24:00 China Standard Time; "as of" = the latest event in the
database unless given, so a finished simulated day is judged when the run stopped):

* items: cases reported during D.
* due that day (应办结): a case is due on the day its SLA deadline falls (after any
  extension); a case that never got an SLA clock — fixed on the spot, or never
  dispatched — is due on the day it was reported. Rejected and merged reports are not
  received and never due. This makes the completion rate meaningful for a single day:
  a case reported at 16:00 with five working days to go is not yet judged, a case whose
  two-hour limit ran out at 15:00 is.
* completion rate (办结率): of the cases due on D, the share closed by "as of".
* on-time rate (按期结案率): of the cases closed during D, the share resolved by their deadline.
* self-resolved share: of the grid workers' own reports on D, the share fixed on the spot.
* overdue: cases due on D that breached their deadline (resolved late, or still open past
  it), and the SLA overdue alarms raised during D.
* load per department: cases dispatched to it during D, resolved by it during D, and open
  with it now.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlalchemy import and_, func, or_, select

from backend.store.feed import decode_cases, decode_events
from backend.store.models import CaseEventRow, CaseRow
from domain.kpi import was_self_resolved
from domain.model import OPEN_STATES, Source, State

CST = dt.timezone(dt.timedelta(hours=8))
DAY = 86400.0
_NOT_RECEIVED = frozenset({State.REJECTED, State.MERGED})

TARGET_ITEMS = 9000
TARGET_COMPLETION = 0.99
TARGET_ON_TIME = 0.95
TARGET_SELF_RESOLVED = 0.20
TARGET_BREACH_MAX = 0.05


class DepartmentLoad(msgspec.Struct, frozen=True):
    code: str
    name: str
    dispatched: int
    resolved: int
    open: int
    overdue_open: int


class DayReport(msgspec.Struct, frozen=True):
    date: str
    start: float
    end: float
    as_of: float
    items: int
    received: int
    due: int
    due_closed: int
    closed: int
    closed_on_time: int
    grid_worker_reports: int
    self_resolved_gw: int
    self_resolved: int
    breached: int
    overdue_alarms: int
    departments: list[DepartmentLoad]

    @property
    def completion_rate(self) -> float | None:
        return self.due_closed / self.due if self.due else None

    @property
    def on_time_rate(self) -> float | None:
        return self.closed_on_time / self.closed if self.closed else None

    @property
    def self_resolved_share(self) -> float | None:
        return self.self_resolved_gw / self.grid_worker_reports if self.grid_worker_reports else None

    @property
    def breach_share(self) -> float | None:
        return self.breached / self.due if self.due else None


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"--date must be a date YYYY-MM-DD, got {text!r}") from None


def day_bounds(date: dt.date) -> tuple[float, float]:
    start = dt.datetime.combine(date, dt.time(0, 0), CST).timestamp()
    return start, start + DAY


def latest_event_time(store) -> float | None:
    with store.engine.connect() as conn:
        return conn.execute(select(func.max(CaseEventRow.at))).scalar()


def day_report(store, date: dt.date, as_of: float | None = None, department_names: dict | None = None
               ) -> DayReport:
    """The figures of ``date`` (CST) as of ``as_of`` (default: the latest event stored)."""
    start, end = day_bounds(date)
    if as_of is None:
        as_of = latest_event_time(store) or end
    with store.engine.connect() as conn:
        in_day = lambda col: and_(col >= start, col < end)  # noqa: E731
        bodies = conn.execute(
            select(CaseRow.body).where(or_(in_day(CaseRow.reported_at), in_day(CaseRow.deadline),
                                           in_day(CaseRow.closed_at), CaseRow.state.in_(_open_values())))
        ).scalars().all()
        alarms = conn.execute(
            select(func.count()).select_from(CaseEventRow)
            .where(CaseEventRow.kind == "sla_overdue", in_day(CaseEventRow.at))
        ).scalar_one()
        dispatch_bodies = conn.execute(
            select(CaseEventRow.body).where(CaseEventRow.kind.in_(("dispatch", "resolve")), in_day(CaseEventRow.at))
        ).scalars().all()
    cases = decode_cases(list(bodies))
    n = dict.fromkeys(("items", "received", "due", "due_closed", "closed", "closed_on_time", "gw", "self_gw",
                       "self_all", "breached"), 0)
    open_by_dept: dict[str, list[int]] = {}
    for case in cases:
        reported_today = start <= case.reported_at < end
        received = case.state not in _NOT_RECEIVED
        if reported_today:
            n["items"] += 1
            if received:
                n["received"] += 1
                n["self_all"] += was_self_resolved(case)
                if case.source is Source.GRID_WORKER:
                    n["gw"] += 1
                    n["self_gw"] += was_self_resolved(case)
        if received and _due_on(case, start, end):
            n["due"] += 1
            n["due_closed"] += case.state is State.CLOSED and case.closed_at is not None and case.closed_at <= as_of
            n["breached"] += _breached(case, as_of)
        if case.closed_at is not None and start <= case.closed_at < end and case.state is State.CLOSED:
            n["closed"] += 1
            n["closed_on_time"] += bool(case.closed_on_time)
        if case.state in OPEN_STATES and case.department:
            row = open_by_dept.setdefault(case.department, [0, 0])
            row[0] += 1
            row[1] += case.sla_state.value == "overdue"
    dispatched: dict[str, int] = {}
    resolved: dict[str, int] = {}
    for fe in decode_events(list(dispatch_bodies)):
        if fe.event.kind.value == "dispatch":
            dept = str(fe.event.detail.get("department") or fe.case.department)
            dispatched[dept] = dispatched.get(dept, 0) + 1
        elif fe.case.department:
            resolved[fe.case.department] = resolved.get(fe.case.department, 0) + 1
    names = department_names or {}
    codes = sorted(set(dispatched) | set(resolved) | set(open_by_dept), key=lambda c: (-dispatched.get(c, 0), c))
    departments = [
        DepartmentLoad(code=c, name=names.get(c, c), dispatched=dispatched.get(c, 0), resolved=resolved.get(c, 0),
                       open=open_by_dept.get(c, [0, 0])[0], overdue_open=open_by_dept.get(c, [0, 0])[1])
        for c in codes
    ]
    return DayReport(
        date=date.isoformat(), start=start, end=end, as_of=as_of, items=n["items"], received=n["received"],
        due=n["due"], due_closed=n["due_closed"], closed=n["closed"], closed_on_time=n["closed_on_time"],
        grid_worker_reports=n["gw"], self_resolved_gw=n["self_gw"], self_resolved=n["self_all"],
        breached=n["breached"], overdue_alarms=int(alarms), departments=departments,
    )


def _open_values() -> list[str]:
    return sorted(s.value for s in OPEN_STATES)


def _due_on(case, start: float, end: float) -> bool:
    if case.deadline is not None:
        return start <= case.deadline < end
    return start <= case.reported_at < end


def _breached(case, as_of: float) -> bool:
    if case.deadline is None:
        return False
    if case.resolved_at is not None:
        return case.resolved_at > case.deadline
    if case.state is State.CLOSED:
        return not case.closed_on_time
    return case.state in OPEN_STATES and as_of > case.deadline


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISS")


def format_report(r: DayReport, target_items: int = TARGET_ITEMS) -> str:
    as_of = dt.datetime.fromtimestamp(r.as_of, CST).strftime("%Y-%m-%d %H:%M")
    c, o, s, b = r.completion_rate, r.on_time_rate, r.self_resolved_share, r.breach_share
    rows = [
        ("items reported", f"{r.items:,}", f"{target_items:,} ±10%",
         abs(r.items - target_items) <= 0.1 * target_items, f"{r.received:,} received"),
        ("completion (due that day)", _pct(c), f"{_pct(TARGET_COMPLETION)} ±1", None if c is None else
         abs(c - TARGET_COMPLETION) <= 0.01, f"{r.due_closed:,} of {r.due:,} due closed"),
        ("on-time closure", _pct(o), f"≥ {_pct(TARGET_ON_TIME)}", None if o is None else o >= TARGET_ON_TIME,
         f"{r.closed_on_time:,} of {r.closed:,} closed"),
        ("self-resolved (grid workers)", _pct(s), f"~{_pct(TARGET_SELF_RESOLVED)}",
         None if s is None else 0.15 <= s <= 0.25, f"{r.self_resolved:,} of all received"),
        ("overdue (due that day)", _pct(b), f"≤ {_pct(TARGET_BREACH_MAX)}",
         None if b is None else b <= TARGET_BREACH_MAX, f"{r.breached:,} breached; {r.overdue_alarms:,} alarms"),
    ]
    lines = [f"Day report {r.date} (CST), as of {as_of}", "",
             f"{'figure':<30}{'value':>10}  {'target':<14}{'':<6}detail"]
    for name, value, target, ok, detail in rows:
        lines.append(f"{name:<30}{value:>10}  {target:<14}{_mark(ok):<6}{detail}")
    lines += ["", "Load per department", f"{'department':<20}{'dispatched':>11}{'resolved':>10}{'open':>7}"
              f"{'overdue':>9}"]
    for d in r.departments:
        label = f"{d.name} ({d.code})"
        lines.append(f"{label:<20}{d.dispatched:>11,}{d.resolved:>10,}{d.open:>7,}{d.overdue_open:>9,}")
    return "\n".join(lines)
