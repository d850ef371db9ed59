"""The operator console against a real hub: what an operator sees and does."""

from __future__ import annotations

import time

from backend.embedded import HubThread
from domain import protocol as p
from domain.commands import CommandRequest
from domain.model import Action, Args, Role, Source, State, Urgency
from domain.queues import Queue


def report(city, grid=None, urgency=Urgency.NORMAL, category="10103", client="grid-worker", n=[0], when=None):
    n[0] += 1
    actor_scope = city.street
    from domain.model import Actor

    actor = Actor(id="gw-1", role=Role.GRID_WORKER, scope=actor_scope, name="网格员")
    answer = city.store.execute(CommandRequest(client_id=client, id=f"r{n[0]}-{time.time()}", action=Action.REPORT,
                                               case_id=None, expected_version=None,
                                               args=Args(node=grid or city.grids[0], category=category, urgency=urgency,
                                                         source=Source.GRID_WORKER, description="井盖缺失"),
                                               actor=actor), time.time() if when is None else when, city.rules)
    assert isinstance(answer, p.CommandAck), answer
    return answer.case


def wake(hub):
    hub.loop.call_soon_threadsafe(hub.hub.wake_pump)


def rows(console):
    model = console.window.table.model
    return [model.case_id_at(r) for r in range(model.rowCount())]


def press_ok(qtbot, console):
    qtbot.waitUntil(lambda: console.controller.dialog is not None)
    dialog = console.controller.dialog
    assert dialog.ok_button.isEnabled(), dialog.error_label.text()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: console.controller.dialog is None)


def select(qtbot, console, case_id):
    qtbot.waitUntil(lambda: case_id in rows(console), timeout=10000)
    assert console.window.table.select_case(case_id)
    console.controller.show_case(case_id)
    qtbot.waitUntil(lambda: console.window.detail.case() is not None and console.window.detail.case().id == case_id)


def kpi(console, key):
    return console.window.kpis.cards[key].value_label.text()


def dialog_text(dialog):
    from PySide6.QtWidgets import QLabel

    return " ".join(label.text() for label in dialog.findChildren(QLabel))


def current(console, case_id):
    return console.client.replica.get(case_id)


def test_new_case_appears_and_runs_the_closed_loop(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.street))
    qtbot.waitUntil(lambda: console.window.status.state().value == "live", timeout=15000)
    case = report(city)
    wake(hub)
    select(qtbot, console, case.id)  # it appears in 待受理
    qtbot.waitUntil(lambda: kpi(console, "reported") == "1" and kpi(console, "open") == "1")
    assert Action.ACCEPT in console.window.detail.enabled_actions()
    assert Action.VERIFY not in console.window.detail.enabled_actions()

    console.controller.request_action(Action.ACCEPT)
    press_ok(qtbot, console)
    qtbot.waitUntil(lambda: current(console, case.id).state is State.ACCEPTED)
    qtbot.waitUntil(lambda: case.id not in rows(console))  # left 待受理

    console.window.tabs.set_current(Queue.TO_DISPATCH.value)
    console.controller.choose_queue(Queue.TO_DISPATCH.value)
    select(qtbot, console, case.id)
    console.controller.request_action(Action.DISPATCH)
    qtbot.waitUntil(lambda: console.controller.dialog is not None)
    combo = console.controller.dialog.department_combo
    assert combo.currentData() == city.rules.catalog.categories["10103"].default_department  # suggested
    press_ok(qtbot, console)
    qtbot.waitUntil(lambda: current(console, case.id).state is State.DISPATCHED)
    assert current(console, case.id).deadline is not None

    # The department signs and resolves (a department client of the same hub).
    dept = city.rules.catalog.categories["10103"].default_department
    from backend_client.client import GridClient

    with GridClient(hub.url, city.token("department", "3702", dept), "3702",
                    outbox_path=city.db.replace("sqlite:///", "") + ".dept") as worker:
        worker.wait_until(lambda c: c.replica.get(case.id) is not None, timeout=15)
        signed = worker.sign(case.id).result(timeout=15)
        worker.wait_until(lambda c: c.replica.get(case.id).version >= signed.version, timeout=15)
        worker.resolve(case.id, "已更换井盖").result(timeout=15)
    qtbot.waitUntil(lambda: current(console, case.id).state is State.RESOLVED, timeout=10000)

    console.controller.choose_queue(Queue.TO_VERIFY.value)
    select(qtbot, console, case.id)
    qtbot.waitUntil(lambda: Action.VERIFY in console.window.detail.enabled_actions())
    console.controller.request_action(Action.VERIFY)
    press_ok(qtbot, console)  # "passed" is the default choice
    qtbot.waitUntil(lambda: current(console, case.id).state is State.CLOSED)
    console.controller.choose_queue(Queue.ALL.value)
    select(qtbot, console, case.id)
    timeline = console.window.detail.timeline
    # report, accept, dispatch, sign, resolve, verify — each with who did it, in words
    qtbot.waitUntil(lambda: timeline.rowCount() == 6, timeout=10000)
    assert timeline.item(5, 1).text()
    cells = [timeline.item(r, c).text() for r in range(6) for c in range(4)]
    dept_code = city.rules.catalog.categories["10103"].default_department
    assert console.directory.department_name(dept_code) in " ".join(cells)
    assert not [c for c in cells if c in (dept_code, "True", "False")]
    assert not any(c.startswith(("gw-", "u")) and c[1:].isalnum() and len(c) > 6 for c in cells)
    assert console.actor.name in timeline.item(1, 1).text()  # the operator's own accept
    node_field = console.window.detail.field_values["node"].text()
    assert case.node not in node_field and console.directory.node_name(case.node) in node_field
    qtbot.waitUntil(lambda: kpi(console, "open") == "0" and kpi(console, "close_hours") != "—")


