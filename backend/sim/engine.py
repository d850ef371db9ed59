"""The simulation engine: a discrete-event heap of (sim_time, seq, step), run fast or live.

Every change is a command through the store (``backend.store.bulk``: many commands per
transaction through the store's own per-command code); the simulator is one more client
of the domain. Two ways to run:

* :meth:`Simulator.run_until` fast-forwards: every due step in time order with ``now`` =
  the step's time, many steps per transaction, and the hub's SLA sweep
  (``store.due_for_sla`` / ``system_apply``) at the simulated minute it is due, so the
  sweeper follows simulated time.
* :meth:`Simulator.run_live` runs inside a :class:`backend.hub.Hub`: every tick it runs the
  steps due by ``hub.clock.now()`` on the hub's write thread, sweeps and wakes the pump.
  It follows the hub's SimClock (any speed, paused or not) and reacts to what humans do
  through the hub's published events.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import random
import uuid
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from backend.sim.actors import Actors, Track
from backend.sim.arrivals import Arrival, ArrivalModel
from backend.sim.cityview import CityView
from backend.sim.scenario import Scenario
from backend.sim.sweep import SweepSchedule
from backend.store import bulk
from domain.clocks import awaits_callback
from domain.commands import CommandRequest
from domain.errors import ErrorCode
from domain.model import OPEN_STATES, TERMINAL_STATES, Action, Args, Role, Stage
from domain.periods import day_start
from domain.protocol import CommandAck
from domain.rules import Rules

log = logging.getLogger(__name__)

DAY = 86400.0
FAST_BATCH = 1000  # fast-forward: at most this many commands per transaction
LIVE_BATCH = 2000  # live: at most this many commands per write transaction
_DAY_STEP, _ARRIVAL, _CASE = 0, 1, 2
_MAX_FAILURES = 3
_OPEN_VALUES = frozenset(s.value for s in OPEN_STATES)


@dataclass
class Stats:
    arrivals: int = 0
    commands: int = 0
    refused: int = 0
    sla_ticks: int = 0
    transactions: int = 0
    by_action: dict[str, int] = field(default_factory=dict)


class Simulator:
    def __init__(self, store, rules: Rules, scenario: Scenario, city: CityView, *, start: float, seed: int = 1,
                 volume: float | None = None, human_streets: Iterable[str] = (),
                 auto_operator_delay: float | None = None, client_id: str | None = None) -> None:
        """``start``: the simulated time the run begins at. ``volume``: items per day (default: the
        scenario's, scaled to the city's grids). ``human_streets``: streets whose operator work is
        left to humans. ``auto_operator_delay``: minutes the virtual operator leaves a case to humans."""
        self.store = store
        self.rules = rules
        self.scenario = scenario
        self.city = city
        self.start = float(start)
        self.now = self.start
        self.arrivals = ArrivalModel(scenario, rules.catalog, city, seed, volume)
        self.actors = Actors(city, rules, scenario.actors, random.Random(seed), human_streets, auto_operator_delay)
        self.client_id = client_id or f"sim-{uuid.uuid4().hex[:12]}"
        self.stats = Stats()
        self.ticks = 0  # live ticks completed
        self.tracks: dict[str, Track] = {}
        self._heap: list[tuple[float, int, int, Any]] = []  # payload per kind: see _case_step/_arrival/_new_day
        self._seq = 0
        self._command_no = 0
        self._first_day = day_start(self.start)
        self._days: dict[int, list[Arrival]] = {}
        self._day_cases: dict[tuple[int, int], str] = {}
        self._own_seqs: set[int] = set()
        self._observing = 0
        self._foreign: deque = deque()
        self._batch: bulk.Batch | None = None
        self._sweeps = SweepSchedule(self.start, self._followed_case)
        self._push(self.start, _DAY_STEP, 0)
        #: backend.evidence.photographer.Photographer: photos for reports, results and verifications
        self.photographer = None
        self._positions_rng = random.Random(f"{seed}:positions")  # its own stream: positions shift no other draw
        self._outlines: dict[str, bytes] | None = None  # grid -> its outline as WKB (_grid_outlines)

    def position_in(self, grid: str) -> tuple[float | None, float | None]:
        """A random place inside ``grid``'s outline, or (None, None) when the grid has none."""
        if self._outlines is None:
            self._outlines = self._grid_outlines()
        wkb = self._outlines.get(grid)
        if wkb is None:
            return None, None
        import shapely

        from backend.city.spatial import random_point_in

        return random_point_in(shapely.from_wkb(wkb), self._positions_rng)

    def _grid_outlines(self) -> dict[str, bytes]:
        """Every grid's outline as WKB, read row by row: the city's nodes with their GeoJSON as
        Python objects would take ~40 MB at full scale (which the process keeps after), and the
        14k outlines kept as GEOS geometries ~5 MB more than as WKB; a position draw makes its
        grid's geometry from the WKB (microseconds) and drops it."""
        import shapely
        from sqlalchemy import select

        from backend.city.spatial import to_geom
        from backend.store.models import NodeRow

        stmt = (select(NodeRow.code, NodeRow.geometry).where(NodeRow.level == 5, NodeRow.geometry.is_not(None))
                .order_by(NodeRow.code))
        with self.store.engine.connect() as conn:
            return {code: shapely.to_wkb(to_geom(text)) for code, text in conn.execute(stmt) if text}

    def adopt_open_cases(self) -> int:
        """Follow the open cases already in the database (an earlier run, or humans' cases)."""
        from sqlalchemy import select

        from backend.store.feed import decode_cases
        from backend.store.models import CaseRow

        with self.store.engine.connect() as conn:
            bodies = conn.execute(select(CaseRow.body).where(CaseRow.state.in_(sorted(_OPEN_VALUES)))
                                  .order_by(CaseRow.id)).scalars().all()
        cases = decode_cases(list(bodies))
        for case in cases:
            if case.id not in self.tracks:
                track = self.tracks[case.id] = Track(case)
                self._update(track, case, self.start)
        return len(cases)

    # ---- running ---------------------------------------------------------------------------------
    def run_until(self, end: float) -> Stats:
        """Fast-forward: execute every step due before ``end`` in time order; afterwards ``now == end``.

        Steps share a transaction until the SLA sweep is due (see ``backend.sim.sweep``) or
        the batch holds FAST_BATCH commands; then the batch commits and the store's sweep runs at that
        simulated minute.
        """
        while True:
            sweep_at = self._sweeps.due_at(self.now)
            horizon = min(end, sweep_at)
            if self._heap and self._heap[0][0] < horizon:
                with bulk.batch(self.store) as b:
                    self._batch = b
                    try:
                        self._run_steps(end, live_now=None, limit=FAST_BATCH, stop_at_sweep=True)
                    finally:
                        self._batch = None
                self.stats.transactions += 1
                continue
            self.now = max(self.now, horizon)
            if sweep_at <= end:
                self._sweep(sweep_at)
            if horizon >= end:
                return self.stats

    def run_due(self, now: float, limit: int = LIVE_BATCH) -> int:
        """Live: run the steps due by ``now`` (and foreign events seen) in one transaction, with
        every command at ``now``. Returns the commands sent; call again while it returns ``limit``."""
        if now < self.now:
            now = self.now  # the clock was reset backwards: keep event times monotonic
        if not self._foreign and not (self._heap and self._heap[0][0] <= now):
            self.now = now
            return 0
        before = self.stats.commands
        with bulk.batch(self.store) as b:
            self._batch = b
            try:
                self._absorb_foreign(now)
                self._run_steps(now, live_now=now, limit=limit, inclusive=True)
            finally:
                self._batch = None
        self.stats.transactions += 1
        self.now = now
        return self.stats.commands - before

    def observe(self, events) -> None:
        """Hub callback (``hub.on_published``): remember events the simulator did not cause."""
        self._foreign.extend(events)

    async def run_live(self, hub, tick: float = 0.2, stop: asyncio.Event | None = None,
                       until: float | None = None) -> None:
        """Follow ``hub.clock`` until ``stop`` is set, the clock reaches ``until``, or the task is
        cancelled. Every tick: the steps due by the clock on the hub's write thread, then the
        hub's SLA sweep and a wake-up of its pump."""
        hub.on_published.append(self.observe)
        self._observing += 1
        try:
            while stop is None or not stop.is_set():
                now = hub.clock.now()
                if until is not None:
                    now = min(now, until)
                while await hub.write(self.run_due, now) >= LIVE_BATCH:
                    hub.wake_pump()
                hub.wake_pump()
                await hub.sweep()
                self.ticks += 1
                if until is not None and now >= until:
                    return
                if stop is None:
                    await asyncio.sleep(tick)
                else:
                    try:
                        await asyncio.wait_for(stop.wait(), tick)
                    except TimeoutError:
                        pass
        finally:
            hub.on_published.remove(self.observe)
            self._observing -= 1
            if not self._observing:
                self._own_seqs.clear()

    # ---- the heap --------------------------------------------------------------------------------
    def _push(self, t: float, kind: int, payload: object) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (t, self._seq, kind, payload))

    def next_step_at(self) -> float | None:
        return self._heap[0][0] if self._heap else None

    def _run_steps(self, until: float, live_now: float | None, limit: int = 0, inclusive: bool = False,
                   stop_at_sweep: bool = False) -> None:
        heap = self._heap
        start_commands = self.stats.commands
        while heap:
            t = heap[0][0]
            if t > until or (t == until and not inclusive):
                return
            if stop_at_sweep and t >= self._sweeps.due_at(self.now):
                return
            if limit and self.stats.commands - start_commands >= limit:
                return
            t, _, kind, payload = heapq.heappop(heap)
            now = live_now if live_now is not None else t
            if live_now is None:
                self.now = t
            if kind == _CASE:
                self._case_step(payload, now)
            elif kind == _ARRIVAL:
                self._arrival(payload, now)
            else:
                self._new_day(payload)

    def _new_day(self, day_no: int) -> None:
        start = self._first_day + day_no * DAY
        arrivals = self.arrivals.day(day_no, start, max(start, self.start), start + DAY)
        self._days[day_no] = arrivals
        self._days.pop(day_no - 2, None)
        # Duplicates point within their own day: older report-to-case links are no longer needed.
        self._day_cases = {k: v for k, v in self._day_cases.items() if k[0] >= day_no - 1}
        for i, a in enumerate(arrivals):
            self._push(a.at, _ARRIVAL, (day_no, i))
        self._push(start + DAY, _DAY_STEP, day_no + 1)

    # ---- steps -----------------------------------------------------------------------------------
    def _arrival(self, ref: tuple[int, int], now: float) -> None:
        day_no, i = ref
        a = self._days[day_no][i]
        actor = self.actors.reporter(a.grid, a.source)
        lon, lat = self.position_in(a.grid)
        citizen = a.source.value in ("hotline", "resident")  # a citizen called or came in: 回访 later
        phone = f"13{(day_no * 7919 + i * 104729) % 10 ** 9:09d}" if citizen else None
        args = Args(node=a.grid, category=a.category, urgency=a.urgency, source=a.source,
                    description=a.description, address=self.actors.address(a.grid), lon=lon, lat=lat,
                    caller_name="市民" if citizen else None, caller_phone=phone)
        answer = self._send(Action.REPORT, None, None, args, actor, now)
        self.stats.arrivals += 1
        if not isinstance(answer, CommandAck):
            return
        self._day_cases[ref] = answer.case_id
        case = self._photograph(answer.case, Stage.BEFORE_NEAR, actor, now)
        track = Track(case)
        if a.duplicate_of >= 0:
            track.parent = self._day_cases.get((day_no, a.duplicate_of))
        track.self_resolve = (actor.role is Role.GRID_WORKER and a.source.value == "grid_worker"
                              and track.parent is None and self.actors.rng.random() < self.scenario.actors.self_resolve)
        self.tracks[track.case.id] = track
        self._plan(track, now)

    def _case_step(self, payload: tuple[str, int, str], now: float) -> None:
        case_id, token, step = payload
        track = self.tracks.get(case_id)
        if track is None or track.token != token:
            return  # superseded by a newer plan
        if not self.actors.may_take(track.case, step):
            return  # the street is a human's now; what they do re-plans the case
        command = self.actors.act(track, step, now)
        if command[2] is None:  # nobody virtual can take this step (no grid worker, no department)
            self.tracks.pop(case_id, None)
            return
        action, args, actor = command
        stage = {Action.RESOLVE: Stage.AFTER, Action.SELF_RESOLVE: Stage.AFTER}.get(action)
        if action is Action.VERIFY and args.passed:
            stage = Stage.VERIFICATION
        if stage is not None:
            track.case = self._photograph(track.case, stage, actor, now)
        answer = self._send(action, case_id, track.case.version, args, actor, now)
        if isinstance(answer, CommandAck):
            track.failures = 0
            self._update(track, answer.case, now)
            return
        # Refused: someone (a human, the SLA clock) changed the case. Look again and re-plan;
        # a conflict over a version bump alone (an SLA tick) is retried once at once.
        assert self._batch is not None  # steps run inside run_until's batch
        fresh = self._batch.case(case_id)
        if fresh is None:
            self.tracks.pop(case_id, None)
            return
        track.failures += 1
        if track.failures > _MAX_FAILURES or (fresh.version == track.case.version and answer.code != "conflict"):
            log.info("simulator gives up on %s after %s: %s", case_id, action.value, answer.message)
            self.tracks.pop(case_id, None)
            return
        same_state = fresh.state is track.case.state
        track.case = fresh
        self._sweeps.note(fresh)
        if answer.code == ErrorCode.CONFLICT.value and same_state:
            track.token += 1
            self._push(now, _CASE, (case_id, track.token, step))
        else:
            self._plan(track, now)

    def _photograph(self, case, stage, actor, now: float):
        """Attach the photographer's photo of ``case`` at ``stage`` (if it covers the case); the case after."""
        if self.photographer is None or not self.photographer.covers(case):
            return case
        try:
            ref = self.photographer.photo(case, stage, now)
        except Exception:  # a photo is a nicety of the demo; the case goes on without it
            log.exception("simulator: no photo for %s", case.id)
            return case
        if ref is None:
            return case
        answer = self._send(Action.ATTACH, case.id, case.version, Args(attachment=ref), actor, now)
        return answer.case if isinstance(answer, CommandAck) else case

    def _send(self, action: Action, case_id, version, args: Args, actor, now: float):
        self._command_no += 1
        assert self._batch is not None  # commands run inside run_until's batch
        answer = self._batch.execute(CommandRequest(client_id=self.client_id, id=f"c{self._command_no}", action=action,
                                                    case_id=case_id, expected_version=version, args=args, actor=actor),
                                     now, self.rules)
        self.stats.commands += 1
        self.stats.by_action[action.value] = self.stats.by_action.get(action.value, 0) + 1
        if isinstance(answer, CommandAck):
            if self._observing:
                self._own_seqs.add(answer.seq)  # so the feed's copy is not taken for a human's move
        else:
            self.stats.refused += 1
        return answer

    def _update(self, track: Track, case, now: float) -> None:
        track.case = case
        self._sweeps.note(case)
        if case.state in TERMINAL_STATES and not awaits_callback(case):
            self.tracks.pop(case.id, None)
        else:
            self._plan(track, now)

    def _plan(self, track: Track, now: float) -> None:
        track.token += 1
        nxt = self.actors.plan(track, now)
        if nxt is not None:
            self._push(nxt[0], _CASE, (track.case.id, track.token, nxt[1]))

    def _absorb_foreign(self, now: float) -> None:
        """Cases humans (or the hub's clock) changed: follow them from where they stand."""
        while self._foreign:
            fe = self._foreign.popleft()
            if fe.seq in self._own_seqs:
                self._own_seqs.discard(fe.seq)
                continue
            case = fe.case
            track = self.tracks.get(case.id)
            if track is not None and case.version <= track.case.version:
                continue
            if fe.event.role is Role.SYSTEM and fe.event.kind is not Action.RESUME:  # an SLA tick changes no plans
                if track is not None:
                    track.case = case
                continue
            if track is None:
                if case.state in TERMINAL_STATES and not awaits_callback(case):
                    continue
                track = self.tracks[case.id] = Track(case)
            self._update(track, case, now)

    # ---- the SLA clock during fast-forward ------------------------------------------------------
    def _followed_case(self, case_id: str):
        track = self.tracks.get(case_id)
        return None if track is None else track.case

    def _sweep(self, now: float) -> None:
        """The hub's sweep (store.due_for_sla / system_apply) at simulated ``now``."""
        self._sweeps.swept(now)
        while True:
            due = self.store.due_for_sla(now, 500)
            if not due:
                return
            with bulk.batch(self.store) as b:
                for case_id, action in due:
                    for fe in b.system_apply(case_id, action, now, self.rules):
                        self.stats.sla_ticks += 1
                        track = self.tracks.get(case_id)
                        if track is not None:
                            track.case = fe.case
                            self._sweeps.note(fe.case)
                            if fe.event.kind is Action.RESUME:  # a suspension's end date: back to work
                                self._plan(track, now)
            self.stats.transactions += 1
            if len(due) < 500:
                return


__all__ = ["Simulator", "Stats", "day_start"]
