"""The map widget alone: drawing, hit testing, recolouring only what changed, picking points."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from widgets.map.classes import ON_TIME, OPEN, Classifier, point_palette
from widgets.map.view import MapView


def cell(code: str, x0: float, y0: float, d: float = 0.01):
    return code, [[x0, y0, x0 + d, y0, x0 + d, y0 + d, x0, y0 + d]]


AREAS = [cell(f"37020200100{i}", 120.0 + 0.01 * i, 36.0) for i in range(1, 5)]


def shown(qtbot, size=(400, 300)) -> MapView:
    view = MapView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    view.set_areas(AREAS)
    return view


def frame(view: MapView) -> QImage:
    image = QImage(view.width(), view.height(), QImage.Format.Format_RGB32)
    p = QPainter(image)
    view.paint_frame(p)
    p.end()
    return image


def test_areas_are_coloured_by_class_and_recoloured_in_place(qtbot):
    view = shown(qtbot)
    classifier = Classifier(OPEN)
    values = np.array([0.0, 3.0, 8.0, 40.0])
    view.set_classes(classifier.classify(values), classifier.colours(), classifier.legend(), "open")
    centre = view.area_screen_point(AREAS[3][0]).toPoint()
    assert QColor(frame(view).pixel(centre)) == classifier.colours()[int(view.areas.classes[3])]
    values[3] = 0.0
    view.set_classes(classifier.classify(values), classifier.colours())
    assert view._recompose and view._dirty is not None  # only that area's rectangle is recomposed
    assert QColor(frame(view).pixel(centre)) == classifier.colours()[0]


def test_click_on_an_area_and_on_a_point(qtbot):
    view = shown(qtbot)
    view.set_points(["QD1"], [120.015], [36.005], [3], [2], point_palette())
    with qtbot.waitSignal(view.case_clicked) as case:
        pos = view.screen_pos_of(120.015, 36.005)
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=pos.toPoint())
    assert case.args == ["QD1"]
    with qtbot.waitSignal(view.area_clicked) as area:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.area_screen_point(AREAS[2][0]).toPoint())
    assert area.args == [AREAS[2][0]]


def test_pan_and_zoom_move_the_cached_frame_until_the_view_settles(qtbot):
    view = shown(qtbot)
    frame(view)
    state = view._frame_state
    view.pan(30, 0)
    view.zoom(1.5, QPointF(200, 150))
    frame(view)
    assert view._frame_state == state  # still the old frame, moved
    qtbot.waitUntil(lambda: not view._settle.isActive())
    frame(view)
    assert view._frame_state == view.proj.state()


def test_on_time_rate_bands_and_no_value():
    classifier = Classifier(ON_TIME)
    assert classifier.classify(np.array([np.nan, 0.5, 0.85, 0.99])).tolist() == [-1, 0, 2, 4]
    assert len(classifier.legend()) == 5
