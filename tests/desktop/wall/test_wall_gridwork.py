"""The wall's grid-work strip: overdue visits of the node on show, in the wall's style."""

from __future__ import annotations

import time

from backend.gridwork.seed import seed_register
from backend.gridwork.store import GridworkStore
from domain.gridwork.care import DAY
from domain.model import Role
from tests.desktop.wall.test_wall import CITY, dark, open_wall  # noqa: F401 - the fixtures


def test_strip_shows_overdue_visits_of_the_node_on_show(qtbot, city, hub, open_wall):  # noqa: F811
    g = GridworkStore(city.store)
    now = time.time()
    seed_register(g, city.data.nodes, now=now, seed=5, people_scope=city.street, first_due_from=now - 3 * DAY)
    overdue = g.visit_queue(CITY, Role.WALL, now, overdue_only=True).overdue
    assert overdue > 0
    wall = open_wall(hub.url, city.token("wall", CITY))
    strip = wall.gridwork.strip
    qtbot.waitUntil(lambda: strip.isVisible() and strip.text != "", timeout=15_000)
    assert strip.alert and str(overdue) in strip.text
    header = wall.window.header.geometry()
    assert header.contains(strip.geometry().center())
