"""指派 by name: the picker shows the department's people and sends the chosen one's user id;
我的待办 holds the cases assigned to whoever looks; its tab only for a department's users."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from domain.model import Action, Case, Source, State, Urgency
from domain.queues import Queue, queues_of
from widgets.console.loop_dialogs import AssignDialog
from widgets.console.queue_tabs import ORDER, QueueTabs

PEOPLE = [("u-1", "张工"), ("u-2", "李工"), ("u-3", "王工")]


def test_picker_waits_for_the_people_then_sends_the_chosen_id(qtbot):
    dialog = AssignDialog()
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled() and dialog.error_label.text()  # loading
    dialog.set_people(PEOPLE)
    assert [dialog.people_combo.itemText(i) for i in range(3)] == ["张工", "李工", "王工"]  # names, not ids
    dialog.people_combo.setCurrentIndex(dialog.people_combo.findText("李工"))
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_args().assignee == "u-2"
    assert dialog.action is Action.ASSIGN


def test_picker_preselects_the_current_handler_and_tells_namesakes_apart(qtbot):
    dialog = AssignDialog(current="u-9", people=PEOPLE + [("u-9", "张工")])
    qtbot.addWidget(dialog)
    assert dialog.people_combo.currentText() == "张工 (u-9)" and dialog.args().assignee == "u-9"
    empty = AssignDialog(people=[])
    qtbot.addWidget(empty)
    assert not empty.ok_button.isEnabled() and empty.args() is None
    failed = AssignDialog()
    qtbot.addWidget(failed)
    failed.set_failed("无权操作")
    assert failed.error_label.text() == "无权操作" and not failed.ok_button.isEnabled()


def _case(state: State, assignee: str | None) -> Case:
    return Case(id="c1", node="370202001001001", category="10103", urgency=Urgency.NORMAL, source=Source.HOTLINE,
                state=state, version=3, reported_at=0.0, reported_by="op", department="szyl", assignee=assignee)


def test_my_tasks_hold_what_is_assigned_to_me_while_the_department_has_it():
    mine = _case(State.IN_PROGRESS, "u-1")
    assert Queue.MINE in queues_of(mine, "u-1")
    assert Queue.MINE not in queues_of(mine, "u-2") and Queue.MINE not in queues_of(mine)
    assert Queue.MINE not in queues_of(_case(State.RESOLVED, "u-1"), "u-1")  # done: no longer to do
    assert Queue.MINE not in queues_of(_case(State.IN_PROGRESS, None), "u-1")


def test_my_tasks_tab_can_be_hidden(qtbot):
    tabs = QueueTabs()
    qtbot.addWidget(tabs)
    at = ORDER.index(Queue.MINE)
    assert tabs.isTabVisible(at)
    tabs.set_queue_visible(Queue.MINE.value, False)
    assert not tabs.isTabVisible(at)