def test_urge_limit_shown_and_enforced_and_supervise(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.street))
    case = report(city)
    wake(hub)
    select(qtbot, console, case.id)
    console.controller.request_action(Action.ACCEPT)
    press_ok(qtbot, console)
    qtbot.waitUntil(lambda: current(console, case.id).state is State.ACCEPTED)
    console.controller.request_action(Action.DISPATCH)
    press_ok(qtbot, console)
    qtbot.waitUntil(lambda: current(console, case.id).state is State.DISPATCHED)

    console.controller.request_action(Action.URGE)
    qtbot.waitUntil(lambda: console.controller.dialog is not None)
    assert "0/3" in dialog_text(console.controller.dialog)
    console.controller.dialog.message_edit.setPlainText("请尽快处置")
    press_ok(qtbot, console)
    qtbot.waitUntil(lambda: current(console, case.id).urge_count == 1)
    # Right after an urge the dialog shows the limit and will not send.
    console.controller.request_action(Action.URGE)
    qtbot.waitUntil(lambda: console.controller.dialog is not None)
    dialog = console.controller.dialog
    assert "1/3" in dialog_text(dialog)
    assert not dialog.ok_button.isEnabled()
    assert "Less than 10 minutes" in dialog.error_label.text()  # one reason, agreeing with 1/3
    assert "limit" not in dialog.error_label.text().lower()
    dialog.reject()
    qtbot.waitUntil(lambda: console.controller.dialog is None)
    # Forced past the UI, the hub refuses it with a typed error that the console explains.
    future = console.client.urge(case.id, "再催一次")
    qtbot.waitUntil(lambda: future.done())
    assert future.exception().code == p.ErrorCode.RATE_LIMITED
    qtbot.waitUntil(lambda: "min" in console.controller.last_error or "分钟" in console.controller.last_error)

    console.controller.request_action(Action.SUPERVISE)
    qtbot.waitUntil(lambda: console.controller.dialog is not None)
    console.controller.dialog.reason_edit.setPlainText("群众反复投诉")
    press_ok(qtbot, console)
    qtbot.waitUntil(lambda: current(console, case.id).supervision is not None)
    assert current(console, case.id).supervision.level == 1
    counts = console.client.index.counts(city.street)
    assert counts[Queue.SUPERVISED] >= 1


