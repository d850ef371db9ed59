"""Alerts for a new 特急 case or a case turning overdue: a bounded alarm list and a sound.

The alarm list is a panel of its own (the console docks it under the jurisdiction
tree), so it never covers the case detail's action buttons. Each entry names its case
(number, place, time left); clicking the entry opens the case, its button acknowledges
the alert (the app sends the acknowledgement to the hub so other consoles show who saw
it). The list is bounded: past ``max_entries`` the oldest entry goes.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from widgets.common.formatting import arg

DEFAULT_SOUND = Path(str(resources.files("resources") / "sounds" / "alert.wav"))


class AlarmEntry(QFrame):
    """One alarm: title with the case number, place, time left; click opens, button acknowledges."""

    acknowledged = Signal(str)
    opened = Signal(str)
    dismissed = Signal(str)

    def __init__(self, case_id: str, title: str, text: str, critical: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.case_id = case_id
        self._gone = False
        self.setObjectName("alarmEntry")
        self.setProperty("critical", critical)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Click to open the case"))  # 点击打开该事件
        self.title_label = QLabel(self)
        self.title_label.setObjectName("alarmTitle")
        self.text_label = QLabel(text, self)
        self.text_label.setObjectName("alarmText")
        self.text_label.setWordWrap(True)
        self.time_label = QLabel(self)
        self.time_label.setObjectName("alarmTime")
        self.ack_button = QPushButton(self.tr("Acknowledge"), self)  # 确认
        self.ack_button.setObjectName("alarmAck")
        self.ack_button.setCursor(Qt.CursorShape.ArrowCursor)
        self.ack_button.clicked.connect(self.acknowledge)
        self.close_button = QPushButton("×", self)
        self.close_button.setObjectName("alarmClose")
        self.close_button.setFlat(True)
        self.close_button.setFixedWidth(self.close_button.fontMetrics().horizontalAdvance("××") + 8)
        self.close_button.setToolTip(self.tr("Hide"))  # 隐藏
        self.close_button.clicked.connect(self.dismiss)
        self.title_label.setWordWrap(True)  # the panel may be narrow: wrap, never clip
        self.time_label.setWordWrap(True)
        top = QHBoxLayout()
        top.setSpacing(4)
        top.addWidget(self.title_label, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        buttons.addStretch(1)
        buttons.addWidget(self.ack_button)
        buttons.addWidget(self.close_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.time_label, 1)
        bottom.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.text_label)
        layout.addLayout(bottom)
        self._bottom = bottom
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.update_text(title, text)

    def update_text(self, title: str, text: str) -> None:
        self.title_label.setText(arg(self.tr("%1 · %2"), title, self.case_id))
        self.text_label.setText(text)

    def set_time_left(self, text: str) -> None:
        self.time_label.setText(text)

    def fit_width(self, width: int) -> None:
        """Narrow (a small screen): the button goes under the time instead of clipping either."""
        narrow = width < (self.time_label.sizeHint().width() + self.ack_button.sizeHint().width()
                          + self.close_button.width() + 40)
        direction = QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        if self._bottom.direction() != direction:
            self._bottom.setDirection(direction)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.opened.emit(self.case_id)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def acknowledge(self) -> None:
        self.acknowledged.emit(self.case_id)
        self.dismiss()

    def dismiss(self) -> None:
        if self._gone:
            return
        self._gone = True
        self.hide()
        self.dismissed.emit(self.case_id)
        self.deleteLater()


#: The name the console used before the alarm list replaced the overlay toasts.
Toast = AlarmEntry


class AlarmList(QWidget):
    """Alarms newest first, one per case (a repeat alert refreshes it), at most ``max_entries``.

    ``case_opened`` carries the id of a clicked entry, ``acknowledged`` the id whose
    button was pressed. ``changed`` fires whenever entries come or go.
    """

    acknowledged = Signal(str)
    case_opened = Signal(str)
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, max_entries: int = 20):
        super().__init__(parent)
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        self.setObjectName("alarmList")
        self._max = max_entries
        self.max_entries = max_entries
        self._entries: list[AlarmEntry] = []  # newest first
        self.header = QLabel(self)
        self.header.setObjectName("alarmHeader")
        self.empty_label = QLabel(self.tr("No unacknowledged alarms"), self)  # 暂无未确认告警
        self.empty_label.setObjectName("alarmEmpty")
        self.empty_label.setWordWrap(True)
        self._host = QWidget()
        self._column = QVBoxLayout(self._host)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(4)
        self._column.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self._host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.scroll, 1)
        self._filler = layout.count()
        layout.addStretch(1)
        self._relabel()

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setHeight(max(hint.height(), 220))
        return hint

    def minimumSizeHint(self):
        hint = super().minimumSizeHint()
        hint.setHeight(min(hint.height(), 90))
        return hint

    # -- the list --------------------------------------------------------------------
    def entries(self) -> list[AlarmEntry]:
        return list(self._entries)

    toasts = entries  # the overlay's old name

    def entry_for(self, case_id: str) -> AlarmEntry | None:
        return next((e for e in self._entries if e.case_id == case_id), None)

    toast_for = entry_for

    def case_ids(self) -> list[str]:
        return [e.case_id for e in self._entries]

    def show_alert(self, case_id: str, title: str, text: str, critical: bool = False, sticky: bool = True,
                   time_left: str = "") -> AlarmEntry:
        """Add (or refresh and move to the top) the alarm of ``case_id``. ``sticky`` is kept for
        the old toast API: alarms always wait for the operator."""
        old = self.entry_for(case_id)
        if old is not None:
            self._entries.remove(old)
            self._column.removeWidget(old)
            old.dismissed.disconnect()
            old.dismiss()
        entry = AlarmEntry(case_id, title, text, critical, self._host)
        entry.set_time_left(time_left)
        entry.acknowledged.connect(self.acknowledged)
        entry.opened.connect(self.case_opened)
        entry.dismissed.connect(lambda _id, e=entry: self._forget(e))
        self._entries.insert(0, entry)
        self._column.insertWidget(0, entry)
        while len(self._entries) > self._max:
            self._entries[-1].dismiss()
        entry.fit_width(self.width() - 12)
        entry.show()
        self._relabel()
        return entry

    def resizeEvent(self, event) -> None:
        for entry in self._entries:
            entry.fit_width(event.size().width() - 12)
        super().resizeEvent(event)

    def set_time_left(self, case_id: str, text: str) -> None:
        entry = self.entry_for(case_id)
        if entry is not None and entry.time_label.text() != text:
            entry.set_time_left(text)
            entry.fit_width(self.width() - 12)

    def dismiss(self, case_id: str) -> None:
        """Remove the case's alarm (e.g. another console acknowledged it)."""
        entry = self.entry_for(case_id)
        if entry is not None:
            entry.dismiss()

    def clear(self) -> None:
        for entry in list(self._entries):
            entry.dismiss()

    def _forget(self, entry: AlarmEntry) -> None:
        if entry in self._entries:
            self._entries.remove(entry)
            self._column.removeWidget(entry)
            self._relabel()

    def _relabel(self) -> None:
        n = len(self._entries)
        self.header.setText(arg(self.tr("Alarms: %1"), n))  # 告警：%1
        self.header.setProperty("alarm", n > 0)
        self.header.style().unpolish(self.header)
        self.header.style().polish(self.header)
        self.empty_label.setVisible(n == 0)
        self.scroll.setVisible(n > 0)
        self.layout().setStretch(self._filler, 0 if n else 1)
        self.changed.emit()


class AlertSound(QObject):
    """Plays ``resources/sounds/alert.wav`` with QSoundEffect when QtMultimedia loads,
    otherwise QApplication.beep() (QtMultimedia needs PulseAudio on Linux)."""

    def __init__(self, path: Path = DEFAULT_SOUND, parent: QObject | None = None, muted: bool = False):
        super().__init__(parent)
        self.muted = muted
        self.volume = 1.0
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

    def set_volume(self, volume: float) -> None:
        """0.0 (silent) to 1.0 (full)."""
        if not 0.0 <= volume <= 1.0:
            raise ValueError(f"volume must be within 0..1, got {volume}")
        self.volume = volume
        if self._effect is not None:
            self._effect.setVolume(volume)

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
