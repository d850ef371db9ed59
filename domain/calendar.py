"""The working calendar and the SLA clocks that run on it (处置时限).

A limit is counted in one of three ways (:class:`~domain.model.ClockKind`):

* natural hours run through nights, weekends and holidays;
* working hours run only inside the working periods (default 08:30–12:00 and
  13:30–17:30) of working days;
* working days are working hours in disguise: ``amount`` working days are
  ``amount × H`` hours of working time, where ``H`` is the length of one working
  day (7.5 h by default). So 1 working day from Monday 10:00 ends on Tuesday 10:00,
  and a case dispatched at 17:30 has until 17:30 of the next working day. This one
  rule makes fractions (0.5 working day) and suspensions work the same way as for
  hours, and keeps :meth:`WorkCalendar.elapsed` the exact inverse of
  :meth:`WorkCalendar.deadline`.

A working day is Monday to Friday unless it is an official holiday; a make-up day
(调休上班) is a working day even on a weekend. Times are POSIX seconds; the calendar
reads them in China Standard Time (UTC+8, no daylight saving), so local days are
plain arithmetic on seconds and no tz database is needed.

A deadline is the earliest instant at which the limit is used up: 1.5 working hours
from 10:30 end at 12:00, not at 13:30 after lunch.
"""

from __future__ import annotations

import bisect
import math
import pathlib
import tomllib
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from domain import datafiles
from domain.model import ClockKind, SlaLimit

CST = timezone(timedelta(hours=8))

DEFAULT_PERIODS: tuple[tuple[time, time], ...] = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))

_OFFSET = 8 * 3600  # CST - UTC, in seconds
_DAY = 86400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # day index 0; a Thursday


class CalendarError(ValueError):
    """Calendar data or a clock argument that cannot be used; the message says which and why."""


def _day_index(d: date) -> int:
    return d.toordinal() - _EPOCH_ORDINAL


def _is_weekday(day: int) -> bool:
    return (day + 3) % 7 < 5  # day 0 (1970-01-01) was a Thursday


def _weekdays_before(day: int) -> int:
    """How many Monday–Friday days lie in [0, day) (negative for days before 1970)."""
    weeks, rest = divmod(day, 7)
    return 5 * weeks + sum(1 for k in range(rest) if _is_weekday(k))


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


