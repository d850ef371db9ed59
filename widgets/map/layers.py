"""What the map draws, kept apart from the widget: areas, case points, heat, and the view transform.

World coordinates are equirectangular degrees: x = lon · cos(φ0), y = −lat, so one scale
holds in both directions at the city's latitude φ0 and north is up. Screen = world · s + o.

* :class:`AreaLayer`: one QPainterPath per area (built once from the hub's outlines), its
  value class, and per-class fill paths rebuilt lazily; recolouring changes classes only.
* :class:`PointLayer`: case positions and colour classes in numpy arrays, splatted straight
  into an ARGB32 buffer (no item, no path per case).
* :func:`heat_image`: a blurred density of the points, coloured, as a small QImage to scale up.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainterPath, QPolygonF, QTransform

EARTH_KM_PER_DEG = math.pi * 6371.0088 / 180.0
DEFAULT_LAT0 = 36.3  # Qingdao


class Projection:
    """lon/lat ↔ world ↔ screen, with the view's scale ``s`` (px per world degree) and offset."""

    def __init__(self, lat0: float = DEFAULT_LAT0) -> None:
        self.k = math.cos(math.radians(lat0))
        self.s = 100.0
        self.ox = 0.0
        self.oy = 0.0

    def world(self, lon, lat):
        return lon * self.k, -lat

    def lonlat(self, wx: float, wy: float) -> tuple[float, float]:
        return wx / self.k, -wy

    def to_screen(self, wx, wy):
        return wx * self.s + self.ox, wy * self.s + self.oy

    def to_world(self, sx: float, sy: float) -> tuple[float, float]:
        return (sx - self.ox) / self.s, (sy - self.oy) / self.s

    def transform(self) -> QTransform:
        return QTransform(self.s, 0.0, 0.0, self.s, self.ox, self.oy)

    def state(self) -> tuple[float, float, float]:
        return self.s, self.ox, self.oy

    def fit(self, rect: QRectF, width: int, height: int, margin: float = 0.06) -> None:
        """Show world ``rect`` whole and centred in a ``width`` × ``height`` view."""
        if rect.isEmpty() or width <= 0 or height <= 0:
            return
        w, h = width * (1 - 2 * margin), height * (1 - 2 * margin)
        self.s = min(w / max(rect.width(), 1e-9), h / max(rect.height(), 1e-9))
        c = rect.center()
        self.ox = width / 2 - c.x() * self.s
        self.oy = height / 2 - c.y() * self.s

    def zoom_at(self, factor: float, sx: float, sy: float) -> None:
        wx, wy = self.to_world(sx, sy)
        self.s = min(max(self.s * factor, 20.0), 5e6)
        self.ox = sx - wx * self.s
        self.oy = sy - wy * self.s

    def pan(self, dx: float, dy: float) -> None:
        self.ox += dx
        self.oy += dy

    def km_per_px(self) -> float:
        return EARTH_KM_PER_DEG / self.s


def ring_polygon(flat: list[float], k: float) -> QPolygonF:
    a = np.asarray(flat, dtype=float).reshape(-1, 2)
    return QPolygonF([QPointF(x * k, -y) for x, y in a.tolist()])


