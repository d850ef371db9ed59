"""Wall render time: a full repaint of the 4K wall with live data, against a plain QLabel grid.

Runs the demo city (embedded hub + simulator, offscreen unless $QT_QPA_PLATFORM says
otherwise), opens the wall at 3840×2160 and, once it is live, measures ``window.grab()`` —
every widget of the window paints into one 3840×2160 pixmap (charts included), which is
what a person sees — in these states:

- ``cold repaint``: every cache dropped first (fitted fonts, panel and chart pictures,
  layouts): the first paint after start, a theme or a language change;
- ``live tick``: what the wall does every display tick (500 ms): the simulator runs for
  ``--tick-ms`` with the controller's timer held, then the controller refreshes (clock and
  whatever figures changed mark their panels stale) and the window is grabbed. Timed are
  ``refresh + repaint`` and the repaint alone; panels repainted per tick are counted;
- ``rotation``: the wall moves to the next node (every figure and title changes), then grabs;
  the map page, when the rotation reaches it, is reported on its own line;
- ``relayout + repaint``: every painted panel marked stale (boxes built again, fonts memoised);
- ``repaint, nothing changed``: a grab with every cache valid;
- ``data refresh``: the controller pulls every figure of the node on show (no painting);
- peer: a grid of plain QLabels holding the same texts in the same fonts, grabbed the same way.

``--plain`` paints without any cache (the reference and the before-figure, issue 20).
Prints mean and p95 in ms and the ratio to the peer. Not a test: it prints figures.

    python bench/wall_render.py [--frames 40] [--scale 0.1] [--size 3840x2160] [--tick-ms 500] [--plain]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench._common import machine_note, percentile  # noqa: E402


def timed(fn, frames: int) -> list[float]:
    out = []
    for _ in range(frames):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def line(name: str, samples: list[float], peer: float | None = None) -> str:
    mean = sum(samples) / len(samples)
    text = f"{name:<30} mean {mean * 1000:8.2f} ms   p95 {percentile(samples, 95) * 1000:8.2f} ms"
    if peer:
        text += f"   {mean / peer:5.1f}× the QLabel grid"
    return text


def label_grid(window, size):
    """The peer: the wall's texts in its fonts, as QLabels in a grid of the same size."""
    from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

    peer = QWidget()
    peer.setStyleSheet("background: #05080f; color: #f4f7fb;")
    grid = QGridLayout(peer)
    boxes = [box for widget in window.painted() if widget is not window.banner for box in widget.text_boxes()]
    columns = 8
    for i, box in enumerate(boxes):
        label = QLabel(box.text)
        label.setFont(box.font)
        grid.addWidget(label, i // columns, i % columns)
    peer.resize(*size)
    peer.show()
    return peer, len(boxes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=40)
    parser.add_argument("--scale", type=float, default=0.1, help="demo city size (1.0 ≈ 14,000 grids)")
    parser.add_argument("--size", default="3840x2160")
    parser.add_argument("--tick-ms", type=int, default=500, help="simulated time between live ticks")
    parser.add_argument("--plain", action="store_true", help="paint without caches (the reference)")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    if len(size) != 2 or min(size) < 100:
        raise SystemExit(f"--size must look like 3840x2160, got {args.size!r}")

    from PySide6.QtCore import QEventLoop, QTimer

    from desktop.app import application
    from desktop.demo import DemoCity
    from desktop.wall.launch import open_wall
    from widgets.wall import paint

    paint.CACHED = not args.plain

    app = application("en", "dark")
    demo = DemoCity(scale=args.scale, prefill_hours=12, speed=60).start()
    workdir = Path(tempfile.mkdtemp(prefix="wall-bench-"))
    wall = open_wall(demo.url, demo.token("wall", "3702"), show=False, full_screen=False,
                     outbox_path=workdir / "outbox.db")
    try:
        window, ctl = wall.window, wall.controller
        window.resize(*size)
        window.show()
        deadline = time.monotonic() + 120
        while not (wall.client.replica.ready and wall.client.state.state.value == "live"):
            if time.monotonic() > deadline:
                raise SystemExit("the wall did not go live within 120 s")
            loop = QEventLoop()
            QTimer.singleShot(50, loop.quit)
            loop.exec()
        ctl.refresh(force=True)
        window.grab()  # warm up: fonts, glyph caches, pyqtgraph items
        cases = len(wall.client.replica)
        charts = (window.hourly, window.categories)

        def drop_all():
            paint.clear_memos()
            for widget in window.painted():
                widget.drop_caches()
            for chart in charts:
                chart.drop_caches()

        def relayout_and_grab():
            for widget in window.painted():
                widget.stale()
            window.grab()

        def refresh():
            ctl.refresh(force=True)

        def rendered() -> int:
            return sum(w.frames_rendered for w in window.painted()) + sum(c.frames_rendered for c in charts)

        cold = []
        for _ in range(args.frames):
            drop_all()
            cold += timed(window.grab, 1)
        ctl.timer.stop()  # the ticks are driven here, so each one is measured
        tick, tick_paint, before = [], [], rendered()
        for _ in range(args.frames):
            loop = QEventLoop()
            QTimer.singleShot(args.tick_ms, loop.quit)
            loop.exec()
            start = time.perf_counter()
            ctl.refresh()
            painted = time.perf_counter()
            window.grab()
            end = time.perf_counter()
            tick.append(end - start)
            tick_paint.append(end - painted)
        per_tick = (rendered() - before) / args.frames
        rotation: list[float] = []
        map_page: list[float] = []
        for _ in range(args.frames):
            ctl.rotate()
            (map_page if ctl.on_map else rotation).extend(timed(window.grab, 1))
        while ctl.page != 0:  # back to the city's page, where the other figures are taken
            ctl.rotate()
        ctl.timer.start()
        repaint = timed(window.grab, args.frames)
        relayout = timed(relayout_and_grab, args.frames)
        data = timed(refresh, args.frames)
        peer, texts = label_grid(window, size)
        peer.grab()
        peer_times = timed(peer.grab, args.frames)
        peer_mean = sum(peer_times) / len(peer_times)
        print(f"wall {size[0]}×{size[1]} ({window.mode}, scale {window.scale:g}), {cases:,} cases held, "
              f"{texts} text boxes, {args.frames} frames, {'plain (no caches)' if args.plain else 'cached'}; "
              f"{machine_note()}")
        print(line("cold repaint (caches dropped)", cold, peer_mean))
        print(line("live tick: refresh + repaint", tick, peer_mean))
        print(line("live tick: repaint", tick_paint, peer_mean)
              + f"   ({per_tick:.1f} of 8 panels repainted per tick)")
        print(line("rotation: next node, repaint", rotation, peer_mean))
        if map_page:
            print(line("rotation: the map page", map_page, peer_mean))
        print(line("relayout + repaint", relayout, peer_mean))
        print(line("repaint, nothing changed", repaint, peer_mean))
        print(line("data refresh (no paint)", data))
        print(line("peer: QLabel grid (grab)", peer_times))
        peer.close()
    finally:
        wall.close()
        demo.stop()
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
