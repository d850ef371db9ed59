"""QueueTabs: the eight queues in order, live count badges, queue_changed."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from domain.queues import Queue
from widgets.console.queue_tabs import ALARM_COLOR, QueueTabs


def test_tabs_in_the_operator_order(qtbot):
    tabs = QueueTabs()
    qtbot.addWidget(tabs)
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Intake", "To dispatch", "In progress", "Returned", "To verify", "Warning/Overdue", "Supervised", "Approvals",
        "Callback", "My tasks", "All",
    ]
    assert tabs.current_queue() == "intake"


def test_counts_show_as_badges(qtbot):
    tabs = QueueTabs()
    qtbot.addWidget(tabs)
    tabs.set_counts({"intake": 12, Queue.SLA_ALERT: 3, "all": 250})
    assert tabs.tabText(0) == "Intake 12"
    assert tabs.tabText(5) == "Warning/Overdue 3"
    assert tabs.tabText(10) == "All 250"
    assert tabs.tabText(1) == "To dispatch"  # not given: no badge yet
    assert tabs.tabTextColor(5) == ALARM_COLOR
    tabs.set_counts({"sla_alert": 0})
    assert tabs.tabText(5) == "Warning/Overdue 0" and tabs.tabTextColor(5) != ALARM_COLOR
    assert tabs.count_of("intake") == 12  # left out: kept


def test_choosing_a_tab_emits_its_queue(qtbot):
    tabs = QueueTabs()
    qtbot.addWidget(tabs)
    with qtbot.waitSignal(tabs.queue_changed) as changed:
        tabs.setCurrentIndex(4)
    assert changed.args == ["to_verify"]
    with qtbot.waitSignal(tabs.queue_changed) as changed:
        tabs.set_current("supervised")
    assert changed.args == ["supervised"] and tabs.current_queue() == "supervised"


def test_bad_counts_are_refused(qtbot):
    tabs = QueueTabs()
    qtbot.addWidget(tabs)
    with pytest.raises(ValueError, match="unknown queue 'pending'"):
        tabs.set_counts({"pending": 1})
    with pytest.raises(ValueError, match="non-negative int"):
        tabs.set_counts({"intake": -1})
    assert QColor(ALARM_COLOR).isValid()
