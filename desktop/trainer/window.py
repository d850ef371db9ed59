"""The trainer panel's window: only layout. TrainerController wires it to the session.

Top: the time bar (scenario, start/pause, speed, jumps, reset, the simulated clock).
Left: trainees with their tokens, and replay. Centre: the live scorecard. Right: hand
injections and the scenario's scheduled ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QSplitter, QStatusBar, QVBoxLayout, QWidget

from widgets.trainer.controls import TimeControls
from widgets.trainer.inject import InjectPanel
from widgets.trainer.replay import ReplayBox
from widgets.trainer.scorecard import ScorecardPanel
from widgets.trainer.trainees import TraineeList


class TrainerWindow(QMainWindow):
    def __init__(self, score_columns: Sequence[str]) -> None:
        super().__init__()
        self.setObjectName("trainerWindow")
        self.setWindowTitle(self.tr("GridCC · Trainer"))  # GridCC · 培训师
        self.controls = TimeControls(self)
        self.trainees = TraineeList(self)
        self.replay = ReplayBox(self)
        self.scorecard = ScorecardPanel(score_columns, self)
        self.inject = InjectPanel(self)
        self.status = QStatusBar(self)
        self.setStatusBar(self.status)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.trainees, 1)
        left_layout.addWidget(self.replay)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.scorecard)
        splitter.addWidget(self.inject)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 5)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([520, 860, 520])
        self.splitter = splitter

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addWidget(self.controls)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

    def show_message(self, text: str, seconds: float = 8.0) -> None:
        self.status.showMessage(text, int(seconds * 1000))
