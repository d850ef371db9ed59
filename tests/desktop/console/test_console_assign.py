"""指派 in the console against a real hub: the head of a department picks a colleague by name,
the hub records that person's id, and the colleague's console shows the case in 我的待办."""

from __future__ import annotations

import time

from domain.model import Action, Actor, Role, Source, State, Urgency
from domain.queues import Queue
from tests.desktop.console.test_console import press_ok, rows, select
from tests.desktop.console.test_console_desk import _run
from widgets.console.loop_dialogs import AssignDialog
from widgets.console.queue_tabs import ORDER


def test_assign_by_name_and_my_tasks(qtbot, city, hub, open_console):
    dept = city.rules.catalog.categories["10103"].default_department
    store = city.store
    head_id, head_token = store.add_user("科长", "department", "3702", dept)
    worker_id, worker_token = store.add_user("张工", "department", "3702", dept)
    gone_id, _ = store.add_user("离职人员", "department", "3702", dept)
    store.set_user_disabled(gone_id)
    store.add_user("别的部门", "department", "3702", "sthj" if dept != "sthj" else "cg")
    op = Actor(id="op-1", role=Role.OPERATOR, scope=city.street, name="值班员")
    t = time.time()
    case = _run(city, Action.REPORT, None, t, op, node=city.grids[0], category="10103", urgency=Urgency.NORMAL,
                source=Source.HOTLINE, description="井盖缺失")
    case = _run(city, Action.ACCEPT, case.id, t, op, case.version)
    case = _run(city, Action.DISPATCH, case.id, t, op, case.version, department=dept)
    assert case.state is State.DISPATCHED

    head = open_console(hub.url, head_token, scope=city.street, name="head")
    tabs = head.window.tabs
    assert tabs.isTabVisible(ORDER.index(Queue.MINE))
    head.controller.choose_queue(Queue.IN_PROGRESS.value)
    select(qtbot, head, case.id)
    head.controller.request_action(Action.ASSIGN)
    qtbot.waitUntil(lambda: isinstance(head.controller.dialog, AssignDialog))
    dialog = head.controller.dialog
    qtbot.waitUntil(lambda: dialog.people_combo.count() == 2, timeout=10_000)
    names = [dialog.people_combo.itemText(i) for i in range(2)]
    assert sorted(names) == ["张工", "科长"]  # the department's enabled people, by name
    dialog.people_combo.setCurrentIndex(dialog.people_combo.findText("张工"))
    press_ok(qtbot, head)
    qtbot.waitUntil(lambda: store.case(case.id).assignee == worker_id, timeout=10_000)
    assert store.case(case.id).assignee != head_id
    handler = head.window.detail.field_values["assignee"]
    qtbot.waitUntil(lambda: handler.text() == "张工", timeout=10_000)  # the handler by name, not the user id

    head.controller.choose_queue(Queue.MINE.value)
    assert case.id not in rows(head)  # assigned to 张工, not to the head
    worker = open_console(hub.url, worker_token, scope=city.street, name="worker")
    worker.controller.choose_queue(Queue.MINE.value)
    qtbot.waitUntil(lambda: rows(worker) == [case.id], timeout=10_000)
    qtbot.waitUntil(lambda: worker.window.tabs.count_of(Queue.MINE.value) == 1)


def test_operator_has_no_my_tasks_tab(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.street), scope=city.street)
    assert not console.window.tabs.isTabVisible(ORDER.index(Queue.MINE))
