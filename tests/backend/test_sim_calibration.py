"""Calibration: a simulated normal day of the full city matches the platform's published figures.

Qingdao handles ~9,000 items a day with a 99% completion rate. A fixed seed on the
full-scale demo city (~14,000 grids) must give 9,000 ± 10% items and at least 95% 按期结案率
on the cases due that day (应结案数: their deadline fell on the day), computed from the
database by ``report day`` with the definitions of ``domain.indicators`` — not from the
simulator's counters. The run goes on until 04:00 the next morning, so the cases due late
in the evening have had the verification visit that closes them.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from backend.city.generate import generate_city
from backend.sim.cityview import CityView
from backend.sim.engine import Simulator
from backend.sim.report import day_report, format_report
from backend.sim.scenario import load_scenario
from backend.store import Store
from domain.rules import default_rules

CST = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 3, 18)  # an ordinary Wednesday
START = dt.datetime.combine(DAY, dt.time(0, 0), CST).timestamp()
RULES = default_rules()


@pytest.mark.slow
def test_a_simulated_normal_day_matches_the_city_figures(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'day.db'}", require_current=False)
    store.migrate()
    city = generate_city(2023, scale=1.0)
    store.import_city(city)
    sim = Simulator(store, RULES, load_scenario("normal_day", RULES.catalog), CityView.from_city(city),
                    start=START, seed=20230101)
    wall = time.perf_counter()
    stats = sim.run_until(START + 28 * 3600)
    took = time.perf_counter() - wall
    names = {d.code: d.name for d in RULES.catalog.departments.values()}
    report = day_report(store, DAY, department_names=names)
    print(f"\n{stats.commands:,} commands in {took:.1f} s ({1e3 * took / stats.commands:.2f} ms each), "
          f"{stats.transactions} transactions\n{format_report(report)}")

    assert 8_100 <= report.items <= 9_900
    assert report.counts.due > 2_000
    # The rest of the picture the simulator is calibrated to: on time, on the spot, a few late.
    assert report.on_time_rate >= 0.95
    assert 0.10 <= report.self_resolved_rate <= 0.30
    assert 0.005 <= report.breach_share <= 0.05
    assert report.overdue_alarms > 0
    assert report.departments[0].code == "cg"  # 城管 carries the most, as on every real platform
    store.close()
