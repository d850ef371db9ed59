"""The status bar: is this console live, how much waits in the outbox, server time, feed rate.

An operator must see at a glance whether what is on screen is current: offline turns
the bar red, stops the server clock at the last moment the hub was heard ("offline
since 17:42:25") and shows the number of queued commands; resyncing shows snapshot
progress.
"""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QLabel, QProgressBar, QSizePolicy, QStatusBar

from widgets.common.formatting import arg, clock_text


class ConnectionState(str, enum.Enum):
    LIVE = "live"  # 在线
    RECONNECTING = "reconnecting"  # 重连中
    OFFLINE = "offline"  # 离线
    RESYNCING = "resyncing"  # 同步中


STATE_COLORS = {
    ConnectionState.LIVE: "#43a047",
    ConnectionState.RECONNECTING: "#ffb300",
    ConnectionState.OFFLINE: "#e53935",
    ConnectionState.RESYNCING: "#1e88e5",
}


class StatusBar(QStatusBar):
    """``set_connection`` / ``set_server_time`` / ``set_rate``; the text is what the operator reads."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.dot = QLabel("●", self)
        self.dot.setObjectName("connectionDot")
        self.state_label = QLabel(self)
        self.state_label.setObjectName("connectionState")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setFixedWidth(120)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.rate_label = QLabel(self)
        self.rate_label.setObjectName("eventRate")
        self.time_label = QLabel(self)
        self.time_label.setObjectName("serverTime")
        self.calendar_label = QLabel(self)  # shown only when the working calendar misses a year
        self.calendar_label.setObjectName("calendarGap")
        self.calendar_label.setStyleSheet("color: #c2410c; font-weight: bold;")
        self.calendar_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens
        self.calendar_label.hide()
        self.addWidget(self.dot)
        self.addWidget(self.state_label)
        self.addWidget(self.progress)
        self.addWidget(self.calendar_label)
        self.addPermanentWidget(self.rate_label)
        self.addPermanentWidget(self.time_label)
        self._state = ConnectionState.OFFLINE
        self._last_time: float | None = None  # the last server time shown while connected
        self.offline_since: float | None = None
        self.set_connection(ConnectionState.OFFLINE)
        self.set_rate(0.0)

    def state(self) -> ConnectionState:
        return self._state

    def set_connection(self, state: ConnectionState | str, outbox: int = 0, progress: float | None = None) -> None:
        """``outbox`` counts commands waiting to be sent; ``progress`` (0..1) is for resyncing."""
        try:
            state = ConnectionState(state)
        except ValueError:
            raise ValueError(
                f"unknown connection state {state!r}; expected one of {[s.value for s in ConnectionState]}"
            ) from None
        if outbox < 0:
            raise ValueError(f"outbox count must be non-negative, got {outbox}")
        if progress is not None and not 0.0 <= progress <= 1.0:
            raise ValueError(f"resync progress must be within 0..1, got {progress}")
        self._state = state
        stale = state in (ConnectionState.OFFLINE, ConnectionState.RECONNECTING)
        if stale and self.offline_since is None:
            self.offline_since = self._last_time  # None before the first contact
        elif not stale:
            self.offline_since = None
        # Re-styled only when it changes: a re-polish sends every child a font and palette change,
        # and this runs for each step of a snapshot's progress (issue 20: the GUI stalls then).
        shown_stale = stale and self._last_time is not None
        if self.property("stale") != shown_stale:
            self.setProperty("stale", shown_stale)
            self.style().unpolish(self)
            self.style().polish(self)
        dot = f"color: {STATE_COLORS[state]};"
        if self.dot.styleSheet() != dot:
            self.dot.setStyleSheet(dot)
        if state is ConnectionState.LIVE:
            text = self.tr("Live")  # 在线
        elif state is ConnectionState.RECONNECTING:
            text = self.tr("Reconnecting…")  # 正在重连…
        elif state is ConnectionState.OFFLINE:
            text = self.tr("Offline")  # 离线
        else:
            text = self.tr("Resyncing")  # 正在同步
        if outbox and state is not ConnectionState.LIVE:
            text = arg(self.tr("%1 · %2 commands queued"), text, outbox)  # %1 · 待发送 %2 条
        self.state_label.setText(text)
        showing = state is ConnectionState.RESYNCING and progress is not None
        self.progress.setVisible(showing)
        if showing and progress is not None:
            self.progress.setValue(round(progress * 100))

        if self.offline_since is not None:
            self._show_offline_since()

    def is_stale(self) -> bool:
        """Offline or reconnecting after having been live: what the screen shows may be old."""
        return self.offline_since is not None

    def _show_offline_since(self) -> None:
        if self.offline_since is None:  # live again
            return
        # zh: 自 %1 起离线，数据未更新
        self.time_label.setText(arg(self.tr("Offline since %1; data not updated"), clock_text(self.offline_since)))

    def set_server_time(self, t: float) -> None:
        """The running server clock while connected; frozen at the last contact while offline."""
        if self.offline_since is not None:
            return
        if self._state in (ConnectionState.LIVE, ConnectionState.RESYNCING):
            self._last_time = t
        self.time_label.setText(arg(self.tr("Server time %1"), clock_text(t)))  # 服务器时间 %1

    def set_calendar_gap(self, years: list[int]) -> None:
        """Years (today's or a near deadline's) the working calendar has no holidays for: deadlines
        there count Monday to Friday only, which an operator must know before trusting a time limit."""
        if not years:
            self.calendar_label.hide()
            return
        listed = ", ".join(str(y) for y in years)
        self.calendar_label.setText(self.tr("Calendar lacks %1").replace("%1", listed))  # 日历缺 %1 年节假日
        text = self.tr("The working calendar has no holidays for %1: time limits there count Monday to Friday")
        # 工作日历缺少 %1 年的节假日安排：该年时限按周一至周五计算
        self.calendar_label.setToolTip(text.replace("%1", listed))
        self.calendar_label.show()

    def set_rate(self, events_per_second: float) -> None:
        if events_per_second < 0:
            raise ValueError(f"event rate must be non-negative, got {events_per_second}")
        self.rate_label.setText(arg(self.tr("%1 events/s"), f"{events_per_second:.1f}"))  # %1 事件/秒
