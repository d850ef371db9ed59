"""KpiStrip: values formatted, bad values flagged, unknown KPIs refused."""

from __future__ import annotations

import numpy as np
import pytest

from widgets.common.kpi_strip import KPI_KEYS, KpiStrip


def test_values_are_shown_and_bad_ones_flagged(qtbot):
    strip = KpiStrip()
    qtbot.addWidget(strip)
    assert len(strip.cards) == 8 and list(strip.cards) == list(KPI_KEYS)
    strip.set_values(
        {
            "reported_today": 1234,
            "open": np.int64(87),
            "overdue": 3,
            "completion_rate": 0.991,
            "on_time_rate": 0.82,
            "mean_time_to_close": 5.5 * 3600,
            "supervised": 4,
            "self_resolved": 0,
        }
    )
    text = {key: card.value_text() for key, card in strip.cards.items()}
    assert text == {
        "reported_today": "1,234",
        "open": "87",
        "overdue": "3",
        "completion_rate": "99.1%",
        "on_time_rate": "82.0%",
        "mean_time_to_close": "5.5 h",
        "supervised": "4",
        "self_resolved": "0",
    }
    bad = {key for key, card in strip.cards.items() if card.is_bad()}
    assert bad == {"overdue", "on_time_rate"}
    assert strip.cards["overdue"].caption.text() == "Overdue"


def test_partial_updates_none_and_clear(qtbot):
    strip = KpiStrip()
    qtbot.addWidget(strip)
    strip.set_values({"overdue": 2, "mean_time_to_close": 1200})
    assert strip.cards["mean_time_to_close"].value_text() == "20 min"
    strip.set_values({"overdue": 0})
    assert not strip.cards["overdue"].is_bad() and strip.cards["overdue"].value_text() == "0"
    strip.set_values({"completion_rate": None})
    assert strip.cards["completion_rate"].value_text() == "—"
    strip.clear()
    assert {card.value_text() for card in strip.cards.values()} == {"—"}


def test_bad_input_is_refused(qtbot):
    strip = KpiStrip()
    qtbot.addWidget(strip)
    with pytest.raises(ValueError, match="unknown KPI \\['closed_today'\\]"):
        strip.set_values({"closed_today": 1})
    with pytest.raises(ValueError, match="KPI 'open' must be a number"):
        strip.set_values({"open": "12"})
