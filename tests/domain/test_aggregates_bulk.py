"""Aggregates.add_all (the hub's snapshot path) gives exactly what one apply() per case gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.aggregates import Aggregates, contribution, recompute
from domain.model import State

from .test_aggregates import BASE, GRIDS, make

case = st.tuples(
    st.sampled_from(list(State)),
    st.sampled_from(GRIDS + ["370202001", "370203"]),  # cases can sit above a grid too
    st.integers(-200, 60),  # hours from BASE to the report
    st.integers(0, 60),  # hours from report to close
    st.booleans(),  # supervised
    st.booleans(),  # closed on time
)


@settings(max_examples=200, deadline=None)
@given(st.lists(case, max_size=60), st.sampled_from(["", "37", "370202", "370202001"]),
       st.sampled_from([None, BASE + 24 * 3600.0, BASE + 80 * 3600.0]))
def test_add_all_equals_recompute(cases, scope, now):
    built = []
    for i, (state, node, rep_h, close_h, sup, on_time) in enumerate(cases):
        reported = BASE + rep_h * 3600 + 17.0
        closed = reported + close_h * 3600 if state == State.CLOSED else None
        built.append(make(f"c{i}", node, state, 1, reported, supervised=sup, closed_at=closed,
                          on_time=on_time if closed else None))
    bulk = Aggregates(scope)
    if now is not None:
        bulk.prune(now)
    bulk.add_all((c.node, contribution(c)) for c in built)
    assert bulk.to_list() == recompute(built, scope, now).to_list()


def test_add_all_adds_to_what_is_there():
    a = make("a", GRIDS[0], State.REPORTED, 1, BASE)
    b = make("b", GRIDS[1], State.DISPATCHED, 1, BASE + 3600, supervised=True)
    agg = Aggregates("37")
    agg.apply(None, a)
    agg.add_all([(b.node, contribution(b))])
    assert agg.to_list() == recompute([a, b], "37").to_list()
