"""A batch of commands (``Store.execute_many``: lookups read at once, numbers counted under the stream
lock, writes pipelined on PostgreSQL) stores and answers exactly what the same commands one by one
do, on a fresh database each; and a report costs a bounded number of round trips on PostgreSQL."""

from __future__ import annotations

import os

import msgspec
import pytest
from sqlalchemy import event, select, text

from backend.store import Store
from backend.store.models import CaseRow, CommandLogRow, StreamRow, SupervisionOrderRow
from domain.commands import CommandRequest
from domain.model import Action, Actor, Args, Source, Urgency
from domain.protocol import CommandAck, CommandError

from .conftest import DEPARTMENT, GRID, OPERATOR, SUPERVISOR, T0, _reset_pg

A = Action
_encoder = msgspec.json.Encoder()


def _request(n: int, action: Action, case=None, actor: Actor = OPERATOR, version: int | None = None,
             command_id: str | None = None, **args) -> CommandRequest:
    return CommandRequest(client_id="client-a", id=command_id or f"c{n}", action=action,
                          case_id=None if case is None else case.id,
                          expected_version=(case.version if case is not None else None) if version is None else version,
                          args=Args(**args), actor=actor)


def _report_args(description: str = "井盖缺失", category: str = "10103") -> dict:
    return {"node": GRID, "category": category, "urgency": Urgency.NORMAL, "source": Source.GRID_WORKER,
            "description": description}


def _run_alone(store: Store, rules) -> tuple[list[CommandRequest], list[bytes]]:
    """Commands whose arguments follow from the answers before them, one by one: (requests, answers)."""
    requests: list[CommandRequest] = []
    answers = []

    def run(request: CommandRequest):
        answer = store.execute(request, T0 + len(requests), rules)
        requests.append(request)
        answers.append(answer)
        return answer

    a = run(_request(1, A.REPORT, **_report_args())).case
    b = run(_request(2, A.REPORT, **_report_args("路灯不亮"))).case
    a = run(_request(3, A.ACCEPT, a)).case
    a = run(_request(4, A.DISPATCH, a, department="szyl")).case
    a = run(_request(5, A.URGE, a)).case
    a = run(_request(6, A.SUPERVISE, a, SUPERVISOR, level=2, reason="群众多次反映", due=T0 + 7200)).case
    a = run(_request(7, A.REPLY_SUPERVISION, a, DEPARTMENT, message="已安排人员")).case
    assert isinstance(run(_request(8, A.REPORT, **_report_args(category="99999"))), CommandError)  # refused
    assert isinstance(run(_request(9, A.ACCEPT, b, version=7)), CommandError)  # a stale version
    assert run(_request(1, A.REPORT, **_report_args())).replayed  # a retry: the stored answer
    duplicate = run(_request(2, A.REPORT, **_report_args("别的内容")))
    assert isinstance(duplicate, CommandError) and duplicate.code == "duplicate_id"
    missing = msgspec.structs.replace(b, id="QD202603109999999")
    assert isinstance(run(_request(10, A.ACCEPT, missing)), CommandError)  # no such case
    b = run(_request(11, A.ACCEPT, b)).case
    b = run(_request(12, A.URGE, b)).case
    c = run(_request(13, A.REPORT, **_report_args("占道经营"))).case
    run(_request(14, A.MERGE, c, parent_id=a.id, reason="同一事件"))
    run(_request(15, A.ACKNOWLEDGE, a))  # the case as the batch's earlier commands left it
    assert all(isinstance(x, CommandAck) for x in answers[:7] + answers[12:])
    return requests, [_encoder.encode(x) for x in answers]


def _stored(store: Store) -> dict:
    """Everything the commands stored, the stream's epoch written as E (each database has its own)."""
    epoch = store.head()[0]
    with store.engine.connect() as conn:
        stream = conn.execute(select(StreamRow.head_seq, StreamRow.next_case_no)).one()
        cases = conn.execute(select(CaseRow.id, CaseRow.version, CaseRow.body).order_by(CaseRow.id)).all()
        log = conn.execute(select(CommandLogRow.user_id, CommandLogRow.client_id, CommandLogRow.command_id,
                                  CommandLogRow.request_hash, CommandLogRow.answer, CommandLogRow.created_at)
                           .order_by(CommandLogRow.command_id)).all()
        orders = conn.execute(select(SupervisionOrderRow.case_id, SupervisionOrderRow.level,
                                     SupervisionOrderRow.reply, SupervisionOrderRow.replied_at)).all()
    events = [_encoder.encode(f).decode().replace(epoch, "E") for f in store.events_after(0, 1000)]
    return {"stream": tuple(stream), "cases": [tuple(r) for r in cases], "log": [tuple(r) for r in log],
            "orders": [tuple(r) for r in orders], "events": events}


