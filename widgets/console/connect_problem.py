"""The window a console shows when it cannot reach its hub at launch: what went wrong, Retry, Quit.

Without it `gridcc connect` with the hub down showed no window at all (the error only
reached the terminal). The app retries on its own every ``auto_retry_s`` seconds too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from widgets.common.formatting import arg


class ConnectProblem(QWidget):
    """``retry_requested`` when the operator (or the countdown) asks to try again; ``quit_requested``."""

    retry_requested = Signal()
    quit_requested = Signal()

    def __init__(self, url: str, detail: str = "", auto_retry_s: int = 15, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("connectProblem")
        self.setWindowTitle(self.tr("GridCC · not connected"))  # GridCC · 未连接
        self._auto = auto_retry_s
        self._left = auto_retry_s
        self.headline = QLabel(self.tr("Cannot reach the command centre hub"), self)  # 无法连接指挥中心平台
        self.headline.setObjectName("problemHeadline")
        self.headline.setWordWrap(True)
        self.advice = QLabel(self.tr("The console opens as soon as the hub answers. Check the network "
                                     "or ask the duty engineer whether the hub is running."), self)
        # 平台一有应答，控制台即自动打开。请检查网络，或联系值班工程师确认平台是否在运行。
        self.advice.setWordWrap(True)
        self.url_label = QLabel(arg(self.tr("Hub: %1"), url), self)  # 平台地址：%1
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label = QLabel(self)
        self.detail_label.setObjectName("problemDetail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.countdown_label = QLabel(self)
        self.retry_button = QPushButton(self.tr("Retry now"), self)  # 立即重试
        self.retry_button.setDefault(True)
        self.retry_button.clicked.connect(self._retry)
        self.quit_button = QPushButton(self.tr("Quit"), self)  # 退出
        self.quit_button.clicked.connect(self.quit_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.countdown_label, 1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(self.headline)
        layout.addWidget(self.advice)
        layout.addWidget(self.url_label)
        layout.addWidget(self.detail_label)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.set_detail(detail)
        self.resize(560, 280)

    def set_detail(self, detail: str) -> None:
        """The technical reason (for the engineer), and the countdown starts again."""
        self.detail_label.setText(detail)
        self.detail_label.setVisible(bool(detail))
        self.retry_button.setEnabled(True)
        self._left = self._auto
        self._show_countdown()
        if self._auto > 0:
            self.timer.start()

    def _show_countdown(self) -> None:
        if self._auto > 0:
            self.countdown_label.setText(arg(self.tr("Retrying in %1 s"), self._left))  # %1 秒后自动重试
        else:
            self.countdown_label.clear()

    def _tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._retry()
        else:
            self._show_countdown()

    def _retry(self) -> None:
        self.timer.stop()
        self.retry_button.setEnabled(False)
        self.countdown_label.setText(self.tr("Connecting…"))  # 正在连接…
        self.retry_requested.emit()
