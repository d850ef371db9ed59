"""What bench/ui_scale.py runs on: a city-scale caseload in a real hub store, and the peers' tables.

What a hub of a Qingdao-sized city would hold: every report of the last ~111 days at the
normal day's 9,000 a day (about 1M cases). Arrivals come from the simulator's own
``ArrivalModel`` (grids by weight, category and urgency mix, hourly rhythm). Of those,
``open`` survive as open cases (older reports less likely), ``closed_today`` were closed
within the last 24 h, and the rest were closed days ago ("history"; stored only when asked,
since the console never sees them and inserting ~900k rows takes minutes).

Open and recently closed cases are built through ``domain.lifecycle.apply`` (report →
accept → dispatch → sign → …, urges, supervision, escalation, SLA ticks at the time the
sweeper would take them), exactly as the hub would. Their ~600k events are not stored (each
holds the whole case: ~0.7 GB, minutes to insert, and the console never reads them): the event
log starts empty, so live events are numbered from 1 after the seeding. History cases
are lifecycle-built templates shifted in time and place: they are never in a snapshot and
only make the cases table as large as the city's (the hub's snapshot query runs against it);
they get no events.

This is *benchmark seeding*: rows are bulk-inserted with the store's SQLAlchemy models in
one transaction (the same column values ``commands.write_outcome`` writes), because 600k
per-command transactions would take many minutes. Nothing else here touches the hub.

At the bottom, the peers' tables: the GridCC table's rows as text, in a QStandardItemModel or
in a plain Python table model: the usual Qt ways, to compare against.
"""

from __future__ import annotations

import gc
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec
import numpy as np
from sqlalchemy import insert, select, update

from backend.sim.actors import Actors
from backend.sim.arrivals import Arrival, ArrivalModel
from backend.sim.cityview import CityView
from backend.sim.engine import day_start
from backend.sim.scenario import ActorParams, load_scenario
from backend.store.commands import case_values, new_case_id
from backend.store.models import CaseRow, StreamRow
from domain.city import CityData
from domain.errors import DomainError
from domain.lifecycle import apply, due_sla_action
from domain.model import SYSTEM_ACTOR, Action, Actor, Args, Case, Role, State
from domain.rules import Rules

if TYPE_CHECKING:
    from backend.store import Store

A = Action
MIN, HOUR, DAY = 60.0, 3600.0, 86400.0
FALLBACK_DEPARTMENT = "jd"  # 街道: where a returned case goes next (as the simulator does)
#: Where an open case of a given age stands: (max age in seconds, {final state: weight}).
OPEN_MIX = (
    (HOUR, {State.REPORTED: 50, State.ACCEPTED: 15, State.DISPATCHED: 25, State.SELF_RESOLVED: 10}),
    (DAY, {State.REPORTED: 5, State.ACCEPTED: 3, State.DISPATCHED: 12, State.RETURNED: 3, State.IN_PROGRESS: 55,
           State.RESOLVED: 17, State.SELF_RESOLVED: 5}),
    (math.inf, {State.DISPATCHED: 2, State.RETURNED: 2, State.IN_PROGRESS: 66, State.SUSPENDED: 14,
                State.RESOLVED: 16}),
)
_PATHS = {
    State.REPORTED: (),
    State.ACCEPTED: (A.ACCEPT,),
    State.DISPATCHED: (A.ACCEPT, A.DISPATCH),
    State.RETURNED: (A.ACCEPT, A.DISPATCH, A.RETURN),
    State.IN_PROGRESS: (A.ACCEPT, A.DISPATCH, A.SIGN),
    State.SUSPENDED: (A.ACCEPT, A.DISPATCH, A.SIGN, A.SUSPEND),
    State.RESOLVED: (A.ACCEPT, A.DISPATCH, A.SIGN, A.RESOLVE),
    State.SELF_RESOLVED: (A.SELF_RESOLVE,),
    State.CLOSED: (A.ACCEPT, A.DISPATCH, A.SIGN, A.RESOLVE, A.VERIFY),
}
_ARGS = {
    A.ACCEPT: Args(),
    A.SIGN: Args(message="已签收"),
    A.RETURN: Args(reason="非本部门职责，申请退回重新派遣"),
    A.SUSPEND: Args(reason="需等待专项资金或施工条件，申请挂账"),
    A.RESOLVE: Args(message="已处置完毕"),
    A.VERIFY: Args(passed=True, message="现场核实已整改"),
    A.SELF_RESOLVE: Args(message="网格员现场处置完毕"),
    A.URGE: Args(message="请加快处置"),
    A.ESCALATE: Args(reason="跨部门协调困难，提请上级"),
    A.EXTEND: Args(reason="需协调多部门联合处置，申请延期"),
}
_REWORK = Args(passed=False, reason="现场核实未整改到位，退回返工")
_DEPARTMENT_STEPS = frozenset({A.SIGN, A.RESOLVE})
#: Moves a department now asks for (REQUEST) and the command center makes: taken by an admin here,
#: since only the resulting case shape matters to the benchmarks.
_CENTER_STEPS = frozenset({A.RETURN, A.SUSPEND, A.EXTEND})
_ADMIN = Actor(id="bench-admin", role=Role.ADMIN, scope="", name="基准管理员")


