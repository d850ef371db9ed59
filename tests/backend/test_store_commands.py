"""Commands through the store: lifecycle, idempotent retries, conflicts, gap-free seqs, atomicity."""

from __future__ import annotations

import msgspec
import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError

from backend.store.models import CaseEventRow, CaseRow, CommandLogRow, SupervisionOrderRow
from domain.commands import CommandRequest
from domain.model import Action, Actor, Role, Source, State, Urgency
from domain.protocol import CommandAck, CommandError, ErrorCode

from .conftest import DEPARTMENT, GRID, OPERATOR, STREET, SUPERVISOR, T0

A = Action


def count(store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_full_lifecycle(store, driver):
    case = driver.report(T0)
    assert case.id == "QD202603100000001" and case.state is State.REPORTED and case.version == 1
    case = driver.step(case, A.ACCEPT, T0 + 60)
    case = driver.step(case, A.DISPATCH, T0 + 120, department="szyl")
    case = driver.step(case, A.SIGN, T0 + 180, DEPARTMENT)
    case = driver.step(case, A.RESOLVE, T0 + 600, DEPARTMENT, message="已加盖")
    case = driver.step(case, A.VERIFY, T0 + 900, passed=True)
    assert case.state is State.CLOSED and case.version == 6 and case.closed_on_time is True
    assert store.case(case.id) == case
    timeline = store.case_events(case.id)
    assert [f.seq for f in timeline] == [1, 2, 3, 4, 5, 6]
    assert [f.event.kind for f in timeline] == [A.REPORT, A.ACCEPT, A.DISPATCH, A.SIGN, A.RESOLVE, A.VERIFY]
    assert [f.event.version for f in timeline] == [1, 2, 3, 4, 5, 6]
    assert timeline[-1].case == case and {f.epoch for f in timeline} == {store.head()[0]}
    assert store.head()[1] == 6 and store.oldest_seq() == 1
    # The case row's columns follow the body.
    with store.engine.connect() as conn:
        row = conn.execute(select(CaseRow).where(CaseRow.id == case.id)).one()
    assert (row.state, row.version, row.closed_at, row.department) == ("closed", 6, T0 + 900, "szyl")


def test_case_numbers_run_on_and_carry_the_cst_date(driver):
    first = driver.report(T0)
    late = driver.report(T0 + 14 * 3600)  # 00:00 CST on the next day
    assert (first.id, late.id) == ("QD202603100000001", "QD202603110000002")


def test_retry_returns_the_first_answer_and_appends_nothing(store, driver):
    case = driver.report(T0)
    first = driver.run(A.ACCEPT, case.id, T0 + 1, expected_version=1, command_id="retry-me")
    assert isinstance(first, CommandAck) and not first.replayed and first.seq == 2
    head = store.head()
    again = driver.run(A.ACCEPT, case.id, T0 + 99, expected_version=1, command_id="retry-me")
    assert again.replayed is True
    assert msgspec.json.encode(msgspec.structs.replace(again, replayed=False)) == msgspec.json.encode(first)
    assert store.head() == head and count(store, CaseEventRow) == 2
    assert store.case(case.id).version == 2


def test_refusal_is_stored_and_replayed(store, driver):
    case = driver.report(T0)
    refused = driver.run(A.DISPATCH, case.id, T0 + 1, expected_version=1, department="szyl", command_id="x")
    assert isinstance(refused, CommandError) and refused.code is ErrorCode.ILLEGAL_TRANSITION
    driver.step(case, A.ACCEPT, T0 + 2)  # now DISPATCH would be legal...
    again = driver.run(A.DISPATCH, case.id, T0 + 1, expected_version=1, department="szyl", command_id="x")
    assert again.replayed and again.code is ErrorCode.ILLEGAL_TRANSITION  # ...but the retry gets the refusal
    assert msgspec.json.encode(msgspec.structs.replace(again, replayed=False)) == msgspec.json.encode(refused)


def test_command_ids_are_per_client(store, rules, driver):
    case = driver.report(T0, command_id="same")
    other = type(driver)(store, rules, client_id="client-b")
    second = other.report(T0, command_id="same")
    assert second.id != case.id and store.head()[1] == 2


def test_reused_id_for_another_command_is_refused_and_not_stored(store, driver):
    case = driver.report(T0, command_id="k")
    answer = driver.run(A.ACCEPT, case.id, T0, command_id="k")
    assert isinstance(answer, CommandError) and answer.code is ErrorCode.DUPLICATE_ID
    assert count(store, CommandLogRow) == 1 and store.case(case.id).state is State.REPORTED


def test_version_conflict(store, driver):
    case = driver.report(T0)
    driver.step(case, A.ACCEPT, T0 + 1)
    stale = driver.run(A.REJECT, case.id, T0 + 2, expected_version=1, reason="重复")
    assert isinstance(stale, CommandError) and stale.code is ErrorCode.CONFLICT
    assert stale.detail["current_version"] == 2
    assert store.case(case.id).state is State.ACCEPTED and store.head()[1] == 2


def test_unknown_case_and_missing_case_id(store, driver):
    missing = driver.run(A.ACCEPT, "QD202603109999999", T0)
    assert isinstance(missing, CommandError) and missing.code is ErrorCode.NOT_FOUND
    no_id = driver.run(A.ACCEPT, None, T0)
    assert no_id.code is ErrorCode.INVALID and "case_id is required" in no_id.message
    assert store.head()[1] == 0 and count(store, CommandLogRow) == 2


def test_seqs_are_gap_free_and_refusals_take_none(store, driver):
    cases = [driver.report(T0 + i) for i in range(20)]
    for i, case in enumerate(cases):
        refused = driver.run(A.DISPATCH, case.id, T0 + 100 + i, department="szyl")  # not accepted yet
        assert isinstance(refused, CommandError)
        driver.step(case, A.ACCEPT, T0 + 100 + i)
    bad_report = driver.run(A.REPORT, None, T0 + 500, node=GRID, category="99999", urgency="normal",
                            source="hotline")
    assert bad_report.code is ErrorCode.INVALID
    events = store.events_after(0, 1000)
    assert [f.seq for f in events] == list(range(1, 41))
    assert store.head()[1] == 40
    # The refused report took no case number either.
    assert driver.report(T0 + 600).id == "QD202603100000021"


def test_merge_checks_the_parent(store, driver):
    parent = driver.report(T0)
    dup = driver.report(T0 + 1)
    gone = driver.run(A.MERGE, dup.id, T0 + 2, expected_version=1, parent_id="QD202603109999999")
    assert gone.code is ErrorCode.NOT_FOUND and "parent case QD202603109999999" in gone.message
    merged = driver.step(dup, A.MERGE, T0 + 3, parent_id=parent.id)
    assert merged.state is State.MERGED and merged.merged_into == parent.id
    third = driver.report(T0 + 4)
    chained = driver.run(A.MERGE, third.id, T0 + 5, expected_version=1, parent_id=dup.id)
    assert chained.code is ErrorCode.INVALID and f"merged into {parent.id}" in chained.message
    assert store.head()[1] == 4


def test_supervision_orders_are_recorded(store, driver):
    case = driver.dispatched(T0)
    case = driver.step(case, A.SUPERVISE, T0 + 60, SUPERVISOR, level=2, reason="群众多次反映", due=T0 + 7200)
    case = driver.step(case, A.REPLY_SUPERVISION, T0 + 120, DEPARTMENT, message="已安排人员")
    with store.engine.connect() as conn:
        orders = conn.execute(select(SupervisionOrderRow)).all()
    assert len(orders) == 1
    order = orders[0]
    assert (order.case_id, order.level, order.by, order.due) == (case.id, 2, SUPERVISOR.id, T0 + 7200)
    assert (order.reply, order.replied_at) == ("已安排人员", T0 + 120)


def test_failure_mid_write_leaves_nothing(store, driver):
    case = driver.report(T0)
    # Occupy the seq the next event would take, so its insert fails after the case row and
    # the stream row were already written inside the transaction.
    with store.engine.begin() as conn:
        conn.execute(insert(CaseEventRow).values(seq=2, epoch="x", case_id="other", kind="report", at=T0,
                                                 actor="x", node=GRID, body="{}"))
    with pytest.raises(IntegrityError):
        driver.run(A.ACCEPT, case.id, T0 + 1, expected_version=1, command_id="boom")
    assert store.case(case.id).state is State.REPORTED and store.case(case.id).version == 1
    assert store.head()[1] == 1
    assert count(store, CommandLogRow) == 1  # only the report's answer
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM case_events WHERE seq = 2"))
    # Nothing was stored for the failed attempt, so retrying the same id now runs it.
    retry = driver.run(A.ACCEPT, case.id, T0 + 1, expected_version=1, command_id="boom")
    assert isinstance(retry, CommandAck) and not retry.replayed and retry.seq == 2


def test_out_of_scope_case_answers_like_a_missing_one(store, driver):
    case = driver.report(T0)
    outsider = msgspec.structs.replace(OPERATOR, id="op2", scope="370202002")
    for version in (None, 1, 2, 99):  # a stale or future version must not reveal the case either
        hidden = driver.run(A.ACCEPT, case.id, T0, outsider, expected_version=version)
        missing = driver.run(A.ACCEPT, "QD202603109999999", T0, outsider, expected_version=version)
        assert hidden.code is missing.code is ErrorCode.NOT_FOUND
        assert hidden.message.replace(case.id, "X") == missing.message.replace("QD202603109999999", "X")
        assert set(hidden.detail) == set(missing.detail) and "current_version" not in hidden.detail
    assert store.head()[1] == 1


def test_role_is_checked_before_the_version(store, driver):
    case = driver.report(T0)
    wall = msgspec.structs.replace(OPERATOR, id="wall1", role=Role.WALL)
    answer = driver.run(A.ACCEPT, case.id, T0, wall, expected_version=7)
    assert answer.code is ErrorCode.FORBIDDEN and "version" not in answer.message and not answer.detail


def test_command_ids_belong_to_the_user(store, driver):
    """Two users on the same client id with the same command id: neither sees nor blocks the other."""
    first = driver.report(T0, command_id="k-1")
    other = msgspec.structs.replace(OPERATOR, id="op2")
    again = driver.run(A.REPORT, None, T0, other, command_id="k-1", node=GRID, category="10103",
                       urgency=Urgency.NORMAL, source=Source.GRID_WORKER, description="井盖缺失")
    assert isinstance(again, CommandAck) and not again.replayed and again.case_id != first.id
    # the other user takes "k-2" first with a different command: the first user's k-2 still runs
    taken = driver.run(A.ACCEPT, first.id, T0, other, expected_version=5, command_id="k-2")
    assert taken.code is ErrorCode.CONFLICT
    mine = driver.run(A.ACCEPT, first.id, T0, expected_version=1, command_id="k-2")
    assert isinstance(mine, CommandAck) and not mine.replayed
    # and a real retry by the same user still replays
    assert driver.run(A.ACCEPT, first.id, T0, expected_version=1, command_id="k-2").replayed


def test_merge_parent_outside_the_jurisdiction_is_not_found(store, driver):
    street_b = Actor(id="op-b", role=Role.OPERATOR, scope="370202002", name="b")
    theirs = driver.run(A.REPORT, None, T0, street_b, node="370202002001001", category="10103",
                        urgency=Urgency.NORMAL, source=Source.GRID_WORKER).case
    mine = driver.report(T0)
    answer = driver.run(A.MERGE, mine.id, T0, expected_version=1, parent_id=theirs.id)
    ghost = driver.run(A.MERGE, mine.id, T0, expected_version=1, parent_id="QD202603109999999")
    assert answer.code is ghost.code is ErrorCode.NOT_FOUND and answer.detail["field"] == "parent_id"
    assert store.case(mine.id).state is State.REPORTED


@pytest.mark.parametrize("action, args", [(A.ACCEPT, {}), (A.DISPATCH, {"department": "szyl"}),
                                          (A.URGE, {"message": "快"})])
def test_expected_version_is_required_except_for_report(store, driver, action, args):
    case = driver.report(T0)
    if action is not A.ACCEPT:
        case = driver.step(case, A.ACCEPT, T0)
    answer = driver.run(action, case.id, T0, expected_version=None, **args)
    assert answer.code is ErrorCode.INVALID and answer.detail["field"] == "expected_version"
    assert store.case(case.id).version == case.version


def test_report_at_an_unknown_node_is_not_found(store, driver):
    from domain.city import NodeInfo

    store.import_nodes([NodeInfo(code="37", name="山东省", level=0, parent=None),
                        NodeInfo(code="3702", name="青岛市", level=1, parent="37"),
                        NodeInfo(code="370202", name="市南区", level=2, parent="3702"),
                        NodeInfo(code=STREET, name="街道", level=3, parent="370202"),
                        NodeInfo(code="370202001001", name="社区", level=4, parent=STREET),
                        NodeInfo(code=GRID, name="网格", level=5, parent="370202001001")])
    driver.report(T0)  # a known grid
    answer = driver.run(A.REPORT, None, T0, node="370202001001999", category="10103", urgency=Urgency.NORMAL,
                        source=Source.GRID_WORKER)
    assert answer.code is ErrorCode.NOT_FOUND and answer.detail["field"] == "node"
    assert store.head()[1] == 1


def test_prune_command_log(store, driver):
    driver.report(T0, command_id="old")
    driver.report(T0 + 8 * 86400, command_id="new")
    assert store.prune_command_log(T0 + 8 * 86400) == 1
    assert count(store, CommandLogRow) == 1
    with pytest.raises(ValueError, match="at least 604800"):
        store.prune_command_log(T0, keep=3600)


def test_system_apply_for_a_moved_case_is_a_no_op(store, rules, driver):
    case = driver.report(T0)
    assert store.system_apply(case.id, A.SLA_WARNING, T0 + 10, rules) == []
    assert store.system_apply("QD000", A.SLA_WARNING, T0 + 10, rules) == []
    assert store.head()[1] == 1


def test_empty_ids_are_programming_errors(store, rules, driver):
    with pytest.raises(ValueError, match="command_id is empty"):
        store.execute(CommandRequest(client_id="c", id="", action=A.ACCEPT, case_id=None, expected_version=None,
                                     args=None, actor=OPERATOR), T0, rules)
