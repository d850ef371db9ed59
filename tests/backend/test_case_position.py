"""Case positions: the report check, the store columns and migration, position → grid, the simulator."""

from __future__ import annotations

import random

import msgspec
import numpy as np
import pytest
from sqlalchemy import text

from backend.city import generate_city
from backend.city.geometry import shape_from_geometry
from backend.city.spatial import GridIndex, outlines, random_point_in, to_geom
from backend.geometry_service import geometry_service
from domain import protocol as p
from domain.commands import CommandRequest
from domain.hierarchy import Level
from domain.model import Action, Args, Source, Urgency
from tests.backend.conftest import GRID, OPERATOR, T0
from tests.backend.old_geometry import shape_contains as old_contains


@pytest.fixture(scope="module")
def full_city():
    return generate_city()  # seed 2023, scale 1.0: about 14,000 grids


@pytest.fixture(scope="module")
def small_city():
    return generate_city(seed=11, scale=0.02)


@pytest.fixture
def city_store(store, small_city):
    store.import_city(small_city)
    return store


def _grid(city, code=None):
    grids = [n for n in city.nodes if n.level == Level.GRID]
    return next(n for n in grids if n.code == code) if code else grids[0]


def _report(store, rules, grid, command_id="c1", **position):
    args = Args(node=grid, category="10103", urgency=Urgency.NORMAL, source=Source.GRID_WORKER, **position)
    actor = msgspec.structs.replace(OPERATOR, scope=grid[:9])
    return store.execute(CommandRequest(client_id="client-a", id=command_id, action=Action.REPORT, args=args,
                                        actor=actor), T0, rules)


def test_a_position_inside_the_grid_is_kept_on_the_case_and_in_its_columns(city_store, small_city, rules):
    grid = _grid(small_city)
    lon, lat = random_point_in(to_geom(grid.geometry), random.Random(1))
    answer = _report(city_store, rules, grid.code, lon=lon, lat=lat)
    assert isinstance(answer, p.CommandAck), answer
    assert (answer.case.lon, answer.case.lat) == (lon, lat)
    assert city_store.case(answer.case_id).lon == lon
    with city_store.engine.connect() as conn:
        assert tuple(conn.execute(text("SELECT lon, lat FROM cases")).one()) == (lon, lat)


def test_a_position_outside_the_named_grid_is_refused_with_the_reason(city_store, small_city, rules):
    grid, other = [n for n in small_city.nodes if n.level == Level.GRID][:2]
    lon, lat = random_point_in(to_geom(other.geometry), random.Random(2))
    answer = _report(city_store, rules, grid.code, lon=lon, lat=lat)
    assert isinstance(answer, p.CommandError)
    assert answer.code == p.ErrorCode.INVALID
    assert f"outside grid {grid.code}" in answer.message
    assert city_store.snapshot("", T0).cases == []


@pytest.mark.parametrize(("position", "field"), [({"lon": 120.3}, "lat"), ({"lat": 36.1}, "lon"),
                                                 ({"lon": 200.0, "lat": 36.1}, "lon")])
def test_half_a_position_or_a_bad_one_is_invalid(city_store, small_city, rules, position, field):
    answer = _report(city_store, rules, _grid(small_city).code, **position)
    assert isinstance(answer, p.CommandError) and answer.code == p.ErrorCode.INVALID
    assert field in answer.message


def test_reports_without_a_position_still_work(driver):
    case = driver.report()
    assert case.lon is None and case.lat is None and case.node == GRID


def test_a_database_at_0002_keeps_its_cases_when_migrated(open_store, rules):
    from alembic import command

    from backend.store.schema import alembic_config

    store = open_store(require_current=False)
    with store.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0002")
    with store.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO cases (id, node, category, urgency, state, version, owner_level, reported_at, sla_state, "
            "body) VALUES ('QD1', '370202001001001', '10103', 'normal', 'reported', 1, 3, 1.0, 'none', '{}')"))
    store.migrate()
    with store.engine.connect() as conn:
        assert tuple(conn.execute(text("SELECT id, lon, lat FROM cases")).one()) == ("QD1", None, None)


def test_position_to_grid_agrees_with_the_hand_written_test_on_100000_points(full_city):
    grids = [n for n in full_city.nodes if n.level == Level.GRID]
    index = GridIndex(full_city.nodes)
    assert len(index) == len(grids) > 14_000
    shapes = [shape_from_geometry(g.geometry) for g in grids]
    boxes = np.array([to_geom(g.geometry).bounds for g in grids])
    minx, miny = boxes[:, 0].min(), boxes[:, 1].min()
    maxx, maxy = boxes[:, 2].max(), boxes[:, 3].max()
    # Buckets of a coarse raster → grids whose box touches them, so the reference stays brute force per bucket.
    n = 256
    sx, sy = n / (maxx - minx), n / (maxy - miny)
    buckets: dict[tuple[int, int], list[int]] = {}
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        for bx in range(int((x0 - minx) * sx), min(n - 1, int((x1 - minx) * sx)) + 1):
            for by in range(int((y0 - miny) * sy), min(n - 1, int((y1 - miny) * sy)) + 1):
                buckets.setdefault((bx, by), []).append(i)
    rng = np.random.default_rng(7)
    lons = rng.uniform(minx, maxx, 100_000)
    lats = rng.uniform(miny, maxy, 100_000)
    found = index.locate_many(lons, lats)
    inside = 0
    for lon, lat, got in zip(lons.tolist(), lats.tolist(), found, strict=True):
        key = (min(n - 1, int((lon - minx) * sx)), min(n - 1, int((lat - miny) * sy)))
        expected = next((grids[i].code for i in sorted(buckets.get(key, ()))
                         if old_contains(shapes[i], (lon, lat), tol=0.0)), None)
        assert got == expected, (lon, lat)
        inside += expected is not None
    assert inside > 20_000  # the sample really exercises the grids, not only the sea
    assert index.locate(lons[0], lats[0]) == found[0]


