"""Arrivals: volume, rhythm, mix, hot spots, duplicates and injections, deterministic from a seed."""

from __future__ import annotations

import collections
import datetime as dt

import msgspec
import pytest

from backend.city.generate import generate_city
from backend.sim.arrivals import ArrivalModel
from backend.sim.cityview import CityView
from backend.sim.scenario import ScenarioError, load_scenario, parse_scenario
from domain.model import Source, Urgency
from domain.rules import default_rules

CST = dt.timezone(dt.timedelta(hours=8))
DAY0 = dt.datetime(2026, 3, 18, tzinfo=CST).timestamp()
CATALOG = default_rules().catalog


@pytest.fixture(scope="module")
def city() -> CityView:
    return CityView.from_city(generate_city(2023, scale=0.02))


def _day(city, scenario="normal_day", seed=5, volume=9000.0, day_no=0, start=DAY0):
    sc = load_scenario(scenario, CATALOG) if isinstance(scenario, str) else scenario
    model = ArrivalModel(sc, CATALOG, city, seed, volume)
    day_start = DAY0 + day_no * 86400
    return model.day(day_no, day_start, max(start, day_start), day_start + 86400)


def test_the_same_seed_gives_the_same_day_and_another_seed_another(city):
    assert _day(city, seed=5) == _day(city, seed=5)
    assert _day(city, seed=5) != _day(city, seed=6)
    assert _day(city, day_no=0) != _day(city, day_no=1)