def test_drill_down_changes_every_view(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.district), scope=city.district)
    first = report(city, grid=city.grids[0])
    other_grid = next(g for g in city.grids if g[:12] != city.grids[0][:12])
    second = report(city, grid=other_grid)
    wake(hub)
    qtbot.waitUntil(lambda: {first.id, second.id} <= set(rows(console)), timeout=10000)
    community = city.grids[0][:12]
    console.controller.choose_node(community)
    qtbot.waitUntil(lambda: first.id in rows(console) and second.id not in rows(console))
    w = console.window
    assert w.tabs.count_of(Queue.INTAKE.value) == len([r for r in rows(console)])
    assert [b.text() for b in w.breadcrumb.buttons][-1] == console.directory.node_name(community)
    assert w.breadcrumb.buttons[0].text() == console.directory.node_name(city.district)
    console.controller.choose_node(city.district)
    qtbot.waitUntil(lambda: {first.id, second.id} <= set(rows(console)))


def test_forbidden_action_not_offered_and_refused_if_forced(qtbot, city, hub, open_console):
    wall = open_console(hub.url, city.token("supervisor", city.street), name="sup")
    case = report(city)
    wake(hub)
    select(qtbot, wall, case.id)
    enabled = wall.window.detail.enabled_actions()
    assert Action.ACCEPT not in enabled and Action.DISPATCH not in enabled  # a supervisor does not take cases
    wall.controller.request_action(Action.ACCEPT)
    assert wall.controller.dialog is None and wall.controller.last_error
    forced = wall.client.accept(case.id)
    qtbot.waitUntil(lambda: forced.done())
    assert forced.exception().code == p.ErrorCode.FORBIDDEN


def test_offline_then_queued_command_applies_once(qtbot, city, tmp_path, open_console):
    hub = HubThread(city.store, rules=city.rules, heartbeat_interval=1.0).start()
    port = hub.hub.port
    console = open_console(hub.url, city.token("operator", city.street))
    case = report(city)
    wake(hub)
    select(qtbot, console, case.id)
    qtbot.waitUntil(lambda: console.window.status.time_label.text() != "")
    hub.stop()
    qtbot.waitUntil(lambda: console.window.status.state().value in ("offline", "reconnecting"), timeout=15000)
    status = console.window.status
    assert console.window.is_stale()  # the data is dimmed
    assert status.is_stale() and status.property("stale") is True
    frozen = status.time_label.text()
    from widgets.common.formatting import clock_text

    assert clock_text(status.offline_since) in frozen
    status.set_server_time(status.offline_since + 3600)  # the clock does not run on while offline
    console.controller.refresh()
    assert status.time_label.text() == frozen
    future = console.client.accept(case.id)  # made while the hub is down: kept in the outbox
    assert len(console.client.outbox) == 1
    again = HubThread(city.store, rules=city.rules, port=port, heartbeat_interval=1.0).start()
    try:
        qtbot.waitUntil(lambda: future.done(), timeout=30000)
        assert future.result().case.state is State.ACCEPTED
        events = city.store.case_events(case.id)
        assert [e.event.kind for e in events].count(Action.ACCEPT) == 1
        qtbot.waitUntil(lambda: console.window.status.state().value == "live", timeout=15000)
        assert not console.window.is_stale() and not status.is_stale()
        qtbot.waitUntil(lambda: status.time_label.text() != frozen)
    finally:
        again.stop()


def test_console_window_opens_when_the_hub_is_down_and_retries(qtbot, city, tmp_path):
    import socket

    from desktop.app import ConsoleLauncher

    with socket.socket() as s:  # a port nobody listens on (for now)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = city.token("operator", city.street)
    launcher = ConsoleLauncher(f"ws://127.0.0.1:{port}/v1/feed", token, outbox_path=tmp_path / "o.db",
                               quiet=True, auto_retry_s=0, show=lambda w: w.show())
    try:
        assert launcher.start() is False
        problem = launcher.problem  # the launcher owns it (and deletes it once the console opens)
        assert problem.isVisible() and problem.retry_button.isEnabled()
        assert str(port) in problem.url_label.text()
        hub = HubThread(city.store, rules=city.rules, port=port, heartbeat_interval=1.0).start()
        try:
            problem.retry_button.click()
            qtbot.waitUntil(lambda: launcher.console is not None, timeout=15000)
            assert launcher.console.window.isVisible() and launcher.problem is None
            qtbot.waitUntil(lambda: launcher.console.window.status.state().value == "live", timeout=15000)
        finally:
            hub.stop()
    finally:
        launcher.close()


