"""Fan-out at a thousand consoles: GridCC hubs against a bare ``websockets.broadcast()`` server.

Design (why not 1,000 processes): this machine has 2 cores; 1,000 Python processes would
spend the run context-switching and out of memory (~30 MB each). So the consoles are real
websockets connections spread over ``--workers`` pool processes (default 5 × 200), each an
asyncio loop holding its connections; every connection authenticates, says hello, subscribes
and takes its snapshot exactly as a console does, then reads every frame. Scopes are mixed:
``--city-share`` of them subscribe to the city (3702), the rest to the street (370202).

Runs, one after another, each with the same pools, rate and duration:

1. SQLite: one `gridcc-hub serve` child process; a writer client sends REPORT commands at
   ``--rate`` for ``--seconds``, each stamped with the time it was due.
2. PostgreSQL (when $GRIDCC_PG_URL is set): two hubs over one scratch database; consoles
   alternate between them; the writer talks to the first, so half the consoles get their
   events through the other hub's LISTEN/NOTIFY path.
3. The peers: a bare asyncio server in this process, no auth, no store, no protocol, that
   ``broadcast()``s a real stored event's frame, re-stamped, to the same pools: once per event
   (the first peer), then batched (everything that fell due while the last broadcast ran, in
   one frame, as the hub's pump does).

Why the batched peer is the one the ratios use: here a write to a loopback socket costs about
10 µs of CPU (kernel included), so one broadcast to 1,000 consoles costs ~10 ms, and more in
wall time while the pools it wakes take the CPUs. Per event, 200 events/s would need two full
cores; the per-event peer sends what it can (~35–40 events/s), stops after ``--seconds``, and its
latencies count the backlog. (Until round 7 the stamps were taken when a send happened, not
when it was due, so that peer's backlog was invisible; its "p99 63 ms" was at ~35–40 events/s.)

Figures per run: events sent / offered and the rate sent, delivered / expected events,
p50 / p99 / max latency (due → receipt; all processes share one clock), the command path's own
ack latency, server CPU seconds per second of run and per delivered 1,000 events, the console
pools' CPU, hub memory per subscribed console; and the ratios to the batched peer. Not a test.

    python bench/fanout_scale.py [--clients 1000] [--workers 5] [--rate 200] [--seconds 60]
                                 [--only sqlite|postgresql] [--pool-nice N]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    SCOPE,
    UNTHROTTLED,
    keepalive,
    machine_note,
    ms,
    open_feed,
    pg_base_url,
    prepare_store,
    rss_bytes,
    scratch_database,
)
from bench.hub_fanout import _paced, _read, _Tally, first_event, write_gridcc  # noqa: E402

CITY = "3702"
#: How long a pool waits for the last events, without progress, once the writer is done.
DRAIN_IDLE = 15.0


# ---- the pools (each in its own process) -------------------------------------------------------
async def _pool(pipe, specs: list[tuple[str, str | None, str]]) -> None:
    conns = []
    for i, (url, token, scope) in enumerate(specs):  # one at a time: the herd would measure handshakes
        conns.append(await open_feed(url, token, f"scale-{os.getpid()}-{i}", subscribe_scope=scope))
    tallies = [_Tally() for _ in conns]
    readers = [asyncio.ensure_future(_read(ws, t)) for ws, t in zip(conns, tallies, strict=True)]
    pinger = asyncio.ensure_future(keepalive(conns)) if specs and specs[0][1] else None
    pipe.send("ready")
    cpu0, t0 = time.process_time(), time.perf_counter()
    loop = asyncio.get_running_loop()
    expected = await loop.run_in_executor(None, pipe.recv)
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() - quiet_since < DRAIN_IDLE:
        if all(t.count >= expected or t.close_code is not None for t in tallies):
            break
        total = sum(t.count for t in tallies)
        if total != seen:
            seen, quiet_since = total, time.monotonic()
        await asyncio.sleep(0.1)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - t0
    if pinger:
        pinger.cancel()
    for ws in conns:
        await ws.close()
    await asyncio.gather(*readers, return_exceptions=True)
    lat = np.concatenate([np.asarray(t.lat_send, dtype=np.float32) for t in tallies]) if tallies else np.zeros(0)
    pipe.send({"counts": [t.count for t in tallies], "lat": lat, "cpu": cpu, "wall": wall,
               "cut": [t.close_code for t in tallies if t.close_code not in (None, 1000)]})


def _pool_main(pipe, specs, nice: int) -> None:
    if nice:
        os.nice(nice)
    asyncio.run(_pool(pipe, specs))


class Pools:
    """``workers`` processes sharing the consoles; ``ready()`` once every one is subscribed."""

    def __init__(self, specs: list[tuple[str, str | None, str]], workers: int, nice: int = 0) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.pipes, self.procs = [], []
        for w in range(workers):
            mine = specs[w::workers]
            parent, child = ctx.Pipe()
            self.pipes.append(parent)
            self.procs.append(ctx.Process(target=_pool_main, args=(child, mine, nice), daemon=True))

    def ready(self, timeout: float = 900) -> float:
        started = time.perf_counter()
        for proc in self.procs:
            proc.start()
        for pipe in self.pipes:
            left = timeout - (time.perf_counter() - started)
            if not pipe.poll(max(left, 1)):
                raise TimeoutError("a pool did not connect in time")
            assert pipe.recv() == "ready"
        return time.perf_counter() - started

    def results(self, expected: int, timeout: float = 600) -> dict:
        for pipe in self.pipes:
            pipe.send(expected)
        out: dict = {"counts": [], "lat": [], "cut": [], "pool_cpu": 0.0}
        for pipe, proc in zip(self.pipes, self.procs, strict=True):
            if not pipe.poll(timeout):
                raise TimeoutError("a pool did not report")
            part = pipe.recv()
            out["counts"] += part["counts"]
            out["lat"].append(part["lat"])
            out["cut"] += part["cut"]
            out["pool_cpu"] += part["cpu"] / max(part["wall"], 1e-9)  # CPU-s per s, summed over pools
            proc.join(30)
        out["lat"] = np.concatenate(out["lat"]) if out["lat"] else np.zeros(0)
        return out


# ---- measuring the hubs ---------------------------------------------------------------------------
def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def specs_for(urls: list[str], tokens: dict[str, str], clients: int, city_share: float):
    """(hub url, token, scope) per console: city and street mixed, hubs alternating."""
    out = []
    for i in range(clients):
        city = int((i + 1) * city_share) > int(i * city_share)  # spread evenly
        out.append((urls[i % len(urls)], tokens["city" if city else "street"], CITY if city else SCOPE))
    return out


def figures(sent: int, first: float, last: float, results: dict, args) -> dict:
    lat = results["lat"]
    counts = results["counts"]
    return {
        "sent": sent, "offered": max(1, int(args.rate * args.seconds)), "send_rate": sent / max(last - first, 1e-9),
        "delivered": int(sum(counts)), "expected": sent * args.clients,
        "p50": float(np.percentile(lat, 50)) if lat.size else float("nan"),
        "p99": float(np.percentile(lat, 99)) if lat.size else float("nan"),
        "max": float(lat.max()) if lat.size else float("nan"),
        "short": sum(1 for c in counts if c < sent), "cut": results["cut"], "first": first,
        "pool_cpu": results["pool_cpu"],
    }


def run_hubs(kind: str, url: str, workdir: Path, args) -> dict:
    from backend.store import Store
    from backend.testing import HubProcess

    tokens = prepare_store(url, ("writer", "street"))
    with Store.open(url) as store:
        tokens["city"] = store.add_user("city", "operator", CITY)[1]
    n_hubs = 2 if kind == "postgresql" else 1
    hubs = [HubProcess(url, workdir, name=f"scale-hub-{i}", extra=UNTHROTTLED) for i in range(n_hubs)]
    for hub in hubs:
        hub.start()
    try:
        pids = [hub.proc.pid for hub in hubs if hub.proc is not None]
        idle = sum(rss_bytes(pid) for pid in pids)
        pools = Pools(specs_for([hub.url for hub in hubs], tokens, args.clients, args.city_share), args.workers,
                      args.pool_nice)
        connect_s = pools.ready()
        subscribed = sum(rss_bytes(pid) for pid in pids)
        cpu0, t0 = sum(cpu_seconds(pid) for pid in pids), time.perf_counter()
        writer = asyncio.run(write_gridcc(hubs[0].url, tokens["writer"], args.rate, args.seconds))
        results = pools.results(writer["sent"])
        cpu = sum(cpu_seconds(pid) for pid in pids) - cpu0
        wall = time.perf_counter() - t0
    finally:
        for hub in hubs:
            hub.stop()
    out = figures(writer["sent"], writer["first"], writer["last"], results, args)
    out.update(label=f"{kind} ({n_hubs} hub{'s' if n_hubs > 1 else ''})", cpu=cpu, wall=wall, connect=connect_s,
               mem_per_client=(subscribed - idle) / args.clients, rss=subscribed, answers=writer["answers"])
    acks = np.asarray(writer["ack_lat"], dtype=np.float64)
    if acks.size:  # the command path alone: send → ack at the writer
        out.update(ack_p50=float(np.percentile(acks, 50)), ack_p99=float(np.percentile(acks, 99)))
    return out


async def _bare(template, args, batched: bool) -> dict:
    """A bare ``broadcast()`` server: per event (``batched=False``, the peer since round 1), or
    everything due since its last broadcast in one frame (``batched=True``: what the hub does,
    without auth, store or scopes). Events are stamped with the time they were due, so a server
    that cannot keep up counts its backlog; the per-event server stops sending after
    ``--seconds`` even when it has sent less than it was offered."""
    import msgspec
    from websockets.asyncio.server import broadcast, serve

    from bench._common import stamp
    from domain import protocol as p

    conns: set = set()

    async def handler(ws) -> None:
        conns.add(ws)
        try:
            await ws.wait_closed()
        finally:
            conns.discard(ws)

    async with serve(handler, "127.0.0.1", 0, compression=None, ping_interval=None,
                     max_size=p.MAX_FRAME_BYTES) as server:
        port = server.sockets[0].getsockname()[1]
        pools = Pools([(f"ws://127.0.0.1:{port}/", None, "")] * args.clients, args.workers, args.pool_nice)
        loop = asyncio.get_running_loop()
        connect_s = await loop.run_in_executor(None, pools.ready)
        deadline = time.monotonic() + 60
        while len(conns) < args.clients and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if len(conns) < args.clients:
            print(f"NOTE: the bare server holds {len(conns)} of {args.clients} connections", flush=True)
        base = template.seq
        rss0 = rss_bytes(os.getpid())
        cpu0, t0 = time.process_time(), time.perf_counter()
        pending: list = []
        kick = asyncio.Event()

        def broadcast_events(events: list) -> None:
            broadcast(conns, p.encode(p.Events(epoch=template.epoch, upto=events[-1].seq, events=events)).decode())

        async def send(i: int, due: float) -> None:
            case = msgspec.structs.replace(template.case, description=stamp(due))
            fe = msgspec.structs.replace(template, seq=base + i, case=case)
            if not batched:
                broadcast_events([fe])
                return
            pending.append(fe)
            kick.set()

        async def broadcaster() -> None:
            while True:
                await kick.wait()
                kick.clear()
                while pending:
                    batch = pending[:p.MAX_BATCH_EVENTS]
                    del pending[:len(batch)]
                    broadcast_events(batch)
                    await asyncio.sleep(0)  # the pacer adds what fell due meanwhile

        sender = asyncio.ensure_future(broadcaster())
        sent, first, last = await _paced(args.rate, args.seconds, send, budget=None if batched else args.seconds)
        results = await loop.run_in_executor(None, pools.results, sent)
        sender.cancel()
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - t0
    out = figures(sent, first, last, results, args)
    out.update(label="bare, batched" if batched else "bare, per event", cpu=cpu, wall=wall, connect=connect_s,
               mem_per_client=float("nan"), rss=rss0, answers={})
    return out


# ---- the report ---------------------------------------------------------------------------------
def report(args, runs: list[dict], bares: list[dict]) -> None:
    print(f"\nfan-out at scale: {args.clients} consoles in {args.workers} pool processes "
          f"({args.city_share:.0%} city scope {CITY}, the rest street {SCOPE}), {args.rate:g} events/s "
          f"for {args.seconds:g} s")
    print(f"machine: {machine_note()}")
    cols = [*runs, *bares]
    bare = bares[-1]  # the batched peer: the same work as the hub's fan-out, nothing else
    print(f"\n{'':34}" + "".join(f"{r['label']:>26}" for r in cols))

    def row(name: str, fmt) -> None:
        print(f"{name:34}" + "".join(f"{fmt(r):>26}" for r in cols))

    row("consoles connected + subscribed in", lambda r: f"{r['connect']:.1f} s")
    row("events sent / offered", lambda r: f"{r['sent']:,} / {r['offered']:,}")
    row("  sending rate (events/s)", lambda r: f"{r['send_rate']:.0f}")
    row("delivered / expected", lambda r: f"{r['delivered']:,} / {r['expected']:,}")
    row("  share delivered", lambda r: f"{r['delivered'] / max(r['expected'], 1):.4f}")
    row("latency p50 (due→recv)", lambda r: ms(r["p50"]).strip())
    row("latency p99", lambda r: ms(r["p99"]).strip())
    row("latency max", lambda r: ms(r["max"]).strip())
    row("writer: command acked, p50 / p99", lambda r: "—" if "ack_p50" not in r
        else f"{ms(r['ack_p50']).strip()} / {ms(r['ack_p99']).strip()}")
    row("consoles short / cut", lambda r: f"{r['short']} / {len(r['cut'])}")
    row("server CPU s per s of run", lambda r: f"{r['cpu'] / max(r['wall'], 1e-9):.2f}")
    row("consoles' CPU s per s (all pools)", lambda r: f"{r['pool_cpu']:.2f}")
    row("server CPU ms per 1,000 deliveries", lambda r: f"{1000 * r['cpu'] / max(r['delivered'], 1) * 1000:.1f}")
    row("hub memory per console", lambda r: "—" if r["mem_per_client"] != r["mem_per_client"]
        else f"{r['mem_per_client'] / 1024:.0f} KiB")
    for r in runs:
        print(f"{r['label']}: writer answers {r['answers']}; against the batched bare peer: p50 "
              f"{r['p50'] / bare['p50']:.2f}×, p99 {r['p99'] / bare['p99']:.2f}×, "
              f"delivered {r['delivered'] / max(bare['delivered'], 1):.3f}×, "
              f"CPU {r['cpu'] / max(bare['cpu'], 1e-9):.1f}×")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=5, help="pool processes holding the consoles")
    parser.add_argument("--rate", type=float, default=200.0, help="events (REPORT commands) per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--city-share", type=float, default=0.5, help="share of consoles on the city scope")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--pool-nice", type=int, default=0,
                        help="nice value of the console pools (10: the server under test goes first, "
                             "roughly as if the consoles ran on other machines)")
    args = parser.parse_args(argv)
    if min(args.clients, args.workers) < 1 or args.rate <= 0 or args.seconds <= 0:
        parser.error("--clients, --workers, --rate and --seconds must be positive")
    kinds = [k for k in ("sqlite", "postgresql") if args.only in (None, k)]
    if "postgresql" in kinds and pg_base_url() is None:
        print("$GRIDCC_PG_URL is not set: PostgreSQL skipped", flush=True)
        kinds.remove("postgresql")
    print(machine_note(), flush=True)
    runs, template = [], None
    with tempfile.TemporaryDirectory(prefix="gridcc-fanout-scale-") as tmp:
        for kind in kinds:
            print(f"{kind}: starting hubs and {args.clients} consoles …", flush=True)
            with scratch_database(kind, Path(tmp) / kind if kind == "sqlite" else Path(tmp)) as url:
                if kind == "sqlite":
                    (Path(tmp) / kind).mkdir(exist_ok=True)
                runs.append(run_hubs(kind, url, Path(tmp), args))
                template = template or first_event(url)
            print(f"  {runs[-1]['delivered']:,} of {runs[-1]['expected']:,} delivered, p99 "
                  f"{ms(runs[-1]['p99']).strip()}; {machine_note()}", flush=True)
        bares = []
        for batched in (False, True):
            print(f"bare broadcast peer, {'batched' if batched else 'per event'} …", flush=True)
            bares.append(asyncio.run(_bare(template, args, batched)))
    report(args, runs, bares)
    return 0


if __name__ == "__main__":
    sys.exit(main())