class AreaLayer:
    """Areas (one level's outlines), their value classes and the paths to draw them."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.paths: list[QPainterPath] = []
        self.boxes = np.zeros((0, 4))  # world x0, y0, x1, y1
        self.classes = np.zeros(0, dtype=np.int16)  # -1: no value
        self.outline = QPainterPath()
        self.bounds = QRectF()
        self._class_paths: dict[int, QPainterPath] | None = None
        self.index: dict[str, int] = {}

    def set_areas(self, outlines: list[tuple[str, list[list[float]]]], k: float) -> None:
        self.codes = [code for code, _ in outlines]
        self.index = {code: i for i, code in enumerate(self.codes)}
        self.paths = []
        boxes = []
        outline = QPainterPath()
        for _, rings in outlines:
            path = QPainterPath()
            for ring in rings:
                path.addPolygon(ring_polygon(ring, k))
                path.closeSubpath()
            self.paths.append(path)
            outline.addPath(path)
            r = path.boundingRect()
            boxes.append((r.left(), r.top(), r.right(), r.bottom()))
        self.outline = outline
        self.bounds = outline.boundingRect()
        self.boxes = np.array(boxes, dtype=float).reshape(-1, 4)
        self.classes = np.full(len(self.codes), -1, dtype=np.int16)
        self._class_paths = None

    def __len__(self) -> int:
        return len(self.codes)

    def set_classes(self, classes: np.ndarray) -> np.ndarray:
        """New class per area; returns the indexes whose class changed."""
        classes = np.asarray(classes, dtype=np.int16)
        changed = np.flatnonzero(classes != self.classes) if len(classes) == len(self.classes) else \
            np.arange(len(classes))
        if changed.size:
            self.classes = classes.copy()
            self._class_paths = None
        return changed

    def class_paths(self) -> dict[int, QPainterPath]:
        """One fill path per class (rebuilt only after classes changed)."""
        if self._class_paths is None:
            out: dict[int, QPainterPath] = {}
            for i in np.argsort(self.classes, kind="stable").tolist():
                c = int(self.classes[i])
                path = out.get(c)
                if path is None:
                    path = out[c] = QPainterPath()
                path.addPath(self.paths[i])
            self._class_paths = out
        return self._class_paths

    def hit(self, wx: float, wy: float) -> int:
        """The area at world (wx, wy), or −1."""
        if not len(self.codes):
            return -1
        b = self.boxes
        cand = np.flatnonzero((b[:, 0] <= wx) & (b[:, 2] >= wx) & (b[:, 1] <= wy) & (b[:, 3] >= wy))
        point = QPointF(wx, wy)
        for i in cand.tolist():
            if self.paths[i].contains(point):
                return i
        return -1


class PointLayer:
    """Case positions (world coords) with ids and colour classes, for splatting and picking."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.x = np.zeros(0)
        self.y = np.zeros(0)
        self.cls = np.zeros(0, dtype=np.int16)
        self.size = np.zeros(0, dtype=np.int8)  # radius class: 0 normal, 1 urgent, 2 critical

    def set_points(self, ids: list[str], x: np.ndarray, y: np.ndarray, cls: np.ndarray, size: np.ndarray) -> None:
        self.ids = list(ids)
        self.x, self.y = np.asarray(x, float), np.asarray(y, float)
        self.cls = np.asarray(cls, np.int16)
        self.size = np.asarray(size, np.int8)

    def __len__(self) -> int:
        return len(self.ids)

    def pick(self, proj: Projection, sx: float, sy: float, radius: float = 7.0) -> int:
        if not len(self.ids):
            return -1
        px, py = proj.to_screen(self.x, self.y)
        d2 = (px - sx) ** 2 + (py - sy) ** 2
        i = int(np.argmin(d2))
        return i if d2[i] <= radius * radius else -1


# Footprints per size class (normal, urgent, critical): (fill radius, rim radius or 0 for none).
FOOTPRINTS = ((1.5, 0.0), (2.2, 3.0), (3.2, 4.3))
#: Margin (px) around the point buffer, so stamps need no bounds checks.
SPLAT_MARGIN = 12


def _disk(r: float) -> tuple[np.ndarray, np.ndarray]:
    n = int(math.ceil(r))
    dy, dx = np.mgrid[-n:n + 1, -n:n + 1]
    keep = dx * dx + dy * dy <= r * r
    return dx[keep].ravel(), dy[keep].ravel()


@functools.lru_cache(maxsize=8)
def _stamps(scale: float):
    return [(_disk(fill * scale), _disk(rim * scale) if rim else None) for fill, rim in FOOTPRINTS]


def splat_margin(scale: float = 1.0) -> int:
    """Pixels around the view that the widest stamp at ``scale`` may reach, and then some."""
    return max(SPLAT_MARGIN, 2 * int(math.ceil(FOOTPRINTS[-1][1] * scale)) + 2)


def point_buffer(width: int, height: int, scale: float = 1.0) -> np.ndarray:
    """A cleared ARGB buffer for :func:`splat_points`: the view plus ``splat_margin`` on every side."""
    m = splat_margin(scale)
    return np.zeros((height + 2 * m, width + 2 * m), dtype=np.uint32)


