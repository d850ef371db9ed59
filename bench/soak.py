"""Soak run: ``gridcc demo`` for a whole shift, watching memory and GUI-thread stalls.

The same pieces ``gridcc demo`` starts (the embedded demo city — hub, SQLite store,
simulator — and the operator console over it) run in this one process, offscreen at
1920×1080, for ``--minutes``. Inside the app a 50 ms QTimer heartbeat measures how late
each tick is (a late tick is a GUI-thread stall an operator would feel), and every
``--sample`` seconds the process's RSS is read from /proc. Every ``--poke`` seconds an
operator-like step runs (another queue tab, another area, a case selected), so the views
are rebuilt over and over rather than left alone. The closing summary gives start / peak /
end RSS, RSS growth per 10 minutes (least-squares slope over the samples after the first
5 minutes, when caches have filled), and the longest and p99 stall. Not a test:
``python bench/soak.py --minutes 60`` takes an hour.
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
faulthandler.enable(all_threads=True)  # a crash in Qt leaves the Python stacks in the log
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import machine_note, percentile, rss_bytes  # noqa: E402

HEARTBEAT_MS = 50
WARMUP_S = 300.0  # samples before this are left out of the growth slope


class Heartbeat:
    """A QTimer that records how late each tick came (lateness = gap − interval, ≥ 0)."""

    def __init__(self, interval_ms: int = HEARTBEAT_MS) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval = interval_ms / 1000
        self.lateness: list[float] = []
        self.worst_at = 0.0
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.timer.start(interval_ms)

    def _tick(self) -> None:
        now = time.perf_counter()
        late = max(0.0, now - self.last - self.interval)
        if not self.lateness or late > max(self.lateness):
            self.worst_at = now
        self.lateness.append(late)
        self.last = now

    def window_worst(self, since: int) -> float:
        return max(self.lateness[since:], default=0.0)


def slope_per_10_min(samples: list[tuple[float, int]]) -> float:
    """Least-squares RSS slope in bytes per 10 minutes over (seconds, bytes) samples."""
    if len(samples) < 2:
        return float("nan")
    n = len(samples)
    mx = sum(t for t, _ in samples) / n
    my = sum(r for _, r in samples) / n
    sxx = sum((t - mx) ** 2 for t, _ in samples)
    sxy = sum((t - mx) * (r - my) for t, r in samples)
    return sxy / sxx * 600 if sxx else float("nan")


def mb(value: float) -> str:
    return f"{value / 2**20:.1f} MB"


class Operator:
    """Operator-like steps on the console: switch tab, switch area, select a case."""

    def __init__(self, console, seed: int) -> None:
        from domain.queues import Queue

        self.console, self.rng = console, random.Random(seed)
        self.queues = [q.value for q in Queue]
        root = console.directory.root
        self.nodes = [root, *console.directory.hierarchy.children(root)]
        self.steps = 0

    def step(self) -> None:
        ctl, rng = self.console.controller, self.rng
        if rng.random() < 0.3 and len(self.nodes) > 1:
            ctl.choose_node(rng.choice(self.nodes))
        ctl.window.tabs.set_current(rng.choice(self.queues))  # the tab bar tells the controller
        rows = ctl.model.rowCount()
        if rows:
            view = ctl.window.table.view
            view.selectRow(rng.randrange(rows))
        self.steps += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--sample", type=float, default=10.0, help="seconds between RSS samples")
    parser.add_argument("--poke", type=float, default=15.0, help="seconds between operator steps (0: none)")
    parser.add_argument("--scenario", default="flood_season")
    parser.add_argument("--speed", type=float, default=60.0)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--lang", default="zh_CN")
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args(argv)

    from desktop.malloc import use_one_arena

    # As `gridcc` does, before any thread starts: the soak measures the process as shipped. Without
    # it the threads allocated from arenas of their own, and a run started 56 MB higher and grew a
    # third faster (bench/results/2026-12-05-round14.md).
    use_one_arena()
    from PySide6.QtCore import QTimer, qInstallMessageHandler

    from backend.embedded import DemoCity, start_in_background
    from desktop.app import Console, application, wait_for
    from desktop.demo import real_data_folder

    qInstallMessageHandler(lambda _m, _c, text: None if "propagateSizeHints" in text else print(text, file=sys.stderr))
    pid = os.getpid()
    print(machine_note(), flush=True)
    print(f"soak: {args.scenario} at {args.speed:g}×, scale {args.scale:g}, {args.minutes:g} min, "
          f"{args.size}, RSS every {args.sample:g} s, operator step every {args.poke:g} s", flush=True)
    app = application(args.lang)
    t_boot = time.perf_counter()
    demo = DemoCity(seed=args.seed, scale=args.scale, scenario=args.scenario, speed=args.speed,
                    human_role="operator", real_data=real_data_folder(None))
    console = None
    try:
        wait_for(start_in_background(demo), 900, "starting the demo city")
        scope = demo.default_scope("operator")
        console = Console(demo.url, demo.token("operator", scope), scope=scope, http_url=demo.http_url, quiet=True)
        width, height = (int(v) for v in args.size.split("x"))
        console.window.resize(width, height)
        console.window.show()
        print(f"demo and console up in {time.perf_counter() - t_boot:.1f} s (scope {scope}); "
              f"RSS {mb(rss_bytes(pid))}", flush=True)

        heartbeat = Heartbeat()
        t0 = time.perf_counter()
        samples: list[tuple[float, int]] = [(0.0, rss_bytes(pid))]
        marks = {"beat": 0}
        operator = Operator(console, args.seed)

        def sample() -> None:
            t = time.perf_counter() - t0
            rss = rss_bytes(pid)
            samples.append((t, rss))
            worst = heartbeat.window_worst(marks["beat"])
            marks["beat"] = len(heartbeat.lateness)
            held = len(console.client.replica)
            print(f"t={t:7.0f} s  RSS {mb(rss):>9}  worst stall since last {worst * 1000:7.1f} ms  "
                  f"cases held {held}  steps {operator.steps}", flush=True)
            if t >= args.minutes * 60:
                app.quit()

        sampler = QTimer()
        sampler.timeout.connect(sample)
        sampler.start(int(args.sample * 1000))
        poker = QTimer()
        if args.poke > 0:
            poker.timeout.connect(operator.step)
            poker.start(int(args.poke * 1000))
        app.exec()
        sampler.stop()
        poker.stop()
        heartbeat.timer.stop()

        rss = [r for _, r in samples]
        late = heartbeat.lateness
        settled = [s for s in samples if s[0] >= WARMUP_S] or samples
        print("\nsummary")
        print(f"  duration            {samples[-1][0] / 60:.1f} min, {len(samples)} RSS samples, "
              f"{len(late)} heartbeats, {operator.steps} operator steps")
        print(f"  RSS start/peak/end  {mb(rss[0])} / {mb(max(rss))} / {mb(rss[-1])}")
        print(f"  RSS growth          {mb(slope_per_10_min(settled))} per 10 min (slope after "
              f"{WARMUP_S / 60:.0f} min); {mb(slope_per_10_min(samples))} per 10 min over the whole run")
        print(f"  GUI stall           longest {max(late, default=0) * 1000:.1f} ms "
              f"(at {(heartbeat.worst_at - t0) / 60:.1f} min), p99 {percentile(late, 99) * 1000:.1f} ms, "
              f"p99.9 {percentile(late, 99.9) * 1000:.1f} ms, "
              f"ticks later than 100 ms: {sum(x > 0.1 for x in late)}")
        print(f"  cases held at end   {len(console.client.replica)}")
        print(f"  {machine_note()}", flush=True)
    finally:
        if console is not None:
            console.close()
        demo.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
