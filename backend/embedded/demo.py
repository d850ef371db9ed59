"""The demo city: a whole Qingdao-shaped city on one laptop, no server.

An embedded hub (a real websockets server on loopback over a SQLite file in a
temporary folder) with the generated city and the simulator playing grid workers,
departments and the other streets' operators. The simulator first fast-forwards
the last few hours so the queues, KPIs and charts have something to show, then
follows a simulation clock live. The console connects to it like to any hub.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from backend.clock import SimClock
from backend.embedded import city_cache
from backend.embedded.hub_thread import HubThread
from backend.gridwork.demo import GridworkStart
from backend.gridwork.sim import GridworkSim
from backend.presence import pid_alive
from backend.sim.cityview import CityView
from backend.sim.engine import Simulator
from backend.sim.scenario import load_scenario
from backend.store import Store
from domain.city import CityData
from domain.hierarchy import Level, is_within, level_of
from domain.rules import default_rules, evidence_rules

FOLDER_PREFIX = "gridcc-demo-"
OWNER_FILE = "owner.pid"


def remove_abandoned_folders(root: str | None = None) -> list[Path]:
    """Remove demo folders whose process is gone (killed before it could clean up).

    A demo city is 70–120 MB on disk; a demo ended by SIGKILL or a power cut leaves it
    behind, so the next demo sweeps those whose owner process no longer runs.
    """
    removed = []
    for folder in Path(root or tempfile.gettempdir()).glob(FOLDER_PREFIX + "*"):
        try:
            pid = int((folder / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # not ours to judge: no owner recorded
        if pid != os.getpid() and not pid_alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed

Progress = Callable[[str], None]

#: Simulated seconds per slice of a background prefill: one write-thread job, then the pump sends it.
PREFILL_SLICE = 600.0

#: Roles and the jurisdiction they get in demo mode when --scope is not given.
DEFAULT_SCOPE_LEVEL = {"operator": Level.STREET, "trainer": Level.CITY, "supervisor": Level.CITY,
                       "wall": Level.CITY, "admin": Level.CITY, "grid_worker": Level.STREET,
                       "department": Level.CITY}


def _quiet(text: str) -> None:
    pass


@dataclass(frozen=True)
class Running:
    """The parts of a started city, none of them None (see DemoCity.running)."""

    store: Store
    hub: HubThread
    clock: SimClock
    sim: Simulator


#: Roles whose user works the street's cases; the simulator leaves their streets to them.
HUMAN_CASE_ROLES = frozenset({"operator"})


def _listening_socket(host: str) -> socket.socket:
    """A TCP socket bound to a free port on ``host`` and listening (connections wait until served)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(128)
    return sock


def _scope_level(role: str) -> Level:
    return DEFAULT_SCOPE_LEVEL.get(role, Level.STREET)


def _default_scope(nodes, role: str) -> str:
    level = _scope_level(role)
    codes = sorted(n.code for n in nodes if n.level == level)
    preferred = [c for c in codes if is_within(c, "370202")]  # 市南区 first: the demo's home
    return (preferred or codes)[0]


