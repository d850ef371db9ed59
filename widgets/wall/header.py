"""The wall's top line: the node on show named large, the rotation state, and the time (CST).

A strip painted over the header (the grid's own work) asks for the middle with
``reserve_slot``: the names then keep to the left, the rotation state moves up beside the
title, and ``slot_rect`` says where the strip goes, so nothing is drawn under it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRect, QRectF

from widgets.common.formatting import arg, time_text
from widgets.wall.paint import (
    ALIGN_CENTER,
    ALIGN_LEFT,
    ALIGN_RIGHT,
    MUTED,
    TEXT,
    WARN,
    BoxWidget,
    FillBox,
    TextBox,
    advance,
    fit_font,
)

TITLE_PX = 80
SUBTITLE_PX = 28
CLOCK_PX = 60
STATUS_PX = 32
#: The reserved middle, as fractions of the header's width (the clock keeps 0.76 onwards).
SLOT = (0.43, 0.75)


class WallHeader(BoxWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("wallHeader")
        self.title = ""
        self.subtitle = ""
        self.status = ""
        self.status_alert = False
        self.now: float | None = None
        self.slot = False

    def reserve_slot(self, on: bool = True) -> None:
        """Keep the middle free for a strip painted over the header (see ``slot_rect``)."""
        if on != self.slot:
            self.slot = on
            self.stale()

    def slot_rect(self) -> QRect:
        """Where a strip goes, in the parent's coordinates: the reserved middle, inset a little."""
        g = self.geometry()
        h = g.height() * 0.56
        x0, x1 = g.width() * SLOT[0], g.width() * SLOT[1]
        return QRect(int(g.x() + x0), int(g.y() + (g.height() - h) / 2), int(x1 - x0), int(h))

    def set_titles(self, title: str, subtitle: str) -> None:
        if (title, subtitle) != (self.title, self.subtitle):
            self.title, self.subtitle = title, subtitle
            self.stale()

    def set_rotation(self, page: int, pages: int, paused: bool) -> None:
        """``page`` counts from 1; one page or fewer means no rotation, and no status."""
        if paused:
            status = QCoreApplication.translate("WallHeader", "Alarm: rotation paused")  # 告警中，轮播暂停
        elif pages > 1:
            status = arg(QCoreApplication.translate("WallHeader", "Rotating %1 / %2"), page, pages)  # 轮播 %1 / %2
        else:
            status = ""
        if (status, paused) != (self.status, self.status_alert):
            self.status, self.status_alert = status, paused
            self.stale()

    def set_time(self, now: float) -> None:
        if self.now is None or int(now) != int(self.now):
            self.now = now
            self.stale()

    def build(self) -> tuple[list[FillBox], list[TextBox]]:
        """The node's name as large as the row allows, the centre's name after it in small."""
        w, h = float(self.width()), float(self.height())
        pad = self.px(16)
        left = QRectF(pad, 0, w * SLOT[0] - 2 * pad if self.slot else w * 0.56 - pad, h)
        right = QRectF(w * 0.76, 0, w * 0.24 - pad, h)
        share = 0.5 if self.slot else 0.6  # of the left part, for the title
        title_font = fit_font(self.title, self.px(TITLE_PX), QRectF(0, 0, left.width() * share, h), bold=True)
        title_rect = QRectF(left.x(), 0, min(left.width() * share, advance(title_font, self.title) + 1), h)
        sub_rect = QRectF(title_rect.right() + pad, h * 0.45, left.right() - title_rect.right() - pad, h * 0.5)
        if self.slot:  # the status above the subtitle, beside the title
            middle = QRectF(sub_rect.x(), h * 0.05, sub_rect.width(), h * 0.4)
        else:
            middle = QRectF(w * 0.56, 0, w * 0.2, h)
        clock_rect = QRectF(right.x(), 0, right.width(), h * 0.68)
        date_rect = QRectF(right.x(), h * 0.68, right.width(), h * 0.32)
        clock = time_text(self.now, "%H:%M:%S") if self.now is not None else ""
        date = time_text(self.now, "%Y-%m-%d") if self.now is not None else ""
        texts = [
            TextBox(self.title, title_font, title_rect, TEXT, ALIGN_LEFT),
            TextBox(self.subtitle, fit_font(self.subtitle, self.px(SUBTITLE_PX), sub_rect), sub_rect, MUTED,
                    ALIGN_LEFT),
            TextBox(self.status, fit_font(self.status, self.px(STATUS_PX), middle, bold=self.status_alert), middle,
                    WARN if self.status_alert else MUTED, ALIGN_LEFT if self.slot else ALIGN_CENTER),
            TextBox(clock, fit_font(clock, self.px(CLOCK_PX), clock_rect, bold=True), clock_rect, TEXT, ALIGN_RIGHT),
            TextBox(date, fit_font(date, self.px(SUBTITLE_PX), date_rect), date_rect, MUTED, ALIGN_RIGHT),
        ]
        return [], texts
