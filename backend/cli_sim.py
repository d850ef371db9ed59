"""`gridcc-hub simulate` and `gridcc-hub report day`: the simulator's and the calibration's commands.

backend/cli.py calls :func:`add_commands` while building its parser and dispatches
``HANDLERS[command](args)``; errors raised here become one clear line on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import signal
import time
from collections.abc import Callable

CST = dt.timezone(dt.timedelta(hours=8))
DAY = 86400.0


def add_commands(sub, db_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    sim = sub.add_parser("simulate", help="run the simulator: arrivals, virtual operators, departments, grid workers")
    db_arg(sim)
    sim.add_argument("--scenario", default="normal_day",
                     help="a shipped scenario (normal_day, winter_night, flood_season, festival) or a .toml file")
    sim.add_argument("--speed", type=float, default=60.0, help="simulated seconds per real second when live "
                                                               "(1 to 600 and beyond)")
    span = sim.add_mutually_exclusive_group()
    span.add_argument("--days", type=float, help="simulate this many days")
    span.add_argument("--until", help="simulate until this time (ISO, CST if no offset), e.g. 2026-03-19T06:00")
    sim.add_argument("--fast", action="store_true", help="as fast as possible over the span, then exit")
    sim.add_argument("--start", help="simulated start (ISO date or date-time, CST); default: continue after the "
                                     "latest event stored, else today at the scenario's start time")
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--volume", type=float, help="items per day (default: the scenario's, scaled to the city)")
    sim.add_argument("--city-scale", type=float, default=None,
                     help="generate the demo city at this scale first when the database has none")
    sim.add_argument("--human-streets", default="", help="comma-separated street codes whose operator work is "
                                                        "left to humans")
    sim.add_argument("--auto-operator-delay", type=float, default=None,
                     help="minutes the virtual operator leaves every case to humans first")
    sim.add_argument("--serve", action="store_true", help="also serve the feed (a hub in this process)")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=8765)

    rep = sub.add_parser("report", help="figures of a day from the database, next to their targets")
    rep_sub = rep.add_subparsers(dest="report_kind", metavar="KIND")
    day = rep_sub.add_parser("day", help="one day: items, completion, on-time, self-resolved, overdue, load")
    db_arg(day)
    day.add_argument("--date", help="YYYY-MM-DD (CST); default: the day of the latest event stored")
    day.add_argument("--target-items", type=int, default=None,
                     help="items expected that day (default 9,000; scaled to the city's grids)")


def parse_time(text: str, what: str) -> float:
    """An ISO date or date-time; CST when no offset is given."""
    try:
        if len(text) == 10:
            value = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(0, 0))
        else:
            value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} must be an ISO date or date-time (e.g. 2026-03-18T08:00), got {text!r}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=CST)
    return value.timestamp()


def _open(args, *, require_current: bool = True):
    from backend.store import Store

    return Store.open(args.db or os.environ.get("GRIDCC_DB_URL"), require_current=require_current)


def _city(store, scale: float | None, seed: int):
    from backend.sim.cityview import CityView

    if store.counts().get("grids", 0) == 0:
        if scale is None:
            raise ValueError("the database holds no city: import one (gridcc-hub import divisions FILE --grow) "
                             "or pass --city-scale 0.1 to generate the demo city")
        from backend.city.generate import generate_city

        city = generate_city(seed=2023 + seed - 1, scale=scale)
        store.import_city(city)
        print(f"generated the demo city at scale {scale}: {len(city.nodes)} nodes, {len(city.workers)} grid workers")
        return CityView.from_city(city)
    return CityView.from_store(store)


def _start_time(args, store, scenario) -> float:
    if args.start:
        start = parse_time(args.start, "--start")
        if len(args.start) == 10:
            start += scenario.start
        return start
    from backend.sim.report import latest_event_time

    latest = latest_event_time(store)
    if latest is not None:
        return float(latest)
    today = dt.datetime.now(CST).date()
    return dt.datetime.combine(today, dt.time(0, 0), CST).timestamp() + scenario.start


def build_simulator(args, store):
    from backend.sim.engine import Simulator
    from backend.sim.scenario import load_scenario
    from domain.rules import default_rules

    rules = default_rules()
    scenario = load_scenario(args.scenario, rules.catalog)
    city = _city(store, args.city_scale, args.seed)
    streets = [s.strip() for s in args.human_streets.split(",") if s.strip()]
    unknown = [s for s in streets if s not in city.names or len(s) != 9]
    if unknown:
        raise ValueError(f"--human-streets: {', '.join(unknown)} is not a street of this city")
    start = _start_time(args, store, scenario)
    sim = Simulator(store, rules, scenario, city, start=start, seed=args.seed, volume=args.volume,
                    human_streets=streets, auto_operator_delay=args.auto_operator_delay)
    sim.adopt_open_cases()
    return sim


def _end_time(args, start: float) -> float | None:
    if args.days is not None:
        if args.days <= 0:
            raise ValueError(f"--days must be positive, got {args.days}")
        return start + args.days * DAY
    if args.until:
        end = parse_time(args.until, "--until")
        if end <= start:
            raise ValueError(f"--until {args.until} is not after the simulated start")
        return end
    return None


def _fmt(t: float) -> str:
    return dt.datetime.fromtimestamp(t, CST).strftime("%Y-%m-%d %H:%M")


def cmd_simulate(args) -> int:
    if args.speed <= 0:
        raise ValueError(f"--speed must be positive, got {args.speed}")
    if args.fast and args.days is None and not args.until:
        raise ValueError("--fast needs a span: --days D or --until TIME")
    store = _open(args)
    sim = build_simulator(args, store)
    end = _end_time(args, sim.start)
    print(f"scenario {sim.scenario.name} from {_fmt(sim.start)}, {sim.arrivals.volume:,.0f} items a day, "
          f"{len(sim.city.grids):,} grids", flush=True)
    if args.fast:
        assert end is not None  # --fast was refused above without a span
        wall = time.perf_counter()
        stats = sim.run_until(end)
        took = time.perf_counter() - wall
        print(f"simulated {_fmt(sim.start)} → {_fmt(end)} in {took:.1f} s: {stats.arrivals:,} reports, "
              f"{stats.commands:,} commands ({stats.refused} refused), {stats.sla_ticks:,} SLA ticks, "
              f"{stats.transactions:,} transactions")
        return 0
    asyncio.run(_live(args, store, sim, end))
    return 0


async def _live(args, store, sim, end: float | None) -> None:
    from backend.clock import SimClock
    from backend.hub import Hub

    clock = SimClock(start=sim.start, speed=args.speed)
    hub = Hub(store, sim.rules, host=args.host, port=args.port, clock=clock, name=f"sim-hub-{os.getpid()}")
    if args.serve:
        await hub.start()
        print(f"serving {hub.url} (database {store.url})", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await sim.run_live(hub, stop=stop, until=end)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        await hub.stop()  # also ends the hub's database threads when it did not serve
    print(f"stopped at {_fmt(sim.now)}: {sim.stats.arrivals:,} reports, {sim.stats.commands:,} commands")


def cmd_report(args) -> int:
    from backend.sim import mix
    from backend.sim.report import day_report, format_report, latest_event_time, parse_date
    from domain.rules import default_rules

    if args.report_kind != "day":
        raise ValueError("report needs a kind: day")
    store = _open(args)
    if args.date:
        date = parse_date(args.date)
        as_of = None
    else:
        latest = latest_event_time(store)
        if latest is None:
            raise ValueError("the database holds no events yet: give --date")
        date = dt.datetime.fromtimestamp(latest, CST).date()
        as_of = latest
    target = args.target_items
    if target is None:
        grids = store.counts().get("grids", 0)
        target = mix.REFERENCE_VOLUME if grids >= mix.REFERENCE_GRIDS * 0.9 or not grids else round(
            mix.REFERENCE_VOLUME * grids / mix.REFERENCE_GRIDS)
    names = {d.code: d.name for d in default_rules().catalog.departments.values()}
    print(format_report(day_report(store, date, as_of, names), target_items=target))
    return 0


HANDLERS = {"simulate": cmd_simulate, "report": cmd_report}
