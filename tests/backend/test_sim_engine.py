"""The engine at a small scale (city 0.02, a few hundred cases a day) on a real SQLite store."""

from __future__ import annotations

import collections
import datetime as dt

import msgspec
import pytest
from sqlalchemy import func, select

from backend.city.generate import generate_city
from backend.sim.cityview import CityView
from backend.sim.engine import Simulator
from backend.sim.scenario import load_scenario
from backend.store import Store
from backend.store.feed import decode_cases, decode_events
from backend.store.models import CaseEventRow, CaseRow, CommandLogRow
from domain.commands import CommandRequest
from domain.model import Action, Actor, Args, Role, State
from domain.protocol import CommandAck
from domain.rules import default_rules

CST = dt.timezone(dt.timedelta(hours=8))
DAY0 = dt.datetime(2026, 3, 18, tzinfo=CST).timestamp()  # a Wednesday
RULES = default_rules()


def make_store(path) -> Store:
    store = Store.open(f"sqlite:///{path}", require_current=False)
    store.migrate()
    return store


@pytest.fixture(scope="module")
def small_city():
    return generate_city(2023, scale=0.02)


def new_sim(tmp_path, city, name="sim.db", seed=11, scenario="normal_day", **kwargs):
    store = make_store(tmp_path / name)
    store.import_city(city)
    # The flow itself, without the trainer's scheduled injections (they shift the seeded draws).
    plain = msgspec.structs.replace(load_scenario(scenario, RULES.catalog), injections=())
    sim = Simulator(store, RULES, plain, CityView.from_city(city),
                    start=kwargs.pop("start", DAY0), seed=seed, **kwargs)
    return store, sim


def all_cases(store):
    with store.engine.connect() as conn:
        return decode_cases(list(conn.execute(select(CaseRow.body).order_by(CaseRow.id)).scalars()))


def all_events(store):
    with store.engine.connect() as conn:
        return decode_events(list(conn.execute(select(CaseEventRow.body).order_by(CaseEventRow.seq)).scalars()))


@pytest.fixture(scope="module")
def day_run(tmp_path_factory, small_city):
    """One simulated day and four hours, shared by the tests that only read it."""
    store, sim = new_sim(tmp_path_factory.mktemp("day"), small_city)
    stats = sim.run_until(DAY0 + 28 * 3600)
    yield store, sim, stats
    store.close()


def test_every_change_went_through_the_command_path(day_run):
    store, sim, stats = day_run
    with store.engine.connect() as conn:
        logged = conn.execute(select(func.count()).select_from(CommandLogRow)
                              .where(CommandLogRow.client_id == sim.client_id)).scalar_one()
    events = all_events(store)
    assert logged == stats.commands > 800
    # One event per accepted command plus the SLA clock's ticks; nothing else wrote.
    assert len(events) == stats.commands - stats.refused + stats.sla_ticks
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    system = [e for e in events if e.event.role is Role.SYSTEM]
    assert len(system) == stats.sla_ticks
    assert {e.event.kind for e in system} <= {Action.SLA_WARNING, Action.SLA_OVERDUE, Action.RESUME}
    for e in events:
        assert e.event.role is Role.SYSTEM or e.event.actor.startswith(("sim-op-", "sim-dept-", "GW"))


def test_the_case_flow_covers_the_whole_loop(day_run):
    store, sim, stats = day_run
    kinds = collections.Counter(e.event.kind for e in all_events(store))
    for action in (Action.REPORT, Action.ACCEPT, Action.DISPATCH, Action.SIGN, Action.RESOLVE, Action.VERIFY,
                   Action.SELF_RESOLVE, Action.MERGE, Action.REJECT, Action.REQUEST, Action.CALLBACK,
                   Action.ASSIST_SIGN, Action.ASSIST_REPORT):
        assert kinds[action] > 0, action
    # departments ask (延期, 挂账, 退单) and the duty officer decides
    assert kinds[Action.APPROVE] + kinds[Action.REJECT_REQUEST] > 0
    cases = all_cases(store)
    states = collections.Counter(c.state for c in cases)
    assert states[State.CLOSED] > 0.45 * len(cases)
    for case in cases:
        if case.state is State.MERGED:
            parent = next(c for c in cases if c.id == case.merged_into)
            assert (parent.node, parent.category) == (case.node, case.category)
        if case.department is not None and case.state is not State.MERGED:
            default = RULES.catalog.categories[case.category].default_department
            assert case.department in (default, "jd", "sq")  # a returned case goes to the street office
    reported = [c for c in cases if DAY0 <= c.reported_at < DAY0 + 86400]
    assert 0.8 * sim.arrivals.volume <= len(reported) <= 1.25 * sim.arrivals.volume


