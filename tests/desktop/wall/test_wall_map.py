"""The wall's map page: part of the rotation, a choropleth of the city, critical cases pulsing."""

from __future__ import annotations

import random
import time

from backend.city.spatial import random_point_in, to_geom
from backend_client.connection import LinkState
from domain import protocol as p
from domain.commands import CommandRequest
from domain.hierarchy import Level
from domain.model import Action, Actor, Args, Role, Source, Urgency
from tests.desktop.wall.test_wall import dark, open_wall  # noqa: F401 - fixtures

CITY = "3702"


def test_map_page_in_rotation_shows_streets_and_pulses_a_critical_case(qtbot, city, hub, open_wall):  # noqa: F811
    wall = open_wall(hub.url, city.token("wall", CITY), rotate_seconds=20)
    w, ctl = wall.window, wall.controller
    qtbot.waitUntil(lambda: wall.client.state.state is LinkState.LIVE, timeout=15000)
    assert ctl.page_count == len(ctl.pages) + 1
    for _ in range(len(ctl.pages)):
        wall.fake_clock.t += 20
        ctl.tick()
    assert ctl.on_map and ctl.node == CITY
    qtbot.waitUntil(lambda: w.map.isVisible() and not w.tiles.isVisible())
    streets = {n.code for n in city.data.nodes if n.level == Level.STREET}
    qtbot.waitUntil(lambda: set(w.map.area_codes()) == streets, timeout=10000)
    assert w.map.legend

    grid = next(n for n in city.data.nodes if n.level == Level.GRID)
    lon, lat = random_point_in(to_geom(grid.geometry), random.Random(4))
    actor = Actor(id="gw-1", role=Role.GRID_WORKER, scope=grid.code[:9], name="网格员")
    args = Args(node=grid.code, category="10103", urgency=Urgency.CRITICAL, source=Source.GRID_WORKER,
                lon=lon, lat=lat)
    request = CommandRequest(client_id="gw", id=f"crit-{time.time()}", action=Action.REPORT, args=args, actor=actor)
    answer = city.store.execute(request, time.time(), city.rules)
    assert isinstance(answer, p.CommandAck), answer
    hub.loop.call_soon_threadsafe(hub.hub.wake_pump)
    qtbot.waitUntil(lambda: len(w.map.pulses) == 1, timeout=10000)
    qtbot.waitUntil(lambda: answer.case_id in w.map.points.ids, timeout=10000)
    ctl.rotate()
    assert ctl.node == CITY and not ctl.on_map
    qtbot.waitUntil(lambda: not w.map.isVisible() and w.tiles.isVisible())
