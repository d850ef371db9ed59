"""What the console rebuilds off the GUI thread after a snapshot equals the plain path on the same cases:
the map's points (``CasePoints.of`` against one ``upsert`` per case) and the alarms still waiting
(``outstanding`` against sorting every waiting case)."""

from __future__ import annotations

import random

import msgspec
import numpy as np

from desktop import background
from desktop.console.outstanding import outstanding, overdue
from desktop.mapdata import CasePoints
from domain.model import OPEN_STATES, SlaState, Urgency
from tests.backend_client.factories import GRIDS, random_case


def _cases(n: int = 3000, seed: int = 5):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        case = random_case(rng, i)
        placed = rng.random() < 0.8
        out.append(msgspec.structs.replace(
            case, lon=120.3 + rng.random() / 10 if placed else None, lat=36.0 + rng.random() / 10 if placed else None,
            acknowledged_by="u9" if rng.random() < 0.2 else None,
            stage_sla=SlaState.OVERDUE if rng.random() < 0.1 else SlaState.NONE,
            updated_at=round(case.reported_at / 600) * 600))  # many ties in time
    return out


def test_points_built_column_wise_equal_one_upsert_per_case():
    cases = _cases()
    plain = CasePoints()
    for case in cases:
        plain.upsert(case)
    built = background.submit(CasePoints.of, cases).result()  # where the console builds them
    n = len(plain.ids)
    assert n > 1000 and built.ids == plain.ids and built.slot == plain.slot and len(built) == len(plain)
    for name in ("lon", "lat", "node", "sla", "urgency", "alive"):
        assert np.array_equal(getattr(built, name)[:n], getattr(plain, name)[:n]), name
    for code in ("", GRIDS[0][:9], GRIDS[3]):
        a, b = built.arrays(code), plain.arrays(code)
        assert a[0] == b[0] and all(np.array_equal(x, y) for x, y in zip(a[1:], b[1:], strict=True))
    # and it goes on like the plain one: a later upsert and removal land the same
    for points in (built, plain):
        points.upsert(msgspec.structs.replace(cases[7], lon=121.0, lat=36.5))
        points.remove(plain.ids[3])
    assert built.arrays("")[0] == plain.arrays("")[0]
    assert np.array_equal(built.arrays("")[1], plain.arrays("")[1])


def test_no_points_from_no_cases():
    assert len(CasePoints.of([])) == 0 and CasePoints.of([]).arrays("")[0] == []


def test_outstanding_alarms_equal_sorting_every_waiting_case():
    cases = _cases(4000)
    root = GRIDS[0][:9]
    for limit in (1, 20, 10_000):
        waiting = [c for c in cases if c.acknowledged_by is None and c.state in OPEN_STATES
                   and c.node.startswith(root) and (c.urgency is Urgency.CRITICAL or overdue(c))]
        waiting.sort(key=lambda c: c.updated_at or c.reported_at)  # what the console did on the GUI thread
        expected = waiting[-limit:]
        found = background.submit(outstanding, cases, root, limit).result()
        assert [c.id for c in found] == [c.id for c in expected]
        assert len(found) == min(limit, len(waiting)) > 0


def test_the_seeder_hands_out_what_outstanding_finds_a_few_at_a_time():
    from desktop.console.outstanding import Seeder

    cases = _cases(2000)
    root = GRIDS[0][:9]
    expected = outstanding(cases, root, 7)
    seeder = Seeder()
    seeder.start(cases, root, 7)
    got: list = []
    while seeder.busy:
        got += seeder.take(2)
    assert [c.id for c in got] == [c.id for c in expected] and len(got) == 7
    seeder.start(cases, root, 7)
    seeder.cancel()
    assert not seeder.busy and seeder.take(2) == []
