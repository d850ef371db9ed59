"""backend.store.bulk: many commands in one transaction, with the store's own per-command guarantees."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from backend.city.generate import generate_city
from backend.sim.cityview import CityView
from backend.sim.engine import Simulator
from backend.sim.scenario import load_scenario
from backend.store import Store, bulk
from backend.store.models import CaseEventRow, CaseRow, CommandLogRow
from domain.commands import CommandRequest
from domain.model import Action, Actor, Args, Role, Source, Urgency
from domain.protocol import CommandAck, CommandError
from domain.rules import default_rules

CST = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 3, 18, 8, tzinfo=CST).timestamp()
RULES = default_rules()
GRID = "370202001001001"
OPERATOR = Actor(id="op", role=Role.OPERATOR, scope="370202001")
REPORT = Args(node=GRID, category="20102", urgency=Urgency.NORMAL, source=Source.HOTLINE)


@pytest.fixture
def store(db_url):
    s = Store.open(db_url, require_current=False)
    s.migrate()
    yield s
    s.close()


def count(store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_batch_answers_like_the_store_and_commits_once(store):
    with bulk.batch(store) as b:
        first = b.execute(CommandRequest(client_id="sim", id="c1", action=Action.REPORT, case_id=None,
                                         expected_version=None, args=REPORT, actor=OPERATOR), START, RULES)
        assert isinstance(first, CommandAck) and first.seq == 1
        assert b.case(first.case_id).version == 1  # the batch sees its own writes
        again = b.execute(CommandRequest(client_id="sim", id="c1", action=Action.REPORT, case_id=None,
                                         expected_version=None, args=REPORT, actor=OPERATOR), START, RULES)
        assert again.replayed and again.case_id == first.case_id  # a retried id: the first answer
        stale = b.execute(CommandRequest(client_id="sim", id="c2", action=Action.ACCEPT, case_id=first.case_id,
                                         expected_version=5, args=Args(), actor=OPERATOR), START + 60, RULES)
        assert isinstance(stale, CommandError) and stale.code == "conflict"
        ok = b.execute(CommandRequest(client_id="sim", id="c3", action=Action.ACCEPT, case_id=first.case_id,
                                      expected_version=1, args=Args(), actor=OPERATOR), START + 60, RULES)
        assert isinstance(ok, CommandAck) and ok.seq == 2
        assert store.head()[1] == 0  # nothing visible outside before the commit
    assert store.head()[1] == 2
    assert store.case(first.case_id).state.value == "accepted"
    assert count(store, CommandLogRow) == 3  # the refusal is logged too, as Store.execute does
    assert b.commands == 4


def test_a_failing_batch_leaves_nothing_behind(store):
    with pytest.raises(RuntimeError, match="boom"):
        with bulk.batch(store) as b:
            b.execute(CommandRequest(client_id="sim", id="c1", action=Action.REPORT, case_id=None,
                                     expected_version=None, args=REPORT, actor=OPERATOR), START, RULES)
            raise RuntimeError("boom")
    assert store.head()[1] == 0
    assert count(store, CaseRow) == count(store, CaseEventRow) == count(store, CommandLogRow) == 0


def test_a_short_simulation_keeps_the_stream_gap_free(store):
    city = generate_city(2023, scale=0.02)
    store.import_city(city)
    sim = Simulator(store, RULES, load_scenario("normal_day", RULES.catalog), CityView.from_city(city),
                    start=START, seed=9, volume=600)
    stats = sim.run_until(START + 4 * 3600)
    events = store.events_after(0, 100_000)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert len(events) == stats.commands - stats.refused + stats.sla_ticks
    assert count(store, CommandLogRow) == stats.commands
    assert stats.transactions < stats.commands / 5  # batched, not one transaction per command
