"""The headline numbers of the wall: seven big tiles, numbers ≥ 72 px at 1080 lines.

Each number takes the largest size up to ``VALUE_PX`` (× scale) that fits its tile, so
"12,345" and "98.7%" stay whole on a 1920-wide row; bad values turn red (overdue above
zero, rates under their targets), as on the console's KPI strip.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QRectF

from widgets.common.formatting import QT_TRANSLATE_NOOP
from widgets.common.kpi_strip import COMPLETION_TARGET, ON_TIME_TARGET
from widgets.wall.paint import (
    ALIGN_CENTER,
    BAD,
    MUTED,
    PANEL,
    PANEL_BORDER,
    TEXT,
    BoxWidget,
    FillBox,
    TextBox,
    fit_font,
)

VALUE_PX = 96  # headline number size at 1080 lines, before fitting
CAPTION_PX = 32
NO_VALUE = "—"


def count_text(value: float) -> str:
    return f"{int(value):,}"


def rate_text(value: float) -> str:
    """One decimal below 100 %, and "100%" (not "100.0%", which would need a smaller font)."""
    return "100%" if value >= 0.9995 else f"{value * 100:.1f}%"


def _never(value: float) -> bool:
    return False


@dataclass(frozen=True)
class TileSpec:
    key: str
    label: str  # English source, translated in context "WallTiles"
    fmt: Callable[[float], str]
    bad: Callable[[float], bool]


TILES: tuple[TileSpec, ...] = (
    TileSpec("reported_today", QT_TRANSLATE_NOOP("WallTiles", "Reported today"), count_text, _never),  # 今日上报
    TileSpec("closed_today", QT_TRANSLATE_NOOP("WallTiles", "Closed today"), count_text, _never),  # 今日办结
    TileSpec("completion_rate", QT_TRANSLATE_NOOP("WallTiles", "Completion rate"), rate_text,  # 办结率
             lambda v: v < COMPLETION_TARGET),
    TileSpec("on_time_rate", QT_TRANSLATE_NOOP("WallTiles", "On-time rate"), rate_text,  # 按期结案率
             lambda v: v < ON_TIME_TARGET),
    TileSpec("open", QT_TRANSLATE_NOOP("WallTiles", "Open"), count_text, _never),  # 在办
    TileSpec("overdue", QT_TRANSLATE_NOOP("WallTiles", "Overdue"), count_text, lambda v: v > 0),  # 超期
    TileSpec("supervised", QT_TRANSLATE_NOOP("WallTiles", "Supervised"), count_text, _never),  # 督办
)
TILE_KEYS = tuple(spec.key for spec in TILES)
_SPECS = {spec.key: spec for spec in TILES}


class KpiTiles(BoxWidget):
    """A row of ``TILE_KEYS`` tiles; ``set_values`` takes any subset, None shows "—"."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("wallTiles")
        self._values: dict[str, tuple[str, bool]] = {key: (NO_VALUE, False) for key in TILE_KEYS}

    def set_values(self, values: Mapping[str, float | None]) -> None:
        unknown = [key for key in values if key not in _SPECS]
        if unknown:
            raise ValueError(f"unknown tile {unknown}; known tiles are {list(TILE_KEYS)}")
        changed = False
        for key, value in values.items():
            if value is None:
                shown = (NO_VALUE, False)
            elif isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"tile {key!r} must be a number or None, got {value!r}")
            else:
                spec = _SPECS[key]
                shown = (spec.fmt(value), bool(spec.bad(value)))
            if self._values[key] != shown:
                self._values[key] = shown
                changed = True
        if changed:
            self.stale()

    def value_text(self, key: str) -> str:
        return self._values[key][0]

    def is_bad(self, key: str) -> bool:
        return self._values[key][1]

    def value_boxes(self) -> dict[str, TextBox]:
        """The number's box per tile (tests check their size)."""
        texts = self.boxes()[1]
        return {key: texts[2 * i] for i, key in enumerate(TILE_KEYS)}

    def build(self) -> tuple[list[FillBox], list[TextBox]]:
        n = len(TILE_KEYS)
        gap, pad = self.px(12), self.px(8)
        width = (self.width() - gap * (n - 1)) / n
        height = float(self.height())
        fills, texts = [], []
        for i, spec in enumerate(TILES):
            text, bad = self._values[spec.key]
            x = i * (width + gap)
            tile = QRectF(x, 0, width, height)
            fills.append(FillBox(tile, PANEL, self.px(10), BAD if bad else PANEL_BORDER, self.px(4 if bad else 2)))
            inner = tile.adjusted(pad, pad, -pad, -pad)
            value_rect = QRectF(inner.x(), inner.y(), inner.width(), inner.height() * 0.68)
            caption_rect = QRectF(inner.x(), value_rect.bottom(), inner.width(), inner.height() * 0.32)
            texts.append(TextBox(text, fit_font(text, self.px(VALUE_PX), value_rect, bold=True), value_rect,
                                 BAD if bad else TEXT, ALIGN_CENTER))
            caption = QCoreApplication.translate("WallTiles", spec.label)
            texts.append(TextBox(caption, fit_font(caption, self.px(CAPTION_PX), caption_rect), caption_rect, MUTED,
                                 ALIGN_CENTER))
        return fills, texts
