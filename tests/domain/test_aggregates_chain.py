"""A node's chain taken from its parent's (the snapshot path) equals the one ``lineage`` gives, errors included."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.aggregates import Aggregates
from domain.hierarchy import CodeError, lineage

# Codes of 1 to 6 parts (37 / 3702 / 370202 / ...), with all-zero and non-digit parts among them.
two = st.sampled_from(["02", "03", "00", "1x"])
three = st.sampled_from(["001", "002", "000", "0a1"])
code = st.tuples(st.sampled_from(["37", "38"]), two, two, three, three, three, st.integers(1, 6)).map(
    lambda t: "".join(t[:t[6]]))


def plain(node: str, scope: str) -> tuple[str, ...]:
    if node.startswith(scope):
        return tuple(c for c in lineage(node) if len(c) >= len(scope))
    lineage(node)
    return ()


def outcome(fn, *args):
    try:
        return fn(*args)
    except CodeError as exc:
        return ("error", str(exc))


@settings(max_examples=300, deadline=None)
@given(st.lists(code, max_size=40), st.sampled_from(["", "37", "3702", "370202", "370202001"]))
def test_chains_from_parents_equal_lineage(codes, scope):
    aggs = Aggregates(scope)
    for node in sorted(codes):  # by code, as a snapshot's aggregates come: parents first
        assert outcome(aggs._chain, node) == outcome(plain, node, scope)


def test_the_parent_path_is_taken_and_checks_the_own_part():
    aggs = Aggregates("3702")
    for node in ("3702", "370202", "370202001", "370202001002"):
        aggs._chain(node)
    assert aggs._chain_from_parent("370202001002003") == ("3702", "370202", "370202001", "370202001002",
                                                        "370202001002003")
    assert aggs._chain_from_parent("370202001002000") is None  # its own part is all zeros
    with pytest.raises(CodeError, match="all zeros"):
        aggs._chain("370202001002000")
