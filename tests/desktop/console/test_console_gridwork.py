"""The console's grid-work dock against a real hub: portrait per grid, visit queue, meeting record."""

from __future__ import annotations

import time

from backend.gridwork.seed import seed_register
from backend.gridwork.store import GridworkStore
from domain.gridwork import wire as gw
from domain.gridwork.care import DAY


def _wait(qtbot, future):
    """The GUI thread drains the client, so wait with the event loop running, never block on it."""
    qtbot.waitUntil(future.done, timeout=10_000)
    return future.result()


def _seed(city) -> GridworkStore:
    g = GridworkStore(city.store)
    now = time.time()
    seed_register(g, city.data.nodes, now=now, seed=5, people_scope=city.street, first_due_from=now - 3 * DAY)
    return g


def test_portrait_visit_queue_and_meeting_record(qtbot, city, hub, open_console):
    g = _seed(city)
    console = open_console(hub.url, city.token("operator", city.street), scope=city.street)
    work = console.gridwork
    panel = work.panel
    assert not work.dock.isVisible()  # opened on demand, so the queues keep the room
    work.raise_panel()  # Ctrl+G
    assert work.dock.isVisible()
    # The street's portrait sums its grids; a click on a child drills down.
    qtbot.waitUntil(lambda: panel.portrait.view is not None and panel.portrait.view.code == city.street,
                    timeout=10_000)
    street = panel.portrait.view
    assert street.figures.grids == len(city.grids) and len(street.children) == len(city.communities)
    grid = next(code for code in city.grids if g.visit_queue(code, "operator", time.time()).tasks)
    console.controller.choose_node(grid)
    qtbot.waitUntil(lambda: panel.portrait.view.code == grid, timeout=10_000)
    view = panel.portrait.view
    assert panel.portrait.people.rowCount() == len(view.people)
    assert all("*" in p.name and p.phone is None and p.id_number is None for p in view.people)
    assert panel.portrait.grid_part.isVisible() and not panel.portrait.children_table.isVisible()
    # The visit queue: overdue first, in red; logging a visit clears it.
    panel.show_view("visits")
    qtbot.waitUntil(lambda: panel.visits.view is not None and panel.visits.view.scope == grid, timeout=10_000)
    queue = panel.visits.view
    overdue = [t for t in queue.tasks if t.overdue]
    assert overdue and queue.overdue == len(overdue) and panel.visits.tasks.rowCount() == len(queue.tasks)
    _wait(qtbot, work.work.log_visit(overdue[0].person_id, "已探访"))
    work.refresh()
    qtbot.waitUntil(lambda: panel.visits.view.overdue == len(overdue) - 1, timeout=10_000)
    # A meeting whose three matters become cases shows them on its record.
    meeting = gw.RecordMeeting(grid=grid, topic="楼道堆物清理", opinions=9, resolved=1, matters=[
        gw.MatterIn(text="路灯不亮", category="10137"), gw.MatterIn(text="垃圾满溢", category="20151"),
        gw.MatterIn(text="楼道堆物", category="20507")])
    done = _wait(qtbot, work.work.command(meeting))
    assert len(done.case_ids) == 3
    panel.show_view("meetings")
    qtbot.waitUntil(lambda: panel.meetings.view is not None and bool(panel.meetings.view.meetings), timeout=10_000)
    assert panel.meetings.matters.rowCount() == 3
    assert {panel.meetings.matters.item(r, 1).text() for r in range(3)} == set(done.case_ids)
    assert panel.meetings.view.figures.opinions == 9
    # The roster: the grid's workers with their workload.
    panel.show_view("roster")
    qtbot.waitUntil(lambda: panel.roster.view is not None and panel.roster.view.scope == grid, timeout=10_000)
    assert panel.roster.table.rowCount() == len(panel.roster.view.workers) >= 1


def test_a_hidden_dock_builds_no_panel_and_asks_the_hub_nothing(qtbot, city, hub, open_console):
    _seed(city)
    console = open_console(hub.url, city.token("operator", city.street), scope=city.street)
    work = console.gridwork
    assert not work.dock.isVisible() and work._panel is None and not work.timer.isActive()
    work.refresh()  # as the timer, a node change or a logged visit would
    assert work.pending == set()  # no request went out
    work.raise_panel()
    assert work._panel is not None and work.timer.isActive()
    qtbot.waitUntil(lambda: work.panel.portrait.view is not None, timeout=10_000)  # asked on showing
    work.dock.close()
    assert not work.timer.isActive()
    work.panel.show_view("visits")  # the tab changes while closed: nothing is asked
    assert work.pending == set()
