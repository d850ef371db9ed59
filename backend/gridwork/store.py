"""Reads and writes of the grid's own work, each one transaction on the hub store's engine.

Personal data leaves this module masked for the asking role (``domain.gridwork.masking``):
callers pass the role and never see what it may not. Figures are summed from the register
rows at read time, so a community's or street's portrait is always the sum of its grids.
"""

from __future__ import annotations

import calendar
import contextlib
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence

import msgspec
from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from backend.gridwork.tables import (
    CarePersonRow,
    CheckInRow,
    DutyRow,
    MatterRow,
    MeetingRow,
    RegisterGridRow,
    VisitRow,
    VisitTaskRow,
)
from backend.store.engine import WRITE_OPTION
from backend.store.models import CaseRow, GridWorkerRow, NodeRow
from domain.gridwork import wire as gw
from domain.gridwork.care import CARE_KEYS, DAY, next_due
from domain.gridwork.masking import mask_name, mask_person, may_see
from domain.gridwork.meetings import Attendee, Meeting, year_figures
from domain.gridwork.patrols import CheckIn, PatrolCoverage, coverage_of
from domain.gridwork.register import CarePerson, KeyPlace, PartyOrg, RegisterFigures, StaffMember, sum_figures
from domain.gridwork.visits import QUEUE_HORIZON_DAYS, RATE_WINDOW_DAYS, Visit, VisitRate, rate_of, task_view
from domain.hierarchy import CODE_LENGTHS, Level, level_of
from domain.model import OPEN_STATES, Role
from domain.periods import CST_OFFSET

_OPEN = sorted(s.value for s in OPEN_STATES)
_PUBLIC_ATTENDEES = frozenset({"grid_head", "grid_worker", "department", "property"})
_person = msgspec.json.Decoder(CarePerson)
_meeting = msgspec.json.Decoder(Meeting)
_visit = msgspec.json.Decoder(Visit)
_checkin = msgspec.json.Decoder(CheckIn)
_places = msgspec.json.Decoder(list[KeyPlace])
_party = msgspec.json.Decoder(PartyOrg)
_enc = msgspec.json.Encoder()


def cst_day(t: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(t + CST_OFFSET))


def cst_year(t: float) -> int:
    return time.gmtime(t + CST_OFFSET).tm_year


def cst_month(day: str) -> int:
    return int(day[5:7])


def year_bounds(year: int) -> tuple[float, float]:
    return (calendar.timegm((year, 1, 1, 0, 0, 0)) - CST_OFFSET,
            calendar.timegm((year + 1, 1, 1, 0, 0, 0)) - CST_OFFSET)


def _like(scope: str) -> str:
    return scope + "%"


def _child_len(scope: str) -> int:
    """Length of the codes one level below ``scope`` ("" → provinces)."""
    if not scope:
        return CODE_LENGTHS[0]
    return CODE_LENGTHS[int(level_of(scope)) + 1]


class RegisterGrid(msgspec.Struct, frozen=True):
    """One grid's register entry as imported (the people come separately)."""

    grid: str
    households: int
    residents: int
    buildings: int
    units: int
    businesses: int
    grid_head: str = ""
    key_places: list[KeyPlace] = []
    party: PartyOrg = PartyOrg()


