"""The grid's own work against a real hub: visits, meetings, portraits, masking on the wire."""

from __future__ import annotations

import itertools
import json

from sqlalchemy import text

from backend.gridwork.store import GridworkStore
from domain import protocol as p
from domain.gridwork import wire as gw
from domain.gridwork.visits import Visit
from domain.model import Action, State
from tests.backend.feedclient import FeedClient
from tests.backend.gridwork.conftest import COMMUNITY, DAY, GRID, GRID_2, OTHER_STREET_GRID, STREET

_ids = itertools.count(1)


class GridworkClient(FeedClient):
    """FeedClient plus gridwork requests; keeps every raw frame it reads."""

    def __init__(self, *args, **kwargs) -> None:
        self.raw: list[str] = []
        super().__init__(*args, **kwargs)

    def recv(self, timeout: float = 10.0):
        raw = self.ws.recv(timeout=timeout)
        self.raw.append(raw)
        return p.decode_server(raw)

    def _ask(self, msg) -> p.GridworkAnswer:
        self.send(msg)
        found = {}

        def answered():
            for m in self.other:
                if isinstance(m, p.GridworkAnswer) and m.id == msg.id:
                    found["a"] = m
            return found.get("a")

        return self.pump(answered)

    def query(self, query) -> p.GridworkAnswer:
        return self._ask(p.GridworkQuery(id=f"q-{next(_ids)}", query=query))

    def op(self, op, command_id: str | None = None) -> p.GridworkAnswer:
        return self._ask(p.GridworkCommand(id=command_id or f"g-{next(_ids)}", op=op))


def _result(answer: p.GridworkAnswer):
    assert answer.code is None, answer
    return answer.result


def test_weekly_visit_overdue_after_8_days_in_the_street_queue_and_cleared_when_logged(hub, tokens, clock):
    op = GridworkClient(hub.url, tokens["op_street"])
    worker = GridworkClient(hub.url, tokens["worker"])
    queue = _result(op.query(gw.VisitQueueQuery(scope=STREET)))
    assert queue.overdue == 0  # the register was imported a day ago; weekly visits fall due in 6 days
    clock.advance(7 * DAY)  # 8 days since the import: the weekly visit of p-1 is a day late
    queue = _result(op.query(gw.VisitQueueQuery(scope=STREET, overdue_only=True)))
    late = {t.person_id for t in queue.tasks if t.overdue}
    assert {"p-1", "p-3", "p-4"} <= late  # elderly alone and left-behind children: weekly
    assert "p-2" not in late and "p-5" not in late  # fortnightly and monthly: not yet
    assert queue.overdue == len(late) == 3
    community = _result(op.query(gw.VisitQueueQuery(scope=COMMUNITY, overdue_only=True)))
    assert {t.person_id for t in community.tasks} == late
    done = _result(worker.op(gw.LogVisit(person_id="p-1", notes="身体良好，已检查燃气")))
    assert done.op == "log_visit" and done.case_ids == []
    queue = _result(op.query(gw.VisitQueueQuery(scope=STREET, overdue_only=True)))
    assert {t.person_id for t in queue.tasks} == {"p-3", "p-4"} and queue.overdue == 2
    # The next visit is due a week after this one.
    full = _result(op.query(gw.VisitQueueQuery(scope=STREET)))
    assert all(t.person_id != "p-1" for t in full.tasks)
    assert full.rate is not None and full.rate.due == 3 and full.rate.done_on_time == 0
    op.close()
    worker.close()


