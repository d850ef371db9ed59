"""The grid-work strip of the wall: overdue visits, visit completion and today's patrols of the
node on show, painted in the wall's style in the slot its header keeps free in the middle."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF

from widgets.gridwork.labels import percent
from widgets.wall.paint import ALIGN_CENTER, BAD, GOOD, PANEL, PANEL_BORDER, TEXT, BoxWidget, FillBox, TextBox, fit_font

TEXT_PX = 30


class GridworkStrip(BoxWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("wallGridwork")
        self.background = PANEL
        self.text = ""
        self.alert = False
        self.hide()

    def set_figures(self, overdue: int, due: int, on_time: int, patrols_done: int, patrols_planned: int) -> None:
        text = self.tr("Overdue visits %1 · visit completion %2 · patrols today %3")
        text = text.replace("%1", str(overdue)).replace("%2", percent(on_time, due)) \
            .replace("%3", percent(patrols_done, patrols_planned))
        if (text, overdue > 0) != (self.text, self.alert):
            self.text, self.alert = text, overdue > 0
            self.stale()
        self.show()
        self.raise_()

    def place_over(self, slot: QRect) -> None:
        """Into the slot the header keeps free for it (``WallHeader.slot_rect``)."""
        if self.geometry() != slot:
            self.setGeometry(slot)

    def build(self) -> tuple[list[FillBox], list[TextBox]]:
        w, h = float(self.width()), float(self.height())
        rect = QRectF(self.px(12), 0, w - 2 * self.px(12), h)
        colour = BAD if self.alert else GOOD
        return [FillBox(QRectF(0, 0, w, h), PANEL, self.px(10), PANEL_BORDER, self.px(2))], [
            TextBox(self.text, fit_font(self.text, self.px(TEXT_PX), rect, bold=True), rect,
                    colour if self.alert else TEXT, ALIGN_CENTER)]
