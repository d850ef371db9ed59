"""Open311 ``POST requests`` against a bare aiohttp endpoint, in the same run.

Two child processes on loopback, started the same way: `gridcc-hub serve --http-port 0` over a
scratch database (a small city, one Open311 key), and a bare aiohttp app whose ``POST /hello``
reads the same form and answers a small JSON list. One aiohttp client (asyncio, this process)
sends ``--requests`` POSTs to each with ``--concurrency`` in flight, after ``--warmup`` unmeasured
ones. Every Open311 request is distinct (its description is numbered), so each files a new case
through the command path (a write transaction with the command log and the intake row). Figures:
requests/s, p50 and p99 latency, and the ratio bare/intake. Not a test: it prints a table.

    python bench/intake.py [--requests 2000] [--concurrency 8] [--db sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import machine_note, ms, percentile, scratch_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
START_WAIT = 60.0


def serve_hello() -> None:
    """The bare endpoint: parse the form like the hub does, answer a small JSON list."""
    from aiohttp import web

    async def hello(request: web.Request) -> web.Response:
        form = await request.post()
        return web.json_response([{"service_request_id": "hello", "fields": len(form)}], status=201)

    async def main() -> None:
        app = web.Application()
        app.router.add_post("/hello", hello)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        print(f"hello on http://127.0.0.1:{port}", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


def prepare(url: str) -> str:
    """Migrate, add a small city and an Open311 key; returns the key."""
    from backend.intake.store import IntakeStore
    from backend.store import Store
    from domain.city import NodeInfo

    store = Store.open(url, require_current=False)
    try:
        store.migrate()
        store.import_nodes([
            NodeInfo("37", "山东省", 0, None, (118.0, 36.3)),
            NodeInfo("3702", "青岛市", 1, "37", (120.38, 36.07)),
            NodeInfo("370202", "市南区", 2, "3702", (120.39, 36.07)),
            NodeInfo("370202001", "香港中路街道", 3, "370202", (120.40, 36.06)),
            NodeInfo("370202001001", "浮山所社区", 4, "370202001", (120.405, 36.063)),
            NodeInfo("370202001001001", "浮山所社区第1网格", 5, "370202001001", (120.401, 36.061)),
            NodeInfo("370202001001002", "浮山所社区第2网格", 5, "370202001001", (120.409, 36.065)),
        ])
        return IntakeStore(store).add_key("bench", "open311", "bench", "370202", 100_000, time.time())[1]
    finally:
        store.close()


def start(args: list[str], marker: str, workdir: Path, name: str) -> tuple[subprocess.Popen, str]:
    """Start a child and wait for the line holding ``marker``; returns it and the URL on that line."""
    env = dict(os.environ, GRIDCC_STATE_DIR=str(workdir / "state"), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=open(workdir / f"{name}.log", "wb"),
                            text=True, env=env, cwd=ROOT)
    deadline = time.monotonic() + START_WAIT
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if marker in line:
            return proc, line.split(" on ", 1)[1].split()[0]
    proc.kill()
    raise SystemExit(f"{name} did not start: {(workdir / f'{name}.log').read_text()[-2000:]}")


def form(key: str, i: int) -> dict[str, str]:
    return {"api_key": key, "service_code": "21101", "lat": "36.0612", "long": "120.4012",
            "description": f"bench request {i:08d}", "attribute[NOISE_SOURCE]": "shop", "phone": "13900000000"}


async def load(url: str, key: str, n: int, warmup: int, concurrency: int, expect: int) -> tuple[float, list[float]]:
    """Send ``warmup`` requests one by one, then ``n`` with ``concurrency`` in flight; (seconds, latencies)."""
    import aiohttp

    latencies: list[float] = []
    errors: list[str] = []
    async with aiohttp.ClientSession() as session:
        async def one(i: int) -> None:
            async with session.post(url, data=form(key, i)) as response:
                body = await response.read()
                if response.status != expect:
                    errors.append(f"{response.status} {body[:200]!r}")

        for i in range(warmup):
            await one(n + i)
        numbers = iter(range(n))

        async def worker() -> None:
            for i in numbers:
                t0 = time.perf_counter()
                await one(i)
                latencies.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    if errors:
        raise SystemExit(f"{len(errors)} unexpected answers, e.g. {errors[0]}")
    return elapsed, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--db", default="sqlite", help="sqlite, postgresql (beside $GRIDCC_PG_URL) or a URL")
    parser.add_argument("--serve-hello", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_hello:
        serve_hello()
        return
    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.db, Path(tmp)) as url:
        workdir = Path(tmp)
        key = prepare(url)
        hub, hub_url = start(["-m", "backend.cli", "serve", "--db", url, "--port", "0", "--http-port", "0",
                              "--name", "bench-intake"], "gridcc-hub intake", workdir, "hub")
        hello, hello_url = start([str(Path(__file__).resolve()), "--serve-hello"], "hello on", workdir, "hello")
        try:
            results = {}
            for name, target, status in (("bare aiohttp POST /hello", f"{hello_url}/hello", 201),
                                         ("Open311 POST requests.json", f"{hub_url}/open311/v2/requests.json", 201)):
                elapsed, lat = asyncio.run(load(target, key, args.requests, args.warmup, args.concurrency, status))
                results[name] = (args.requests / elapsed, percentile(lat, 50), percentile(lat, 99))
        finally:
            for proc in (hub, hello):
                proc.terminate()
                proc.wait(timeout=30)
    print(f"intake benchmark: {args.requests} requests, {args.concurrency} in flight, database {args.db}")
    print(f"machine: {machine_note()}")
    print(f"{'endpoint':32} {'requests/s':>11} {'p50':>11} {'p99':>11}")
    for name, (rps, p50, p99) in results.items():
        print(f"{name:32} {rps:11.1f} {ms(p50)} {ms(p99)}")
    (bare, _, bare99), (intake, _, intake99) = results.values()
    print(f"ratio bare/intake: {bare / intake:.1f}x the requests/s, p99 {intake99 / bare99:.1f}x as long")


if __name__ == "__main__":
    main()
