"""Days, weeks and months in China Standard Time: the one place a period boundary is computed.

Every figure in GridCC is taken over a half-open period ``[start, end)`` of POSIX seconds.
A day runs 00:00–24:00 CST; a week Monday 00:00 to the next Monday; a month from the 1st
00:00 to the next 1st. CST has no daylight saving, so a day is always 86,400 s.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

#: China Standard Time offset from UTC, in seconds (no DST).
CST_OFFSET = 8 * 3600
CST = dt.timezone(dt.timedelta(seconds=CST_OFFSET))
DAY = 86400.0


class PeriodKind(str, enum.Enum):
    DAY = "day"  # 日
    WEEK = "week"  # 周
    MONTH = "month"  # 月
    CUSTOM = "custom"  # 自定义


class Period(msgspec.Struct, frozen=True):
    kind: PeriodKind
    start: float
    end: float

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"a period needs start < end, got {self.start} .. {self.end}")

    def contains(self, t: float | None) -> bool:
        return t is not None and self.start <= t < self.end

    @property
    def label(self) -> str:
        """2026-12-03, 2026-W49, 2026-12, or 2026-12-01..2026-12-07 (last day included)."""
        first = date_of(self.start)
        if self.kind is PeriodKind.DAY:
            return first.isoformat()
        if self.kind is PeriodKind.WEEK:
            year, week, _ = first.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind is PeriodKind.MONTH:
            return f"{first.year}-{first.month:02d}"
        return f"{first.isoformat()}..{date_of(self.end - 1).isoformat()}"


def day_index(t: float) -> int:
    """Days since 1970-01-01 in CST of the day containing ``t``."""
    return int((t + CST_OFFSET) // DAY)


def day_start(t: float) -> float:
    """00:00 CST of the day containing ``t``."""
    return day_index(t) * DAY - CST_OFFSET


def day_start_hour(t: float, days_ago: int = 0) -> int:
    """Hour index (``int(ts // 3600)``) of 00:00 CST on ``t``'s day, minus ``days_ago`` days."""
    return int((day_index(t) - days_ago) * DAY - CST_OFFSET) // 3600


def date_of(t: float) -> dt.date:
    return dt.datetime.fromtimestamp(t, CST).date()


def midnight(d: dt.date) -> float:
    return dt.datetime.combine(d, dt.time(0, 0), CST).timestamp()


def period_of(kind: PeriodKind | str, t: float) -> Period:
    """The day, week or month (CST) containing ``t``."""
    kind = PeriodKind(kind)
    d = date_of(t)
    if kind is PeriodKind.DAY:
        first, nxt = d, d + dt.timedelta(days=1)
    elif kind is PeriodKind.WEEK:
        first = d - dt.timedelta(days=d.weekday())
        nxt = first + dt.timedelta(days=7)
    elif kind is PeriodKind.MONTH:
        first = d.replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
    else:
        raise ValueError("a custom period has no natural boundaries; give start and end")
    return Period(kind, midnight(first), midnight(nxt))


def period_on(kind: PeriodKind | str, d: dt.date) -> Period:
    """The period of ``kind`` containing the date ``d``."""
    return period_of(kind, midnight(d))


def custom(first: dt.date, last: dt.date) -> Period:
    """Whole days ``first`` to ``last``, both included."""
    return Period(PeriodKind.CUSTOM, midnight(first), midnight(last + dt.timedelta(days=1)))


def previous(p: Period) -> Period:
    """The period of the same kind just before ``p`` (a custom one of the same length)."""
    if p.kind is PeriodKind.CUSTOM:
        return Period(p.kind, p.start - (p.end - p.start), p.start)
    return period_of(p.kind, p.start - 1)


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"a date is written YYYY-MM-DD, got {text!r}") from None
