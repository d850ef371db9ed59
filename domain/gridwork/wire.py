"""What gridwork requests and answers carry: nested in ``domain.messages``' GridworkQuery,
GridworkCommand and GridworkAnswer, each a tagged union on ``kind``.

Queries read (any role, within its jurisdiction); commands write (roles in ``OP_ROLES``).
A command that reports a problem sends the case through the normal report path on the hub
(command log, lifecycle, events) and links the new case to what it came from.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from domain.gridwork.meetings import Attendee, Meeting, YearFigures
from domain.gridwork.patrols import CheckIn, PatrolCoverage
from domain.gridwork.register import CarePerson, KeyPlace, PartyOrg, RegisterFigures, StaffMember
from domain.gridwork.visits import Visit, VisitRate, VisitTask
from domain.model import Role, Urgency

Code = Annotated[str, msgspec.Meta(max_length=15,
                                   pattern=r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12}|[0-9]{15})?$")]
Grid = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{15}$")]
Text = Annotated[str, msgspec.Meta(max_length=2000)]
Short = Annotated[str, msgspec.Meta(max_length=200)]
Count = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
Day = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]


class _In(msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind"):
    """Base of the client's payloads: unknown fields are errors."""


# ---- queries -----------------------------------------------------------------------------------
class PortraitQuery(_In, tag="portrait"):
    """A node's portrait: at a grid the register itself, above it the sum and a row per child."""

    scope: Code


class VisitQueueQuery(_In, tag="visit_queue"):
    """Open visit tasks due within the queue horizon (overdue first) and 走访完成率."""

    scope: Code
    overdue_only: bool = False


class MeetingLogQuery(_In, tag="meeting_log"):
    """The meetings of a node in a year, with matters' case outcomes and the year's figures."""

    scope: Code
    year: int | None = None  # default: the hub's current year


class PatrolQuery(_In, tag="patrols"):
    """Patrol coverage of a node on a day (default: the hub's today)."""

    scope: Code
    day: Day | None = None


class RosterQuery(_In, tag="roster"):
    """The grid workers of a node with their workload over the last 30 days."""

    scope: Code


Query = PortraitQuery | VisitQueueQuery | MeetingLogQuery | PatrolQuery | RosterQuery


# ---- commands ----------------------------------------------------------------------------------
class ProblemIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A problem found on a visit or patrol, to be reported as a case in the same step."""

    category: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{5}$")]
    description: Text
    urgency: Urgency = Urgency.NORMAL


class LogVisit(_In, tag="log_visit"):
    person_id: Short
    notes: Text = ""
    problem: ProblemIn | None = None


class MatterIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    text: Text
    category: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{5}$")] | None = None  # set: becomes a case


class AttendeeIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: Short
    role: Short


class RecordMeeting(_In, tag="record_meeting"):
    grid: Grid
    topic: Text
    held_at: float | None = None  # default: now
    attendees: list[AttendeeIn] = []
    departments: list[Short] = []
    opinions: Count = 0
    resolved: Count = 0
    matters: list[MatterIn] = []


class CheckInPatrol(_In, tag="check_in"):
    grid: Grid
    patrol: Short  # domain.gridwork.patrols kind
    notes: Text = ""
    hazard: ProblemIn | None = None


class SetDuty(_In, tag="set_duty"):
    """Put a grid worker on or off duty (the roster)."""

    worker: Short
    on_duty: bool


Op = LogVisit | RecordMeeting | CheckInPatrol | SetDuty

#: Roles that may log visits, record meetings and check in patrols (within their jurisdiction).
OP_ROLES = frozenset({Role.GRID_WORKER, Role.OPERATOR, Role.TRAINER, Role.ADMIN})
#: Roles that may change the roster (within their jurisdiction).
ROSTER_ROLES = frozenset({Role.OPERATOR, Role.TRAINER, Role.ADMIN})


# ---- answers -----------------------------------------------------------------------------------
class _Out(msgspec.Struct, frozen=True, tag_field="kind"):
    """Base of the hub's payloads: unknown fields are ignored."""


class PortraitRow(msgspec.Struct, frozen=True):
    code: str
    name: str
    figures: RegisterFigures


class RecentWork(msgspec.Struct, frozen=True, omit_defaults=True):
    """The last 30 days of a node's work, and this year's meetings."""

    cases: int = 0
    cases_open: int = 0
    visits: int = 0
    visits_overdue: int = 0
    meetings_year: int = 0
    patrol_done_today: int = 0
    patrol_planned_today: int = 0
    recent_case_ids: tuple[str, ...] = ()
    recent_visits: tuple[Visit, ...] = ()
    recent_meetings: tuple[Meeting, ...] = ()
    recent_patrols: tuple[CheckIn, ...] = ()


class PortraitView(_Out, tag="portrait"):
    code: str
    name: str
    level: int
    figures: RegisterFigures
    data_as_of: float | None = None  # when the register was last imported
    people: list[CarePerson] = []  # grid level only; masked by role
    key_places: list[KeyPlace] = []
    party: PartyOrg | None = None
    staff: list[StaffMember] = []
    grid_head: str = ""
    recent: RecentWork = RecentWork()
    children: list[PortraitRow] = []  # above grid level: a row per child, for drill-down


class VisitQueueView(_Out, tag="visit_queue"):
    scope: str
    now: float
    tasks: list[VisitTask]
    overdue: int  # open tasks past their due date in the scope (also those beyond the list)
    rates: list[VisitRate] = []  # per child node (or per worker at a grid)
    rate: VisitRate | None = None  # of the scope itself


class MeetingLogView(_Out, tag="meeting_log"):
    scope: str
    year: int
    meetings: list[Meeting]
    figures: YearFigures
    per_child: list[YearFigures] = []


class PatrolView(_Out, tag="patrols"):
    scope: str
    day: str
    coverage: PatrolCoverage
    per_child: list[PatrolCoverage] = []
    check_ins: list[CheckIn] = []


class WorkerLoad(msgspec.Struct, frozen=True):
    worker: StaffMember
    cases: int
    visits: int
    patrols: int


class RosterView(_Out, tag="roster"):
    scope: str
    workers: list[WorkerLoad]


class Done(_Out, tag="done"):
    """A command's result: what was recorded and the cases it reported."""

    op: str
    record_id: str
    case_ids: list[str] = []


Answer = PortraitView | VisitQueueView | MeetingLogView | PatrolView | RosterView | Done

__all__ = [
    "Answer", "Attendee", "CheckInPatrol", "Done", "LogVisit", "MatterIn", "AttendeeIn", "MeetingLogQuery",
    "MeetingLogView", "Op", "OP_ROLES", "PatrolQuery", "PatrolView", "PortraitQuery", "PortraitRow",
    "PortraitView", "ProblemIn", "Query", "RecentWork", "RecordMeeting", "RosterQuery", "RosterView", "SetDuty",
    "VisitQueueQuery", "VisitQueueView", "WorkerLoad",
]
