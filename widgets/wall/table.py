"""A painted table for the wall: a title, column heads, and as many rows as fit the height.

Rows take the largest height up to ``ROW_PX`` (× scale) that shows them all, never less
than ``MIN_ROW_PX``; what still does not fit is left off the bottom (the ranking and the
ticker put what matters first). Names are elided with …, numbers shrink to fit.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRect, QRectF, Qt

from widgets.wall import scroll
from widgets.wall.paint import (
    ALIGN_LEFT,
    MUTED,
    PANEL,
    PANEL_BORDER,
    TEXT,
    BoxWidget,
    FillBox,
    TextBox,
    advance,
    elide,
    fit_font,
    font_px,
    line_ratio,
)

TITLE_PX = 34
HEAD_PX = 24
ROW_PX = 60
MIN_ROW_PX = 34
FOOTER_PX = 22


@dataclass(frozen=True)
class Column:
    title: str
    stretch: float
    align: Qt.AlignmentFlag = ALIGN_LEFT
    elide: bool = False  # names: shorten with …; otherwise the font shrinks to fit


@dataclass(frozen=True)
class Cell:
    text: str
    color: str = TEXT
    chip: str | None = None  # a badge colour behind the text (urgency)
    bold: bool = False


class WallTable(BoxWidget):
    def __init__(self, title: str, columns: Sequence[Column], parent=None, *, min_row_px: float = MIN_ROW_PX) -> None:
        super().__init__(parent)
        if not 0 < min_row_px <= ROW_PX:
            raise ValueError(f"min_row_px must be in (0, {ROW_PX}], got {min_row_px!r}")
        self.min_row_px = min_row_px
        if not columns:
            raise ValueError("a wall table needs at least one column")
        self.title = title
        self.columns = tuple(columns)
        self.rows: list[list[Cell]] = []
        self.footer = ""
        self.shown_rows = 0
        self.moved_down = 0  # rows moved down so far by new ones on top (shift_rows)
        self._rows_at: deque[tuple[list, tuple]] = deque(maxlen=4)  # a layout's texts → where its rows are

    def shift_rows(self, count: int) -> None:
        """Say that the next rows are the present ones moved down ``count`` places (new ones on
        top): their stripes move with them, and the kept picture is moved, not repainted."""
        if count < 0:
            raise ValueError(f"rows move down, not up: {count!r}")
        self.moved_down += count

    def set_rows(self, rows: Sequence[Sequence[Cell]], footer: str = "") -> None:
        cells = [list(row) for row in rows]
        for i, row in enumerate(cells):
            if len(row) != len(self.columns):
                raise ValueError(f"row {i} has {len(row)} cells; the table has {len(self.columns)} columns")
        if cells != self.rows or footer != self.footer:
            self.rows, self.footer = cells, footer
            self.stale()

    def build(self) -> tuple[list[FillBox], list[TextBox]]:
        fills: list[FillBox] = []
        texts: list[TextBox] = []
        w, h = float(self.width()), float(self.height())
        pad = self.px(12)
        fills.append(FillBox(QRectF(0, 0, w, h), PANEL, self.px(10), PANEL_BORDER, self.px(2)))  # first: the background
        inner = QRectF(pad, pad * 0.5, w - 2 * pad, h - pad)
        title_h = min(self.px(TITLE_PX) * line_ratio(True), inner.height() * 0.2)
        title_rect = QRectF(inner.x(), inner.y(), inner.width(), title_h)
        texts.append(TextBox(self.title, fit_font(self.title, self.px(TITLE_PX), title_rect, bold=True), title_rect,
                             TEXT))
        head_h = min(self.px(HEAD_PX) * line_ratio(), inner.height() * 0.12)
        y = title_rect.bottom()
        xs = self._column_edges(inner)
        for col, (x0, x1) in zip(self.columns, xs, strict=True):
            rect = QRectF(x0, y, x1 - x0 - self.px(8), head_h)
            texts.append(TextBox(col.title, fit_font(col.title, self.px(HEAD_PX), rect), rect, MUTED, col.align))
        y += head_h
        footer_h = self.px(FOOTER_PX) * line_ratio() if self.footer else 0.0
        body = inner.bottom() - y - footer_h
        n = len(self.rows)
        row_h = self.px(ROW_PX) if n == 0 else max(self.px(self.min_row_px), min(self.px(ROW_PX), body / n))
        row_h = float(max(1, math.floor(row_h)))  # whole pixels: a row moved down is the same pixels lower
        self.shown_rows = min(n, max(0, math.floor(body / row_h + 1e-6)))
        top, first_fill, first_text = y, len(fills), len(texts)
        cell_pad = row_h * 0.08
        px = (row_h - 2 * cell_pad) / line_ratio()
        for r in range(self.shown_rows):
            row_rect = QRectF(inner.x() - pad * 0.5, y, inner.width() + pad, row_h)
            if (r + self.moved_down) % 2 == 0:  # a row keeps its stripe as it moves down
                fills.append(FillBox(row_rect, "#132039", self.px(4)))
            for col, (x0, x1), cell in zip(self.columns, xs, self.rows[r], strict=False):
                rect = QRectF(x0, y + cell_pad, x1 - x0 - self.px(8), row_h - 2 * cell_pad)
                texts.append(self._cell_box(col, cell, rect, px, fills))
            y += row_h
        self._rows_at.append((texts, (top, row_h, self.moved_down, first_fill, first_text, len(texts))))
        if self.footer:
            rect = QRectF(inner.x(), inner.bottom() - footer_h, inner.width(), footer_h)
            font = font_px(self.px(FOOTER_PX))
            texts.append(TextBox(elide(self.footer, font, rect.width()), font, rect, MUTED))
        return fills, texts

    def scroll_hint(self, old, new) -> tuple[QRect, int] | None:
        found = {id(texts): where for texts, where in self._rows_at}
        before, after = found.get(id(old[1])), found.get(id(new[1]))
        if before is None or after is None or before[:2] != after[:2]:  # the rows start or measure otherwise
            return None
        _top, row_h, moved, first_fill, first_text, end_text = after
        count = moved - before[2]
        if not 0 < count < self.shown_rows:
            return None
        # the band the rows move in: every pixel they may touch, where the background is plain
        band = scroll.within_background(new[0][first_fill:] + new[1][first_text:end_text], new[0][0])
        return band, int(count * row_h)

    def _column_edges(self, inner: QRectF) -> list[tuple[float, float]]:
        total = sum(c.stretch for c in self.columns)
        edges, x = [], inner.x()
        for col in self.columns:
            w = inner.width() * col.stretch / total
            edges.append((x, x + w))
            x += w
        return edges

    def _cell_box(self, col: Column, cell: Cell, rect: QRectF, px: float, fills: list[FillBox]) -> TextBox:
        if cell.chip:
            font = fit_font(cell.text, px * 0.9, rect.adjusted(self.px(8), 0, -self.px(8), 0), bold=True)
            chip = QRectF(rect.x(), rect.y(), min(rect.width(), advance(font, cell.text) + self.px(16)),
                          rect.height())
            fills.append(FillBox(chip, cell.chip, self.px(6)))
            return TextBox(cell.text, font, chip, cell.color, Qt.AlignmentFlag.AlignCenter)
        if col.elide:
            font = font_px(px, cell.bold)
            return TextBox(elide(cell.text, font, rect.width()), font, rect, cell.color, col.align)
        return TextBox(cell.text, fit_font(cell.text, px, rect, bold=cell.bold), rect, cell.color, col.align)
