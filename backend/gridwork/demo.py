"""The grid's own work in the demo city: a register, a month of history, then the live simulator.

The register is drawn from the city's portraits (``seed``); the people of the home district
(市南区 when the city has it; its first street when the district has more than 120 grids) get
visit plans, and a month of visits, patrols and meetings (plus the year's earlier meetings) is
simulated without cases before the case simulator starts; the last hours are simulated with
cases, which the case simulator then adopts.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator

from backend.gridwork.seed import seed_register
from backend.gridwork.sim import GridworkSim, day_start
from backend.gridwork.store import GridworkStore, year_bounds
from domain.gridwork.care import DAY
from domain.hierarchy import Level

HOME_DISTRICT = "370202"
HISTORY_DAYS = 30  # the window of 走访完成率


#: The most grids whose people the demo works; a bigger home district is cut to its first street.
MAX_WORKED_GRIDS = 120


def worked_scope(nodes) -> str:
    """The home district (市南区 when the city has it), or its first street when it is big."""
    districts = sorted(n.code for n in nodes if n.level == Level.DISTRICT)
    home = HOME_DISTRICT if HOME_DISTRICT in districts else (districts[0] if districts else "")
    grids = [n.code for n in nodes if n.level == Level.GRID and n.code.startswith(home)]
    if len(grids) <= MAX_WORKED_GRIDS:
        return home
    return min(g[:9] for g in grids)


def prepare_gridwork(store, rules, nodes, workers: dict, *, start: float, now: float, seed: int = 2023,
                     injections=(), progress=lambda text: None) -> GridworkSim:
    """Seed (on a new database) and bring the grid's work up to ``now``; the simulator to run live."""
    steps = GridworkStart(store, rules, nodes, workers, start=start, now=now, seed=seed, injections=injections,
                          progress=progress)
    for step in steps.steps():
        step()
    assert steps.sim is not None
    return steps.sim


class GridworkStart:
    """What :func:`prepare_gridwork` does, as a series of steps a caller may run one by one: the
    demo runs them as separate jobs on the hub's write thread, behind an open window, so commands
    from people get in between. ``sim`` exists once the register is in."""

    def __init__(self, store, rules, nodes, workers: dict, *, start: float, now: float, seed: int = 2023,
                 injections=(), progress=lambda text: None) -> None:
        self.store, self.rules, self.nodes, self.workers = store, rules, nodes, workers
        self.start, self.now, self.seed, self.injections, self.progress = start, now, seed, injections, progress
        self.sim: GridworkSim | None = None

    def steps(self) -> Iterator[Callable[[], None]]:
        """Callables to run in order (each may be run on another thread than the one iterating)."""
        start, now = self.start, self.now
        g = GridworkStore(self.store)
        scope = worked_scope(self.nodes)
        history = start - HISTORY_DAYS * DAY
        fresh = g.data_as_of() is None
        if fresh:
            def register() -> None:
                self.progress("drawing the grid register")
                as_of = min(now, day_start(now) + 2 * 3600)  # the nightly refresh of the departments' data
                seed_register(g, self.nodes, now=history, seed=self.seed, people_scope=scope, first_due_from=history)
                g.stamp_as_of(as_of)

            yield register

        def make_sim() -> None:
            self.sim = GridworkSim(self.store, self.rules, scope, self.workers, start=history if fresh else start,
                                   seed=self.seed, injections=self.injections, day1=day_start(start))

        yield make_sim
        if fresh:
            def meetings() -> None:
                self.progress("simulating a month of visits, patrols and meetings")
                assert self.sim is not None
                self.sim.seed_meetings(max(year_bounds(time.gmtime(now + 8 * 3600).tm_year)[0], history - 330 * DAY),
                                       history)

            yield meetings
            t = history
            while t < start:
                t = min(start, t + DAY)
                yield functools.partial(self._run_until, t, False)
        t = start  # sim.t, either way: the last hours, with cases, hourly
        while t < now:
            t = min(now, t + 3600)
            yield functools.partial(self._run_until, t, True)
        self.nodes = []  # the register is drawn: a full city's nodes (~10 MB) need not outlive the start

    def _run_until(self, t: float, cases: bool) -> None:
        assert self.sim is not None
        self.sim.run_until(t, cases=cases)
