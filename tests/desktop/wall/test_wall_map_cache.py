"""The wall's map keeps an area picture per figure and draws its names into the frame (issue 20),
and shows exactly what the plain shared map view shows for the same calls.

Two views get the same data side by side: ``WallMapView`` and the plain ``MapView``; their
grabs are compared pixel by pixel (equal: both draw the same operations, the wall's only
clipped to the areas that changed).
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage

from widgets.map.classes import ON_TIME, OVERDUE, Classifier, point_palette
from widgets.map.view import MapView
from widgets.wall import paint
from widgets.wall.mapview import WallMapView

SIZE = (960, 640)


def ring(x0: float, y0: float, dx: float, dy: float, wobble: float) -> list[float]:
    return [x0, y0, x0 + dx * 0.5, y0 - wobble, x0 + dx, y0, x0 + dx + wobble, y0 + dy * 0.5, x0 + dx, y0 + dy,
            x0, y0 + dy]


#: 10 × 7 streets (named: at most LABEL_LIMIT) over two districts, irregular enough for anti-aliased edges everywhere.
AREAS = [(f"3702{i:02d}{j:02d}", [ring(120.0 + 0.02 * i, 36.0 + 0.02 * j, 0.02, 0.02, 0.003 * ((i + j) % 3))])
         for i in range(10) for j in range(7)]
BASE = [("370201", [[120.0, 36.0, 120.1, 36.0, 120.1, 36.14, 120.0, 36.14]]),
        ("370202", [[120.1, 36.0, 120.2, 36.0, 120.2, 36.14, 120.1, 36.14]])]
NAMES = {code: f"街道{n}" for n, (code, _) in enumerate(AREAS)}


def pixels(view) -> np.ndarray:
    image = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[:, :, :3].copy()


@pytest.fixture
def views(qtbot):
    assert paint.CACHED
    out = []
    for view in (WallMapView(), MapView(dark=True)):
        qtbot.addWidget(view)
        view.resize(*SIZE)
        view.set_scale(1.5, 1.6)
        view.show()
        qtbot.waitExposed(view)
        view.set_base(BASE)
        view.set_areas(AREAS, home=True)
        view.set_labels(NAMES)
        view.set_points(["a", "b"], [120.05, 120.15], [36.05, 36.1], [1, 2], [2, 2], point_palette())
        out.append(view)
    return out


def show(views, figure: str, values: np.ndarray) -> None:
    classifier = Classifier(figure, dark=True)
    for view in views:
        view.set_classes(classifier.classify(values), classifier.colours(), classifier.legend(), figure)


def assert_same(views) -> np.ndarray:
    wall, plain = (pixels(v) for v in views)
    diff = np.abs(wall.astype(np.int16) - plain.astype(np.int16)).max(axis=2)
    ys, xs = np.nonzero(diff)
    assert not diff.any(), f"{(diff > 0).sum()} pixels differ (max {diff.max()}), e.g. at x {xs[:5]}, y {ys[:5]}"
    return wall


def test_alternating_figures_reuse_the_area_picture_and_equal_a_plain_view(qtbot, views):
    wall = views[0]
    rng = np.random.default_rng(7)
    rates = rng.uniform(0.5, 1.0, len(AREAS))
    overdue = rng.integers(0, 12, len(AREAS)).astype(float)
    show(views, ON_TIME, rates)
    first = assert_same(views)
    whole = wall.composed_whole
    show(views, OVERDUE, overdue)
    assert_same(views)
    assert wall.composed_whole == whole + 1  # first visit of this figure
    renders, composed = wall.area_renders, wall.composed
    show(views, ON_TIME, rates)  # back to the first figure, nothing changed: its picture as kept
    assert not np.abs(assert_same(views).astype(int) - first).any()
    assert wall.area_renders == renders and wall.area_patches == 0
    assert wall.composed == composed  # its composed frame too
    rates[[3, 40, 67]] = [0.99, 0.51, 0.75]  # some streets changed while the other figure showed
    overdue[[5, 6]] = [0.0, 30.0]
    whole = wall.composed_whole
    show(views, OVERDUE, overdue)
    assert_same(views)
    assert wall.composed_whole == whole + 1  # the overdue bands follow the values: a new legend
    composed, whole = wall.composed, wall.composed_whole
    show(views, ON_TIME, rates)
    assert_same(views)
    assert wall.area_renders == renders and wall.area_patches == 2  # patched, not drawn whole
    assert (wall.composed, wall.composed_whole) == (composed + 1, whole)  # recomposed only where they changed
    for view in views:  # a critical case appeared while the map showed the other figure
        view.set_points(["a", "b", "c"], [120.05, 120.15, 120.12], [36.05, 36.1, 36.02], [1, 2, 3], [2, 2, 2],
                        point_palette())
    whole = wall.composed_whole
    show(views, OVERDUE, overdue)
    assert_same(views)
    assert wall.composed_whole == whole + 1  # its kept frame shows the old points: composed afresh
    rates[[10, 11]] = [0.6, 0.97]  # a recolour while shown: patched in place, exactly
    show(views, ON_TIME, rates)
    # the plain view repaints such areas one by one over the district outlines (not what a
    # fresh picture shows there); the wall's patch equals a fresh picture
    views[1].invalidate()
    assert_same(views)
    assert wall.area_renders == renders and wall.area_patches == 3


def test_names_scale_bar_and_legend_are_drawn_into_the_frame_once(qtbot, views, monkeypatch):
    wall = views[0]
    show(views, ON_TIME, np.linspace(0.5, 1.0, len(AREAS)))
    assert_same(views)
    drawn = []
    monkeypatch.setattr(MapView, "_draw_labels", lambda self, p, w, h: drawn.append(self))
    pixels(wall)
    pixels(wall)
    assert wall.labels and wall not in drawn  # the frame holds them: an unchanged map draws no text
    monkeypatch.undo()
    wall.set_labels({code: "新" + name for code, name in NAMES.items()})
    views[1].set_labels({code: "新" + name for code, name in NAMES.items()})
    assert_same(views)  # new names: composed afresh


def test_plain_mode_is_the_shared_view(qtbot, views):
    show(views, ON_TIME, np.linspace(0.5, 1.0, len(AREAS)))
    assert_same(views)
    paint.CACHED = False
    try:
        show(views, OVERDUE, np.arange(len(AREAS), dtype=float) % 9)
        renders = views[0].area_renders
        assert_same(views)
        assert views[0].area_renders == renders + 1  # drawn whole, as the plain view does
    finally:
        paint.CACHED = True
    assert_same(views)
