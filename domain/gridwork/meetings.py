"""网格自管会: the residents' self-management meetings of a grid, their matters and figures.

A meeting collects opinions, settles some matters on the spot and raises others; a raised
matter may become a case (source 网格自管会), and the case's outcome is read back onto the
meeting. Per grid and year the three figures are meetings held, matters resolved (settled
on the spot plus raised matters whose case has closed) and opinions collected.
"""

from __future__ import annotations

import msgspec

#: Roles an attendee may have at a meeting.
ATTENDEE_ROLES = {
    "resident": "居民代表", "grid_head": "网格长", "grid_worker": "网格员", "party": "党员",
    "property": "物业", "department": "部门代表", "volunteer": "志愿者",
}


class Attendee(msgspec.Struct, frozen=True):
    name: str  # masked by role for residents
    role: str  # ATTENDEE_ROLES key


class Matter(msgspec.Struct, frozen=True, omit_defaults=True):
    """A matter raised at a meeting; ``case_id`` when it became a case, ``case_state`` read back."""

    text: str
    category: str | None = None  # catalog item, when it became a case
    case_id: str | None = None
    case_state: str | None = None  # domain.model.State value of the linked case, when read
    case_closed_at: float | None = None


class Meeting(msgspec.Struct, frozen=True, omit_defaults=True):
    id: str
    grid: str
    held_at: float
    topic: str
    attendees: tuple[Attendee, ...] = ()
    departments: tuple[str, ...] = ()  # department codes invited
    opinions: int = 0  # opinions collected (收集意见)
    resolved: int = 0  # matters settled at the meeting (现场解决)
    matters: tuple[Matter, ...] = ()  # matters raised (提出事项)
    recorded_by: str = ""


class YearFigures(msgspec.Struct, frozen=True):
    """Per node and year: meetings held, matters resolved, opinions collected."""

    key: str
    year: int
    meetings: int
    resolved: int
    opinions: int
    raised: int = 0
    cases_linked: int = 0  # raised matters that became cases
    cases_closed: int = 0  # of those, closed


def year_figures(key: str, year: int, meetings: list[Meeting]) -> YearFigures:
    closed = sum(1 for m in meetings for x in m.matters if x.case_state == "closed")
    return YearFigures(
        key=key, year=year, meetings=len(meetings), resolved=sum(m.resolved for m in meetings) + closed,
        opinions=sum(m.opinions for m in meetings), raised=sum(len(m.matters) for m in meetings),
        cases_linked=sum(1 for m in meetings for x in m.matters if x.case_id), cases_closed=closed,
    )
