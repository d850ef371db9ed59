"""Commands in one transaction (``Store.execute_many``, the hub's group commit) answer and store
exactly what the same commands one by one would; a failure in a batch keeps nothing of it and
runs each command alone. SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.store.models import CaseEventRow, CommandLogRow
from domain.commands import CommandRequest
from domain.model import Action, Args, Source, Urgency
from domain.protocol import CommandAck, CommandError

from .conftest import GRID, OPERATOR, T0


def _report(i: int, client: str = "client-a", category: str = "10103") -> CommandRequest:
    return CommandRequest(client_id=client, id=f"b{i}", action=Action.REPORT, case_id=None, expected_version=None,
                          args=Args(node=GRID, category=category, urgency=Urgency.NORMAL, source=Source.GRID_WORKER,
                                    description=f"井盖缺失 {i}"), actor=OPERATOR)


def _rows(store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_batch_answers_as_the_commands_one_by_one(store, rules):
    times = iter(T0 + i for i in range(100))
    batch = [_report(0), _report(1, category="99999"), _report(2), _report(0)]  # a refusal; a retried id
    answers = store.execute_many(batch, lambda: next(times), rules)
    ok, refused, second, retried = answers
    assert isinstance(ok, CommandAck) and isinstance(second, CommandAck) and isinstance(refused, CommandError)
    assert (ok.seq, second.seq) == (1, 2) and second.case.reported_at == T0 + 2
    assert isinstance(retried, CommandAck) and retried.replayed and retried.seq == ok.seq
    assert store.head()[1] == 2 and _rows(store, CaseEventRow) == 2 and _rows(store, CommandLogRow) == 3
    again = store.execute(_report(2), T0 + 50, rules)  # the log kept the batch's answers for retries
    assert isinstance(again, CommandAck) and again.replayed and again.seq == 2


def test_a_failing_batch_keeps_nothing_of_itself_and_runs_each_command_alone(store, rules):
    broken = CommandRequest(client_id="", id="b-broken", action=Action.REPORT, case_id=None, expected_version=None,
                            args=_report(9).args, actor=OPERATOR)  # no client id: the store raises
    answers = store.execute_many([_report(0), broken, _report(1)], lambda: T0, rules)
    assert answers[1] is None
    assert all(isinstance(a, CommandAck) and not a.replayed for a in (answers[0], answers[2]))
    assert [a.seq for a in (answers[0], answers[2])] == [1, 2]  # stored once each, after the batch rolled back
    assert store.head()[1] == 2 and _rows(store, CaseEventRow) == 2 and _rows(store, CommandLogRow) == 2
