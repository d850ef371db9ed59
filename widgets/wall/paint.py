"""The painted base of the wall widgets: lay text out as boxes, then paint exactly those boxes.

A wall is read from 8 m, so every label must fit its rectangle at 1080p, 4K and 32:9.
Each widget builds its layout — filled shapes and :class:`TextBox` es with a font chosen
to fit — in ``build()``; ``paintEvent`` draws that list and tests measure the same list
with ``QFontMetrics``, so what is checked is what is painted. Sizes are given in pixels
at 1080 lines and multiplied by the window's ``scale`` (height / 1080).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.common.fonts import cjk_family

# High-contrast palette for a dark room (WCAG AAA against BACKGROUND for the text colours).
BACKGROUND = "#05080f"
PANEL = "#0e1626"
PANEL_BORDER = "#22314d"
TEXT = "#f4f7fb"
MUTED = "#9fb0cc"
ACCENT = "#4fc3f7"
GOOD = "#66bb6a"
WARN = "#ffca28"
BAD = "#ff5252"
ALARM_BG = "#b71c1c"
CALM_BG = "#0f2a1a"

ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ALIGN_CENTER = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class TextBox:
    text: str
    font: QFont
    rect: QRectF
    color: str = TEXT
    align: Qt.AlignmentFlag = ALIGN_LEFT


@dataclass(frozen=True)
class FillBox:
    rect: QRectF
    color: str
    radius: float = 0.0
    border: str | None = None
    border_width: float = 0.0


def font_px(px: float, bold: bool = False) -> QFont:
    """A CJK-capable font of ``px`` pixels (at least 1)."""
    family = cjk_family()
    font = QFont(family) if family else QFont()
    font.setPixelSize(max(1, int(px)))
    font.setBold(bold)
    return font


@lru_cache(maxsize=4)
def line_ratio(bold: bool = False) -> float:
    """Line height / pixel size of the UI font (CJK fonts run to ~1.45)."""
    return QFontMetricsF(font_px(100, bold)).height() / 100.0


def fit_font(text: str, px: float, rect: QRectF, bold: bool = False, min_px: float = 8.0) -> QFont:
    """The largest font up to ``px`` whose line of ``text`` fits ``rect``; never below ``min_px``."""
    px = min(px, rect.height() / line_ratio(bold))
    px = max(min_px, px)
    font = font_px(px, bold)
    width = QFontMetricsF(font).horizontalAdvance(text) if text else 0.0
    if width > rect.width() > 0:
        px = max(min_px, int(px * rect.width() / width))
        font = font_px(px, bold)
        while px > min_px and QFontMetricsF(font).horizontalAdvance(text) > rect.width():
            px -= 1
            font = font_px(px, bold)
    return font


def advance(font: QFont, text: str) -> float:
    """How wide ``text`` is in ``font``, in pixels."""
    return QFontMetricsF(font).horizontalAdvance(text)


def elide(text: str, font: QFont, width: float) -> str:
    """``text`` shortened with … to fit ``width`` (what a too-long place name gets)."""
    return QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, width))


def overflow(box: TextBox) -> str | None:
    """Why ``box``'s text does not fit its rectangle, or None when it does."""
    metrics = QFontMetricsF(box.font)
    width = metrics.horizontalAdvance(box.text)
    if width > box.rect.width() + 0.5:
        return f"{box.text!r} needs {width:.0f} px, its box is {box.rect.width():.0f} px wide"
    if metrics.height() > box.rect.height() + 0.5:
        return f"{box.text!r} is {metrics.height():.0f} px tall, its box {box.rect.height():.0f} px"
    return None


class BoxWidget(QWidget):
    """A widget that paints the boxes ``build()`` returns, rebuilt only when marked stale."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.scale = 1.0
        self.background = BACKGROUND
        self._layout: tuple[list[FillBox], list[TextBox]] | None = None

    def set_scale(self, scale: float) -> None:
        if not scale > 0:
            raise ValueError(f"scale must be positive, got {scale!r}")
        if scale != self.scale:
            self.scale = scale
            self.stale()

    def px(self, size_at_1080: float) -> float:
        return size_at_1080 * self.scale

    def stale(self) -> None:
        """The content or the size changed: rebuild the boxes at the next paint."""
        self._layout = None
        self.update()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._layout = None

    def build(self) -> tuple[list[FillBox], list[TextBox]]:
        raise NotImplementedError

    def boxes(self) -> tuple[list[FillBox], list[TextBox]]:
        if self._layout is None:
            self._layout = self.build()
        return self._layout

    def text_boxes(self) -> list[TextBox]:
        return [box for box in self.boxes()[1] if box.text]

    def texts(self) -> list[str]:
        return [box.text for box in self.text_boxes()]

    def paintEvent(self, event) -> None:
        fills, texts = self.boxes()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(self.background))
        for fill in fills:
            painter.setBrush(QColor(fill.color))
            painter.setPen(QPen(QColor(fill.border), fill.border_width) if fill.border else Qt.PenStyle.NoPen)
            painter.drawRoundedRect(fill.rect, fill.radius, fill.radius)
        for box in texts:
            painter.setFont(box.font)
            painter.setPen(QColor(box.color))
            painter.drawText(box.rect, box.align, box.text)
        painter.end()