def test_volume_rhythm_and_mix_of_a_normal_day(city):
    arrivals = _day(city)
    # 9,000 a day, Poisson per hour (σ ≈ 95), plus ~1.5% duplicate reports.
    assert 8_800 <= len(arrivals) <= 9_500
    assert all(DAY0 <= a.at < DAY0 + 86400 for a in arrivals)
    assert [a.at for a in arrivals] == sorted(a.at for a in arrivals)
    by_hour = collections.Counter(int((a.at - DAY0) // 3600) for a in arrivals)
    assert by_hour[3] * 8 < by_hour[10]  # the night low against the morning peak
    assert by_hour[12] < by_hour[15]  # the lunch dip against the afternoon peak
    urgency = collections.Counter(a.urgency for a in arrivals)
    assert urgency[Urgency.NORMAL] / len(arrivals) == pytest.approx(0.85, abs=0.02)
    assert urgency[Urgency.URGENT] / len(arrivals) == pytest.approx(0.12, abs=0.02)
    assert urgency[Urgency.CRITICAL] / len(arrivals) == pytest.approx(0.03, abs=0.01)
    source = collections.Counter(a.source for a in arrivals)
    assert source[Source.GRID_WORKER] / len(arrivals) == pytest.approx(0.55, abs=0.03)
    assert {Source.RESIDENT, Source.HOTLINE, Source.VIDEO, Source.MEETING} <= set(source)
    classes = collections.Counter(a.category[:3] for a in arrivals)
    assert classes["201"] > classes["213"] > classes["204"]  # city appearance ≫ safety ≫ emergencies


def test_categories_that_are_never_normal_are_raised_to_urgent(city):
    sc = parse_scenario('name = "x"\n[categories]\n"20451" = 400.0', "x.toml", CATALOG)
    trapped = [a for a in _day(city, sc) if a.category == "20451"]
    assert len(trapped) > 100
    assert all(a.urgency in (Urgency.URGENT, Urgency.CRITICAL) for a in trapped)


def test_duplicates_follow_their_original_in_the_same_grid(city):
    arrivals = _day(city)
    dups = [(i, a) for i, a in enumerate(arrivals) if a.duplicate_of >= 0]
    assert 60 <= len(dups) <= 220  # ~1.5% of 9,000
    for i, a in dups:
        first = arrivals[a.duplicate_of]
        assert a.duplicate_of < i and first.at < a.at <= first.at + 3 * 3600
        assert (first.grid, first.category) == (a.grid, a.category)
        assert first.duplicate_of == -1
        assert a.source in (Source.RESIDENT, Source.HOTLINE)


def test_hot_spots_draw_more_cases_to_their_grids(city):
    district = "370213"
    base = load_scenario("normal_day", CATALOG)
    plain = msgspec.structs.replace(base, hotspots=(), random_hotspot_grids=0)
    hot = parse_scenario(f'name = "x"\n[[hotspot]]\nnode = "{district}"\nweight = 4.0', "x.toml", CATALOG)
    share = lambda arrivals: sum(a.grid.startswith(district) for a in arrivals) / len(arrivals)  # noqa: E731
    plain_share, hot_share = share(_day(city, plain)), share(_day(city, hot))
    assert plain_share > 0.02
    # Weight 4 on a district holding share p of the weight gives 4p / (1 + 3p).
    expected = 4 * plain_share / (1 + 3 * plain_share)
    assert hot_share == pytest.approx(expected, rel=0.15)

    random_spots = parse_scenario('name = "x"\n[random_hotspots]\ngrids = 5\nweight = 30.0', "x.toml", CATALOG)
    per_grid = collections.Counter(a.grid for a in _day(city, random_spots))
    assert sum(n for _, n in per_grid.most_common(5)) > 0.2 * sum(per_grid.values())


def test_a_hot_spot_outside_the_city_is_refused(city):
    sc = parse_scenario('name = "x"\n[[hotspot]]\nnode = "110101"\nweight = 2.0', "beijing.toml", CATALOG)
    with pytest.raises(ScenarioError, match="beijing.toml: hot spot node 110101 has no grids in this city"):
        ArrivalModel(sc, CATALOG, city, 1)


def test_injections_arrive_at_their_time_and_place(city):
    winter = load_scenario("winter_night", CATALOG)
    run_start = DAY0 + winter.start  # 18:00
    first = [a for a in _day(city, winter, start=run_start) if a.injected]
    assert [(a.at - DAY0, a.category, a.urgency) for a in first] == [
        (21 * 3600 + 300, "20451", Urgency.CRITICAL), (23 * 3600 + 2400, "20402", Urgency.URGENT)]
    assert first[0].grid.startswith("370202") and first[1].grid.startswith("370203")
    assert "电梯困人" in first[0].description or "被困" in first[0].description
    second = [a for a in _day(city, winter, day_no=1, start=run_start) if a.injected]
    assert [(a.at - DAY0 - 86400, a.category) for a in second] == [(6 * 3600 + 1800, "20453")]
    # Nothing of the scenario's first day before its start time.
    assert all(a.at >= run_start for a in _day(city, winter, start=run_start))


def test_volume_scales_with_the_city_by_default(city):
    model = ArrivalModel(load_scenario("normal_day", CATALOG), CATALOG, city, 1)
    assert model.volume == pytest.approx(9000 * len(city.grids) / 14000)
    with pytest.raises(ValueError, match="volume must be >= 0"):
        ArrivalModel(load_scenario("normal_day", CATALOG), CATALOG, city, 1, volume=-5)


@pytest.mark.parametrize("scenario", ["normal_day", "winter_night", "flood_season", "festival"])
def test_the_simulator_never_reports_under_a_retired_item(city, scenario):
    sc = load_scenario(scenario, CATALOG)
    assert all(not CATALOG.category(code).retired for code in sc.categories)
    assert all(not CATALOG.category(i.category).retired for i in sc.injections)
    arrivals = _day(city, sc, volume=3000.0)
    assert arrivals and not any(CATALOG.category(a.category).retired for a in arrivals)


def test_a_scenario_under_an_old_code_names_its_successor():
    with pytest.raises(ScenarioError, match=r"categories: category 03005 is retired; use 20451 \(电梯困人\)"):
        parse_scenario('name = "x"\n[categories]\n"03005" = 2.0', "x.toml", CATALOG)
    with pytest.raises(ScenarioError, match=r"inject #1: category 05004 is retired \(grid work, not an event\)"):
        parse_scenario('name = "x"\n[[inject]]\nat = "08:00"\ncategory = "05004"', "x.toml", CATALOG)