@dataclass
class SeedFigures:
    open: int
    closed_today: int
    history: int  # stored cases closed days ago
    reports: int  # all reports of the drawn days: what the hub's database would hold
    events: int  # built through the lifecycle; not stored
    build_s: float
    insert_s: float

    @property
    def total(self) -> int:
        return self.open + self.closed_today + self.history


class CaseBuilder:
    """Grows one case through the lifecycle, step by step, with the actors the simulator uses."""

    def __init__(self, rules: Rules, city: CityView, params: ActorParams, now: float, rng: random.Random) -> None:
        self.rules, self.city, self.now, self.rng = rules, city, now, rng
        self.actors = Actors(city, rules, params, rng)  # the simulator's operators, departments, workers
        self.events = 0  # what the hub would have appended to its event log

    def _apply(self, case: Case | None, action: Action, args: Args, actor: Actor, t: float, **kw) -> Case:
        out = apply(case, action, args, actor, t, self.rules, **kw)
        self.events += len(out.events)
        return out.case

    def _tick(self, case: Case, t: float) -> Case:
        """The SLA sweeper's ticks due by ``t``, taken when the threshold passed."""
        while (action := due_sla_action(case, t)) is not None:
            # the threshold that passed: the case clock's, a stage clock's (受理, 派遣, 核查), the 签收 limit's,
            # or a suspension's end; the earliest of those the case has
            times = {A.SLA_OVERDUE: (case.deadline, case.stage_deadline, case.sign_deadline),
                     A.RESUME: (case.suspended_until,)}.get(action, (case.warning_at, case.stage_warning_at))
            at = min((x for x in times if x is not None), default=t)
            try:
                case = self._apply(case, action, Args(), SYSTEM_ACTOR, max(at, case.updated_at or at))
            except DomainError:
                case = self._apply(case, action, Args(), SYSTEM_ACTOR, t)
        return case

    def _actor_for(self, case: Case, action: Action) -> Actor:
        if action in _CENTER_STEPS:
            return _ADMIN
        if action in _DEPARTMENT_STEPS:
            assert case.department is not None  # these steps follow a dispatch
            return self.actors.department(case.department)
        if action is A.SELF_RESOLVE or (action is A.VERIFY and case.state is State.RESOLVED):
            return self.actors.worker(case.node) or self.actors.operator(case.node)
        return self.actors.operator(case.node)

    def _step(self, case: Case, action: Action, t: float, verify: Args | None = None) -> Case:
        """One move at ``t`` (after the ticks due by then); ``verify`` overrides a VERIFY's args."""
        case = self._tick(case, t)
        if action is A.DISPATCH:
            dept = self.rules.catalog.categories[case.category].default_department
            if case.state is State.RETURNED:
                dept = FALLBACK_DEPARTMENT
            args = Args(department=dept)
        else:
            args = verify if action is A.VERIFY and verify is not None else _ARGS[action]
        return self._apply(case, action, args, self._actor_for(case, action), t)

    def report(self, arrival: Arrival, number: int) -> Case:
        worker = self.actors.worker(arrival.grid)
        reporter = worker if worker is not None and arrival.source.value in ("grid_worker", "meeting") \
            else self.actors.operator(arrival.grid)
        names = self.city.names
        address = "".join(names.get(arrival.grid[:n], "") for n in (9, 12, 15))
        args = Args(node=arrival.grid, category=arrival.category, urgency=arrival.urgency, source=arrival.source,
                    description=arrival.description, address=address)
        return self._apply(None, A.REPORT, args, reporter, arrival.at, new_id=new_case_id(arrival.at, number))

    def _times(self, start: float, end: float, n: int) -> list[float]:
        """``n`` increasing step times in (start, end]: a quick intake (accept, dispatch, sign a few
        minutes apart, squeezed into the first half of a short span), then spread to ``end``."""
        rng = self.rng
        quick = [rng.lognormvariate(math.log(12 * MIN), 0.6) for _ in range(min(n, 3))]
        room = (end - start) / 2
        if sum(quick) > room:
            quick = [g * room / sum(quick) for g in quick]
        out, t = [], start
        for g in quick:
            t += g
            out.append(t)
        rest = sorted(rng.uniform(t, end) for _ in range(n - len(quick)))
        return out + rest

    def open_case(self, arrival: Arrival, number: int) -> Case:
        rng, now = self.rng, self.now
        age = now - arrival.at
        mix = next(m for limit, m in OPEN_MIX if age < limit)
        target = rng.choices(list(mix), weights=list(mix.values()))[0]
        path = list(_PATHS[target])
        if target is State.IN_PROGRESS and rng.random() < 0.03:  # resolved, failed verification: rework
            path += [A.RESOLVE, A.VERIFY]
        case = self.report(arrival, number)
        end = now - MIN
        for action, t in zip(path, self._times(arrival.at, end, len(path)), strict=True):
            case = self._step(case, action, t, _REWORK if target is State.IN_PROGRESS else None)
        last = case.updated_at or arrival.at
        case = self._flags(case, last, end)
        return self._tick(case, now)

    def _flags(self, case: Case, start: float, end: float) -> Case:
        """Urges, supervision, extension and escalation on some open cases, after their last move."""
        rng = self.rng
        if end - start < 30 * MIN or case.state is State.REPORTED:
            return case
        t = start
        if case.deadline is not None and case.state is State.IN_PROGRESS and rng.random() < 0.05:
            t = rng.uniform(t, end)
            case = self._tick(case, t)
            assert case.department is not None  # in progress: dispatched
            case = self._apply(case, A.EXTEND, _ARGS[A.EXTEND], _ADMIN, t)
        if rng.random() < 0.15:
            for _ in range(rng.randint(1, 3)):
                t = min(end, t + max(11 * MIN, rng.uniform(0, (end - t) / 2)))
                if t >= end:
                    break
                case = self._tick(case, t)
                case = self._apply(case, A.URGE, _ARGS[A.URGE], self.actors.operator(case.node), t)
        if rng.random() < 0.06 and t < end - MIN:
            t = rng.uniform(t, end - MIN)
            case = self._tick(case, t)
            args = Args(level=rng.choice((1, 1, 2, 3)), reason="群众反映强烈，限期办结", due=t + 3 * DAY)
            case = self._apply(case, A.SUPERVISE, args, self.actors.operator(case.node), t)
        if rng.random() < 0.02 and t < end - MIN:
            t = rng.uniform(t, end - MIN)
            case = self._tick(case, t)
            case = self._apply(case, A.ESCALATE, _ARGS[A.ESCALATE], self.actors.operator(case.node), t)
        return case

    def closed_case(self, arrival: Arrival, number: int, closed_at: float) -> Case:
        path = _PATHS[State.SELF_RESOLVED] + (A.VERIFY,) if self.rng.random() < 0.07 else _PATHS[State.CLOSED]
        case = self.report(arrival, number)
        times = self._times(arrival.at, closed_at - MIN, len(path) - 1) + [closed_at]
        for action, t in zip(path, times, strict=True):
            case = self._step(case, action, t)
        return case