class WorkCalendar:
    """Which days are working days, which hours of them are working time, and the SLA clocks.

    ``periods`` are the working periods of every working day, in order and not
    overlapping; they must lie within one day.
    """

    def __init__(
        self,
        holidays: Iterable[date] = (),
        makeup_workdays: Iterable[date] = (),
        periods: Sequence[tuple[time, time]] = DEFAULT_PERIODS,
        years: Iterable[int] | None = None,
    ) -> None:
        self.holidays = frozenset(holidays)
        self.makeup_workdays = frozenset(makeup_workdays)
        #: The years whose official holidays this calendar knows; other years count Monday–Friday only.
        self.years = frozenset(years) if years is not None else frozenset(
            d.year for d in self.holidays | self.makeup_workdays)
        both = sorted(self.holidays & self.makeup_workdays)
        if both:
            raise CalendarError(f"{both[0].isoformat()} is both a holiday and a make-up working day")
        self.periods = _check_periods(periods)
        self._spans = [(_seconds(a), _seconds(b)) for a, b in self.periods]
        self._day_seconds = sum(b - a for a, b in self._spans)
        # Working-day counts need only the exceptions to the Monday–Friday rule.
        self._removed = sorted(_day_index(d) for d in self.holidays if d.weekday() < 5)
        self._added = sorted(_day_index(d) for d in self.makeup_workdays if d.weekday() >= 5)
        self._removed_set = frozenset(self._removed)
        self._added_set = frozenset(self._added)

    @property
    def hours_per_day(self) -> float:
        """Length of one working day in hours (the unit behind WORKING_DAYS)."""
        return self._day_seconds / 3600

    def covers(self, year: int) -> bool:
        """True when the calendar holds the official holidays of ``year``."""
        return year in self.years

    def is_working_day(self, d: date) -> bool:
        if d in self.makeup_workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays

    # -- SLA clocks -----------------------------------------------------------------

    def deadline(self, start: float, limit: SlaLimit) -> float:
        """The instant at which ``limit`` is used up by a clock started at ``start``.

        Working kinds starting outside working time begin at the next working period.
        """
        start = _check_time(start, "start")
        kind, amount = _check_limit(limit)
        if kind is ClockKind.NATURAL_HOURS:
            return start + amount * 3600
        seconds = amount * 3600 if kind is ClockKind.WORKING_HOURS else amount * self._day_seconds
        return self._add_working_seconds(start, seconds)

    def elapsed(
        self,
        start: float,
        now: float,
        kind: ClockKind,
        suspensions: Sequence[tuple[float, float | None]] = (),
    ) -> float:
        """Time used between ``start`` and ``now`` in the kind's unit, suspensions excluded.

        Hours for both hour kinds, working days for WORKING_DAYS. A suspension whose
        end is None is still running and counts up to ``now``. Overlapping
        suspensions are counted once; parts outside [start, now] are ignored. Before
        ``start`` nothing has been used (0.0).
        """
        start = _check_time(start, "start")
        now = _check_time(now, "now")
        kind = _check_kind(kind)
        if now <= start:
            return 0.0
        used = self._clock_seconds(start, now, kind)
        for a, b in _merge_suspensions(suspensions, start, now):
            used -= self._clock_seconds(a, b, kind)
        used = max(used, 0.0)
        if kind is ClockKind.WORKING_DAYS:
            return used / self._day_seconds
        return used / 3600

    def warning_time(self, start: float, limit: SlaLimit) -> float:
        """When 80% of ``limit`` is used up (the SLA warning)."""
        kind, amount = _check_limit(limit)
        return self.deadline(start, SlaLimit(kind, 0.8 * amount))

    def working_hours_between(self, a: float, b: float) -> float:
        """Working time in hours between two instants (0 if ``b`` is not after ``a``)."""
        a, b = _check_time(a, "a"), _check_time(b, "b")
        return self._working_seconds(a, b) / 3600 if b > a else 0.0

    # -- internals ------------------------------------------------------------------

    def _clock_seconds(self, a: float, b: float, kind: ClockKind) -> float:
        if kind is ClockKind.NATURAL_HOURS:
            return b - a
        return self._working_seconds(a, b)

    def _working_day_index(self, day: int) -> bool:
        if day in self._added_set:
            return True
        return _is_weekday(day) and day not in self._removed_set

    def _working_days_in(self, first: int, last: int) -> int:
        """Working days among day indices first..last inclusive."""
        if last < first:
            return 0
        weekdays = _weekdays_before(last + 1) - _weekdays_before(first)
        removed = bisect.bisect_right(self._removed, last) - bisect.bisect_left(self._removed, first)
        added = bisect.bisect_right(self._added, last) - bisect.bisect_left(self._added, first)
        return weekdays - removed + added

    def _before(self, second: float) -> float:
        """Working seconds of one working day that lie before ``second`` of the day."""
        return sum(min(max(second, a), b) - a for a, b in self._spans)

    def _at(self, worked: float) -> float:
        """The earliest second of a working day by which ``worked`` (> 0) seconds are done."""
        done = 0.0
        for a, b in self._spans:
            if done + (b - a) >= worked:
                return a + (worked - done)
            done += b - a
        return float(self._spans[-1][1])

    def _split(self, t: float) -> tuple[int, float]:
        local = t + _OFFSET
        day = math.floor(local / _DAY)
        return day, local - day * _DAY

    def _working_seconds(self, a: float, b: float) -> float:
        d0, s0 = self._split(a)
        d1, s1 = self._split(b)
        if d0 == d1:
            return self._before(s1) - self._before(s0) if self._working_day_index(d0) else 0.0
        total = 0.0
        if self._working_day_index(d0):
            total += self._day_seconds - self._before(s0)
        if self._working_day_index(d1):
            total += self._before(s1)
        return total + self._day_seconds * self._working_days_in(d0 + 1, d1 - 1)

    def _add_working_seconds(self, start: float, seconds: float) -> float:
        if seconds <= 0:
            return start
        day, second = self._split(start)
        if self._working_day_index(day):
            done = self._before(second)
            left_today = self._day_seconds - done
            if seconds <= left_today:
                # max(): a start in a break must not end at the close of the period before.
                return self._instant(day, max(second, self._at(done + seconds)))
            seconds -= left_today
        # The end falls on the n-th working day after the start day.
        n = max(1, math.ceil(seconds / self._day_seconds))  # the quotient may underflow to 0
        rest = seconds - (n - 1) * self._day_seconds
        while n:
            day += 1
            if self._working_day_index(day):
                n -= 1
        return self._instant(day, self._at(rest))

    @staticmethod
    def _instant(day: int, second: float) -> float:
        return day * _DAY + second - _OFFSET


def hour_today(hour: float, now: float) -> float:
    """POSIX seconds of ``hour`` (0 ≤ hour < 24, China Standard Time) on the CST day of ``now``."""
    if not 0 <= hour < 24:
        raise ValueError(f"an hour of the day is from 0 up to 24, got {hour!r}")
    return (now + _OFFSET) // _DAY * _DAY - _OFFSET + hour * 3600


