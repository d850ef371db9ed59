"""Live mode: the simulator inside a real hub, following its SimClock at 600×, with pause."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time

from backend.city.generate import generate_city
from backend.clock import SimClock
from backend.embedded import HubThread
from backend.sim.cityview import CityView
from backend.sim.engine import Simulator
from backend.sim.scenario import load_scenario
from backend.store import Store
from domain.model import Role
from domain.rules import default_rules

CST = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 3, 18, 9, 0, tzinfo=CST).timestamp()
RULES = default_rules()


def wait_for(predicate, timeout: float = 60.0) -> None:
    """Wait until ``predicate()`` holds (checked every 10 ms), else fail."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        pause.wait(0.01)


def test_the_simulator_follows_the_hub_clock_and_its_pause(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'live.db'}", require_current=False)
    store.migrate()
    city = generate_city(2023, scale=0.02)
    store.import_city(city)
    clock = SimClock(start=START, speed=600)
    sim = Simulator(store, RULES, load_scenario("normal_day", RULES.catalog), CityView.from_city(city),
                    start=START, seed=2, volume=500)
    published = []
    with HubThread(store, clock=clock, sweep_interval=0.05, poll_interval=0.05) as hub_thread:
        hub = hub_thread.hub
        hub.on_published.append(published.extend)  # runs on the hub's loop, like the simulator's observer

        async def make_stop() -> asyncio.Event:
            return asyncio.Event()

        stop = hub_thread.call(make_stop())
        runner = asyncio.run_coroutine_threadsafe(sim.run_live(hub, tick=0.05, stop=stop), hub_thread.loop)
        try:
            wait_for(lambda: len(published) >= 40)
            # Events carry simulated time from the hub's clock, published in order without gaps.
            now = clock.now()
            assert all(START <= fe.event.at <= now for fe in published)
            seqs = [fe.seq for fe in list(published)]
            assert seqs == list(range(1, len(seqs) + 1))
            assert {fe.event.role for fe in published} >= {Role.OPERATOR, Role.GRID_WORKER}

            clock.pause()
            paused_at = clock.now()
            ticks = sim.ticks
            wait_for(lambda: sim.ticks >= ticks + 2)  # a tick that began before the pause has finished
            frozen_head, frozen_commands = store.head()[1], sim.stats.commands
            ticks = sim.ticks
            wait_for(lambda: sim.ticks >= ticks + 5)
            assert store.head()[1] == frozen_head
            assert sim.stats.commands == frozen_commands

            clock.resume()
            clock.set_speed(1200)
            wait_for(lambda: len(published) >= frozen_head + 20)
            later = [fe.event.at for fe in list(published) if fe.seq > frozen_head]
            assert later and min(later) >= paused_at  # resumed from where the clock stood
        finally:
            hub_thread.loop.call_soon_threadsafe(stop.set)
            runner.result(30)
    assert sim not in [cb.__self__ for cb in hub.on_published if hasattr(cb, "__self__")]
    store.close()