def test_a_visit_that_finds_a_problem_reports_a_linked_case_once(hub, tokens):
    worker = GridworkClient(hub.url, tokens["worker"])
    worker.subscribe(GRID)
    problem = gw.ProblemIn(category="21201", description="老人行动不便，需要助餐服务")
    first = _result(worker.op(gw.LogVisit(person_id="p-2", notes="需帮扶", problem=problem), command_id="v-1"))
    again = _result(worker.op(gw.LogVisit(person_id="p-2", notes="需帮扶", problem=problem), command_id="v-1"))
    assert len(first.case_ids) == 1 and again.case_ids == first.case_ids
    case_id = first.case_ids[0]
    worker.pump(lambda: any(e.case.id == case_id for e in worker.events))
    case = next(e.case for e in worker.events if e.case.id == case_id)
    assert case.node == GRID and case.category == "21201" and case.state == State.REPORTED
    assert sum(1 for e in worker.events if e.event.kind == Action.REPORT) == 1
    portrait = _result(worker.query(gw.PortraitQuery(scope=GRID)))
    assert [v.case_id for v in portrait.recent.recent_visits] == [case_id]
    worker.close()


def _close(client: FeedClient, case_id: str, tokens, hub) -> None:
    """Take a case to closed: accept, self-resolve (on the spot), verify."""
    from domain.model import Source  # noqa: F401 - the report already set it

    ack = client.command(Action.ACCEPT, case_id, expected_version=1)
    assert isinstance(ack, p.CommandAck), ack
    dispatch = client.command(Action.DISPATCH, case_id, expected_version=ack.version, department="szyl")
    assert isinstance(dispatch, p.CommandAck), dispatch
    version = dispatch.version
    dept_token = hub_store_user(hub, "department", "3702", "szyl")
    dept = FeedClient(hub.url, dept_token)
    for action, args in ((Action.SIGN, {}), (Action.RESOLVE, {"message": "已处理"})):
        answer = dept.command(action, case_id, expected_version=version, **args)
        assert isinstance(answer, p.CommandAck), answer
        version = answer.version
    dept.close()
    verify = client.command(Action.VERIFY, case_id, expected_version=version, passed=True)
    assert isinstance(verify, p.CommandAck) and verify.case.state == State.CLOSED, verify


def hub_store_user(hub, role, scope, department=None):
    return hub.hub.store.add_user(f"u-{role}-{next(_ids)}", role, scope, department)[1]


def test_meeting_with_three_matters_makes_three_linked_cases_whose_closure_shows(hub, tokens):
    op = GridworkClient(hub.url, tokens["op_street"])
    op.subscribe(STREET)
    meeting = gw.RecordMeeting(
        grid=GRID, topic="小区停车与环境整治", opinions=12, resolved=2,
        attendees=[gw.AttendeeIn(name="王建华", role="grid_head"), gw.AttendeeIn(name="张三明", role="resident"),
                   gw.AttendeeIn(name="刘红", role="party")],
        departments=["cg", "wy"],
        matters=[gw.MatterIn(text="3号楼前路灯不亮", category="10137"),
                 gw.MatterIn(text="垃圾桶满溢", category="20151"),
                 gw.MatterIn(text="楼道堆物", category="20507")])
    done = _result(op.op(meeting))
    assert done.op == "record_meeting" and len(set(done.case_ids)) == 3
    log = _result(op.query(gw.MeetingLogQuery(scope=STREET, year=2026)))
    assert len(log.meetings) == 1
    recorded = log.meetings[0]
    assert [m.case_id for m in recorded.matters] == done.case_ids
    assert all(m.case_state == "reported" for m in recorded.matters)
    assert (log.figures.meetings, log.figures.resolved, log.figures.opinions) == (1, 2, 12)
    # Operators see residents' names shortened; staff names stay.
    names = {a.role: a.name for a in recorded.attendees}
    assert names == {"grid_head": "王建华", "resident": "张*明", "party": "刘*"}
    op.pump(lambda: {e.case.id for e in op.events} >= set(done.case_ids))
    assert {e.case.source.value for e in op.events if e.case.id in done.case_ids} == {"meeting"}
    for case_id in done.case_ids:
        _close(op, case_id, tokens, hub)
    log = _result(op.query(gw.MeetingLogQuery(scope=STREET, year=2026)))
    matters = log.meetings[0].matters
    assert [m.case_state for m in matters] == ["closed"] * 3 and all(m.case_closed_at for m in matters)
    assert (log.figures.meetings, log.figures.resolved, log.figures.opinions) == (1, 5, 12)
    assert (log.figures.cases_linked, log.figures.cases_closed) == (3, 3)
    grid_figures = next(f for f in _result(op.query(gw.MeetingLogQuery(scope=COMMUNITY, year=2026))).per_child
                        if f.key == GRID)
    assert grid_figures.meetings == 1 and grid_figures.resolved == 5
    op.close()