class DemoCity:
    def __init__(self, *, db: str | None = None, seed: int = 2023, scale: float = 1.0,
                 scenario: str = "normal_day", speed: float = 10.0, prefill_hours: float = 8.0,
                 host: str = "127.0.0.1", port: int = 0, auto_operator_delay: float = 15.0,
                 human_streets: tuple[str, ...] = (), sim_start: float | None = None,
                 paused: bool = False, evidence: bool = True, enforce_evidence: bool = True,
                 real_data: str | Path | None = None, human_role: str | None = None,
                 human_scope: str | None = None, handover_hours: float = 0.5, cache_city: bool = True,
                 background_prefill: bool = False, console_token: bool = False) -> None:
        """``sim_start``: the simulated time the live clock starts at (default: now); ``paused``:
        start with the clock stopped (trainer mode starts a scenario when the trainer says so);
        ``real_data``: a folder with qingdao_divisions.csv and qingdao_districts.geojson, whose real
        streets and district outlines the generated city then keeps.

        ``human_role`` / ``human_scope``: who sits at the console. An operator's streets are left
        to the human from ``handover_hours`` before the live start on (the previous shift did the
        rest), so what arrived since waits in 待受理 and the scenario decides how busy it gets.

        ``cache_city``: with a temporary database (``db`` None), take the generated city from the
        on-disk cache (``backend.embedded.city_cache``) and put it there after generating it.

        ``background_prefill``: start the hub before the last hours are simulated and simulate them
        on the hub's write thread, so a console can open at once and sees them come in as live
        events; the hub's clock follows the fast-forward, paused, until it reaches the live start.
        ``prefilled`` is set and ``prefill_done`` reaches 1.0 when they are in. The grid's work of
        those hours (and the case simulator's adoption of its cases) runs there too, first. The
        fast-forward waits until ``prefill_go`` is set (set from the start unless a caller clears it
        first: ``gridcc demo`` lets the console window open and go live before it, as the
        fast-forward would otherwise take half the interpreter while the window is built).

        ``console_token``: issue the human's token (``human_role`` at ``human_scope``, default
        scope for the role) while starting, before the hub serves: ``console`` then holds
        (scope, token)."""
        if not 1.0 <= speed <= 600.0:
            raise ValueError(f"speed must be within 1–600×, got {speed}")
        self.seed, self.scale, self.speed = seed, scale, speed
        self.scenario_name, self.prefill_hours = scenario, prefill_hours
        self.host, self.port, self.auto_operator_delay = host, port, auto_operator_delay
        self.human_streets = human_streets
        self.sim_start, self.paused = sim_start, paused
        self.evidence = evidence  # photos over HTTP beside the feed, drawn by the simulator for the home street
        self.http = None
        self._evidence_tmp: Path | None = None
        # A background start opens the HTTP side only once the caller's window is up (prefill_go): its
        # socket listens from the start, so the URL is known and early requests wait in the backlog.
        self._http_sock: socket.socket | None = None
        self.real_data = Path(real_data) if real_data else None
        self.human_role, self.human_scope, self.handover_hours = human_role, human_scope, handover_hours
        self.cache_city = cache_city
        self._tmp: str | None = None
        if db is None:
            remove_abandoned_folders()
            self._tmp = tempfile.mkdtemp(prefix=FOLDER_PREFIX)
            (Path(self._tmp) / OWNER_FILE).write_text(str(os.getpid()))
            db = f"sqlite:///{Path(self._tmp) / 'hub.db'}"
        self.db = db
        # With evidence the hub enforces the catalog's evidence rules and the simulator photographs
        # every case (stock photos outside the streets people look at), so the demo shows them at work.
        self.enforce_evidence = evidence and enforce_evidence
        self.rules = evidence_rules() if self.enforce_evidence else default_rules()
        self.store: Store | None = None
        self.hub: HubThread | None = None
        self.clock: SimClock | None = None
        self.sim: Simulator | None = None
        self.gridwork: GridworkSim | None = None  # the grid's own work, once gridwork_ready is set
        self.gridwork_ready = threading.Event()
        self._runner: concurrent.futures.Future[None] | None = None
        self.background_prefill = background_prefill
        self.prefilled = threading.Event()
        self.prefill_done = 0.0  # the share of the last hours simulated so far
        self.prefill_cases: int | None = None  # cases in the store when the prefill ended
        self.prefill_stats: dict[str, int] | None = None  # the simulator's counts then
        self.prefill_go = threading.Event()
        self.prefill_go.set()
        self.console_token = console_token
        self.console: tuple[str, str] | None = None  # (scope, token) with console_token

    # ---- life ------------------------------------------------------------------------------
    def start(self, progress: Progress = _quiet) -> DemoCity:
        cached = None  # (key, database file) when the city may come from, or go to, the on-disk cache
        if self._tmp and self.cache_city:
            cached = (city_cache.city_key(self.seed, self.scale, self.rules.catalog.departments.values(),
                                          self.real_data), Path(self._tmp) / "hub.db")
            if city_cache.restore(*cached):
                progress("the city from the cache")
        store = self.store = Store.open(self.db, require_current=False)
        if store.schema_status().state != "current":  # a city from the cache is at the head: no alembic import
            store.migrate()  # (alembic, mako and pygments: ~250 ms and several MB before the first window)
        scenario = load_scenario(self.scenario_name, self.rules.catalog)
        city: CityData | None = None
        if store.counts().get("nodes", 0) == 0:
            progress("generating the city")
            from backend.city import generate_city  # only without a cached city: it loads shapely

            city = generate_city(seed=self.seed, scale=self.scale, divisions=self._real_divisions())
            store.import_city(city)
            store.import_departments(self.rules.catalog.departments.values())
            if cached is not None:
                city_cache.store(*cached)
        # every start: a demo database kept from an older catalog gains its new departments
        store.import_departments(self.rules.catalog.departments.values())
        nodes = store.nodes(with_geometry=False)  # not kept: ~10 MB with their portraits for a full city
        if self.console_token and self.human_role:
            scope = self.human_scope or _default_scope(nodes, self.human_role)
            self.console = (scope, self.token(self.human_role, scope, store=store))
        workers = store.all_workers() if city is None else city.workers
        del city  # kept, a generated city's outlines and portraits would outlive the start (~16 MB)
        view = CityView.build(nodes, workers)
        now = time.time() if self.sim_start is None else self.sim_start
        start = now - self.prefill_hours * 3600
        gridwork = GridworkStart(store, self.rules, nodes, view.workers, start=start, now=now, seed=self.seed,
                                 injections=scenario.gridwork, progress=progress)
        if not self.background_prefill:  # else on the hub's write thread, first thing (_prefill_then_live)
            for step in gridwork.steps():
                step()
            self.gridwork = gridwork.sim
            self.gridwork_ready.set()
        sim = self.sim = Simulator(store, self.rules, scenario, view, start=start, seed=self.seed,
                                   auto_operator_delay=self.auto_operator_delay, human_streets=self.human_streets)
        if not self.background_prefill:
            sim.adopt_open_cases()
        if self.evidence and not self.background_prefill:
            self.http = self._evidence(store)
        elif self.evidence:
            self._http_sock = _listening_socket(self.host)
        humans = self._human_streets(nodes)
        handover = max(start, now - self.handover_hours * 3600) if humans else None
        if self.background_prefill:
            self.clock = SimClock(start=start, speed=self.speed, paused=True)  # follows the fast-forward
            hub = self.hub = HubThread(store, rules=self.rules, clock=self.clock, host=self.host, port=self.port,
                                       sweep_interval=0.5, heartbeat_interval=3.0, http=self.http)
            hub.hub.sweeping = False  # the simulator sweeps at the simulated minutes while it fast-forwards
            hub.start()
            self._runner = hub.spawn(lambda stop: self._prefill_then_live(hub, sim, gridwork, start, now, handover,
                                                                          humans, stop))
        else:
            progress("simulating the last hours")
            if handover is not None:
                sim.run_until(handover)
                self._hand_over(sim, humans)
            sim.run_until(now)
            self._prefill_ended(store)
            self.prefilled.set()
            self.clock = SimClock(start=now, speed=self.speed, paused=self.paused)
            hub = self.hub = HubThread(store, rules=self.rules, clock=self.clock, host=self.host, port=self.port,
                                       sweep_interval=0.5, heartbeat_interval=3.0, http=self.http).start()
            self._runner = hub.spawn(lambda stop: sim.run_live(hub.hub, stop=stop))
        self._gridwork_runner = hub.spawn(lambda stop: self._gridwork_live(hub, stop))
        return self

    async def _gridwork_live(self, thread: HubThread, stop) -> None:
        """The grid's work live, once it is caught up (at once after a synchronous start)."""
        while not self.gridwork_ready.is_set():
            if stop.is_set():
                return
            await asyncio.sleep(0.1)
        assert self.gridwork is not None
        await self.gridwork.run_live(thread.hub, stop=stop)

    def _hand_over(self, sim: Simulator, humans: frozenset[str]) -> None:
        sim.actors.human_streets = frozenset(sim.actors.human_streets | humans)
        self.human_streets = tuple(sorted(sim.actors.human_streets))

    def _prefill_ended(self, store: Store) -> None:
        from sqlalchemy import func, select

        from backend.store.models import CaseRow

        with store._read() as conn:  # noqa: SLF001 - one count, for the tests and the benchmark
            self.prefill_cases = conn.execute(select(func.count()).select_from(CaseRow)).scalar_one()
        if self.sim is not None:
            stats = self.sim.stats
            self.prefill_stats = {"arrivals": stats.arrivals, "commands": stats.commands, "refused": stats.refused,
                                  "sla_ticks": stats.sla_ticks}
        self.prefill_done = 1.0

    async def _prefill_then_live(self, thread: HubThread, sim: Simulator, gridwork: GridworkStart, start: float,
                                 now: float, handover: float | None, humans: frozenset[str], stop) -> None:
        """The grid's work (on a new database its register and a month of visits without cases),
        its last hours and the adoption of their cases, then the last hours in
        slices on the hub's write thread (its pump sends each slice's events out), the clock stepping
        with them; then the clock runs and the simulator follows it live. In the order of the
        synchronous start, so both end alike. The gridwork live loop waits for it (``gridwork_ready``),
        then idles until the live start: the paused clock does not pass its time (``now``) before."""
        hub, clock = thread.hub, self.clock
        assert clock is not None
        while not self.prefill_go.is_set():  # the caller's window first (see __init__)
            if stop.is_set():
                return
            await asyncio.sleep(0.05)
        if self._http_sock is not None:
            await self._start_http(hub, sim.store)
        for step in gridwork.steps():  # one job each: commands from people get in between
            if stop.is_set():
                return
            await hub.write(step)
        self.gridwork = gridwork.sim
        self.gridwork_ready.set()
        await hub.write(sim.adopt_open_cases)
        hub.wake_pump()
        t = start
        while t < now:
            if stop.is_set():
                return
            t = min(now, t + PREFILL_SLICE)
            if handover is not None and t >= handover:
                await hub.write(sim.run_until, handover)
                self._hand_over(sim, humans)
                handover = None
            await hub.write(sim.run_until, t)
            clock.reset(t)
            self.prefill_done = (t - start) / (now - start) if now > start else 1.0
            hub.wake_pump()
        await hub.write(self._prefill_ended, sim.store)
        clock.reset(now)
        hub.sweeping = True
        if not self.paused:
            clock.resume()
        self.prefilled.set()
        await sim.run_live(hub, stop=stop)

    def running(self) -> Running:
        """The store, hub, clock and simulator; RuntimeError before start() or after stop()."""
        if self.store is None or self.hub is None or self.clock is None or self.sim is None:
            raise RuntimeError("the demo city is not running")
        return Running(self.store, self.hub, self.clock, self.sim)

    def _evidence(self, store):
        """The evidence HTTP side with files in the demo's folder; the simulator photographs the home street."""
        from backend.evidence.photographer import Photographer
        from backend.evidence.server import HttpSide
        from backend.evidence.service import Evidence

        folder = Path(self._tmp) if self._tmp else None
        if folder is None and self.db.startswith("sqlite:///"):  # beside the database (a training session's folder)
            folder = Path(self.db[len("sqlite:///"):]).parent
        if folder is None:
            folder = self._evidence_tmp = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX + "files-"))
        evidence = Evidence.in_folder(folder / "evidence")
        scopes = self.human_streets or (self.default_scope("operator"),)  # where people look
        self.sim.photographer = Photographer(evidence, store, scopes, everywhere=self.enforce_evidence)
        return HttpSide(evidence, 0)

    async def _start_http(self, hub, store) -> None:
        """The evidence store and the photographer, after the caller's window, and the HTTP side on
        the socket listening since the start: aiohttp and the site are made when a first client
        comes (backend.http.on_demand: most demo sessions never open a photo)."""
        from backend.http.on_demand import OnDemandHttpSite

        sock, self._http_sock = self._http_sock, None
        assert sock is not None
        self.http = await asyncio.get_running_loop().run_in_executor(None, self._evidence, store)
        hub.evidence, hub.http_port = self.http.evidence, sock.getsockname()[1]
        hub.http = OnDemandHttpSite(hub, self.host, sock, evidence=self.http.evidence)
        await hub.http.start()

    @property
    def http_url(self) -> str | None:
        site = self.hub.hub.http if self.hub is not None else None
        if site is None and self._http_sock is not None:  # listening; served once the window is up
            host = self.host if self.host not in ("", "0.0.0.0") else "127.0.0.1"
            return f"http://{host}:{self._http_sock.getsockname()[1]}"
        return site.url if site is not None else None

    def _real_divisions(self):
        if self.real_data is None:
            return None
        from backend.city import attach, parse_boundaries, parse_divisions

        divisions = parse_divisions((self.real_data / "qingdao_divisions.csv").read_text(encoding="utf-8"))
        outlines = parse_boundaries((self.real_data / "qingdao_districts.geojson").read_text(encoding="utf-8"))
        return attach(divisions, outlines)

    def stop(self) -> None:
        wait_until_started(self)  # a start still building the city would write into a removed folder
        if self.hub is not None:
            self.hub.stop()  # stops the simulator first
            self.hub = None
        if self._http_sock is not None:  # stopped before the window was up
            self._http_sock.close()
            self._http_sock = None
        if self.store is not None:
            self.store.close()
            self.store = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        if self._evidence_tmp is not None:
            shutil.rmtree(self._evidence_tmp, ignore_errors=True)
            self._evidence_tmp = None

    def _human_streets(self, nodes) -> frozenset[str]:
        """The streets of the human operator's jurisdiction (none for other roles)."""
        if self.human_role not in HUMAN_CASE_ROLES:
            return frozenset()
        scope = self.human_scope or _default_scope(nodes, self.human_role)
        self.human_scope = scope
        if len(scope) >= 9:
            return frozenset({scope[:9]})
        return frozenset(n.code for n in nodes if n.level == Level.STREET and is_within(n.code, scope))

    # ---- users ------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return self.running().hub.url

    def default_scope(self, role: str) -> str:
        if self.store is None:  # asked while starting (the evidence side picks where to photograph)
            raise RuntimeError("the demo city has no store yet")
        return _default_scope(self.store.nodes(with_geometry=False, level=_scope_level(role)), role)

    def token(self, role: str, scope: str | None = None, name: str | None = None,
              department: str | None = None, *, store: Store | None = None) -> str:
        """A new user's token; ``store``: the store while starting (before ``running()``)."""
        scope = scope or self.default_scope(role)
        level_of(scope)  # a bad code fails here, clearly
        if role == "department" and department is None:
            department = next(iter(self.rules.catalog.departments))
        names = {"operator": "王晓明", "supervisor": "李建国", "wall": "指挥大厅大屏", "trainer": "张老师",
                 "admin": "管理员", "department": "刘强", "grid_worker": "陈芳"}
        target = store or self.running().store
        return target.add_user(name or names.get(role, role), role, scope, department)[1]


_Started = TypeVar("_Started", covariant=True)


class Startable(Protocol[_Started]):
    """What start_in_background starts: a DemoCity or a TrainingSession; start() returns it."""

    def start(self, progress: Progress = ...) -> _Started: ...


_T = TypeVar("_T")


def start_in_background(demo: Startable[_T], progress: Progress = _quiet) -> concurrent.futures.Future[_T]:
    """Start the demo city (or a training session over one) off the GUI thread: generating a city takes seconds."""
    future: concurrent.futures.Future[_T] = concurrent.futures.Future()

    def run() -> None:
        try:
            future.set_result(demo.start(progress))
        except BaseException as exc:
            future.set_exception(exc)

    thread = threading.Thread(target=run, name="demo-start", daemon=True)
    demo._start_thread = thread  # type: ignore[attr-defined]
    thread.start()
    return future


def wait_until_started(target: object, timeout: float = 600) -> None:
    """Join the thread ``start_in_background`` runs for ``target``, unless called from it."""
    thread = getattr(target, "_start_thread", None)
    if thread is not None and thread.is_alive() and thread is not threading.current_thread():
        thread.join(timeout)