def splat_points(buf: np.ndarray, proj: Projection, layer: PointLayer, palette: np.ndarray,
                 rim_colour: int = 0xFF202020, scale: float = 1.0) -> None:
    """Draw ``layer``'s points into ``buf`` (from :func:`point_buffer`), urgent and critical cases
    bigger and rimmed, critical on top; ``palette`` maps class → ARGB. Each size class is one
    vectorised scatter of (points × footprint) flat indexes; nothing loops per point."""
    if not len(layer):
        return
    m = splat_margin(scale)
    reach = int(math.ceil(FOOTPRINTS[-1][1] * scale))
    hb, wb = buf.shape
    sx, sy = proj.to_screen(layer.x, layer.y)
    sx = np.rint(sx).astype(np.int64) + m
    sy = np.rint(sy).astype(np.int64) + m
    on = (sx >= reach) & (sx < wb - reach) & (sy >= reach) & (sy < hb - reach)
    stamps = _stamps(round(scale, 2))
    flat = buf.reshape(-1)
    for size in (0, 1, 2):
        sel = np.flatnonzero(on & (layer.size == size))
        if not sel.size:
            continue
        base = sy[sel] * wb + sx[sel]
        (fdx, fdy), rim = stamps[size]
        if rim is not None:
            rdx, rdy = rim
            flat[(base[:, None] + (rdy * wb + rdx)[None, :]).ravel()] = rim_colour
        colours = palette[layer.cls[sel]]
        offsets = fdy * wb + fdx
        flat[(base[:, None] + offsets[None, :]).ravel()] = np.repeat(colours, len(offsets))


HEAT_STOPS = [(0.0, (255, 255, 178, 0)), (0.25, (254, 204, 92, 120)), (0.5, (253, 141, 60, 170)),
              (0.75, (240, 59, 32, 200)), (1.0, (189, 0, 38, 225))]


def _heat_lut() -> np.ndarray:
    xs = np.linspace(0, 1, 256)
    lut = np.zeros((256, 4))
    stops = HEAT_STOPS
    for c in range(4):
        lut[:, c] = np.interp(xs, [s for s, _ in stops], [col[c] for _, col in stops])
    a = lut[:, 3] / 255.0  # premultiplied ARGB32
    r, g, b = (lut[:, 0] * a).astype(np.uint32), (lut[:, 1] * a).astype(np.uint32), (lut[:, 2] * a).astype(np.uint32)
    return (lut[:, 3].astype(np.uint32) << 24) | (r << 16) | (g << 8) | b


_HEAT_LUT = _heat_lut()


def _box_blur(a: np.ndarray, r: int, axis: int) -> np.ndarray:
    c = np.cumsum(np.pad(a, [(r + 1, r) if ax == axis else (0, 0) for ax in range(2)]), axis=axis)
    hi = np.take(c, np.arange(2 * r + 1, c.shape[axis]), axis=axis)
    lo = np.take(c, np.arange(0, c.shape[axis] - 2 * r - 1), axis=axis)
    return (hi - lo) / (2 * r + 1)


def heat_image(proj: Projection, layer: PointLayer, width: int, height: int, cell: int = 4,
               radius_px: float = 18.0) -> QImage | None:
    """The points' density on a grid of ``cell``-pixel cells, blurred (three box passes ≈ Gaussian)
    and coloured; a small premultiplied QImage to draw scaled over the view."""
    if not len(layer):
        return None
    gw, gh = max(1, width // cell), max(1, height // cell)
    sx, sy = proj.to_screen(layer.x, layer.y)
    gx = (sx / cell).astype(np.int64)
    gy = (sy / cell).astype(np.int64)
    ok = (gx >= 0) & (gx < gw) & (gy >= 0) & (gy < gh)
    counts = np.bincount(gy[ok] * gw + gx[ok], minlength=gw * gh).astype(float).reshape(gh, gw)
    r = max(1, int(radius_px / cell / 2))
    for _ in range(3):
        counts = _box_blur(_box_blur(counts, r, 0), r, 1)
    top = counts.max()
    if top <= 0:
        return None
    level = np.sqrt(counts / top)  # keep sparse places visible
    argb = _HEAT_LUT[np.clip((level * 255).astype(np.int32), 0, 255)]
    argb[counts < top * 1e-3] = 0
    argb = np.ascontiguousarray(argb.astype(np.uint32))
    image = QImage(argb.data, gw, gh, gw * 4, QImage.Format.Format_ARGB32_Premultiplied)
    return image.copy()  # own the pixels


def argb(colour: QColor | str) -> int:
    c = QColor(colour)
    return (c.alpha() << 24) | (c.red() << 16) | (c.green() << 8) | c.blue()
