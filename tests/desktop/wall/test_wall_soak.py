"""The wall survives the night: a simulated week through it, and its memory stays flat.

A child process (this module run with ``python -m``) holds the hub on a paused simulation
clock and the simulator; the test asks it to fast-forward six simulated hours at a time
and waits until the wall has every event and the hub's time. The wall's process then holds
only the wall, so tracemalloc measures the wall. A week has its rhythm (weekend backlogs),
so the number of cases held goes up and down; what must not grow is the memory per case
the replica keeps — bounded because it forgets cases finished more than a day ago — while
the ticker, the alarm book and the node aggregates are bounded by their length, the open
cases and the city.
"""

from __future__ import annotations

import datetime as dt
import gc
import queue
import subprocess
import sys
import threading
import tracemalloc
from pathlib import Path

import pytest

from backend_client.client import PRUNE_EVERY
from backend_client.connection import LinkState
from backend_client.replica import RECENT_SECONDS
from desktop.wall.figures import TICKER_SIZE
from domain.aggregates import WINDOW_HOURS
from domain.model import OPEN_STATES
from tests.desktop.conftest import City
from tests.desktop.wall.test_wall import CITY, FakeClock, dark, open_wall  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[3]
CST = dt.timezone(dt.timedelta(hours=8))
DAY0 = dt.datetime(2026, 3, 18, tzinfo=CST).timestamp()  # a Wednesday
STEP = 6 * 3600.0
DAYS = 7
VOLUME = 60.0  # reports a day: a quarter of the scenario's, so a week runs in well under a minute


class Driver:
    """The child process: hub + simulator; one line in ("T"), one line out ("at T HEAD")."""

    def __init__(self, db_url: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.desktop.wall.test_wall_soak", db_url, str(DAY0),
                                      str(VOLUME)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.split())
        self.lines.put(["exit", str(self.proc.wait())])

    def answer(self, qtbot, timeout: float = 120.0) -> list[str]:
        qtbot.waitUntil(lambda: not self.lines.empty(), timeout=int(timeout * 1000))
        words = self.lines.get()
        assert words[0] != "exit", f"the simulator process ended with code {words[1]}"
        return words

    def advance(self, qtbot, t: float) -> int:
        self.proc.stdin.write(f"{t!r}\n")
        self.proc.stdin.flush()
        words = self.answer(qtbot)
        assert words[0] == "at" and float(words[1]) == t, words
        return int(words[2])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


#: Node aggregates grow with the nodes that have seen a case — bounded by the city, not by time —
#: and are still filling up in a week at this volume; they are checked by count instead.
BY_CITY_SIZE = tracemalloc.Filter(False, "*/domain/aggregates.py")


def traced() -> int:
    """Bytes allocated since tracing started and still held, outside the node aggregates."""
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces([BY_CITY_SIZE])
    return sum(stat.size for stat in snapshot.statistics("filename"))


def settled(qtbot, client) -> int:
    """``traced()``, the lower of two readings a heartbeat apart: the last big frame of events
    may still sit in the socket layer's buffers until the next message replaces it."""
    first = traced()
    offset = client.connection.server_offset  # each heartbeat sets it anew
    qtbot.waitUntil(lambda: client.connection.server_offset != offset, timeout=10000)
    return min(first, traced())


