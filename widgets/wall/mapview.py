"""The wall's map page: the shared map view, with what does not change between its visits kept.

The wall shows the map every rotation and flips its figure each time (overdue, then the
on-time rate), so a plain map view drops its area picture on every visit (new colours) and
draws every outline again, then draws the names, the scale bar and the legend over every
frame (hundreds of ``drawText`` at wall size). Here (issue 20):

- the area picture is kept per figure (per set of class colours; the wall alternates two):
  coming back to a figure takes its picture and redraws only the areas whose class changed
  since, in the full order (land, fills, outlines, district outlines) clipped to them, so the
  pixels are those of a fresh picture; the same exact patch serves a recolour while shown;
  the composed frame is kept with it and, when the case points did not change meanwhile,
  is recomposed only where areas changed;
- the names, the scale bar and the legend are drawn into the composed frame (again only where
  the frame is recomposed), not over every frame; a pulse or a highlight is drawn over them.

``paint.CACHED = False`` makes it the plain shared view (the reference the tests compare with).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QRegion
from PySide6.QtWidgets import QWidget

from widgets.map.view import MapView, QTransform_from
from widgets.wall import paint

_AA = QPainter.RenderHint.Antialiasing
_AREA_AA_LIMIT = 3000  # as widgets.map.view: outlines anti-aliased up to this many areas
_CLEAR = QPainter.CompositionMode.CompositionMode_Clear
_NO_PEN = Qt.PenStyle.NoPen
_NO_BRUSH = Qt.BrushStyle.NoBrush


@dataclass
class _Kept:
    """What a figure not on show left behind."""

    areas: QImage  # its area picture
    classes: np.ndarray  # the classes that picture shows
    state: tuple[float, float, float]  # the view it was drawn at
    frame: QImage | None  # its composed frame (names and all), when that was up to date
    baked: tuple | None  # what the frame's names, scale bar and legend were drawn for
    points: int  # the case points the frame shows (WallMapView.points_serial)


class WallMapView(MapView):
    #: Area pictures kept for figures not on show (the wall alternates two).
    KEEP = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, dark=True)
        self._kept: dict[tuple, _Kept] = {}  # by class colours
        self.points_serial = 0  # counts changes of the case points (a kept frame shows one)
        self._baked: tuple | None = None  # what the names/scale bar/legend in the frame were drawn for
        self._baking = False
        self._keeping = False
        self.area_renders = 0  # whole area pictures drawn (tests and the bench count them)
        self.area_patches = 0
        self.composed = 0  # frames composed, whole or in part
        self.composed_whole = 0

    # ---- area pictures, one per figure -----------------------------------------------------
    def invalidate(self) -> None:
        if not self._keeping:  # new geometry, scale or basemap: every kept picture is out of date
            self._kept.clear()
        super().invalidate()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._kept.clear()
        super().resizeEvent(event)

    def render_areas(self) -> QImage:
        self.area_renders += 1
        return super().render_areas()

    def set_classes(self, classes, colours: list[QColor], legend: list[tuple[QColor, str]] | None = None,
                    title: str = "") -> None:
        new = tuple(c.rgba() for c in colours)
        old = tuple(c.rgba() for c in self.class_colours)
        if new == old:
            super().set_classes(classes, colours, legend, title)
            return
        if self._cache is not None and self._cache_state is not None:
            clean = (paint.CACHED and not self._recompose and self._baked is not None and self._frame_img is not None
                     and self._frame_state == self._cache_state)
            self._kept[old] = _Kept(self._cache, self.areas.classes.copy(), self._cache_state,
                                    self._frame_img if clean else None, self._baked if clean else None,
                                    self.points_serial)
            if clean:
                self._frame_img = None  # the next figure is composed into an image of its own
            while len(self._kept) > self.KEEP:
                self._kept.pop(next(iter(self._kept)))  # the oldest
        self._cache = None  # render_areas would draw into the kept image otherwise
        if not paint.CACHED:  # the plain view: everything drawn afresh (the kept pictures stay valid)
            self._keeping = True
            try:
                super().set_classes(classes, colours, legend, title)
            finally:
                self._keeping = False
            return
        kept = self._kept.pop(new, None)
        self._cache_state = None
        self.class_colours = list(colours)
        if legend is not None:
            self.legend, self.legend_title = legend, title
        self.areas.set_classes(classes)
        if kept is not None and kept.areas.size() == self.size() and len(kept.classes) == len(self.areas.classes):
            self._cache, self._cache_state = kept.areas, kept.state
            changed = np.flatnonzero(kept.classes != self.areas.classes)
            if changed.size:
                self._patch(changed)
            if kept.frame is not None and kept.points == self.points_serial and kept.frame.size() == self.size() \
                    and kept.state == self.proj.state() and kept.baked == self._overlay_key():
                self._frame_img, self._frame_state, self._baked = kept.frame, kept.state, kept.baked
                self._recompose, self._dirty = False, None
                if changed.size:
                    self._stale(self._area_rects(changed, kept.state))
                self.update()
                return
        self._stale()  # the frame shows the other figure: compose it again (the points are kept)
        self.update()

    def set_points(self, ids, lon, lat, cls, size, palette) -> None:
        self.points_serial += 1
        super().set_points(ids, lon, lat, cls, size, palette)

    def set_layers(self, points: bool | None = None, heat: bool | None = None) -> None:
        self.points_serial += 1
        super().set_layers(points, heat)

    def _repaint_areas(self, indexes: np.ndarray) -> None:
        if paint.CACHED:
            self._patch(indexes)
        else:
            super()._repaint_areas(indexes)

    def _patch(self, indexes: np.ndarray) -> None:
        """Draw the area picture again where these areas are, in full and in order, clipped there."""
        if self._cache is None or self._cache_state is None:
            return
        region = self._area_rects(indexes, self._cache_state)
        p = QPainter(self._cache)
        p.setClipRegion(region)
        p.setCompositionMode(_CLEAR)
        p.fillRect(region.boundingRect(), QColor(0, 0, 0, 0))
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        self._draw_areas(p, QTransform_from(*self._cache_state))
        p.end()
        self.area_patches += 1

    def _area_rects(self, indexes: np.ndarray, state: tuple[float, float, float]) -> QRegion:
        s, ox, oy = state
        b = self.areas.boxes[indexes]
        x0, y0 = np.floor(b[:, 0] * s + ox) - 3, np.floor(b[:, 1] * s + oy) - 3
        x1, y1 = np.ceil(b[:, 2] * s + ox) + 3, np.ceil(b[:, 3] * s + oy) + 3
        region = QRegion()
        for r in np.stack([x0, y0, x1 - x0, y1 - y0], axis=1).astype(int).tolist():
            region += QRect(*r)
        return region

    # ---- names, scale bar and legend in the composed frame -----------------------------------
    def _overlay_key(self) -> tuple:
        legend = tuple((c.rgba(), t) for c, t in self.legend)
        return (id(self.labels), len(self.labels), legend, self.legend_title, self.proj.state(), self.ui_scale,
                self.text_factor, self.width(), self.height(), self.font().key())

    def paint_frame(self, p: QPainter) -> None:
        if paint.CACHED and self._baked != self._overlay_key() and self._frame_state == self.proj.state():
            self._stale()  # new names, legend or view (or not drawn in yet): compose afresh
        elif not paint.CACHED and self._baked is not None:
            self._baked = None
            self._stale()
        super().paint_frame(p)

    def _compose(self, state: tuple[float, float, float], region: QRegion | None = None) -> None:
        bake = paint.CACHED and state == self.proj.state()
        key = self._overlay_key() if bake else None
        if region is not None and key != self._baked:
            region = None
        before = self._frame_img
        self.composed += 1
        self.composed_whole += region is None
        super()._compose(state, region)
        if not bake or self._frame_img is None:
            self._baked = None
            return
        if self._frame_img is not before:
            region = None
        p = QPainter(self._frame_img)
        if region is not None:
            p.setClipRegion(region)
        w, h = self._frame_img.width(), self._frame_img.height()
        self._baking = True
        try:
            self._draw_labels(p, w, h)
            self._draw_scale_bar(p, w, h)
            self._draw_legend(p, w, h)
        finally:
            self._baking = False
        p.end()
        self._baked = key

    def _draw_labels(self, p: QPainter, w: int, h: int) -> None:
        if self._baked is None or self._baking:
            super()._draw_labels(p, w, h)

    def _draw_scale_bar(self, p: QPainter, w: int, h: int) -> None:
        if self._baked is None or self._baking:
            super()._draw_scale_bar(p, w, h)

    def _draw_legend(self, p: QPainter, w: int, h: int) -> None:
        if self._baked is None or self._baking:
            super()._draw_legend(p, w, h)
