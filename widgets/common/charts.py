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
from PySide6.QtCore import QCoreApplication, QPointF, Qt, Signal

from widgets.common.fonts import cjk_font

HOURS = np.arange(24, dtype=float)
TODAY_COLOR = "#1e88e5"
YESTERDAY_COLOR = "#9e9e9e"
BAR_COLOR = "#42a5f5"
ALERT_COLOR = "#e53935"
SLA_COLORS = ("#43a047", "#ffb300", "#e53935")  # ok, warning, overdue
_LEFT_BUTTON = Qt.MouseButton.LeftButton
#: Bar names longer than this are cut with "…" (long English names would squeeze the bars away).
MAX_LABEL = 16


def _numbers(values: Sequence[float], what: str, max_len: int | None = None) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"{what} must be a flat sequence of numbers, got shape {array.shape}")
    if max_len is not None and array.size > max_len:
        raise ValueError(f"{what} has {array.size} values; at most {max_len} allowed")
    if array.size and (not np.all(np.isfinite(array)) or array.min() < 0):
        raise ValueError(f"{what} must be finite and non-negative, got {values!r}")
    return array


def count_step(top: float, ticks: int = 4) -> int:
    """A whole tick step (1, 2, 5, 10, 20, 50, ...) giving about ``ticks`` ticks up to ``top``:
    counts never get fractional ticks."""
    raw = max(float(top), 1.0) / ticks
    magnitude = 10 ** int(np.floor(np.log10(raw))) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if step >= raw:
            return int(step)
    return int(10 * magnitude)


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

    def _count_axis(self, name: str, top: float) -> None:
        step = count_step(top)
        self.plot_item.getAxis(name).setTickSpacing(step, step)

    def _empty_item(self, text: str) -> pg.TextItem:
        """A message in the middle of an empty chart (instead of bare axes)."""
        item = pg.TextItem(text, color=self._fg, anchor=(0.5, 0.5))
        item.setFont(self._font)
        self.plot_item.addItem(item, ignoreBounds=True)
        item.setVisible(False)
        return item

    def _text_item(self) -> pg.TextItem:
        item = pg.TextItem("", color=self._fg, anchor=(0, 0.5))
        item.setFont(self._font)
        self.plot_item.addItem(item, ignoreBounds=True)
        return item


class HourlyChart(_Chart):
    """Reports per hour today (bars) against yesterday (a line), China Standard Time hours."""

    def __init__(self, parent=None, dark: bool = False):
        super().__init__(self.tr("Reports per hour"), parent, dark)  # 每小时上报
        self.legend = self.plot_item.addLegend(offset=(10, 5), labelTextColor=self._fg)
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
        self._count_axis("left", 1)
        self.plot_item.setYRange(0, 1, padding=0.05)

    def update_hourly(self, today: Sequence[float], yesterday: Sequence[float]) -> None:
        """Counts per hour from 0:00; ``today`` may stop at the current hour."""
        t = _numbers(today, "today's hourly counts", 24)
        y = _numbers(yesterday, "yesterday's hourly counts", 24)
        t = np.pad(t, (0, 24 - t.size))
        y = np.pad(y, (0, 24 - y.size))
        self.today_bars.setOpts(height=t)
        self.yesterday_curve.setData(HOURS, y)
        has_yesterday = bool(y.any())
        self.yesterday_curve.setVisible(has_yesterday)
        label = self.legend.getLabel(self.yesterday_curve)
        if label is not None:  # say so rather than draw a flat line at 0
            label.setText(self.tr("Yesterday") if has_yesterday else self.tr("Yesterday: no data"))  # 昨日：无数据
        top = max(float(t.max()) if t.size else 0.0, float(y.max()) if y.size else 0.0, 1.0)
        self._count_axis("left", top)
        self.plot_item.setYRange(0, top * 1.1, padding=0)


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
        # zh: 暂无在办事件
        self.empty_label = self._empty_item(QCoreApplication.translate("Charts", "No open cases"))

    def _set_bars(self, labels: Sequence[str], values: np.ndarray) -> None:
        n = len(labels)
        ys = np.arange(n - 1, -1, -1, dtype=float)
        self.bars.setOpts(x0=np.zeros(n), y=ys, width=values)
        shown = [label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…" for label in labels]
        self.plot_item.getAxis("left").setTicks([[(float(y), label) for y, label in zip(ys, shown, strict=True)]])
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
        self._count_axis("bottom", max(top, 1.0))
        empty = n == 0
        for name in ("left", "bottom"):  # no bare axes around nothing
            self.plot_item.getAxis(name).setVisible(not empty)
        self.empty_label.setPos(max(top, 1.0) * 1.15 / 2, (max(n, 1) - 1) / 2)
        self.empty_label.setVisible(empty)

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
        super().__init__(self.tr("Open cases by category"), parent, dark)  # 在办事件类别构成
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
        super().__init__(self.tr("Open cases by area"), parent, dark)  # 下级在办对比
        self.empty_label.setText(self.tr("No lower level: a grid is the smallest area"))  # 网格为最小单元，无下级
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
        super().__init__(self.tr("Open cases by time limit"), parent, dark)  # 在办事件时限状态
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
        self.plot_item.setYRange(-1.15, 0.5, padding=0)
        self._shares = (0.0, 0.0, 0.0)
        # The legend: what each colour means, with its count.
        self.legend_names = (self.tr("On track"), self.tr("Warning"), self.tr("Overdue"))  # 正常 预警 超期
        self.legend_labels = []
        for i in range(len(SLA_COLORS)):
            item = pg.TextItem("", anchor=(0, 0.5))  # one line each: fits a narrow chart
            item.setFont(self._font)
            item.setPos(0.02, -0.58 - 0.2 * i)
            self.plot_item.addItem(item, ignoreBounds=True)
            self.legend_labels.append(item)
            item.setHtml(self._legend_html(i, 0))
        self.empty_label = self._empty_item(self.tr("No open cases with a time limit"))  # 暂无计时中的在办事件
        self.empty_label.setPos(0.5, 0.0)

    def _legend_html(self, i: int, count: int) -> str:
        return (f'<span style="color:{SLA_COLORS[i]}">■</span> '
                f'<span style="color:{self._fg}">{self.legend_names[i]} {count}</span>')

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
        for i, item in enumerate(self.legend_labels):
            item.setHtml(self._legend_html(i, int(counts[i])))
        self.empty_label.setVisible(bool(total <= 0))

    def shares(self) -> tuple[float, float, float]:
        return self._shares
