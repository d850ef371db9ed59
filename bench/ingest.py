"""Ingest benchmark: a city's feed through decode → replica → queue indexes, then with Qt attached.

Three runs over the same pre-encoded frames (a snapshot, then Events frames):

1. GridCC without a window: GridClient.drain() applies each decoded frame to the
   replica and the numpy index; three queue views refresh after every frame.
2. GridCC with Qt offscreen: a worker thread decodes into the client's inbox (as the
   connection does); the QtBridge timer drains it at 30 Hz within its budget and a
   30 Hz display timer syncs three QueueTableModels shown in QTableViews.
3. The naive peer, in the same run: the same worker and timer, but every event
   appends a QStandardItemModel row and every frame recounts all aggregates.

4. The naive peer without a window: the same frames into a dict of cases, recounting all
   aggregates after each frame.
5. Memory per held case, each in a fresh process (RSS growth while taking the snapshot):
   GridCC's replica + aggregates + queue index, against the peer holding the decoded cases
   in a dict. GridCC takes the frames as its connection does: each frame decoded
   (``chunk_decode``) and staged (``GridClient._receive``) before the next; the earlier
   figure, every chunk decoded into the inbox before one drain, is printed beside it.
   Both children import the same modules (the client, numpy) before the frames exist, and
   the figure is given twice: frames built in the child (the memory that building freed is
   there for whoever allocates next) and frames read from a file the parent wrote (a heap
   with nothing freed in it: pure growth).

Prints events/s and the worst GUI-thread stall (longest handler on the GUI thread)
side by side, and their ratios, then a summary of each figure beside its peer with the
load average. Not a test; run ``python bench/ingest.py``.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain import protocol as p  # noqa: E402
from domain.aggregates import recompute  # noqa: E402
from domain.model import Case  # noqa: E402
from domain.queues import Queue  # noqa: E402
from tests.backend_client.streams import FeedStream, snapshot_frames  # noqa: E402

SCOPE = "3702"
GRIDS = tuple(f"{d}{s:03d}{c:03d}{g:03d}" for d in ("370202", "370203", "370212")
              for s in range(1, 11) for c in range(1, 9) for g in range(1, 7))
QUEUES = (Queue.INTAKE, Queue.IN_PROGRESS, Queue.ALL)


def build_frames(initial: int, warmup: int, events: int, per_frame: int) -> tuple[list[bytes], list[bytes], int]:
    """Encoded snapshot frames (state after ``warmup`` events) and Events frames of ``per_frame`` events."""
    stream = FeedStream(2023, grids=GRIDS, mean_gap=2.0, outside_share=0.0)
    stream.initial(initial)
    for _ in stream.events(warmup):
        pass
    snap = [p.encode(m) for m in snapshot_frames(SCOPE, stream, list(stream.cases.values()), chunk=2000)]
    feed = list(stream.events(events))
    frames = [p.encode(p.Events(epoch=stream.epoch, upto=feed[i:i + per_frame][-1].seq, events=feed[i:i + per_frame]))
              for i in range(0, len(feed), per_frame)]
    return snap, frames, stream.seq


def make_client(tmp: str):
    from backend_client.client import GridClient

    return GridClient("ws://127.0.0.1:9/v1/feed", "bench", SCOPE, outbox_path=Path(tmp) / "outbox.sqlite3")


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


MEMORY_KINDS = ("gridcc", "gridcc-all", "plain")


def memory_per_case(kind: str, args, frames_file: str | None = None) -> float:
    """Bytes of RSS per held case taking the snapshot, measured in a fresh process (``--memory kind``).

    ``frames_file``: the encoded snapshot frames (a pickle the parent wrote), read instead of built."""
    cmd = [sys.executable, __file__, "--memory", kind, "--initial", str(args.initial), "--warmup", str(args.warmup)]
    if frames_file:
        cmd += ["--frames-file", frames_file]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["per_case"])


def memory_figures(args) -> tuple[dict[str, float], dict[str, float]]:
    """Per kind: bytes per case with the frames built in the child, and with them read from a file."""
    built = {kind: memory_per_case(kind, args) for kind in MEMORY_KINDS}
    with tempfile.TemporaryDirectory() as tmp:
        frames_file = str(Path(tmp) / "snapshot.pickle")
        with open(frames_file, "wb") as f:
            pickle.dump(build_frames(args.initial, args.warmup, 1, 1)[0], f)
        fresh = {kind: memory_per_case(kind, args, frames_file) for kind in MEMORY_KINDS}
    return built, fresh


def print_memory(built: dict[str, float], fresh: dict[str, float]) -> None:
    for label, figures in (("memory/case KiB, frames built in the child", built),
                           ("memory/case KiB, frames read from a file", fresh)):
        mine, plain = figures["gridcc"], figures["plain"]
        print(f"{label:44} {mine / 1024:10.2f} {plain / 1024:11.2f} {mine / plain:7.2f}×   <= 1 "
              f"(peer: the decoded cases in a dict)")
        print(f"{'  ... every chunk decoded, then one drain':44} {figures['gridcc-all'] / 1024:10.2f} "
              f"{plain / 1024:11.2f} {figures['gridcc-all'] / plain:7.2f}×")


def measure_memory(kind: str, snap) -> float:
    """RSS growth per case taking ``snap``: GridCC's client as its connection feeds it ("gridcc"), the same
    with every chunk decoded before one drain ("gridcc-all", the earlier figure), or the decoded cases in a
    dict ("plain")."""
    import gc

    from backend_client.chunk_decode import decode_server

    with tempfile.TemporaryDirectory() as tmp:
        client = make_client(tmp) if kind != "plain" else None
        gc.collect()
        before = _rss_mb()
        if client is not None and kind == "gridcc":  # the connection's worker: decode a frame, stage it, next
            for raw in snap:
                client._receive(decode_server(raw))
            held = len(client.replica)
        elif client is not None:
            for raw in snap:
                client.inbox.append(p.decode_server(raw))
            client.drain()
            held = len(client.replica)
        else:
            cases: dict[str, Case] = {}
            for raw in snap:
                msg = p.decode_server(raw)
                if isinstance(msg, p.SnapshotChunk):
                    cases.update((c.id, c) for c in msg.cases)
                del msg
            held = len(cases)
        gc.collect()
        return (_rss_mb() - before) * 1024 * 1024 / max(1, held)


def run_naive_headless(snap, frames) -> dict:
    """The peer without a window: a dict of cases, all aggregates recounted after each frame."""
    cases: dict[str, Case] = {}
    for raw in snap:
        msg = p.decode_server(raw)
        if isinstance(msg, p.SnapshotChunk):
            cases.update((c.id, c) for c in msg.cases)
    events, worst = 0, 0.0
    started, cpu = time.perf_counter(), time.thread_time()
    for raw in frames:
        t0 = time.perf_counter()
        msg = p.decode_server(raw)
        assert isinstance(msg, p.Events)
        for fe in msg.events:
            cases[fe.case.id] = fe.case
        recompute(cases.values(), SCOPE)
        events += len(msg.events)
        worst = max(worst, time.perf_counter() - t0)
    return {"events": events, "seconds": time.perf_counter() - started, "cpu": time.thread_time() - cpu,
            "worst": worst, "cases": len(cases)}


def run_headless(snap, frames, tmp) -> dict:
    import gc

    client = make_client(tmp)
    gc.collect()
    before = _rss_mb()  # the decoded cases are what the replica holds: decoding counts
    for raw in snap:
        client.inbox.append(p.decode_server(raw))
    client.drain()
    gc.collect()
    per_case = (_rss_mb() - before) * 1024 * 1024 / max(1, len(client.replica))
    views = [client.index.view(SCOPE, q) for q in QUEUES]
    worst = 0.0
    events = 0
    started, cpu = time.perf_counter(), time.thread_time()
    for raw in frames:
        t0 = time.perf_counter()
        msg = p.decode_server(raw)
        assert isinstance(msg, p.Events)  # the frames after the snapshot are event batches
        client.inbox.append(msg)
        client.drain()
        for view in views:
            view.refresh()
        worst = max(worst, time.perf_counter() - t0)
        events += len(msg.events)
    elapsed, cpu = time.perf_counter() - started, time.thread_time() - cpu
    client.outbox.close()
    return {"events": events, "seconds": elapsed, "cpu": cpu, "worst": worst, "cases": len(client.index),
            "per_case": per_case}


class _Feeder(threading.Thread):
    """Decodes frames as fast as it can into ``sink`` (the worker side of the connection)."""

    def __init__(self, frames, sink) -> None:
        super().__init__(name="bench-feeder", daemon=True)
        self.frames, self.sink = frames, sink

    def run(self) -> None:
        for raw in self.frames:
            self.sink(p.decode_server(raw))


def run_qt(app, snap, frames, last_seq, tmp) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QTableView

    from backend_client.qt_bridge import QtBridge
    from widgets.common.names import MappingNames
    from widgets.console.queue_model import QueueTableModel

    client = make_client(tmp)
    bridge = QtBridge(client)
    for raw in snap:
        client.inbox.append(p.decode_server(raw))
    bridge.drain(budget=None)
    models, tables = [], []
    for q in QUEUES:
        model = QueueTableModel(client.index.view(SCOPE, q), MappingNames())
        table = QTableView()
        table.setModel(model)
        table.resize(1200, 700)
        table.show()
        models.append(model)
        tables.append(table)
    stalls: list[float] = []
    worst_by: dict[str, float] = {}
    cpu = [0.0]  # the GUI thread's CPU seconds in the handlers (what the load average does not inflate)
    cpu_by: dict[str, float] = {}

    def timed(fn, name):
        def wrapper():
            t0, c0 = time.perf_counter(), time.thread_time()
            fn()
            took = time.perf_counter() - t0
            spent = time.thread_time() - c0
            cpu[0] += spent
            cpu_by[name] = cpu_by.get(name, 0.0) + spent
            stalls.append(took)
            worst_by[name] = max(worst_by.get(name, 0.0), took)
        return wrapper

    def sync_models():
        for model in models:
            model.sync()
        if client.replica.seq >= last_seq:
            app.quit()

    bridge._timer.timeout.disconnect()
    bridge._timer.timeout.connect(timed(bridge.drain, "drain"))
    display = QTimer()
    display.setInterval(33)
    display.timeout.connect(timed(sync_models, "models"))
    feeder = _Feeder(frames, client.inbox.append)
    start_seq = client.replica.seq
    started = time.perf_counter()
    bridge._timer.start()
    display.start()
    feeder.start()
    app.exec()
    elapsed = time.perf_counter() - started
    display.stop()
    bridge._timer.stop()
    feeder.join()
    events = last_seq - start_seq
    for table in tables:
        table.close()
    client.outbox.close()
    return {"events": events, "seconds": elapsed, "worst": max(stalls), "busy": sum(stalls), "cpu": cpu[0],
            "cases": len(client.index), "worst_by": worst_by, "cpu_by": cpu_by}


def run_naive(app, snap, frames, tmp) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    cases: dict[str, Case] = {}
    for raw in snap:
        msg = p.decode_server(raw)
        if isinstance(msg, p.SnapshotChunk):
            cases.update((c.id, c) for c in msg.cases)
    model = QStandardItemModel(0, 9)
    table = QTableView()
    table.setModel(model)
    table.resize(1200, 700)
    table.show()
    inbox: collections.deque = collections.deque()
    stalls: list[float] = []
    done = {"events": 0, "frames": 0}

    cpu = [0.0]

    def tick():
        t0, c0 = time.perf_counter(), time.thread_time()
        if inbox:  # one frame per tick: the peer's stall is one frame's work, not a backlog
            msg = inbox.popleft()
            for fe in msg.events:
                c = fe.case
                cases[c.id] = c
                model.appendRow([QStandardItem(str(v)) for v in (c.id, c.urgency.value, c.category, c.node,
                                                                 c.state.value, c.reported_at, c.deadline,
                                                                 c.department, c.urge_count)])
                done["events"] += 1
            recompute(cases.values(), SCOPE)  # the peer recounts everything after each frame
            done["frames"] += 1
        stalls.append(time.perf_counter() - t0)
        cpu[0] += time.thread_time() - c0
        if done["frames"] == len(frames):
            app.quit()

    timer = QTimer()
    timer.setInterval(33)
    timer.timeout.connect(tick)
    feeder = _Feeder(frames, inbox.append)
    started = time.perf_counter()
    timer.start()
    feeder.start()
    app.exec()
    elapsed = time.perf_counter() - started
    timer.stop()
    feeder.join()
    table.close()
    return {"events": done["events"], "seconds": elapsed, "worst": max(stalls), "busy": sum(stalls),
            "cpu": cpu[0], "cases": model.rowCount()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--initial", type=int, default=20_000, help="cases before the warm-up events")
    parser.add_argument("--warmup", type=int, default=30_000, help="events folded into the snapshot")
    parser.add_argument("--events", type=int, default=50_000, help="events streamed after the snapshot")
    parser.add_argument("--per-frame", type=int, default=250, help="events per Events frame")
    parser.add_argument("--naive-events", type=int, default=5_000, help="events given to the naive peer")
    parser.add_argument("--memory", choices=MEMORY_KINDS, help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--frames-file", help=argparse.SUPPRESS)  # the child reads the frames from here
    parser.add_argument("--only-memory", action="store_true", help="only the memory figures (fresh processes)")
    args = parser.parse_args()
    if args.only_memory:
        print(f"{'figure':44} {'GridCC':>10} {'naive peer':>11} {'ratio':>8}   target")
        print_memory(*memory_figures(args))
        with open("/proc/loadavg") as f:
            print("uptime load average: " + " / ".join(f.read().split()[:3]))
        return 0
    if args.memory:
        import backend_client.chunk_decode  # noqa: F401  # every child imports what GridCC does, before the frames
        import backend_client.client  # noqa: F401

        if args.frames_file:
            with open(args.frames_file, "rb") as f:
                snap = pickle.load(f)
        else:
            snap, _, _ = build_frames(args.initial, args.warmup, 1, 1)
        print(json.dumps({"per_case": measure_memory(args.memory, snap)}))
        return 0

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    t0 = time.perf_counter()
    snap, frames, last_seq = build_frames(args.initial, args.warmup, args.events, args.per_frame)
    naive_frames = frames[: max(1, args.naive_events // args.per_frame)]
    print(f"feed: {len(GRIDS)} grids, snapshot {sum(map(len, snap)) / 1e6:.1f} MB in {len(snap)} frames, "
          f"{args.events} events in {len(frames)} frames of {args.per_frame} "
          f"(built in {time.perf_counter() - t0:.1f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        headless = run_headless(snap, frames, tmp)
    with tempfile.TemporaryDirectory() as tmp:
        qt = run_qt(app, snap, frames, last_seq, tmp)
    with tempfile.TemporaryDirectory() as tmp:
        naive = run_naive(app, snap, naive_frames, tmp)
    naive_headless = run_naive_headless(snap, naive_frames)
    memory, fresh = memory_figures(args)

    rows = [("GridCC, no window (decode→replica→index)", headless),
            ("GridCC, Qt offscreen (bridge + 3 table models)", qt),
            ("naive peer (QStandardItemModel + recount)", naive)]
    print(f"\n{'pipeline':50} {'events':>8} {'wall s':>8} {'events/s':>10} "
          f"{'GUI-busy ev/s':>14} {'worst stall ms':>15}")
    for name, r in rows:
        busy = r.get("busy", r["seconds"])
        print(f"{name:50} {r['events']:8d} {r['seconds']:8.2f} {r['events'] / r['seconds']:10.0f} "
              f"{r['events'] / busy:14.0f} {r['worst'] * 1000:15.1f}")
    qt_rate = qt["events"] / qt["busy"]
    naive_rate = naive["events"] / naive["busy"]
    print(f"\nratio GridCC Qt / naive: {qt_rate / naive_rate:.1f}× events per GUI-second, "
          f"worst stall {naive['worst'] / qt['worst']:.1f}× shorter "
          f"({qt['worst'] * 1000:.1f} ms vs {naive['worst'] * 1000:.1f} ms)")
    print("GridCC Qt worst handler: " + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in qt["worst_by"].items())
          + "; GUI-thread CPU: " + ", ".join(f"{k} {v:.2f} s" for k, v in qt["cpu_by"].items()))
    print(f"cases held: replica/index {qt['cases']}, naive model rows {naive['cases']}")
    print(f"client memory per held case (RSS growth taking the snapshot: replica + aggregates + index, "
          f"headless, after the other runs): {headless['per_case'] / 1024:.2f} KiB")

    head_rate = headless["events"] / headless["seconds"]
    naive_head_rate = naive_headless["events"] / naive_headless["seconds"]
    print(f"\n{'figure':44} {'GridCC':>10} {'naive peer':>11} {'ratio':>8}   target")
    print(f"{'headless events/s':44} {head_rate:10.0f} {naive_head_rate:11.0f} {head_rate / naive_head_rate:7.1f}×"
          f"   >= 50000")
    print(f"{'Qt: events per GUI-busy second':44} {qt_rate:10.0f} {naive_rate:11.0f} {qt_rate / naive_rate:7.1f}×"
          f"   >= 50000")
    print(f"{'headless events per CPU second':44} {headless['events'] / headless['cpu']:10.0f} "
          f"{naive_headless['events'] / naive_headless['cpu']:11.0f} "
          f"{headless['events'] / headless['cpu'] / (naive_headless['events'] / naive_headless['cpu']):7.1f}×")
    print(f"{'Qt: events per GUI-thread CPU second':44} {qt['events'] / qt['cpu']:10.0f} "
          f"{naive['events'] / naive['cpu']:11.0f} {qt['events'] / qt['cpu'] / (naive['events'] / naive['cpu']):7.1f}×")
    print(f"{'Qt: worst GUI handler, ms':44} {qt['worst'] * 1000:10.1f} {naive['worst'] * 1000:11.1f} "
          f"{naive['worst'] / qt['worst']:7.1f}×   < 16")
    print_memory(memory, fresh)
    with open("/proc/loadavg") as f:
        print("uptime load average: " + " / ".join(f.read().split()[:3]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
