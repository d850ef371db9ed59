"""What the console spends taking in a city snapshot, step by step, in CPU seconds of its worker thread.

The frames are the ones a warm hub sends: built from ``backend.snapshot_cache`` over the seeded
database (``--db``, e.g. bench/ui_scale.py's), encoded by ``backend.snapshot_frames``. Then the
client's own steps run on this thread as the connection's worker runs them: decode each frame
(``chunk_decode``), stage it (``Replica.apply_snapshot_chunk``), end the snapshot
(``apply_snapshot_end``) and fill a fresh queue index (``CaseIndex.load``). Thread CPU time, not
wall time, so a busy shared machine changes the figures less (it still does: caches, frequency).
Run it from two trees (``PYTHONPATH=<tree>``) for an A/B. Not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCOPE = "3702"


def frames_of(db: Path, scope: str):
    """(now, frames as sent) from a snapshot cache loaded over ``db``; the hub's build and encode timed."""
    from backend.snapshot_cache import SnapshotCache, load
    from backend.snapshot_frames import snapshot_frames
    from backend.store import Store
    from domain import protocol as p

    store = Store.open(f"sqlite:///{db}", require_current=False)
    now = time.time()
    cache = SnapshotCache()
    cache.begin_load()
    cache.install(load(store, now))
    store.close()
    builds, encodes = [], []
    for _ in range(3):
        t0 = time.thread_time()
        snap = cache.snapshot(scope, now)
        t1 = time.thread_time()
        assert snap is not None, "the cache declined: see SnapshotCache.snapshot"
        chunks = list(snapshot_frames(snap.bodies, snap.aggregates))  # every frame encoded, as sent
        builds.append(t1 - t0)
        encodes.append(time.thread_time() - t1)
    assert snap is not None
    begin = p.encode(p.SnapshotBegin(scope=scope, epoch=snap.epoch, seq=snap.seq, total_cases=len(snap.bodies),
                                     total_chunks=len(chunks), aggregates_count=len(snap.aggregates)))
    print(f"hub: {len(snap.bodies)} cases, {len(snap.aggregates)} aggregates, {len(chunks)} chunk frames, "
          f"{sum(map(len, chunks)) / 1e6:.1f} MB; build from the cache {min(builds) * 1000:.0f} ms, "
          f"encode {min(encodes) * 1000:.0f} ms (best of 3, thread CPU)", flush=True)
    return now, [begin, *chunks, p.encode(p.SnapshotEnd(seq=snap.seq))]


def apply_once(now: float, frames: list[bytes], scope: str, as_text: bool) -> dict[str, float]:
    from backend_client import collector
    from backend_client.chunk_decode import decode_server
    from backend_client.queue_index import CaseIndex
    from backend_client.replica import Replica
    from domain import protocol as p

    spent = dict.fromkeys(("utf-8 text", "decode", "stage", "end", "index"), 0.0)
    replica = Replica(scope)
    collector.pause()  # as the client stages: no full collections meanwhile
    try:
        for data in frames:
            t0 = time.thread_time()
            # websockets hands text frames over as str unless asked for bytes (recv(decode=False))
            raw = data.decode() if as_text else data
            t1 = time.thread_time()
            msg = decode_server(raw)
            t2 = time.thread_time()
            if isinstance(msg, p.SnapshotBegin):
                replica.apply_snapshot_begin(msg)
            elif isinstance(msg, p.SnapshotChunk):
                replica.apply_snapshot_chunk(msg)
            t3 = time.thread_time()
            spent["utf-8 text"] += t1 - t0
            spent["decode"] += t2 - t1
            spent["stage"] += t3 - t2
            if isinstance(msg, p.SnapshotEnd):
                replica.apply_snapshot_end(msg, now=now)
                t4 = time.thread_time()
                index = CaseIndex()
                index.me = "someone"
                index.load(replica.cases.values())
                spent["end"] = t4 - t3
                spent["index"] = time.thread_time() - t4
    finally:
        collector.resume(freeze=True)
    spent["total"] = sum(spent.values())
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a seeded hub database (bench/ui_scale.py --db)")
    parser.add_argument("--scope", default=SCOPE)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--text", action="store_true",
                        help="frames as str first (what ws.recv() gave before recv(decode=False))")
    args = parser.parse_args()
    from bench._common import machine_note

    print(machine_note(), flush=True)
    now, frames = frames_of(args.db, args.scope)
    runs = [apply_once(now, frames, args.scope, args.text) for _ in range(args.runs)]
    print(f"client, thread CPU seconds over {args.runs} runs (median; min):")
    for step in runs[0]:
        values = [r[step] for r in runs]
        print(f"  {step:12} {statistics.median(values):6.3f} s; {min(values):6.3f} s")
    print(machine_note(), f"pid {os.getpid()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
