"""The index's one-pass columns and its bulk load equal the plain per-case path on the same cases."""

from __future__ import annotations

import random

import msgspec
import numpy as np
import pytest

from backend_client import queue_columns
from backend_client.queue_index import _NODE_NUMBERS, QUEUE_BITS, CaseIndex, node_number, queue_bits
from domain.model import Callback, Case, Request, RequestKind, Satisfaction, SlaState
from domain.queues import Queue

from .factories import T0, random_case

ME = "u-me"


def varied_case(rng: random.Random, n: int, now: float | None = None) -> Case:
    """A random case with the facts each queue reads set at random, in and out of the states they count in."""
    case = random_case(rng, n, now=now)
    alert = (SlaState.NONE, SlaState.OK, SlaState.WARNING, SlaState.OVERDUE)
    extra: dict = {"stage_sla": rng.choice(alert), "sign_sla": rng.choice(alert),
                   "assignee": rng.choice((None, ME, "u-other")),
                   "caller_phone": rng.choice(("", "13800000000"))}
    if rng.random() < 0.4:
        extra["sla_state"] = rng.choice(alert)
    if rng.random() < 0.5:
        extra["sign_deadline"] = T0 + 3600
        extra["signed_at"] = rng.choice((None, T0))
    if rng.random() < 0.4:
        extra["request"] = Request(kind=RequestKind.EXTEND, reason="延期", by="d1", at=T0,
                                   approved=rng.choice((None, True, False)))
    if rng.random() < 0.5:
        extra["callback"] = Callback(satisfaction=rng.choice(list(Satisfaction)), by="o1", at=T0)
    return msgspec.structs.replace(case, **extra)


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    rng = random.Random(20)
    return [varied_case(rng, n) for n in range(6000)]


@pytest.mark.parametrize("me", [None, ME])
def test_queue_bits_from_columns_equal_the_predicates_case_by_case(cases, me):
    cols = queue_columns.columns(cases, me, {}, node_number, lambda w: 0, lambda w: 0)
    plain = np.array([queue_bits(k, me) for k in cases], dtype=np.uint16)
    assert np.array_equal(cols["queues"], plain)
    for queue, bit in QUEUE_BITS.items():  # every queue both held and not held: the comparison can fail
        held = int(np.count_nonzero(plain & bit))
        if queue is Queue.MINE and me is None:
            assert held == 0
        elif queue is Queue.ALL:
            assert held == len(cases)
        else:
            assert 0 < held < len(cases), queue


def _state(index: CaseIndex) -> dict:
    n = index.size
    return {"cols": {k: v[:n].tolist() for k, v in index.cols.items()}, "cases": index.cases[:n].tolist(),
            "slot_of": dict(index._slot_of), "free": list(index._free), "size": n, "generation": index.generation,
            "inserted": index._inserted, "categories": index.categories._words,
            "departments": index.departments._words}


def _plain_load(index: CaseIndex, cases: list[Case]) -> None:
    """What ``load`` did before its bulk path: clear, then upsert a slice at a time."""
    index.clear()
    for start in range(0, len(cases), 2048):
        index.upsert_many(cases[start:start + 2048])


@pytest.mark.parametrize("before", [0, 1500, 9000])
def test_bulk_load_equals_upserting_slice_by_slice(cases, before):
    """From empty, and over an index that held fewer or more cases (its free slots, generations, arrivals)."""
    rng = random.Random(before)
    earlier = [varied_case(rng, 100_000 + n) for n in range(before)]
    bulk, plain = CaseIndex(capacity=8), CaseIndex(capacity=8)
    for index in (bulk, plain):
        index.me = ME
        index.upsert_many(earlier)
    bulk.load(cases)
    _plain_load(plain, cases)
    assert _state(bulk) == _state(plain)
    new = varied_case(rng, 200_000)
    for index in (bulk, plain):  # and they go on alike
        index.remove(cases[3].id)
        index.upsert_many([new])
    assert _state(bulk) == _state(plain)


def test_load_with_an_id_twice_keeps_the_last_version(cases):
    twice = [*cases[:50], msgspec.structs.replace(cases[10], version=9)]
    bulk, plain = CaseIndex(), CaseIndex()
    bulk.load(twice)
    _plain_load(plain, twice)
    assert _state(bulk) == _state(plain) and bulk.get(cases[10].id).version == 9  # type: ignore[union-attr]


def test_node_numbers_are_cached_as_computed(cases):
    queue_columns.columns(cases[:10], None, _NODE_NUMBERS, node_number, lambda w: 0, lambda w: 0)
    assert all(_NODE_NUMBERS[k.node] == node_number(k.node) for k in cases[:10])
