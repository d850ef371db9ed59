"""Charts are built once: updates change data on the same items; a bar click drills down."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from widgets.common.charts import CategoryMixChart, ChildrenChart, HourlyChart, SlaGauge


def shown(qtbot, chart):
    qtbot.addWidget(chart)
    chart.resize(500, 320)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def item_ids(chart):
    return [id(item) for item in chart.plot_item.items]


def test_hourly_updates_reuse_the_items(qtbot):
    chart = shown(qtbot, HourlyChart())
    bars, curve, before = chart.today_bars, chart.yesterday_curve, item_ids(chart)
    chart.update_hourly([1, 2, 3], list(range(24)))
    chart.update_hourly(list(range(10)), [5] * 24)
    assert chart.today_bars is bars and chart.yesterday_curve is curve
    assert item_ids(chart) == before
    assert list(bars.opts["height"][:10]) == list(range(10)) and bars.opts["height"][10:].sum() == 0
    x, y = curve.getData()
    assert len(x) == 24 and set(y) == {5}


def test_hourly_refuses_bad_series(qtbot):
    chart = HourlyChart()
    qtbot.addWidget(chart)
    with pytest.raises(ValueError, match="today's hourly counts has 25 values"):
        chart.update_hourly([0] * 25, [])
    with pytest.raises(ValueError, match="non-negative"):
        chart.update_hourly([], [-1])


def test_category_mix_sorts_and_folds_the_tail(qtbot):
    chart = shown(qtbot, CategoryMixChart(max_bars=3))
    bars, before = chart.bars, item_ids(chart)
    chart.update_categories([("占道经营", 5), ("暴露垃圾", 9), ("噪音扰民", 2), ("井盖缺失", 1)])
    assert chart.bars is bars
    assert list(bars.opts["width"]) == [9, 5, 3]
    ticks = chart.plot_item.getAxis("left")._tickLevels[0]
    assert [label for _, label in sorted(ticks, reverse=True)] == ["暴露垃圾", "占道经营", "Other"]
    ids_after_first = item_ids(chart)
    assert len(ids_after_first) == len(before) + 3  # value labels pooled on first use
    chart.update_categories([("暴露垃圾", 4), ("占道经营", 6)])
    assert item_ids(chart) == ids_after_first  # nothing new on later refreshes
    assert list(bars.opts["width"]) == [6, 4]
    assert sum(label.isVisible() for label in chart._value_labels) == 2


def test_children_chart_click_emits_the_child_code(qtbot):
    chart = shown(qtbot, ChildrenChart())
    items = [("370203001", "第1街道", 12), ("370203002", "第2街道", 30), ("370203003", "第3街道", 7)]
    chart.update_children(items, alerts=[1, 4, 0])
    chart.plot_item.vb.updateMatrix()
    assert chart.codes() == ["370203001", "370203002", "370203003"]
    assert list(chart.alert_bars.opts["width"]) == [1, 4, 0]
    for code in ("370203002", "370203003"):
        pos = chart.mapFromScene(chart.bar_center(code))
        with qtbot.waitSignal(chart.child_clicked, timeout=2000) as clicked:
            qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        assert clicked.args == [code]


def test_children_chart_refuses_mismatched_alerts(qtbot):
    chart = ChildrenChart()
    qtbot.addWidget(chart)
    with pytest.raises(ValueError, match="2 alert values for 1 children"):
        chart.update_children([("370203001", "第1街道", 1)], alerts=[1, 2])


@pytest.mark.parametrize("dark", [False, True])
def test_sla_gauge_shares(qtbot, dark):
    gauge = shown(qtbot, SlaGauge(dark=dark))
    segments, before = list(gauge.segments), item_ids(gauge)
    gauge.update_sla(80, 15, 5)
    assert np.allclose(gauge.shares(), (0.8, 0.15, 0.05))
    assert [float(s.opts["x0"][0]) for s in segments] == pytest.approx([0.0, 0.8, 0.95])
    assert [label.toPlainText() for label in gauge.labels] == ["80%", "15%", ""]
    gauge.update_sla(0, 0, 0)
    assert gauge.shares() == (0.0, 0.0, 0.0)
    assert gauge.segments == segments and item_ids(gauge) == before


def test_counts_get_whole_ticks_and_empty_charts_say_so(qtbot):
    from widgets.common.charts import count_step

    assert [count_step(t) for t in (0, 1, 3, 4, 7, 30, 180)] == [1, 1, 1, 1, 2, 10, 50]
    chart = CategoryMixChart()
    qtbot.addWidget(chart)
    chart.update_categories([])
    assert chart.empty_label.isVisible() and chart.empty_label.toPlainText()
    assert not chart.plot_item.getAxis("left").isVisible()  # no −0.5..0.5 axis around nothing
    chart.update_categories([("井盖缺失", 1), ("占道经营", 1)])
    assert not chart.empty_label.isVisible()
    assert chart.plot_item.getAxis("bottom")._tickSpacing == [(1, 0), (1, 0)]
    assert "Open" in chart.plot_item.titleLabel.text  # the title says these are open cases
    children = ChildrenChart()
    qtbot.addWidget(children)
    children.update_children([])  # a grid has no lower level
    assert children.empty_label.isVisible() and "grid" in children.empty_label.toPlainText()


def test_sla_gauge_has_a_legend_with_counts_and_hourly_says_when_yesterday_is_missing(qtbot):
    gauge = SlaGauge()
    qtbot.addWidget(gauge)
    gauge.update_sla(8, 1, 3)
    texts = [label.textItem.toPlainText() for label in gauge.legend_labels]
    assert texts == ["■ On track 8", "■ Warning 1", "■ Overdue 3"]
    hourly = HourlyChart()
    qtbot.addWidget(hourly)
    hourly.update_hourly([0, 2, 1], [0] * 24)
    assert not hourly.yesterday_curve.isVisible()
    assert "no data" in hourly.legend.getLabel(hourly.yesterday_curve).text
    hourly.update_hourly([0, 2, 1], [1] * 24)
    assert hourly.yesterday_curve.isVisible()
