"""Scenario files: the shipped ones load, and every mistake a trainer can make is named."""

from __future__ import annotations

import pytest

from backend.sim.scenario import ScenarioError, list_scenarios, load_scenario, parse_scenario
from domain.model import Source, Urgency
from domain.rules import default_rules

CATALOG = default_rules().catalog


def test_the_four_shipped_scenarios_load_with_their_character():
    assert list_scenarios() == ["festival", "flood_season", "normal_day", "winter_night"]
    normal = load_scenario("normal_day", CATALOG)
    assert normal.daily_volume == 9000
    assert normal.urgency == {Urgency.NORMAL: 0.85, Urgency.URGENT: 0.12, Urgency.CRITICAL: 0.03}
    assert normal.source[Source.GRID_WORKER] == 0.55

    winter = load_scenario("winter_night", CATALOG)
    assert winter.start == 18 * 3600
    assert winter.categories["20451"] > 1 and winter.categories["20402"] > 1 and winter.categories["20453"] > 1
    assert [(i.day, i.at, i.category, i.urgency) for i in winter.injections][0] == (
        1, 21 * 3600 + 5 * 60, "20451", Urgency.CRITICAL)

    flood = load_scenario("flood_season", CATALOG)
    assert flood.daily_volume > normal.daily_volume
    assert flood.urgency[Urgency.URGENT] + flood.urgency[Urgency.CRITICAL] > 0.25
    assert flood.categories["20456"] > 10 and flood.categories["10552"] > 1

    festival = load_scenario("festival", CATALOG)
    assert festival.categories["21102"] > 1 and festival.categories["20501"] > 1 and festival.categories["21101"] > 1
    assert festival.hourly[20] > festival.hourly[10]  # the evening peak


def test_a_scenario_file_by_path(tmp_path):
    path = tmp_path / "drill.toml"
    path.write_text('name = "演练"\n[[inject]]\nat = "09:30"\ncategory = "20457"\ngrid = "370202001001001"\n'
                    'urgency = "critical"\n', encoding="utf-8")
    scenario = load_scenario(str(path), CATALOG)
    assert scenario.name == "演练"
    assert scenario.injections[0].node == "370202001001001"
    assert scenario.injections[0].source is Source.HOTLINE  # the default source of an injection


def test_an_unknown_scenario_name_lists_the_shipped_ones():
    with pytest.raises(ScenarioError, match="unknown scenario 'carnival'.*festival, flood_season"):
        load_scenario("carnival", CATALOG)


BAD = [
    ('description = "x"', "name must be a non-empty string"),
    ('name = "x"\nvolume = 5', "unknown key 'volume'"),
    ('name = "x"\nstart = "25:00"', 'start must be a time of day "HH:MM"'),
    ('name = "x"\ndaily_volume = 0', "daily_volume must be > 0"),
    ('name = "x"\ndaily_volume = "many"', "daily_volume must be a number"),
    ('name = "x"\n[urgency]\nnormal = 0.5\nurgent = 0.2\ncritical = 0.1', "urgency: the shares must sum to 1, they sum to 0.8"),
    ('name = "x"\n[urgency]\nnormal = 0.9\nhigh = 0.1', "urgency: unknown key 'high'"),
    ('name = "x"\n[source]\ngrid_worker = 1.5\nresident = -0.5', "source.resident must be >= 0"),
    ('name = "x"\n[categories]\n"99999" = 2.0', "categories: unknown category code '99999'"),
    ('name = "x"\n[categories]\n"20451" = -1', "categories.20451 must be >= 0"),
    ('name = "x"\nhourly = [1, 2, 3]', "hourly must be a list of 24 numbers"),
    ('name = "x"\n[[hotspot]]\nnode = "3702x"\nweight = 2', "hotspot #1: node: node code '3702x' must contain only"),
    ('name = "x"\n[[hotspot]]\nnode = "370202"\nweight = 0', "hotspot #1: weight must be > 0"),
    ('name = "x"\n[actors]\nreturn_rate = 2.0', "actors.return_rate is a share and must be between 0 and 1"),
    ('name = "x"\n[actors]\npatience = 2.0', "actors: unknown key 'patience'"),
    ('name = "x"\n[[inject]]\nat = "9:30"\ncategory = "20457"', 'inject #1: at must be a time of day'),
    ('name = "x"\n[[inject]]\nat = "09:30"\ncategory = "1"', "inject #1: unknown category '1'"),
    ('name = "x"\n[[inject]]\nat = "09:30"\ncategory = "20457"\nstreet = "370202"',
     "inject #1: street '370202' is a district code, not a street code"),
    ('name = "x"\n[[inject]]\nat = "09:30"\ncategory = "20457"\nstreet = "370202001"\ngrid = "370202001001001"',
     "give at most one of grid, street, district"),
    ('name = "x"\n[[inject]]\nat = "09:30"\ncategory = "20457"\nurgency = "panic"',
     "inject #1: urgency: unknown value 'panic'; known: normal, urgent, critical"),
    ('name = "x"\n[[inject]]\nat = "09:30"\ncategory = "20457"\nday = 0', "inject #1: day must be >= 1"),
    ('name = "x"\n[[inject]]\nat = "09:30"\ncategory = "20457"\nday = 1.5', "inject #1: day must be a whole number"),
    ('name = "x"\n[[inject]]\nat = "09:30"\ncategory = "20457"\nsource = "rumour"', "inject #1: source: unknown value"),
    ('name = ', "invalid TOML"),
]


@pytest.mark.parametrize("text, message", BAD, ids=[m for _, m in BAD])
def test_bad_scenarios_are_refused_with_the_file_and_field_named(text, message):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "drill.toml", CATALOG)
    assert str(info.value).startswith("drill.toml: ")
    assert message in str(info.value)


def test_every_shipped_scenario_gives_the_trainer_scheduled_injections():
    for name in list_scenarios():
        scenario = load_scenario(name, CATALOG)
        assert scenario.injections, f"{name} has no scheduled injections"
