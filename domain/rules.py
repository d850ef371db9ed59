"""The rules a case lives by: which categories and departments exist, and how SLA clocks run.

:class:`Rules` bundles a :class:`~domain.catalog.Catalog` and a
:class:`~domain.calendar.WorkCalendar` so that the lifecycle, the hub's SLA sweeper
and the simulator receive one object and cannot pair a catalog with the wrong calendar.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from domain.calendar import WorkCalendar, load_calendar
from domain.catalog import Catalog, load_catalog
from domain.evidence import NO_EVIDENCE, EvidencePolicy, load_evidence_policy
from domain.model import SlaLimit, SlaState, Urgency

#: Share of the limit at which a clock turns to WARNING.
WARNING_SHARE = 0.8
# Comparisons of used time with a threshold forgive this much (in the limit's unit,
# about 4 µs for hours) so that at ``deadline(...)`` or ``warning_time(...)`` exactly
# the state has already changed despite float rounding in the calendar walk.
_TOLERANCE = 1e-9


class Rules:
    def __init__(self, catalog: Catalog, calendar: WorkCalendar, evidence: EvidencePolicy = NO_EVIDENCE,
                 sign_limit: SlaLimit | None = None) -> None:
        self.catalog = catalog
        self.calendar = calendar
        self.evidence = evidence  # which photos a step needs; empty: none
        # 签收 clock inside a department (a deployment's choice): the limit from dispatch to
        # sign; None: no 签收 clock.
        self.sign_limit = sign_limit

    def with_sign_limit(self, sign_limit: SlaLimit | None) -> Rules:
        """The same rules with the 签收 clock on (a limit) or off (None)."""
        return Rules(self.catalog, self.calendar, self.evidence, sign_limit)

    def limit(self, category: str, urgency: Urgency | str) -> SlaLimit:
        """The SLA limit of a category at an urgency; CatalogError if either is unknown."""
        return self.catalog.limit(category, urgency)

    def deadline(self, start: float, limit: SlaLimit) -> float:
        return self.calendar.deadline(start, limit)

    def warning_time(self, start: float, limit: SlaLimit) -> float:
        return self.calendar.warning_time(start, limit)

    def elapsed(
        self, start: float, now: float, limit: SlaLimit, suspensions: Sequence[tuple[float, float | None]] = ()
    ) -> float:
        """Time used so far, in the limit's unit, suspensions excluded."""
        return self.calendar.elapsed(start, now, limit.kind, suspensions)

    def remaining(
        self, start: float, now: float, limit: SlaLimit, suspensions: Sequence[tuple[float, float | None]] = ()
    ) -> float:
        """Time left in the limit's unit; negative once overdue (by how much)."""
        return limit.amount - self.elapsed(start, now, limit, suspensions)

    def sla_state(
        self, start: float, now: float, limit: SlaLimit, suspensions: Sequence[tuple[float, float | None]] = ()
    ) -> SlaState:
        """OK below 80% of the limit used, WARNING from 80%, OVERDUE from 100%."""
        used = self.elapsed(start, now, limit, suspensions)
        if used >= limit.amount - _TOLERANCE:
            return SlaState.OVERDUE
        if used >= WARNING_SHARE * limit.amount - _TOLERANCE:
            return SlaState.WARNING
        return SlaState.OK

    def has_category(self, code: str) -> bool:
        return code in self.catalog.categories

    def has_department(self, code: str) -> bool:
        return code in self.catalog.departments


@functools.cache
def default_rules() -> Rules:
    """The shipped catalog and 2026 calendar, loaded once per process."""
    return Rules(load_catalog(), load_calendar())


@functools.cache
def evidence_rules() -> Rules:
    """:func:`default_rules` plus the shipped evidence rules: what a production hub enforces."""
    base = default_rules()
    return Rules(base.catalog, base.calendar, load_evidence_policy())
