"""The replay window's time bar: pause/play, speed, and a seek bar over the whole recorded session.

Only intents go out (signals); the trainer controller owns the replay and tells the bar
where the replay clock stands (``set_time``) and whether it runs. The slider counts
seconds from the session's start; dragging it shows the time under the handle and
seeks once it is let go, a click on the track or a key seeks at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QToolBar, QWidget

from widgets.common.formatting import arg, cst_datetime
from widgets.trainer.controls import SPEEDS


def _clock_text(t: float) -> str:
    return cst_datetime(t).strftime("%m-%d %H:%M:%S")


class ReplayBar(QToolBar):
    pauseRequested = Signal()
    resumeRequested = Signal()
    speedChosen = Signal(float)
    seekRequested = Signal(float)  # simulated time

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("Replay"), parent)  # 回放
        self.setObjectName("replayBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.begin = self.end = 0.0
        self._paused = False
        self._busy = False
        body = QWidget(self)
        self.play_button = QPushButton(self.tr("Pause"), body)  # 暂停
        self.play_button.setObjectName("replayPlay")
        self.play_button.setMinimumWidth(96)
        self.speed_combo = QComboBox(body)
        self.speed_combo.setObjectName("replaySpeed")
        for speed in SPEEDS:
            self.speed_combo.addItem(f"{speed:g}×", speed)
        self.slider = QSlider(Qt.Orientation.Horizontal, body)
        self.slider.setObjectName("replaySeek")
        self.slider.setToolTip(self.tr("Drag to any moment of the session"))  # 拖动到本场培训的任一时刻
        self.slider.setRange(0, 0)
        self.slider.setPageStep(600)  # a click on the track: ten simulated minutes
        self.slider.setSingleStep(60)
        self.time_label = QLabel("—", body)
        self.time_label.setObjectName("replayTime")
        self.state_label = QLabel(body)
        self.state_label.setObjectName("replayState")
        row = QHBoxLayout(body)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(self.play_button)
        row.addWidget(QLabel(self.tr("Speed"), body))  # 速度
        row.addWidget(self.speed_combo)
        row.addWidget(self.slider, 1)
        row.addWidget(self.time_label)
        row.addWidget(self.state_label)
        self.addWidget(body)
        self.play_button.clicked.connect(self._play_clicked)
        self.speed_combo.currentIndexChanged.connect(self._speed_changed)
        self.slider.valueChanged.connect(self._moved)
        self.slider.sliderReleased.connect(lambda: self._seek(self.slider.value()))

    # ---- what the controller shows --------------------------------------------------------------
    def set_range(self, begin: float, end: float) -> None:
        """The recorded session runs from ``begin`` to ``end`` (simulated times)."""
        self.begin, self.end = begin, max(begin, end)
        self.slider.blockSignals(True)
        self.slider.setRange(0, round(self.end - self.begin))
        self.slider.blockSignals(False)

    def set_time(self, t: float) -> None:
        """Where the replay clock stands; the handle follows unless someone is dragging it."""
        if self.slider.isSliderDown():
            return
        t = min(max(t, self.begin), self.end)
        self.slider.blockSignals(True)
        self.slider.setValue(round(t - self.begin))
        self.slider.blockSignals(False)
        self._show_time(t)

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        self.play_button.setText(self.tr("Play") if paused else self.tr("Pause"))  # 播放 / 暂停
        self._show_state()

    def set_speed(self, speed: float) -> None:
        index = self.speed_combo.findData(float(speed))
        if index >= 0:
            self.speed_combo.blockSignals(True)
            self.speed_combo.setCurrentIndex(index)
            self.speed_combo.blockSignals(False)
        self._show_state()

    def set_busy(self, busy: bool) -> None:
        """While a seek is being carried out: the slider waits, the state says so."""
        self._busy = busy
        self.slider.setEnabled(not busy)
        self._show_state()

    def is_paused(self) -> bool:
        return self._paused

    # ---- internals --------------------------------------------------------------------------------
    def _show_time(self, t: float) -> None:
        self.time_label.setText(arg(self.tr("%1 of %2"), _clock_text(t), _clock_text(self.end)))  # %1 / %2

    def _show_state(self) -> None:
        if self._busy:
            text = self.tr("Seeking…")  # 正在定位…
        elif self._paused:
            text = self.tr("Paused")  # 已暂停
        else:
            text = arg(self.tr("Playing at %1"), self.speed_combo.currentText())  # 正在以 %1 回放
        self.state_label.setText(text)

    def _play_clicked(self) -> None:
        (self.resumeRequested if self._paused else self.pauseRequested).emit()

    def _speed_changed(self, index: int) -> None:
        if index >= 0:
            self.speedChosen.emit(float(self.speed_combo.itemData(index)))
            self._show_state()

    def _moved(self, value: int) -> None:
        if self.slider.isSliderDown():
            self._show_time(self.begin + value)  # the time under the handle while dragging
        else:
            self._seek(value)  # a click on the track or a key

    def _seek(self, value: int) -> None:
        t = self.begin + value
        self._show_time(t)
        self.seekRequested.emit(t)