class GridworkStore:
    def __init__(self, store) -> None:
        self.store = store
        self.engine = store.engine

    # ---- transactions -----------------------------------------------------------------------
    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    # ---- register ---------------------------------------------------------------------------
    def replace_register(self, grids: Sequence[RegisterGrid], people: Sequence[CarePerson], *, as_of: float,
                         source: str, now: float, first_due: dict[str, float] | None = None) -> tuple[int, int]:
        """Replace the register of ``grids`` (their figures and people) in one transaction.

        People already on the register keep their open visit task; new people get one due
        ``first_due[id]`` (default: one interval from ``now``); people gone lose theirs.
        Returns (grids, people) written.
        """
        codes = [g.grid for g in grids]
        with self._write() as conn:
            known = set()
            for i in range(0, len(codes), 500):
                part = codes[i:i + 500]
                known |= set(conn.execute(select(CarePersonRow.id).where(CarePersonRow.grid_code.in_(part))).scalars())
                conn.execute(delete(RegisterGridRow).where(RegisterGridRow.grid_code.in_(part)))
                conn.execute(delete(CarePersonRow).where(CarePersonRow.grid_code.in_(part)))
            if grids:
                conn.execute(insert(RegisterGridRow), [{
                    "grid_code": g.grid, "households": g.households, "residents": g.residents,
                    "buildings": g.buildings, "units": g.units, "businesses": g.businesses,
                    "party_members": g.party.members, "grid_head": g.grid_head,
                    "key_places": _enc.encode(g.key_places).decode(), "party": _enc.encode(g.party).decode(),
                    "data_as_of": as_of, "source": source} for g in grids])
            if people:
                conn.execute(insert(CarePersonRow), [{
                    "id": p.id, "grid_code": p.grid, "groups": ";".join(p.groups),
                    "frequency_days": p.frequency_days, "body": _enc.encode(p).decode()} for p in people])
            staying = {p.id for p in people}
            gone = sorted(known - staying)
            for i in range(0, len(gone), 500):
                conn.execute(delete(VisitTaskRow).where(VisitTaskRow.person_id.in_(gone[i:i + 500]),
                                                        VisitTaskRow.done_at.is_(None)))
            new = [p for p in people if p.id not in known]
            if new:
                workers = self._first_workers(conn, {p.grid for p in new})
                first_due = first_due or {}
                conn.execute(insert(VisitTaskRow), [{
                    "person_id": p.id, "grid_code": p.grid, "worker": workers.get(p.grid, ""),
                    "due_at": first_due.get(p.id, next_due(now, p.frequency_days)), "done_at": None,
                    "visit_id": None} for p in new])
        return len(grids), len(people)

    @staticmethod
    def _first_workers(conn: Connection, grids: set[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        listed = sorted(grids)
        for i in range(0, len(listed), 500):
            rows = conn.execute(select(GridWorkerRow.grid_code, GridWorkerRow.id)
                                .where(GridWorkerRow.grid_code.in_(listed[i:i + 500]))
                                .order_by(GridWorkerRow.grid_code, GridWorkerRow.full_time.desc(), GridWorkerRow.id))
            for grid, wid in rows:
                out.setdefault(grid, wid)
        return out

    def grid_codes(self) -> set[str]:
        with self._read() as conn:
            return set(conn.execute(select(NodeRow.code).where(NodeRow.level == int(Level.GRID))).scalars())

    def people_elsewhere(self, people: dict[str, str]) -> list[tuple[str, str]]:
        """(id, grid) of the given people already registered in a grid other than theirs here."""
        ids = sorted(people)
        clash = []
        with self._read() as conn:
            for i in range(0, len(ids), 500):
                for pid, grid in conn.execute(select(CarePersonRow.id, CarePersonRow.grid_code)
                                              .where(CarePersonRow.id.in_(ids[i:i + 500]))):
                    if grid != people[pid]:
                        clash.append((pid, grid))
        return clash

    def stamp_as_of(self, as_of: float) -> None:
        """Set the data-as-of time of every registered grid (a refresh of the whole register)."""
        with self._write() as conn:
            conn.execute(update(RegisterGridRow).values(data_as_of=as_of))

    def data_as_of(self, scope: str = "") -> float | None:
        with self._read() as conn:
            return conn.execute(select(func.min(RegisterGridRow.data_as_of))
                                .where(RegisterGridRow.grid_code.like(_like(scope)))).scalar()

    def person(self, person_id: str) -> CarePerson | None:
        with self._read() as conn:
            body = conn.execute(select(CarePersonRow.body).where(CarePersonRow.id == person_id)).scalar()
        return None if body is None else _person.decode(body)

    # ---- portrait ---------------------------------------------------------------------------
    def figures_by_grid(self, conn: Connection, scope: str) -> dict[str, RegisterFigures]:
        regs = conn.execute(select(RegisterGridRow.__table__).where(RegisterGridRow.grid_code.like(_like(scope))))
        care: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        people: dict[str, int] = defaultdict(int)
        rows = conn.execute(select(CarePersonRow.grid_code, CarePersonRow.groups, func.count())
                            .where(CarePersonRow.grid_code.like(_like(scope)))
                            .group_by(CarePersonRow.grid_code, CarePersonRow.groups))
        for grid, groups, n in rows:
            people[grid] += n
            for g in groups.split(";"):
                if g:
                    care[grid][g] += n
        workers = dict(conn.execute(select(GridWorkerRow.grid_code, func.count())
                                    .where(GridWorkerRow.grid_code.like(_like(scope)))
                                    .group_by(GridWorkerRow.grid_code)).all())
        out = {}
        for r in regs:
            places = len(_places.decode(r.key_places))
            out[r.grid_code] = RegisterFigures(
                grids=1, households=r.households, residents=r.residents, buildings=r.buildings, units=r.units,
                businesses=r.businesses, key_places=places, party_members=r.party_members,
                workers=workers.get(r.grid_code, 0),
                special_care={k: care[r.grid_code][k] for k in CARE_KEYS if care[r.grid_code].get(k)},
                care_people=people.get(r.grid_code, 0))
        return out

    def portrait(self, scope: str, role: Role, now: float) -> gw.PortraitView:
        with self._read() as conn:
            node = conn.execute(select(NodeRow.name, NodeRow.level).where(NodeRow.code == scope)).first()
            name, level = (node[0], node[1]) if node else ("", int(level_of(scope)) if scope else -1)
            per_grid = self.figures_by_grid(conn, scope)
            figures = sum_figures(list(per_grid.values()))
            as_of = conn.execute(select(func.min(RegisterGridRow.data_as_of))
                                 .where(RegisterGridRow.grid_code.like(_like(scope)))).scalar()
            recent = self._recent(conn, scope, now, level == int(Level.GRID))
            if level != int(Level.GRID):
                n = _child_len(scope)
                groups: dict[str, list[RegisterFigures]] = defaultdict(list)
                for code, f in per_grid.items():
                    groups[code[:n]].append(f)
                names = dict(conn.execute(select(NodeRow.code, NodeRow.name)
                                          .where(NodeRow.parent_code == scope)).all()) if scope else {}
                children = [gw.PortraitRow(code=c, name=names.get(c, c), figures=sum_figures(fs))
                            for c, fs in sorted(groups.items())]
                return gw.PortraitView(code=scope, name=name, level=level, figures=figures, data_as_of=as_of,
                                       recent=recent, children=children)
            reg = conn.execute(select(RegisterGridRow.__table__).where(RegisterGridRow.grid_code == scope)).first()
            people = [mask_person(_person.decode(b), role) for b in conn.execute(
                select(CarePersonRow.body).where(CarePersonRow.grid_code == scope).order_by(CarePersonRow.id)
            ).scalars()]
            staff = self._staff(conn, scope, role)
        return gw.PortraitView(
            code=scope, name=name, level=level, figures=figures, data_as_of=as_of, people=people,
            key_places=_places.decode(reg.key_places) if reg else [],
            party=_party.decode(reg.party) if reg else None, staff=staff,
            grid_head=reg.grid_head if reg else "",  # staff, like the party secretary: not masked
            recent=recent)

    def _staff(self, conn: Connection, scope: str, role: Role) -> list[StaffMember]:
        duty = dict(conn.execute(select(DutyRow.worker_id, DutyRow.on_duty)).all()) if scope else {}
        out = []
        for w in conn.execute(select(GridWorkerRow.__table__).where(GridWorkerRow.grid_code.like(_like(scope)))
                              .order_by(GridWorkerRow.grid_code, GridWorkerRow.id)):
            out.append(StaffMember(id=w.id, name=w.name, grid=w.grid_code, role="worker", full_time=w.full_time,
                                   on_duty=duty.get(w.id, True), phone=w.phone if may_see(role, "phone") else None))
        return out

    def _recent(self, conn: Connection, scope: str, now: float, grid: bool) -> gw.RecentWork:
        since = now - 30 * DAY
        like = _like(scope)
        cases = conn.execute(select(func.count()).select_from(CaseRow)
                             .where(CaseRow.node.like(like), CaseRow.reported_at >= since)).scalar_one()
        open_ = conn.execute(select(func.count()).select_from(CaseRow)
                             .where(CaseRow.node.like(like), CaseRow.state.in_(_OPEN))).scalar_one()
        visits = conn.execute(select(func.count()).select_from(VisitRow)
                              .where(VisitRow.grid_code.like(like), VisitRow.at >= since)).scalar_one()
        overdue = self._overdue(conn, scope, now)
        start, end = year_bounds(cst_year(now))
        meetings = conn.execute(select(func.count()).select_from(MeetingRow)
                                .where(MeetingRow.grid_code.like(like), MeetingRow.held_at >= start,
                                       MeetingRow.held_at < end)).scalar_one()
        day = cst_day(now)
        cov = self._coverage(conn, scope, day, "", grid)
        extra: dict[str, object] = {}
        if grid:
            extra["recent_case_ids"] = tuple(conn.execute(
                select(CaseRow.id).where(CaseRow.node == scope).order_by(CaseRow.reported_at.desc()).limit(10)
            ).scalars())
            extra["recent_visits"] = tuple(_visit.decode(b) for b in conn.execute(
                select(VisitRow.body).where(VisitRow.grid_code == scope).order_by(VisitRow.at.desc()).limit(5)
            ).scalars())
            extra["recent_meetings"] = tuple(_meeting.decode(b) for b in conn.execute(
                select(MeetingRow.body).where(MeetingRow.grid_code == scope).order_by(MeetingRow.held_at.desc())
                .limit(5)).scalars())
            extra["recent_patrols"] = tuple(_checkin.decode(b) for b in conn.execute(
                select(CheckInRow.body).where(CheckInRow.grid_code == scope).order_by(CheckInRow.at.desc())
                .limit(5)).scalars())
        return gw.RecentWork(cases=cases, cases_open=open_, visits=visits, visits_overdue=overdue,
                             meetings_year=meetings, patrol_done_today=cov.done, patrol_planned_today=cov.planned,
                             **extra)

    # ---- visits -----------------------------------------------------------------------------
    @staticmethod
    def _overdue(conn: Connection, scope: str, now: float) -> int:
        return conn.execute(select(func.count()).select_from(VisitTaskRow).where(
            VisitTaskRow.grid_code.like(_like(scope)), VisitTaskRow.done_at.is_(None), VisitTaskRow.due_at < now,
        )).scalar_one()

    def visit_queue(self, scope: str, role: Role, now: float, overdue_only: bool = False,
                    limit: int = 500) -> gw.VisitQueueView:
        until = now if overdue_only else now + QUEUE_HORIZON_DAYS * DAY
        with self._read() as conn:
            rows = conn.execute(
                select(VisitTaskRow.id, VisitTaskRow.due_at, VisitTaskRow.worker, CarePersonRow.body,
                       GridWorkerRow.name)
                .join(CarePersonRow, CarePersonRow.id == VisitTaskRow.person_id)
                .outerjoin(GridWorkerRow, GridWorkerRow.id == VisitTaskRow.worker)
                .where(VisitTaskRow.grid_code.like(_like(scope)), VisitTaskRow.done_at.is_(None),
                       VisitTaskRow.due_at <= until)
                .order_by(VisitTaskRow.due_at, VisitTaskRow.id).limit(limit)).all()
            tasks = [task_view(tid, mask_person(_person.decode(body), role), due, now, worker, wname or "")
                     for tid, due, worker, body, wname in rows]
            overdue = self._overdue(conn, scope, now)
            rates, total = self._rates(conn, scope, now)
        return gw.VisitQueueView(scope=scope, now=now, tasks=tasks, overdue=overdue, rates=rates, rate=total)

    def _rates(self, conn: Connection, scope: str, now: float) -> tuple[list[VisitRate], VisitRate]:
        """走访完成率 over the window: per child node (per worker at a grid) and for the scope."""
        since = now - RATE_WINDOW_DAYS * DAY
        rows = conn.execute(select(VisitTaskRow.grid_code, VisitTaskRow.worker, VisitTaskRow.due_at,
                                   VisitTaskRow.done_at)
                            .where(VisitTaskRow.grid_code.like(_like(scope)), VisitTaskRow.due_at >= since,
                                   VisitTaskRow.due_at <= now)).all()
        grid_level = bool(scope) and level_of(scope) == Level.GRID
        groups: dict[str, list[tuple[float, float | None]]] = defaultdict(list)
        n = 0 if grid_level else _child_len(scope)
        for grid, worker, due, done in rows:
            groups[worker if grid_level else grid[:n]].append((due, done))
        if grid_level:
            names = dict(conn.execute(select(GridWorkerRow.id, GridWorkerRow.name)
                                      .where(GridWorkerRow.grid_code == scope)).all())
        else:
            names = dict(conn.execute(select(NodeRow.code, NodeRow.name).where(NodeRow.parent_code == scope)).all()) \
                if scope else {}
        rates = [rate_of(k, names.get(k, k), v, now) for k, v in sorted(groups.items())]
        return rates, rate_of(scope, "", [(d, x) for _, _, d, x in rows], now)

    def worker_rates(self, scope: str, now: float) -> list[VisitRate]:
        """走访完成率 per worker across ``scope``."""
        since = now - RATE_WINDOW_DAYS * DAY
        with self._read() as conn:
            rows = conn.execute(select(VisitTaskRow.worker, VisitTaskRow.due_at, VisitTaskRow.done_at)
                                .where(VisitTaskRow.grid_code.like(_like(scope)), VisitTaskRow.due_at >= since,
                                       VisitTaskRow.due_at <= now)).all()
            names = dict(conn.execute(select(GridWorkerRow.id, GridWorkerRow.name)
                                      .where(GridWorkerRow.grid_code.like(_like(scope)))).all())
        groups: dict[str, list[tuple[float, float | None]]] = defaultdict(list)
        for worker, due, done in rows:
            groups[worker].append((due, done))
        return [rate_of(k, names.get(k, k), v, now) for k, v in sorted(groups.items())]

    def visit_done(self, visit_id: str) -> Visit | None:
        with self._read() as conn:
            body = conn.execute(select(VisitRow.body).where(VisitRow.id == visit_id)).scalar()
        return None if body is None else _visit.decode(body)

    def log_visit(self, visit: Visit) -> Visit:
        """Store the visit, close the person's open task and open the next. Idempotent on ``visit.id``."""
        with self._write() as conn:
            body = conn.execute(select(VisitRow.body).where(VisitRow.id == visit.id)).scalar()
            if body is not None:
                return _visit.decode(body)
            person = conn.execute(select(CarePersonRow.frequency_days).where(CarePersonRow.id == visit.person_id)
                                  ).scalar()
            if person is None:
                raise KeyError(visit.person_id)
            conn.execute(insert(VisitRow).values(id=visit.id, person_id=visit.person_id, grid_code=visit.grid,
                                                 worker=visit.worker, at=visit.at, case_id=visit.case_id,
                                                 body=_enc.encode(visit).decode()))
            open_task = conn.execute(select(VisitTaskRow.id, VisitTaskRow.worker)
                                     .where(VisitTaskRow.person_id == visit.person_id, VisitTaskRow.done_at.is_(None))
                                     .order_by(VisitTaskRow.due_at)).first()
            worker = visit.worker
            if open_task is not None:
                conn.execute(update(VisitTaskRow).where(VisitTaskRow.id == open_task[0])
                             .values(done_at=visit.at, visit_id=visit.id))
                worker = open_task[1] or worker
            conn.execute(insert(VisitTaskRow).values(person_id=visit.person_id, grid_code=visit.grid, worker=worker,
                                                     due_at=next_due(visit.at, person), done_at=None, visit_id=None))
        return visit

    def open_tasks_due(self, scope: str, until: float, limit: int = 20_000) -> list[tuple[int, str, str, float, int]]:
        """(task id, person id, grid, due_at, frequency_days) of open tasks due by ``until``."""
        with self._read() as conn:
            return [tuple(r) for r in conn.execute(
                select(VisitTaskRow.id, VisitTaskRow.person_id, VisitTaskRow.grid_code, VisitTaskRow.due_at,
                       CarePersonRow.frequency_days)
                .join(CarePersonRow, CarePersonRow.id == VisitTaskRow.person_id)
                .where(VisitTaskRow.grid_code.like(_like(scope)), VisitTaskRow.done_at.is_(None),
                       VisitTaskRow.due_at <= until).order_by(VisitTaskRow.due_at).limit(limit))]

    def log_visits(self, done: Sequence[tuple[int, Visit, int, str]]) -> int:
        """Many visits in one transaction: (open task id, visit, frequency days, worker of the next task)."""
        if not done:
            return 0
        with self._write() as conn:
            conn.execute(insert(VisitRow), [{
                "id": v.id, "person_id": v.person_id, "grid_code": v.grid, "worker": v.worker, "at": v.at,
                "case_id": v.case_id, "body": _enc.encode(v).decode()} for _, v, _, _ in done])
            tasks = VisitTaskRow.__table__
            conn.execute(update(tasks).where(tasks.c.id == bindparam("_id"))
                         .values(done_at=bindparam("_at"), visit_id=bindparam("_visit")),
                         [{"_id": task_id, "_at": v.at, "_visit": v.id} for task_id, v, _, _ in done])
            conn.execute(insert(VisitTaskRow), [{
                "person_id": v.person_id, "grid_code": v.grid, "worker": worker, "due_at": next_due(v.at, freq),
                "done_at": None, "visit_id": None} for _, v, freq, worker in done])
        return len(done)

    def check_ins(self, records: Sequence[CheckIn]) -> int:
        """Many check-ins in one transaction (the simulator's); no duplicate check."""
        if records:
            with self._write() as conn:
                conn.execute(insert(CheckInRow), [{
                    "id": r.id, "grid_code": r.grid, "day": r.day, "kind": r.kind, "worker": r.worker, "at": r.at,
                    "hazard_case_id": r.hazard_case_id, "body": _enc.encode(r).decode()} for r in records])
        return len(records)

    def registered_grids(self, scope: str) -> list[str]:
        with self._read() as conn:
            return sorted(conn.execute(select(CarePersonRow.grid_code).distinct()
                                       .where(CarePersonRow.grid_code.like(_like(scope)))).scalars())

    # ---- meetings ---------------------------------------------------------------------------
    def meeting(self, meeting_id: str) -> Meeting | None:
        with self._read() as conn:
            body = conn.execute(select(MeetingRow.body).where(MeetingRow.id == meeting_id)).scalar()
            return None if body is None else self._with_outcomes(conn, [_meeting.decode(body)])[0]

    def record_meeting(self, meeting: Meeting) -> Meeting:
        """Store a meeting and its matters' case links. Idempotent on ``meeting.id``."""
        with self._write() as conn:
            if conn.execute(select(MeetingRow.id).where(MeetingRow.id == meeting.id)).scalar() is not None:
                return meeting
            conn.execute(insert(MeetingRow).values(
                id=meeting.id, grid_code=meeting.grid, held_at=meeting.held_at, year=cst_year(meeting.held_at),
                opinions=meeting.opinions, resolved=meeting.resolved, body=_enc.encode(meeting).decode()))
            if meeting.matters:
                conn.execute(insert(MatterRow), [{"meeting_id": meeting.id, "no": i, "case_id": m.case_id}
                                                 for i, m in enumerate(meeting.matters)])
        return meeting

    def record_meetings(self, meetings: Sequence[Meeting]) -> int:
        """Many meetings in one transaction (the demo's history); no idempotency check."""
        with self._write() as conn:
            if meetings:
                conn.execute(insert(MeetingRow), [{
                    "id": m.id, "grid_code": m.grid, "held_at": m.held_at, "year": cst_year(m.held_at),
                    "opinions": m.opinions, "resolved": m.resolved, "body": _enc.encode(m).decode()}
                    for m in meetings])
                links = [{"meeting_id": m.id, "no": i, "case_id": x.case_id}
                         for m in meetings for i, x in enumerate(m.matters)]
                if links:
                    conn.execute(insert(MatterRow), links)
        return len(meetings)

    @staticmethod
    def _with_outcomes(conn: Connection, meetings: list[Meeting]) -> list[Meeting]:
        ids = sorted({x.case_id for m in meetings for x in m.matters if x.case_id})
        states: dict[str, tuple[str, float | None]] = {}
        for i in range(0, len(ids), 500):
            for cid, state, closed in conn.execute(select(CaseRow.id, CaseRow.state, CaseRow.closed_at)
                                                   .where(CaseRow.id.in_(ids[i:i + 500]))):
                states[cid] = (state, closed)
        out = []
        for m in meetings:
            matters = tuple(msgspec.structs.replace(x, case_state=states[x.case_id][0],
                                                    case_closed_at=states[x.case_id][1])
                            if x.case_id in states else x for x in m.matters)
            out.append(msgspec.structs.replace(m, matters=matters))
        return out

    def meeting_log(self, scope: str, role: Role, year: int, limit: int = 300) -> gw.MeetingLogView:
        start, end = year_bounds(year)
        with self._read() as conn:
            bodies = conn.execute(select(MeetingRow.body).where(
                MeetingRow.grid_code.like(_like(scope)), MeetingRow.held_at >= start, MeetingRow.held_at < end,
            ).order_by(MeetingRow.held_at.desc())).scalars().all()
            meetings = self._with_outcomes(conn, [_meeting.decode(b) for b in bodies])
            names = dict(conn.execute(select(NodeRow.code, NodeRow.name).where(NodeRow.parent_code == scope)).all()) \
                if scope else {}
        figures = year_figures(scope, year, meetings)
        per_child = []
        if scope and level_of(scope) != Level.GRID:
            n = _child_len(scope)
            groups: dict[str, list[Meeting]] = defaultdict(list)
            for m in meetings:
                groups[m.grid[:n]].append(m)
            per_child = [year_figures(c, year, groups.get(c, [])) for c in sorted(names)]
        shown = [self._mask_meeting(m, role) for m in meetings[:limit]]
        return gw.MeetingLogView(scope=scope, year=year, meetings=shown, figures=figures, per_child=per_child)

    @staticmethod
    def _mask_meeting(meeting: Meeting, role: Role) -> Meeting:
        if may_see(role, "name"):
            return meeting
        people = tuple(a if a.role in _PUBLIC_ATTENDEES else Attendee(name=mask_name(a.name), role=a.role)
                       for a in meeting.attendees)
        return msgspec.structs.replace(meeting, attendees=people)

    # ---- patrols ----------------------------------------------------------------------------
    def check_in(self, record: CheckIn) -> CheckIn:
        """Store a check-in; a second one for the same grid, day and kind returns the first."""
        with self._write() as conn:
            body = conn.execute(select(CheckInRow.body).where(
                (CheckInRow.id == record.id)
                | ((CheckInRow.grid_code == record.grid) & (CheckInRow.day == record.day)
                   & (CheckInRow.kind == record.kind)))).scalar()
            if body is not None:
                return _checkin.decode(body)
            conn.execute(insert(CheckInRow).values(
                id=record.id, grid_code=record.grid, day=record.day, kind=record.kind, worker=record.worker,
                at=record.at, hazard_case_id=record.hazard_case_id, body=_enc.encode(record).decode()))
        return record

    def _coverage(self, conn: Connection, scope: str, day: str, name: str, grid_level: bool) -> PatrolCoverage:
        grids = conn.execute(select(func.count()).select_from(NodeRow).where(
            NodeRow.level == int(Level.GRID), NodeRow.code.like(_like(scope)))).scalar_one()
        done: dict[str, set[str]] = defaultdict(set)
        hazards = 0
        for grid, kind, case in conn.execute(select(CheckInRow.grid_code, CheckInRow.kind, CheckInRow.hazard_case_id)
                                             .where(CheckInRow.day == day, CheckInRow.grid_code.like(_like(scope)))):
            done[grid].add(kind)
            hazards += case is not None
        return coverage_of(scope, name, day, grids, cst_month(day), done, hazards, grid_level)

    def patrols(self, scope: str, day: str) -> gw.PatrolView:
        with self._read() as conn:
            grid_level = bool(scope) and level_of(scope) == Level.GRID
            cov = self._coverage(conn, scope, day, "", grid_level)
            per_child = []
            if not grid_level:
                for code, name in conn.execute(select(NodeRow.code, NodeRow.name).where(NodeRow.parent_code == scope)
                                               .order_by(NodeRow.code)).all() if scope else []:
                    per_child.append(self._coverage(conn, code, day, name, level_of(code) == Level.GRID))
            check_ins = [_checkin.decode(b) for b in conn.execute(
                select(CheckInRow.body).where(CheckInRow.day == day, CheckInRow.grid_code.like(_like(scope)))
                .order_by(CheckInRow.at.desc()).limit(200)).scalars()]
        return gw.PatrolView(scope=scope, day=day, coverage=cov, per_child=per_child, check_ins=check_ins)

    # ---- roster -----------------------------------------------------------------------------
    def worker_grid(self, worker_id: str) -> str | None:
        with self._read() as conn:
            return conn.execute(select(GridWorkerRow.grid_code).where(GridWorkerRow.id == worker_id)).scalar()

    def set_on_duty(self, worker_id: str, on_duty: bool, now: float) -> None:
        with self._write() as conn:
            conn.execute(delete(DutyRow).where(DutyRow.worker_id == worker_id))
            conn.execute(insert(DutyRow).values(worker_id=worker_id, on_duty=on_duty, since=now))

    def roster(self, scope: str, role: Role, now: float) -> gw.RosterView:
        since = now - 30 * DAY
        like = _like(scope)
        with self._read() as conn:
            staff = self._staff(conn, scope, role)
            cases = self._cases_by_reporter(conn, like, since)
            visits = dict(conn.execute(select(VisitRow.worker, func.count()).where(
                VisitRow.grid_code.like(like), VisitRow.at >= since).group_by(VisitRow.worker)).all())
            patrols = dict(conn.execute(select(CheckInRow.worker, func.count()).where(
                CheckInRow.grid_code.like(like), CheckInRow.at >= since).group_by(CheckInRow.worker)).all())
        return gw.RosterView(scope=scope, workers=[
            gw.WorkerLoad(worker=s, cases=cases.get(s.id, 0), visits=visits.get(s.id, 0),
                          patrols=patrols.get(s.id, 0)) for s in staff])

    @staticmethod
    def _cases_by_reporter(conn: Connection, like: str, since: float) -> dict[str, int]:
        from backend.store.feed import decode_cases

        bodies = conn.execute(select(CaseRow.body).where(CaseRow.node.like(like), CaseRow.reported_at >= since)
                              ).scalars().all()
        out: dict[str, int] = defaultdict(int)
        for case in decode_cases(list(bodies)):
            out[case.reported_by] += 1
        return out
