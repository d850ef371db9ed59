"""Replaying a finished session for the debrief: which session, how fast, and how far it has got."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout

from widgets.common.formatting import arg
from widgets.trainer.controls import SPEEDS


class ReplayBox(QGroupBox):
    replayRequested = Signal(str, float)  # session folder, speed
    stopRequested = Signal()
    speedChosen = Signal(float)
    refreshRequested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("Replay a finished session"), parent)  # 回放已结束的培训
        self.setObjectName("trainerReplay")
        self.session_combo = QComboBox(self)
        self.session_combo.setObjectName("replaySession")
        self.speed_combo = QComboBox(self)
        for speed in SPEEDS:
            self.speed_combo.addItem(f"{speed:g}×", speed)
        self.speed_combo.setCurrentIndex(self.speed_combo.findData(60.0))
        self.refresh_button = QPushButton(self.tr("Refresh"), self)  # 刷新
        self.play_button = QPushButton(self.tr("Replay"), self)  # 回放
        self.stop_button = QPushButton(self.tr("Stop"), self)  # 停止
        self.stop_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.session_combo, 1)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Speed"), self))  # 速度
        row.addWidget(self.speed_combo)
        row.addStretch(1)
        row.addWidget(self.play_button)
        row.addWidget(self.stop_button)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        self.play_button.clicked.connect(self._play)
        self.stop_button.clicked.connect(self.stopRequested)
        self.refresh_button.clicked.connect(self.refreshRequested)
        self.speed_combo.currentIndexChanged.connect(self._speed_changed)

    def _speed_changed(self, i: int) -> None:
        if i >= 0:
            self.speedChosen.emit(float(self.speed_combo.itemData(i)))

    def set_sessions(self, sessions: Sequence[tuple[str, str] | tuple[str, str, str]]) -> None:
        """(folder, label) or (folder, label, reason) entries, newest first. An entry with a reason
        (e.g. "no events") is listed greyed out with that reason and cannot be chosen."""
        self.session_combo.clear()
        playable = 0
        for folder, label, *why in sessions:
            reason = why[0] if why else ""
            if not reason:
                self.session_combo.addItem(label, folder)
                playable += 1
                continue
            self.session_combo.addItem(arg(self.tr("%1 (%2)"), label, reason), None)  # %1（%2）
            item = self.session_combo.model().item(self.session_combo.count() - 1)  # type: ignore[attr-defined]
            item.setEnabled(False)
            item.setToolTip(reason)
        if not sessions:
            self.session_combo.addItem(self.tr("No finished session yet"), None)  # 暂无已结束的培训
        first = next((i for i in range(self.session_combo.count()) if self.session_combo.itemData(i)), 0)
        self.session_combo.setCurrentIndex(first)
        self.play_button.setEnabled(playable > 0 and not self.stop_button.isEnabled())

    def set_playing(self, playing: bool) -> None:
        self.play_button.setEnabled(not playing and self.session_combo.currentData() is not None)
        self.stop_button.setEnabled(playing)
        self.session_combo.setEnabled(not playing)
        if not playing:
            self.status_label.clear()

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(100 * done / total) if total else 0)
        self.status_label.setText(arg(self.tr("%1 of %2 events replayed"), done, total))  # 已回放 %1 / %2 条事件

    def _play(self) -> None:
        folder = self.session_combo.currentData()
        if folder:
            self.replayRequested.emit(folder, float(self.speed_combo.currentData()))
