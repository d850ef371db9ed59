"""The numpy queue index against a plain-Python reference of the same question."""

from __future__ import annotations

import math
import random

import msgspec
import pytest

from backend_client.queue_index import SORT_KEYS, CaseIndex, QueueView, node_number
from domain.model import TERMINAL_STATES, SlaState, State, Urgency
from domain.queues import Queue, queues_of
from tests.backend_client.factories import GRIDS, make_case, random_case

_URG = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.CRITICAL: 2}
_STATE = {s: i for i, s in enumerate(State)}


def _ref_key(case, key):
    finished = case.state in TERMINAL_STATES
    if key == "priority":
        deadline = math.inf if case.deadline is None else case.deadline
        return (finished, -_URG[case.urgency], deadline, case.reported_at)
    if key == "urgency":
        return _URG[case.urgency]
    if key == "state":
        return _STATE[case.state]
    if key == "node":
        return int(case.node)
    if key == "deadline":
        return math.inf if case.deadline is None else case.deadline
    if key == "department":
        return case.department or ""
    return getattr(case, key)


def reference(cases, arrival, node, queue, key, descending, text, names):
    """What the view must show: same membership, sorted by key, ties in arrival order."""
    rows = []
    for case in cases.values():
        hay = "\x00".join((case.id, case.description, case.address, names(case.node))).casefold()
        if case.node.startswith(node) and queue in queues_of(case) and text.casefold() in hay:
            rows.append(case)
    rows.sort(key=lambda c: arrival[c.id])
    rows.sort(key=lambda c: _ref_key(c, key), reverse=descending and key != "priority")  # stable; reverse keeps ties
    if key in ("deadline", "priority"):  # finished cases last, whichever the direction
        rows.sort(key=lambda c: c.state in TERMINAL_STATES)
    return [c.id for c in rows]


def names(code: str) -> str:
    return {"370202001": "香港中路街道", "370203001": "辽宁路街道"}.get(code[:9], "其他街道")


def test_view_matches_reference_through_random_upserts_and_removals():
    rng = random.Random(7)
    index = CaseIndex(node_name=names, capacity=4)  # tiny capacity: growth by doubling is exercised
    views = {(n, q): index.view(n, q) for n in ("", "370202", "370202001", GRIDS[0]) for q in Queue}
    cases, arrival, counter = {}, {}, 0
    for step in range(1500):
        roll = rng.random()
        if roll < 0.55 or not cases:
            counter += 1
            case = random_case(rng, counter)
            cases[case.id] = case
            arrival[case.id] = step
            index.upsert(case)
        elif roll < 0.85:
            old = cases[rng.choice(list(cases))]
            new = msgspec.structs.replace(random_case(rng, int(old.id[1:]), version=old.version + 1), id=old.id)
            cases[new.id] = new
            index.upsert(new)
        else:
            victim = rng.choice(list(cases))
            del cases[victim], arrival[victim]
            assert index.remove(victim)
        if step % 97 == 0:
            for (node, queue), view in views.items():
                key = rng.choice(SORT_KEYS)
                desc = rng.random() < 0.5
                text = rng.choice(["", "井盖", "香港中路", "e0000001", "nothing-matches"])
                view.sort_by(key, desc)
                view.set_filter(text)
                expected = reference(cases, arrival, node, queue, key, desc, text, names)
                assert view.case_ids() == expected, (node, queue, key, desc, text)
        else:
            for (node, queue), view in views.items():
                view.refresh()
    assert len(index) == len(cases)
    assert index.capacity >= len(cases)


def test_refresh_reports_only_changes_that_touch_the_view():
    index = CaseIndex()
    grid_a, grid_b = GRIDS[0], GRIDS[-1]
    view = index.view(grid_a, Queue.INTAKE)
    assert len(view) == 0 and not view.refresh()
    rev = view.revision
    index.upsert(make_case(1, node=grid_b))  # another node: no visible change
    assert not view.refresh() and view.revision == rev
    index.upsert(make_case(2, node=grid_a))
    assert view.refresh() and view.revision == rev + 1
    assert len(view) == 1 and view.case_at(0).id == "E00000002" and view.row_of("E00000002") == 0
    assert view.row_of("E00000001") is None and view.row_of("missing") is None
    # A case leaving the queue is a change the view must see.
    index.upsert(make_case(2, node=grid_a, state=State.ACCEPTED, version=2))
    assert view.refresh() and len(view) == 0


def test_removed_case_is_still_readable_until_the_view_refreshes():
    index = CaseIndex()
    view = index.view("", Queue.ALL)
    index.upsert(make_case(1))
    view.refresh()
    index.remove("E00000001")
    assert view.case_at(0).id == "E00000001"  # a paint before the display timer must not crash
    assert view.row_of("E00000001") is None
    assert view.refresh() and len(view) == 0


