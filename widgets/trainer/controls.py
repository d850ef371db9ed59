"""The trainer's time bar: scenario, start/pause, speed, jumps, reset, and the simulated clock.

Only intents go out (signals); the controller owns the session and tells the bar what
to show (``set_time``, ``set_running``, ``set_next``). Speed is chosen from presets
between 1× and 600×, the range the hub's simulation clock accepts for training.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton

from widgets.common.formatting import arg, cst_datetime

SPEEDS = (1.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)
DEFAULT_SPEED = 60.0


class TimeControls(QFrame):
    scenarioChosen = Signal(str)  # a shipped scenario's name or a file path
    scenarioFileRequested = Signal()
    startRequested = Signal()  # start or resume
    pauseRequested = Signal()
    speedChosen = Signal(float)
    jumpHourRequested = Signal()
    nextEventRequested = Signal()
    resetRequested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("trainerControls")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.scenario_combo = QComboBox(self)
        self.scenario_combo.setObjectName("trainerScenario")
        self.scenario_combo.setMinimumWidth(220)
        self.file_button = QPushButton(self.tr("Scenario file…"), self)  # 场景文件…
        self.play_button = QPushButton(self.tr("Start"), self)  # 开始
        self.play_button.setObjectName("trainerPlay")
        self.play_button.setMinimumWidth(110)
        self.speed_combo = QComboBox(self)
        self.speed_combo.setObjectName("trainerSpeed")
        for speed in SPEEDS:
            self.speed_combo.addItem(f"{speed:g}×", speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(DEFAULT_SPEED))
        self.hour_button = QPushButton(self.tr("+1 hour"), self)  # 快进1小时
        self.next_button = QPushButton(self.tr("Next event"), self)  # 跳到下一事件
        self.reset_button = QPushButton(self.tr("Reset"), self)  # 重置
        self.reset_button.setToolTip(self.tr("Start the scenario again from its beginning; the finished run "
                                             "is kept for replay"))  # 从场景开始处重新开始；已结束的一轮保留以供回放
        self.clock_label = QLabel("—", self)
        self.clock_label.setObjectName("trainerClock")
        self.clock_label.setStyleSheet("font-size: 30px; font-weight: bold;")
        self.clock_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("trainerState")
        self.next_label = QLabel(self)
        self.next_label.setObjectName("trainerNext")
        self.next_label.setWordWrap(False)

        grid = QGridLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Scenario"), self))  # 场景
        row.addWidget(self.scenario_combo)
        row.addWidget(self.file_button)
        row.addSpacing(24)
        row.addWidget(self.play_button)
        row.addWidget(QLabel(self.tr("Speed"), self))  # 速度
        row.addWidget(self.speed_combo)
        row.addWidget(self.hour_button)
        row.addWidget(self.next_button)
        row.addWidget(self.reset_button)
        row.addStretch(1)
        grid.addLayout(row, 0, 0)
        grid.addWidget(self.clock_label, 0, 1, 2, 1)
        info = QHBoxLayout()
        info.addWidget(self.state_label)
        info.addSpacing(24)
        info.addWidget(self.next_label, 1)
        grid.addLayout(info, 1, 0)
        grid.setColumnStretch(0, 1)

        self._running = False
        self._updating = False
        self.play_button.clicked.connect(self._play_clicked)
        self.file_button.clicked.connect(self.scenarioFileRequested)
        self.hour_button.clicked.connect(self.jumpHourRequested)
        self.next_button.clicked.connect(self.nextEventRequested)
        self.reset_button.clicked.connect(self.resetRequested)
        self.speed_combo.currentIndexChanged.connect(self._speed_changed)
        self.scenario_combo.activated.connect(lambda i: self.scenarioChosen.emit(self.scenario_combo.itemData(i)))
        self.set_running(False, started=False)

    # ---- what the controller shows --------------------------------------------------------------
    def set_scenarios(self, scenarios: Sequence[tuple[str, str]], current: str | None = None) -> None:
        """``scenarios``: (name or path, label) pairs."""
        self._updating = True
        self.scenario_combo.clear()
        for ref, label in scenarios:
            self.scenario_combo.addItem(label, ref)
        if current is not None:
            index = self.scenario_combo.findData(current)
            if index < 0:
                self.scenario_combo.addItem(current, current)
                index = self.scenario_combo.count() - 1
            self.scenario_combo.setCurrentIndex(index)
        self._updating = False

    def current_scenario(self) -> str | None:
        return self.scenario_combo.currentData()

    def set_time(self, t: float | None) -> None:
        self.clock_label.setText("—" if t is None else cst_datetime(t).strftime("%m-%d %H:%M:%S"))

    def set_running(self, running: bool, started: bool = True) -> None:
        self._running = running
        if running:
            self.play_button.setText(self.tr("Pause"))  # 暂停
            self.state_label.setText(arg(self.tr("Running at %1"), self.speed_combo.currentText()))  # 运行中 %1
        elif started:
            self.play_button.setText(self.tr("Resume"))  # 继续
            self.state_label.setText(self.tr("Paused"))  # 已暂停
        else:
            self.play_button.setText(self.tr("Start"))  # 开始
            self.state_label.setText(self.tr("Ready: press Start to begin the scenario"))  # 就绪：按“开始”启动场景

    def is_running(self) -> bool:
        return self._running

    def set_speed(self, speed: float) -> None:
        index = self.speed_combo.findData(float(speed))
        if index < 0:
            raise ValueError(f"speed {speed} is not one of the presets {', '.join(f'{s:g}' for s in SPEEDS)}")
        self._updating = True
        self.speed_combo.setCurrentIndex(index)
        self._updating = False
        if self._running:
            self.set_running(True)

    def speed(self) -> float:
        return float(self.speed_combo.currentData())

    def set_next(self, text: str) -> None:
        self.next_label.setText(text)

    def set_busy(self, busy: bool) -> None:
        """Disable the buttons while the session is starting, jumping or resetting."""
        for widget in (self.play_button, self.hour_button, self.next_button, self.reset_button, self.file_button,
                       self.scenario_combo):
            widget.setEnabled(not busy)

    # ---- intents --------------------------------------------------------------------------------
    def _play_clicked(self) -> None:
        (self.pauseRequested if self._running else self.startRequested).emit()

    def _speed_changed(self, index: int) -> None:
        if not self._updating and index >= 0:
            self.speedChosen.emit(float(self.speed_combo.itemData(index)))
            if self._running:
                self.set_running(True)
