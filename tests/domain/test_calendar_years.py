"""One calendar file per year, and the warning when a year has none."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.calendar import CST, CalendarError, coverage_warning, load_calendar, merge_calendars, parse_calendar

Y2026 = datetime(2026, 12, 3, 10, tzinfo=CST).timestamp()
Y2027 = datetime(2027, 1, 4, 10, tzinfo=CST).timestamp()


def test_shipped_calendars_cover_2026_and_say_so_for_other_years():
    calendar = load_calendar()
    assert calendar.covers(2026) and not calendar.covers(2025)
    assert coverage_warning(calendar, Y2026) is None
    if not calendar.covers(2027):  # no official 2027 notice shipped yet
        warning = coverage_warning(calendar, Y2026, Y2027)
        assert warning is not None and "2027" in warning and "2026" in warning


def test_files_merge_per_year_and_refuse_overlaps_and_stray_dates():
    a = parse_calendar("year = 2030\nholidays = [2030-01-01]\n", "a")
    b = parse_calendar("year = 2031\nholidays = [2031-01-01]\nmakeup_workdays = [2031-01-04]\n", "b")
    merged = merge_calendars([a, b])
    assert merged.years == {2030, 2031} and not merged.is_working_day(date(2031, 1, 1))
    assert merged.is_working_day(date(2031, 1, 4))  # a Saturday worked
    with pytest.raises(CalendarError, match="more than one"):
        merge_calendars([a, parse_calendar("year = 2030\n", "c")])
    with pytest.raises(CalendarError, match="not in the file's year"):
        parse_calendar("year = 2030\nholidays = [2031-01-01]\n", "d")
    with pytest.raises(CalendarError, match="year must be"):
        parse_calendar('year = "2030"\n', "e")
    assert parse_calendar("holidays = [2032-05-01]\n", "f").years == {2032}  # without `year`: the dates' years