@pytest.mark.slow
def test_a_simulated_week_keeps_the_wall_flat(qtbot, tmp_path, open_wall):
    city = City(tmp_path)
    city_nodes = len(city.data.nodes)
    token = city.token("wall", CITY)
    driver = Driver(city.db)
    try:
        port = driver.answer(qtbot, timeout=60)
        assert port[0] == "port", port
        wall = open_wall(f"ws://127.0.0.1:{port[1]}/v1/feed", token, rotate_seconds=20)
        assert isinstance(wall.fake_clock, FakeClock)
        client, ctl = wall.client, wall.controller
        qtbot.waitUntil(lambda: client.state.state is LinkState.LIVE, timeout=20000)
        links: list = []  # a reconnect would resume (or reload) the replica mid-week: count them
        wall.bridge.state_changed.connect(lambda change: links.append(change.state))
        memory, kept = {}, {}
        steps_per_day = round(24 * 3600 / STEP)
        for step in range(1, DAYS * steps_per_day + 1):
            t = DAY0 + step * STEP
            head = driver.advance(qtbot, t)
            qtbot.waitUntil(lambda: client.replica.seq >= head and client.server_now() >= t - 1, timeout=30000)
            wall.bridge.drain()  # one more drain at the hub's new time: it prunes
            wall.fake_clock.t += STEP / 60  # the wall rotates (unless an alarm holds it)
            ctl.tick()
            assert client.state.state is LinkState.LIVE
            if step % steps_per_day == 0:
                day = step // steps_per_day
                # What the replica may keep: open cases, those finished in the last day, and the
                # ids of those finished the day before (so a late event is not counted twice).
                kept[day] = len(client.replica.cases) + len(client.replica._retired)
                if day == 1:
                    tracemalloc.start()
                memory[day] = settled(qtbot, client)
        tracemalloc.stop()
        now = client.server_now()
        reports_today = wall.window.tiles.value_text("reported_today")
    finally:
        driver.stop()
        city.store.close()
    per_case = {day: memory[day] / kept[day] for day in (4, 7)}
    print(f"\nwall memory held since day 1: {memory[4] / 1024:.0f} KiB on day 4, {memory[7] / 1024:.0f} KiB on "
          f"day 7; cases kept {kept}; {per_case[4]:.0f} → {per_case[7]:.0f} bytes per case kept; "
          f"link changes {[s.value for s in links]}")
    # Pruning: nothing finished more than a day ago (plus one prune interval) is still held ...
    cases = client.replica.cases.values()
    finished = [c.closed_at or c.updated_at or c.reported_at for c in cases if c.state not in OPEN_STATES]
    assert finished and min(finished) >= now - RECENT_SECONDS - PRUNE_EVERY
    # ... and the memory grows with what the replica keeps, not with the days gone by.
    assert per_case[7] <= 1.25 * per_case[4], (memory, kept, links)
    open_now = sum(1 for c in cases if c.state in OPEN_STATES)
    assert len(ctl.ticker) == TICKER_SIZE and len(ctl.alarms) <= open_now
    aggregates = client.replica.aggregates.to_list()
    assert len(aggregates) <= city_nodes
    assert max(len(a.hourly_reported) for a in aggregates) <= WINDOW_HOURS
    assert reports_today not in ("", "—")


# ---- the child process -------------------------------------------------------------------------
def serve(db_url: str, day0: float, volume: float) -> None:
    from backend.clock import SimClock
    from backend.embedded import HubThread
    from backend.sim.cityview import CityView
    from backend.sim.engine import Simulator
    from backend.sim.scenario import load_scenario
    from backend.store import Store
    from domain.rules import default_rules

    store = Store.open(db_url, require_current=False)
    rules = default_rules()
    sim = Simulator(store, rules, load_scenario("normal_day", rules.catalog), CityView.from_store(store),
                    start=day0, seed=7, volume=volume)
    clock = SimClock(start=day0, paused=True)
    hub = HubThread(store, rules=rules, clock=clock, heartbeat_interval=0.5, poll_interval=0.05,
                    sweep_interval=3600.0).start()  # the simulator sweeps on simulated time itself
    print(f"port {hub.hub.port}", flush=True)
    try:
        for line in sys.stdin:
            if line.strip() == "quit":
                break
            t = float(line)
            sim.run_until(t)
            clock.reset(t)  # still paused: the hub's time is now t
            hub.loop.call_soon_threadsafe(hub.hub.wake_pump)
            print(f"at {t!r} {store.head()[1]}", flush=True)
    finally:
        hub.stop()
        store.close()


if __name__ == "__main__":
    serve(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]))
