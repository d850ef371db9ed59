"""The grid-work simulator: believable rates, and scenario injections (a missed visit, a meeting's matters)."""

from __future__ import annotations

import pytest

from backend.gridwork.sim import GridworkSim, day_start
from backend.gridwork.store import GridworkStore
from backend.sim.scenario import ScenarioError, parse_scenario
from domain.gridwork.care import DAY
from domain.model import Role, Source
from tests.backend.gridwork.conftest import GRID, STREET, T0, WORKERS

SCENARIO = """
name = "test"
[[gridwork]]
kind = "missed_visit"
at = "08:00"
node = "370202001001001"
people = 1
days = 3

[[gridwork]]
kind = "meeting"
at = "15:00"
day = 2
node = "370202001"
matters = 3
"""


def _workers():
    out: dict[str, list] = {}
    for w in WORKERS:
        out.setdefault(w.grid, []).append(w)
    return out


def test_a_month_of_work_at_believable_rates(registered, rules):
    sim = GridworkSim(registered, rules, "370202", _workers(), start=T0, seed=3)
    t = T0
    while t < T0 + 30 * DAY:
        t += DAY / 4
        sim.run_until(t, cases=False)
    g = GridworkStore(registered)
    rate = g.visit_queue(STREET, Role.OPERATOR, t).rate
    assert rate.due >= 8 and rate.done_on_time / rate.due >= 0.8  # a few are late, most on time
    assert sim.patrols >= 0.9 * 3 * 30 * 2 and sim.cases == 0  # 3 grids, 2 patrols a day (March), no cases
    assert 0 <= sim.meetings <= 12  # about one a month per grid; the model grid more
    with registered.engine.connect() as conn:
        hours = [((at + 8 * 3600) % DAY) / 3600 for (at,) in conn.exec_driver_sql("SELECT at FROM gw_visits")]
    assert hours and all(8.5 <= h <= 18.0 for h in hours)


def test_scenario_injects_a_missed_visit_and_a_meetings_matters(registered, rules):
    scenario = parse_scenario(SCENARIO, "test.toml", rules.catalog)
    assert [i.kind for i in scenario.gridwork] == ["missed_visit", "meeting"]
    g = GridworkStore(registered)
    first_due = min(due for _, _, _, due, _ in g.open_tasks_due(GRID, float("inf")))
    sim = GridworkSim(registered, rules, "370202", _workers(), start=T0, seed=3, injections=scenario.gridwork,
                      day1=day_start(T0))
    t = T0
    while t < first_due + 2 * DAY:
        t += 3600
        sim.run_until(t)
    queue = g.visit_queue(STREET, Role.OPERATOR, t, overdue_only=True)
    held = [x for x in queue.tasks if x.grid == GRID]
    assert len(held) == 1 and held[0].due_at == first_due and held[0].days_overdue >= 1
    log = g.meeting_log(STREET, Role.OPERATOR, 2026)
    injected = [m for m in log.meetings if len(m.matters) == 3 and all(x.case_id for x in m.matters)]
    assert injected and injected[0].grid == GRID
    cases = [registered.case(x.case_id) for x in injected[0].matters]
    assert all(c.source == Source.MEETING and c.node == GRID for c in cases)
    while t < first_due + 5 * DAY:  # the hold ends three days after the due day: the visit is made
        t += 3600
        sim.run_until(t)
    assert not [x for x in g.visit_queue(GRID, Role.OPERATOR, t, overdue_only=True).tasks if x.due_at == first_due]


@pytest.mark.parametrize("entry, message", [
    ('kind = "tea_party"\nat = "08:00"\nnode = "370202"', "kind must be one of"),
    ('kind = "meeting"\nat = "25:00"\nnode = "370202"', "at must be a time of day"),
    ('kind = "meeting"\nat = "08:00"\nnode = "12345"', "node:"),
    ('kind = "meeting"\nat = "08:00"\nnode = "370202"\nmatters = 40', "matters must be a whole number"),
    ('kind = "meeting"\nat = "08:00"\nnode = "370202"\nguests = 4', "unknown key 'guests'"),
])
def test_bad_gridwork_injections_name_the_file_and_entry(rules, entry, message):
    with pytest.raises(ScenarioError, match=rf"bad\.toml: gridwork #1: .*{message}"):
        parse_scenario(f'name = "x"\n[[gridwork]]\n{entry}\n', "bad.toml", rules.catalog)
