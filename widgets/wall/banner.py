"""The reconnect banner: a large "正在重新连接…" over the wall while the link is down.

An overlay child of the wall window (not in its layout), centred by ``place_in``; the
figures behind it stay visible but are known to be stale. It hides itself once the
controller says the link is live again.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize

from widgets.wall.paint import ALIGN_CENTER, TEXT, BoxWidget, FillBox, TextBox, fit_font

TITLE_PX = 80
DETAIL_PX = 36
BANNER_BG = "#e65100"


class ReconnectBanner(BoxWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("wallBanner")
        self.background = BANNER_BG
        self.title = ""
        self.detail = ""
        self.hide()

    def set_message(self, title: str, detail: str = "") -> None:
        if (title, detail) != (self.title, self.detail):
            self.title, self.detail = title, detail
            self.stale()

    def place_in(self, size: QSize) -> None:
        """Centre over a window of ``size``: 64 % wide, 26 % high."""
        w, h = size.width() * 0.64, size.height() * 0.26
        self.setGeometry(int((size.width() - w) / 2), int((size.height() - h) / 2), int(w), int(h))
        self.raise_()

    def build(self) -> tuple[list[FillBox], list[TextBox]]:
        w, h = float(self.width()), float(self.height())
        pad = self.px(24)
        title_rect = QRectF(pad, pad, w - 2 * pad, (h - 2 * pad) * 0.62)
        detail_rect = QRectF(pad, title_rect.bottom(), w - 2 * pad, (h - 2 * pad) * 0.38)
        return [FillBox(QRectF(0, 0, w, h), BANNER_BG, self.px(16), TEXT, self.px(4))], [
            TextBox(self.title, fit_font(self.title, self.px(TITLE_PX), title_rect, bold=True), title_rect, TEXT,
                    ALIGN_CENTER),
            TextBox(self.detail, fit_font(self.detail, self.px(DETAIL_PX), detail_rect), detail_rect, TEXT,
                    ALIGN_CENTER),
        ]
