"""Each action dialog keeps OK disabled until valid, says why, and returns the right Args."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from domain.model import Action, Args
from tests.widgets.list_source import T0
from widgets.console.dialogs import (
    DispatchDialog,
    ExtendDialog,
    MergeDialog,
    MessageDialog,
    SuperviseDialog,
    UrgeDialog,
    VerifyDialog,
    simple_dialog,
)

DEPARTMENTS = [("D01", "城管"), ("D02", "住建"), ("D03", "市政园林")]


def press_ok(qtbot, dialog):
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    return dialog.result_args()


def test_accept_needs_nothing(qtbot):
    dialog = simple_dialog(Action.ACCEPT, "E1 · 暴露垃圾")
    qtbot.addWidget(dialog)
    assert dialog.ok_button.isEnabled() and dialog.info_label.text() == "E1 · 暴露垃圾"
    assert press_ok(qtbot, dialog) == Args()
    assert dialog.result() == QDialog.DialogCode.Accepted


@pytest.mark.parametrize("cls, action", [
    (lambda: simple_dialog(Action.REJECT), Action.REJECT), (lambda: simple_dialog(Action.ESCALATE), Action.ESCALATE),
    (lambda: simple_dialog(Action.SUSPEND), Action.SUSPEND), (ExtendDialog, Action.EXTEND)])
def test_reason_dialogs_require_a_reason(qtbot, cls, action):
    dialog = cls()
    qtbot.addWidget(dialog)
    assert dialog.action is action
    assert not dialog.ok_button.isEnabled() and dialog.error_label.text() == "Enter a reason"
    assert dialog.args() is None
    dialog.reason_edit.setPlainText("   ")
    assert not dialog.ok_button.isEnabled()
    dialog.reason_edit.setPlainText(" 不属于网格化管理范围 ")
    assert dialog.ok_button.isEnabled() and dialog.error_label.text() == ""
    assert press_ok(qtbot, dialog) == Args(reason="不属于网格化管理范围")


def test_reason_length_is_limited(qtbot):
    dialog = simple_dialog(Action.REJECT)
    qtbot.addWidget(dialog)
    dialog.reason_edit.setPlainText("长" * 501)
    assert not dialog.ok_button.isEnabled()
    assert dialog.error_label.text() == "At most 500 characters, now 501"


def test_extend_refused_when_no_extension_left(qtbot):
    dialog = ExtendDialog("已延期 2/2 次", limited=True)
    qtbot.addWidget(dialog)
    dialog.reason_edit.setPlainText("材料未到")
    assert not dialog.ok_button.isEnabled() and dialog.error_label.text() == "No extension left for this case"


def test_dispatch_preselects_the_default_department(qtbot):
    dialog = DispatchDialog(DEPARTMENTS, default="D02", deadline_text="2025-01-01 15:00（4 工作时）")
    qtbot.addWidget(dialog)
    assert dialog.department_combo.currentText() == "住建"
    assert dialog.deadline_label.text() == "2025-01-01 15:00（4 工作时）"
    dialog.department_combo.setCurrentIndex(2)
    assert press_ok(qtbot, dialog) == Args(department="D03")


def test_dispatch_without_default_needs_a_choice_and_redispatch_shows_why(qtbot):
    dialog = DispatchDialog(DEPARTMENTS, redispatch=True, return_reason="非本部门职责")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Redispatch" and dialog.info_label.text() == "Returned: 非本部门职责"
    assert not dialog.ok_button.isEnabled() and dialog.error_label.text() == "Choose a department"
    dialog.department_combo.setCurrentIndex(0)
    assert dialog.args() == Args(department="D01")
    with pytest.raises(ValueError, match="default department 'D09'"):
        DispatchDialog(DEPARTMENTS, default="D09")
    with pytest.raises(ValueError, match="at least one"):
        DispatchDialog([])


def test_supervise_returns_level_reason_and_due(qtbot):
    dialog = SuperviseDialog(now=T0, default_hours=24)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.level_combo.setCurrentIndex(2)
    dialog.reason_edit.setPlainText("超期未办结")
    dialog.hours_spin.setValue(48)
    assert dialog.due_label.text() == "2025-01-03 10:53"
    assert press_ok(qtbot, dialog) == Args(level=3, reason="超期未办结", due=T0 + 48 * 3600)


def test_urge_shows_the_limit_and_blocks_when_limited(qtbot):
    dialog = UrgeDialog("今日已催办 3/3，下次可催办时间 明日 00:00", limited=True)
    qtbot.addWidget(dialog)
    assert dialog.info_label.text().startswith("今日已催办 3/3")
    dialog.message_edit.setPlainText("请尽快处理")
    assert not dialog.ok_button.isEnabled() and dialog.error_label.text() == "Urge limit reached"
    assert dialog.args() is None
    free = UrgeDialog("今日已催办 1/3，下次可催办时间 11:10", limited=False)
    qtbot.addWidget(free)
    assert not free.ok_button.isEnabled()
    free.message_edit.setPlainText("请尽快处理")
    assert press_ok(qtbot, free) == Args(message="请尽快处理")


def test_verify_pass_or_fail_with_reason(qtbot):
    dialog = VerifyDialog()
    qtbot.addWidget(dialog)
    assert dialog.ok_button.isEnabled() and dialog.args() == Args(passed=True)
    dialog.fail_radio.setChecked(True)
    assert not dialog.ok_button.isEnabled() and dialog.error_label.text() == "Enter why the verification failed"
    dialog.reason_edit.setPlainText("现场仍有垃圾")
    assert press_ok(qtbot, dialog) == Args(passed=False, reason="现场仍有垃圾")


def test_merge_checks_the_parent_id(qtbot):
    dialog = MergeDialog("E2", exists=lambda case_id: case_id in {"E1", "E2"})
    qtbot.addWidget(dialog)
    assert dialog.error_label.text() == "Enter the parent case ID"
    dialog.parent_edit.setText("E2")
    assert dialog.error_label.text() == "A case cannot be merged into itself"
    dialog.parent_edit.setText("E9")
    assert dialog.error_label.text() == "No case E9" and not dialog.ok_button.isEnabled()
    dialog.parent_edit.setText(" E1 ")
    assert press_ok(qtbot, dialog) == Args(parent_id="E1")


def test_cancel_returns_none(qtbot):
    dialog = MessageDialog(Action.RESOLVE)
    qtbot.addWidget(dialog)
    dialog.message_edit.setPlainText("已清运")
    dialog.reject()
    assert dialog.result_args() is None


def test_simple_dialog_picks_the_kind(qtbot):
    for action, kind in ((Action.SIGN, "confirm"), (Action.RETURN, "reason"), (Action.REPLY_SUPERVISION, "message")):
        dialog = simple_dialog(action)
        qtbot.addWidget(dialog)
        assert dialog.action is action
        assert hasattr(dialog, "reason_edit") == (kind == "reason")
        assert hasattr(dialog, "message_edit") == (kind == "message")
    with pytest.raises(ValueError, match="'dispatch' has no simple dialog"):
        simple_dialog(Action.DISPATCH)
