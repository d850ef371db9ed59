"""The virtual actors: grid workers, street operators and departments, as two pure decisions.

:meth:`Actors.plan` looks at a case as it stands and says which virtual actor does what
next, and when; :meth:`Actors.act` is called when that moment comes and returns the
command to send. Both look only at the case (and a few per-case intentions kept in a
:class:`Track`), never at how the case got there, so a case a human operator took over
halfway is picked up again from wherever the human left it.

The practised loop: a department asks (延期, 挂账 with an end date, 退单) and the street's duty
officer decides (most approved, some rejected); a few cases are co-handled with an assisting
department that signs and reports before the lead resolves; a suspension ends by the hub's
own clock; closed cases with a caller are called back (about 90% satisfied or fairly
satisfied), and a dissatisfied caller reopens the case (重办).

Times: handling is drawn per category relative to its SLA limit and counted on the limit's
own clock (working hours stay inside working hours), lognormal with a median of 40–60% of
the limit; so most cases finish on time and a few per cent breach.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass

from backend.sim.cityview import CityView
from backend.sim.scenario import ActorParams
from domain.clocks import awaits_callback
from domain.model import (
    OPEN_STATES,
    Action,
    Actor,
    Args,
    Case,
    RequestKind,
    Role,
    Satisfaction,
    SlaLimit,
    SlaState,
    State,
    Urgency,
)
from domain.rules import Rules

A = Action
MIN = 60.0
DAY = 86400.0
#: Department that takes a case another one sent back (街道办 coordinates; 社区 for its own).
FALLBACK_DEPARTMENT = "jd"
FALLBACK_FOR_FALLBACK = "sq"
OPERATOR_PREFIX = "sim-op-"
DEPARTMENT_PREFIX = "sim-dept-"


#: Steps a street's duty officer takes; in a human's street they are the human's.
OPERATOR_STEPS = frozenset({"acknowledge", "review", "close", "dispatch", "redispatch", "verify_op", "decide",
                            "callback"})


def pending(case: Case) -> bool:
    return case.request is not None and case.request.approved is None


def needs_acknowledgement(case: Case) -> bool:
    """An open case raising an alarm nobody has acknowledged yet (what wall displays show)."""
    return (case.acknowledged_by is None and case.state in OPEN_STATES
            and (case.urgency is Urgency.CRITICAL or case.sla_state is SlaState.OVERDUE))


@dataclass(slots=True)
class Track:
    """A case the simulator follows, with what its virtual actors intend to do."""

    case: Case
    token: int = 0  # bumped on every re-plan; a step carrying an older token is stale
    self_resolve: bool = False  # the reporting grid worker fixes it on the spot
    parent: str | None = None  # a duplicate: merge into this case
    resolve_at: float | None = None
    extend_at: float | None = None
    suspend_at: float | None = None
    returned: bool = False  # a department already sent it back once
    failures: int = 0  # commands refused in a row


class Actors:
    def __init__(self, city: CityView, rules: Rules, params: ActorParams, rng: random.Random,
                 human_streets: Iterable[str] = (), auto_operator_delay: float | None = None) -> None:
        self.city = city
        self.rules = rules
        self.p = params
        self.rng = rng
        self.human_streets = frozenset(human_streets)
        minutes = params.auto_operator_delay_min if auto_operator_delay is None else auto_operator_delay
        self.operator_delay = max(0.0, minutes) * MIN
        self._operators: dict[str, Actor] = {}
        self._departments: dict[str, Actor] = {}
        self._workers: dict[str, Actor | None] = {}
        self._handling: dict[str, float] = {}

    # ---- who ---------------------------------------------------------------------------------
    def operator(self, node: str) -> Actor:
        street = node[:9]
        actor = self._operators.get(street)
        if actor is None:
            name = f"{self.city.names.get(street, street)}值班员(模拟)"
            actor = self._operators[street] = Actor(id=OPERATOR_PREFIX + street, role=Role.OPERATOR, scope=street,
                                                    name=name)
        return actor

    def department(self, code: str) -> Actor:
        actor = self._departments.get(code)
        if actor is None:
            dept = self.rules.catalog.departments.get(code)
            actor = self._departments[code] = Actor(id=DEPARTMENT_PREFIX + code, role=Role.DEPARTMENT, scope="",
                                                    name=f"{dept.name if dept else code}(模拟)", department=code)
        return actor

    def worker(self, grid: str) -> Actor | None:
        if grid not in self._workers:
            w = self.city.worker_of(grid)
            self._workers[grid] = None if w is None else Actor(id=w.id, role=Role.GRID_WORKER, scope=grid,
                                                               name=w.name)
        return self._workers[grid]

    def reporter(self, grid: str, source) -> Actor:
        """Grid workers and residents' meetings report through the grid worker; the rest
        (residents, the 12345 hotline, video patrol) come in at the street's command center."""
        if source.value in ("grid_worker", "meeting"):
            worker = self.worker(grid)
            if worker is not None:
                return worker
        return self.operator(grid)

    def virtual_operator(self, case: Case) -> bool:
        return case.node[:9] not in self.human_streets and case.owner_level >= 3

    def may_take(self, case: Case, step: str) -> bool:
        """Whether a virtual actor may take ``step`` now: a human's street may have been handed
        over after the step was planned (demo and training leave it to the human)."""
        return step not in OPERATOR_STEPS or self.virtual_operator(case)

    def address(self, grid: str) -> str:
        names = self.city.names
        return "".join(names.get(grid[:n], "") for n in (9, 12, 15))

    # ---- when and what -----------------------------------------------------------------------
    def plan(self, t: Track, now: float) -> tuple[float, str] | None:
        """(when, step) of the next thing a virtual actor does with this case, or None."""
        case, p, rng = t.case, self.p, self.rng
        state = case.state
        if needs_acknowledgement(case) and self.virtual_operator(case):
            # the street's duty officer sees the alarm (特急 or overdue) and says so
            return self._operator_at(case, now + rng.uniform(2, 6) * MIN, "acknowledge")
        if pending(case):  # the department waits for the duty officer's decision
            return self._operator_at(case, now + self._lognormal(p.decide_delay_min * MIN, 0.5), "decide")
        if state is State.CLOSED:
            if awaits_callback(case):
                return self._operator_at(case, now + self._lognormal(p.callback_delay_min * MIN, 0.6), "callback")
            return None
        if state is State.REPORTED:
            if t.self_resolve and self.worker(case.node) is not None:
                return now + rng.uniform(3, 15) * MIN, "self_resolve"
            return self._operator_at(case, now + self._lognormal(p.operator_delay_min * MIN, 0.6), "review")
        if state is State.SELF_RESOLVED:
            return self._operator_at(case, now + self._lognormal(p.operator_delay_min * MIN * 2, 0.6), "close")
        if state is State.ACCEPTED:
            return self._operator_at(case, now + rng.uniform(1, 3) * MIN, "dispatch")
        if state is State.RETURNED:
            return self._operator_at(case, now + rng.uniform(5, 20) * MIN, "redispatch")
        if state is State.DISPATCHED:
            span = (case.deadline - now) if case.deadline is not None and case.deadline > now else 3600.0
            return now + min(self._lognormal(p.sign_delay_min * MIN, 0.5), 0.15 * span), "sign"
        if state is State.IN_PROGRESS:
            waiting = [a for a in case.assists if a.report is None]
            if waiting:  # the assisting department signs, then reports before the lead resolves
                step = "assist_sign" if waiting[0].signed_at is None else "assist_report"
                soon = now + rng.uniform(5, 30) * MIN
                cap = t.resolve_at - MIN if t.resolve_at is not None else soon
                return max(now, min(soon, cap)), step
            if t.extend_at is not None:
                return max(now, t.extend_at), "extend"
            if t.suspend_at is not None:
                return max(now, t.suspend_at), "suspend"
            if t.resolve_at is None:  # after rework or a resume: a shorter second go
                t.resolve_at = self._work_done(case, now, self._share(case) * 0.4)
            return max(now, t.resolve_at), "resolve"
        if state is State.SUSPENDED:
            if case.suspended_until is not None:
                return None  # the hub's clock resumes it at its end date
            return now + rng.uniform(p.suspend_days_min, p.suspend_days_max) * DAY, "resume"
        if state is State.RESOLVED:
            slow = rng.random() < p.slow_verifier
            if self.worker(case.node) is not None and not slow:
                return now + min(self._lognormal(p.verify_delay_min * MIN, 0.6), 8 * 3600.0), "verify"
            if self.virtual_operator(case):
                return self._operator_at(case, now + p.operator_verify_after_min * MIN, "verify_op")
            if self.worker(case.node) is not None:
                return now + 2 * self._lognormal(p.verify_delay_min * MIN, 0.6), "verify"
        return None

    def act(self, t: Track, step: str, now: float) -> tuple[Action, Args, Actor | None]:
        """The command for ``step`` now (actor None: nobody virtual can); may record intentions on ``t``."""
        case, p, rng = t.case, self.p, self.rng
        if step == "acknowledge":
            return A.ACKNOWLEDGE, Args(), self.operator(case.node)
        if step == "self_resolve":
            return A.SELF_RESOLVE, Args(message="网格员现场处置完毕"), self.worker(case.node)
        if step == "review":
            op = self.operator(case.node)
            if t.parent is not None:
                return A.MERGE, Args(parent_id=t.parent, reason="重复上报，合并处理"), op
            if rng.random() < p.reject:
                return A.REJECT, Args(reason="不属于网格事项受理范围"), op
            return A.ACCEPT, Args(), op
        if step == "close":
            return A.VERIFY, Args(passed=True, message="就地解决属实，予以结案"), self.operator(case.node)
        if step == "dispatch":
            dept = self.rules.catalog.categories[case.category].default_department
            if rng.random() < p.co_handle:
                helper = FALLBACK_DEPARTMENT if dept != FALLBACK_DEPARTMENT else FALLBACK_FOR_FALLBACK
                if helper in self.rules.catalog.departments:
                    return A.DISPATCH, Args(department=dept, assist=(helper,), message="联合处置"), self.operator(
                        case.node)
            return A.DISPATCH, Args(department=dept), self.operator(case.node)
        if step == "decide":
            op = self.operator(case.node)
            if rng.random() < p.approve:
                return A.APPROVE, Args(message="同意"), op
            return A.REJECT_REQUEST, Args(reason="理由不充分，请按期处置"), op
        if step == "callback":
            draw = rng.random()
            if draw < p.dissatisfied:
                return A.CALLBACK, Args(satisfaction=Satisfaction.DISSATISFIED, reason="群众反映问题仍未解决"), \
                    self.operator(case.node)
            verdict = Satisfaction.FAIRLY_SATISFIED if draw < p.dissatisfied + p.fairly_satisfied \
                else Satisfaction.SATISFIED
            return A.CALLBACK, Args(satisfaction=verdict, message="回访群众"), self.operator(case.node)
        if step in ("assist_sign", "assist_report"):
            owing = next((a for a in case.assists if a.report is None), None)
            who = self.department(owing.department) if owing is not None else None
            if step == "assist_sign":
                return A.ASSIST_SIGN, Args(message="协办已签收"), who
            return A.ASSIST_REPORT, Args(message="协办事项已完成"), who
        if step == "redispatch":
            dept = FALLBACK_DEPARTMENT if case.department != FALLBACK_DEPARTMENT else FALLBACK_FOR_FALLBACK
            return A.DISPATCH, Args(department=dept, message="重新派遣"), self.operator(case.node)
        if step == "sign":
            return self._sign(t, now)
        handler = self.department(case.department) if case.department else None
        if step == "extend":
            t.extend_at = None
            return A.REQUEST, Args(request=RequestKind.EXTEND, reason="需协调多部门联合处置，申请延期"), handler
        if step == "suspend":
            t.suspend_at = None
            t.resolve_at = None
            until = now + rng.uniform(p.suspend_days_min, p.suspend_days_max) * DAY
            return A.REQUEST, Args(request=RequestKind.SUSPEND, reason="需等待专项资金或施工条件，申请挂账",
                                   until=until), handler
        if step == "resume":
            return A.RESUME, Args(message="条件具备，恢复处置"), handler
        if step == "resolve":
            t.resolve_at = None
            return A.RESOLVE, Args(message="已处置完毕"), handler
        if step in ("verify", "verify_op"):
            actor = self.worker(case.node) if step == "verify" else self.operator(case.node)
            if case.rework_count == 0 and rng.random() < p.verify_fail:
                return A.VERIFY, Args(passed=False, reason="现场核实未整改到位，退回返工"), actor
            return A.VERIFY, Args(passed=True, message="现场核实已整改"), actor
        raise ValueError(f"unknown simulator step {step!r}")

    def _sign(self, t: Track, now: float) -> tuple[Action, Args, Actor]:
        case, p, rng = t.case, self.p, self.rng
        assert case.department is not None  # a case waiting to be signed was dispatched to one
        dept = self.department(case.department)
        if not t.returned and rng.random() < p.return_rate:
            t.returned = True
            return A.REQUEST, Args(request=RequestKind.RETURN, reason="非本部门职责，申请退回重新派遣"), dept
        share = self._share(case)
        # A first dispatch is timed from the dispatch (the clock's start); after a return the
        # new department starts from scratch while the clock keeps running.
        start = case.dispatched_at if not t.returned and case.dispatched_at is not None else now
        if case.extension_count < 2 and rng.random() < p.extend_rate:
            t.resolve_at = self._work_done(case, start, 1.0 + share)
            deadline = case.deadline if case.deadline is not None else now + 3600.0
            t.extend_at = now + max(MIN, 0.5 * (deadline - now))
        else:
            t.resolve_at = self._work_done(case, start, share)
        t.resolve_at = max(t.resolve_at, now + MIN)
        if rng.random() < p.suspend_rate:
            t.suspend_at = now + 0.5 * (t.resolve_at - now)
        return A.SIGN, Args(message="已签收"), dept

    # ---- helpers -------------------------------------------------------------------------------
    def _operator_at(self, case: Case, when: float, step: str) -> tuple[float, str] | None:
        if not self.virtual_operator(case):
            return None
        touched = case.updated_at if case.updated_at is not None else case.reported_at
        return max(when, touched + self.operator_delay), step

    def _lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(sigma * self.rng.gauss(0.0, 1.0))

    def _share(self, case: Case) -> float:
        """A handling time drawn as a share of the limit, around the category's own median."""
        median = self._handling.get(case.category)
        if median is None:
            # Each category gets a fixed median within ±0.1 of the scenario's (40–60% by default).
            spread = (int(case.category) * 2654435761 % 1000) / 500.0 - 1.0
            median = self._handling[case.category] = max(0.05, self.p.handling_median + 0.1 * spread)
        return self._lognormal(median, self.p.handling_sigma)

    def _work_done(self, case: Case, start: float, share: float) -> float:
        limit = case.sla_limit or self.rules.limit(case.category, case.urgency)
        return self.rules.deadline(start, SlaLimit(limit.kind, max(share, 0.01) * limit.amount))
