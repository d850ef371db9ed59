"""`gridcc demo` start-up: time to the first usable window and resident memory, beside a bare window.

Each run is a fresh child process, offscreen unless $QT_QPA_PLATFORM says otherwise:

- ``gridcc demo`` (full city, scale 1.0 unless ``--scale``), timed from the process start to
  its "GridCC demo ready" line (the console window shown: city, grid register, hub up,
  directory in, snapshot requested) and to its "GridCC demo usable" line, the first usable
  window: the city's snapshot applied, so the tree and the queues are filled from the hub.
  The last hours are simulated behind it and come in as live events.
  Run twice: with an empty demo-city cache (the city is generated and
  stored) and again with that cache (the city is copied). Resident memory (VmRSS, and the
  peak VmHWM) is read when ready and again ``--settle`` seconds after its "caught up" line
  (the last hours simulated and in the window): what it holds once its start-up work is done.
- the peer: a bare PySide6 ``QMainWindow`` with one ``QLabel``, shown the same way, timed
  to its own "ready" line: what any Qt desktop program pays before its first window.
- the floor (unless ``--no-floor``): every module the demo imported by then, in its order,
  imported by a process that does nothing else. What the fixed stack costs before any data.
- the demo's two halves, each in a process of its own (``--split``, with the cache): the demo
  city alone (hub and simulator, no window, "ready" once the last hours are simulated), then
  the console alone against it, as ``gridcc connect`` would open it. Their sum against the
  one-process demo says what moving the city into a second process would save.

Prints seconds and MB side by side with the ratios. Not a test.

    python bench/demo_startup.py [--scale 1.0] [--settle 5] [--runs warm,cold] [--hour 10]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import compile_project, machine_note  # noqa: E402

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow()
w.setCentralWidget(QLabel("ready"))
w.resize(1920, 1080)
w.show()
app.processEvents()
print("ready", flush=True)
app.exec()
"""


CITY_ALONE = """
import signal, sys, threading
from desktop.malloc import use_one_arena
use_one_arena()  # as gridcc does
from backend.embedded.demo import DemoCity
from desktop.demo import real_data_folder
from domain.calendar import hour_today
import time
demo = DemoCity(scale=float(sys.argv[1]), human_role="operator", real_data=real_data_folder(sys.argv[2] or None),
                console_token=True, sim_start=hour_today(float(sys.argv[3]), time.time())).start()
signal.signal(signal.SIGTERM, lambda *_: (demo.stop(), sys.exit(0)))
demo.prefilled.wait(600)
scope, token = demo.console
print("ready", demo.url, demo.http_url or "-", scope, token, flush=True)
threading.Event().wait()
"""

CONSOLE_ALONE = """
import sys
from desktop.malloc import use_one_arena
use_one_arena()  # as gridcc does
from desktop.app import Console, application, show_full
from desktop.demo import announce_usable
url, http, scope, token = sys.argv[1:5]
app = application("en")
console = Console(url, token, scope=scope, http_url=None if http == "-" else http)
show_full(console.window)
print("GridCC console ready", flush=True)
announce_usable(console)
sys.exit(app.exec())
"""


