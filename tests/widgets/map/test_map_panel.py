"""The map's tool row: one row when the map is wide, two beside the queue, no control clipped."""

from __future__ import annotations

from PySide6.QtCore import QRect

from widgets.map.panel import MapPanel


def test_the_tool_row_wraps_rather_than_clipping_its_controls(qtbot):
    panel = MapPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    qtbot.waitExposed(panel)
    assert not panel.two_rows()
    panel.resize(270, 500)  # a quarter of a 1080p console's centre
    qtbot.waitUntil(lambda: panel.width() == 270 and panel.two_rows())
    qtbot.waitUntil(lambda: panel.figure.width() >= panel.figure.minimumSizeHint().width())
    inside = panel.rect()
    for widget in (panel.figure, panel.grids, panel.cases, panel.heat, panel.fit):
        rect = QRect(widget.mapTo(panel, widget.rect().topLeft()), widget.size())
        assert inside.contains(rect), widget.objectName() or widget.text()
        assert widget.width() >= widget.minimumSizeHint().width(), widget.objectName() or widget.text()
    assert panel.grids.geometry().top() > panel.figure.geometry().bottom() - 2  # the layers on a second row
    panel.resize(900, 500)
    qtbot.waitUntil(lambda: not panel.two_rows())
