"""`report day` figures from the database, and the `simulate` / `report` commands end to end."""

from __future__ import annotations

import datetime as dt

import pytest

from backend import cli
from backend.sim.report import day_report, format_report
from backend.store import Store
from domain.commands import CommandRequest
from domain.model import Action, Actor, Args, Role, Source, Urgency
from domain.protocol import CommandAck
from domain.rules import default_rules

CST = dt.timezone(dt.timedelta(hours=8))
D = dt.date(2026, 3, 18)  # a Wednesday
RULES = default_rules()
GRID = "370202001001001"
H = 3600.0


def at(day_offset: int, hh: int, mm: int = 0) -> float:
    return dt.datetime.combine(D + dt.timedelta(days=day_offset), dt.time(hh, mm), CST).timestamp()


@pytest.fixture
def store(tmp_path):
    from domain.city import CityData, GridWorker, NodeInfo

    s = Store.open(f"sqlite:///{tmp_path / 'r.db'}", require_current=False)
    s.migrate()
    codes = ["37", "3702", "370202", "370202001", "370202001001", GRID]
    s.import_city(CityData(
        nodes=[NodeInfo(code=c, name=f"n{c}", level=i, parent=codes[i - 1] if i else None)
               for i, c in enumerate(codes)],
        workers=[GridWorker(id="GW1", name="张网格", grid=GRID, full_time=True, phone="138****0000")]))
    yield s
    s.close()


class Desk:
    """Commands as people send them, through Store.execute."""

    op = Actor(id="op", role=Role.OPERATOR, scope="370202001")
    gw = Actor(id="GW1", role=Role.GRID_WORKER, scope=GRID)
    xf = Actor(id="xf", role=Role.DEPARTMENT, scope="", department="xf")

    def __init__(self, store):
        self.store, self.n = store, 0

    def do(self, action, case_id, args, actor, t, version=None) -> str:
        self.n += 1
        if version is None and case_id is not None:  # as a console does: the version it shows
            version = self.store.case(case_id).version
        answer = self.store.execute(CommandRequest(client_id="desk", id=f"c{self.n}", action=action, case_id=case_id,
                                                   expected_version=version, args=args, actor=actor), t, RULES)
        assert isinstance(answer, CommandAck), answer
        return answer.case_id

    def report(self, t, category, source=Source.HOTLINE) -> str:
        actor = self.gw if source is Source.GRID_WORKER else self.op
        return self.do(Action.REPORT, None, Args(node=GRID, category=category, urgency=Urgency.NORMAL, source=source),
                       actor, t)

    def dispatch(self, case_id, t, dept) -> None:
        self.do(Action.ACCEPT, case_id, Args(), self.op, t)
        self.do(Action.DISPATCH, case_id, Args(department=dept), self.op, t)


def test_the_day_report_counts_from_the_database(store):
    desk = Desk(store)
    # F: reported the day before, due the day before, resolved late and closed on D.
    f = desk.report(at(-1, 10), "21308")
    desk.dispatch(f, at(-1, 10, 5), "xf")  # 消防通道堵塞: 1 natural hour
    desk.do(Action.SIGN, f, Args(), desk.xf, at(-1, 10, 10))
    assert len(store.system_apply(f, Action.SLA_OVERDUE, at(-1, 11, 6), RULES)) == 1
    desk.do(Action.RESOLVE, f, Args(), desk.xf, at(0, 8))
    desk.do(Action.VERIFY, f, Args(passed=True), desk.gw, at(0, 9))
    # A: a grid worker fixes it on the spot; due the day it is reported; closed.
    a = desk.report(at(0, 9), "20102", Source.GRID_WORKER)
    desk.do(Action.SELF_RESOLVE, a, Args(), desk.gw, at(0, 9, 10))
    desk.do(Action.VERIFY, a, Args(passed=True), desk.op, at(0, 9, 30))
    # B: due 11:05, resolved 10:40, closed 11:00.
    b = desk.report(at(0, 10), "21308")
    desk.dispatch(b, at(0, 10, 5), "xf")
    desk.do(Action.SIGN, b, Args(), desk.xf, at(0, 10, 10))
    desk.do(Action.RESOLVE, b, Args(), desk.xf, at(0, 10, 40))
    desk.do(Action.VERIFY, b, Args(passed=True), desk.gw, at(0, 11))
    # C: due 11:05 and still open: breached, one overdue alarm on D.
    c = desk.report(at(0, 10), "21308")
    desk.dispatch(c, at(0, 10, 5), "xf")
    desk.do(Action.SIGN, c, Args(), desk.xf, at(0, 10, 10))
    assert len(store.system_apply(c, Action.SLA_OVERDUE, at(0, 11, 6), RULES)) == 1
    # D: a grid worker's report with one working day: due tomorrow, not judged today.
    d = desk.report(at(0, 11), "20102", Source.GRID_WORKER)
    desk.dispatch(d, at(0, 11, 5), "cg")
    # E: rejected, so never received.
    e = desk.report(at(0, 12), "20102")
    desk.do(Action.REJECT, e, Args(reason="不属于受理范围"), desk.op, at(0, 12, 5))

    r = day_report(store, D, as_of=at(0, 23), department_names={"xf": "消防", "cg": "城管"})
    c = r.counts
    assert (c.reported, c.received, c.accepted, c.dispatched, c.closed) == (5, 4, 3, 3, 1)  # F was reported on D-1
    assert (c.due, c.on_time, c.late, c.overdue_open) == (2, 1, 1, 1)  # B on time, C late; D due tomorrow
    assert (c.self_resolved, r.overdue_alarms) == (1, 1)
    assert r.on_time_rate == pytest.approx(0.5) and r.breach_share == pytest.approx(0.5)
    loads = {x.code: (x.dispatched, x.due, x.on_time, x.overdue_open) for x in r.departments}
    assert loads == {"xf": (2, 2, 1, 1), "cg": (1, 0, 0, 0)}
    text = format_report(r, target_items=5)
    assert "items reported" in text and "50.0%" in text and "消防 (xf)" in text
    assert "MISS" in text  # 50% on time is far below the 95% target

    # Judged the next morning nothing changes for D, and D+1 sees D's case due.
    assert day_report(store, D, as_of=at(1, 6)).counts.on_time == 1
    assert day_report(store, D + dt.timedelta(days=1), as_of=at(1, 23)).counts.due == 1


