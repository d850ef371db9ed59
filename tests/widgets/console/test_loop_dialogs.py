"""The loop's dialogs: reject needs a reason, 不满意 needs one, Ctrl+Enter sends, co-dispatch assists."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from domain.model import (
    Args,
    Assist,
    Callback,
    Case,
    ClockStage,
    Request,
    RequestKind,
    Satisfaction,
    SlaState,
    Source,
    State,
    Urgency,
)
from domain.queues import Queue, queues_of
from tests.widgets.list_source import T0
from widgets.console.loop_detail import clock_line, loop_field_text
from widgets.console.loop_dialogs import (
    ApproveDialog,
    CallbackDialog,
    CoDispatchDialog,
    DelegateDialog,
    RejectRequestDialog,
    RequestDialog,
    request_text,
)

DEPARTMENTS = [("szyl", "市政园林"), ("sthj", "生态环境"), ("cg", "城管")]


class _Names:
    def department_name(self, code):
        return dict(DEPARTMENTS).get(code, code)


def case(**kw) -> Case:
    base = dict(id="C1", node="370202001001001", category="10103", urgency=Urgency.NORMAL, source=Source.HOTLINE,
                state=State.IN_PROGRESS, version=4, reported_at=T0, reported_by="op", department="szyl")
    base.update(kw)
    return Case(**base)


def test_reject_request_needs_a_reason_and_ctrl_enter_sends(qtbot):
    pending = case(request=Request(kind=RequestKind.EXTEND, reason="需协调", by="d", at=T0))
    dialog = RejectRequestDialog(request_text(pending))
    qtbot.addWidget(dialog)
    dialog.set_subject("C1", "井盖缺失")
    assert "Extension requested: 需协调" in dialog.info_label.text() and "C1" in dialog.windowTitle()
    assert not dialog.ok_button.isEnabled() and dialog.error_label.text() == "Enter a reason"
    dialog.show()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.reason_edit)
    qtbot.keyClicks(dialog.reason_edit, "not needed")  # QTest types ASCII only
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_args() == Args(reason="not needed")
    assert queues_of(pending) >= {Queue.APPROVALS}


def test_approve_takes_an_optional_note(qtbot):
    dialog = ApproveDialog("")
    qtbot.addWidget(dialog)
    assert dialog.ok_button.isEnabled() and dialog.args() == Args()
    dialog.message_edit.setPlainText("同意")
    assert dialog.args() == Args(message="同意")


def test_callback_dissatisfied_needs_why(qtbot):
    dialog = CallbackDialog("Call 王先生 13800001111")
    qtbot.addWidget(dialog)
    assert dialog.args() == Args(satisfaction=Satisfaction.SATISFIED)
    dialog.radios[Satisfaction.DISSATISFIED].setChecked(True)
    assert not dialog.ok_button.isEnabled() and "reopens" in dialog.error_label.text()
    dialog.message_edit.setPlainText("井盖仍松动")
    assert dialog.args() == Args(satisfaction=Satisfaction.DISSATISFIED, reason="井盖仍松动")


def test_request_dialog_asks_for_an_end_date_only_for_suspension(qtbot):
    dialog = RequestDialog([RequestKind.EXTEND, RequestKind.SUSPEND], T0)
    qtbot.addWidget(dialog)
    assert not dialog.days_spin.isEnabled()
    dialog.reason_edit.setPlainText("等配件")
    assert dialog.args() == Args(request=RequestKind.EXTEND, reason="等配件")
    dialog.kind_combo.setCurrentIndex(1)
    dialog.days_spin.setValue(2)
    assert dialog.args() == Args(request=RequestKind.SUSPEND, reason="等配件", until=T0 + 2 * 86400)
    empty = RequestDialog([], T0)
    qtbot.addWidget(empty)
    assert not empty.ok_button.isEnabled()


def test_co_dispatch_ticks_assisting_departments(qtbot):
    dialog = CoDispatchDialog(DEPARTMENTS, "szyl", "2026-03-10 12:00")
    qtbot.addWidget(dialog)
    assert dialog.args() == Args(department="szyl")
    dialog.assist_list.item(1).setCheckState(Qt.CheckState.Checked)
    assert dialog.args() == Args(department="szyl", assist=("sthj",))
    dialog.assist_list.item(0).setCheckState(Qt.CheckState.Checked)
    assert dialog.args() is None and dialog.error_label.text() == "The lead department cannot also assist"


def test_delegate_offers_lower_levels(qtbot):
    dialog = DelegateDialog([(4, "Community")])
    qtbot.addWidget(dialog)
    dialog.reason_edit.setPlainText("社区可处置")
    assert dialog.args() == Args(to_level=4, reason="社区可处置")


def test_detail_text_names_assistants_callback_and_current_step():
    shared = case(assists=(Assist("sthj", signed_at=T0, report="已检测", reported_at=T0), Assist("cg")),
                  callback=Callback(Satisfaction.FAIRLY_SATISFIED, "op", T0), reopen_count=1)
    text = loop_field_text(shared, "assists", _Names())
    assert text == "生态环境: reported (已检测)；城管: not yet signed"
    assert loop_field_text(shared, "callback", _Names()).startswith("Fairly satisfied")
    reported = case(state=State.REPORTED, department=None, stage_deadline=T0 + 900, stage_warning_at=T0 + 720,
                    stage_sla=SlaState.WARNING, stages_late=(ClockStage.ACCEPT,))
    assert clock_line(reported).startswith("Acceptance · due ") and clock_line(reported).endswith("Warning")
    assert loop_field_text(reported, "stages_late", _Names()) == "Acceptance"
    assert Queue.SLA_ALERT in queues_of(reported)


def test_queue_flags_name_a_pending_request_assistants_and_a_late_sign():
    from widgets.console.queue_model import flags_text

    shared = case(state=State.DISPATCHED, assists=(Assist("sthj", report="ok"), Assist("cg")), sign_deadline=T0 + 60,
                  request=Request(kind=RequestKind.RETURN, reason="非本部门", by="d", at=T0))
    assert flags_text(shared, T0) == "Return to approve Assist 1/2"
    assert flags_text(shared, T0 + 61).endswith("Sign overdue")
