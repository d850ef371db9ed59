"""Both style sheets parse (Qt warns, and the test fails, on a bad sheet) and style the widgets."""

from __future__ import annotations

import pytest

from widgets.common.kpi_strip import KpiStrip
from widgets.common.theme import THEMES, apply_theme, load_theme


@pytest.mark.parametrize("name", THEMES)
def test_theme_applies_cleanly(qtbot, qapp, name):
    previous, font = qapp.styleSheet(), qapp.font()  # apply_theme sets both: later tests measure text
    try:
        apply_theme(qapp, name)
        strip = KpiStrip()
        qtbot.addWidget(strip)
        strip.set_values({"overdue_open": 5})
        strip.show()
        qtbot.waitExposed(strip)
        card = strip.cards["overdue_open"]
        assert card.is_bad()
        assert card.value_label.palette().color(card.value_label.foregroundRole()).name() in ("#d32f2f", "#ff5252")
    finally:
        qapp.setStyleSheet(previous)
        qapp.setFont(font)


def test_unknown_theme_is_refused():
    with pytest.raises(ValueError, match="unknown theme 'blue'"):
        load_theme("blue")
