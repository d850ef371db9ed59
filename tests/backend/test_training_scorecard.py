"""The trainee scorecard from a real store's event log and command log."""

from __future__ import annotations

import csv

import pytest

from backend.training import command_log, record
from backend.training.export import write_csv
from backend.training.inject import InjectionError, injection_args
from backend.training.scorecard import COLUMNS, ScoreBook, Trainee, row_values, scorecard
from domain.model import Action, Actor, Args, Role
from domain.protocol import CommandAck, CommandError
from tests.backend.conftest import GRID, OPERATOR, STREET, T0, Driver

T1 = Actor(id="t1", role=Role.OPERATOR, scope=STREET, name="学员一")
T2 = Actor(id="t2", role=Role.OPERATOR, scope=STREET, name="学员二")
TRAINEES = [Trainee("t1", "学员一", STREET), Trainee("t2", "学员二", STREET)]


def _ack(answer):
    assert isinstance(answer, CommandAck), answer
    return answer.case


@pytest.fixture
def session_log(store, rules):
    """Two trainees working two cases, with one SLA breach and two refusals."""
    worker, t1, t2 = Driver(store, rules, "sim"), Driver(store, rules, "console-t1"), Driver(store, rules, "console-t2")
    a = worker.report(T0, category="10103")  # 井盖缺失: default department szyl
    b = worker.report(T0, category="10103")
    a = _ack(t1.run(Action.ACCEPT, a.id, T0 + 120, T1, a.version))
    b = _ack(t1.run(Action.ACCEPT, b.id, T0 + 60, T1, b.version))
    a = _ack(t1.run(Action.DISPATCH, a.id, T0 + 300, T1, a.version, department="szyl"))
    refused = t1.run(Action.ACCEPT, a.id, T0 + 310, T1, a.version)  # already dispatched: a mistake
    assert isinstance(refused, CommandError) and refused.code.value == "illegal_transition"
    a = _ack(t1.run(Action.URGE, a.id, T0 + 400, T1, a.version, message="请尽快处置"))
    stale = t2.run(Action.DISPATCH, b.id, T0 + 590, T2, b.version - 1, department="cg")
    assert isinstance(stale, CommandError) and stale.code.value == "conflict"
    b = _ack(t2.run(Action.DISPATCH, b.id, T0 + 600, T2, b.version, department="cg"))  # not the default
    b = _ack(t2.run(Action.SUPERVISE, b.id, T0 + 700, T2, b.version, level=1, reason="群众反映强烈",
                    due=T0 + 86400))
    overdue_at = max(a.deadline, b.deadline) + 1
    ticks = 0
    while due := store.due_for_sla(overdue_at):
        for case_id, action in due:
            ticks += len(store.system_apply(case_id, action, overdue_at, rules))
    assert ticks >= 2  # both cases went overdue
    return store


def events(store):
    return store.events_after(0, 100_000)


def test_scorecard_figures(session_log, rules):
    owners = command_log.owners_from_acks(session_log, {"console-t1", "console-t2", "sim"})
    assert owners["console-t1"] == "t1" and owners["console-t2"] == "t2"
    refusals = command_log.refusals_by_user(session_log, owners, ["t1", "t2"])
    t1, t2 = scorecard(events(session_log), TRAINEES, rules.catalog, refusals)
    assert (t1.cases_handled, t1.accepted, t1.mean_accept_seconds) == (2, 2, 90.0)
    assert (t1.dispatched, t1.mean_dispatch_seconds, t1.dispatches, t1.correct_department) == (1, 300.0, 1, 1)
    assert (t1.urges, t1.supervisions, t1.mistakes, t1.conflicts) == (1, 0, 1, 0)
    assert t1.refusals == {"illegal_transition": 1}
    assert t1.sla_breaches == 2  # both of t1's cases (t1 accepted B too) went overdue
    assert (t2.cases_handled, t2.accepted, t2.mean_accept_seconds) == (1, 0, None)
    assert (t2.dispatched, t2.mean_dispatch_seconds, t2.correct_department) == (1, 600.0, 0)
    assert (t2.supervisions, t2.mistakes, t2.conflicts, t2.sla_breaches) == (1, 0, 1, 1)
    assert t1.correct_department_share == 1.0 and t2.correct_department_share == 0.0
    # 应结案数 and 按期结案率 as domain.indicators counts them: both deadlines passed, neither case closed.
    assert (t1.due, t1.on_time, t1.on_time_rate) == (2, 0, 0.0) and (t2.due, t2.on_time) == (1, 0)


def test_incremental_feeding_equals_one_pass(session_log, rules):
    all_events = events(session_log)
    book = ScoreBook(TRAINEES, rules.catalog)
    half = len(all_events) // 2
    book.feed(all_events[:half]).feed(all_events[: half + 3])  # an overlapping page is not counted twice
    book.feed(all_events[half:])
    assert book.scores() == scorecard(all_events, TRAINEES, rules.catalog)


def test_a_trainee_added_later_is_scored_and_an_unknown_actor_is_not(session_log, rules):
    book = ScoreBook([TRAINEES[1]], rules.catalog).feed(events(session_log))
    assert [s.user_id for s in book.scores()] == ["t2"]
    book.add_trainee(Trainee("nobody", "无人", STREET))
    assert book.scores()[1].cases_handled == 0