def test_simulate_and_report_day_from_the_command_line(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert cli.main(["migrate", "--db", url]) == 0
    code = cli.main(["simulate", "--db", url, "--city-scale", "0.02", "--fast", "--days", "1",
                     "--start", "2026-03-18", "--seed", "3"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "generated the demo city at scale 0.02" in out and "simulated 2026-03-18 00:00 → 2026-03-19 00:00" in out

    with Store.open(url) as s:
        first_latest = max(e.event.at for e in s.events_after(0, 100_000))
        open_before = {c.id for c in s.snapshot("", first_latest).cases if c.closed_at is None}
    # Without --start the next run continues after the latest stored event and takes over the open cases.
    assert cli.main(["simulate", "--db", url, "--fast", "--until", "2026-03-19T06:00"]) == 0
    capsys.readouterr()
    with Store.open(url) as s:
        later = [e for e in s.events_after(0, 100_000) if e.event.at > first_latest]
        assert later and all(e.event.at <= dt.datetime(2026, 3, 19, 6, tzinfo=CST).timestamp() for e in later)
        assert {e.case.id for e in later} & open_before

    assert cli.main(["report", "day", "--date", "2026-03-18", "--db", url]) == 0
    out = capsys.readouterr().out
    with Store.open(url) as s:
        r = day_report(s, D)
    assert out.startswith("Day report 2026-03-18 (CST)")
    assert f"{r.items:>10,}" in out and "按期结案率 on time" in out and "Load per department" in out
    assert 150 <= r.items <= 280  # a 0.02 city gets ~206 a day


@pytest.mark.parametrize("argv, message", [
    (["simulate", "--scenario", "carnival", "--fast", "--days", "1"], "unknown scenario 'carnival'"),
    (["simulate", "--fast"], "--fast needs a span"),
    (["simulate", "--fast", "--days", "1", "--human-streets", "999999999"], "is not a street of this city"),
    (["simulate", "--fast", "--until", "2020-01-01"], "is not after the simulated start"),
    (["simulate", "--fast", "--days", "1", "--start", "yesterday"], "--start must be an ISO date"),
    (["simulate", "--speed", "0"], "--speed must be positive"),
    (["report", "day", "--date", "2026-13-01"], "--date must be a date YYYY-MM-DD"),
])
def test_bad_command_lines_fail_with_one_clear_line(tmp_path, capsys, argv, message):
    url = f"sqlite:///{tmp_path / 'bad.db'}"
    assert cli.main(["migrate", "--db", url]) == 0
    needs_city = "--human-streets" in argv or "--until" in argv or "--start" in argv
    if needs_city:
        assert cli.main(["simulate", "--db", url, "--city-scale", "0.02", "--fast", "--days", "0.01",
                         "--start", "2026-03-18"]) == 0
    capsys.readouterr()
    assert cli.main([*argv, "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gridcc-hub: ") and message in err and "Traceback" not in err


def test_simulate_refuses_a_database_without_a_city(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    assert cli.main(["migrate", "--db", url]) == 0
    assert cli.main(["simulate", "--db", url, "--fast", "--days", "1"]) == 2
    assert "holds no city" in capsys.readouterr().err


def test_simulate_live_with_a_hub_serving_the_feed(tmp_path, capsys):
    """Without --fast the simulator follows a SimClock (here 600×) and --serve publishes the feed."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    assert cli.main(["migrate", "--db", url]) == 0
    assert cli.main(["simulate", "--db", url, "--city-scale", "0.02", "--volume", "2000", "--speed", "600",
                     "--start", "2026-03-18T09:00", "--until", "2026-03-18T09:20", "--serve", "--port", "0"]) == 0
    out = capsys.readouterr().out
    assert "serving ws://127.0.0.1:" in out and "stopped at 2026-03-18 09:20" in out
    with Store.open(url) as s:
        events = s.events_after(0, 10_000)
    start = dt.datetime(2026, 3, 18, 9, tzinfo=CST).timestamp()
    assert len(events) > 10
    # The simulator's own moves stop at --until; the hub's clock may still tick a 15-minute stage
    # clock (受理, 派遣) between --until and the hub's shutdown, at 600×.
    assert all(start <= e.event.at <= start + 20 * 60 for e in events if e.event.actor != "system")
    assert all(start <= e.event.at for e in events)
