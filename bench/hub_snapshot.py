"""Hub snapshot benchmark: a city-scope snapshot from the database against the hub's in-memory cache.

Builds the Qingdao-sized hub database once (``bench/_ui_data.seed_hub``: 100k open cases and
~9k closed in the last 24 h, as ``bench/ui_scale.py``), or reuses one given with ``--db``. Then,
in the same run and interleaved run by run (A/B in the same minute):

1. direct: ``Store.snapshot(scope, now)`` (the database path, the peer) against
   ``SnapshotCache.snapshot(scope, now)`` for the city, a district and a street, p50/max of
   ``--runs`` runs each; the cache's warm-up time and its memory;
2. through two real hubs on the same file (one with the cache, one without), a client's time
   from ``subscribe`` to ``snapshot_begin`` at city scope, i.e. the hub's snapshot plus planning its
   frames (since round 6 each frame is encoded as it is first sent, after ``snapshot_begin``:
   ``backend/snapshot_frames.ChunkFrames``; before, all were encoded first) (a report is committed
   between runs, so every run builds anew), and the same for a second
   session asking at the same seq (frames shared).

Not a test. ``python bench/hub_snapshot.py`` takes ~5 minutes when it seeds, ~2 with ``--db``.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import machine_note, rss_bytes  # noqa: E402

SCOPES = (("city", "3702"), ("district", "370202"), ("street", "370202001"))


def load_avg() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def dist(values: list[float]) -> str:
    return f"p50 {statistics.median(values) * 1000:,.1f} ms, max {max(values) * 1000:,.1f} ms"


def direct(store, runs: int) -> None:
    from backend.snapshot_cache import SnapshotCache, load

    now = time.time()
    gc.collect()
    rss0 = rss_bytes(os.getpid())
    started = time.perf_counter()
    cache = SnapshotCache()
    cache.begin_load()
    cache.install(load(store, now))
    warm = time.perf_counter() - started
    gc.collect()
    rss1 = rss_bytes(os.getpid())
    print(f"warm-up (load in one read transaction + install): {warm:.2f} s ({load_avg()}); "
          f"{cache.cases} cases held; cache ≈ {cache.memory_bytes() / 1e6:.0f} MB by its own count, "
          f"process RSS +{(rss1 - rss0) / 1e6:.0f} MB", flush=True)
    for label, scope in SCOPES:
        db_times, cache_times = [], []
        for _ in range(runs):
            now = time.time()
            t = time.perf_counter()
            plain = store.snapshot(scope, now)
            db_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            cached = cache.snapshot(scope, now)
            cache_times.append(time.perf_counter() - t)
            assert cached is not None and len(cached.bodies) == len(plain.bodies)
            del plain, cached
        ratio = statistics.median(db_times) / statistics.median(cache_times)
        print(f"{label:8} {scope:10} database {dist(db_times)} | cache {dist(cache_times)} | "
              f"{ratio:.1f}× faster ({load_avg()})", flush=True)


def through_hubs(store, runs: int) -> None:
    from backend.embedded import HubThread
    from domain import protocol as p
    from domain.commands import CommandRequest
    from domain.model import Action, Actor, Args, Role, Source, Urgency
    from domain.rules import default_rules
    from tests.backend.feedclient import FeedClient

    rules = default_rules()
    _, token = store.add_user("市级值班员-bench", "operator", "3702")
    admin = Actor(id="bench-admin", role=Role.ADMIN, scope="", name="基准管理员")

    def begin_after(url: str) -> float:
        client = FeedClient(url, token)
        try:
            started = time.perf_counter()
            client.send(p.Subscribe(scope="3702"))
            while not isinstance(client.recv(timeout=120), p.SnapshotBegin):
                pass
            return time.perf_counter() - started
        finally:
            client.close()

    def idle(running) -> None:
        """Wait until the hub has let go of the closed session (it may still be writing its frames)."""
        while running.hub.sessions:
            time.sleep(0.05)

    def caught_up(*hubs) -> None:
        head = store.head()[1]
        while any(h.hub.published_seq < head or (h.hub.snapshot_cache and h.hub.snapshot_cache.seq < head)
                  for h in hubs):
            for h in hubs:
                h.hub.wake_pump()
            time.sleep(0.05)

    with HubThread(store, rules=rules) as cached, HubThread(store, rules=rules, snapshot_cache=False) as plain:
        started = time.perf_counter()
        assert cached.hub.snapshot_cache is not None
        while not cached.hub.snapshot_cache.warm:
            time.sleep(0.05)
        print(f"hub with the cache: warm {time.perf_counter() - started:.1f} s after start ({load_avg()})",
              flush=True)
        db_t, first_t, shared_t = [], [], []
        seq0 = store.head()[1]
        for i in range(runs):
            answer = store.execute(CommandRequest(
                client_id="bench", id=f"bench-{time.time()}-{i}", action=Action.REPORT, case_id=None,
                expected_version=None, actor=admin,
                args=Args(node="370202001001001", category="10103", urgency=Urgency.NORMAL, source=Source.HOTLINE,
                          description="基准")), time.time(), rules)
            assert isinstance(answer, p.CommandAck), answer
            caught_up(cached, plain)
            db_t.append(begin_after(plain.hub.url))
            idle(plain)
            first_t.append(begin_after(cached.hub.url))
            idle(cached)
            shared_t.append(begin_after(cached.hub.url))
            idle(cached)
        cache = cached.hub.snapshot_cache
        print(f"cache hub: {cache.hits} snapshots built, {cache.frames_shared} frame sets shared, "
              f"{cache.declined} declined; seq moved by {store.head()[1] - seq0} (reports + SLA ticks)", flush=True)
        ratio = statistics.median(db_t) / statistics.median(first_t)
        print(f"subscribe→snapshot_begin, city: database hub {dist(db_t)} | cache, first session "
              f"{dist(first_t)} ({ratio:.1f}×) | cache, next session at the same seq {dist(shared_t)} "
              f"({statistics.median(db_t) / statistics.median(shared_t):.0f}×) ({load_avg()})", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database seeded before (a copy is used); seeded when absent")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--hub-runs", type=int, default=5)
    args = parser.parse_args()
    print(machine_note(), flush=True)
    from backend.store import Store

    with tempfile.TemporaryDirectory(prefix="gridcc-hub-snapshot-") as tmp_name:
        path = Path(tmp_name) / "hub.db"
        if args.db is not None:
            import shutil

            shutil.copy(args.db, path)
            store = Store.open(f"sqlite:///{path}", require_current=False)
        else:
            from bench._ui_data import seed_hub

            print("seeding the scale-1.0 city and its caseload …", flush=True)
            store = seed_hub(path, open_cases=100_000, closed_today=9_000, days=110, history=0, seed=2023,
                             progress=lambda s: print("  " + s, flush=True)).store
        print(f"database {path.stat().st_size / 1e6:.0f} MB, {store.counts()}", flush=True)
        direct(store, args.runs)
        if args.hub_runs:
            through_hubs(store, args.hub_runs)
        store.close()
    print(machine_note(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
