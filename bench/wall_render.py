"""Wall render time: a full repaint of the 4K wall with live data, against a plain QLabel grid.

Runs the demo city (embedded hub + simulator, offscreen unless $QT_QPA_PLATFORM says
otherwise) live from a fixed simulated hour (``--sim-hour``, 10:00 CST: the city reports by
the hour, so runs at different times of day are comparable), opens the wall at 3840×2160
and, once it is live, measures ``window.grab()`` —
every widget of the window paints into one 3840×2160 pixmap (charts included), which is
what a person sees — in these states:

- ``cold repaint``: every cache dropped first (fitted fonts, text pictures, panel and chart
  pictures, layouts): the first paint after start, a new size or scale;
- ``live tick``: what the wall does every display tick (500 ms): the simulator runs for
  ``--tick-ms`` with the controller's timer held, then the controller refreshes (the clock
  and whatever figures changed mark their panels stale) and the window is grabbed;
  ``refresh + repaint`` is timed too, and the panels repainted per tick are counted;
- ``rotation``: the wall moves to the next node (every figure and title changes), then
  grabs (the map page is passed over here);
- ``the map page``: the wall leaves the map page and comes back to it (its figure flips,
  as on each visit of the rotation), then grabs; four visits with the caches, then four
  with ``paint.CACHED = False`` (the map drawn as the shared view draws it), the last two of
  each four timed (a block's first visits find what the other mode left);
- ``relayout + repaint``: every painted panel marked stale (boxes built again);
- ``repaint, nothing changed``: a grab with every cache valid;
- ``data refresh``: the controller pulls every figure of the node on show (no painting).

Each figure is taken three ways *in the same frame*, one right after the other, so load
swings hit all three alike: through the caches, ``plain`` (``paint.CACHED = False``: every
box and chart drawn in place, what the wall did before issue 20), and the peer — a grid of
plain QLabels holding the same texts in the same fonts, grabbed the same way. Prints mean
and p95 in ms and the ratio of the means to the peer's. A panel painted whole paints in
place and makes its picture when the event loop is next idle: after each cold and rotation
sample the event loop runs once and the time spent making pictures is printed too (it is
not part of the repaint, but it is work the wall does). For the live tick, the time spent
in the panels' own painting is split from the rest of the grab (allocating, filling and
copying the 3840×2160 pixmap, Qt's widget walk), which the QLabel grid pays alike.
Not a test: it prints figures.

    python bench/wall_render.py [--frames 40] [--scale 0.1] [--size 3840x2160] [--tick-ms 500] [--clock cpu]
                                [--sim-hour 10]
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

#: The simulated hour (CST) the live ticks start at. The city reports by an hourly rhythm
#: (backend.sim.mix.HOURLY_PROFILE), so a run that took the hour of the day it ran at measured
#: another wall: the same code, live ticks mean / p95, 8.1–9.3 / 13.7–17.3 ms in three runs
#: started near 12:20 CST, 10.1–10.5 / 21.3–23.0 ms in two near 13:35. A fixed hour makes runs
#: comparable; 10:00 is the morning peak.
SIM_HOUR = 10.0


#: What a figure is timed with: wall time (what a viewer waits), or with ``--clock cpu`` the
#: CPU time of the GUI thread (what the paint itself costs, steadier on a shared, loaded machine).
clock = time.perf_counter


def timed(fn, frames: int) -> list[float]:
    out = []
    for _ in range(frames):
        start = clock()
        fn()
        out.append(clock() - start)
    return out


def mean(samples: list[float]) -> float:
    return sum(samples) / len(samples)


def figure(samples: list[float]) -> str:
    return f"{mean(samples) * 1000:7.1f} / {percentile(samples, 95) * 1000:6.1f}"


def row(name: str, cached: list[float], plain: list[float] | None = None, peer: list[float] | None = None) -> str:
    """One line: cached, plain and peer as mean / p95 ms, then cached and plain ÷ the peer."""
    text = f"{name:<30} {figure(cached):>16}"
    if plain is not None and peer is not None:
        ratios = f"{mean(cached) / mean(peer):4.2f}× {mean(plain) / mean(peer):5.2f}×"
        text += f" {figure(plain):>16} {figure(peer):>16}   {ratios}"
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
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="time figures by the wall clock or by the GUI thread's CPU time")
    parser.add_argument("--sim-hour", type=float, default=SIM_HOUR,
                        help="the simulated hour of today (CST) the live ticks start at; the prefill ends there")
    args = parser.parse_args()
    global clock
    clock = time.thread_time if args.clock == "cpu" else time.perf_counter
    size = tuple(int(v) for v in args.size.lower().split("x"))
    if len(size) != 2 or min(size) < 100:
        raise SystemExit(f"--size must look like 3840x2160, got {args.size!r}")

    from PySide6.QtCore import QEventLoop, QTimer

    from backend.embedded import DemoCity
    from desktop.app import application
    from desktop.wall.launch import open_wall
    from widgets.wall import blits, paint

    app = application("en", "dark")
    from domain.calendar import hour_today

    sim_start = hour_today(args.sim_hour, time.time())
    demo = DemoCity(scale=args.scale, prefill_hours=12, speed=60, sim_start=sim_start).start()
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
        peer, texts = label_grid(window, size)
        peer.grab()

        def drop_all():
            blits.PICTURES.clear()
            paint.clear_memos()
            for widget in window.painted():
                widget.drop_caches()
            for chart in charts:
                chart.drop_caches()


        def idle_spent() -> float:
            return sum(getattr(w, "idle_seconds", 0.0) for w in (*window.painted(), *charts))  # 0 before round 4

        def idle(into: list[float]) -> None:
            """Run the event loop once: the pictures left by whole paints are made now."""
            before = idle_spent()
            app.processEvents()
            into.append(idle_spent() - before)

        in_panels = [0.0]

        def timing(cls, name: str) -> None:
            """Count the time spent in the panels' own painting (the rest of a grab is Qt's)."""
            original = getattr(cls, name)

            def wrapped(self, *args, **kwargs):
                start = clock()
                try:
                    return original(self, *args, **kwargs)
                finally:
                    in_panels[0] += clock() - start
            setattr(cls, name, wrapped)

        from widgets.wall import charts as wall_charts

        timing(paint.BoxWidget, "frame")
        timing(paint.BoxWidget, "paint_plain")
        timing(wall_charts._WallChart, "picture")

        panel_time: dict[bool, float] = {}

        def grab(cached: bool) -> float:
            paint.CACHED = cached
            spent = in_panels[0]
            start = clock()
            window.grab()
            took = clock() - start
            panel_time[cached] = in_panels[0] - spent
            paint.CACHED = True
            return took

        def rendered() -> int:
            return sum(w.frames_rendered for w in window.painted()) + sum(c.frames_rendered for c in charts)

        def three(into: dict, before=None) -> None:
            """The cached grab, the plain grab and the peer's, each after ``before()`` if given.
            Cached and plain take turns going first, figure by figure: the first grab after a
            change also pays for what both share (pyqtgraph's layout, the map's picture)."""
            order = (("cached", True), ("plain", False))
            for key, cached in order if len(into["peer"]) % 2 == 0 else order[::-1]:
                if before is not None:
                    before()
                into[key].append(grab(cached))
            into["peer"] += timed(peer.grab, 1)

        figures: dict[str, dict[str, list[float]]] = {
            name: {"cached": [], "plain": [], "peer": []}
            for name in ("cold", "tick", "rotation", "map", "relayout", "still")}
        tick_total: list[float] = []
        idle_after: dict[str, list[float]] = {"cold": [], "rotation": [], "map": []}
        tick_panels: list[float] = []
        for _ in range(args.frames):
            three(figures["cold"], drop_all)
            idle(idle_after["cold"])
        ctl.timer.stop()  # the ticks are driven here, so each one is measured
        counted = rendered()
        for _ in range(args.frames):
            loop = QEventLoop()
            QTimer.singleShot(args.tick_ms, loop.quit)
            loop.exec()
            start = clock()
            ctl.refresh()
            refreshed = clock() - start
            three(figures["tick"])
            tick_panels.append(panel_time[True])
            tick_total.append(refreshed + figures["tick"]["cached"][-1])
        per_tick = (rendered() - counted) / args.frames
        for _ in range(args.frames):
            ctl.rotate()
            if ctl.on_map:
                ctl.rotate()
            three(figures["rotation"])
            idle(idle_after["rotation"])
        if ctl.map_page:
            ctl.show_map()  # the first visit ever lays the map out and fits it: once per start
            window.grab()
            app.processEvents()
            for i in range(max(4, args.frames // 4)):
                order = (True, False) if i % 2 == 0 else (False, True)
                for cached in order:  # four visits each way, the last two timed (both figures)
                    paint.CACHED = cached
                    try:
                        for visit in range(4):
                            if ctl.on_map:
                                ctl.rotate(-1)  # off the map; coming back flips its figure
                                app.processEvents()
                            ctl.show_map()
                            took = grab(cached)
                            paint.CACHED = True
                            idle(idle_after["map"])
                            paint.CACHED = cached
                            if visit >= 2:
                                figures["map"]["cached" if cached else "plain"].append(took)
                    finally:
                        paint.CACHED = True
                figures["map"]["peer"] += timed(peer.grab, 2)
        while ctl.page != 0:  # back to the city's page, where the other figures are taken
            ctl.rotate()
        ctl.timer.start()
        def stale_all() -> None:
            for widget in window.painted():
                widget.stale()

        app.processEvents()
        for _ in range(args.frames):
            three(figures["relayout"], stale_all)
            app.processEvents()  # as the wall's event loop runs between two repaints
        for _ in range(args.frames):
            three(figures["still"])
            app.processEvents()
        data = timed(lambda: ctl.refresh(force=True), args.frames)
        print(f"wall {size[0]}×{size[1]} ({window.mode}, scale {window.scale:g}), live from "
              f"{time.strftime('%H:%M', time.gmtime(sim_start + 8 * 3600))} CST (simulated), {cases:,} cases held, "
              f"{texts} text boxes, {args.frames} frames, {args.clock} time; {machine_note()}")
        print(f"{'ms, mean / p95':<30} {'cached':>16} {'plain (before)':>16} {'QLabel grid':>16}   "
              f"cached, plain ÷ grid")
        names = {"cold": "cold repaint (caches dropped)", "tick": "live tick: repaint",
                 "rotation": "rotation: next node, repaint", "map": "rotation: to the map page",
                 "relayout": "relayout + repaint", "still": "repaint, nothing changed"}
        for key, name in names.items():
            f = figures[key]
            if f["cached"]:
                print(row(name, f["cached"], f["plain"], f["peer"]))
        print(row("live tick: refresh + repaint", tick_total) + f"   ({per_tick:.1f} of 8 panels repainted per tick)")
        rest = [grabbed - spent for grabbed, spent in zip(figures["tick"]["cached"], tick_panels, strict=True)]
        print(row("live tick: in the panels", tick_panels) + "   (the panels' own painting, cached grab)")
        print(row("live tick: rest of the grab", rest) + "   (the same grab's other work: the pixmap, Qt)")
        for key, spent in idle_after.items():
            if spent:
                print(row(f"pictures made when idle: {key}", spent) + "   (after the sample, not in it)")
        print(row("data refresh (no paint)", data))
        print(f"text pictures kept: {len(blits.PICTURES):,}, {blits.PICTURES.bytes / 2**20:.1f} MiB; "
              f"{blits.PICTURES.hits:,} copied in, {blits.PICTURES.misses:,} made")
        peer.close()
    finally:
        wall.close()
        demo.stop()
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