def test_the_sla_sweeper_followed_simulated_time(day_run):
    store, sim, stats = day_run
    ticks = [e for e in all_events(store) if e.event.role is Role.SYSTEM]
    assert ticks, "a simulated day raises some SLA warnings"
    for e in ticks:
        assert DAY0 <= e.event.at <= DAY0 + 28 * 3600
        assert e.event.at % 60 == 0  # swept at simulated minute boundaries
        if e.event.kind is Action.RESUME:  # a suspension's end date
            continue
        handle = e.event.detail.get("stage") == "handle"  # the other steps have their own clock (受理, 派遣, 核查)
        deadline, warning_at = (e.case.deadline, e.case.warning_at) if handle else (e.case.stage_deadline,
                                                                                    e.case.stage_warning_at)
        moment = deadline if e.event.kind is Action.SLA_OVERDUE else warning_at
        assert moment <= e.event.at < moment + 15 * 60
    # Caught up: no running clock is past its moment without the matching state.
    end = DAY0 + 28 * 3600
    for c in all_cases(store):
        if c.state in (State.DISPATCHED, State.IN_PROGRESS, State.RETURNED) and c.deadline is not None:
            if c.deadline <= end - 60:
                assert c.sla_state.value == "overdue", c.id
            elif c.warning_at <= end - 60:
                assert c.sla_state.value in ("warning", "overdue"), c.id


def test_the_same_seed_replays_the_same_run(tmp_path, small_city):
    runs = []
    for name, seed in (("a.db", 3), ("b.db", 3), ("c.db", 4)):
        store, sim = new_sim(tmp_path, small_city, name=name, seed=seed, volume=250)
        sim.run_until(DAY0 + 12 * 3600)
        runs.append([(c.id, c.state, c.version, c.node, c.category, c.closed_at) for c in all_cases(store)])
        store.close()
    assert len(runs[0]) > 40
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_human_streets_and_the_operator_delay_are_respected(tmp_path, small_city):
    city = CityView.from_city(small_city)
    human = city.streets[0]
    store, sim = new_sim(tmp_path, small_city, human_streets=[human], auto_operator_delay=30, volume=500)
    sim.run_until(DAY0 + 12 * 3600)
    events = all_events(store)
    assert not [e for e in events if e.event.actor == f"sim-op-{human}" and e.event.kind is not Action.REPORT]
    waiting = [c for c in all_cases(store) if c.node.startswith(human) and c.state is State.REPORTED]
    assert waiting, "reports in a human street wait for the human operator"
    last_change: dict[str, float] = {}
    operator_moves = 0
    for e in events:
        if e.event.actor.startswith("sim-op-") and e.event.kind is not Action.REPORT:
            assert e.event.at >= last_change[e.event.case_id] + 30 * 60
            operator_moves += 1
        if e.event.role is not Role.SYSTEM:
            last_change[e.event.case_id] = e.event.at
    assert operator_moves > 50


def test_a_human_taking_a_case_first_is_followed_not_fought(tmp_path, small_city):
    """A human accepts and dispatches a case before the virtual operator: the simulator's own
    planned step is refused (conflict), it looks again and lets the department carry on."""
    store, sim = new_sim(tmp_path, small_city, auto_operator_delay=20, volume=150)
    sim.run_until(DAY0 + 9 * 3600)
    case = next(c for c in all_cases(store) if c.state is State.REPORTED)
    human = Actor(id="u-wang", role=Role.OPERATOR, scope=case.node[:9], name="王值班")
    now = sim.now
    ack = store.execute(CommandRequest(client_id="desk-1", id="h1", action=Action.ACCEPT, case_id=case.id,
                                       expected_version=case.version, args=Args(), actor=human), now, RULES)
    assert isinstance(ack, CommandAck)
    ack = store.execute(CommandRequest(client_id="desk-1", id="h2", action=Action.DISPATCH, case_id=case.id,
                                       expected_version=ack.version, args=Args(department="cg"), actor=human),
                        now, RULES)
    assert isinstance(ack, CommandAck)
    refused_before = sim.stats.refused
    while store.case(case.id).state is not State.CLOSED and sim.now < DAY0 + 10 * 86400:
        sim.run_until(sim.now + 3600)
    assert sim.stats.refused > refused_before
    final = store.case(case.id)
    assert final.state is State.CLOSED
    trail = [(e.event.kind, e.event.actor) for e in store.case_events(case.id)]
    assert (Action.SIGN, "sim-dept-cg") in trail
    assert not [a for k, a in trail if k in (Action.ACCEPT, Action.DISPATCH) and a.startswith("sim-op-")]


