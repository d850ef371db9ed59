"""The wall window: only layout and scale. WallController feeds it.

Two arrangements, chosen by the window's shape: 16:9 (1920×1080, 3840×2160) stacks header,
alarm band and the seven tiles over the charts and the ticker, the league table beside them; 32:9 and wider
(3840×1080) puts tiles over charts on the left and the league table and a tall ticker on
the right. Every size is proportional to the height (scale = height / 1080), so 4K is
1080p doubled. No mouse: the cursor is blank everywhere on the wall.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from widgets.wall.alarm import AlarmBand
from widgets.wall.banner import ReconnectBanner
from widgets.wall.charts import WallCategoryChart, WallHourlyChart
from widgets.wall.header import WallHeader
from widgets.wall.mapview import WallMapView
from widgets.wall.paint import BoxWidget
from widgets.wall.ranking import RankingTable
from widgets.wall.ticker import TickerList
from widgets.wall.tiles import KpiTiles

#: Width / height from which the wide (32:9) arrangement is used.
WIDE_ASPECT = 2.5
STANDARD, WIDE = "standard", "wide"

# (widget name, row, column, row span, column span), then row and column stretches.
_ARRANGEMENTS = {
    STANDARD: (
        [("header", 0, 0, 1, 3), ("alarm", 1, 0, 1, 3), ("tiles", 2, 0, 1, 3), ("hourly", 3, 0, 1, 1),
         ("categories", 3, 1, 1, 1), ("ranking", 3, 2, 2, 1), ("ticker", 4, 0, 1, 2)],
        (10, 6, 19, 35, 30),
        (10, 9, 9),
    ),
    WIDE: (
        [("header", 0, 0, 1, 4), ("alarm", 1, 0, 1, 4), ("tiles", 2, 0, 1, 2), ("hourly", 3, 0, 1, 1),
         ("categories", 3, 1, 1, 1), ("ranking", 2, 2, 2, 1), ("ticker", 2, 3, 2, 1)],
        (10, 6, 24, 60),
        (8, 8, 7, 9),
    ),
}


class WallWindow(QWidget):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("wallWindow")
        self.setWindowTitle(title)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.header = WallHeader()
        self.alarm = AlarmBand()
        self.tiles = KpiTiles()
        self.hourly = WallHourlyChart()
        self.categories = WallCategoryChart()
        self.ranking = RankingTable()
        self.ticker = TickerList()
        for chart in (self.hourly, self.categories):
            chart.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.map = WallMapView(self)  # the map page: shown instead of the body panels
        self.map.hide()
        self.banner = ReconnectBanner(self)
        self.grid = QGridLayout(self)
        self.mode = ""
        self.scale = 0.0
        self.arrange(STANDARD)

    # ---- what is on the wall -------------------------------------------------------------
    def panels(self) -> dict[str, QWidget]:
        return {"header": self.header, "alarm": self.alarm, "tiles": self.tiles, "hourly": self.hourly,
                "categories": self.categories, "ranking": self.ranking, "ticker": self.ticker}

    def painted(self) -> list[BoxWidget]:
        return [w for w in self.panels().values() if isinstance(w, BoxWidget)] + [self.banner]

    def show_map(self, on: bool) -> None:
        """The map page: the map takes the place of tiles, charts, league table and ticker."""
        body = [w for name, w in self.panels().items() if name not in ("header", "alarm")]
        if on == self.map.isVisible():
            return
        for widget in body:
            widget.setVisible(not on)
        self.map.setVisible(on)

    # ---- layout ----------------------------------------------------------------------------
    def arrange(self, mode: str) -> None:
        if mode not in _ARRANGEMENTS:
            raise ValueError(f"unknown wall arrangement {mode!r}; expected one of {sorted(_ARRANGEMENTS)}")
        if mode == self.mode:
            return
        places, rows, cols = _ARRANGEMENTS[mode]
        panels = self.panels()
        for widget in panels.values():
            self.grid.removeWidget(widget)
        for i in range(max(self.grid.rowCount(), len(rows))):
            self.grid.setRowStretch(i, 0)
        for i in range(max(self.grid.columnCount(), len(cols))):
            self.grid.setColumnStretch(i, 0)
        for name, row, col, row_span, col_span in places:
            self.grid.addWidget(panels[name], row, col, row_span, col_span)
        for i, stretch in enumerate(rows):
            self.grid.setRowStretch(i, stretch)
        for i, stretch in enumerate(cols):
            self.grid.setColumnStretch(i, stretch)
        self.grid.removeWidget(self.map)
        self.grid.addWidget(self.map, 2, 0, len(rows) - 2, len(cols))
        self.mode = mode

    def resizeEvent(self, event) -> None:
        size = event.size()
        if size.height() > 0:
            self.arrange(WIDE if size.width() / size.height() >= WIDE_ASPECT else STANDARD)
            self.set_scale(size.height() / 1080.0)
        self.banner.place_in(size)
        super().resizeEvent(event)

    def set_scale(self, scale: float) -> None:
        if scale == self.scale:
            return
        self.scale = scale
        margin, spacing = int(16 * scale), int(12 * scale)
        self.grid.setContentsMargins(margin, margin, margin, margin)
        self.grid.setSpacing(spacing)
        for widget in self.painted():
            widget.set_scale(scale)
        self.map.set_scale(scale)
        self.hourly.set_scale(scale)
        self.categories.set_scale(scale)
