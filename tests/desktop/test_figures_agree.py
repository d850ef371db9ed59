"""One figure, one number: the console's KPI strip, the wall's headline, the day report and the
period report agree for the same store, scope and moment — on a day with a known answer.

Ten cases fell due by 15:00: four were closed on time, six are open past their deadline.
按期结案率 is 4 / 10 = 40% (not 4 of 4 closed = 100%). Two more reports were merged and
rejected: they count in 今日上报 and stay on the 全部 tab after a snapshot.
"""

from __future__ import annotations

import datetime as dt

import pytest

from backend.clock import SimClock
from backend.embedded import HubThread
from backend.reports.service import report_from_store
from backend.sim.report import day_report
from backend_client.connection import LinkState
from desktop.wall.launch import WallDisplay
from domain import periods
from domain.commands import CommandRequest
from domain.indicators import value
from domain.model import Action, Actor, Args, Role, Source, Urgency
from domain.protocol import CommandAck
from domain.queues import Queue

DAY = dt.date(2026, 3, 18)


def at(hh: int, mm: int = 0) -> float:
    return periods.midnight(DAY) + hh * 3600 + mm * 60


class Desk:
    def __init__(self, city) -> None:
        self.city, self.n = city, 0
        self.versions: dict[str, int] = {}
        self.grid = city.grids[0]
        self.op = Actor(id="op", role=Role.OPERATOR, scope=city.street)
        self.gw = Actor(id="gw", role=Role.GRID_WORKER, scope=self.grid)
        self.xf = Actor(id="xf", role=Role.DEPARTMENT, scope="", department="xf")

    def do(self, action, case_id, args, actor, t) -> str:
        self.n += 1
        version = None if case_id is None else self.versions[case_id]
        answer = self.city.store.execute(CommandRequest(client_id="desk", id=f"k{self.n}", action=action,
                                                        case_id=case_id, expected_version=version, args=args,
                                                        actor=actor),
                                         t, self.city.rules)
        assert isinstance(answer, CommandAck), answer
        self.versions[answer.case_id] = answer.version
        return answer.case_id

    def report(self, t) -> str:
        return self.do(Action.REPORT, None, Args(node=self.grid, category="21308", urgency=Urgency.NORMAL,
                                                 source=Source.HOTLINE), self.op, t)

    def dispatched(self, t) -> str:
        case_id = self.report(t)
        self.do(Action.ACCEPT, case_id, Args(), self.op, t + 60)
        self.do(Action.DISPATCH, case_id, Args(department="xf"), self.op, t + 300)  # 1 natural hour
        self.do(Action.SIGN, case_id, Args(), self.xf, t + 600)
        return case_id


def known_day(city) -> None:
    desk = Desk(city)
    for i in range(4):  # closed on time
        c = desk.dispatched(at(9, i))
        desk.do(Action.RESOLVE, c, Args(), desk.xf, at(9, 30))
        desk.do(Action.VERIFY, c, Args(passed=True), desk.gw, at(9, 40))
    for i in range(6):  # open past the deadline
        c = desk.dispatched(at(10, i))
        assert city.store.system_apply(c, Action.SLA_OVERDUE, at(11, 30), city.rules)
    first = desk.report(at(12))
    dup = desk.report(at(12, 1))
    desk.do(Action.MERGE, dup, Args(parent_id=first), desk.op, at(12, 2))
    wrong = desk.report(at(12, 30))
    desk.do(Action.REJECT, wrong, Args(reason="不属于受理范围"), desk.op, at(12, 31))


@pytest.fixture
def day_hub(city):
    known_day(city)
    with HubThread(city.store, rules=city.rules, heartbeat_interval=2.0, clock=SimClock(start=at(15))) as running:
        yield running


