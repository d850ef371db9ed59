"""Map render time: the full-size city's 14,000 grid outlines and 100,000 case points, offscreen.

Builds the demo city at scale 1.0, simplifies the grid outlines as the hub sends them
(``geometry`` at grid level), draws 100,000 open cases inside random grids, and measures
at each size (default 1920×1080 and 3840×2160), painting into a QImage:

- ``pan/zoom frame``: one frame while the view moves (alternating pans and wheel zooms): the
  cached area image moved/scaled, the case points splatted anew, overlays;
- ``settled frame``: the frame after the view stops moving (the area image redrawn for the new
  view, then the frame);
- ``recolour 500 events``: 500 areas get new values → classes → only changed areas repainted
  onto the cached image, plus the next frame;
- memory: RSS growth for building the view with its data (geometry, points, image caches);
- peer, same data: one QGraphicsPolygonItem per grid and one QGraphicsEllipseItem per case in
  a QGraphicsScene (BSP index), rendered through the same view rectangles; recolour = setBrush
  on 500 items and a frame.

Prints mean and p95 in ms and the peer ratio. Not a test: it prints figures.

    python bench/map_render.py [--frames 60] [--peer-frames 8] [--points 100000] [--sizes 1920x1080,3840x2160]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench._common import machine_note, percentile, rss_bytes  # noqa: E402


def stats(samples: list[float]) -> tuple[float, float]:
    return sum(samples) / len(samples) * 1000, percentile(samples, 95) * 1000


def line(name: str, samples: list[float], peer: list[float] | None = None) -> str:
    mean, p95 = stats(samples)
    text = f"  {name:<26} mean {mean:8.2f} ms   p95 {p95:8.2f} ms"
    if peer:
        pm, pp = stats(peer)
        text += f"   | peer mean {pm:9.2f} ms  p95 {pp:9.2f} ms   peer/ours p95 {pp / p95:6.1f}×"
    return text


def build_data(n_points: int, seed: int = 1):
    from backend.city import generate_city
    from backend.city.spatial import DEFAULT_TOLERANCE, outlines, random_point_in, to_geom
    from domain.hierarchy import Level

    t = time.perf_counter()
    city = generate_city()
    grids = [n for n in city.nodes if n.level == Level.GRID]
    districts = [n for n in city.nodes if n.level == Level.DISTRICT]
    grid_outlines = outlines(grids, DEFAULT_TOLERANCE[int(Level.GRID)])
    base = outlines(districts, DEFAULT_TOLERANCE[int(Level.DISTRICT)])
    rng = random.Random(seed)
    geoms = [to_geom(g.geometry or {}) for g in grids]
    lon, lat = [], []
    for _ in range(n_points):
        x, y = random_point_in(geoms[rng.randrange(len(geoms))], rng)
        lon.append(x)
        lat.append(y)
    print(f"data: {len(grid_outlines)} grid outlines ({sum(len(r) for _, rs in grid_outlines for r in rs) // 2} "
          f"vertices), {n_points} case points, built in {time.perf_counter() - t:.1f} s")
    return grid_outlines, base, lon, lat


def bench_ours(size, grid_outlines, base, lon, lat, frames: int):
    import numpy as np
    from PySide6.QtGui import QImage, QPainter

    from widgets.map.classes import Classifier, point_palette
    from widgets.map.view import MapView

    rss0 = rss_bytes(os.getpid())
    view = MapView()
    view.resize(*size)
    view.set_base(base)
    view.set_areas(grid_outlines)
    rng = np.random.default_rng(3)
    values = rng.poisson(3.0, len(grid_outlines)).astype(float)
    classifier = Classifier("open")
    view.set_classes(classifier.classify(values), classifier.colours(), classifier.legend(), "open")
    n = len(lon)
    view.set_points([f"c{i}" for i in range(n)], np.array(lon), np.array(lat), rng.integers(0, 4, n),
                    rng.choice(3, n, p=[0.8, 0.15, 0.05]), point_palette())
    view.fit_home()
    image = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)

    def frame():
        p = QPainter(image)
        view.paint_frame(p)
        p.end()

    frame()  # first frame draws the area cache
    rss1 = rss_bytes(os.getpid())
    moving, settled = [], []
    for i in range(frames):
        if i % 3 == 2:
            view.zoom(1.15 if (i // 3) % 2 == 0 else 1 / 1.15)
        else:
            view.pan(23 if i % 2 else -17, -11 if i % 4 < 2 else 13)
        t = time.perf_counter()
        frame()
        moving.append(time.perf_counter() - t)
        if i % 6 == 5:  # the view stops: the next frame redraws the area image
            view._settle.stop()
            t = time.perf_counter()
            frame()
            settled.append(time.perf_counter() - t)
    view._settle.stop()
    frame()
    recolour = []
    for _ in range(max(8, frames // 4)):
        touched = rng.choice(len(values), 500, replace=False)
        values[touched] = rng.poisson(3.0, 500)
        t = time.perf_counter()
        view.set_classes(classifier.classify(values), classifier.colours())
        frame()
        recolour.append(time.perf_counter() - t)
    return view, moving, settled, recolour, rss1 - rss0, view.memory()


def bench_peer(size, grid_outlines, lon, lat, frames: int, view_state):
    import numpy as np
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen, QPolygonF
    from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsPolygonItem, QGraphicsScene

    from widgets.map.classes import COUNT_COLOURS, SLA_COLOURS
    from widgets.map.layers import Projection

    rss0 = rss_bytes(os.getpid())
    proj = Projection()
    k = proj.k
    scene = QGraphicsScene()
    brushes = [QBrush(QColor(c)) for c in COUNT_COLOURS]
    pen = QPen(QColor("#ffffff"))
    pen.setCosmetic(True)
    rng = np.random.default_rng(3)
    items = []
    for _, rings in grid_outlines:
        for ring in rings[:1]:
            a = np.asarray(ring).reshape(-1, 2)
            item = QGraphicsPolygonItem(QPolygonF([QPointF(x * k, -y) for x, y in a.tolist()]))
            item.setBrush(brushes[int(rng.integers(0, 5))])
            item.setPen(pen)
            scene.addItem(item)
            items.append(item)
    dot_brushes = [QBrush(QColor(c)) for c in SLA_COLOURS]
    no_pen = QPen(Qt.PenStyle.NoPen)
    r = 0.0004
    for x, y in zip(lon, lat, strict=True):
        dot = QGraphicsEllipseItem(x * k - r, -y - r, 2 * r, 2 * r)
        dot.setBrush(dot_brushes[int(rng.integers(0, 4))])
        dot.setPen(no_pen)
        scene.addItem(dot)
    image = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
    s, ox, oy = view_state

    def frame(s, ox, oy):
        source = QRectF(-ox / s, -oy / s, size[0] / s, size[1] / s)
        image.fill(0xFFDFE9F2)
        p = QPainter(image)
        scene.render(p, QRectF(0, 0, size[0], size[1]), source, Qt.AspectRatioMode.IgnoreAspectRatio)
        p.end()

    frame(s, ox, oy)
    rss1 = rss_bytes(os.getpid())
    moving = []
    for i in range(frames):
        if i % 3 == 2:
            f = 1.15 if (i // 3) % 2 == 0 else 1 / 1.15
            cx, cy = size[0] / 2, size[1] / 2
            wx, wy = (cx - ox) / s, (cy - oy) / s
            s *= f
            ox, oy = cx - wx * s, cy - wy * s
        else:
            ox += 23 if i % 2 else -17
            oy += -11 if i % 4 < 2 else 13
        t = time.perf_counter()
        frame(s, ox, oy)
        moving.append(time.perf_counter() - t)
    recolour = []
    for _ in range(max(3, frames // 3)):
        touched = rng.choice(len(items), 500, replace=False)
        t = time.perf_counter()
        for i in touched.tolist():
            items[i].setBrush(brushes[int(rng.integers(0, 5))])
        frame(s, ox, oy)
        recolour.append(time.perf_counter() - t)
    return moving, recolour, rss1 - rss0, scene


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--peer-frames", type=int, default=8)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--sizes", default="1920x1080,3840x2160")
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()
    sizes = [tuple(int(v) for v in s.lower().split("x")) for s in args.sizes.split(",")]

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - keeps Qt alive
    print(machine_note())
    grid_outlines, base, lon, lat = build_data(args.points)
    for size in sizes:
        print(f"\n{size[0]}×{size[1]}: {len(grid_outlines)} grid outlines at city level, {len(lon)} case points")
        view, moving, settled, recolour, mem, parts = bench_ours(size, grid_outlines, base, lon, lat, args.frames)
        peer_moving = peer_recolour = None
        peer_mem = 0
        if not args.no_peer:
            peer_moving, peer_recolour, peer_mem, scene = bench_peer(size, grid_outlines, lon, lat,
                                                                      args.peer_frames, view.proj.state())
            del scene
        print(line("pan/zoom frame", moving, peer_moving))
        print(line("settled frame (redraw)", settled))
        print(line("recolour 500 + frame", recolour, peer_recolour))
        print(f"  memory (RSS growth)        ours {mem / 2**20:7.1f} MiB" +
              (f"   peer {peer_mem / 2**20:7.1f} MiB" if not args.no_peer else ""))
        print("  view's own memory          " + ", ".join(f"{k} {v / 2**20:.1f} MiB" for k, v in parts.items()) +
              f" (total {sum(parts.values()) / 2**20:.1f} MiB)")
        del view
    return 0


if __name__ == "__main__":
    sys.exit(main())
