"""Demo mode: the simulator leaves the human operator's street to the human."""

from __future__ import annotations

import datetime

from backend.embedded import DemoCity
from domain.model import Action, State

#: A working-day morning (China Standard Time): reports keep coming, whatever the clock says now.
MORNING = datetime.datetime(2026, 12, 2, 11, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))).timestamp()


def test_demo_leaves_the_operators_street_to_the_operator(tmp_path):
    demo = DemoCity(db=f"sqlite:///{tmp_path / 'demo.db'}", scale=0.05, scenario="flood_season", speed=1.0,
                    prefill_hours=3.0, human_role="operator", handover_hours=1.5, sim_start=MORNING,
                    paused=True).start()
    try:
        street = demo.human_scope[:9]
        assert demo.human_streets == (street,)
        assert demo.sim.actors.human_streets == {street}
        now = demo.clock.now()
        snapshot = demo.store.snapshot(street, now)
        cases = snapshot.cases
        assert [c for c in cases if c.state is State.REPORTED], "new reports wait for the human in 待受理"
        for case in cases:
            for e in demo.store.case_events(case.id):
                if e.event.at > now - 1.5 * 3600 + 1 and e.event.kind is not Action.REPORT:
                    assert not e.event.actor.startswith("sim-op-"), (case.id, e.event.kind)
    finally:
        demo.stop()


def test_demo_wall_keeps_every_street_simulated(tmp_path):
    demo = DemoCity(db=f"sqlite:///{tmp_path / 'demo.db'}", scale=0.02, speed=1.0, prefill_hours=0.5,
                    human_role="wall").start()
    try:
        assert demo.sim.actors.human_streets == frozenset()
    finally:
        demo.stop()
