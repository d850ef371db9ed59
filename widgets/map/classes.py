"""Value classes for the choropleth: which colour an area gets for a figure, and the legend.

Counts (open cases, overdue cases) get a class for zero and four classes up to a rounded
top (1, 2 or 5 × 10ⁿ) that only moves when a value passes it, so a batch of events recolours
just the areas it touched. The on-time rate has fixed bands; an area with no closed case
today has no value.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

OPEN, OVERDUE, ON_TIME = "open", "overdue", "on_time"
FIGURES = (OPEN, OVERDUE, ON_TIME)
COUNT_COLOURS = ["#f2f0e6", "#fed976", "#fd8d3c", "#f03b20", "#a50026"]
COUNT_COLOURS_DARK = ["#22344a", "#fed976", "#fd8d3c", "#f03b20", "#d7191c"]
RATE_COLOURS = ["#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"]
RATE_BANDS = (0.6, 0.8, 0.9, 0.95)

#: Case point colours by SLA state (index: none, ok, warning, overdue), as ARGB.
SLA_ORDER = ("none", "ok", "warning", "overdue")
SLA_COLOURS = ["#5b7db8", "#2e9d57", "#f0a202", "#e0242b"]
URGENCY_ORDER = ("normal", "urgent", "critical")


def figure_label(figure: str) -> str:
    return {OPEN: QCoreApplication.translate("Map", "Open cases"),  # 在办事件
            OVERDUE: QCoreApplication.translate("Map", "Overdue"),  # 超期
            ON_TIME: QCoreApplication.translate("Map", "On-time rate today")}[figure]  # 今日按时办结率


def nice_top(value: float) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ (at least 10) not below ``value``."""
    value = max(10.0, float(value))
    exp = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 5, 10):
        if m * exp >= value:
            return int(m * exp)
    return int(10 * exp)


class Classifier:
    """Values → classes for one figure; keeps its count bands until a value passes the top."""

    def __init__(self, figure: str = OPEN, dark: bool = False) -> None:
        self.figure = figure
        self.dark = dark
        self.top = 0

    def colours(self) -> list[QColor]:
        counts = COUNT_COLOURS_DARK if self.dark else COUNT_COLOURS
        return [QColor(c) for c in (RATE_COLOURS if self.figure == ON_TIME else counts)]

    def bounds(self) -> list[int]:
        """Upper bounds (inclusive) of the count classes 1..4; class 0 is exactly zero."""
        t = self.top
        return [max(1, round(t * f)) for f in (0.1, 0.3, 0.6)] + [t]

    def classify(self, values: np.ndarray) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        out = np.full(len(values), -1, dtype=np.int16)
        known = ~np.isnan(values)
        if self.figure == ON_TIME:
            out[known] = np.searchsorted(np.array(RATE_BANDS), values[known], side="right")
            return out
        biggest = float(values[known].max()) if known.any() else 0.0
        if biggest > self.top or self.top == 0:
            self.top = nice_top(biggest)
        b = self.bounds()
        v = values[known]
        cls = np.where(v <= 0, 0, 1 + np.searchsorted(np.array(b[:3], dtype=float), v, side="left"))
        out[known] = np.minimum(cls, 4)
        return out

    def legend(self) -> list[tuple[QColor, str]]:
        colours = self.colours()
        if self.figure == ON_TIME:
            bands = [0.0, *RATE_BANDS, 1.0]
            labels = [f"< {bands[1]:.0%}"] + [f"{lo:.0%}–{hi:.0%}" for lo, hi in zip(bands[1:-2], bands[2:-1],
                                                                                        strict=True)]
            labels.append(f"≥ {bands[-2]:.0%}")
            return list(zip(colours, labels, strict=True))
        b = self.bounds()
        labels, lo = ["0"], 1
        for hi in b:
            labels.append(f"{lo}" if hi == lo else f"{lo}–{hi}" if lo < hi else f"{hi}")
            lo = hi + 1
        labels[-1] = f"≥ {b[2] + 1}"
        return list(zip(colours, labels, strict=True))


def point_palette() -> np.ndarray:
    out = []
    for name in SLA_COLOURS:
        c = QColor(name)
        out.append((255 << 24) | (c.red() << 16) | (c.green() << 8) | c.blue())
    return np.array(out, dtype=np.uint32)
