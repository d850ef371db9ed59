"""Dashboard charts (pyqtgraph), each built once and then only fed with ``update_*``.

Following friture / PlotJuggler, one display timer in the app pulls aggregates and
calls ``update_*``; the plot items are created in ``__init__`` and only get ``setData``
/ ``setOpts`` afterwards, so a refresh allocates no graphics items (label pools only
grow when more bars than ever before are shown).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal

from widgets.common.fonts import cjk_font

HOURS = np.arange(24, dtype=float)
TODAY_COLOR = "#1e88e5"
YESTERDAY_COLOR = "#9e9e9e"
BAR_COLOR = "#42a5f5"
ALERT_COLOR = "#e53935"
SLA_COLORS = ("#43a047", "#ffb300", "#e53935")  # ok, warning, overdue
_LEFT_BUTTON = Qt.MouseButton.LeftButton


def _numbers(values: Sequence[float], what: str, max_len: int | None = None) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"{what} must be a flat sequence of numbers, got shape {array.shape}")
    if max_len is not None and array.size > max_len:
        raise ValueError(f"{what} has {array.size} values; at most {max_len} allowed")
    if array.size and (not np.all(np.isfinite(array)) or array.min() < 0):
        raise ValueError(f"{what} must be finite and non-negative, got {values!r}")
    return array


class _Chart(pg.PlotWidget):
    """A static (no pan/zoom) plot with CJK-capable axis fonts and theme colours."""

    def __init__(self, title: str, parent=None, dark: bool = False):
        fg = "#e0e0e0" if dark else "#424242"
        super().__init__(parent=parent, background="#121826" if dark else "#ffffff")
        self._fg = fg
        self._font = cjk_font(9)
        self.plot_item = self.getPlotItem()
        self.plot_item.setMenuEnabled(False)
        self.plot_item.hideButtons()
        self.plot_item.setMouseEnabled(x=False, y=False)
        self.plot_item.setTitle(title, color=fg)
        self.plot_item.titleLabel.item.setFont(cjk_font(11))
        for name in ("left", "bottom"):
            axis = self.plot_item.getAxis(name)
            axis.setStyle(tickFont=self._font)
            axis.setPen(fg)
            axis.setTextPen(fg)
            axis.label.setFont(self._font)

    def _text_item(self) -> pg.TextItem:
        item = pg.TextItem("", color=self._fg, anchor=(0, 0.5))
        item.setFont(self._font)
        self.plot_item.addItem(item, ignoreBounds=True)
        return item


class HourlyChart(_Chart):
    """Reports per hour today (bars) against yesterday (a line), China Standard Time hours."""

    def __init__(self, parent=None, dark: bool = False):
        super().__init__(self.tr("Reports per hour"), parent, dark)  # 每小时上报
        self.plot_item.addLegend(offset=(10, 5), labelTextColor=self._fg)
        self.today_bars = pg.BarGraphItem(
            x=HOURS, height=np.zeros(24), width=0.7, brush=TODAY_COLOR, pen=None, name=self.tr("Today")
        )
        self.yesterday_curve = pg.PlotDataItem(
            HOURS, np.zeros(24), pen=pg.mkPen(YESTERDAY_COLOR, width=2), name=self.tr("Yesterday")
        )
        self.plot_item.addItem(self.today_bars)
        self.plot_item.addItem(self.yesterday_curve)
        self.plot_item.getAxis("bottom").setTicks(
            [[(h, f"{h}") for h in range(0, 24, 3)], [(h, "") for h in range(24)]]
        )
        self.plot_item.setXRange(-0.6, 23.6, padding=0)
        self.plot_item.setLabel("bottom", self.tr("Hour"))  # 时

    def update_hourly(self, today: Sequence[float], yesterday: Sequence[float]) -> None:
        """Counts per hour from 0:00; ``today`` may stop at the current hour."""
        t = _numbers(today, "today's hourly counts", 24)
        y = _numbers(yesterday, "yesterday's hourly counts", 24)
        t = np.pad(t, (0, 24 - t.size))
        y = np.pad(y, (0, 24 - y.size))
        self.today_bars.setOpts(height=t)
        self.yesterday_curve.setData(HOURS, y)


class _HBarChart(_Chart):
    """Horizontal bars, first item on top, names on the left axis and values at the bar ends."""

    def __init__(self, title: str, parent=None, dark: bool = False):
        super().__init__(title, parent, dark)
        self.bars = pg.BarGraphItem(
            x0=np.zeros(0), y=np.zeros(0), height=0.6, width=np.zeros(0), brush=BAR_COLOR, pen=None
        )
        self.plot_item.addItem(self.bars)
        self._value_labels: list[pg.TextItem] = []
        self._count = 0

    def _set_bars(self, labels: Sequence[str], values: np.ndarray) -> None:
        n = len(labels)
        ys = np.arange(n - 1, -1, -1, dtype=float)
        self.bars.setOpts(x0=np.zeros(n), y=ys, width=values)
        self.plot_item.getAxis("left").setTicks([[(float(y), label) for y, label in zip(ys, labels, strict=True)]])
        while len(self._value_labels) < n:
            self._value_labels.append(self._text_item())
        for i, item in enumerate(self._value_labels):
            if i < n:
                item.setText(f"{values[i]:,.0f}")
                item.setPos(float(values[i]), float(ys[i]))
                item.setVisible(True)
            else:
                item.setVisible(False)
        self._count = n
        top = float(values.max()) if n else 1.0
        self.plot_item.setXRange(0, max(top, 1.0) * 1.15, padding=0)
        self.plot_item.setYRange(-0.6, max(n, 1) - 0.4, padding=0)

    def bar_index_at(self, scene_pos: QPointF) -> int | None:
        """Which bar's row (bar, gap or its axis label) a scene point falls on."""
        vb = self.plot_item.vb
        axis = self.plot_item.getAxis("left")
        if not (vb.sceneBoundingRect().contains(scene_pos) or axis.sceneBoundingRect().contains(scene_pos)):
            return None
        inside = QPointF(vb.sceneBoundingRect().center().x(), scene_pos.y())
        row = int(round(vb.mapSceneToView(inside).y()))
        index = self._count - 1 - row
        return index if 0 <= index < self._count else None


