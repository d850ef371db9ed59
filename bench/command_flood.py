"""Command flood: one client floods the hub with commands while another user works normally.

Per database, a scratch database and `gridcc-hub serve` in a child process. Two real
websockets clients of two different users, in this process:

- the **flooder** sends ``--flood`` REPORT commands as fast as its socket takes them, never
  waiting for an answer (it reads its answers on the side and counts acks and ``throttled``);
- the **peer** sends one REPORT at a time, the next once the previous is answered, every
  ``--peer-interval`` seconds, and times each command → ack.

Figures: the peer's ack p50 / p99 / max with no flood (``--baseline`` commands first), then
during the flood, and the ratio flood / no flood; what the flooder got (acks, throttled).
Target: the peer's p99 during the flood under 100 ms. Not a test: it prints a table.

    python bench/command_flood.py [--flood 15000] [--baseline 200] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    keepalive,
    light_decoder,
    machine_note,
    ms,
    open_feed,
    percentile,
    pg_base_url,
    prepare_store,
    report_command,
    scratch_database,
)

WAIT = 60.0


class Peer:
    """Sends one command at a time and records command → answer times."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.waiting: dict[str, asyncio.Future] = {}
        self.reader = asyncio.ensure_future(self._read())
        self.n = 0
        self.throttled = 0

    async def _read(self) -> None:
        async for raw in self.ws:
            frame = light_decoder.decode(raw)
            if frame.type in ("command_ack", "command_error"):
                future = self.waiting.pop(frame.command_id, None)
                if future is not None and not future.done():
                    future.set_result(frame)

    async def one(self) -> float:
        """One command until its ack (a throttled peer command is sent again; the time counts)."""
        self.n += 1
        cid = f"peer-{self.n}"
        start = time.perf_counter()
        while True:
            future = asyncio.get_running_loop().create_future()
            self.waiting[cid] = future
            await self.ws.send(report_command(cid, time.time()))
            frame = await asyncio.wait_for(future, WAIT)
            if frame.type == "command_ack":
                return time.perf_counter() - start
            if frame.code != "throttled":
                raise RuntimeError(f"peer command refused: {frame.code} {frame.message}")
            self.throttled += 1
            await asyncio.sleep(0.05)


class Flooder:
    def __init__(self, ws, count: int) -> None:
        self.ws, self.count = ws, count
        self.acked = self.throttled = self.other = 0
        self.answered = asyncio.Event()
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        async for raw in self.ws:
            frame = light_decoder.decode(raw)
            if frame.type == "command_ack":
                self.acked += 1
            elif frame.type == "command_error":
                if frame.code == "throttled":
                    self.throttled += 1
                else:
                    self.other += 1
            if self.acked + self.throttled + self.other >= self.count:
                self.answered.set()

    async def flood(self) -> float:
        start = time.perf_counter()
        for i in range(self.count):
            await self.ws.send(report_command(f"flood-{i}", time.time()))
        await asyncio.wait_for(self.answered.wait(), 600)
        return time.perf_counter() - start


def flood_process(url: str, token: str, count: int, started, results) -> None:
    """The flooder, in its own process: its reading and writing must not delay the peer's clock."""

    async def run() -> None:
        ws = await open_feed(url, token, "bench-flooder", subscribe_scope=None)
        flooder = Flooder(ws, count)
        started.set()
        seconds = await flooder.flood()
        flooder.reader.cancel()
        await ws.close()
        results.put((flooder.acked, flooder.throttled, flooder.other, seconds))

    asyncio.run(run())


async def measure(url: str, tokens: dict[str, str], args) -> dict:
    peer_ws = await open_feed(url, tokens["peer"], "bench-peer", subscribe_scope=None)
    peer = Peer(peer_ws)
    ka = asyncio.ensure_future(keepalive([peer_ws]))
    for _ in range(20):  # warm up
        await peer.one()
    baseline = []
    for _ in range(args.baseline):
        baseline.append(await peer.one())
        await asyncio.sleep(args.peer_interval)
    ctx = multiprocessing.get_context("spawn")
    started, results = ctx.Event(), ctx.Queue()
    proc = ctx.Process(target=flood_process, args=(url, tokens["flooder"], args.flood, started, results))
    proc.start()
    while not started.is_set():
        await asyncio.sleep(0.01)
    during = []
    while proc.is_alive() and results.empty():
        during.append(await peer.one())
        await asyncio.sleep(args.peer_interval)
    acked, throttled, other, flood_seconds = results.get(timeout=600)
    proc.join(60)
    ka.cancel()
    peer.reader.cancel()
    await peer_ws.close()
    return {"baseline": baseline, "during": during, "flood_seconds": flood_seconds,
            "flooder": (acked, throttled, other), "peer_throttled": peer.throttled}


def run_database(kind: str, args) -> dict:
    from backend.testing import HubProcess

    with tempfile.TemporaryDirectory(prefix="gridcc-flood-") as tmp, scratch_database(kind, Path(tmp)) as url:
        tokens = prepare_store(url, ("flooder", "peer"))
        hub = HubProcess(url, Path(tmp), name="bench-flood-hub").start()
        try:
            return asyncio.run(measure(hub.url, tokens, args))
        finally:
            hub.stop()


def figures(values: list[float]) -> str:
    return (f"p50 {ms(percentile(values, 50))}  p99 {ms(percentile(values, 99))}  max {ms(max(values))}  "
            f"(n={len(values)})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=15_000, help="commands the flooder sends")
    parser.add_argument("--baseline", type=int, default=200, help="peer commands measured with no flood")
    parser.add_argument("--peer-interval", type=float, default=0.1,
                        help="peer's pause between commands (s); keep its rate under the per-user limit")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args(argv)
    kinds = [args.only] if args.only else ["sqlite"] + (["postgresql"] if pg_base_url() else [])
    print(f"command flood: {args.flood} commands from one client; another user's command → ack")
    print(machine_note())
    for kind in kinds:
        r = run_database(kind, args)
        base, during, flooder = r["baseline"], r["during"], r["flooder"]
        p99_ratio = percentile(during, 99) / percentile(base, 99)
        p50_ratio = percentile(during, 50) / percentile(base, 50)
        verdict = "OK" if percentile(during, 99) < 0.100 else "ABOVE TARGET"
        print(f"\n[{kind}]")
        print(f"  peer, no flood:      {figures(base)}")
        print(f"  peer, during flood:  {figures(during)}")
        print(f"  ratio flood / none:  p50 ×{p50_ratio:.2f}  p99 ×{p99_ratio:.2f}")
        print(f"  target p99 < 100 ms: {verdict}")
        acked, throttled, other = flooder
        print(f"  flooder: {acked} acked, {throttled} throttled, {other} other errors, "
              f"all answered in {r['flood_seconds']:.1f} s; peer commands throttled: {r['peer_throttled']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
