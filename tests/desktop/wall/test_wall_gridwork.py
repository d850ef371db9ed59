"""The wall's grid-work strip: overdue visits of the node on show, in the wall's style."""

from __future__ import annotations

import time

from PySide6.QtCore import QPointF, QRectF

from backend.gridwork.seed import seed_register
from backend.gridwork.store import GridworkStore
from domain.gridwork.care import DAY
from domain.model import Role
from tests.desktop.wall.test_wall import CITY, dark, open_wall  # noqa: F401 - the fixtures
from widgets.wall.paint import overflow


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
    header = wall.window.header
    assert header.geometry().contains(strip.geometry().center())
    # The header keeps the middle free for the strip: none of its texts is drawn under it.
    wall.window.header.set_rotation(2, 12, False)
    for size in ((1920, 1080), (3840, 2160)):
        wall.window.resize(*size)
        qtbot.waitUntil(lambda: strip.geometry() == header.slot_rect())
        covered = QRectF(strip.geometry())
        for box in header.text_boxes():
            on_window = box.rect.translated(QPointF(header.geometry().topLeft()))
            assert not on_window.intersects(covered), f"{box.text!r} is under the grid-work strip at {size}"
            assert overflow(box) is None, box.text