def test_client_with_only_refusals_is_owned_by_its_recorded_sender(store, rules):
    lonely = Driver(store, rules, "console-lonely")
    answer = lonely.run(Action.ACCEPT, "QD-none", T0, T1, 1)
    assert isinstance(answer, CommandError)
    # no ack to trace it by, but the command log records who sent it (revision 0002)
    assert command_log.owners_from_acks(store, {"console-lonely"}) == {"console-lonely": T1.id}
    assert command_log.client_ids(store) == {"console-lonely"}
    refusals = command_log.refusals_by_user(store, {"console-lonely": T1.id}, [T1.id])
    assert [r.code.value for r in refusals[T1.id]] == ["not_found"]


def test_csv_export_round_trips(session_log, rules, tmp_path):
    scores = scorecard(events(session_log), TRAINEES, rules.catalog)
    path = write_csv(tmp_path / "scorecard.csv", scores, {"name": "学员", "cases_handled": "处理事件"})
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0][:3] == ["学员", "scope", "处理事件"] and len(rows[0]) == len(COLUMNS)
    assert rows[1][0] == "学员一" and rows[1][COLUMNS.index("mean_accept_minutes")] == "1.5"
    assert rows[2][COLUMNS.index("mean_accept_minutes")] == ""  # no accept: empty, not 0
    assert row_values(scores[0])["cases_handled"] == int(rows[1][2])
    with pytest.raises(ValueError, match="unknown scorecard columns \\['bogus'\\]"):
        write_csv(tmp_path / "x.csv", scores, {"bogus": "?"})


@pytest.mark.parametrize("field,value,message", [
    ("grid", "370202001", "grid: '370202001' is a street code"),
    ("grid", "37020200100100x", "grid: node code"),
    ("grid", "370202001001999", "not a grid of this city"),
    ("category", "99999", "category: unknown category '99999'"),
    ("category", "03005", "category: 03005 is retired; use 20451"),
    ("category", "07003", "category: 07003 is retired$"),
    ("urgency", "huge", "urgency: unknown value 'huge'"),
    ("source", "rumour", "source: unknown value 'rumour'"),
    ("description", "长" * 501, "description: at most 500 characters"),
])
def test_bad_hand_injections_are_named(rules, field, value, message):
    fields = {"grid": GRID, "category": "20451", "urgency": "critical", "description": "", "source": "hotline"}
    fields[field] = value
    with pytest.raises(InjectionError, match=message):
        injection_args(rules.catalog, {GRID}, **fields)


def test_hand_injection_defaults_the_description_to_the_category(rules):
    args = injection_args(rules.catalog, {GRID}, grid=GRID, category="20451", urgency="critical")
    assert args == Args(node=GRID, category="20451", urgency="critical", source="hotline", description="电梯困人")


def test_session_record_round_trips_and_lists(tmp_path):
    folder = record.new_session_folder(tmp_path, T0)
    rec = record.SessionRecord(scenario="winter_night", scenario_name="冬夜", seed=1, scale=0.02, sim_start=T0,
                               created_at=T0, trainees=TRAINEES, clients={"c1": "t1"})
    record.save(folder, rec)
    (folder / record.STORE_FILE).write_bytes(b"")
    assert record.load(folder) == rec
    assert record.new_session_folder(tmp_path, T0) != folder  # same second: a second folder
    assert [f for f, _ in record.list_sessions(tmp_path)] == [folder]
    with pytest.raises(ValueError, match="is not a training session"):
        record.load(tmp_path / "missing")
    assert OPERATOR.scope == STREET  # the conftest's street is the trainees' street


def test_csv_export_neutralises_formulas(tmp_path):
    from backend.training.scorecard import TraineeScore

    evil = TraineeScore(user_id="u1", name="=cmd|' /C calc'!A0", scope="370202001", mistakes=-1)
    path = write_csv(tmp_path / "evil.csv", [evil], {"name": "@姓名"})
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert "'@姓名" in rows[0]
    assert "'=cmd|' /C calc'!A0" in rows[1] and "-1" in rows[1]  # numbers stay numbers


def test_scorecard_counts_decisions_and_callbacks(store, rules):
    """Answers to departments' requests (with their wait) and callbacks (with the reopened ones)."""
    from domain.model import RequestKind, Satisfaction
    from tests.backend.conftest import DEPARTMENT

    d, t1, t2 = Driver(store, rules, "sim"), Driver(store, rules, "console-t1"), Driver(store, rules, "console-t2")
    case = d.step(d.dispatched(T0), Action.SIGN, T0 + 60, DEPARTMENT)
    case = d.step(case, Action.REQUEST, T0 + 120, DEPARTMENT, request=RequestKind.EXTEND, reason="需协调")
    case = _ack(t1.run(Action.APPROVE, case.id, T0 + 720, T1, case.version))
    case = d.step(case, Action.REQUEST, T0 + 800, DEPARTMENT, request=RequestKind.EXTEND, reason="再延")
    case = _ack(t1.run(Action.REJECT_REQUEST, case.id, T0 + 1000, T1, case.version, reason="不同意"))
    other = d.step(d.dispatched(T0, caller_phone="13800001111"), Action.SIGN, T0 + 60, DEPARTMENT)
    other = d.step(d.step(other, Action.RESOLVE, T0 + 600, DEPARTMENT), Action.VERIFY, T0 + 700, passed=True)
    other = _ack(t2.run(Action.CALLBACK, other.id, T0 + 900, T2, other.version,
                        satisfaction=Satisfaction.DISSATISFIED, reason="仍未修好"))
    assert other.reopen_count == 1
    s1, s2 = scorecard(events(store), TRAINEES, rules.catalog)
    assert (s1.decisions, s1.mean_decide_seconds, s1.callbacks) == (2, 400.0, 0)
    assert (s2.decisions, s2.callbacks, s2.reopened) == (0, 1, 1)
    assert row_values(s1)["mean_decide_minutes"] == 6.7
