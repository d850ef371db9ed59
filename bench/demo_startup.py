"""`gridcc demo` start-up: time to the first usable window and resident memory, beside a bare window.

Each run is a fresh child process, offscreen unless $QT_QPA_PLATFORM says otherwise:

- ``gridcc demo`` (full city, scale 1.0 unless ``--scale``), timed from the process start to
  its "GridCC demo ready" line (the console window shown: city, grid register, hub up,
  directory in, snapshot requested) and to its "GridCC demo usable" line, the first usable
  window: the city's snapshot applied, so the tree and the queues are filled from the hub.
  The last hours are simulated behind it and come in as live events.
  Run twice: with an empty demo-city cache (the city is generated and
  stored) and again with that cache (the city is copied). Resident memory (VmRSS, and the
  peak VmHWM) is read when ready and again ``--settle`` seconds later.
- the peer: a bare PySide6 ``QMainWindow`` with one ``QLabel``, shown the same way, timed
  to its own "ready" line: what any Qt desktop program pays before its first window.

Prints seconds and MB side by side with the ratios. Not a test.

    python bench/demo_startup.py [--scale 1.0] [--settle 5] [--runs warm,cold]
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


def _memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def timed_start(cmd: list[str], marker: str, env: dict[str, str], settle: float, timeout: float = 900,
                usable: str | None = None) -> dict:
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
        rss_ready, _ = _memory(proc.pid)
        usable_at = ready
        if usable is not None:  # the first usable window: the city's snapshot applied in the shown console
            for line in proc.stdout:
                if usable in line:
                    usable_at = time.perf_counter() - started
                    break
            else:
                raise RuntimeError(f"{' '.join(cmd)} ended before it was usable (exit {proc.wait()})")
        time.sleep(settle)
        rss_settled, peak = _memory(proc.pid)
        return {"ready": ready, "usable": usable_at, "rss": rss_ready, "rss_settled": rss_settled, "peak": peak}
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds after ready before memory is read again")
    parser.add_argument("--runs", default="cold,warm", help="cold (empty city cache), warm (cache filled)")
    parser.add_argument("--cache-dir", default=None,
                        help="a demo-city cache folder to use (and fill) instead of a new empty one: warm runs only")
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
        for run in args.runs.split(","):
            cmd = [sys.executable, "-m", "desktop.cli", "demo", "--lang", "en", "--scale", str(args.scale)]
            if args.real_data:
                cmd += ["--real-data", args.real_data]
            demo = timed_start(cmd, "GridCC demo ready", env, args.settle, usable="GridCC demo usable")
            label = "gridcc demo, city generated (no cache)" if run == "cold" else "gridcc demo, city from the cache"
            rows.append((label, demo))
            print(f"  {label}: window {demo['ready']:.2f} s, usable {demo['usable']:.2f} s; {machine_note()}",
                  flush=True)
    print(f"\nscale {args.scale:g}; {machine_note()}")
    print(f"{'':44}{'window s':>9}{'usable s':>9}{'RSS MB':>9}{'+settle':>9}{'peak MB':>9}"
          f"{'× bare s':>10}{'× bare MB':>10}")
    for label, r in rows:
        print(f"{label:44}{r['ready']:>9.2f}{r['usable']:>9.2f}{r['rss']:>9.0f}{r['rss_settled']:>9.0f}"
              f"{r['peak']:>9.0f}"
              f"{r['usable'] / bare['ready']:>10.1f}{r['rss_settled'] / bare['rss_settled']:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
