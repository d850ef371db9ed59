"""KpiStrip: values formatted, bad values flagged, unknown KPIs refused."""

from __future__ import annotations

import numpy as np
import pytest

from widgets.common.kpi_strip import KPI_KEYS, KpiStrip


def test_values_are_shown_and_only_late_things_are_red(qtbot):
    strip = KpiStrip()
    qtbot.addWidget(strip)
    assert len(strip.cards) == 11 and list(strip.cards) == list(KPI_KEYS)
    strip.set_values(
        {
            "reported": 1234,
            "accepted": 1000,
            "open": np.int64(87),
            "due": 10,
            "on_time_rate": 0.4,
            "late": 6,
            "overdue_open": 3,
            "close_hours": 5.5,
            "handle_hours": 0.5,
            "supervised": 4,
            "self_resolved_rate": 0.2,
        }
    )
    text = {key: card.value_text() for key, card in strip.cards.items()}
    assert text == {
        "reported": "1,234", "accepted": "1,000", "open": "87", "due": "10", "on_time_rate": "40.0%", "late": "6",
        "overdue_open": "3", "close_hours": "5.5 h", "handle_hours": "30 min", "supervised": "4",
        "self_resolved_rate": "20.0%",
    }
    bad = {key for key, card in strip.cards.items() if card.is_bad()}
    assert bad == {"late", "overdue_open"}  # a low rate alone is never red
    assert strip.cards["overdue_open"].caption.text() == "Overdue open"


def test_partial_updates_none_and_clear(qtbot):
    strip = KpiStrip()
    qtbot.addWidget(strip)
    strip.set_values({"late": 2, "close_hours": 1 / 3})
    assert strip.cards["close_hours"].value_text() == "20 min" and strip.cards["late"].is_bad()
    strip.set_values({"late": 0})
    assert not strip.cards["late"].is_bad() and strip.cards["late"].value_text() == "0"
    strip.set_values({"on_time_rate": None})
    assert strip.cards["on_time_rate"].value_text() == "—"
    strip.clear()
    assert {card.value_text() for card in strip.cards.values()} == {"—"}


def test_bad_input_is_refused(qtbot):
    strip = KpiStrip()
    qtbot.addWidget(strip)
    with pytest.raises(ValueError, match="unknown KPI \\['closed_today'\\]"):
        strip.set_values({"closed_today": 1})
    with pytest.raises(ValueError, match="KPI 'open' must be a number"):
        strip.set_values({"open": "12"})
