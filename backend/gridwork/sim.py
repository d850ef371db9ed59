"""The grid's own work, simulated: visits, 网格自管会 meetings and patrols at believable rates.

* Visits: each open task is done up to a day before its due date; about 4 in 100 are missed and
  done 1–4 days late (so the street queue always has a few overdue visits); 1.5% find a problem,
  reported as a case (特殊人群需帮扶 / 困难群众救助).
* Meetings: about one a month per grid (a model grid meets about 38 times a year), 5–12
  attendees, 3–20 opinions, a few matters settled on the spot and up to three raised, most of
  which become cases (source 网格自管会).
* Patrols: every planned task of the day is checked in between 08:30 and 11:30, 3% are missed,
  and 0.4% find a hazard, reported as a case.

Cases go through ``store.execute`` as the grid worker, the path of any client's report. With
``cases=False`` (the history before the case simulator starts) nothing is reported.
Scenarios inject a missed visit or a meeting's matters (``[[gridwork]]`` tables, see
``domain.gridwork.scenario``); :meth:`miss_visits` and :meth:`meeting_now` do the same from code.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import random
import uuid

from backend.gridwork.store import GridworkStore, cst_day
from domain.commands import CommandRequest
from domain.gridwork.care import DAY
from domain.gridwork.meetings import Attendee, Matter, Meeting
from domain.gridwork.patrols import CheckIn, planned_kinds
from domain.gridwork.visits import Visit
from domain.model import Action, Actor, Args, Role, Source, Urgency
from domain.periods import CST_OFFSET
from domain.protocol import CommandAck

TOPICS = ("小区停车秩序", "楼道堆物清理", "垃圾分类推进", "老旧小区改造意见征集", "加装电梯协商", "物业服务评议",
          "冬季供暖保障", "防汛准备", "邻里纠纷调解", "文明养犬公约", "社区食堂建设", "健身设施维护")
MATTERS = (("路灯不亮", "10137"), ("垃圾桶满溢", "20151"), ("楼道堆物", "20507"), ("井盖松动", "10103"),
           ("消防通道被占", "21308"), ("楼道电动车充电", "21303"), ("绿地被毁", "20106"), ("道路破损", "10253"),
           ("噪音扰民", "21101"), ("排水不畅", "20404"))
HAZARDS = (("楼道电动车充电", "21303"), ("消防设施损坏", "10151"), ("高空坠物隐患", "21301"),
           ("燃气泄漏隐患", "21305"))
VISIT_NOTES = ("身体状况良好", "已检查水电燃气", "情绪稳定", "已送药", "已协助预约体检")
log = logging.getLogger(__name__)
DEPARTMENTS = ("cg", "wy", "sq", "mz", "szyl")


def day_start(t: float) -> float:
    return (t + CST_OFFSET) // DAY * DAY - CST_OFFSET


def daytime(t: float, u: float) -> float:
    """``t`` moved into the working hours (08:30–18:00 CST) of its day."""
    local = (t + CST_OFFSET) % DAY
    if local < 8.5 * 3600:
        return t - local + (8.5 + 2 * u) * 3600
    if local > 18 * 3600:
        return t - local + (14 + 4 * u) * 3600
    return t


class GridworkSim:
    def __init__(self, store, rules, scope: str, workers: dict[str, list], *, start: float, seed: int = 1,
                 client_id: str | None = None, injections=(), day1: float | None = None) -> None:
        """``injections``: domain.gridwork.scenario.GridworkInjection, timed from ``day1`` (00:00 CST of
        the scenario's first day; default: the day of ``start``)."""
        self.store, self.rules, self.scope = store, rules, scope
        self.g = GridworkStore(store)
        self.grids = self.g.registered_grids(scope)
        self.workers = {g: ws for g, ws in workers.items() if g in set(self.grids)}
        self.rng = random.Random(seed * 104729 + 3)
        self.seed = seed
        self.t = start
        self.client_id = client_id or f"sim-gw-{uuid.uuid4().hex[:10]}"
        self._n = 0
        self._planned_day = day_start(start) - DAY
        self._heap: list[tuple[float, int, str, str, str]] = []  # (t, n, what, grid, detail)
        self._held: dict[str, float] = {}  # person id → until when a scenario holds back their visits
        first = day_start(start) if day1 is None else day1
        self._injections = sorted(((first + (i.day - 1) * DAY + i.at, n, i) for n, i in enumerate(injections)),
                                  key=lambda x: (x[0], x[1]))
        self.visits = self.meetings = self.patrols = self.cases = 0
        self.model_grid = self.grids[0] if self.grids else None

    # ---- running -----------------------------------------------------------------------------
    def run_until(self, t: float, cases: bool = True) -> None:
        while self._planned_day + DAY <= t:
            self._planned_day += DAY
            self._plan_day(self._planned_day)
        while self._injections and self._injections[0][0] <= t:
            at, _, injection = self._injections.pop(0)
            self._inject(max(at, self.t), injection)
        checkins: list[CheckIn] = []
        while self._heap and self._heap[0][0] <= t:
            at, _, what, grid, detail = heapq.heappop(self._heap)
            if at < self.t:
                at = self.t
            if what == "patrol":
                checkins.append(self._patrol(at, grid, detail, cases))
            else:
                self._meeting(at, grid, cases)
        self.g.check_ins(checkins)
        self.patrols += len(checkins)
        self._visits(t, cases)
        self.t = t

    def _plan_day(self, start: float) -> None:
        month = int(cst_day(start)[5:7])
        kinds = planned_kinds(month)
        for grid in self.grids:
            for kind in kinds:
                if self.rng.random() < 0.97:
                    self._push(start + 8.5 * 3600 + self.rng.random() * 3 * 3600, "patrol", grid, kind)
            rate = 38 / 365 if grid == self.model_grid else 12 / 365
            if self.rng.random() < rate:
                self._push(start + 14 * 3600 + self.rng.random() * 5 * 3600, "meeting", grid, "")

    def _push(self, t: float, what: str, grid: str, detail: str) -> None:
        self._n += 1
        heapq.heappush(self._heap, (t, self._n, what, grid, detail))

    def _worker(self, grid: str):
        ws = self.workers.get(grid) or []
        return ws[0] if ws else None

    def _actor(self, grid: str) -> Actor:
        w = self._worker(grid)
        return Actor(id=w.id if w else f"sim-worker-{grid}", role=Role.GRID_WORKER, scope=grid,
                     name=w.name if w else "网格员")

    def _report(self, grid: str, category: str, source: Source, description: str, at: float) -> str | None:
        self._n += 1
        answer = self.store.execute(CommandRequest(client_id=self.client_id, id=f"gw-{self._n}", action=Action.REPORT,
                                                   case_id=None, expected_version=None,
                                                   args=Args(node=grid, category=category, urgency=Urgency.NORMAL,
                                                             source=source, description=description),
                                                   actor=self._actor(grid)), at, self.rules)
        if isinstance(answer, CommandAck):
            self.cases += 1
            return answer.case_id
        return None

    # ---- the three kinds of work -----------------------------------------------------------
    def _visits(self, t: float, cases: bool) -> None:
        done = []
        for task_id, person_id, grid, due, freq in self.g.open_tasks_due(self.scope, t + DAY):
            if person_id in self._held and t < self._held[person_id]:
                continue
            r = random.Random(task_id * 7_919 + self.seed)
            late = r.random() < 0.04
            planned = due - r.random() * 0.9 * DAY + ((1 + 3 * r.random()) * DAY if late else 0.0)
            planned = daytime(planned, r.random())
            if planned > t:
                continue
            at = min(t, max(planned, self.t))
            actor = self._actor(grid)
            case_id = None
            problem = r.random() < 0.015
            if problem and cases:
                category, text = r.choice((("21201", "走访发现需帮扶"), ("21204", "走访发现生活困难")))
                case_id = self._report(grid, category, Source.GRID_WORKER, text, at)
            if problem:
                notes = "发现问题，已上报" if case_id else "发现问题，已现场协调解决"
            else:
                notes = r.choice(VISIT_NOTES)
            visit = Visit(id=f"{self.client_id}/v{task_id}", person_id=person_id, grid=grid, at=at, worker=actor.id,
                          notes=notes, problem=problem, case_id=case_id)
            done.append((task_id, visit, freq, actor.id))
        self.g.log_visits(done)
        self.visits += len(done)

    def _patrol(self, at: float, grid: str, kind: str, cases: bool) -> CheckIn:
        actor = self._actor(grid)
        case_id = None
        if cases and self.rng.random() < 0.004:
            text, category = self.rng.choice(HAZARDS)
            case_id = self._report(grid, category, Source.GRID_WORKER, f"巡查发现：{text}", at)
        self._n += 1
        return CheckIn(id=f"{self.client_id}/p{self._n}", grid=grid, day=cst_day(at), kind=kind, at=at,
                       worker=actor.id, notes="发现隐患，已上报" if case_id else "正常", hazard_case_id=case_id)

    def _meeting(self, at: float, grid: str, cases: bool, matters: int | None = None) -> Meeting:
        rng = self.rng
        from backend.gridwork.seed import fake_name

        attendees = [Attendee(name=fake_name(rng), role="grid_head"), Attendee(name=self._actor(grid).name,
                                                                               role="grid_worker")]
        attendees += [Attendee(name=fake_name(rng), role=rng.choice(("resident", "resident", "party", "volunteer")))
                      for _ in range(rng.randint(4, 10))]
        raised = []
        for text, category in rng.sample(MATTERS, rng.randint(0, 3) if matters is None else matters):
            case_id = self._report(grid, category, Source.MEETING, f"自管会提出：{text}", at) \
                if cases and (matters is not None or rng.random() < 0.7) else None
            raised.append(Matter(text=text, category=category if case_id else None, case_id=case_id))
        self._n += 1
        meeting = Meeting(id=f"{self.client_id}/m{self._n}", grid=grid, held_at=at, topic=rng.choice(TOPICS),
                          attendees=tuple(attendees), departments=tuple(rng.sample(DEPARTMENTS, rng.randint(0, 2))),
                          opinions=rng.randint(3, 20), resolved=rng.randint(0, 4), matters=tuple(raised),
                          recorded_by=self._actor(grid).id)
        self.g.record_meeting(meeting)
        self.meetings += 1
        return meeting

    def seed_meetings(self, since: float, until: float) -> int:
        """Meetings held between ``since`` and ``until`` in bulk, without cases (the year's history)."""
        out = []
        days = max(0.0, (until - since) / DAY)
        for grid in self.grids:
            rate = 38 / 365 if grid == self.model_grid else 12 / 365 * self.rng.lognormvariate(0, 0.3)
            n = sum(1 for _ in range(int(days)) if self.rng.random() < rate)
            for _ in range(n):
                at = day_start(since + self.rng.random() * (until - since)) + (14 + 5 * self.rng.random()) * 3600
                self._n += 1
                matters = tuple(Matter(text=text) for text, _ in self.rng.sample(MATTERS, self.rng.randint(0, 3)))
                out.append(Meeting(id=f"{self.client_id}/h{self._n}", grid=grid, held_at=min(at, until),
                                   topic=self.rng.choice(TOPICS), opinions=self.rng.randint(3, 20),
                                   resolved=self.rng.randint(0, 4) + len(matters), matters=matters))
        return self.g.record_meetings(out)

    # ---- scenario injections -----------------------------------------------------------------
    def _grid_for(self, node: str) -> str | None:
        return next((g for g in self.grids if g.startswith(node)), None)

    def _inject(self, at: float, injection) -> None:
        grid = self._grid_for(injection.node)
        if grid is None:
            log.warning("gridwork injection at %s: no grid with people under %s", injection.node, injection.node)
            return
        if injection.kind == "meeting":
            self._meeting(at, grid, True, injection.matters)
            return
        tasks = self.g.open_tasks_due(grid, float("inf"), limit=injection.people)
        self.miss_visits({person: due + injection.days * DAY for _, person, _, due, _ in tasks})

    def miss_visits(self, until: dict[str, float]) -> None:
        """Hold back the visits of these people (id → until when): their tasks go overdue meanwhile."""
        self._held.update(until)

    def release(self, person_ids=None) -> None:
        """Let the held-back visits be made (all, or those of ``person_ids``)."""
        if person_ids is None:
            self._held.clear()
        for person in person_ids or ():
            self._held.pop(person, None)

    def meeting_now(self, grid: str, matters: int = 3) -> Meeting:
        """A meeting in ``grid`` at the current sim time raising ``matters`` matters, each a case."""
        return self._meeting(self.t, grid, True, matters)

    # ---- live --------------------------------------------------------------------------------
    async def run_live(self, hub, tick: float = 1.0, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), tick)
                return
            except TimeoutError:
                pass
            now = hub.clock.now()
            if now > self.t:
                await hub.write(self.run_until, now)
                hub.wake_pump()
