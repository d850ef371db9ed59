"""The alarm band: unacknowledged 特急 and overdue cases, one at a time, until acknowledged.

Always present so the layout never jumps: calm and green with no alarm, red with the
kind, the case and "n / N" while alarms wait. ``step()`` moves to the next alarm (the
controller calls it every few seconds). Alarms are anything with ``case_id``, ``kind``
("critical" | "overdue"), ``since``, ``category`` and ``place`` (desktop.wall.figures.Alarm).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPixmap

from domain.model import SlaState, Urgency
from widgets.common.formatting import arg, time_text
from widgets.common.names import sla_label, urgency_label
from widgets.wall.paint import (
    ALARM_BG,
    ALIGN_CENTER,
    ALIGN_LEFT,
    ALIGN_RIGHT,
    CALM_BG,
    GOOD,
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

TEXT_PX = 40
BADGE_COLOR = "#ffeb3b"


class AlarmBand(BoxWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("wallAlarmBand")
        self.alarms: list = []
        self.current = 0
        self.photos: dict[str, QPixmap] = {}  # case id → the reported photo, shown beside a 特急 alarm
        self.photo_rect: QRectF | None = None

    @property
    def active(self) -> bool:
        return bool(self.alarms)

    def set_alarms(self, alarms: Sequence) -> None:
        """Keep showing the same case when it is still among ``alarms``."""
        alarms = list(alarms)
        shown = self.alarms[self.current].case_id if self.alarms else None
        ids = [a.case_id for a in alarms]
        self.current = ids.index(shown) if shown in ids else 0
        if alarms != self.alarms:
            self.alarms = alarms
            self.stale()

    def step(self) -> None:
        if len(self.alarms) > 1:
            self.current = (self.current + 1) % len(self.alarms)
            self.stale()

    def set_photo(self, case_id: str, data: bytes) -> None:
        """The photo of an alarm's case (JPEG/PNG bytes); shown while that alarm is on the band."""
        pix = QPixmap()
        if pix.loadFromData(data):
            self.photos[case_id] = pix
            for old in [k for k in self.photos if k not in {a.case_id for a in self.alarms} and k != case_id]:
                del self.photos[old]
            self.stale()

    def shown_photo(self) -> QPixmap | None:
        case_id = self.shown_case()
        return self.photos.get(case_id) if case_id is not None and self.photo_rect is not None else None

    def over_key(self) -> object:
        pix = self.shown_photo()
        return None if pix is None else (pix.cacheKey(), self.photo_rect.getRect())

    def paint_over(self, painter: QPainter) -> None:
        pix = self.shown_photo()
        if pix is None:
            return
        rect = self.photo_rect
        scaled = pix.scaled(rect.size().toSize(), Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                            Qt.TransformationMode.SmoothTransformation)
        x = (scaled.width() - rect.width()) / 2
        y = (scaled.height() - rect.height()) / 2
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        clip = QPainterPath()
        clip.addRoundedRect(rect, self.px(6), self.px(6))
        painter.setClipPath(clip)
        painter.drawPixmap(rect.topLeft(), scaled, QRectF(x, y, rect.width(), rect.height()))
        painter.restore()

    def shown_case(self):
        return self.alarms[self.current].case_id if self.alarms else None

    def build(self) -> tuple[list[FillBox], list[TextBox]]:
        w, h = float(self.width()), float(self.height())
        pad = self.px(16)
        band = QRectF(0, 0, w, h)
        self.photo_rect = None
        if not self.alarms:
            text = QCoreApplication.translate("WallAlarm", "No unacknowledged alarms")  # 无未确认告警
            rect = band.adjusted(pad, 0, -pad, 0)
            return ([FillBox(band, CALM_BG, self.px(8))],
                    [TextBox(text, fit_font(text, self.px(TEXT_PX) * 0.8, rect), rect, GOOD, ALIGN_LEFT)])
        alarm = self.alarms[self.current]
        if alarm.kind == "critical":
            kind = urgency_label(Urgency.CRITICAL)
        else:
            kind = sla_label(SlaState.OVERDUE)
        px = min(self.px(TEXT_PX), (h - self.px(8)) / line_ratio(True))
        badge_font = font_px(px, bold=True)
        badge_w = min(w * 0.2, advance(badge_font, kind) + 2 * pad)
        badge = QRectF(pad * 0.5, self.px(4), badge_w, h - self.px(8))
        # 待确认 %1 / %2
        count = arg(QCoreApplication.translate("WallAlarm", "Awaiting acknowledgement %1 / %2"), self.current + 1,
                    len(self.alarms))
        count_rect = QRectF(w * 0.72, 0, w * 0.28 - pad, h)
        body_rect = QRectF(badge.right() + pad, 0, count_rect.x() - badge.right() - 2 * pad, h)
        if alarm.kind == "critical" and alarm.case_id in self.photos:  # the photo from the scene, before the count
            photo_h = h - self.px(8)
            self.photo_rect = QRectF(count_rect.x() - pad - photo_h * 4 / 3, self.px(4), photo_h * 4 / 3, photo_h)
            body_rect.setRight(self.photo_rect.x() - pad)
        body_font = font_px(px, bold=True)
        body = elide(f"{time_text(alarm.since, '%H:%M')}  {alarm.category} · {alarm.place}", body_font,
                     body_rect.width())
        fills = [FillBox(band, ALARM_BG, self.px(8)), FillBox(badge, BADGE_COLOR, self.px(6))]
        texts = [
            TextBox(kind, fit_font(kind, px, badge, bold=True), badge, "#1a0000", ALIGN_CENTER),
            TextBox(body, body_font, body_rect, TEXT, ALIGN_LEFT),
            TextBox(count, fit_font(count, px * 0.75, count_rect), count_rect, TEXT, ALIGN_RIGHT),
        ]
        return fills, texts
