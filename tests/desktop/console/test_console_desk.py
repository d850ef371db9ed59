"""新建事件 and 综合查询 in the console, against a real hub: keyboard-first intake, candidates, merge, search."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from domain import protocol as p
from domain.commands import CommandRequest
from domain.model import Action, Actor, Args, Role, Source, State, Urgency
from tests.desktop.console.test_console import report, wake

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _run(city, action, case_id, now, actor, version=None, **args):
    answer = city.store.execute(CommandRequest(client_id="seed", id=f"{action.value}-{case_id}-{now}", action=action,
                                               case_id=case_id, expected_version=version, args=Args(**args),
                                               actor=actor), now, city.rules)
    assert isinstance(answer, p.CommandAck), answer
    return answer.case


def closed_months_ago(city, months=5):
    op = Actor(id="op-old", role=Role.OPERATOR, scope=city.street, name="老值班员")
    dept = Actor(id="dept-old", role=Role.DEPARTMENT, scope="", name="市政", department="szyl")
    t = time.time() - months * 30 * 86400
    case = _run(city, Action.REPORT, None, t, op, node=city.grids[1], category="10103", urgency=Urgency.NORMAL,
                source=Source.HOTLINE, description="井盖缺失，夜间危险", address="东海西路 17 号",
                caller_name="王五", caller_phone="13905327788", ticket_no="GD2026070100042")
    for i, (action, actor, args) in enumerate(((Action.ACCEPT, op, {}), (Action.DISPATCH, op, {"department": "szyl"}),
                                               (Action.SIGN, dept, {}), (Action.RESOLVE, dept, {"message": "已补装"}),
                                               (Action.VERIFY, op, {"passed": True}))):
        case = _run(city, action, case.id, t + 600 * (i + 1), actor, case.version, **args)
    assert case.state is State.CLOSED
    return case


def activate(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def open_form(qtbot, console):
    activate(qtbot, console.window)
    qtbot.keyClick(console.window, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: console.desk.intake.form is not None and console.desk.intake.form.isVisible())
    return console.desk.intake.form


def test_intake_by_keyboard_validates_then_offers_candidates_and_merges(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.street), scope=city.street)
    grid = city.grids[0]
    existing = report(city, grid=grid, category="10103")  # 井盖缺失, reported by a grid worker
    related = report(city, grid=city.grids[1], category="10137")  # same class, neighbouring grid
    wake(hub)
    form = open_form(qtbot, console)
    assert console.desk.buttons["new_case"].isVisible() and "new_case" in console.menus.actions
    activate(qtbot, form)
    qtbot.waitUntil(lambda: form.focusWidget() is form.caller_name)

    # Keyboard only: type, Tab to the next field, in reading order.
    form.caller_name.setText("张三明")  # QTest types Latin-1 only; an input method types Chinese
    qtbot.keyClick(form.caller_name, Qt.Key.Key_Tab)
    assert form.focusWidget() is form.caller_phone
    qtbot.keyClicks(form.caller_phone, "138x1234")
    qtbot.keyClick(form.caller_phone, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter: not yet valid
    assert "category" in form.error_label.text().lower() and form.focusWidget() is form.category
    form.set_category("10103")
    qtbot.keyClick(form.category, Qt.Key.Key_Return, CTRL)
    assert "grid" in form.error_label.text().lower() and form.focusWidget() is form.grid
    form.grid.setEditText(grid)  # typed: a grid found by its code (a name works the same; the popup needs a screen)
    qtbot.keyClick(form.grid, Qt.Key.Key_Tab)
    assert form.grid_code() == grid
    qtbot.keyClick(form.urgency, Qt.Key.Key_Return, CTRL)
    assert "phone" in form.error_label.text().lower() and form.focusWidget() is form.caller_phone
    form.caller_phone.setText("13812341234")
    form.description.setPlainText("小区门口井盖又丢了")

    # Candidates: same item and grid first, then the same class nearby.
    qtbot.waitUntil(lambda: form.candidates.rowCount() == 2, timeout=10_000)
    ids = [form.candidates.item(i, 0).text() for i in range(2)]
    assert ids == [existing.id, related.id]
    assert "(2)" in form.candidates_label.text()
    assert not form.merge_button.isEnabled()
    assert form.candidates.item(0, 1).text() != "10103"  # the category by name
    form.candidates.selectRow(0)
    assert form.merge_button.isEnabled()
    qtbot.keyClick(form.candidates, Qt.Key.Key_Return, CTRL | SHIFT)  # file and merge into the selected one
    qtbot.waitUntil(lambda: console.desk.intake.form is None, timeout=10_000)
    [new_id] = console.desk.intake.filed
    stored = city.store.case(new_id)
    assert stored.state is State.MERGED and stored.merged_into == existing.id
    assert (stored.caller_name, stored.caller_phone, stored.source) == ("张三明", "13812341234", Source.HOTLINE)
    assert new_id in console.window.statusBar().currentMessage()


def test_intake_files_a_new_case_and_shows_the_hubs_refusal_in_the_form(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.street), scope=city.street)
    form = open_form(qtbot, console)
    form.set_category("20102")
    form.set_grid(city.grids[2])
    form.source.setCurrentIndex(form.source.findData(Source.RESIDENT.value))  # a walk-in
    form.caller_name.setText("李" * 40)
    form.address.setText("香港中路 10 号")
    qtbot.waitUntil(lambda: "No possible duplicates" in form.candidates_label.text(), timeout=10_000)
    qtbot.keyClick(form.address, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: console.desk.intake.form is None, timeout=10_000)
    [new_id] = console.desk.intake.filed
    case = city.store.case(new_id)
    assert (case.state, case.source, case.address, case.caller_name) == (State.REPORTED, Source.RESIDENT,
                                                                         "香港中路 10 号", "李" * 40)
    # A value only the hub refuses (a condition the category does not list) comes back into the form.
    form = open_form(qtbot, console)
    form.set_category("20102")
    form.set_grid(city.grids[2])
    form.caller_phone.setText("13812341234")
    form.condition.addItem("bogus", "0100199")
    form.condition.setCurrentIndex(form.condition.count() - 1)
    assert form.submit()
    qtbot.waitUntil(lambda: form.error_label.text() != "", timeout=10_000)
    assert "Filing condition" in form.error_label.text() and form.file_button.isEnabled()
    qtbot.keyClick(form, Qt.Key.Key_Escape)  # Esc cancels
    qtbot.waitUntil(lambda: console.desk.intake.form is None)


def test_search_finds_an_old_case_by_phone_and_opens_it_though_the_console_does_not_hold_it(
        qtbot, city, hub, open_console):
    old = closed_months_ago(city)
    console = open_console(hub.url, city.token("operator", city.street), scope=city.street)
    assert console.client.replica.get(old.id) is None  # closed long ago: not in the console's replica
    activate(qtbot, console.window)
    qtbot.keyClick(console.window, Qt.Key.Key_F, CTRL | SHIFT)
    view = console.desk.search.view
    qtbot.waitUntil(lambda: view is not None and view.isVisible())
    qtbot.keyClicks(view.phone, "7788")
    qtbot.keyClick(view.phone, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.total == 1, timeout=10_000)
    assert view.table.item(0, 0).text() == old.id and view.table.item(0, 5).text() == "王五 13905327788"
    assert view.table.item(0, 2).text() != "10103"  # the category by name
    assert "1–1 of 1" in view.status.text()
    view.open_row(0)  # what a double-click does
    detail = console.window.detail
    qtbot.waitUntil(lambda: detail.case() is not None and detail.case().id == old.id, timeout=10_000)
    qtbot.waitUntil(lambda: detail.timeline.rowCount() == 6, timeout=10_000)
    # Nothing matches another phone; the period filter narrows.
    view.phone.setText("13900000000")
    view.search()
    qtbot.waitUntil(lambda: view.total == 0 and "No case matches" in view.status.text(), timeout=10_000)
    QApplication.processEvents()


def test_search_of_another_streets_operator_finds_nothing_and_a_department_has_no_caller_filters(
        qtbot, city, hub, open_console):
    closed_months_ago(city)
    other = open_console(hub.url, city.token("operator", city.other_street), scope=city.other_street, name="other")
    view = other.desk.search.open()
    view.phone.setText("7788")
    view.search()
    qtbot.waitUntil(lambda: view.search_button.isEnabled(), timeout=10_000)
    assert view.total == 0 and view.table.rowCount() == 0
    dept = open_console(hub.url, city.token("department", "3702", "szyl"), name="dept")
    dview = dept.desk.search.open()
    assert not dview.phone.isEnabled() and not dview.caller_name.isEnabled()
    assert not dept.desk.actions["new_case"].isEnabled()  # a department files no cases
    dview.text.setText("井盖")
    dview.search()
    qtbot.waitUntil(lambda: dview.total == 1, timeout=10_000)
    assert dview.table.item(0, 5).text() == "王* 139****7788"
