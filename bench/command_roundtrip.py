"""Command round trip: client A's command → A's ack, and → the event seen by subscribed client B.

Per database, a scratch database and `gridcc-hub serve` in child processes; A and B
are real websockets clients (asyncio, one process, one clock). Figures:

- sequential: ``--commands`` REPORTs one after another (the next once A has its ack
  and B its event), after ``--warmup`` unmeasured ones: p50/p99 of ack and of event;
- burst: ``--burst`` REPORTs with up to ``--window`` in flight: commands/s the hub
  acknowledges while B is subscribed (what one hub sustains), and when B had them all;
- bytes per stored event (table + indexes of ``case_events``).

Runs SQLite, then PostgreSQL when $GRIDCC_PG_URL is set (one hub, then A and B on two
hubs of the same database: the LISTEN/NOTIFY path). Not a test: it prints a table.

    python bench/command_roundtrip.py [--commands 500] [--burst 1000] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    UNTHROTTLED,
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

WAIT = 60.0  # longest wait for one answer or event before the run is declared broken


class Pair:
    """Client A (commands, no subscription) and client B (subscribed), with their receipts."""

    def __init__(self, a, b) -> None:
        self.a, self.b = a, b
        self.pending: dict[str, asyncio.Future] = {}
        self.seen: dict[str, float] = {}
        self._seen_changed = asyncio.Event()
        self._tasks = [asyncio.ensure_future(self._read_a()), asyncio.ensure_future(self._read_b()),
                       asyncio.ensure_future(keepalive([a, b]))]
        self._n = 0

    async def _read_a(self) -> None:
        async for raw in self.a:
            now = time.perf_counter()
            frame = light_decoder.decode(raw)
            if frame.type in ("command_ack", "command_error"):
                fut = self.pending.pop(frame.command_id, None)
                if fut is not None and not fut.done():
                    fut.set_result((now, frame))

    async def _read_b(self) -> None:
        async for raw in self.b:
            now = time.perf_counter()
            frame = light_decoder.decode(raw)
            if frame.type == "events":
                for fe in frame.events:
                    self.seen.setdefault(fe.case.id, now)
                self._seen_changed.set()

    async def wait_seen(self, case_ids: list[str]) -> float:
        """When B had the last of ``case_ids`` (perf_counter)."""
        async def until() -> None:
            while any(c not in self.seen for c in case_ids):
                self._seen_changed.clear()
                await self._seen_changed.wait()

        await asyncio.wait_for(until(), WAIT)
        return max(self.seen[c] for c in case_ids)

    async def send(self) -> tuple[float, asyncio.Future]:
        self._n += 1
        cid = f"rt-{self._n}"
        fut = asyncio.get_running_loop().create_future()
        self.pending[cid] = fut
        t0 = time.perf_counter()
        await self.a.send(report_command(cid, time.time()))
        return t0, fut

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.a.close()
        await self.b.close()


def _case_of(frame) -> str:
    if frame.type != "command_ack":
        raise RuntimeError(f"command refused: {frame.code}: {frame.message}")
    return frame.case_id


async def sequential(pair: Pair, count: int, warmup: int) -> tuple[list[float], list[float]]:
    acks, events = [], []
    for i in range(warmup + count):
        t0, fut = await pair.send()
        t_ack, frame = await asyncio.wait_for(fut, WAIT)
        t_seen = await pair.wait_seen([_case_of(frame)])
        if i >= warmup:
            acks.append(t_ack - t0)
            events.append(t_seen - t0)
    return acks, events


async def burst(pair: Pair, count: int, window: int) -> tuple[float, float]:
    """(commands acknowledged per second, seconds until B had every event)."""
    slots = asyncio.Semaphore(window)
    case_ids: list[str] = []
    last_ack = [0.0]

    async def one() -> None:
        async with slots:
            _, fut = await pair.send()
            t_ack, frame = await asyncio.wait_for(fut, WAIT)
        last_ack[0] = max(last_ack[0], t_ack)
        case_ids.append(_case_of(frame))

    start = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(count)))
    all_seen = await pair.wait_seen(case_ids)
    return count / (last_ack[0] - start), all_seen - start


async def measure(url_a: str, url_b: str, tokens: dict[str, str], args) -> dict:
    b = await open_feed(url_b, tokens["b"], "roundtrip-b")
    a = await open_feed(url_a, tokens["a"], "roundtrip-a", subscribe_scope=None)
    pair = Pair(a, b)
    try:
        acks, events = await sequential(pair, args.commands, args.warmup)
        rate, drained = await burst(pair, args.burst, args.window)
    finally:
        await pair.close()
    return {"acks": acks, "events": events, "rate": rate, "drained": drained}


def bytes_per_event(url: str) -> float:
    """Table plus index bytes of case_events over its row count."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT count(*) FROM case_events")).scalar_one()
            if engine.dialect.name == "postgresql":
                size = conn.execute(text("SELECT pg_total_relation_size('case_events')")).scalar_one()
            else:
                size = conn.execute(text(
                    "SELECT sum(pgsize) FROM dbstat WHERE name IN "
                    "(SELECT name FROM sqlite_master WHERE tbl_name = 'case_events')")).scalar_one()
    finally:
        engine.dispose()
    return size / rows if rows else float("nan")


