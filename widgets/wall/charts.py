"""The dashboard charts at wall size: the same items as widgets.common.charts, fonts scaled to the screen.

pyqtgraph fixes a plot's title row at 30 px and sizes axes for 9 pt ticks, which would
clip at 4K; ``set_scale`` re-sizes fonts, the title row and the axes from the window's
scale. The plot item never shrinks below its minimum (left axis + title), and beyond the
widget the bars would be cut off, so the title shrinks to the room it has and the category
chart elides long names to a share of its width; it also leaves room right of the bars
for their numbers. Still created once and fed only with ``update_*``.

A chart's picture is kept in a pixmap (issue 20): a repaint blits it unless the scene
changed since (QGraphicsScene.changed, a resize, a new scale or new figures); figures equal
to those shown are not set again, so an idle tick re-lays nothing out. A chart without a
valid picture paints in place (what a plain paint does) and makes its picture when the event
loop is next idle, so a new figure or a cold start costs no more than drawing it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPixmap

from widgets.common.charts import CategoryMixChart, HourlyChart

if TYPE_CHECKING:
    from widgets.common.charts import _Chart as _MixinBase  # what the mixin is mixed into
else:
    _MixinBase = object
from widgets.wall import paint
from widgets.wall.paint import MUTED, PANEL, TEXT, advance, elide, font_px

TITLE_PX = 34
TICK_PX = 26
TODAY = "#29b6f6"
YESTERDAY = "#bdbdbd"
#: The category names' axis takes at most this share of the chart's width.
NAME_SHARE = 0.42


class _WallChart(_MixinBase):
    """Scaling shared by the two wall charts (a mixin over widgets.common.charts._Chart)."""

    title_text = ""
    scale = 1.0
    _picture: QPixmap | None = None
    _idle: QTimer | None = None
    frames_rendered = 0
    deferred_paints = 0
    idle_seconds = 0.0

    def _init_wall(self, title: str) -> None:
        self.title_text = title
        self.scene().changed.connect(self.drop_caches)
        self.setBackground(PANEL)
        # The viewport covers the chart (no frame, no scroll bars) and paints all of it (the picture,
        # or the background brush first): the window need not fill under it on every repaint.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.viewport().setCursor(Qt.CursorShape.BlankCursor)
        self.setMinimumSize(0, 0)

    def set_scale(self, scale: float) -> None:
        if not scale > 0:
            raise ValueError(f"scale must be positive, got {scale!r}")
        self.scale = scale
        self._picture = None
        tick = font_px(TICK_PX * scale)
        self._font = tick
        pen = pg.mkPen(MUTED, width=max(1.0, 2 * scale))
        for name in ("left", "bottom"):
            axis = self.plot_item.getAxis(name)
            axis.setStyle(tickFont=tick, tickTextOffset=int(8 * scale), tickLength=int(-8 * scale))
            axis.setPen(pen)
            axis.setTextPen(TEXT)
        self.plot_item.getAxis("bottom").setHeight(int(QFontMetricsF(tick).height() + 12 * scale))
        for item in getattr(self, "_value_labels", []):
            item.setFont(tick)
        self._fit()

    def _fit(self) -> None:
        """Re-size what depends on the width and the scale, then lay the plot item out again."""
        self._fit_axes()
        self._fit_title()
        pg.GraphicsView.resizeEvent(self, None)  # the plot item may now be as small as the widget

    def _fit_axes(self) -> None:
        pass

    def _fit_title(self) -> None:
        """The title at TITLE_PX × scale, smaller when the view box's column is too narrow for it."""
        room = self.width() - self.plot_item.getAxis("left").width() - 24 * self.scale
        label = self.plot_item.titleLabel
        px = int(TITLE_PX * self.scale)
        while True:
            self.plot_item.setTitle(self.title_text, color=TEXT, size=f"{px}px", bold=True)
            if label.itemRect().width() <= room or px <= 10:
                break
            px = max(10, int(px * min(0.95, room / label.itemRect().width())))
        self.title_height = int(label.itemRect().height() + 4 * self.scale)
        label.setMaximumHeight(self.title_height)
        self.plot_item.layout.setRowFixedHeight(0, self.title_height)

    def resizeEvent(self, event) -> None:
        self._picture = None
        if self.title_text:  # pyqtgraph resizes once before our __init__ has run
            self._fit()
        else:
            super().resizeEvent(event)

    def drop_caches(self, *_args) -> None:
        """The scene changed: paint it afresh next time."""
        self._picture = None

    def has_picture(self) -> bool:
        """Whether the kept picture is valid for the viewport as it is."""
        view, pix = self.viewport(), self._picture
        return pix is not None and pix.devicePixelRatio() == view.devicePixelRatioF() \
            and pix.deviceIndependentSize().toSize() == view.size()

    def picture(self) -> QPixmap:
        """The chart as the viewport shows it, rendered when missing."""
        view = self.viewport()
        dpr = view.devicePixelRatioF()
        pix = self._picture
        if pix is None or not self.has_picture():
            self.scene().prepareForPaint()
            pix = QPixmap(max(1, round(view.width() * dpr)), max(1, round(view.height() * dpr)))
            pix.setDevicePixelRatio(dpr)
            pix.fill(QColor(PANEL))
            painter = QPainter(pix)
            painter.setRenderHints(self.renderHints())
            self.render(painter, QRectF(0, 0, view.width(), view.height()), view.rect())
            painter.end()
            self._picture = pix
            self.frames_rendered += 1
        return pix

    def _build_idle(self) -> None:
        if paint.CACHED and self.isVisible() and not self.viewport().size().isEmpty() and not self.has_picture():
            start = time.perf_counter()
            self.picture()
            self.idle_seconds += time.perf_counter() - start

    def paintEvent(self, event) -> None:
        if not paint.CACHED or not self.has_picture():
            super().paintEvent(event)  # in place; the picture is made when idle
            if paint.CACHED:
                self._idle = paint.start_when_idle(self, self._idle, self._build_idle)
                self.deferred_paints += 1
            return
        pix = self.picture()
        painter = QPainter(self.viewport())
        rect = event.rect()
        dpr = pix.devicePixelRatio()
        painter.drawPixmap(rect, pix, QRectF(rect.x() * dpr, rect.y() * dpr, rect.width() * dpr,
                                             rect.height() * dpr).toRect())
        painter.end()