def _check_time(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CalendarError(f"{name} must be POSIX seconds (a number), got {value!r}")
    if not math.isfinite(value):
        raise CalendarError(f"{name} must be a finite number of seconds, got {value!r}")
    return float(value)


def _check_kind(kind: object) -> ClockKind:
    try:
        return ClockKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in ClockKind)
        raise CalendarError(f"unknown clock kind {kind!r}; known kinds: {known}") from None


def _check_limit(limit: SlaLimit) -> tuple[ClockKind, float]:
    kind = _check_kind(limit.kind)
    amount = limit.amount
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount):
        raise CalendarError(f"SLA limit amount must be a finite number, got {amount!r}")
    if amount < 0:
        raise CalendarError(f"SLA limit amount must not be negative, got {amount!r}")
    return kind, float(amount)


def _merge_suspensions(
    suspensions: Sequence[tuple[float, float | None]], start: float, now: float
) -> list[tuple[float, float]]:
    """Suspensions clipped to [start, now] and merged where they overlap."""
    clipped = []
    for i, pair in enumerate(suspensions):
        try:
            a, b = pair
        except (TypeError, ValueError):
            raise CalendarError(f"suspension #{i} must be a (start, end) pair, got {pair!r}") from None
        a = _check_time(a, f"suspension #{i} start")
        b = now if b is None else _check_time(b, f"suspension #{i} end")
        if b < a:
            raise CalendarError(f"suspension #{i} ends ({b}) before it starts ({a})")
        a, b = max(a, start), min(b, now)
        if b > a:
            clipped.append((a, b))
    clipped.sort()
    merged: list[tuple[float, float]] = []
    for a, b in clipped:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _check_periods(periods: Sequence[tuple[time, time]]) -> tuple[tuple[time, time], ...]:
    if not periods:
        raise CalendarError("a working day needs at least one working period")
    checked: list[tuple[time, time]] = []
    for i, pair in enumerate(periods):
        try:
            a, b = pair
        except (TypeError, ValueError):
            raise CalendarError(f"period #{i} must be a (start, end) pair of times, got {pair!r}") from None
        if not isinstance(a, time) or not isinstance(b, time):
            raise CalendarError(f"period #{i} must be a pair of datetime.time, got {pair!r}")
        if not a < b:
            raise CalendarError(f"period #{i} {a:%H:%M}-{b:%H:%M} must end after it starts")
        if checked and a < checked[-1][1]:
            p = checked[-1]
            raise CalendarError(
                f"period #{i} {a:%H:%M}-{b:%H:%M} overlaps or precedes period #{i - 1} {p[0]:%H:%M}-{p[1]:%H:%M}; "
                "periods must be in order and must not overlap"
            )
        checked.append((a, b))
    return tuple(checked)


# -- data files ---------------------------------------------------------------------