class CategoryMixChart(_HBarChart):
    """Cases per category, largest first; beyond ``max_bars`` the rest is summed as "Other"."""

    def __init__(self, parent=None, dark: bool = False, max_bars: int = 10):
        if max_bars < 2:
            raise ValueError(f"max_bars must be at least 2, got {max_bars}")
        super().__init__(self.tr("Category mix"), parent, dark)  # 类别构成
        self._max_bars = max_bars

    def update_categories(self, items: Sequence[tuple[str, float]]) -> None:
        """``items`` are (category name, count) pairs in any order."""
        names = [str(name) for name, _ in items]
        values = _numbers([value for _, value in items], "category counts")
        order = np.argsort(-values, kind="stable")
        names = [names[i] for i in order]
        values = values[order]
        if len(names) > self._max_bars:
            keep = self._max_bars - 1
            names = names[:keep] + [self.tr("Other")]  # 其他
            values = np.append(values[:keep], values[keep:].sum())
        self._set_bars(names, values)


class ChildrenChart(_HBarChart):
    """One bar per child node; a click on a bar (or its name) emits ``child_clicked(code)``."""

    child_clicked = Signal(str)

    def __init__(self, parent=None, dark: bool = False):
        super().__init__(self.tr("By area"), parent, dark)  # 下级对比
        self._codes: list[str] = []
        self.alert_bars = pg.BarGraphItem(
            x0=np.zeros(0), y=np.zeros(0), height=0.3, width=np.zeros(0), brush=ALERT_COLOR, pen=None
        )
        self.plot_item.addItem(self.alert_bars)
        self.scene().sigMouseClicked.connect(self._clicked)

    def update_children(
        self, items: Sequence[tuple[str, str, float]], alerts: Sequence[float] | None = None
    ) -> None:
        """``items`` are (code, name, value) in display order; ``alerts`` (e.g. overdue) are
        drawn as a thin red bar inside each child's bar."""
        codes = [str(code) for code, _, _ in items]
        values = _numbers([value for _, _, value in items], "children values")
        if alerts is not None:
            alert_values = _numbers(alerts, "children alert values")
            if alert_values.size != len(codes):
                raise ValueError(f"{alert_values.size} alert values for {len(codes)} children")
        else:
            alert_values = np.zeros(len(codes))
        self._codes = codes
        self._set_bars([name for _, name, _ in items], values)
        n = len(codes)
        self.alert_bars.setOpts(x0=np.zeros(n), y=np.arange(n - 1, -1, -1, dtype=float), width=alert_values)

    def codes(self) -> list[str]:
        return list(self._codes)

    def bar_center(self, code: str) -> QPointF:
        """Scene position of the middle of ``code``'s bar (for tests and keyboard drill-down)."""
        index = self._codes.index(code)
        width = float(self.bars.opts["width"][index])
        return self.plot_item.vb.mapViewToScene(QPointF(width / 2, float(len(self._codes) - 1 - index)))

    # The static view box ignores presses; accept them here so a click counts as handled
    # (the scene has already turned press + release into sigMouseClicked).
    def mousePressEvent(self, event) -> None:
        super().mousePressEvent(event)
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        event.accept()

    def _clicked(self, event) -> None:
        if event.button() != _LEFT_BUTTON:
            return
        index = self.bar_index_at(event.scenePos())
        if index is not None:
            event.accept()
            self.child_clicked.emit(self._codes[index])


class SlaGauge(_Chart):
    """Share of open cases on track / in warning / overdue as one stacked bar."""

    def __init__(self, parent=None, dark: bool = False):
        super().__init__(self.tr("SLA status"), parent, dark)  # 时限状态
        self.segments = [
            pg.BarGraphItem(x0=[0.0], y=[0.0], height=[0.8], width=[0.0], brush=color, pen=None) for color in SLA_COLORS
        ]
        for segment in self.segments:
            self.plot_item.addItem(segment)
        self.labels = [self._text_item() for _ in SLA_COLORS]
        for label in self.labels:
            label.setAnchor((0.5, 0.5))
            label.setColor("#ffffff")
        self.plot_item.hideAxis("left")
        self.plot_item.hideAxis("bottom")
        self.plot_item.setXRange(0, 1, padding=0)
        self.plot_item.setYRange(-0.5, 0.5, padding=0)
        self._shares = (0.0, 0.0, 0.0)

    def update_sla(self, ok: float, warning: float, overdue: float) -> None:
        counts = _numbers([ok, warning, overdue], "SLA counts")
        total = counts.sum()
        shares = counts / total if total > 0 else np.zeros(3)
        start = 0.0
        for segment, label, share in zip(self.segments, self.labels, shares, strict=True):
            segment.setOpts(x0=[start], width=[float(share)])
            label.setPos(start + share / 2, 0.0)
            label.setText(f"{share * 100:.0f}%" if share >= 0.06 else "")
            start += share
        ok_share, warning_share, overdue_share = (float(s) for s in shares)
        self._shares = (ok_share, warning_share, overdue_share)

    def shares(self) -> tuple[float, float, float]:
        return self._shares