def run_database(kind: str, hubs: int, args) -> dict:
    from backend.testing import HubProcess

    with tempfile.TemporaryDirectory(prefix="gridcc-roundtrip-") as tmp, \
            scratch_database(kind, Path(tmp)) as url:
        tokens = prepare_store(url, ("a", "b"))
        started = [HubProcess(url, Path(tmp), name=f"bench-hub-{i}", extra=UNTHROTTLED).start() for i in range(hubs)]
        try:
            figures = asyncio.run(measure(started[0].url, started[-1].url, tokens, args))
        finally:
            for hub in started:
                hub.stop()
        figures["bytes"] = bytes_per_event(url)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=500, help="sequential commands measured")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--burst", type=int, default=1000, help="commands of the throughput burst")
    parser.add_argument("--window", type=int, default=50, help="commands in flight during the burst")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    if min(args.commands, args.burst, args.window) < 1 or args.warmup < 0:
        parser.error("--commands, --burst and --window must be positive, --warmup not negative")
    runs = [("sqlite", "sqlite", 1)]
    if pg_base_url():
        runs += [("postgresql, 1 hub", "postgresql", 1), ("postgresql, 2 hubs (A≠B)", "postgresql", 2)]
    elif args.only == "postgresql":
        parser.error("--only postgresql needs $GRIDCC_PG_URL")
    else:
        print("($GRIDCC_PG_URL is not set: PostgreSQL rows skipped)")
    if args.only:
        runs = [r for r in runs if r[1] == args.only]
    results = []
    for label, kind, hubs in runs:
        print(f"running {label} …", flush=True)
        results.append((label, run_database(kind, hubs, args)))
    print(f"\ncommand round trip: {args.commands} sequential REPORTs (+{args.warmup} warm-up), then a burst of "
          f"{args.burst} with {args.window} in flight; A commands, B is subscribed")
    print(f"machine: {machine_note()}\n")
    head = (f"{'database':26}{'ack p50':>11}{'ack p99':>11}{'event p50':>11}{'event p99':>11}"
            f"{'burst cmd/s':>13}{'B had all':>11}{'B/event':>9}")
    print(head)
    print("-" * len(head))
    for label, f in results:
        print(f"{label:26}{ms(percentile(f['acks'], 50)):>11}{ms(percentile(f['acks'], 99)):>11}"
              f"{ms(percentile(f['events'], 50)):>11}{ms(percentile(f['events'], 99)):>11}"
              f"{f['rate']:>13.0f}{f['drained']:>10.1f}s{f['bytes']:>9.0f}")
    print("\nack = A's send → A's ack; event = A's send → B's receipt of the event; "
          "B had all = burst start → B's last event; B/event = stored bytes per event (table + indexes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
