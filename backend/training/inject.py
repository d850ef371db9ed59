"""Cases a trainer puts in by hand, and what the scenario has in store next.

A hand injection is a REPORT command like any other: it runs through the store on the
hub's write thread (``hub.write``) and wakes the pump, so trainees see it exactly as they
would see a hotline call; nothing writes the tables directly. Scheduled injections
(``[[inject]]`` in a scenario file) are the simulator's own arrivals; :class:`Schedule`
draws the same arrivals again (they depend only on the seed and the day) to tell the
trainer what comes next, and when.
"""

from __future__ import annotations

import uuid
from typing import NamedTuple

from backend.sim.engine import DAY, day_start
from domain.catalog import Catalog
from domain.commands import CommandRequest
from domain.hierarchy import CodeError, Level, level_of
from domain.model import Action, Actor, Args, Source, Urgency
from domain.protocol import CommandAck, CommandError

#: Longest description a hand injection takes (the console shows a few lines).
MAX_DESCRIPTION = 500


class InjectionError(ValueError):
    """A hand injection that cannot be made; the message names the field."""


def injection_args(catalog: Catalog, grids, *, grid: str, category: str, urgency: Urgency | str,
                   description: str = "", source: Source | str = Source.HOTLINE,
                   address: str | None = None) -> Args:
    """Checked REPORT arguments; ``grids``: the grid codes of the city (any container)."""
    try:
        if level_of(grid) != Level.GRID:
            raise InjectionError(f"grid: {grid!r} is a {level_of(grid).name.lower()} code; a grid has 15 digits")
    except CodeError as exc:
        raise InjectionError(f"grid: {exc}") from None
    if grid not in grids:
        raise InjectionError(f"grid: {grid} is not a grid of this city")
    if category not in catalog.categories:
        raise InjectionError(f"category: unknown category {category!r} (not in the catalog)")
    if catalog.categories[category].retired:
        new = catalog.categories[category].replaced_by
        raise InjectionError(f"category: {category} is retired" + (f"; use {new}" if new else ""))
    try:
        urgency = Urgency(urgency)
    except ValueError:
        raise InjectionError(f"urgency: unknown value {urgency!r}; known: "
                             + ", ".join(u.value for u in Urgency)) from None
    try:
        source = Source(source)
    except ValueError:
        raise InjectionError(f"source: unknown value {source!r}; known: "
                             + ", ".join(s.value for s in Source)) from None
    if not isinstance(description, str):
        raise InjectionError(f"description must be text, got {type(description).__name__}")
    description = description.strip() or catalog.categories[category].name
    if len(description) > MAX_DESCRIPTION:
        raise InjectionError(f"description: at most {MAX_DESCRIPTION} characters, got {len(description)}")
    return Args(node=grid, category=category, urgency=urgency, source=source, description=description,
                address=address)


async def inject(hub, actor: Actor, args: Args, client_id: str, command_id: str | None = None) -> CommandAck:
    """Report the case through ``hub`` (on its loop) at the hub clock's now; InjectionError if refused."""
    answer = await hub.execute(CommandRequest(client_id=client_id, id=command_id or uuid.uuid4().hex,
                                              action=Action.REPORT, args=args, actor=actor))
    if isinstance(answer, CommandError):
        raise InjectionError(f"the hub refused the injection: {answer.code.value}: {answer.message}")
    return answer


class Upcoming(NamedTuple):
    """An arrival the simulator will make: a scheduled injection or a critical case."""

    at: float
    grid: str
    category: str
    urgency: Urgency
    description: str
    injected: bool


class Schedule:
    """What the simulator's arrivals hold of interest, drawn once per simulated day and kept."""

    def __init__(self, sim) -> None:
        self.sim = sim
        self._first = day_start(sim.start)
        self._days: dict[int, list[Upcoming]] = {}

    def _day(self, n: int) -> list[Upcoming]:
        found = self._days.get(n)
        if found is None:
            sim, start = self.sim, self._first + n * DAY
            found = self._days[n] = sorted(
                (Upcoming(a.at, a.grid, a.category, a.urgency, a.description, a.injected)
                 for a in sim.arrivals.day(n, start, max(start, sim.start), start + DAY)
                 if a.injected or a.urgency is Urgency.CRITICAL), key=lambda u: u.at)
        return found

    def upcoming(self, after: float, days: int = 2) -> list[Upcoming]:
        """Injections and critical arrivals after ``after`` within ``days`` simulated days, in time order."""
        first = max(0, int((day_start(after) - self._first) // DAY))
        return [u for n in range(first, first + days) for u in self._day(n) if u.at > after]

    def next_of_interest(self, after: float) -> Upcoming | None:
        """The next scheduled injection or critical case after ``after`` (within two days), or None."""
        found = self.upcoming(after)
        return found[0] if found else None

    def scheduled(self, days: int = 3) -> list[Upcoming]:
        """The scenario's injections over the first ``days`` days of the run, in time order."""
        return [u for u in self.upcoming(self.sim.start - 1.0, days) if u.injected]


__all__ = ["InjectionError", "MAX_DESCRIPTION", "Schedule", "Upcoming", "inject", "injection_args"]