def test_portrait_counts_match_an_independent_query_of_the_store(hub, tokens, registered):
    op = GridworkClient(hub.url, tokens["district"])
    for scope in (GRID, COMMUNITY, STREET, "370202"):
        portrait = _result(op.query(gw.PortraitQuery(scope=scope)))
        with registered.engine.connect() as conn:
            like = {"s": scope + "%"}
            households, residents, buildings, units, businesses = conn.execute(text(
                "SELECT coalesce(sum(households),0), coalesce(sum(residents),0), coalesce(sum(buildings),0), "
                "coalesce(sum(units),0), coalesce(sum(businesses),0) FROM gw_register_grids WHERE grid_code LIKE :s"),
                like).one()
            people = conn.execute(text("SELECT count(*) FROM gw_care_people WHERE grid_code LIKE :s"), like).scalar()
            alone = conn.execute(text("SELECT count(*) FROM gw_care_people WHERE grid_code LIKE :s "
                                      "AND groups LIKE '%elderly_alone%'"), like).scalar()
            workers = conn.execute(text("SELECT count(*) FROM grid_workers WHERE grid_code LIKE :s"), like).scalar()
        f = portrait.figures
        assert (f.households, f.residents, f.buildings, f.units, f.businesses) == (
            households, residents, buildings, units, businesses), scope
        assert f.care_people == people and f.special_care.get("elderly_alone", 0) == alone
        assert f.workers == workers
        if scope == GRID:
            assert len(portrait.people) == people == 3
            assert portrait.party.branch == "第1网格党支部" and portrait.party.members == 31
            assert [k.name for k in portrait.key_places] == ["浮山小学", "菜市场"]
            assert portrait.data_as_of is not None
        else:
            assert sum(r.figures.residents for r in portrait.children) == f.residents
    op.close()


def _leaks(raw_frames: list[str]) -> list[str]:
    """Full names, ID numbers and phones of the register found anywhere in the raw frames."""
    secrets = ["张三明", "李桂英", "王小宝", "赵大爷", "钱阿姨", "370202194101011234", "370202195002021235",
               "13912345678", "13912345679", "13912340000", "13800000001"]
    blob = "\n".join(raw_frames)
    return [s for s in secrets if s in blob]


def test_masked_fields_never_reach_a_client_whose_role_lacks_the_right(hub, tokens):
    for role in ("op_street", "sup", "wall", "district"):
        client = GridworkClient(hub.url, tokens[role])
        for scope in (GRID, GRID_2):
            _result(client.query(gw.PortraitQuery(scope=scope)))
            _result(client.query(gw.VisitQueueQuery(scope=scope)))
        _result(client.query(gw.RosterQuery(scope=STREET)))
        assert _leaks(client.raw) == [], role
        frames = [json.loads(r) for r in client.raw if '"gridwork_answer"' in r]
        people = [x for f in frames if f["result"]["kind"] == "portrait" for x in f["result"]["people"]]
        assert people and all("id_number" not in x and "phone" not in x for x in people)
        assert {x["name"] for x in people} >= {"张*明", "李*英", "王*宝"}
        client.close()
    admin = GridworkClient(hub.url, tokens["admin"])
    _result(admin.query(gw.PortraitQuery(scope=GRID)))
    assert {"张三明", "370202194101011234", "13912345678"} <= set(_leaks(admin.raw))
    admin.close()
    worker = GridworkClient(hub.url, tokens["worker"])
    _result(worker.query(gw.PortraitQuery(scope=GRID)))
    seen = set(_leaks(worker.raw))
    assert "张三明" in seen and "13912345678" in seen and "370202194101011234" not in seen
    worker.close()


