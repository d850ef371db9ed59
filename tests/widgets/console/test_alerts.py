"""Toasts stack top-right, hide on their own, acknowledge by case id; the sound falls back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from widgets.console.alerts import DEFAULT_SOUND, AlertSound, ToastStack


@pytest.fixture
def host(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_toasts_stack_top_right_newest_first(qtbot, host):
    stack = ToastStack(host, timeout_ms=0)
    first = stack.show_alert("E1", "特急事件", "燃气泄漏", critical=True)
    second = stack.show_alert("E2", "超期", "井盖缺失已超期")
    assert stack.toasts() == [second, first]
    assert first.isVisible() and second.isVisible()
    assert second.x() + second.width() == host.width() - 12 and second.y() == 12
    assert first.y() > second.geometry().bottom()
    assert first.property("critical") is True
    host.resize(1200, 700)
    qtbot.waitUntil(lambda: second.x() + second.width() == 1200 - 12)


def test_acknowledge_emits_the_case_id_and_hides(qtbot, host):
    stack = ToastStack(host, timeout_ms=0)
    toast = stack.show_alert("E7", "特急事件", "电梯困人")
    with qtbot.waitSignal(stack.acknowledged) as acked:
        qtbot.mouseClick(toast.ack_button, Qt.MouseButton.LeftButton)
    assert acked.args == ["E7"]
    assert stack.toasts() == []


def test_toasts_hide_on_their_own_unless_sticky(qtbot, host):
    stack = ToastStack(host, timeout_ms=30)
    stack.show_alert("E1", "超期", "a")
    sticky = stack.show_alert("E2", "特急事件", "b", sticky=True)
    qtbot.waitUntil(lambda: [t.case_id for t in stack.toasts()] == ["E2"], timeout=3000)
    assert sticky.isVisible()
    stack.dismiss("E2")
    assert stack.toasts() == []


def test_repeat_alert_refreshes_and_the_stack_is_bounded(qtbot, host):
    stack = ToastStack(host, timeout_ms=0, max_toasts=2)
    stack.show_alert("E1", "t", "old")
    stack.show_alert("E1", "t", "new")
    assert [t.text_label.text() for t in stack.toasts()] == ["new"]
    stack.show_alert("E2", "t", "x")
    stack.show_alert("E3", "t", "y")
    assert [t.case_id for t in stack.toasts()] == ["E3", "E2"]
    with pytest.raises(ValueError, match="max_toasts"):
        ToastStack(host, max_toasts=0)


def test_alert_sound_plays_or_beeps(qtbot):
    assert DEFAULT_SOUND.is_file()
    sound = AlertSound()
    assert sound.backend in ("QSoundEffect", "beep")
    sound.play()
    assert sound.played == 1
    sound.muted = True
    sound.play()
    assert sound.played == 1
