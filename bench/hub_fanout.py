"""Fan-out benchmark: GridCC's hub against a bare ``websockets.broadcast()`` server, same run.

Phase 1 (GridCC): `gridcc-hub serve` in a child process on a scratch database; N
clients, all in one other process (an asyncio pool), authenticate, say hello,
subscribe to the street and take their snapshot; a writer client in this process
sends REPORT commands at ``--rate`` for ``--seconds``, each stamped with the
``time.time()`` it was due in the description. Every event goes through the command's
transaction, the pump, each session's bounded queue and its own encoded frame.

Phase 2 (peer): a tiny asyncio server in this process with no auth, no store and
no protocol: it ``broadcast()``s the same Events frames (a real stored event
re-stamped, so the same JSON and the same size) at the same rate to the same
number of clients in the same kind of pool process.

Latency is stamp → receipt (all processes share one clock). Stamps are the time a
send was due, not when it happened, so a sender that falls behind counts its backlog
(no coordinated omission). For GridCC it is printed twice: from the writer's due
time, and from the event's ``at`` (the hub's clock when the command began its
transaction). Not a test: it prints figures.

The machine drifts (it is shared): a single pair of 20 s phases gave p99 ratios from 0.9 to
2.1 on the same code. So the two phases alternate ``--rounds`` times (3 by default), each
round on a fresh database, and the table pools every round; the rounds are printed too.

    python bench/hub_fanout.py [--clients 50] [--rate 25] [--seconds 20] [--rounds 3] [--db sqlite|postgresql|URL]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    SCOPE,
    UNTHROTTLED,
    describe_url,
    keepalive,
    machine_note,
    ms,
    open_feed,
    percentile,
    prepare_store,
    report_command,
    rss_bytes,
    scratch_database,
    stamp,
    stamped_time,
)
from domain import protocol as p  # noqa: E402

#: How long the pool waits for the last events once the writer is done, without progress.
DRAIN_IDLE = 10.0


# ---- what a pool client reads: seq, the stamp, and the hub's event time --------------------
class _Case(msgspec.Struct):
    description: str = ""


class _Event(msgspec.Struct, frozen=True):
    at: float = 0.0


class _FeedEvent(msgspec.Struct):
    case: _Case
    event: _Event = _Event()


class _Frame(msgspec.Struct):
    type: str
    events: list[_FeedEvent] = []


_decode = msgspec.json.Decoder(_Frame).decode


# ---- the client pool (runs in its own process) ------------------------------------------------
class _Tally:
    def __init__(self) -> None:
        self.count = 0
        self.lat_send: list[float] = []
        self.lat_at: list[float] = []
        self.first = 0.0
        self.last = 0.0
        self.close_code: int | None = None


async def _read(ws, tally: _Tally) -> None:
    from websockets.exceptions import ConnectionClosed

    try:
        async for raw in ws:
            now = time.time()
            frame = _decode(raw)
            if frame.type != "events":
                continue
            for fe in frame.events:
                sent = stamped_time(fe.case.description)
                if sent is None:
                    continue
                tally.count += 1
                tally.lat_send.append(now - sent)
                if fe.event.at:
                    tally.lat_at.append(now - fe.event.at)
            if not tally.first:
                tally.first = now
            tally.last = now
    except ConnectionClosed:
        pass
    tally.close_code = ws.close_code


async def _pool(pipe, url: str, token: str | None, clients: int) -> None:
    loop = asyncio.get_running_loop()
    conns = []
    for i in range(clients):  # one at a time: a thundering herd would measure the handshake, not fan-out
        conns.append(await open_feed(url, token, f"bench-pool-{i}"))
    tallies = [_Tally() for _ in conns]
    readers = [asyncio.ensure_future(_read(ws, t)) for ws, t in zip(conns, tallies, strict=True)]
    pinger = asyncio.ensure_future(keepalive(conns)) if token else None
    pipe.send("ready")
    expected = await loop.run_in_executor(None, pipe.recv)
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() - quiet_since < DRAIN_IDLE:
        total = sum(t.count for t in tallies)
        if all(t.count >= expected or t.close_code is not None for t in tallies):
            break
        if total != seen:
            seen, quiet_since = total, time.monotonic()
        await asyncio.sleep(0.05)
    if pinger:
        pinger.cancel()
    for ws in conns:
        await ws.close()
    await asyncio.gather(*readers, return_exceptions=True)
    pipe.send({
        "counts": [t.count for t in tallies],
        "lat_send": [x for t in tallies for x in t.lat_send],
        "lat_at": [x for t in tallies for x in t.lat_at],
        "first": min((t.first for t in tallies if t.first), default=0.0),
        "last": max((t.last for t in tallies), default=0.0),
        "cut": [t.close_code for t in tallies if t.close_code not in (None, 1000)],
    })


def _pool_main(pipe, url: str, token: str | None, clients: int) -> None:
    asyncio.run(_pool(pipe, url, token, clients))


class Pool:
    """The N clients in a child process; ``ready()`` once all are subscribed."""

    def __init__(self, url: str, token: str | None, clients: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.pipe, child = ctx.Pipe()
        self.proc = ctx.Process(target=_pool_main, args=(child, url, token, clients), daemon=True)

    def ready(self, timeout: float = 120) -> None:
        self.proc.start()
        if not self.pipe.poll(timeout):
            raise TimeoutError("client pool did not connect in time")
        assert self.pipe.recv() == "ready"

    def results(self, expected: int, timeout: float = 120) -> dict:
        self.pipe.send(expected)
        if not self.pipe.poll(timeout):
            raise TimeoutError("client pool did not report")
        out = self.pipe.recv()
        self.proc.join(30)
        return out


# ---- the writers ------------------------------------------------------------------------------
async def _paced(rate: float, seconds: float, send, budget: float | None = None) -> tuple[int, float, float]:
    """Call ``await send(i, due)`` at ``rate`` per second; returns (sent, first send, last send).

    ``due`` is the wall-clock time send ``i`` was scheduled for, which senders stamp: a sender
    that falls behind counts its own backlog in the latency (no coordinated omission). With a
    ``budget`` (seconds), sending stops when it runs out, even short of ``rate × seconds``."""
    n = max(1, int(rate * seconds))
    start = time.perf_counter()
    first = time.time()
    sent = 0
    for i in range(n):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        elif budget is not None and time.perf_counter() - start > budget:
            break
        await send(i, first + i / rate)
        sent += 1
    return sent, first, time.time()


async def write_gridcc(url: str, token: str, rate: float, seconds: float) -> dict:
    ws = await open_feed(url, token, "bench-writer", subscribe_scope=None)
    answers: dict[str, int] = {}
    sent_at: dict[str, float] = {}
    ack_lat: list[float] = []
    last_ack = [0.0]
    done = asyncio.Event()
    target = [0]

    async def read_answers() -> None:
        async for raw in ws:
            msg = p.decode_server(raw)
            if isinstance(msg, (p.CommandAck, p.CommandError)):
                key = "ack" if isinstance(msg, p.CommandAck) else f"error:{msg.code.value}"
                last_ack[0] = time.time()
                ack_lat.append(last_ack[0] - sent_at.pop(msg.command_id))
                answers[key] = answers.get(key, 0) + 1
                if target[0] and sum(answers.values()) >= target[0]:
                    done.set()

    reader = asyncio.ensure_future(read_answers())
    pinger = asyncio.ensure_future(keepalive([ws]))

    async def send(i: int, due: float) -> None:
        sent_at[f"w-{i}"] = time.time()  # the ack's latency is the command path's own
        await ws.send(report_command(f"w-{i}", due))

    n, first, last = await _paced(rate, seconds, send)
    target[0] = n
    if sum(answers.values()) < n:
        try:
            await asyncio.wait_for(done.wait(), 120)
        except TimeoutError:  # a saturated hub: report what was answered rather than nothing
            print(f"NOTE: {n - sum(answers.values())} of {n} commands unanswered 120 s after the last send",
                  flush=True)
    pinger.cancel()
    await ws.close()
    await asyncio.gather(reader, pinger, return_exceptions=True)
    return {"sent": n, "first": first, "last": last, "answers": answers, "ack_lat": ack_lat,
            "last_ack": last_ack[0]}


async def run_bare(template: p.FeedEvent, clients: int, rate: float, seconds: float) -> tuple[dict, dict]:
    """The peer: broadcast() of re-stamped copies of ``template`` to a pool of ``clients``."""
    from websockets.asyncio.server import broadcast, serve

    conns: set = set()
    all_in = asyncio.Event()

    async def handler(ws) -> None:
        conns.add(ws)
        if len(conns) >= clients:
            all_in.set()
        try:
            await ws.wait_closed()
        finally:
            conns.discard(ws)

    async with serve(handler, "127.0.0.1", 0, compression=None, ping_interval=None,
                     max_size=p.MAX_FRAME_BYTES) as server:
        port = server.sockets[0].getsockname()[1]
        pool = Pool(f"ws://127.0.0.1:{port}/", None, clients)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, pool.ready)
        await asyncio.wait_for(all_in.wait(), 60)
        base = template.seq

        async def send(i: int, due: float) -> None:
            case = msgspec.structs.replace(template.case, description=stamp(due))
            fe = msgspec.structs.replace(template, seq=base + i, case=case)
            frame = p.encode(p.Events(epoch=template.epoch, upto=fe.seq, events=[fe])).decode()
            broadcast(conns, frame)

        n, first, last = await _paced(rate, seconds, send)
        results = await loop.run_in_executor(None, pool.results, n)
    return {"sent": n, "first": first, "last": last, "answers": {}}, results


# ---- the run ----------------------------------------------------------------------------------
def first_event(url: str) -> p.FeedEvent:
    from backend.store import Store

    with Store.open(url) as store:
        events = store.events_after(0, 1)
    if not events:
        raise RuntimeError("the GridCC phase stored no event to copy for the peer")
    return events[0]


def run_gridcc(url: str, workdir: Path, args) -> tuple[dict, dict, dict]:
    from backend.testing import HubProcess

    tokens = prepare_store(url, ("writer", "reader"))
    with HubProcess(url, workdir, name="bench-hub", extra=UNTHROTTLED) as hub:
        assert hub.proc is not None  # started by the with
        idle_rss = rss_bytes(hub.proc.pid)
        pool = Pool(hub.url, tokens["reader"], args.clients)
        pool.ready()
        subscribed_rss = rss_bytes(hub.proc.pid)
        writer = asyncio.run(write_gridcc(hub.url, tokens["writer"], args.rate, args.seconds))
        results = pool.results(writer["sent"])
        memory = {"idle": idle_rss, "subscribed": subscribed_rss, "after": rss_bytes(hub.proc.pid)}
    return writer, results, memory


def summarise(label: str, writer: dict, results: dict, clients: int) -> dict:
    counts = results["counts"]
    expected = writer["sent"] * clients
    span = max(results["last"] - writer["first"], 1e-9)
    return {
        "label": label, "delivered": sum(counts), "expected": expected, "rate": sum(counts) / span,
        "p50": percentile(results["lat_send"], 50), "p99": percentile(results["lat_send"], 99),
        "max": max(results["lat_send"], default=float("nan")),
        "at_p50": percentile(results["lat_at"], 50), "at_p99": percentile(results["lat_at"], 99),
        "short": sum(1 for c in counts if c < writer["sent"]), "cut": results["cut"],
        "send_span": writer["last"] - writer["first"],
    }


def pooled(rounds: list[tuple[dict, dict]]) -> tuple[dict, dict]:
    """One writer and one pool result for several rounds: counts and latencies together, the
    spans one after another (so rates are over the time spent sending)."""
    writer: dict = {"sent": 0, "first": 0.0, "last": 0.0, "answers": {}, "ack_lat": [], "last_ack": 0.0}
    results: dict = {"counts": None, "lat_send": [], "lat_at": [], "last": 0.0, "cut": []}
    for w, res in rounds:
        writer["sent"] += w["sent"]
        writer["last"] += w["last"] - w["first"]
        writer["last_ack"] += max(w.get("last_ack", w["first"]) - w["first"], 0.0)
        for key, n in w["answers"].items():
            writer["answers"][key] = writer["answers"].get(key, 0) + n
        writer["ack_lat"] += w.get("ack_lat", [])
        counts = res["counts"]
        results["counts"] = list(counts) if results["counts"] is None else [
            a + b for a, b in zip(results["counts"], counts, strict=True)]
        results["lat_send"] += res["lat_send"]
        results["lat_at"] += res["lat_at"]
        results["last"] += res["last"] - w["first"]
        results["cut"] += res["cut"]
    return writer, results


def print_rounds(args, rounds: list[tuple[dict, dict, dict, dict]]) -> None:
    print(f"\n{'round':8}{'GridCC p50 / p99':>22}{'bare p50 / p99':>22}{'p99 ratio':>11}{'acks p99':>11}")
    ratios = []
    for r, (writer, results, bare_writer, bare_results) in enumerate(rounds, 1):
        grid = summarise("gridcc", writer, results, args.clients)
        bare = summarise("bare", bare_writer, bare_results, args.clients)
        ratios.append(grid["p99"] / bare["p99"])
        acks = ms(percentile(writer["ack_lat"], 99)).strip()
        print(f"{r:<8}{ms(grid['p50']).strip() + ' / ' + ms(grid['p99']).strip():>22}"
              f"{ms(bare['p50']).strip() + ' / ' + ms(bare['p99']).strip():>22}{ratios[-1]:>11.2f}{acks:>11}")
    print(f"median of the rounds' p99 ratios: {statistics.median(ratios):.2f}")


def print_report(args, url: str, writer: dict, grid: dict, bare: dict, memory: dict) -> None:
    rounds = f", {args.rounds} rounds pooled" if args.rounds > 1 else ""
    print(f"\nhub fan-out: {args.clients} clients, {args.rate:g} events/s for {args.seconds:g} s{rounds}, "
          f"database {describe_url(url)}")
    print(f"machine: {machine_note()}")
    acked = writer["answers"].get("ack", 0)
    accepted = acked / max(writer["last_ack"] - writer["first"], 1e-9)
    print(f"GridCC writer: {writer['sent']} REPORT commands sent in {grid['send_span']:.1f} s; "
          f"answers {writer['answers']}; {accepted:.0f} commands/s acknowledged; ack latency "
          f"p50 {ms(percentile(writer['ack_lat'], 50)).strip()}, p99 {ms(percentile(writer['ack_lat'], 99)).strip()}")
    if accepted < 0.9 * args.rate:
        print(f"NOTE: the hub acknowledged fewer commands per second than --rate {args.rate:g}: the command path "
              "is saturated, so GridCC's delivery latency below is mostly the command backlog, not fan-out. "
              "Lower --rate to measure fan-out alone.")
    print(f"\n{'':28}{'GridCC hub':>16}{'bare broadcast':>18}{'ratio':>9}")
    print(f"{'delivered events':28}{grid['delivered']:>16,}{bare['delivered']:>18,}")
    print(f"{'  of expected':28}{grid['expected']:>16,}{bare['expected']:>18,}")
    print(f"{'delivered events/s':28}{grid['rate']:>16,.0f}{bare['rate']:>18,.0f}"
          f"{grid['rate'] / bare['rate']:>9.2f}")
    for key, name in (("p50", "latency p50 (due→recv)"), ("p99", "latency p99 (due→recv)"),
                      ("max", "latency max (due→recv)")):
        print(f"{name:28}{ms(grid[key]):>16}{ms(bare[key]):>18}{grid[key] / bare[key]:>9.1f}")
    for key, name in (("at_p50", "latency p50 (event.at→recv)"), ("at_p99", "latency p99 (event.at→recv)")):
        print(f"{name:28}{ms(grid[key]):>16}{'—':>18}{grid[key] / bare[key[3:]]:>9.1f}")
    print(f"{'clients short of events':28}{grid['short']:>16}{bare['short']:>18}")
    print(f"{'clients cut (close codes)':28}{str(grid['cut'] or '-'):>16}{str(bare['cut'] or '-'):>18}")
    per_client = (memory["subscribed"] - memory["idle"]) / args.clients
    print(f"\nhub RSS: idle {memory['idle'] / 2**20:.1f} MiB, {args.clients} subscribed "
          f"{memory['subscribed'] / 2**20:.1f} MiB (≈ {per_client / 1024:.0f} KiB per client), "
          f"after the run {memory['after'] / 2**20:.1f} MiB")
    print("ratio = GridCC / bare broadcast; latency ratios use the bare due→recv figures")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rate", type=float, default=25.0,
                        help="events (REPORT commands) per second; above what the hub's command path accepts, "
                             "the figures measure the command backlog rather than fan-out")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=3,
                        help="hub and peer run this many times, alternating, so that the machine's drift falls on "
                             "both; the table pools every round")
    parser.add_argument("--db", default="sqlite", help="sqlite, postgresql (scratch db beside $GRIDCC_PG_URL) or a URL")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.rate <= 0 or args.seconds <= 0 or args.rounds < 1:
        parser.error("--clients, --rate, --seconds and --rounds must be positive")
    rounds: list[tuple[dict, dict, dict, dict]] = []
    memory: dict = {}
    url = ""
    with tempfile.TemporaryDirectory(prefix="gridcc-fanout-") as tmp:
        for r in range(args.rounds):
            workdir = Path(tmp) / f"round{r + 1}"
            workdir.mkdir()
            with scratch_database(args.db, workdir) as url:
                print(f"round {r + 1}/{args.rounds}, phase 1: GridCC hub ({args.clients} clients in a pool process, "
                      f"scope {SCOPE})", flush=True)
                writer, results, mem = run_gridcc(url, workdir, args)
                memory = memory or mem
                print(f"round {r + 1}/{args.rounds}, phase 2: bare websockets.broadcast() server, same frames, "
                      "same rate", flush=True)
                bare_writer, bare_results = asyncio.run(run_bare(first_event(url), args.clients, args.rate,
                                                                 args.seconds))
            rounds.append((writer, results, bare_writer, bare_results))
    if args.rounds > 1:
        print_rounds(args, rounds)
    writer, results = pooled([(w, res) for w, res, _, _ in rounds])
    bare_writer, bare_results = pooled([(w, res) for _, _, w, res in rounds])
    grid = summarise("gridcc", writer, results, args.clients)
    bare = summarise("bare", bare_writer, bare_results, args.clients)
    print_report(args, url, writer, grid, bare, memory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