@pytest.mark.parametrize("sizes", [(32,), (3, 5, 32)], ids=["one-batch", "three-batches"])
def test_a_batch_stores_and_answers_what_the_commands_one_by_one_do(db_url, rules, sizes):
    alone_store = Store.open(db_url, require_current=False)
    alone_store.migrate()
    try:
        requests, alone_answers = _run_alone(alone_store, rules)
        alone = _stored(alone_store)
    finally:
        alone_store.close()
    if db_url.startswith("postgresql"):
        _reset_pg(db_url)
    else:
        db_url = db_url.replace("hub.db", "hub-batched.db")
    store = Store.open(db_url, require_current=False)
    store.migrate()
    try:
        times = iter(T0 + i for i in range(len(requests)))
        answers: list = []
        rest = list(requests)
        for size in sizes:
            chunk, rest = rest[:size], rest[size:]
            answers += store.execute_many(chunk, lambda: next(times), rules)
        assert not rest
        assert [_encoder.encode(x) for x in answers] == alone_answers
        assert _stored(store) == alone
        assert alone["stream"] == (len(alone["events"]), 4) and len(alone["orders"]) == 1
    finally:
        store.close()


def _round_trips(trace: str) -> tuple[int, int]:
    """(statements, round trips) in a libpq trace: a round trip is the client waiting for the server."""
    statements = trips = 0
    previous = None
    for line in trace.splitlines():
        parts = line.split("\t")
        if len(parts) < 4:
            continue
        direction, message = parts[1], parts[3].split(" ")[0]
        if direction == "F" and message in ("Query", "Bind"):
            statements += 1
        if direction == "B" and previous == "F":
            trips += 1
        previous = direction
    return statements, trips


@pytest.mark.postgres
def test_a_report_costs_a_few_round_trips_on_postgresql(pg_session_url, rules, tmp_path):
    """Statements and waits per command, counted in psycopg's libpq trace (deterministic, not a timing)."""
    _reset_pg(pg_session_url)
    store = Store.open(pg_session_url, require_current=False)
    store.migrate()
    store.execute(_request(0, A.REPORT, **_report_args()), T0, rules)  # a warm connection, statements prepared
    store.engine.dispose()
    path = tmp_path / "libpq.trace"
    with open(path, "w") as sink:

        @event.listens_for(store.engine, "connect")
        def _trace(dbapi_connection, _record) -> None:  # noqa: ANN001
            dbapi_connection.pgconn.trace(sink.fileno())

        def counted(run) -> tuple[int, int]:
            sink.flush()
            start = os.path.getsize(path)
            run()
            sink.flush()
            with open(path) as f:
                f.seek(start)
                return _round_trips(f.read())

        with store.engine.connect() as conn:  # open the traced connection outside the counts
            conn.execute(text("SELECT 1"))
            conn.rollback()
        alone = counted(lambda: store.execute(_request(1, A.REPORT, **_report_args()), T0, rules))
        batch = [_request(10 + i, A.REPORT, **_report_args()) for i in range(8)]
        batched = counted(lambda: store.execute_many(batch, lambda: T0, rules))
    store.close()
    # Alone: BEGIN; the lookups at once; the stream lock; the writes and the stream row (pipelined); COMMIT:
    # 5 (one spare for a pipeline whose answers start arriving while it is still being sent).
    # Before: 11 statements, each its own round trip.
    assert alone[1] <= 6, alone
    assert alone[0] <= 11, alone
    # Eight reports: the same few round trips for the whole batch (before: about 70), three statements a report.
    assert batched[1] <= 6, batched
    assert batched[0] <= 8 * 3 + 8, batched
