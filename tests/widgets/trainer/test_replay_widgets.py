"""The replay bar and the list of finished sessions, as a trainer reads and uses them (pytest-qt)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from widgets.common.formatting import cst_datetime
from widgets.trainer.replay import ReplayBox
from widgets.trainer.replay_bar import ReplayBar

BEGIN = 1_773_828_000.0  # 2026-03-18 18:00 CST


def text(t: float) -> str:
    return cst_datetime(t).strftime("%m-%d %H:%M:%S")


def test_the_seek_bar_seeks_on_a_click_and_after_a_drag_never_while_following_the_clock(qtbot):
    bar = ReplayBar()
    qtbot.addWidget(bar)
    seeks = []
    bar.seekRequested.connect(seeks.append)
    bar.set_range(BEGIN, BEGIN + 4 * 3600)
    bar.set_time(BEGIN + 1800)  # the clock moves the handle: no seek
    assert bar.slider.value() == 1800 and seeks == [] and text(BEGIN + 1800) in bar.time_label.text()
    bar.set_time(BEGIN + 9 * 3600)  # past the end: held at the end
    assert bar.slider.value() == 4 * 3600
    bar.slider.triggerAction(bar.slider.SliderAction.SliderPageStepSub)  # a click on the track
    assert seeks == [BEGIN + 4 * 3600 - 600]
    bar.slider.setSliderDown(True)  # a drag: the label follows the handle, the seek waits for the release
    bar.slider.setValue(3600)
    assert text(BEGIN + 3600) in bar.time_label.text() and len(seeks) == 1
    bar.set_time(BEGIN + 7000)  # the clock does not pull the handle from under the mouse
    assert bar.slider.value() == 3600
    bar.slider.setSliderDown(False)
    bar.slider.sliderReleased.emit()
    assert seeks[-1] == BEGIN + 3600
    bar.set_busy(True)
    assert not bar.slider.isEnabled() and bar.state_label.text() == "Seeking…"


def test_pause_play_and_speed(qtbot):
    bar = ReplayBar()
    qtbot.addWidget(bar)
    asked = []
    bar.pauseRequested.connect(lambda: asked.append("pause"))
    bar.resumeRequested.connect(lambda: asked.append("play"))
    bar.speedChosen.connect(asked.append)
    bar.set_paused(False)
    bar.play_button.click()
    bar.set_paused(True)
    assert bar.play_button.text() == "Play" and bar.state_label.text() == "Paused"
    bar.play_button.click()
    bar.speed_combo.setCurrentIndex(bar.speed_combo.findData(600.0))
    bar.set_speed(30.0)  # told by the controller: no signal back
    assert asked == ["pause", "play", 600.0] and bar.speed_combo.currentData() == 30.0


def test_sessions_without_events_are_greyed_out_with_the_reason(qtbot):
    box = ReplayBox()
    qtbot.addWidget(box)
    box.set_sessions([("/s/empty", "03-18 18:00 · 冬夜", "no events"), ("/s/good", "03-17 18:00 · 冬夜", "")])
    combo, model = box.session_combo, box.session_combo.model()
    assert combo.itemText(0) == "03-18 18:00 · 冬夜 (no events)" and not model.item(0).isEnabled()
    assert combo.itemData(0) is None and model.item(0).data(Qt.ItemDataRole.ToolTipRole) == "no events"
    assert combo.currentData() == "/s/good" and box.play_button.isEnabled()
    box.set_sessions([("/s/empty", "03-18 18:00 · 冬夜", "no events")])
    assert combo.currentData() is None and not box.play_button.isEnabled()


def test_they_speak_chinese(chinese, qtbot):
    bar = ReplayBar()
    qtbot.addWidget(bar)
    bar.set_range(BEGIN, BEGIN + 3600)
    bar.set_paused(True)
    bar.set_time(BEGIN)
    assert bar.play_button.text() == "播放" and bar.state_label.text() == "已暂停"
    assert bar.time_label.text() == f"{text(BEGIN)} / {text(BEGIN + 3600)}"
    bar.set_paused(False)
    assert bar.play_button.text() == "暂停" and bar.state_label.text().startswith("正在以 ")
    box = ReplayBox()
    qtbot.addWidget(box)
    box.set_sessions([("/s/empty", "03-18 18:00 · 冬夜", "无事件")])
    assert box.session_combo.itemText(0) == "03-18 18:00 · 冬夜（无事件）"
