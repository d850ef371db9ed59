"""The demo city: a whole Qingdao-shaped city on one laptop, no server.

An embedded hub (a real websockets server on loopback over a SQLite file in a
temporary folder) with the generated city and the simulator playing grid workers,
departments and the other streets' operators. The simulator first fast-forwards
the last few hours so the queues, KPIs and charts have something to show, then
follows a simulation clock live. The console connects to it like to any hub.
"""

from __future__ import annotations

import concurrent.futures
import shutil
import tempfile
import threading
import time
from pathlib import Path

from backend.city import generate_city
from backend.clock import SimClock
from backend.embedded.hub_thread import HubThread
from backend.sim.cityview import CityView
from backend.sim.engine import Simulator
from backend.sim.scenario import load_scenario
from backend.store import Store
from domain.hierarchy import Level, is_within, level_of
from domain.rules import default_rules

#: Roles and the jurisdiction they get in demo mode when --scope is not given.
DEFAULT_SCOPE_LEVEL = {"operator": Level.STREET, "trainer": Level.CITY, "supervisor": Level.CITY,
                       "wall": Level.CITY, "admin": Level.CITY, "grid_worker": Level.STREET,
                       "department": Level.CITY}


#: Roles whose user works the street's cases; the simulator leaves their streets to them.
HUMAN_CASE_ROLES = frozenset({"operator"})


class DemoCity:
    def __init__(self, *, db: str | None = None, seed: int = 2023, scale: float = 1.0,
                 scenario: str = "normal_day", speed: float = 10.0, prefill_hours: float = 8.0,
                 host: str = "127.0.0.1", port: int = 0, auto_operator_delay: float = 15.0,
                 human_streets: tuple[str, ...] = (), sim_start: float | None = None,
                 paused: bool = False, human_role: str | None = None, human_scope: str | None = None,
                 handover_hours: float = 0.5) -> None:
        """``sim_start``: the simulated time the live clock starts at (default: now); ``paused``:
        start with the clock stopped (trainer mode starts a scenario when the trainer says so).

        ``human_role`` / ``human_scope``: who sits at the console. An operator's streets are left
        to the human from ``handover_hours`` before the live start on (the previous shift did the
        rest), so what arrived since waits in 待受理 and the scenario decides how busy it gets."""
        if not 1.0 <= speed <= 600.0:
            raise ValueError(f"speed must be within 1–600×, got {speed}")
        self.seed, self.scale, self.speed = seed, scale, speed
        self.scenario_name, self.prefill_hours = scenario, prefill_hours
        self.host, self.port, self.auto_operator_delay = host, port, auto_operator_delay
        self.human_streets = human_streets
        self.sim_start, self.paused = sim_start, paused
        self.human_role, self.human_scope, self.handover_hours = human_role, human_scope, handover_hours
        self._tmp: str | None = None
        if db is None:
            self._tmp = tempfile.mkdtemp(prefix="gridcc-demo-")
            db = f"sqlite:///{Path(self._tmp) / 'hub.db'}"
        self.db = db
        self.rules = default_rules()
        self.store: Store | None = None
        self.hub: HubThread | None = None
        self.clock: SimClock | None = None
        self.sim: Simulator | None = None
        self.city = None
        self._runner = None

    # ---- life ------------------------------------------------------------------------------
    def start(self, progress=lambda text: None) -> DemoCity:
        store = self.store = Store.open(self.db, require_current=False)
        store.migrate()
        scenario = load_scenario(self.scenario_name, self.rules.catalog)
        if store.counts().get("nodes", 0) == 0:
            progress("generating the city")
            self.city = generate_city(seed=self.seed, scale=self.scale)
            store.import_city(self.city)
            store.import_departments(self.rules.catalog.departments.values())
        nodes = store.nodes(with_geometry=False)
        workers = [w for n in nodes if n.level == Level.GRID for w in store.workers_of(n.code)] \
            if self.city is None else self.city.workers
        view = CityView.build(nodes, workers)
        now = time.time() if self.sim_start is None else self.sim_start
        start = now - self.prefill_hours * 3600
        self.sim = Simulator(store, self.rules, scenario, view, start=start, seed=self.seed,
                             auto_operator_delay=self.auto_operator_delay, human_streets=self.human_streets)
        self.sim.adopt_open_cases()
        progress("simulating the last hours")
        humans = self._human_streets(nodes)
        if humans:
            self.sim.run_until(max(start, now - self.handover_hours * 3600))
            self.sim.actors.human_streets = frozenset(self.sim.actors.human_streets | humans)
            self.human_streets = tuple(sorted(self.sim.actors.human_streets))
        self.sim.run_until(now)
        self.clock = SimClock(start=now, speed=self.speed, paused=self.paused)
        self.hub = HubThread(store, rules=self.rules, clock=self.clock, host=self.host, port=self.port,
                             sweep_interval=0.5, heartbeat_interval=3.0).start()
        self._runner = self.hub.spawn(lambda stop: self.sim.run_live(self.hub.hub, stop=stop))
        return self

    def stop(self) -> None:
        if self.hub is not None:
            self.hub.stop()  # stops the simulator first
            self.hub = None
        if self.store is not None:
            self.store.close()
            self.store = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def _human_streets(self, nodes) -> frozenset[str]:
        """The streets of the human operator's jurisdiction (none for other roles)."""
        if self.human_role not in HUMAN_CASE_ROLES:
            return frozenset()
        scope = self.human_scope or self.default_scope(self.human_role)
        self.human_scope = scope
        if len(scope) >= 9:
            return frozenset({scope[:9]})
        return frozenset(n.code for n in nodes if n.level == Level.STREET and is_within(n.code, scope))

    # ---- users ------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return self.hub.url

    def default_scope(self, role: str) -> str:
        level = DEFAULT_SCOPE_LEVEL.get(role, Level.STREET)
        codes = sorted(n.code for n in self.store.nodes(with_geometry=False) if n.level == level)
        preferred = [c for c in codes if is_within(c, "370202")]  # 市南区 first: the demo's home
        return (preferred or codes)[0]

    def token(self, role: str, scope: str | None = None, name: str | None = None,
              department: str | None = None) -> str:
        scope = scope or self.default_scope(role)
        level_of(scope)  # a bad code fails here, clearly
        if role == "department" and department is None:
            department = next(iter(self.rules.catalog.departments))
        names = {"operator": "王晓明", "supervisor": "李建国", "wall": "指挥大厅大屏", "trainer": "张老师",
                 "admin": "管理员", "department": "刘强", "grid_worker": "陈芳"}
        return self.store.add_user(name or names.get(role, role), role, scope, department)[1]


def start_in_background(demo: DemoCity, progress=lambda text: None) -> concurrent.futures.Future:
    """Start the demo city off the GUI thread (generating a city takes seconds)."""
    future: concurrent.futures.Future = concurrent.futures.Future()

    def run() -> None:
        try:
            future.set_result(demo.start(progress))
        except BaseException as exc:
            future.set_exception(exc)

    threading.Thread(target=run, name="demo-start", daemon=True).start()
    return future