def test_strip_wall_and_reports_give_the_same_figures(qtbot, city, day_hub, open_console, tmp_path):
    console = open_console(day_hub.url, city.token("operator", city.street))
    wall = WallDisplay(day_hub.url, city.token("wall", city.street), show=False, outbox_path=tmp_path / "wall.db")
    qtbot.addWidget(wall.window)
    try:
        wall.window.resize(1920, 1080)
        wall.window.show()
        qtbot.waitUntil(lambda: wall.client.state.state is LinkState.LIVE, timeout=15000)
        qtbot.waitUntil(lambda: console.window.status.state().value == "live", timeout=15000)

        def strip(key):
            return console.window.kpis.cards[key].value_text()

        qtbot.waitUntil(lambda: strip("reported") == "13", timeout=10000)
        wall.controller.refresh(force=True)
        qtbot.waitUntil(lambda: wall.window.tiles.value_text("reported") == "13", timeout=10000)

        # The known answer, on both screens.
        expected = {"reported": "13", "due": "10", "on_time_rate": "40.0%", "overdue_open": "6"}
        assert {k: strip(k) for k in expected} == expected
        assert {k: wall.window.tiles.value_text(k) for k in expected} == expected
        assert strip("late") == "6" and console.window.kpis.cards["late"].is_bad()
        assert not console.window.kpis.cards["on_time_rate"].is_bad()  # rates are never red

        # The same day from the database, as `gridcc-hub report day` and the period report count it.
        now = console.client.server_now()
        daily = day_report(city.store, DAY, as_of=now, node=city.street)
        period = report_from_store(city.store, city.street, periods.period_on("day", DAY), as_of=now)
        for counts in (daily.counts, period.total):
            assert (counts.reported, counts.due, counts.on_time, counts.late, counts.overdue_open) == (13, 10, 4, 6, 6)
            assert value(counts, "on_time_rate") == pytest.approx(0.4)

        # 今日上报 and the 全部 tab count the same cases (merged and rejected ones included).
        tabs = console.client.index.counts(city.street)
        assert tabs[Queue.ALL] == 13 == int(strip("reported"))
    finally:
        wall.close()


def test_the_reports_window_shows_and_exports_the_hubs_figures(qtbot, city, day_hub, open_console, tmp_path):
    import openpyxl

    names = {n.code: n.name for n in city.data.nodes}
    console = open_console(day_hub.url, city.token("operator", city.street))
    qtbot.waitUntil(lambda: console.window.status.state().value == "live", timeout=15000)
    reports = console.controller.open_reports()
    qtbot.addWidget(reports.view)
    view = reports.view
    assert [view.group.itemData(i) for i in range(view.group.count())] == [
        "community", "grid", "department", "grid_worker"]
    view.choose("day", DAY, group_by="community")
    view.query_button.click()
    qtbot.waitUntil(lambda: view.data is not None, timeout=15000)
    total = view.data.total
    assert (total.reported, total.due, total.on_time, total.late) == (13, 10, 4, 6)
    shown = {view.summary.item(r, 0).text(): view.summary.item(r, 1).text() for r in range(view.summary.rowCount())}
    assert shown["按期结案率"] == "40.0%" and shown["应结案数"] == "10" and shown["上报数"] == "13"
    assert view.units.rowCount() == 1 and view.units.item(0, 1).text() == names[city.grids[0][:12]]
    assert "40.0%" in [view.units.item(0, c).text() for c in range(view.units.columnCount())]

    xlsx = reports.export("xlsx", tmp_path / "day.xlsx")
    book = openpyxl.load_workbook(xlsx)
    rows = {r[0].value: r[1].value for r in book["汇总"].iter_rows(min_row=5)}
    assert rows["按期结案率"] == pytest.approx(0.4) and rows["应结案数"] == 10
    pdf = reports.export("pdf", tmp_path / "day.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert reports.export("csv", tmp_path / "day.csv").read_bytes().startswith("\ufeff".encode())

    view.choose("custom", DAY, DAY - dt.timedelta(days=1))
    view.query_button.click()
    assert view.status.text() in ("The last day is before the first", "结束日期早于开始日期")