def _memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def timed_start(cmd: list[str], marker: str, env: dict[str, str], settle: float, timeout: float = 900,
                usable: str | None = None, caught_up: str | None = None, then=None) -> dict:
    """Start ``cmd``, time its ``marker`` (and ``usable``) lines, read its memory ``settle`` s after
    the last of them (or of its ``caught_up`` line: the demo's last hours simulated).
    ``then(line)``, given the marker's line, runs after that while ``cmd`` still runs."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True, cwd=ROOT)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if marker in line:
                break
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{cmd[0]} not ready in {timeout} s")
        else:
            raise RuntimeError(f"{' '.join(cmd)} ended before it was ready (exit {proc.wait()})")
        ready = time.perf_counter() - started
        marker_line = line
        rss_ready, _ = _memory(proc.pid)
        # the first usable window: the city's snapshot applied in the shown console
        usable_at = ready if usable is None else _line_at(proc, usable, started, "was usable")
        caught_up_at = None if caught_up is None else _line_at(proc, caught_up, started, "caught up")
        time.sleep(settle)
        rss_settled, peak = _memory(proc.pid)
        if then is not None:
            then(marker_line)
        return {"ready": ready, "usable": usable_at, "caught_up": caught_up_at, "rss": rss_ready,
                "rss_settled": rss_settled, "peak": peak}
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _line_at(proc: subprocess.Popen, marker: str, started: float, what: str) -> float:
    """Seconds from ``started`` to the next line of ``proc`` holding ``marker``."""
    assert proc.stdout is not None
    for line in proc.stdout:
        if marker in line:
            return time.perf_counter() - started
    raise RuntimeError(f"{proc.args!r} ended before it {what} (exit {proc.wait()})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--hour", type=float, default=10.0,
                        help="the demo's simulated hour of today, CST (gridcc demo --hour): the last hours it fills in "
                             "before its window is live end there, and what they hold follows the city's rhythm by "
                             "the hour, so runs at different times of day compare")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds after the demo caught up (the peers: after ready) before memory is read again")
    parser.add_argument("--runs", default="cold,warm",
                        help="one word per run (cold,warm): a run with an empty cache generates the city and fills "
                             "it, the runs after it read it; each row says which it was")
    parser.add_argument("--cache-dir", default=None,
                        help="a demo-city cache folder to use (and fill) instead of a new empty one: warm runs only")
    parser.add_argument("--split", action="store_true",
                        help="also the demo city and the console each in a process of their own (city from the cache)")
    parser.add_argument("--no-floor", dest="floor", action="store_false",
                        help="skip the floor: the modules the demo imports, imported by a process doing nothing else")
    parser.add_argument("--real-data", default=None, metavar="DIR",
                        help="passed to gridcc demo (else it looks for ../shared/data beside the checkout)")
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    print(machine_note(), flush=True)
    print(compile_project(), flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="gridcc-startup-") as tmp:
        env["GRIDCC_CACHE_DIR"] = args.cache_dir or str(Path(tmp) / "cache")
        bare = timed_start([sys.executable, "-c", BARE], "ready", env, args.settle)
        rows.append(("bare PySide6 window (peer)", bare))
        for _run in args.runs.split(","):  # the first run fills an empty cache: the label says what happened
            cached = any(Path(env["GRIDCC_CACHE_DIR"]).rglob("*.sqlite3"))
            cmd = [sys.executable, "-m", "desktop.cli", "demo", "--lang", "en", "--scale", str(args.scale),
                   "--hour", str(args.hour)]
            if args.real_data:
                cmd += ["--real-data", args.real_data]
            demo = timed_start(cmd, "GridCC demo ready", env, args.settle, usable="GridCC demo usable",
                               caught_up="GridCC demo caught up")
            label = "gridcc demo, city from the cache" if cached else "gridcc demo, city generated (no cache)"
            rows.append((label, demo))
            print(f"  {label}: window {demo['ready']:.2f} s, usable {demo['usable']:.2f} s, last hours in at "
                  f"{demo['caught_up']:.1f} s; {machine_note()}", flush=True)
        if args.floor:
            rows.append(("the demo's modules alone (no city, no window)", imports_alone(args, env)))
        halves = split_rows(args, env) if args.split else []
        rows += halves
    hour = f"{int(args.hour):02d}:{round(args.hour % 1 * 60):02d}"
    print(f"\nscale {args.scale:g}, the demo's clock from {hour} CST today (simulated); {machine_note()}")
    print(f"{'':44}{'window s':>9}{'usable s':>9}{'RSS MB':>9}{'+settle':>9}{'peak MB':>9}"
          f"{'× bare s':>10}{'× bare MB':>10}")
    for label, r in rows:
        if "usable" not in r:  # the city alone: no window
            print(f"{label:44}{r['ready']:>9.2f}{'—':>9}{r['rss']:>9.0f}{r['rss_settled']:>9.0f}{r['peak']:>9.0f}"
                  f"{'':>10}{r['rss_settled'] / bare['rss_settled']:>10.1f}")
            continue
        print(f"{label:44}{r['ready']:>9.2f}{r['usable']:>9.2f}{r['rss']:>9.0f}{r['rss_settled']:>9.0f}"
              f"{r['peak']:>9.0f}"
              f"{r['usable'] / bare['ready']:>10.1f}{r['rss_settled'] / bare['rss_settled']:>10.1f}")
    whole = [r for label, r in rows if label == "gridcc demo, city from the cache"]
    if len(halves) == 2 and whole:
        both = sum(r["rss_settled"] for _, r in halves)
        print(f"\ntwo processes: {both:.0f} MB settled together, against {whole[-1]['rss_settled']:.0f} MB in one "
              f"({both / whole[-1]['rss_settled']:.2f}×)")
    return 0


def imports_alone(args, env: dict[str, str]) -> dict:
    """The floor under the demo's memory: a process importing every module ``gridcc demo`` has
    imported once caught up (read from its ``-X importtime`` trace), in the same order, and
    nothing else: no city, no hub, no window."""
    cmd = [sys.executable, "-X", "importtime", "-m", "desktop.cli", "demo", "--lang", "en", "--scale", str(args.scale)]
    if args.real_data:
        cmd += ["--real-data", args.real_data]
    with tempfile.TemporaryFile("w+") as trace:  # not a pipe: the trace outgrows its buffer before the end
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=trace, env=env, text=True, cwd=ROOT)
        try:
            _line_at(proc, "GridCC demo caught up", time.perf_counter(), "caught up")
        finally:
            proc.terminate()
            proc.wait(30)
        trace.seek(0)
        lines = trace.read().splitlines()
    modules = [line.rsplit("|", 1)[1].strip() for line in lines
               if line.startswith("import time:") and line.count("|") == 2]
    modules = [m for m in modules if m and not m.startswith(("__main__", "imported package"))]
    script = ("import importlib, sys\n"
              "for name in sys.argv[1:]:\n"
              "    try:\n        importlib.import_module(name)\n"
              "    except Exception:\n        pass\n"
              "print('ready', len(sys.modules), flush=True)\n"
              "import threading; threading.Event().wait()\n")
    row = timed_start([sys.executable, "-c", script, *modules], "ready", env, args.settle)
    del row["usable"], row["caught_up"]
    return row


def split_rows(args, env: dict[str, str]) -> list[tuple[str, dict]]:
    """The demo city alone, and while it runs, the console alone against it (each its own process)."""
    out: list[tuple[str, dict]] = []

    def console_against(line: str) -> None:
        _, url, http, scope, token = line.split()
        console = timed_start([sys.executable, "-c", CONSOLE_ALONE, url, http, scope, token],
                              "GridCC console ready", env, args.settle, usable="GridCC demo usable")
        out.append(("the console alone, against it", console))

    city = timed_start([sys.executable, "-c", CITY_ALONE, str(args.scale), args.real_data or "", str(args.hour)],
                       "ready", env, args.settle, then=console_against)
    del city["usable"], city["caught_up"]
    return [("the city alone (hub + simulator, no window)", city), *out]


if __name__ == "__main__":
    sys.exit(main())