def test_rows_hold_still_under_the_pointer_and_behind_a_dialog_that_names_its_case(qtbot, city, hub, open_console):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    console = open_console(hub.url, city.token("operator", city.street))
    first = report(city)
    wake(hub)
    select(qtbot, console, first.id)
    table = console.window.table
    viewport = table.view.viewport()
    QApplication.sendEvent(viewport, QEvent(QEvent.Type.Enter))
    before = rows(console)
    second = report(city, urgency=Urgency.CRITICAL)  # sorts above whatever the order
    wake(hub)
    qtbot.waitUntil(lambda: table.held_label.isVisibleTo(table), timeout=10000)  # it arrived and waits
    assert rows(console) == before and table.selected_case_id() == first.id
    QApplication.sendEvent(viewport, QEvent(QEvent.Type.Leave))
    qtbot.waitUntil(lambda: second.id in rows(console))
    assert table.selected_case_id() == first.id  # the selection stayed on its case

    console.controller.request_action(Action.ACCEPT)
    qtbot.waitUntil(lambda: console.controller.dialog is not None)
    dialog = console.controller.dialog
    assert first.id in dialog.windowTitle() and first.id in dialog.subject_label.text()
    assert dialog.subject_label.isVisibleTo(dialog)
    before = rows(console)
    third = report(city, urgency=Urgency.CRITICAL)
    wake(hub)
    qtbot.waitUntil(lambda: table.held_label.isVisibleTo(table), timeout=10000)
    assert rows(console) == before
    dialog.reject()
    qtbot.waitUntil(lambda: third.id in rows(console))
    assert table.selected_case_id() == first.id


def test_switching_tab_or_area_does_not_keep_a_case_from_elsewhere(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.street))
    case = report(city)
    wake(hub)
    select(qtbot, console, case.id)
    detail = console.window.detail
    console.window.tabs.set_current(Queue.SUPERVISED.value)  # a tab it is not in (and empty)
    qtbot.waitUntil(lambda: detail.case() is None)
    assert not detail.enabled_actions()
    console.window.tabs.set_current(Queue.ALL.value)  # back where it is: it is shown again
    qtbot.waitUntil(lambda: detail.case() is not None and detail.case().id == case.id)
    other = next(c for c in city.communities if not case.node.startswith(c))
    console.controller.choose_node(other)
    qtbot.waitUntil(lambda: detail.case() is None or detail.case().node.startswith(other))


def test_default_order_is_urgency_then_time_left_and_finished_cases_sort_last(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.street))
    normal = report(city)
    critical = report(city, urgency=Urgency.CRITICAL)
    urgent = report(city, urgency=Urgency.URGENT)
    later_normal = report(city)
    wake(hub)
    qtbot.waitUntil(lambda: len(rows(console)) == 4, timeout=10000)
    assert rows(console) == [critical.id, urgent.id, normal.id, later_normal.id]


def test_dialogs_from_the_keyboard_focus_their_field_and_ctrl_enter_sends(qtbot, city, hub, open_console):
    from PySide6.QtCore import Qt

    console = open_console(hub.url, city.token("operator", city.street))
    case = report(city)
    wake(hub)
    select(qtbot, console, case.id)
    console.window.activateWindow()
    qtbot.keyClick(console.window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # 不予立案 from the keyboard
    qtbot.waitUntil(lambda: console.controller.dialog is not None)
    dialog = console.controller.dialog
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.reason_edit)
    qtbot.keyClicks(dialog.reason_edit, "not ours")  # the first keystrokes land in the field
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)  # Enter is a new line
    assert console.controller.dialog is dialog
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: console.controller.dialog is None)
    qtbot.waitUntil(lambda: current(console, case.id).state is State.REJECTED)
    assert current(console, case.id).reason == "not ours"


