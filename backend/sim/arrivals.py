"""Arrivals: the cases a simulated day brings, where, when, of what kind and from whom.

One day at a time, drawn from a numpy generator seeded by (seed, day number), so a day's
arrivals do not depend on how long the run before it was or what the actors did.
Counts per hour are Poisson around the scenario's volume times its hourly rhythm; grids
are drawn by weight (portrait × hot spots); duplicates follow their original within
minutes from another source so the street operator can merge them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from backend.sim import mix
from backend.sim.cityview import CityView
from backend.sim.scenario import Scenario, ScenarioError
from domain.catalog import Catalog
from domain.model import Source, Urgency

_URGENCY_ORDER = (Urgency.NORMAL, Urgency.URGENT, Urgency.CRITICAL)
_DUPLICATE_SOURCES = (Source.RESIDENT, Source.HOTLINE)
_SOURCE_WORDS = {
    Source.GRID_WORKER: "网格员巡查发现",
    Source.RESIDENT: "群众反映",
    Source.HOTLINE: "12345热线转办",
    Source.VIDEO: "视频巡查发现",
    Source.MEETING: "网格自管会反映",
}


class Arrival(NamedTuple):
    at: float
    grid: str
    category: str
    urgency: Urgency
    source: Source
    description: str
    duplicate_of: int = -1  # index of the original arrival in the same day's list
    injected: bool = False


class ArrivalModel:
    """Per-day arrival draws for one scenario on one city."""

    def __init__(self, scenario: Scenario, catalog: Catalog, city: CityView, seed: int,
                 volume: float | None = None) -> None:
        self.scenario = scenario
        self.catalog = catalog
        self.city = city
        self.seed = seed
        if volume is None:
            volume = scenario.daily_volume * len(city.grids) / mix.REFERENCE_GRIDS
        if volume < 0:
            raise ValueError(f"volume must be >= 0 items a day, got {volume}")
        self.volume = float(volume)
        self.categories = sorted(c for c, item in catalog.categories.items() if not item.retired)
        weights = np.array([mix.BASE_WEIGHTS.get(c, mix.DEFAULT_WEIGHT) * scenario.categories.get(c, 1.0)
                            for c in self.categories])
        if weights.sum() <= 0:
            raise ScenarioError(f"{scenario.source_file}: category multipliers leave no category with weight > 0")
        self._cat_cum = np.cumsum(weights) / weights.sum()
        self._grid_cum = self._grid_weights()
        hourly = np.array(scenario.hourly, dtype=float)
        self._hourly = hourly / hourly.sum()
        self._urg = np.cumsum([scenario.urgency[u] for u in _URGENCY_ORDER])
        self._sources = list(Source)
        self._src = np.cumsum([scenario.source[s] for s in self._sources])

    def _grid_weights(self) -> np.ndarray:
        city, sc = self.city, self.scenario
        w = np.array(city.base_weight, dtype=float)
        for spot in sc.hotspots:
            idx = city.grids_under(spot.node)
            if not idx:
                raise ScenarioError(f"{sc.source_file}: hot spot node {spot.node} has no grids in this city")
            w[idx[0]:idx[-1] + 1] *= spot.weight
        if sc.random_hotspot_grids:
            rng = np.random.default_rng([self.seed, 7])
            k = min(sc.random_hotspot_grids, len(city.grids))
            w[rng.choice(len(city.grids), size=k, replace=False)] *= sc.random_hotspot_weight
        return np.cumsum(w) / w.sum()

    def day(self, day_no: int, day_start: float, start: float, end: float) -> list[Arrival]:
        """Arrivals of day ``day_no`` (0 = the run's first) whose time lies in [start, end).

        ``day_start`` is that day's 00:00 CST. Injections of the scenario are included.
        """
        rng = np.random.default_rng([self.seed, 1, day_no])
        counts = rng.poisson(self.volume * self._hourly)
        total = int(counts.sum())
        times = day_start + 3600.0 * (np.repeat(np.arange(24), counts) + rng.random(total))
        grids = np.searchsorted(self._grid_cum, rng.random(total), side="right")
        cats = np.searchsorted(self._cat_cum, rng.random(total), side="right")
        urgs = np.searchsorted(self._urg, rng.random(total) * self._urg[-1], side="right")
        srcs = np.searchsorted(self._src, rng.random(total) * self._src[-1], side="right")
        dup = rng.random(total) < self.scenario.actors.duplicate
        dup_delay = rng.exponential(600.0, total) + 60.0
        dup_src = rng.integers(0, len(_DUPLICATE_SOURCES), total)
        n_grids, n_cats = len(self.city.grids), len(self.categories)
        out: list[Arrival] = []
        for i in range(total):
            at = float(times[i])
            if not start <= at < end:
                continue
            grid = self.city.grids[min(int(grids[i]), n_grids - 1)]
            category = self.categories[min(int(cats[i]), n_cats - 1)]
            urgency = self._floor(category, _URGENCY_ORDER[min(int(urgs[i]), 2)])
            source = self._sources[min(int(srcs[i]), len(self._sources) - 1)]
            out.append(Arrival(at, grid, category, urgency, source, self._describe(category, source)))
            if dup[i] and at + dup_delay[i] < end:
                s2 = _DUPLICATE_SOURCES[int(dup_src[i])]
                out.append(Arrival(at + float(dup_delay[i]), grid, category, urgency, s2,
                                   self._describe(category, s2) + "（重复反映）", duplicate_of=len(out) - 1))
        out.extend(self._injections(day_no, day_start, start, end, rng))
        order = sorted(range(len(out)), key=lambda k: out[k].at)
        position = {old: new for new, old in enumerate(order)}
        return [a._replace(duplicate_of=position[a.duplicate_of]) if a.duplicate_of >= 0 else a
                for a in (out[k] for k in order)]

    def _injections(self, day_no: int, day_start: float, start: float, end: float,
                    rng: np.random.Generator) -> list[Arrival]:
        out = []
        for inj in self.scenario.injections:
            # Day 1 of a scenario is the day the run starts on.
            if inj.day - 1 != day_no:
                continue
            at = day_start + inj.at
            if not start <= at < end:
                continue
            if inj.node is not None and len(inj.node) == 15:
                if inj.node not in self.city.names:
                    raise ScenarioError(f"{self.scenario.source_file}: injection at grid {inj.node}: "
                                        "no such grid in this city")
                grid = inj.node
            else:
                idx = self.city.grids_under(inj.node or "")
                if not idx:
                    raise ScenarioError(f"{self.scenario.source_file}: injection at {inj.node}: "
                                        "no grids under that node in this city")
                grid = self.city.grids[idx[int(rng.integers(0, len(idx)))]]
            text = inj.description or self._describe(inj.category, inj.source)
            out.append(Arrival(at, grid, inj.category, inj.urgency, inj.source, text, injected=True))
        return out

    def _floor(self, category: str, urgency: Urgency) -> Urgency:
        least = mix.MIN_URGENCY.get(category)
        if least is not None and _URGENCY_ORDER.index(least) > _URGENCY_ORDER.index(urgency):
            return least
        return urgency

    def _describe(self, category: str, source: Source) -> str:
        return f"{_SOURCE_WORDS[source]}：{self.catalog.categories[category].name}"

