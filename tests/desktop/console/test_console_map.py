"""The console's map against a real hub: drill down by clicking a grid, open a case by clicking its point."""

from __future__ import annotations

import random
import time

from PySide6.QtCore import QPoint, Qt

from backend.city.spatial import random_point_in, to_geom
from domain import protocol as p
from domain.commands import CommandRequest
from domain.model import Action, Actor, Args, Role, Source, Urgency

_REPORTS = [0]


def report_at(city, grid: str, urgency=Urgency.NORMAL):
    _REPORTS[0] += 1
    n = _REPORTS
    node = next(x for x in city.data.nodes if x.code == grid)
    lon, lat = random_point_in(to_geom(node.geometry), random.Random(n[0]))
    actor = Actor(id="gw-1", role=Role.GRID_WORKER, scope=city.street, name="网格员")
    args = Args(node=grid, category="10103", urgency=urgency, source=Source.GRID_WORKER, description="井盖缺失",
                lon=lon, lat=lat)
    request = CommandRequest(client_id="grid-worker", id=f"m{n[0]}-{time.time()}", action=Action.REPORT, args=args,
                             actor=actor)
    answer = city.store.execute(request, time.time(), city.rules)
    assert isinstance(answer, p.CommandAck), answer
    return answer.case


def rows(console):
    model = console.window.table.model
    return [model.case_id_at(r) for r in range(model.rowCount())]


def test_clicking_areas_drills_down_to_a_grid_and_a_point_opens_its_case(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.street), scope=city.street)
    grid = city.grids[0]
    other = next(g for g in city.grids if g[:12] != grid[:12])
    first, second = report_at(city, grid), report_at(city, other)
    hub.loop.call_soon_threadsafe(hub.hub.wake_pump)
    qtbot.waitUntil(lambda: {first.id, second.id} <= set(rows(console)), timeout=10000)
    view = console.window.map.view
    qtbot.waitUntil(lambda: set(view.area_codes()) == set(city.communities), timeout=10000)
    console.window.map.cases.setChecked(False)  # click areas, not points, on the way down

    # Community level: click inside the community of the first grid.
    community = grid[:12]
    qtbot.waitUntil(lambda: view.area_screen_point(community) is not None)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.area_screen_point(community).toPoint())
    qtbot.waitUntil(lambda: console.controller.node == community)
    qtbot.waitUntil(lambda: set(view.area_codes()) == {g for g in city.grids if g.startswith(community)})

    # Grid level: the queues filter to that grid and the tree follows.
    qtbot.waitUntil(lambda: view.area_screen_point(grid) is not None)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.area_screen_point(grid).toPoint())
    qtbot.waitUntil(lambda: console.controller.node == grid)
    qtbot.waitUntil(lambda: rows(console) == [first.id], timeout=10000)
    tree = console.window.tree
    assert tree.tree_model().code_of(tree.currentIndex()) == grid
    assert console.window.breadcrumb.buttons[-1].text() == console.directory.node_name(grid)
    # The grid is selected and fills the view; its siblings stay around it for context.
    qtbot.waitUntil(lambda: grid in view.area_codes() and view.selected == view.areas.index[grid])
    assert set(view.area_codes()) == {g for g in city.grids if g.startswith(community)}

    # A click on the case's point opens the case.
    console.window.map.cases.setChecked(True)
    console.controller.show_case(second.id)  # something else first
    qtbot.waitUntil(lambda: first.id in view.points.ids)
    pos = view.screen_pos_of(first.lon, first.lat)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(round(pos.x()), round(pos.y())))
    qtbot.waitUntil(lambda: console.window.detail.case() is not None and console.window.detail.case().id == first.id)


def test_map_colours_the_children_and_recolours_on_new_cases(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.street), scope=city.street)
    view = console.window.map.view
    qtbot.waitUntil(lambda: set(view.area_codes()) == set(city.communities), timeout=10000)
    community = city.grids[0][:12]
    i = view.areas.index[community]
    qtbot.waitUntil(lambda: view.areas.classes[i] == 0)  # no open case yet
    for _ in range(3):
        report_at(city, city.grids[0])
    hub.loop.call_soon_threadsafe(hub.hub.wake_pump)
    qtbot.waitUntil(lambda: view.areas.classes[i] >= 1, timeout=10000)
    assert view.legend and view.legend_title
    assert "3" in console.map.describe(community)
    assert len(view.points) == 3