def test_live_steps_follow_what_humans_do_through_the_feed(tmp_path, small_city):
    """Live mode learns of human changes from the hub's published events (observe)."""
    city = CityView.from_city(small_city)
    human_street = city.streets[1]
    store, sim = new_sim(tmp_path, small_city, human_streets=[human_street], volume=400)
    assert sim.run_due(DAY0 + 10 * 3600) > 0
    assert all(e.case.node[:9] != human_street or e.event.kind is Action.REPORT or e.event.role is not Role.OPERATOR
               for e in all_events(store))
    case = next(c for c in all_cases(store) if c.node.startswith(human_street) and c.state is State.REPORTED)
    human = Actor(id="u-li", role=Role.OPERATOR, scope=human_street, name="李值班")
    now = DAY0 + 10 * 3600 + 60
    head = store.head()[1]
    a1 = store.execute(CommandRequest(client_id="desk-2", id="h1", action=Action.ACCEPT, case_id=case.id,
                                      expected_version=case.version, args=Args(), actor=human), now, RULES)
    store.execute(CommandRequest(client_id="desk-2", id="h2", action=Action.DISPATCH, case_id=case.id,
                                 expected_version=a1.version, args=Args(department="szyl"), actor=human), now, RULES)
    sim.observe(store.events_after(head, 100))  # what the hub's pump would hand over
    t = now
    while store.case(case.id).state is not State.RESOLVED and t < DAY0 + 6 * 86400:
        t += 1800
        sim.run_due(t)
    trail = [(e.event.kind, e.event.actor) for e in store.case_events(case.id)]
    assert (Action.SIGN, "sim-dept-szyl") in trail and (Action.RESOLVE, "sim-dept-szyl") in trail
    assert all(e.event.at <= t for e in store.case_events(case.id))


def test_virtual_operators_acknowledge_alarms(day_run):
    """特急 and overdue cases raise alarms (wall, consoles); the virtual duty officer acknowledges them."""
    store, sim, stats = day_run
    events = all_events(store)
    acks = [e for e in events if e.event.kind is Action.ACKNOWLEDGE]
    assert acks and all(e.event.actor.startswith("sim-op-") for e in acks)
    # Each acknowledgement answers an alarm: the case was critical or overdue at that moment.
    assert all(e.case.urgency.value == "critical" or e.case.sla_state.value == "overdue" for e in acks)
    critical_closed = [c for c in all_cases(store) if c.urgency.value == "critical" and c.state is State.CLOSED
                       and c.accepted_at is not None]
    acked_ids = {e.case.id for e in acks}
    assert critical_closed and all(c.id in acked_ids for c in critical_closed)


def test_a_street_handed_to_a_human_midway_is_left_alone_even_for_steps_planned_before(tmp_path, small_city):
    from collections import Counter

    store, sim = new_sim(tmp_path, small_city, auto_operator_delay=0, volume=800)
    handover = DAY0 + 10 * 3600
    sim.run_until(handover)
    waiting = Counter(t.case.node[:9] for t in sim.tracks.values()
                      if t.case.state in (State.REPORTED, State.ACCEPTED, State.RETURNED))
    human = waiting.most_common(1)[0][0]  # the street with the most operator steps already planned
    sim.actors.human_streets = frozenset({human})  # what demo and training do at the handover
    sim.run_until(DAY0 + 12 * 3600)
    late = [e for e in all_events(store) if e.event.actor == f"sim-op-{human}" and e.event.at > handover
            and e.event.kind is not Action.REPORT]
    assert not late, [(e.event.kind, e.event.case_id) for e in late[:5]]
