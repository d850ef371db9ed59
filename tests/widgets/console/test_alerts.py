"""The alarm list: bounded, newest first, names its case, click opens, acknowledge by case id."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from widgets.console.alerts import DEFAULT_SOUND, AlarmList, AlertSound


@pytest.fixture
def host(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(300, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_alarms_newest_first_and_name_their_case(qtbot, host):
    alarms = AlarmList(host)
    alarms.resize(300, 600)
    alarms.show()
    first = alarms.show_alert("E1", "特急事件", "燃气泄漏 · 某网格", critical=True, time_left="剩 1:00:00")
    second = alarms.show_alert("E2", "超期", "井盖缺失")
    assert alarms.entries() == [second, first]
    assert "E1" in first.title_label.text() and "燃气泄漏" in first.text_label.text()
    assert first.time_label.text() == "剩 1:00:00"
    alarms.set_time_left("E1", "剩 0:59:59")
    assert first.time_label.text() == "剩 0:59:59"
    assert first.property("critical") is True
    assert "2" in alarms.header.text()
    # A list in its own panel: the entries are children of the list, not an overlay of the host.
    assert first.parent() is not host and host.isAncestorOf(first)


def test_clicking_an_alarm_opens_its_case(qtbot, host):
    alarms = AlarmList(host)
    alarms.show()
    entry = alarms.show_alert("E5", "特急事件", "电梯困人")
    qtbot.waitExposed(entry)
    with qtbot.waitSignal(alarms.case_opened) as opened:
        qtbot.mouseClick(entry.text_label, Qt.MouseButton.LeftButton)
    assert opened.args == ["E5"]
    assert alarms.entry_for("E5") is entry  # opening does not acknowledge


def test_acknowledge_emits_the_case_id_and_removes(qtbot, host):
    alarms = AlarmList(host)
    alarms.show()
    entry = alarms.show_alert("E7", "特急事件", "电梯困人")
    with qtbot.waitSignal(alarms.acknowledged) as acked:
        qtbot.mouseClick(entry.ack_button, Qt.MouseButton.LeftButton)
    assert acked.args == ["E7"]
    assert alarms.entries() == []
    assert alarms.empty_label.isVisibleTo(alarms)


def test_repeat_alert_refreshes_and_the_list_is_bounded(qtbot, host):
    alarms = AlarmList(host, max_entries=2)
    alarms.show_alert("E1", "t", "old")
    alarms.show_alert("E1", "t", "new")
    assert [e.text_label.text() for e in alarms.entries()] == ["new"]
    alarms.show_alert("E2", "t", "x")
    alarms.show_alert("E3", "t", "y")
    assert alarms.case_ids() == ["E3", "E2"]
    alarms.dismiss("E3")
    assert alarms.case_ids() == ["E2"]
    with pytest.raises(ValueError):
        AlarmList(host, max_entries=0)


def test_alert_sound_plays_or_beeps(qtbot):
    assert DEFAULT_SOUND.is_file()
    sound = AlertSound()
    assert sound.backend in ("QSoundEffect", "beep")
    sound.play()
    assert sound.played == 1
    sound.muted = True
    sound.play()
    assert sound.played == 1


def test_a_narrow_alarm_panel_wraps_and_keeps_the_button_visible(qtbot):
    alarms = AlarmList()
    qtbot.addWidget(alarms)
    alarms.resize(150, 400)
    alarms.show()
    entry = alarms.show_alert("QD202612030001972", "Case overdue", "Overflowing bins · 东新路街道 / 港城社区 / 第1网格",
                              time_left="overdue 1:07:27")
    qtbot.waitExposed(entry)
    qtbot.waitUntil(lambda: entry.width() <= 150)
    assert entry.ack_button.isVisible()
    button = entry.ack_button.geometry()
    assert button.right() <= entry.width() and button.width() >= entry.ack_button.sizeHint().width()
    qtbot.waitUntil(lambda: entry.height() >= entry.heightForWidth(entry.width()))  # wrapped text is not cut
    assert button.bottom() <= entry.height()