def test_counts_per_queue_for_the_tab_badges():
    index = CaseIndex()
    index.upsert(make_case(1, node=GRIDS[0]))
    index.upsert(make_case(2, node=GRIDS[1], state=State.ACCEPTED))
    index.upsert(make_case(3, node=GRIDS[0], state=State.IN_PROGRESS, sla_state=SlaState.OVERDUE))
    index.upsert(make_case(4, node="370203001001001", state=State.CLOSED))
    counts = index.counts("370202")
    assert counts[Queue.INTAKE] == 1 and counts[Queue.TO_DISPATCH] == 1 and counts[Queue.IN_PROGRESS] == 1
    assert counts[Queue.SLA_ALERT] == 1 and counts[Queue.ALL] == 3 and counts[Queue.TO_VERIFY] == 0
    assert index.counts("")[Queue.ALL] == 4
    assert index.counts("370203")[Queue.ALL] == 1


def test_long_ids_widen_the_id_column_and_sort_exactly():
    index = CaseIndex()
    long_a = "EVT-2025-" + "a" * 40
    long_b = "EVT-2025-" + "a" * 39 + "b"
    index.upsert(make_case(1, id=long_b))
    index.upsert(make_case(2, id=long_a))
    view = index.view("", Queue.ALL)
    view.sort_by("id", descending=False)
    assert view.case_ids() == [long_a, long_b]


def test_subtree_test_is_by_code_prefix_not_by_number():
    # 370202 and 370203 are neighbours; 3702021 is not a valid prefix of 370203xxx.
    assert node_number("370202") == 370202_000000000
    index = CaseIndex()
    index.upsert(make_case(1, node="370203001001001"))
    assert len(index.view("370202", Queue.ALL)) == 0
    assert len(index.view("370203", Queue.ALL)) == 1
    assert len(index.view("37", Queue.ALL)) == 1


@pytest.mark.parametrize("bad", ["abc", "1234567890123456", "３７"])
def test_bad_node_codes_are_named(bad):
    with pytest.raises(ValueError, match="node code"):
        QueueView(CaseIndex(), bad, Queue.ALL)


def test_unknown_sort_key_is_named():
    view = CaseIndex().view("", Queue.ALL)
    with pytest.raises(ValueError, match="unknown sort key 'colour'"):
        view.sort_by("colour", False)
    with pytest.raises(IndexError, match="row 0"):
        view.case_at(0)


def test_finished_cases_sort_last_by_deadline_and_the_default_is_urgency_then_time_left():
    index = CaseIndex()
    T = 1_735_700_000.0
    index.upsert(make_case(1, state=State.CLOSED, deadline=T - 100, reported_at=T - 900))
    index.upsert(make_case(2, state=State.DISPATCHED, deadline=T + 3600, reported_at=T - 800))
    index.upsert(make_case(3, state=State.DISPATCHED, deadline=T + 600, reported_at=T - 700))
    index.upsert(make_case(4, state=State.DISPATCHED, deadline=T + 7200, reported_at=T - 600,
                           urgency=Urgency.CRITICAL))
    view = index.view("", Queue.ALL)
    assert view.case_ids() == ["E00000004", "E00000003", "E00000002", "E00000001"]  # the default
    view.sort_by("deadline")
    assert view.case_ids() == ["E00000003", "E00000002", "E00000004", "E00000001"]
    view.sort_by("deadline", descending=True)
    assert view.case_ids() == ["E00000004", "E00000002", "E00000003", "E00000001"]


def test_load_in_slices_equals_one_upsert_of_everything():
    """``load`` writes a snapshot a slice at a time (short GIL holds); the index is the one upsert_many makes."""
    from backend_client.queue_index import LOAD_SLICE

    rng = random.Random(11)
    cases = [random_case(rng, i) for i in range(2 * LOAD_SLICE + 77)]
    cases += [random_case(rng, 5, version=2)]  # the same id again: the later version wins
    plain, sliced = CaseIndex(capacity=4), CaseIndex(capacity=4)
    plain.set_me("w1")
    sliced.set_me("w1")
    plain.upsert(make_case(999_999))  # something to replace
    sliced.upsert(make_case(999_999))
    plain.clear()
    plain.upsert_many(cases)
    sliced.load(cases)
    assert len(sliced) == len(plain) == len(cases) - 1
    for case in cases:
        a, b = plain.slot_of(case.id), sliced.slot_of(case.id)
        assert a is not None and b is not None
        for key in ("alive", "node", "state", "urgency", "sla", "reported_at", "deadline", "queues", "ins"):
            assert plain.cols[key][a] == sliced.cols[key][b] or (math.isinf(plain.cols[key][a]) and
                                                                 math.isinf(sliced.cols[key][b])), key
        assert plain.get(case.id) == sliced.get(case.id) and plain.haystack[a] == sliced.haystack[b]
        for key, vocab in (("category", "categories"), ("department", "departments")):  # ids interned in turn
            assert getattr(plain, vocab).word(plain.cols[key][a]) == getattr(sliced, vocab).word(sliced.cols[key][b])
    for queue in Queue:
        for key in SORT_KEYS:
            views = [QueueView(index, GRIDS[0][:9], queue) for index in (plain, sliced)]
            for view in views:
                view.sort_by(key)
            assert views[0].case_ids() == views[1].case_ids(), (queue, key)
