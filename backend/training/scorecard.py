"""A trainee's scorecard, computed from the event log and the hub's refusals, never kept by hand.

The figures are pure functions of stored data: the session's feed events (what the
trainee did, to which case, when) and the command-log answers of the trainee's
clients (what the hub refused). :class:`ScoreBook` takes events incrementally so the
trainer's panel can refresh live; :func:`scorecard` is the same computation in one go.

Definitions (all times are simulated seconds):

* cases handled: distinct cases on which the trainee has at least one event;
* time to accept / to dispatch: from the case's report to the trainee's first accept /
  first dispatch of that case, averaged over those cases;
* correct department: the trainee's dispatches whose department is the category's
  default department (``Category.default_department``), out of all their dispatches;
* SLA breaches: cases handled by the trainee that went overdue (an ``sla_overdue`` event);
* 应结案数 and 按期结案率 of the cases the trainee handled, as ``domain.indicators`` defines
  them (deadlines passed by the latest event fed, closed with the handling done in time);
* urges and supervisions: the trainee's ``urge`` and ``supervise`` events;
* decisions: the trainee's answers to departments' requests (``approve``, ``reject_request``),
  with the mean wait from the request to the answer; callbacks: the trainee's ``callback``
  events (回访), and how many of them reopened the case (重办);
* backlog: cases of the trainee's street waiting for an operator right now (reported,
  accepted and not yet dispatched, or returned), filled in by the training session;
* mistakes: commands the hub refused, except ``conflict`` (someone else changed the case
  first: not the trainee's error) and ``duplicate_id`` (a client fault); those count as
  ``conflicts``. ``refusals`` holds every refusal by code.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import msgspec

from domain.catalog import Catalog
from domain.indicators import Counts, count_cases, value
from domain.model import Action, Case
from domain.protocol import CommandError, FeedEvent

#: Refusal codes that are not the trainee's mistake.
NOT_MISTAKES = frozenset({"conflict", "duplicate_id"})


class Trainee(msgspec.Struct, frozen=True):
    """A trainee as the scorecard knows them: a user id, a name and a scope."""

    user_id: str
    name: str
    scope: str


class TraineeScore(msgspec.Struct, frozen=True):
    user_id: str
    name: str
    scope: str
    cases_handled: int = 0
    accepted: int = 0
    mean_accept_seconds: float | None = None
    dispatched: int = 0
    mean_dispatch_seconds: float | None = None
    dispatches: int = 0  # every dispatch, re-dispatches included
    correct_department: int = 0
    sla_breaches: int = 0
    due: int = 0  # 应结案数 of the cases handled
    on_time: int = 0  # 按期结案数 of those
    urges: int = 0
    supervisions: int = 0
    mistakes: int = 0
    conflicts: int = 0
    refusals: dict[str, int] = {}
    backlog: int = 0  # cases in the trainee's street waiting for an operator now (待受理, 待派遣, 退回)
    decisions: int = 0  # requests approved or rejected (审批)
    mean_decide_seconds: float | None = None  # from the department's request to the answer
    callbacks: int = 0  # 回访 recorded
    reopened: int = 0  # of those, dissatisfied: the case was reopened (重办)

    @property
    def correct_department_share(self) -> float | None:
        return self.correct_department / self.dispatches if self.dispatches else None

    @property
    def on_time_rate(self) -> float | None:
        return value(Counts(due=self.due, on_time=self.on_time), "on_time_rate")


#: Column keys of the scorecard, in display and export order.
COLUMNS = ("name", "scope", "cases_handled", "accepted", "mean_accept_minutes", "dispatched",
           "mean_dispatch_minutes", "correct_department", "dispatches", "sla_breaches", "due", "on_time_percent",
           "urges", "supervisions", "mistakes", "conflicts",
           "backlog",  # backlog and after: later additions, so earlier exports keep their columns
           "decisions", "mean_decide_minutes", "callbacks", "reopened")


def row_values(score: TraineeScore) -> dict[str, object]:
    """One scorecard row as plain values keyed by :data:`COLUMNS` (minutes rounded to 0.1)."""

    def minutes(seconds: float | None) -> float | None:
        return None if seconds is None else round(seconds / 60.0, 1)

    return {
        "name": score.name, "scope": score.scope, "backlog": score.backlog, "cases_handled": score.cases_handled,
        "accepted": score.accepted, "mean_accept_minutes": minutes(score.mean_accept_seconds),
        "dispatched": score.dispatched, "mean_dispatch_minutes": minutes(score.mean_dispatch_seconds),
        "correct_department": score.correct_department, "dispatches": score.dispatches,
        "sla_breaches": score.sla_breaches, "due": score.due,
        "on_time_percent": None if score.on_time_rate is None else round(100 * score.on_time_rate, 1),
        "urges": score.urges, "supervisions": score.supervisions,
        "mistakes": score.mistakes, "conflicts": score.conflicts,
        "decisions": score.decisions, "mean_decide_minutes": minutes(score.mean_decide_seconds),
        "callbacks": score.callbacks, "reopened": score.reopened,
    }


@dataclass
class _Tally:
    cases: set[str] = field(default_factory=set)
    accept_waits: dict[str, float] = field(default_factory=dict)  # case -> first accept's wait
    dispatch_waits: dict[str, float] = field(default_factory=dict)  # case -> first dispatch's wait
    dispatches: int = 0
    correct: int = 0
    urges: int = 0
    supervisions: int = 0
    decide_waits: list[float] = field(default_factory=list)
    callbacks: int = 0
    reopened: int = 0


class ScoreBook:
    """Feed it events in sequence order (any number of times); ask for scores at any moment."""

    def __init__(self, trainees: Iterable[Trainee], catalog: Catalog) -> None:
        self.catalog = catalog
        self.trainees: dict[str, Trainee] = {}
        self._tallies: dict[str, _Tally] = {}
        self._overdue: set[str] = set()
        self._latest: dict[str, Case] = {}  # handled case -> as it stands after the last event fed
        self._now = 0.0  # the latest event's time: what the deadlines are judged against
        self.last_seq = 0
        for trainee in trainees:
            self.add_trainee(trainee)

    def add_trainee(self, trainee: Trainee) -> None:
        """A trainee added mid-session is scored from the events fed after (and the refusals)."""
        if trainee.user_id not in self.trainees:
            self.trainees[trainee.user_id] = trainee
            self._tallies[trainee.user_id] = _Tally()

    def feed(self, events: Iterable[FeedEvent]) -> ScoreBook:
        for fe in events:
            if fe.seq <= self.last_seq:
                continue  # already counted (a page read twice)
            self.last_seq = fe.seq
            event = fe.event
            self._now = max(self._now, event.at)
            if event.case_id in self._latest:
                self._latest[event.case_id] = fe.case
            if event.kind is Action.SLA_OVERDUE:
                self._overdue.add(event.case_id)
                continue
            tally = self._tallies.get(event.actor)
            if tally is None:
                continue
            case = fe.case
            tally.cases.add(event.case_id)
            self._latest[event.case_id] = case
            kind = event.kind
            if kind is Action.ACCEPT:
                tally.accept_waits.setdefault(event.case_id, event.at - case.reported_at)
            elif kind is Action.DISPATCH:
                tally.dispatch_waits.setdefault(event.case_id, event.at - case.reported_at)
                tally.dispatches += 1
                department = event.detail.get("department", case.department)
                category = self.catalog.categories.get(case.category)
                if category is not None and department == category.default_department:
                    tally.correct += 1
            elif kind is Action.URGE:
                tally.urges += 1
            elif kind is Action.SUPERVISE:
                tally.supervisions += 1
            elif kind in (Action.APPROVE, Action.REJECT_REQUEST) and case.request is not None:
                tally.decide_waits.append(event.at - case.request.at)
            elif kind is Action.CALLBACK:
                tally.callbacks += 1
                tally.reopened += event.detail.get("to") == "dispatched"
        return self

    def scores(self, refusals: Mapping[str, Iterable[CommandError]] = {}) -> list[TraineeScore]:
        """Scores in the order trainees were added; ``refusals``: user id -> refused answers."""
        out = []
        for user_id, trainee in self.trainees.items():
            t = self._tallies[user_id]
            handled = count_cases((self._latest[c] for c in t.cases if c in self._latest), 0.0, math.inf,
                                  self._now)
            by_code: dict[str, int] = {}
            for answer in refusals.get(user_id, ()):
                code = getattr(answer.code, "value", answer.code)
                by_code[code] = by_code.get(code, 0) + 1
            out.append(TraineeScore(
                user_id=user_id, name=trainee.name, scope=trainee.scope,
                cases_handled=len(t.cases),
                accepted=len(t.accept_waits), mean_accept_seconds=_mean(t.accept_waits.values()),
                dispatched=len(t.dispatch_waits), mean_dispatch_seconds=_mean(t.dispatch_waits.values()),
                dispatches=t.dispatches, correct_department=t.correct,
                sla_breaches=len(t.cases & self._overdue), due=handled.due, on_time=handled.on_time,
                urges=t.urges, supervisions=t.supervisions,
                mistakes=sum(n for code, n in by_code.items() if code not in NOT_MISTAKES),
                conflicts=sum(n for code, n in by_code.items() if code in NOT_MISTAKES),
                refusals=dict(sorted(by_code.items())),
                decisions=len(t.decide_waits), mean_decide_seconds=_mean(t.decide_waits),
                callbacks=t.callbacks, reopened=t.reopened,
            ))
        return out


def scorecard(events: Iterable[FeedEvent], trainees: Iterable[Trainee], catalog: Catalog,
              refusals: Mapping[str, Iterable[CommandError]] = {}) -> list[TraineeScore]:
    """Every trainee's score from the whole event log and their refused commands."""
    return ScoreBook(trainees, catalog).feed(events).scores(refusals)


def _mean(values) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


__all__ = ["COLUMNS", "NOT_MISTAKES", "ScoreBook", "Trainee", "TraineeScore", "row_values", "scorecard"]