def _choose(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    k = min(k, int((weights > 0).sum()))
    return rng.choice(len(weights), size=k, replace=False, p=weights / weights.sum())


_TIMES = ("reported_at", "accepted_at", "dispatched_at", "resolved_at", "closed_at", "updated_at", "deadline",
          "warning_at")


def _moved(t: Case, case_id: str, a: Arrival) -> Case:
    """A history case: a lifecycle-built closed case moved to another grid and report time."""
    d = a.at - t.reported_at
    times = {k: getattr(t, k) + d for k in _TIMES if getattr(t, k) is not None}
    return msgspec.structs.replace(t, id=case_id, node=a.grid, source=a.source, description=a.description,
                                   address="", **times)


def seed_cases(store, city_data: CityData, rules: Rules, *, now: float, open_cases: int, closed_today: int,
               days: int, history: int = 0, seed: int = 2023,
               progress: Callable[[str], None] = lambda s: None) -> SeedFigures:
    """Fill ``store`` (migrated, city imported, no cases yet) with a city's caseload as of ``now``.

    ``days`` of reports are drawn (the open and recently closed cases are picked among them);
    ``history`` of the others, closed days ago, are stored too (-1: all of them).
    """
    if open_cases <= 0 or closed_today < 0 or days < 2 or history < -1:
        raise ValueError(f"need open_cases > 0, closed_today >= 0, days >= 2, history >= -1; "
                         f"got {open_cases}, {closed_today}, {days}, {history}")
    t0 = time.perf_counter()
    city = CityView.from_city(city_data)
    scenario = load_scenario("normal_day", rules.catalog)
    model = ArrivalModel(scenario, rules.catalog, city, seed)
    today = day_start(now)
    arrivals: list[Arrival] = []
    for back in range(days, -1, -1):
        start = today - back * DAY
        arrivals += model.day(back, start, start, min(start + DAY, now - 2 * MIN))
    n = len(arrivals)
    at = np.fromiter((a.at for a in arrivals), float, n)
    age = now - at
    nrng = np.random.default_rng(seed)
    # Survivors: recent reports are mostly still open, older ones less so, a long tail stays (挂账, disputes).
    open_idx = _choose(nrng, 0.9 * np.exp(-age / (8 * DAY)) + 0.03, open_cases)
    taken = np.zeros(n, bool)
    taken[open_idx] = True
    w_closed = np.where(taken | (age < 2 * HOUR), 0.0, np.exp(-age / (3 * DAY)))
    closed_idx = _choose(nrng, w_closed, closed_today)
    taken[closed_idx] = True
    older = np.flatnonzero(~taken & (age > 3 * DAY))
    history_idx = older if history < 0 else np.sort(nrng.choice(older, size=min(history, len(older)), replace=False))
    progress(f"{n} reports over {days + 1} days: {len(open_idx)} open, {len(closed_idx)} closed today, "
             f"{len(older)} closed earlier ({len(history_idx)} of them stored)")

    builder = CaseBuilder(rules, city, scenario.actors, now, random.Random(seed))
    order = np.argsort(at, kind="stable")  # case numbers follow report time, as on the hub
    number = {int(i): k + 1 for k, i in enumerate(order)}
    gc_was = gc.isenabled()
    gc.disable()  # ~10^6 frozen structs: the cyclic collector would only rescan them
    try:
        cases: list[Case] = []
        for i in open_idx:
            cases.append(builder.open_case(arrivals[i], number[int(i)]))
        for i in closed_idx:
            a = arrivals[i]
            lo = max(a.at + 30 * MIN, now - DAY + MIN)
            cases.append(builder.closed_case(a, number[int(i)], nrng.uniform(lo, now - MIN)))
        # Shortest first: a template must close more than 2 days ago once moved (outside any snapshot).
        templates = sorted((c for c in cases[len(open_idx):] if c.state is State.CLOSED), key=_took)
        moved: list[Case] = []
        for k, i in enumerate(history_idx):
            a = arrivals[i]
            t = templates[k % len(templates)] if templates else None
            if t is not None and a.at + _took(t) > now - 2 * DAY - MIN:
                t = templates[0]
            if t is not None and a.at + _took(t) <= now - 2 * DAY - MIN:
                moved.append(_moved(t, new_case_id(a.at, number[int(i)]), a))
        build_s = time.perf_counter() - t0
        progress(f"built {len(cases)} cases with {builder.events} events through the lifecycle, "
                 f"{len(moved)} history cases, in {build_s:.1f} s")
        t1 = time.perf_counter()
        _insert(store, cases + moved, max(number.values()) + 1)
    finally:
        if gc_was:
            gc.enable()
    return SeedFigures(open=len(open_idx), closed_today=len(closed_idx), history=len(moved), reports=n,
                       events=builder.events, build_s=build_s, insert_s=time.perf_counter() - t1)


def _took(case: Case) -> float:
    """Report to close, of a closed case."""
    assert case.closed_at is not None
    return case.closed_at - case.reported_at


def _insert(store: Any, cases: list[Case], next_case_no: int, chunk: int = 20_000) -> None:
    """All case rows in one write transaction, with the columns ``commands.write_outcome`` writes.

    The INSERT is compiled once from the model and run as a plain DB-API executemany:
    SQLAlchemy's per-row parameter processing would cost more than SQLite's own work here.
    """
    with store._write() as conn:  # the store's own write transaction (BEGIN IMMEDIATE)
        if conn.execute(select(StreamRow.head_seq).where(StreamRow.id == 1)).scalar_one():
            raise RuntimeError("bench seeding needs an empty store (head seq 0)")
        for i in range(0, len(cases), chunk):
            rows = [case_values(c) for c in cases[i:i + chunk]]
            cols = list(rows[0])
            compiled = insert(CaseRow.__table__).compile(conn, column_keys=cols)
            order = compiled.positiontup or cols  # the SQL lists columns in the table's order, not the dict's
            conn.exec_driver_sql(str(compiled), [tuple(r[c] for c in order) for r in rows])
        conn.execute(update(StreamRow).where(StreamRow.id == 1).values(next_case_no=next_case_no))


# ---- the whole hub database -------------------------------------------------------------------
@dataclass
class SeededHub:
    store: Store  # open
    rules: Rules
    figures: SeedFigures
    nodes: int
    grids: int
    workers: int
    city_s: float


def seed_hub(db_path, *, open_cases: int, closed_today: int, days: int, history: int, seed: int,
             progress: Callable[[str], None]) -> SeededHub:
    """A migrated SQLite store at ``db_path`` with the scale-1.0 city, its departments and caseload."""
    from backend.city import generate_city
    from backend.store import Store
    from domain.rules import default_rules

    t0 = time.perf_counter()
    store = Store.open(f"sqlite:///{db_path}", require_current=False)
    store.migrate()
    rules = default_rules()
    city = generate_city(seed=seed, scale=1.0)
    store.import_city(city)
    store.import_departments(rules.catalog.departments.values())
    city_s = time.perf_counter() - t0
    figures = seed_cases(store, city, rules, now=time.time(), open_cases=open_cases, closed_today=closed_today,
                         days=days, history=history, seed=seed, progress=progress)
    grids = sum(1 for n in city.nodes if len(n.code) == 15)
    return SeededHub(store, rules, figures, len(city.nodes), grids, len(city.workers), city_s)


# ---- the peers' tables: the same rows as text ----------------------------------------------------
def rows_as_text(model) -> list[list[str]]:
    """What the GridCC table shows, row by row, for the peers; a column that depends on one field
    only is formatted once per distinct value."""
    from widgets.console import queue_model as qm
    fields = {qm.COL_URGENCY: "urgency", qm.COL_CATEGORY: "category", qm.COL_NODE: "node", qm.COL_STATE: "state",
              qm.COL_DEPARTMENT: "department"}
    memo: dict[tuple[int, object], str] = {}

    def cell(case, col: int) -> str:
        if col not in fields:
            return model._display(case, col)
        key = (col, getattr(case, fields[col]))
        return memo[key] if key in memo else memo.setdefault(key, model._display(case, col))

    return [[cell(model.case_at(r), c) for c in range(len(qm.COLUMNS))] for r in range(model.rowCount())]


def peer_model(kind: str, rows):
    """``standard``: a QStandardItemModel holding every cell; ``python``: a Python model over the texts."""
    from PySide6.QtCore import QAbstractTableModel, Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    if kind not in ("standard", "python"):
        raise ValueError(f"unknown peer model {kind!r}; expected 'standard' or 'python'")
    if kind == "standard":
        model = QStandardItemModel(0, len(rows[0]))
        for row in rows:
            model.appendRow([QStandardItem(v) for v in row])
        return model
    display = Qt.ItemDataRole.DisplayRole

    class PyRows(QAbstractTableModel):
        def rowCount(self, parent=None) -> int:
            return len(rows)

        def columnCount(self, parent=None) -> int:
            return len(rows[0])

        def data(self, index, role=display):
            return rows[index.row()][index.column()] if role == display else None

    return PyRows()
