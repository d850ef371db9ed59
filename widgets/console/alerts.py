"""Alerts for a new 特急 case or a case turning overdue: stacked toasts and a sound.

Toasts are overlay children of a host widget (top-right, newest on top), hide on
their own after a while unless sticky, and carry an acknowledge button; the app sends
the acknowledgement to the hub so the other consoles show who saw it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

DEFAULT_SOUND = Path(__file__).resolve().parents[2] / "resources" / "sounds" / "alert.wav"


class Toast(QFrame):
    """One alert card; ``acknowledged`` carries its case id, ``dismissed`` fires when it hides."""

    acknowledged = Signal(str)
    dismissed = Signal(str)

    def __init__(self, case_id: str, title: str, text: str, critical: bool, timeout_ms: int, host: QWidget):
        super().__init__(host)
        self.case_id = case_id
        self._gone = False
        self.setObjectName("toast")
        self.setProperty("critical", critical)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title_label = QLabel(title, self)
        self.title_label.setObjectName("toastTitle")
        self.text_label = QLabel(text, self)
        self.text_label.setObjectName("toastText")
        self.text_label.setWordWrap(True)
        self.ack_button = QPushButton(self.tr("Acknowledge"), self)  # 确认
        self.ack_button.setObjectName("toastAck")
        self.ack_button.clicked.connect(self.acknowledge)
        self.close_button = QPushButton("×", self)
        self.close_button.setObjectName("toastClose")
        self.close_button.setFlat(True)
        self.close_button.setToolTip(self.tr("Hide"))  # 隐藏
        self.close_button.clicked.connect(self.dismiss)
        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addWidget(self.close_button)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.ack_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.text_label)
        layout.addLayout(bottom)
        self.setFixedWidth(320)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.dismiss)
        if timeout_ms > 0:
            self.timer.start(timeout_ms)

    def acknowledge(self) -> None:
        self.acknowledged.emit(self.case_id)
        self.dismiss()

    def dismiss(self) -> None:
        if self._gone:
            return
        self._gone = True
        self.timer.stop()
        self.hide()
        self.dismissed.emit(self.case_id)
        self.deleteLater()


class ToastStack(QObject):
    """Toasts over ``host``'s top-right corner; one per case (a repeat alert refreshes it)."""

    acknowledged = Signal(str)

    def __init__(self, host: QWidget, timeout_ms: int = 8000, max_toasts: int = 5, margin: int = 12):
        super().__init__(host)
        if max_toasts < 1:
            raise ValueError(f"max_toasts must be at least 1, got {max_toasts}")
        self._host = host
        self._timeout_ms = timeout_ms
        self._max = max_toasts
        self._margin = margin
        self._toasts: list[Toast] = []  # newest first
        host.installEventFilter(self)

    def toasts(self) -> list[Toast]:
        return list(self._toasts)

    def toast_for(self, case_id: str) -> Toast | None:
        return next((t for t in self._toasts if t.case_id == case_id), None)

    def show_alert(self, case_id: str, title: str, text: str, critical: bool = False, sticky: bool = False) -> Toast:
        """Show (or refresh) the toast of ``case_id``; sticky toasts wait for the operator."""
        old = self.toast_for(case_id)
        if old is not None:
            self._forget(old)
            old.dismiss()
        toast = Toast(case_id, title, text, critical, 0 if sticky else self._timeout_ms, self._host)
        toast.acknowledged.connect(self.acknowledged)
        toast.dismissed.connect(lambda _id, t=toast: self._forget(t))
        self._toasts.insert(0, toast)
        while len(self._toasts) > self._max:
            self._toasts[-1].dismiss()
        toast.show()
        toast.raise_()
        self._relayout()
        return toast

    def dismiss(self, case_id: str) -> None:
        """Hide the case's toast (e.g. another console acknowledged it)."""
        toast = self.toast_for(case_id)
        if toast is not None:
            toast.dismiss()

    def _forget(self, toast: Toast) -> None:
        if toast in self._toasts:
            self._toasts.remove(toast)
            self._relayout()

    def _relayout(self) -> None:
        y = self._margin
        for toast in self._toasts:
            toast.adjustSize()
            toast.move(self._host.width() - toast.width() - self._margin, y)
            y += toast.height() + self._margin // 2

    def eventFilter(self, obj, event) -> bool:
        if obj is self._host and event.type() == QEvent.Type.Resize:
            self._relayout()
        return False


class AlertSound(QObject):
    """Plays ``resources/sounds/alert.wav`` with QSoundEffect when QtMultimedia loads,
    otherwise QApplication.beep() (QtMultimedia needs PulseAudio on Linux)."""

    def __init__(self, path: Path = DEFAULT_SOUND, parent: QObject | None = None, muted: bool = False):
        super().__init__(parent)
        self.muted = muted
        self.played = 0
        self._effect = None
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:  # libpulse or the multimedia backend is missing
            return
        if not Path(path).is_file():
            raise FileNotFoundError(f"alert sound {path} does not exist")
        self._effect = QSoundEffect(self)
        self._effect.setSource(QUrl.fromLocalFile(str(path)))

    @property
    def backend(self) -> str:
        return "QSoundEffect" if self._effect is not None else "beep"

    def play(self) -> None:
        if self.muted:
            return
        self.played += 1
        if self._effect is not None:
            self._effect.play()
        else:
            QApplication.beep()
