"""Two writers with their own Store (as two hub processes would have) share one stream.

On PostgreSQL the stream row lock must serialise them so seqs come out 1..N with no gap
or duplicate; on SQLite BEGIN IMMEDIATE plus the busy timeout must do the same.
"""

from __future__ import annotations

import threading

import pytest

from backend.store.command_tx import CommandTx
from domain.model import Action, Source, Urgency

from .conftest import GRID, T0, Driver

PER_THREAD = 200


def test_two_stores_two_threads_gap_free(open_store, rules):
    stores = [open_store(require_current=False), open_store(require_current=False)]
    stores[0].migrate()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    reported: list[list[str]] = [[], []]

    def work(i: int) -> None:
        driver = Driver(stores[i], rules, client_id=f"hub-{i}")
        try:
            barrier.wait()
            for k in range(PER_THREAD // 2):
                case = driver.report(T0 + k)
                reported[i].append(case.id)
                driver.step(case, Action.ACCEPT, T0 + k)
        except BaseException as exc:  # surfaced below with the thread's failure
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    events = stores[1].events_after(0, 10_000)
    assert [f.seq for f in events] == list(range(1, 2 * PER_THREAD + 1))
    assert stores[0].head()[1] == 2 * PER_THREAD
    ids = reported[0] + reported[1]
    assert len(set(ids)) == PER_THREAD  # case numbers were unique across the writers too
    # Each case's own events are in version order within the global order.
    versions: dict[str, list[int]] = {}
    for f in events:
        versions.setdefault(f.case.id, []).append(f.event.version)
    assert all(v == [1, 2] for v in versions.values()) and len(versions) == PER_THREAD


def test_two_stores_on_one_case_lose_no_update(open_store, rules):
    """Without the case row lock both writers would read version v and both write v+1."""
    stores = [open_store(require_current=False), open_store(require_current=False)]
    stores[0].migrate()
    case = Driver(stores[0], rules, client_id="setup").report(T0)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    answers: list[object] = []

    def work(i: int) -> None:
        driver = Driver(stores[i], rules, client_id=f"hub-{i}")
        try:
            barrier.wait()
            k = 0
            while k < 50:  # each writer acts on the version it read; a conflict means: read again
                seen = stores[i].case(case.id).version
                answer = driver.run(Action.ACKNOWLEDGE, case.id, T0 + k, expected_version=seen)
                if getattr(answer, "code", None) == "conflict":
                    continue
                answers.append(answer)
                k += 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and all(type(a).__name__ == "CommandAck" for a in answers)
    assert stores[1].case(case.id).version == 101
    timeline = stores[1].case_events(case.id)
    assert [f.event.version for f in timeline] == list(range(1, 102))
    assert [f.seq for f in timeline] == list(range(1, 102))


def test_same_command_racing_on_two_hubs_runs_once(open_store, rules, db_url):
    """Hub B looks the command up, hub A then runs and commits it, B must answer A's result.

    Only PostgreSQL can interleave like this: on SQLite B's BEGIN IMMEDIATE holds the write
    lock from before the lookup, so A could not commit in between. (B's log insert is pipelined:
    its unique violation surfaces at the end of the pipeline and must still read as a collision.)
    """
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers before the command_log lookup")
    store_a, store_b = open_store(require_current=False), open_store(require_current=False)
    store_a.migrate()
    hub_a, hub_b = Driver(store_a, rules), Driver(store_b, rules)  # same client id: a resent command
    fired, busy = [], []
    original = CommandTx.stored_answer

    def run_a_in_between(self, key):
        found = original(self, key)
        if not fired and not busy:
            busy.append(True)  # hub A's own lookup must not recurse
            fired.append(hub_a.report(T0, command_id="dup"))
        return found

    CommandTx.stored_answer = run_a_in_between  # type: ignore[method-assign]
    try:
        answer_b = hub_b.run(Action.REPORT, None, T0, command_id="dup", node=GRID, category="10103",
                             urgency=Urgency.NORMAL, source=Source.GRID_WORKER, description="井盖缺失")
    finally:
        CommandTx.stored_answer = original  # type: ignore[method-assign]
    assert fired and answer_b.replayed and answer_b.case == fired[0]
    assert [f.seq for f in store_b.events_after(0, 10)] == [1]
    assert store_b.head()[1] == 1


def test_two_stores_running_batches_on_shared_cases_keep_one_gap_free_order(open_store, rules):
    """Two hubs' group commits (``execute_many``) on the same cases: each batch locks its cases, then
    the stream row, so neither waits on the other crosswise; seqs stay 1..N, versions stay in order."""
    stores = [open_store(require_current=False), open_store(require_current=False)]
    stores[0].migrate()
    setup = Driver(stores[0], rules, client_id="setup")
    shared = [setup.report(T0 + i) for i in range(6)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    failed: list[object] = []

    def work(i: int) -> None:
        driver = Driver(stores[i], rules, client_id=f"hub-{i}")
        try:
            barrier.wait()
            for k in range(15):
                # each acknowledges the version it reads now; the other hub goes through them reversed
                seen = [stores[i].case(case.id) for case in (shared[::-1] if i else shared)]
                batch = [driver.request(Action.ACKNOWLEDGE, c.id, T0, expected_version=c.version) for c in seen]
                batch.append(driver.request(Action.REPORT, None, T0, node=GRID, category="10103",
                                            urgency=Urgency.NORMAL, source=Source.GRID_WORKER, description="井盖"))
                answers = stores[i].execute_many(batch, lambda at=T0 + k: at, rules)
                failed.extend(a for a in answers if a is None)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and failed == []
    events = stores[1].events_after(0, 10_000)
    assert [f.seq for f in events] == list(range(1, len(events) + 1)) and stores[0].head()[1] == len(events)
    versions: dict[str, list[int]] = {}
    for f in events:
        versions.setdefault(f.case.id, []).append(f.event.version)
    assert all(v == list(range(1, len(v) + 1)) for v in versions.values())
    assert len(versions) == 6 + 2 * 15  # every report of both hubs stored once
