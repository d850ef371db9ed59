"""The pure parts of the grid's own work: visit frequencies, due days, masking, figures, patrol plans."""

from __future__ import annotations

import pytest

from domain.catalog import load_catalog
from domain.errors import DomainError
from domain.gridwork.care import DAY, end_of_day, next_due, visit_frequency_days
from domain.gridwork.masking import mask_name, mask_person, may_see
from domain.gridwork.meetings import Matter, Meeting, year_figures
from domain.gridwork.patrols import coverage_of, planned_kinds
from domain.gridwork.register import CarePerson, RegisterFigures, sum_figures
from domain.gridwork.visits import rate_of
from domain.lifecycle import apply
from domain.model import Action, Actor, Args, Role, Source, Urgency
from domain.rules import default_rules

T0 = 1773108000.0  # Tuesday 2026-03-10 10:00 CST


def test_visit_frequency_is_the_shortest_of_the_groups_and_due_by_the_end_of_the_day():
    assert visit_frequency_days(("veterans",)) == 30
    assert visit_frequency_days(("veterans", "elderly_alone")) == 7
    assert visit_frequency_days(("unknown",)) == 30
    due = next_due(T0, 7)
    assert due == end_of_day(T0 + 7 * DAY) and T0 + 7 * DAY < due < T0 + 7 * DAY + 14 * 3600
    assert (due + 1 + 8 * 3600) % DAY == 0  # the next second is midnight CST


@pytest.mark.parametrize("name, shown", [("张三明", "张*明"), ("张三", "张*"), ("欧阳小明", "欧**明"), ("张", "张")])
def test_names_are_shortened(name, shown):
    assert mask_name(name) == shown


def test_masking_by_role():
    person = CarePerson(id="p", grid="370202001001001", name="张三明", groups=("elderly_alone",),
                        id_number="370202194101011234", phone="13912345678")
    for role in (Role.OPERATOR, Role.SUPERVISOR, Role.WALL, Role.DEPARTMENT, Role.TRAINER):
        masked = mask_person(person, role)
        assert (masked.name, masked.id_number, masked.phone) == ("张*明", None, None)
    worker = mask_person(person, Role.GRID_WORKER)
    assert (worker.name, worker.id_number, worker.phone) == ("张三明", None, "13912345678")
    assert mask_person(person, Role.ADMIN) == person
    assert may_see(Role.ADMIN, "id_number") and not may_see(Role.GRID_WORKER, "id_number")


def test_figures_sum():
    a = RegisterFigures(grids=1, households=10, residents=25, special_care={"disabled": 2}, care_people=2)
    b = RegisterFigures(grids=1, households=5, residents=12, special_care={"disabled": 1, "veterans": 3},
                        care_people=4)
    total = sum_figures([a, b])
    assert (total.grids, total.households, total.residents, total.care_people) == (2, 15, 37, 6)
    assert total.special_care == {"disabled": 3, "veterans": 3}


def test_rates_and_year_figures():
    rate = rate_of("g", "", [(T0, T0 - 10), (T0, T0 + 10), (T0, None), (T0 + 99, None)], now=T0 + 50)
    assert (rate.due, rate.done_on_time, rate.overdue_open, rate.rate) == (3, 1, 1, 1 / 3)
    meetings = [Meeting(id="m1", grid="g", held_at=T0, topic="t", opinions=10, resolved=2,
                        matters=(Matter("a", case_id="c1", case_state="closed"), Matter("b", case_id="c2",
                                                                                       case_state="dispatched"),
                                 Matter("c"))),
                Meeting(id="m2", grid="g", held_at=T0, topic="t", opinions=5, resolved=1)]
    f = year_figures("g", 2026, meetings)
    assert (f.meetings, f.resolved, f.opinions, f.raised, f.cases_linked, f.cases_closed) == (2, 4, 15, 3, 2, 1)


def test_patrol_plan_follows_the_seasons():
    assert planned_kinds(1) == ("routine", "ice")
    assert planned_kinds(7) == ("routine", "flood")
    assert planned_kinds(5) == ("routine",)
    cov = coverage_of("g", "", "2026-01-05", 1, 1, {"g": {"routine"}}, grid_level=True)
    assert (cov.planned, cov.done, cov.kinds_open) == (2, 1, ("ice",))


def test_work_categories_left_the_catalog_but_old_cases_stay_readable():
    catalog = load_catalog()
    assert catalog.categories["05004"].retired and catalog.categories["07003"].retired
    assert catalog.categories["05004"].name == "冰面安全巡查"  # an old case still shows its category
    assert not catalog.categories["21305"].retired
    actor = Actor(id="w", role=Role.GRID_WORKER, scope="370202001001001")
    args = Args(node="370202001001001", category="07003", urgency=Urgency.NORMAL, source=Source.GRID_WORKER)
    with pytest.raises(DomainError, match="retired"):
        apply(None, Action.REPORT, args, actor, T0, default_rules(), new_id="c1")