class WallHourlyChart(_WallChart, HourlyChart):
    def __init__(self, parent=None) -> None:
        super().__init__(parent, dark=True)
        # The key is in the title: pyqtgraph's legend samples stay 20 px at any scale.
        # zh: 每小时上报：今日（柱）、昨日（虚线）
        self._init_wall(self.tr("Reports per hour: today (bars), yesterday (dashed)"))
        self.plot_item.legend.setVisible(False)
        self.today_bars.setOpts(brush=TODAY)
        self.plot_item.getAxis("bottom").showLabel(False)
        self.set_scale(1.0)
        self._shown: tuple | None = None

    def update_hourly(self, today: Sequence[float], yesterday: Sequence[float]) -> None:
        try:
            shown: tuple | None = (tuple(float(v) for v in today), tuple(float(v) for v in yesterday))
        except (TypeError, ValueError):
            shown = None  # not numbers: the chart says why
        if shown is not None and shown == self._shown:
            return
        super().update_hourly(today, yesterday)
        self._shown = shown
        self._picture = None

    def _fit_axes(self) -> None:
        self.yesterday_curve.setPen(pg.mkPen(YESTERDAY, width=3 * self.scale, style=Qt.PenStyle.DashLine))
        self.plot_item.getAxis("left").setWidth(int(advance(self._font, "0000") + 16 * self.scale))


class WallCategoryChart(_WallChart, CategoryMixChart):
    """Open cases per category; names elided to NAME_SHARE of the width, the axis fitted to them."""

    def __init__(self, parent=None, max_bars: int = 8) -> None:
        self._items: list[tuple[str, float]] = []
        super().__init__(parent, dark=True, max_bars=max_bars)
        self._init_wall(self.tr("Open cases by category"))  # 在办事件类别构成
        self.bars.setOpts(brush=TODAY)
        self.plot_item.hideAxis("bottom")
        self.set_scale(1.0)
        self.plot_item.vb.sigResized.connect(self._fit_range)

    def update_categories(self, items: Sequence[tuple[str, float]]) -> None:
        items = [(str(name), value) for name, value in items]
        if items == self._items:
            return
        same_names = [n for n, _ in items] == [n for n, _ in self._items]
        self._items = items
        self._picture = None
        if same_names:  # new numbers only: the names' axis and the title keep their size
            self._fit_axes()
        else:
            self._fit()

    def labels(self) -> list[str]:
        ticks = self.plot_item.getAxis("left")._tickLevels or [[]]
        return [label for _, label in ticks[0]]

    def _fit_axes(self) -> None:
        room = max(advance(self._font, "…") * 2, self.width() * NAME_SHARE)
        super().update_categories([(elide(name, self._font, room), value) for name, value in self._items])
        widest = max((advance(self._font, name) for name in self.labels()), default=0.0)
        self.plot_item.getAxis("left").setWidth(int(widest + 24 * self.scale))
        self._fit_range()

    def _fit_range(self) -> None:
        """Room for ``max_bars`` rows, first on top (bars keep their thickness however many there
        are), and an x range wide enough for the longest bar's number right of it."""
        values = np.asarray(self.bars.opts.get("width", []), dtype=float)
        top_row = values.size - 0.4
        self.plot_item.setYRange(top_row - self._max_bars, top_row, padding=0)
        longest = float(values.max()) if values.size else 1.0
        label_px = advance(self._font, f"{longest:,.0f}") + 24 * self.scale
        view_px = max(1.0, self.plot_item.vb.width() or self.width() * 0.5)
        share = min(0.6, label_px / view_px)
        self.plot_item.setXRange(0, max(longest, 1.0) / (1.0 - share), padding=0)