def parse_calendar(text: str, source: str) -> WorkCalendar:
    """Build a calendar from TOML text; ``source`` names the text in error messages.

    Format: top-level ``holidays`` and ``makeup_workdays`` (lists of TOML dates or
    "YYYY-MM-DD" strings), an optional ``year`` (the year the file covers; every date
    must lie in it; without it the covered years are those of the dates listed) and a
    ``[work]`` table with ``periods = ["08:30-12:00", ...]``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarError(f"{source}: invalid TOML: {exc}") from None
    unknown = sorted(set(data) - {"work", "holidays", "makeup_workdays", "year"})
    if unknown:
        raise CalendarError(f"{source}: unknown key {unknown[0]!r}; expected year, holidays, makeup_workdays, [work]")
    year = data.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2999):
        raise CalendarError(f"{source}: year must be a year like 2026, got {year!r}")
    work = data.get("work", {})
    if not isinstance(work, dict):
        raise CalendarError(f"{source}: 'work' must be a table")
    unknown = sorted(set(work) - {"periods"})
    if unknown:
        raise CalendarError(f"{source}: unknown key work.{unknown[0]} (expected work.periods)")
    periods = (
        [_parse_period(p, source, i) for i, p in enumerate(_list(work["periods"], source, "work.periods"))]
        if "periods" in work
        else list(DEFAULT_PERIODS)
    )
    holidays = _parse_dates(data.get("holidays", []), source, "holidays")
    makeups = _parse_dates(data.get("makeup_workdays", []), source, "makeup_workdays")
    both = sorted(set(holidays) & set(makeups))
    if both:
        raise CalendarError(f"{source}: {both[0].isoformat()} is listed both in holidays and in makeup_workdays")
    for d in makeups:
        if d.weekday() < 5:
            raise CalendarError(
                f"{source}: makeup_workdays: {d.isoformat()} is a {d.strftime('%A')}, already a working day"
            )
    if year is not None:
        stray = next((d for d in holidays + makeups if d.year != year), None)
        if stray is not None:
            raise CalendarError(f"{source}: {stray.isoformat()} is not in the file's year {year}")
    try:
        return WorkCalendar(set(holidays), set(makeups), periods, None if year is None else {year})
    except CalendarError as exc:
        raise CalendarError(f"{source}: work.periods: {exc}") from None


#: Shipped calendars: one file per year, ``resources/catalog/calendar_cn_<year>.toml``.
SHIPPED_PATTERN = "calendar_cn_*.toml"


def merge_calendars(calendars: Sequence[WorkCalendar], source: str = "calendars") -> WorkCalendar:
    """One calendar from several (one per year): holidays and make-up days together; same periods."""
    if not calendars:
        return WorkCalendar(years=())
    periods = calendars[0].periods
    if any(c.periods != periods for c in calendars[1:]):
        raise CalendarError(f"{source}: the per-year calendars disagree on work.periods")
    overlap = sorted(set.intersection(*(set(c.years) for c in calendars))) if len(calendars) > 1 else []
    if overlap:
        raise CalendarError(f"{source}: year {overlap[0]} is covered by more than one calendar file")
    return WorkCalendar(
        set().union(*(c.holidays for c in calendars)), set().union(*(c.makeup_workdays for c in calendars)),
        periods, set().union(*(c.years for c in calendars)))


def load_calendar(path: pathlib.Path | str | None = None) -> WorkCalendar:
    """Read a calendar file; by default every shipped per-year China calendar, merged."""
    if path is not None:
        return datafiles.load(path, "", parse_calendar, CalendarError, "calendar")
    names = datafiles.shipped_names(SHIPPED_PATTERN)
    return merge_calendars([datafiles.load(None, name, parse_calendar, CalendarError, "calendar") for name in names],
                           "resources/catalog")


#: How far ahead a missing year is worth a warning: deadlines of up to two months (the hub's status
#: and the console's status bar look this far).
CALENDAR_LOOKAHEAD = 60 * 86400.0


def missing_years(calendar: WorkCalendar, *instants: float) -> list[int]:
    """The years of ``instants`` (POSIX seconds, read in CST) the calendar has no holidays for."""
    return sorted({datetime.fromtimestamp(t, CST).year for t in instants} - set(calendar.years))


def coverage_warning(calendar: WorkCalendar, *instants: float) -> str | None:
    """A warning when an instant (POSIX seconds, read in CST) falls in a year the calendar does not
    cover, else None. Without official holidays such a year counts Monday–Friday only, so SLA
    deadlines there ignore holidays and make-up days. The console calls it with ``time.time()``."""
    missing = missing_years(calendar, *instants)
    if not missing:
        return None
    known = ", ".join(str(y) for y in sorted(calendar.years)) or "none"
    years = ", ".join(str(y) for y in missing)
    return (f"the working calendar has no holidays for {years} (covered: {known}); deadlines there count "
            f"Monday to Friday only. Add resources/catalog/calendar_cn_<year>.toml from the State Council's notice.")


def _list(value: object, source: str, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise CalendarError(f"{source}: {key} must be a list, got {value!r}")
    return value


def _parse_period(value: object, source: str, i: int) -> tuple[time, time]:
    where = f"{source}: work.periods[{i}]"
    if not isinstance(value, str) or value.count("-") != 1:
        raise CalendarError(f'{where}: {value!r} must be a string like "08:30-12:00"')
    ends = []
    for part in value.split("-"):
        try:
            ends.append(datetime.strptime(part.strip(), "%H:%M").time())
        except ValueError:
            raise CalendarError(f"{where}: {part.strip()!r} is not a time HH:MM") from None
    return ends[0], ends[1]


def _parse_dates(value: object, source: str, key: str) -> list[date]:
    dates: list[date] = []
    for i, item in enumerate(_list(value, source, key)):
        if isinstance(item, datetime):
            raise CalendarError(f"{source}: {key}[{i}]: {item!r} must be a date without a time")
        if isinstance(item, date):
            d = item
        elif isinstance(item, str):
            try:
                d = date.fromisoformat(item)
            except ValueError:
                raise CalendarError(f"{source}: {key}[{i}]: {item!r} is not a date YYYY-MM-DD") from None
        else:
            raise CalendarError(f"{source}: {key}[{i}]: {item!r} is not a date")
        if d in dates:
            raise CalendarError(f"{source}: {key}[{i}]: {d.isoformat()} is listed twice")
        dates.append(d)
    return dates
