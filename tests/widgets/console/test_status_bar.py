"""StatusBar: connection state with outbox and resync progress, server time, event rate."""

from __future__ import annotations

import pytest

from tests.widgets.list_source import T0
from widgets.console.status_bar import ConnectionState, StatusBar


def test_states_read_as_the_operator_needs(qtbot):
    bar = StatusBar()
    qtbot.addWidget(bar)
    assert bar.state() is ConnectionState.OFFLINE
    bar.set_connection("live")
    assert bar.state_label.text() == "Live" and bar.progress.isHidden()
    bar.set_connection(ConnectionState.OFFLINE, outbox=3)
    assert bar.state_label.text() == "Offline · 3 commands queued"
    bar.set_connection("reconnecting", outbox=1)
    assert bar.state_label.text() == "Reconnecting… · 1 commands queued"
    bar.set_connection("resyncing", progress=0.42)
    assert bar.state_label.text() == "Resyncing"
    assert not bar.progress.isHidden() and bar.progress.value() == 42
    bar.set_connection("live", outbox=2)  # a live link drains the outbox; no count shown
    assert bar.state_label.text() == "Live" and bar.progress.isHidden()


def test_time_and_rate(qtbot):
    bar = StatusBar()
    qtbot.addWidget(bar)
    bar.set_server_time(T0)
    assert bar.time_label.text() == "Server time 10:53:20"
    bar.set_rate(12.345)
    assert bar.rate_label.text() == "12.3 events/s"


def test_bad_input_is_refused(qtbot):
    bar = StatusBar()
    qtbot.addWidget(bar)
    with pytest.raises(ValueError, match="unknown connection state 'down'"):
        bar.set_connection("down")
    with pytest.raises(ValueError, match="within 0..1"):
        bar.set_connection("resyncing", progress=42)
    with pytest.raises(ValueError, match="outbox"):
        bar.set_connection("offline", outbox=-1)


def test_offline_freezes_the_clock_and_says_since_when(qtbot):
    from widgets.common.formatting import clock_text
    from widgets.console.status_bar import ConnectionState, StatusBar

    bar = StatusBar()
    qtbot.addWidget(bar)
    bar.set_connection(ConnectionState.LIVE)
    bar.set_server_time(1_735_700_000.0)
    assert not bar.is_stale()
    bar.set_connection(ConnectionState.OFFLINE)
    assert bar.is_stale() and bar.property("stale") is True
    assert clock_text(1_735_700_000.0) in bar.time_label.text()
    frozen = bar.time_label.text()
    bar.set_server_time(1_735_700_600.0)
    assert bar.time_label.text() == frozen
    bar.set_connection(ConnectionState.LIVE)
    bar.set_server_time(1_735_700_600.0)
    assert not bar.is_stale() and clock_text(1_735_700_600.0) in bar.time_label.text()


def test_a_year_the_working_calendar_lacks_is_shown(qtbot):
    bar = StatusBar()
    qtbot.addWidget(bar)
    bar.show()
    assert not bar.calendar_label.isVisible()
    bar.set_calendar_gap([2027])
    assert bar.calendar_label.isVisible() and "2027" in bar.calendar_label.text()
    assert "Monday to Friday" in bar.calendar_label.toolTip()
    bar.set_calendar_gap([])
    assert not bar.calendar_label.isVisible()


def test_progress_steps_restyle_nothing_and_a_state_change_restyles_the_dot(qtbot):
    """Each step of a snapshot's progress comes through set_connection: re-styling the bar then
    sent every child a font and palette change. Only a change of state or staleness restyles."""
    from PySide6.QtCore import QEvent, QObject

    bar = StatusBar()
    qtbot.addWidget(bar)
    bar.show()
    bar.set_connection("resyncing", progress=0.1)
    seen: list[QEvent.Type] = []

    class Styles(QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange, QEvent.Type.FontChange):
                seen.append(event.type())
            return False

    styles = Styles()
    for widget in (bar, bar.dot, bar.state_label):
        widget.installEventFilter(styles)
    for step in range(2, 10):
        bar.set_connection("resyncing", progress=step / 10)
    assert seen == [] and bar.progress.value() == 90
    bar.set_connection("live")
    assert seen and bar.dot.styleSheet() != "" and "Live" == bar.state_label.text()
    bar.set_server_time(T0)  # in contact
    seen.clear()
    bar.set_connection(ConnectionState.RECONNECTING)  # after contact: stale, the bar's look changes
    assert bar.property("stale") is True and bar.is_stale() and seen
