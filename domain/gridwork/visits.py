"""Visit plans: every person on the special-care register has one open visit task whose due
date is the last visit plus the person's interval; logging a visit closes it and opens the next.

A task is overdue once its due date has passed and it is still open. 走访完成率 over a window
is the share of tasks due in the window that were done by their due date.
"""

from __future__ import annotations

import msgspec

from domain.gridwork.care import DAY

#: How far ahead the visit queue looks (tasks due within this many days are listed).
QUEUE_HORIZON_DAYS = 2
#: The window 走访完成率 is computed over.
RATE_WINDOW_DAYS = 30


class VisitTask(msgspec.Struct, frozen=True, omit_defaults=True):
    """One scheduled visit as the queue shows it."""

    id: int
    person_id: str
    person_name: str  # masked by role
    grid: str
    groups: tuple[str, ...]
    due_at: float
    worker: str = ""  # the grid worker the task falls to (id)
    worker_name: str = ""
    overdue: bool = False
    days_overdue: float = 0.0


class Visit(msgspec.Struct, frozen=True, omit_defaults=True):
    """A logged visit (走访记录)."""

    id: str
    person_id: str
    grid: str
    at: float
    worker: str
    notes: str = ""
    problem: bool = False
    case_id: str | None = None  # the case reported from this visit


class VisitRate(msgspec.Struct, frozen=True):
    """走访完成率 of a grid, a worker or a node: ``done_on_time`` of ``due`` tasks."""

    key: str  # node code or worker id
    name: str
    due: int
    done_on_time: int
    overdue_open: int

    @property
    def rate(self) -> float | None:
        return None if self.due == 0 else self.done_on_time / self.due


def is_overdue(due_at: float, now: float) -> bool:
    return due_at < now


def task_view(task_id: int, person, due_at: float, now: float, worker: str = "", worker_name: str = "") -> VisitTask:
    late = max(0.0, (now - due_at) / DAY)
    return VisitTask(id=task_id, person_id=person.id, person_name=person.name, grid=person.grid,
                     groups=person.groups, due_at=due_at, worker=worker, worker_name=worker_name,
                     overdue=due_at < now, days_overdue=round(late, 1))


def rate_of(key: str, name: str, tasks: list[tuple[float, float | None]], now: float) -> VisitRate:
    """``tasks``: (due_at, done_at or None) of the tasks due within the window."""
    due = [t for t in tasks if t[0] <= now]
    on_time = sum(1 for d, done in due if done is not None and done <= d)
    open_late = sum(1 for d, done in due if done is None)
    return VisitRate(key=key, name=name, due=len(due), done_on_time=on_time, overdue_open=open_late)
