"""The simulator reads the grids' outlines row by row (not the whole city's nodes as Python
objects, which the process would keep) and keeps them as WKB: the same outlines, so the same
positions."""

from __future__ import annotations

import random

import shapely

from backend.city import generate_city
from backend.city.spatial import random_point_in, to_geom
from backend.sim.cityview import CityView
from backend.sim.engine import Simulator
from backend.sim.scenario import load_scenario
from domain.hierarchy import Level
from tests.backend.conftest import T0


def test_the_streamed_outlines_are_those_of_the_stored_nodes(store, rules):
    city = generate_city(seed=11, scale=0.02)
    store.import_city(city)
    sim = Simulator(store, rules, load_scenario("normal_day", rules.catalog), CityView.from_city(city), start=T0)
    streamed = {code: shapely.from_wkb(wkb) for code, wkb in sim._grid_outlines().items()}  # noqa: SLF001
    plain = {n.code: to_geom(n.geometry) for n in store.nodes(with_geometry=True)
             if n.level == Level.GRID and n.geometry}
    assert plain and streamed.keys() == plain.keys()
    assert all(shapely.equals_exact(streamed[code], plain[code], 0) for code in plain)
    grid = sorted(plain)[0]
    assert random_point_in(streamed[grid], random.Random(3)) == random_point_in(plain[grid], random.Random(3))
    assert sim.position_in(grid) == random_point_in(plain[grid], random.Random(f"{1}:positions"))