def test_jurisdiction_and_roles_are_enforced(hub, tokens):
    other = GridworkClient(hub.url, tokens["op_other"])
    refused = other.query(gw.PortraitQuery(scope=GRID))
    assert refused.code == p.ErrorCode.FORBIDDEN and refused.result is None
    assert other.op(gw.LogVisit(person_id="p-1")).code == p.ErrorCode.FORBIDDEN
    own = _result(other.query(gw.PortraitQuery(scope=OTHER_STREET_GRID)))
    assert [x.id for x in own.people] == ["p-6"]
    other.close()
    wall = GridworkClient(hub.url, tokens["wall"])
    assert wall.op(gw.LogVisit(person_id="p-1")).code == p.ErrorCode.FORBIDDEN
    assert wall.op(gw.LogVisit(person_id="nobody")).code == p.ErrorCode.NOT_FOUND
    wall.close()


def test_patrol_check_in_coverage_and_hazard_case(hub, tokens):
    worker = GridworkClient(hub.url, tokens["worker"])
    op = GridworkClient(hub.url, tokens["op_street"])
    day = _result(op.query(gw.PatrolQuery(scope=STREET)))
    assert day.coverage.planned == 2 * 2 and day.coverage.done == 0  # March: routine and fire patrols
    _result(worker.op(gw.CheckInPatrol(grid=GRID, patrol="routine", notes="正常")))
    hazard = _result(worker.op(gw.CheckInPatrol(grid=GRID, patrol="fire", hazard=gw.ProblemIn(
        category="21303", description="楼道电动车充电"))))
    assert len(hazard.case_ids) == 1
    assert worker.op(gw.CheckInPatrol(grid=GRID, patrol="ice")).code == p.ErrorCode.INVALID  # not in March
    day = _result(op.query(gw.PatrolQuery(scope=STREET)))
    assert (day.coverage.done, day.coverage.hazards) == (2, 1)
    community = next(c for c in day.per_child if c.key == COMMUNITY)
    assert (community.planned, community.done) == (4, 2)
    grid_day = _result(op.query(gw.PatrolQuery(scope=GRID_2)))
    assert grid_day.coverage.kinds_open == ("routine", "fire")
    roster = _result(op.query(gw.RosterQuery(scope=STREET)))
    assert {w.worker.id for w in roster.workers} == {"gw-1", "gw-2"}
    assert all(w.worker.phone is None for w in roster.workers)  # operators see no phones
    worker.close()
    op.close()


def test_roster_duty_and_workload(hub, tokens, registered, clock):
    op = GridworkClient(hub.url, tokens["op_street"])
    worker = GridworkClient(hub.url, tokens["worker"])
    assert worker.op(gw.SetDuty(worker="gw-1", on_duty=False)).code == p.ErrorCode.FORBIDDEN  # workers may not
    assert op.op(gw.SetDuty(worker="gw-3", on_duty=False)).code == p.ErrorCode.FORBIDDEN  # another street's
    assert op.op(gw.SetDuty(worker="nobody", on_duty=False)).code == p.ErrorCode.NOT_FOUND
    _result(op.op(gw.SetDuty(worker="gw-2", on_duty=False)))
    # Workload counts records under the roster id (the simulator's workers act under it).
    GridworkStore(registered).log_visit(Visit(id="v-1", person_id="p-1", grid=GRID, at=clock.now(), worker="gw-1"))
    roster = {w.worker.id: w for w in _result(op.query(gw.RosterQuery(scope=STREET))).workers}
    assert (roster["gw-1"].worker.on_duty, roster["gw-2"].worker.on_duty) == (True, False)
    assert roster["gw-1"].worker.full_time and roster["gw-1"].worker.grid == GRID
    assert (roster["gw-1"].visits, roster["gw-2"].visits) == (1, 0)
    op.close()
    worker.close()
