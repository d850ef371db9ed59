"""The map: one QWidget painting cached layers, never one item per area or per case.

Frame = background + basemap tiles + the *area image* (base outlines, the areas filled by
their value class, their outlines; cached at the view it was drawn for and shown
translated/scaled while the view moves, redrawn once it settles) + the case points
(numpy-splatted each frame) + heat + overlays (hover, selection, pulses, scale bar,
legend). Recolouring repaints only the areas whose class changed onto the cached image.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen, QRegion
from PySide6.QtWidgets import QToolTip, QWidget

from widgets.map.layers import (
    AreaLayer,
    PointLayer,
    Projection,
    argb,
    heat_image,
    point_buffer,
    ring_polygon,
    splat_margin,
    splat_points,
)

SETTLE_MS = 120
_AA = QPainter.RenderHint.Antialiasing
_SMOOTH = QPainter.RenderHint.SmoothPixmapTransform
_PREMUL = QImage.Format.Format_ARGB32_Premultiplied
_OPAQUE = QImage.Format.Format_RGB32
_SOURCE = QPainter.CompositionMode.CompositionMode_Source
_OVER = QPainter.CompositionMode.CompositionMode_SourceOver
_NO_PEN = Qt.PenStyle.NoPen
_NO_BRUSH = Qt.BrushStyle.NoBrush
_LEFT = Qt.MouseButton.LeftButton
_ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_AREA_AA_LIMIT = 3000  # anti-alias area outlines when there are at most this many
LABEL_LIMIT = 80  # name the areas when there are at most this many

LIGHT = {
    "sea": "#dfe9f2", "land": "#f6f4ef", "base": "#8a8f98", "outline": "#ffffff", "no_value": "#e4e4e4",
    "hover": "#1f6feb", "selected": "#0b3d91", "text": "#222222", "panel": "#ffffffdd", "rim": "#ff1f1f1f",
    "label_halo": "#ffffff",
}
DARK = {
    "sea": "#0b1420", "land": "#142233", "base": "#5d7796", "outline": "#0b1420", "no_value": "#233447",
    "hover": "#7cc4ff", "selected": "#ffd166", "text": "#e6edf3", "panel": "#0b1420cc", "rim": "#ff000000",
    "label_halo": "#0b1420",
}


class MapView(QWidget):
    #: An area was clicked (drill down): its code.
    area_clicked = Signal(str)
    #: A case point was clicked: the case id.
    case_clicked = Signal(str)
    #: The mouse is over an area ("" when over none).
    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, dark: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("mapView")
        self.setMouseTracking(True)
        self.setMinimumSize(240, 200)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.colours = {k: QColor(v) for k, v in (DARK if dark else LIGHT).items()}
        self.proj = Projection()
        self.areas = AreaLayer()
        self.base_paths: list[QPainterPath] = []
        self.points = PointLayer()
        self.point_palette = np.zeros(1, dtype=np.uint32)  # point class → ARGB
        self.class_colours: list[QColor] = []
        self.legend: list[tuple[QColor, str]] = []
        self.legend_title = ""
        self.labels: list[tuple[float, float, str]] = []  # world x, y, text
        self.ui_scale = 1.0
        self.text_factor = 1.0
        self.show_points = True
        self.show_heat = False
        self.selected = -1
        self.hover = -1
        self.pulses: list[tuple[float, float, float]] = []  # world x, y, start (monotonic)
        self.describe: Callable[[str], str] | None = None  # code -> tooltip text, set by whoever owns the data
        self.basemap = None  # widgets.map.basemap.TileSource, optional
        self._home: QRectF | None = None
        self._cache: QImage | None = None
        self._cache_state: tuple[float, float, float] | None = None
        self._heat: QImage | None = None
        self._heat_state: tuple[float, float, float] | None = None
        self._points_buf: np.ndarray | None = None
        self._points_img: QImage | None = None
        self._points_state: tuple[float, float, float] | None = None
        self._frame_img: QImage | None = None
        self._frame_state: tuple[float, float, float] | None = None
        self._recompose = True
        self._dirty: QRegion | None = None  # when only these pixels of the composed frame are stale
        self._drag: QPointF | None = None
        self._dragged = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._on_settled)
        self._pulse_timer = QTimer(self)
        self._pulse_timer.setInterval(40)
        self._pulse_timer.timeout.connect(self._pulse_tick)
        self.last_frame_ms = 0.0

    # ---- data ------------------------------------------------------------------------------
    def set_base(self, outlines: list[tuple[str, list[list[float]]]]) -> None:
        """The base layer: outlines drawn under everything (e.g. the real district outlines)."""
        k = self.proj.k
        self.base_paths = []
        for _, rings in outlines:
            path = QPainterPath()
            for ring in rings:
                path.addPolygon(ring_polygon(ring, k))
                path.closeSubpath()
            self.base_paths.append(path)
        self.invalidate()

    def set_areas(self, outlines: list[tuple[str, list[list[float]]]], home: bool = True) -> None:
        """The areas to colour (the current level's children); ``home``: fit the view to them."""
        self.areas.set_areas(outlines, self.proj.k)
        self.labels = []
        self.selected = self.hover = -1
        if home and len(self.areas):
            self._home = self.areas.bounds
            self.fit_home()
        self.invalidate()

    def set_labels(self, names: dict[str, str]) -> None:
        """Names drawn on the areas (when there are at most ``LABEL_LIMIT`` of them)."""
        self.labels = []
        if len(self.areas) > LABEL_LIMIT:
            return
        for i, code in enumerate(self.areas.codes):
            anchor = self._inside(self.areas.paths[i])
            if anchor is not None and names.get(code):
                self.labels.append((anchor.x(), anchor.y(), names[code]))
        self.update()

    @staticmethod
    def _inside(path: QPainterPath) -> QPointF | None:
        r = path.boundingRect()
        for fy in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
            for fx in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
                p = QPointF(r.left() + r.width() * fx, r.top() + r.height() * fy)
                if path.contains(p):
                    return p
        return None

    def area_codes(self) -> list[str]:
        return self.areas.codes

    def set_classes(self, classes, colours: list[QColor], legend: list[tuple[QColor, str]] | None = None,
                    title: str = "") -> None:
        """Recolour: ``classes`` per area (−1 = no value), ``colours`` per class. Only areas whose
        class changed are repainted (onto the cached image) unless the colours changed too."""
        colours_changed = [c.rgba() for c in colours] != [c.rgba() for c in self.class_colours]
        self.class_colours = list(colours)
        if legend is not None:
            self.legend, self.legend_title = legend, title
        changed = self.areas.set_classes(classes)
        if colours_changed:
            self.invalidate()
        elif changed.size:
            self._repaint_areas(changed)
            self._stale(self._dirty_rects(changed))
        self.update()

    def set_points(self, ids, lon, lat, cls, size, palette) -> None:
        x, y = self.proj.world(np.asarray(lon, float), np.asarray(lat, float))
        self.points.set_points(ids, x, y, cls, size)
        self.point_palette = np.asarray(palette, dtype=np.uint32)
        self._heat = None
        self._points_state = None
        self._stale()
        self.update()

    def pulse(self, lon: float, lat: float) -> None:
        """A ring pulsing outward at (lon, lat) for a few seconds (a new critical case)."""
        x, y = self.proj.world(lon, lat)
        self.pulses.append((x, y, time.monotonic()))
        if not self._pulse_timer.isActive():
            self._pulse_timer.start()

    def set_layers(self, points: bool | None = None, heat: bool | None = None) -> None:
        if points is not None:
            self.show_points = points
        if heat is not None:
            self.show_heat = heat
        self._stale()
        self.update()

    def set_basemap(self, source) -> None:
        """A ``widgets.map.basemap.TileSource`` under the areas (None: the base outlines on plain land)."""
        self.basemap = source
        self.invalidate()

    def select_code(self, code: str | None) -> None:
        self.selected = self.areas.index.get(code, -1) if code else -1
        self.update()

    # ---- view --------------------------------------------------------------------------------
    def set_home(self, rect: QRectF | None) -> None:
        self._home = rect

    def home_rect_for(self, outlines: list[tuple[str, list[list[float]]]]) -> QRectF:
        k = self.proj.k
        xs = [v * k for _, rings in outlines for r in rings for v in r[0::2]]
        ys = [-v for _, rings in outlines for r in rings for v in r[1::2]]
        if not xs:
            return QRectF()
        return QRectF(QPointF(min(xs), min(ys)), QPointF(max(xs), max(ys)))

    def fit_home(self) -> None:
        """Fit the view to the home rectangle (the jurisdiction, or the areas shown)."""
        rect = self._home or self.areas.bounds
        if rect is not None and not rect.isEmpty():
            self.proj.fit(rect, max(1, self.width()), max(1, self.height()))
            self._moved()

    def fit_code(self, code: str, margin: float = 0.25) -> None:
        """Fit the view to one area (with room around it for its neighbours)."""
        i = self.areas.index.get(code, -1)
        if i >= 0:
            self._home = self.areas.paths[i].boundingRect()
            self.proj.fit(self._home, max(1, self.width()), max(1, self.height()), margin)
            self._moved()

    def fit_lonlat(self, lon0: float, lat0: float, lon1: float, lat1: float) -> None:
        x0, y0 = self.proj.world(lon0, lat1)
        x1, y1 = self.proj.world(lon1, lat0)
        self.proj.fit(QRectF(QPointF(x0, y0), QPointF(x1, y1)), max(1, self.width()), max(1, self.height()))
        self._moved()

    def zoom(self, factor: float, at: QPointF | None = None) -> None:
        at = at or QPointF(self.width() / 2, self.height() / 2)
        self.proj.zoom_at(factor, at.x(), at.y())
        self._moved()

    def pan(self, dx: float, dy: float) -> None:
        self.proj.pan(dx, dy)
        self._moved()

    def screen_pos_of(self, lon: float, lat: float) -> QPointF:
        x, y = self.proj.to_screen(*self.proj.world(lon, lat))
        return QPointF(x, y)

    def area_screen_point(self, code: str) -> QPointF | None:
        """A point inside ``code``'s area on screen (for tests and keyboard users)."""
        i = self.areas.index.get(code, -1)
        p = self._inside(self.areas.paths[i]) if i >= 0 else None
        if p is None:
            return None
        sx, sy = self.proj.to_screen(p.x(), p.y())
        return QPointF(sx, sy)

    def invalidate(self) -> None:
        """Drop the cached images: the next frame redraws them."""
        self._cache_state = None
        self._points_state = None
        self._heat = None
        self._stale()
        self.update()

    def _moved(self) -> None:
        self._settle.start()
        self.update()

    def _on_settled(self) -> None:
        self.update()  # the next frame finds the caches stale and the timer stopped: it redraws them

    def memory(self) -> dict[str, int]:
        """Bytes held, by part: the cached images, the outline paths (24 bytes per path element plus
        a per-path overhead), and the point arrays."""
        images = sum(img.sizeInBytes() for img in (self._cache, self._frame_img, self._points_img, self._heat)
                     if img is not None)
        if self._points_buf is not None:
            images += self._points_buf.nbytes
        elements = sum(path.elementCount() for path in self.areas.paths) + self.areas.outline.elementCount()
        elements += sum(path.elementCount() for path in self.base_paths)
        elements += sum(path.elementCount() for path in (self.areas._class_paths or {}).values())
        paths = elements * 24 + (len(self.areas.paths) + len(self.base_paths)) * 112
        pts = self.points
        points = pts.x.nbytes + pts.y.nbytes + pts.cls.nbytes + pts.size.nbytes + len(pts.ids) * 8
        return {"images": images, "paths": paths, "points": points, "boxes": self.areas.boxes.nbytes}

    # ---- painting ------------------------------------------------------------------------------
    def render_areas(self) -> QImage:
        """(Re)draw the cached area image for the current view."""
        w, h = max(1, self.width()), max(1, self.height())
        image = self._cache if self._cache is not None and self._cache.size() == self.size() else \
            QImage(w, h, _PREMUL)
        image.fill(0)
        p = QPainter(image)
        self._draw_areas(p, self.proj.transform())
        p.end()
        self._cache = image
        self._cache_state = self.proj.state()
        return image

    def _draw_areas(self, p: QPainter, transform) -> None:
        """The area layer: land, areas filled by class, their outlines, the base lines."""
        p.setTransform(transform)
        c = self.colours
        if self.base_paths and self.basemap is None:
            p.setPen(_NO_PEN)
            p.setBrush(c["land"])
            for path in self.base_paths:
                p.drawPath(path)
        p.setPen(_NO_PEN)
        for cls, path in self.areas.class_paths().items():
            p.setBrush(self._fill(cls))
            p.drawPath(path)
        if len(self.areas) <= _AREA_AA_LIMIT:
            p.setRenderHint(_AA)
        pen = QPen(c["outline"])
        pen.setCosmetic(True)
        pen.setWidthF(1.0 if len(self.areas) <= _AREA_AA_LIMIT else 0.0)
        p.setPen(pen)
        p.setBrush(_NO_BRUSH)
        p.drawPath(self.areas.outline)
        if self.base_paths:
            p.setRenderHint(_AA)
            pen = QPen(c["base"])
            pen.setCosmetic(True)
            pen.setWidthF(1.6)
            p.setPen(pen)
            for path in self.base_paths:
                p.drawPath(path)

    def _stale(self, region: QRegion | None = None) -> None:
        """The composed frame is out of date: wholly, or only within ``region``."""
        if region is None or (self._recompose and self._dirty is None):
            self._dirty = None
        else:
            self._dirty = region if self._dirty is None else self._dirty + region
        self._recompose = True

    def _dirty_rects(self, indexes: np.ndarray) -> QRegion | None:
        """The screen rectangles (at the cached view) of these areas, or None for "everything"."""
        if self._cache_state is None or self._cache_state != self._frame_state:
            return None
        s, ox, oy = self._cache_state
        b = self.areas.boxes[indexes]
        x0 = np.floor(b[:, 0] * s + ox) - 2
        y0 = np.floor(b[:, 1] * s + oy) - 2
        x1 = np.ceil(b[:, 2] * s + ox) + 2
        y1 = np.ceil(b[:, 3] * s + oy) + 2
        region = QRegion()
        for r in np.stack([x0, y0, x1 - x0, y1 - y0], axis=1).astype(int).tolist():
            region += QRect(*r)
        return region

    def _fill(self, cls: int) -> QColor:
        colour = QColor(self.class_colours[cls] if 0 <= cls < len(self.class_colours) else self.colours["no_value"])
        if self.basemap is not None:
            colour.setAlpha(150)  # let the basemap show through
        return colour

    def _repaint_areas(self, indexes: np.ndarray) -> None:
        if self._cache is None or self._cache_state is None:
            return
        s, ox, oy = self._cache_state
        p = QPainter(self._cache)
        p.setTransform(QTransform_from(s, ox, oy))
        pen = QPen(self.colours["outline"])
        pen.setCosmetic(True)
        pen.setWidthF(1.0 if len(self.areas) <= _AREA_AA_LIMIT else 0.0)
        for i in indexes.tolist():
            p.setCompositionMode(_SOURCE)  # replace the pixels (fills may be translucent over a basemap)
            p.setPen(_NO_PEN)
            p.setBrush(self._fill(int(self.areas.classes[i])))
            p.drawPath(self.areas.paths[i])
            p.setCompositionMode(_OVER)
            p.setPen(pen)
            p.setBrush(_NO_BRUSH)
            p.drawPath(self.areas.paths[i])
        p.end()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        self.paint_frame(p)
        p.end()

    def paint_frame(self, p: QPainter) -> None:
        """Draw one frame with ``p`` (the widget's painter, or a QImage's in benchmarks).

        The layers are composed into one opaque image for the view they were drawn at; while the
        view moves that image is only moved and scaled, once it rests (or the data changed) the
        layers are brought up to date and composed again."""
        t0 = time.perf_counter()
        w, h = self.width(), self.height()
        state = self.proj.state()
        moving = self._settle.isActive()
        if self._frame_state is None or (self._frame_state != state and not moving):
            self._compose(state)
        elif self._recompose:
            at = self._frame_state
            self._compose(at if self._layers_at(at) else state, self._dirty if self._layers_at(at) else None)
        if self._frame_state != state:
            p.fillRect(0, 0, w, h, self.colours["sea"])
        self._blit(p, self._frame_img, self._frame_state)
        self._draw_overlays(p, w, h)
        self.last_frame_ms = (time.perf_counter() - t0) * 1000.0

    def _layers_at(self, state) -> bool:
        return (self._cache_state == state and (not self.show_points or self._points_state == state)
                and (not self.show_heat or self._heat_state == state))

    def _compose(self, state: tuple[float, float, float], region: QRegion | None = None) -> None:
        """Draw the layers, up to date for ``state``, into the frame image (only ``region`` of it if given)."""
        w, h = max(1, self.width()), max(1, self.height())
        if state != self.proj.state():  # recompose at the cached view while the view moves
            saved = self.proj.state()
            self.proj.s, self.proj.ox, self.proj.oy = state
        else:
            saved = None
        try:
            if self._cache_state != state:
                self.render_areas()
            if self.show_points and self._points_state != state:
                self._splat(w, h)
            if self.show_heat and (self._heat is None or self._heat_state != state):
                self._heat = heat_image(self.proj, self.points, w, h)
                self._heat_state = state
            image = self._frame_img
            if image is None or image.width() != w or image.height() != h:
                image = self._frame_img = QImage(w, h, _OPAQUE)
                region = None
            p = QPainter(image)
            if region is not None:
                p.setClipRegion(region)
            p.fillRect(0, 0, w, h, self.colours["sea"])
            if self.basemap is not None:
                self.basemap.draw(p, self.proj, w, h)
            if self._cache is not None:
                p.drawImage(0, 0, self._cache)
            if self.show_heat and self._heat is not None:
                p.setRenderHint(_SMOOTH)
                p.drawImage(QRectF(0, 0, w, h), self._heat)
            if self.show_points and self._points_img is not None:
                p.drawImage(0, 0, self._points_img)
            p.end()
            self._frame_state = state
            self._recompose = False
            self._dirty = None
        finally:
            if saved is not None:
                self.proj.s, self.proj.ox, self.proj.oy = saved

    def _blit(self, p: QPainter, image: QImage | None, at: tuple[float, float, float] | None) -> None:
        if image is None or at is None:
            return
        s0, ox0, oy0 = at
        if (s0, ox0, oy0) == self.proj.state():
            p.drawImage(0, 0, image)
            return
        f = self.proj.s / s0
        dx, dy = self.proj.ox - ox0 * f, self.proj.oy - oy0 * f
        if f == 1.0:  # a pan: whole-pixel offsets keep Qt on its plain copy path
            p.drawImage(QPointF(round(dx), round(dy)), image)
            return
        p.save()
        p.setTransform(QTransform_from(f, dx, dy), True)
        p.drawImage(0, 0, image)
        p.restore()

    def _splat(self, w: int, h: int) -> None:
        m = splat_margin(self.ui_scale)
        buf = self._points_buf
        if buf is None or buf.shape != (h + 2 * m, w + 2 * m):
            buf = self._points_buf = point_buffer(w, h, self.ui_scale)
        else:
            buf.fill(0)
        splat_points(buf, self.proj, self.points, self.point_palette, argb(self.colours["rim"]), self.ui_scale)
        self._points_img = QImage(buf.data, w + 2 * m, h + 2 * m, (w + 2 * m) * 4, _PREMUL).copy(m, m, w, h)
        self._points_state = self.proj.state()

    def _draw_overlays(self, p: QPainter, w: int, h: int) -> None:
        p.setRenderHint(_AA)
        tr = self.proj.transform()
        for index, colour, width in ((self.selected, self.colours["selected"], 3.0),
                                     (self.hover, self.colours["hover"], 2.0)):
            if 0 <= index < len(self.areas):
                pen = QPen(colour)
                pen.setWidthF(width * self.ui_scale)
                p.setPen(pen)
                p.setBrush(_NO_BRUSH)
                p.drawPath(tr.map(self.areas.paths[index]))
        if self.pulses:
            now = time.monotonic()
            for x, y, t in self.pulses:
                age = (now - t) % 1.5 / 1.5
                sx, sy = self.proj.to_screen(x, y)
                colour = QColor(255, 45, 45)
                colour.setAlphaF(max(0.0, 1.0 - age))
                pen = QPen(colour)
                k = self.ui_scale
                pen.setWidthF(3.0 * k)
                p.setPen(pen)
                p.setBrush(_NO_BRUSH)
                r = (6 + 26 * age) * k
                p.drawEllipse(QPointF(sx, sy), r, r)
                p.setPen(_NO_PEN)
                p.setBrush(QColor(255, 45, 45))
                p.drawEllipse(QPointF(sx, sy), 5 * k, 5 * k)
        self._draw_labels(p, w, h)
        self._draw_scale_bar(p, w, h)
        self._draw_legend(p, w, h)

    def set_scale(self, scale: float, text: float | None = None) -> None:
        """Size of points, lines and text: ``scale`` × (1080p sizes), e.g. 2 on a 4K wall; ``text``
        multiplies the text once more (a wall is read from across the room)."""
        self.ui_scale = max(0.5, float(scale))
        if text is not None:
            self.text_factor = float(text)
        self.invalidate()

    def _font(self, factor: float = 1.0) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, self.font().pointSizeF() * factor * self.ui_scale * self.text_factor))
        return font

    def _draw_labels(self, p: QPainter, w: int, h: int) -> None:
        if not self.labels:
            return
        font = self._font(0.85)
        font.setBold(True)
        p.setFont(font)
        fm = p.fontMetrics()
        halo, ink = self.colours["label_halo"], self.colours["text"]
        for x, y, text in self.labels:
            sx, sy = self.proj.to_screen(x, y)
            if not (0 <= sx <= w and 0 <= sy <= h):
                continue
            tw = fm.horizontalAdvance(text)
            at = QPointF(sx - tw / 2, sy + fm.ascent() / 2 - 1)
            p.setPen(halo)
            for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                p.drawText(at + QPointF(dx, dy), text)
            p.setPen(ink)
            p.drawText(at, text)

    def _draw_scale_bar(self, p: QPainter, w: int, h: int) -> None:
        km_per_px = self.proj.km_per_px()
        target = km_per_px * min(160, w / 4)
        nice = 10 ** math.floor(math.log10(target)) if target > 0 else 1
        for m in (5, 2, 1):
            if m * nice <= target:
                nice *= m
                break
        px = nice / km_per_px
        label = f"{nice:g} km" if nice >= 1 else f"{nice * 1000:g} m"
        k = self.ui_scale
        font = self._font(0.9)
        p.setFont(font)
        fm = p.fontMetrics()
        text_w = fm.horizontalAdvance(label)
        x0, y0 = 16.0 * k, h - 12.0 * k - fm.descent()
        p.setRenderHint(_AA)
        p.setPen(_NO_PEN)
        p.setBrush(self.colours["panel"])
        p.drawRoundedRect(QRectF(x0 - 8 * k, y0 - fm.ascent() - 6 * k, px + text_w + 24 * k,
                                 fm.height() + 12 * k), 4 * k, 4 * k)
        pen = QPen(self.colours["text"])
        pen.setWidthF(2.0 * k)
        p.setPen(pen)
        p.drawLine(QPointF(x0, y0), QPointF(x0 + px, y0))
        p.drawLine(QPointF(x0, y0 - 5 * k), QPointF(x0, y0))
        p.drawLine(QPointF(x0 + px, y0 - 5 * k), QPointF(x0 + px, y0))
        p.drawText(QPointF(x0 + px + 8 * k, y0), label)

    def _draw_legend(self, p: QPainter, w: int, h: int) -> None:
        if not self.legend:
            return
        font = self._font(0.9)
        p.setFont(font)
        fm = p.fontMetrics()
        row = fm.height() + 4
        k = self.ui_scale
        swatch = fm.height() * 0.9
        width = max([fm.horizontalAdvance(t) for _, t in self.legend] + [fm.horizontalAdvance(self.legend_title)]) \
            + swatch + 24 * k
        height = row * (len(self.legend) + 1) + 10 * k
        x0, y0 = w - width - 12.0 * k, h - height - 12.0 * k
        p.setPen(_NO_PEN)
        p.setBrush(self.colours["panel"])
        p.drawRoundedRect(QRectF(x0, y0, width, height), 4 * k, 4 * k)
        p.setPen(self.colours["text"])
        pad = 8 * k
        p.drawText(QRectF(x0 + pad, y0 + 4 * k, width - 2 * pad, row), _ALIGN_LEFT, self.legend_title)
        for i, (colour, text) in enumerate(self.legend):
            y = y0 + 4 * k + row * (i + 1)
            p.setPen(_NO_PEN)
            p.setBrush(colour)
            p.drawRect(QRectF(x0 + pad, y + (row - swatch) / 2, swatch, swatch))
            p.setPen(self.colours["text"])
            p.drawText(QRectF(x0 + 2 * pad + swatch, y, width - 3 * pad - swatch, row), _ALIGN_LEFT, text)

    def _pulse_tick(self) -> None:
        now = time.monotonic()
        self.pulses = [q for q in self.pulses if now - q[2] < 12.0]
        if not self.pulses:
            self._pulse_timer.stop()
        self.update()

    # ---- mouse -----------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.button() == _LEFT:
            self._drag = event.position()
            self._dragged = False

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        pos = event.position()
        if self._drag is not None:
            d = pos - self._drag
            if self._dragged or abs(d.x()) + abs(d.y()) > 4:
                self._dragged = True
                self._drag = pos
                self.pan(d.x(), d.y())
            return
        wx, wy = self.proj.to_world(pos.x(), pos.y())
        hit = self.areas.hit(wx, wy)
        if hit != self.hover:
            self.hover = hit
            code = self.areas.codes[hit] if hit >= 0 else ""
            self.hovered.emit(code)
            if code and self.describe is not None:
                QToolTip.showText(event.globalPosition().toPoint(), self.describe(code), self)
            else:
                QToolTip.hideText()
            self.update()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.button() != _LEFT or self._drag is None:
            return
        dragged, self._drag = self._dragged, None
        if dragged:
            return
        self.click_at(event.position())

    def click_at(self, pos: QPointF) -> None:
        """What a click at ``pos`` means: a case point first (within a few pixels), else an area."""
        if self.show_points:
            i = self.points.pick(self.proj, pos.x(), pos.y())
            if i >= 0:
                self.case_clicked.emit(self.points.ids[i])
                return
        hit = self.areas.hit(*self.proj.to_world(pos.x(), pos.y()))
        if hit >= 0:
            self.area_clicked.emit(self.areas.codes[hit])

    def leaveEvent(self, _event) -> None:  # noqa: N802 - Qt override
        if self.hover >= 0:
            self.hover = -1
            self.hovered.emit("")
            self.update()

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom(1.25 ** steps, event.position())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        old = event.oldSize()
        if old.width() <= 0 or old.height() <= 0:
            self.fit_home()
        else:
            self.proj.pan((self.width() - old.width()) / 2, (self.height() - old.height()) / 2)
        self._cache_state = None
        self._points_state = None
        self._frame_state = None
        self._heat = None


def QTransform_from(s: float, ox: float, oy: float):  # noqa: N802 - mirrors the Qt name
    from PySide6.QtGui import QTransform

    return QTransform(s, 0.0, 0.0, s, ox, oy)