def test_status_bar_warns_when_the_working_calendar_lacks_a_near_year(qtbot, city, hub, open_console):
    """Today or a deadline up to two months on in a year without official holidays: said in the bar."""
    from domain.calendar import CALENDAR_LOOKAHEAD, missing_years

    console = open_console(hub.url, city.token("operator", city.street))
    now = console.client.server_now()
    missing = missing_years(city.rules.calendar, now, now + CALENDAR_LOOKAHEAD)
    label = console.window.status.calendar_label
    if missing:
        qtbot.waitUntil(label.isVisible)
        assert all(str(y) in label.text() for y in missing)
    else:
        qtbot.waitUntil(lambda: console.window.status.time_label.text() != "")
        assert not label.isVisible()


def test_the_extend_dialog_counts_extensions_and_refuses_when_none_is_left(qtbot, city, hub, open_console):
    import msgspec

    from desktop.console.actions import dialog_for

    console = open_console(hub.url, city.token("operator", city.street))
    case = report(city)
    for used, allowed in ((1, True), (2, False)):
        dialog = dialog_for(Action.EXTEND, msgspec.structs.replace(case, extension_count=used),
                            directory=console.directory, rules=city.rules, now=time.time(), parent=console.window)
        qtbot.addWidget(dialog)
        dialog.reason_edit.setPlainText("等待配件到货")
        assert f"{used}/2" in dialog.info_label.text()
        assert dialog.ok_button.isEnabled() is allowed


def test_the_first_case_is_shown_and_its_history_asked_for_once(qtbot, city, hub, open_console, monkeypatch):
    """Keyboard-first: once rows come in the first is selected and shown; selecting it shows it
    already, so the display tick does not set the detail and ask the hub for the history again."""
    from backend_client.client import GridClient

    cases = [report(city), report(city, urgency=Urgency.CRITICAL)]
    asked: list[str] = []
    original = GridClient.request_history
    monkeypatch.setattr(GridClient, "request_history", lambda self, case_id: asked.append(case_id) or original(
        self, case_id))
    console = open_console(hub.url, city.token("operator", city.street))
    qtbot.waitUntil(lambda: console.window.detail.case() is not None, timeout=15000)
    first = console.window.detail.case().id
    assert first in {c.id for c in cases} and console.window.table.selected_case_id() == first
    qtbot.waitUntil(lambda: console.window.detail.timeline.rowCount() == 1, timeout=10000)  # its report
    assert asked == [first]


def test_the_ticks_after_a_snapshot_fill_the_window_a_part_at_a_time(qtbot, city, hub, open_console):
    """A snapshot changes every panel at once: the first tick after it shows the queue and its
    counts, the next the case detail, then one chart a tick; after that a tick feeds them all."""
    from types import SimpleNamespace

    for urgency in (Urgency.NORMAL, Urgency.CRITICAL, Urgency.NORMAL):
        report(city, urgency=urgency)
    console = open_console(hub.url, city.token("operator", city.street))
    qtbot.waitUntil(lambda: len(rows(console)) == 3 and console.window.detail.case() is not None, timeout=15000)
    ctl, w = console.controller, console.window
    ctl.timer.stop()  # the ticks are driven here
    fed: list[str] = []
    details: list[str] = []
    charts = (("hourly", w.hourly, "update_hourly"), ("categories", w.categories, "update_categories"),
              ("children", w.children_chart, "update_children"), ("gauge", w.gauge, "update_sla"))
    for part, chart, method in charts:
        original = getattr(chart, method)
        setattr(chart, method, lambda *a, _part=part, _original=original: fed.append(_part) or _original(*a))
    refresh_detail = ctl._refresh_detail
    ctl._refresh_detail = lambda *a, **k: details.append("detail") or refresh_detail(*a, **k)

    def tick() -> tuple[tuple[str, ...], int]:
        fed.clear()
        details.clear()
        ctl.refresh()
        return tuple(fed), len(details)

    w.kpis.cards["open"].value_label.setText("")  # what the first tick must put back
    ctl._on_changes(SimpleNamespace(events=[], alerts=[], reset=True))  # as the bridge hands a snapshot over
    assert tick() == ((), 0)
    assert kpi(console, "open") == "3"
    assert [tick() for _ in range(6)] == [((), 1), (("hourly",), 0), (("categories",), 0), (("children",), 0),
                                         (("gauge",), 0), ((), 0)]
    ctl._dirty = True  # an event came in: from now on a tick feeds every part
    assert tick() == (("hourly", "categories", "children", "gauge"), 1)