def test_simulated_cases_lie_inside_their_grid(small_city):
    rng = random.Random(3)
    for grid in [n for n in small_city.nodes if n.level == Level.GRID][:200]:
        lon, lat = random_point_in(to_geom(grid.geometry), rng)
        assert GridIndex([grid]).locate(lon, lat) == grid.code or \
            to_geom(grid.geometry).distance(to_geom({"type": "Point", "coordinates": [lon, lat]})) < 1e-6


def test_the_simulator_reports_with_positions_the_hub_accepts(city_store, small_city, rules):
    from backend.sim.cityview import CityView
    from backend.sim.engine import Simulator
    from backend.sim.scenario import load_scenario

    sim = Simulator(city_store, rules, load_scenario("normal_day", rules.catalog), CityView.from_city(small_city),
                    start=T0, seed=5)
    sim.run_until(T0 + 3 * 3600)
    cases = city_store.snapshot("", T0 + 3 * 3600).cases
    assert cases and all(c.lon is not None for c in cases)
    index = GridIndex(small_city.nodes)
    assert sum(index.locate(c.lon, c.lat) == c.node for c in cases) >= 0.99 * len(cases)


def test_geometry_frames_cover_every_grid_simplified(city_store, small_city):
    frames = [p.decode_server(f) for f in geometry_service(city_store).frames("", int(Level.GRID))]
    assert [f.index for f in frames] == list(range(frames[0].total_chunks))
    codes = [o.code for f in frames for o in f.outlines]
    assert sorted(codes) == sorted(n.code for n in small_city.nodes if n.level == Level.GRID)
    assert all(len(ring) >= 6 and len(ring) % 2 == 0 for f in frames for o in f.outlines for ring in o.rings)


@pytest.mark.parametrize("level", [Level.STREET, Level.COMMUNITY])
def test_geometry_frames_of_an_upper_level_hold_that_level_under_the_scope(city_store, small_city, level):
    district = next(n.code for n in small_city.nodes if n.level == Level.DISTRICT)
    frames = [p.decode_server(f) for f in geometry_service(city_store).frames(district, int(level))]
    codes = sorted(o.code for f in frames for o in f.outlines)
    assert codes and codes == sorted(n.code for n in small_city.nodes
                                     if n.level == level and n.code.startswith(district) and n.geometry)
    assert [n.code for n in city_store.nodes(scope=district, level=int(level))] == codes


def test_coarser_tolerance_gives_fewer_vertices():
    from domain.city import NodeInfo

    ring = [[120.0 + 0.1 * np.cos(a), 36.0 + 0.1 * np.sin(a)] for a in np.linspace(0, 2 * np.pi, 400)]
    ring[-1] = ring[0]
    node = NodeInfo(code="370202", name="x", level=2, parent="3702",
                    geometry={"type": "Polygon", "coordinates": [ring]})
    fine = len(outlines([node], 0.0)[0][1][0])
    coarse = len(outlines([node], 0.002)[0][1][0])
    assert coarse < fine / 4


def test_the_hub_finds_the_grid_of_a_report_that_gives_only_a_position(city_store, small_city, rules):
    import asyncio

    from backend.embedded import HubThread

    grid = _grid(small_city)
    lon, lat = random_point_in(to_geom(grid.geometry), random.Random(9))
    actor = msgspec.structs.replace(OPERATOR, scope=grid.code[:9])
    args = dict(category="10103", urgency=Urgency.NORMAL, source=Source.GRID_WORKER)
    with HubThread(city_store, rules=rules) as running:
        def run(command_id, **kw):
            request = CommandRequest(client_id="c", id=command_id, action=Action.REPORT, args=Args(**args, **kw),
                                     actor=actor)
            return asyncio.run_coroutine_threadsafe(running.hub.execute(request), running.loop).result(30)

        answer = run("k1", lon=lon, lat=lat)
        assert isinstance(answer, p.CommandAck), answer
        assert answer.case.node == grid.code and (answer.case.lon, answer.case.lat) == (lon, lat)
        sea = run("k2", lon=121.9, lat=35.0)
        assert isinstance(sea, p.CommandError) and sea.code == p.ErrorCode.INVALID
        assert "no grid lies at" in sea.message
