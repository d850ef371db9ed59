"""The working calendar, SLA clocks on it, and the Rules bundle.

Examples are worked by hand on the shipped 2026 China calendar (08:30–12:00,
13:30–17:30, so one working day is 7.5 working hours).
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from domain.calendar import CST, CalendarError, WorkCalendar, load_calendar, parse_calendar
from domain.catalog import CatalogError
from domain.model import ClockKind, SlaLimit, SlaState, Urgency
from domain.rules import Rules, default_rules

NH, WH, WD = ClockKind.NATURAL_HOURS, ClockKind.WORKING_HOURS, ClockKind.WORKING_DAYS
CAL = load_calendar()


def ts(*args: int) -> float:
    return datetime(*args, tzinfo=CST).timestamp()


def local(t: float) -> datetime:
    return datetime.fromtimestamp(t, CST).replace(tzinfo=None)


# -- working days --------------------------------------------------------------------

HOLIDAYS_2026 = {
    "元旦": ("2026-01-01", 3),
    "春节": ("2026-02-15", 9),
    "清明": ("2026-04-04", 3),
    "劳动节": ("2026-05-01", 5),
    "端午": ("2026-06-19", 3),
    "中秋": ("2026-09-25", 3),
    "国庆": ("2026-10-01", 7),
}
MAKEUPS_2026 = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]


def test_all_2026_holidays_and_makeup_days_are_shipped():
    expected = set()
    for first, days in HOLIDAYS_2026.values():
        start = date.fromisoformat(first)
        expected |= {start + timedelta(days=i) for i in range(days)}
    assert CAL.holidays == expected
    assert CAL.makeup_workdays == {date.fromisoformat(d) for d in MAKEUPS_2026}
    assert all(not CAL.is_working_day(d) for d in expected)
    assert all(CAL.is_working_day(date.fromisoformat(d)) for d in MAKEUPS_2026)


def test_is_working_day():
    assert CAL.is_working_day(date(2026, 3, 2))  # Monday
    assert not CAL.is_working_day(date(2026, 3, 7))  # Saturday
    assert not CAL.is_working_day(date(2026, 3, 8))  # Sunday
    assert not CAL.is_working_day(date(2026, 10, 1))  # 国庆, a Thursday
    assert CAL.is_working_day(date(2026, 9, 20))  # make-up Sunday
    assert CAL.is_working_day(date(2026, 10, 8))  # first day back
    assert not CAL.is_working_day(date(2027, 1, 2))  # outside the data: plain weekends
    assert CAL.hours_per_day == 7.5


def test_working_hours_between_counts_whole_days_through_a_holiday():
    # Mon Sep 28 08:30 .. Fri Oct 9 17:30: Sep 28, 29, 30, Oct 8, 9 = 5 working days.
    assert CAL.working_hours_between(ts(2026, 9, 28, 8, 30), ts(2026, 10, 9, 17, 30)) == 5 * 7.5
    # The same span without the calendar's holidays: 10 weekdays.
    plain = WorkCalendar()
    assert plain.working_hours_between(ts(2026, 9, 28, 8, 30), ts(2026, 10, 9, 17, 30)) == 10 * 7.5
    assert CAL.working_hours_between(ts(2026, 3, 2, 12), ts(2026, 3, 2, 13, 30)) == 0
    assert CAL.working_hours_between(ts(2026, 3, 3), ts(2026, 3, 2)) == 0


# -- deadlines -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "limit", "expected"),
    [
        # Natural hours run through the night and the weekend.
        ((2026, 3, 7, 23, 30), SlaLimit(NH, 1), (2026, 3, 8, 0, 30)),
        ((2026, 10, 1, 10, 0), SlaLimit(NH, 0.5), (2026, 10, 1, 10, 30)),
        # Working hours skip lunch ...
        ((2026, 3, 2, 11, 0), SlaLimit(WH, 2), (2026, 3, 2, 14, 30)),
        # ... end at the end of a period rather than after the break ...
        ((2026, 3, 2, 10, 30), SlaLimit(WH, 1.5), (2026, 3, 2, 12, 0)),
        # ... skip the night ...
        ((2026, 3, 2, 17, 0), SlaLimit(WH, 2), (2026, 3, 3, 10, 0)),
        # ... start at the next period when reported at night or at the weekend ...
        ((2026, 3, 2, 20, 0), SlaLimit(WH, 1), (2026, 3, 3, 9, 30)),
        ((2026, 3, 7, 10, 0), SlaLimit(WH, 4), (2026, 3, 9, 14, 0)),
        ((2026, 3, 2, 12, 30), SlaLimit(WH, 1), (2026, 3, 2, 14, 30)),
        # ... skip 国庆 (dispatched the afternoon before the holiday) ...
        ((2026, 9, 30, 16, 0), SlaLimit(WH, 4), (2026, 10, 8, 11, 0)),
        # ... and work on a make-up Sunday.
        ((2026, 9, 18, 16, 30), SlaLimit(WH, 4), (2026, 9, 20, 11, 30)),
        # Working days are 7.5 working hours each: Monday 10:00 + 1 = Tuesday 10:00.
        ((2026, 3, 2, 10, 0), SlaLimit(WD, 1), (2026, 3, 3, 10, 0)),
        ((2026, 3, 2, 17, 30), SlaLimit(WD, 1), (2026, 3, 3, 17, 30)),
        ((2026, 3, 6, 10, 0), SlaLimit(WD, 0.5), (2026, 3, 6, 15, 15)),
        ((2026, 3, 6, 15, 0), SlaLimit(WD, 2), (2026, 3, 10, 15, 0)),
        ((2026, 9, 30, 15, 0), SlaLimit(WD, 1), (2026, 10, 8, 15, 0)),
        # 春节: Fri Feb 13 16:00, 1.5 h that day, the make-up Saturday, then Feb 24.
        ((2026, 2, 13, 16, 0), SlaLimit(WD, 2), (2026, 2, 24, 16, 0)),
        # 5 working days across 劳动节 (May 1–5): the 5th working day after Apr 30 is
        # Mon May 11, after May 6, 7, 8 and the make-up Saturday May 9.
        ((2026, 4, 30, 9, 0), SlaLimit(WD, 5), (2026, 5, 11, 9, 0)),
        # A zero amount is due at once.
        ((2026, 3, 7, 10, 0), SlaLimit(WH, 0), (2026, 3, 7, 10, 0)),
    ],
)
def test_deadline_worked_examples(start, limit, expected):
    assert local(CAL.deadline(ts(*start), limit)) == datetime(*expected)


def test_warning_time_is_at_80_percent():
    # 5 working hours from Mon 08:30: 80% = 4 h -> 13:30 + 0.5 h.
    assert local(CAL.warning_time(ts(2026, 3, 2, 8, 30), SlaLimit(WH, 5))) == datetime(2026, 3, 2, 14, 0)
    assert CAL.warning_time(1000.0, SlaLimit(NH, 10)) == 1000.0 + 8 * 3600


def test_custom_periods():
    cal = WorkCalendar(periods=[(time(9), time(12)), (time(14), time(18))])
    assert cal.hours_per_day == 7
    assert local(cal.deadline(ts(2026, 3, 2, 11), SlaLimit(WH, 2))) == datetime(2026, 3, 2, 15)
    assert local(cal.deadline(ts(2026, 3, 2, 11), SlaLimit(WD, 1))) == datetime(2026, 3, 3, 11)


# -- elapsed and suspensions ---------------------------------------------------------


def test_elapsed_in_each_unit():
    start = ts(2026, 3, 2, 9, 0)
    assert CAL.elapsed(start, ts(2026, 3, 3, 11, 0), NH) == 26
    assert CAL.elapsed(start, ts(2026, 3, 3, 11, 0), WH) == 9.5  # 7 h Monday + 2.5 h Tuesday
    assert CAL.elapsed(start, ts(2026, 3, 3, 11, 0), WD) == pytest.approx(9.5 / 7.5)
    assert CAL.elapsed(start, start - 60, WH) == 0.0


def test_suspension_stops_the_working_clock():
    start = ts(2026, 3, 2, 9, 0)
    suspended = [(ts(2026, 3, 2, 10, 0), ts(2026, 3, 3, 10, 0))]  # 6 h Monday + 1.5 h Tuesday
    assert CAL.elapsed(start, ts(2026, 3, 3, 11, 0), WH, suspended) == 2.0


def test_open_suspension_runs_to_now_and_overlaps_count_once():
    base = ts(2026, 3, 7, 0, 0)
    h = 3600
    assert CAL.elapsed(base, base + 5 * h, NH, [(base + h, base + 3 * h)]) == 3
    assert CAL.elapsed(base, base + 5 * h, NH, [(base + 4 * h, None)]) == 4
    overlapping = [(base + h, base + 3 * h), (base + 2 * h, base + 4 * h), (base - h, base + 0.5 * h)]
    assert CAL.elapsed(base, base + 5 * h, NH, overlapping) == 1.5
    assert CAL.elapsed(base, base + 5 * h, NH, [(base + 6 * h, base + 7 * h)]) == 5


def test_suspension_over_a_holiday_changes_nothing():
    start = ts(2026, 9, 30, 15, 0)
    now = ts(2026, 10, 8, 9, 0)
    assert CAL.elapsed(start, now, WH) == 3.0
    assert CAL.elapsed(start, now, WH, [(ts(2026, 10, 2), ts(2026, 10, 5))]) == 3.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: CAL.elapsed(0, 10, NH, [(5, 4)]), r"suspension #0 ends \(4.0\) before it starts \(5.0\)"),
        (lambda: CAL.elapsed(0, 10, NH, [(1, 2), (5,)]), r"suspension #1 must be a \(start, end\) pair"),
        (lambda: CAL.elapsed(0, 10, NH, [("x", 2)]), r"suspension #0 start must be POSIX seconds"),
        (lambda: CAL.elapsed(0, 10, "weeks"), r"unknown clock kind 'weeks'"),
        (lambda: CAL.elapsed(math.nan, 10, NH), r"start must be a finite number"),
        (lambda: CAL.deadline(0, SlaLimit(WH, -1)), r"must not be negative, got -1"),
        (lambda: CAL.deadline(0, SlaLimit(WH, math.inf)), r"must be a finite number, got inf"),
        (lambda: CAL.deadline(None, SlaLimit(WH, 1)), r"start must be POSIX seconds \(a number\), got None"),
        (lambda: CAL.deadline(0, SlaLimit("fortnights", 1)), r"unknown clock kind 'fortnights'"),
    ],
)
def test_bad_clock_arguments(call, message):
    with pytest.raises(CalendarError, match=message):
        call()


# -- properties ----------------------------------------------------------------------

# Any instant, or one on a whole quarter hour so that period edges (08:30, 12:00, 17:30) come up.
STARTS = st.one_of(
    st.floats(min_value=ts(2025, 12, 1), max_value=ts(2027, 1, 31), allow_nan=False),
    st.integers(0, 430 * 96).map(lambda q: ts(2025, 12, 1) + q * 900.0),
)
LIMITS = st.one_of(
    st.builds(SlaLimit, st.just(NH), st.floats(0, 200, allow_nan=False)),
    st.builds(SlaLimit, st.just(WH), st.floats(0, 200, allow_nan=False)),
    st.builds(SlaLimit, st.just(WD), st.floats(0, 40, allow_nan=False)),
)


@settings(max_examples=300, deadline=None)
@given(start=STARTS, limit=LIMITS)
@example(start=ts(2026, 3, 2, 12, 0, 1), limit=SlaLimit(WH, 1e-300))  # in the lunch break
@example(start=ts(2026, 3, 2, 17, 30, 1), limit=SlaLimit(WH, 5e-324))  # after close; quotient underflows
def test_elapsed_at_the_deadline_is_the_amount(start, limit):
    end = CAL.deadline(start, limit)
    assert end >= start
    assert math.isclose(CAL.elapsed(start, end, limit.kind), limit.amount, abs_tol=1e-6)
    assert CAL.warning_time(start, limit) <= end


@settings(max_examples=200, deadline=None)
@given(start=STARTS, limit=LIMITS, more=st.floats(0.01, 50))
def test_deadline_grows_with_the_amount(start, limit, more):
    assert CAL.deadline(start, SlaLimit(limit.kind, limit.amount + more)) > CAL.deadline(start, limit)


@settings(max_examples=200, deadline=None)
@given(
    points=st.lists(STARTS, min_size=4, max_size=4).map(sorted),
    kind=st.sampled_from([NH, WH, WD]),
)
def test_a_suspension_removes_exactly_its_own_time(points, kind):
    start, a, b, now = points
    whole = CAL.elapsed(start, now, kind, [(a, b)])
    parts = CAL.elapsed(start, a, kind) + CAL.elapsed(b, now, kind)
    assert math.isclose(whole, parts, abs_tol=1e-6)


@settings(max_examples=200, deadline=None)
@given(points=st.lists(STARTS, min_size=3, max_size=3).map(sorted))
def test_working_time_adds_up_over_a_split(points):
    a, b, c = points
    total = CAL.working_hours_between(a, c)
    assert math.isclose(total, CAL.working_hours_between(a, b) + CAL.working_hours_between(b, c), abs_tol=1e-6)
    assert total <= (c - a) / 3600 + 1e-9


# -- calendar files ------------------------------------------------------------------

GOOD = """
holidays = [2026-10-01, "2026-10-02"]
makeup_workdays = [2026-10-10]

[work]
periods = ["09:00-12:00", "13:00-17:00"]
"""


def test_parse_calendar():
    cal = parse_calendar(GOOD, "cal.toml")
    assert cal.holidays == {date(2026, 10, 1), date(2026, 10, 2)}
    assert cal.makeup_workdays == {date(2026, 10, 10)}
    assert cal.periods == ((time(9), time(12)), (time(13), time(17)))
    assert parse_calendar("", "empty.toml").periods == ((time(8, 30), time(12)), (time(13, 30), time(17, 30)))


def test_load_calendar_from_a_path(tmp_path):
    path = tmp_path / "cal.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_calendar(path).hours_per_day == 7
    with pytest.raises(CalendarError, match=r"missing\.toml: cannot read calendar"):
        load_calendar(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("holidays = [", r"invalid TOML"),
        ("holiday = []", r"unknown key 'holiday'"),
        ("[work]\nhours = 8", r"unknown key work\.hours"),
        ("work = 3", r"'work' must be a table"),
        ('[work]\nperiods = "08:30-12:00"', r"work\.periods must be a list"),
        ('[work]\nperiods = ["08:30-12:00", "13:30"]', r"work\.periods\[1\]: '13:30' must be a string like"),
        ('[work]\nperiods = ["08:30-25:00"]', r"work\.periods\[0\]: '25:00' is not a time HH:MM"),
        ('[work]\nperiods = ["12:00-08:30"]', r"work\.periods: period #0 12:00-08:30 must end after it starts"),
        (
            '[work]\nperiods = ["08:30-12:00", "11:30-17:30"]',
            r"period #1 11:30-17:30 overlaps or precedes period #0 08:30-12:00",
        ),
        ("[work]\nperiods = []", r"at least one working period"),
        ('holidays = ["2026-02-30"]', r"holidays\[0\]: '2026-02-30' is not a date YYYY-MM-DD"),
        ("holidays = [2026-10-01, 20261002]", r"holidays\[1\]: 20261002 is not a date"),
        ("holidays = [2026-10-01T08:00:00]", r"holidays\[0\]: .* must be a date without a time"),
        ("holidays = [2026-10-01, 2026-10-01]", r"holidays\[1\]: 2026-10-01 is listed twice"),
        ("holidays = [2026-10-10]\nmakeup_workdays = [2026-10-10]", r"2026-10-10 is listed both in holidays and in"),
        ("makeup_workdays = [2026-10-09]", r"makeup_workdays: 2026-10-09 is a Friday, already a working day"),
    ],
)
def test_bad_calendar_data_is_named_precisely(text, message):
    with pytest.raises(CalendarError, match=message) as info:
        parse_calendar(text, "bad.toml")
    assert str(info.value).startswith("bad.toml: ")


def test_constructor_rejects_a_day_both_holiday_and_makeup():
    with pytest.raises(CalendarError, match="2026-10-10 is both a holiday and a make-up working day"):
        WorkCalendar({date(2026, 10, 10)}, {date(2026, 10, 10)})
    with pytest.raises(CalendarError, match=r"period #0 must be a pair of datetime.time"):
        WorkCalendar(periods=[("08:30", "12:00")])


# -- rules ---------------------------------------------------------------------------


def test_rules_sla_state_and_remaining():
    rules = default_rules()
    assert default_rules() is rules
    limit = rules.limit("20151", Urgency.NORMAL)  # 垃圾满溢: 4 working hours
    assert limit == SlaLimit(WH, 4)
    start = ts(2026, 3, 2, 8, 30)
    assert rules.sla_state(start, ts(2026, 3, 2, 11, 0), limit) is SlaState.OK  # 2.5 h
    assert rules.remaining(start, ts(2026, 3, 2, 11, 0), limit) == 1.5
    warning = rules.warning_time(start, limit)
    assert local(warning) == datetime(2026, 3, 2, 11, 42)  # 3.2 h
    assert rules.sla_state(start, warning, limit) is SlaState.WARNING
    deadline = rules.deadline(start, limit)
    assert local(deadline) == datetime(2026, 3, 2, 14, 0)
    assert rules.sla_state(start, deadline - 1, limit) is SlaState.WARNING
    assert rules.sla_state(start, deadline, limit) is SlaState.OVERDUE
    assert rules.remaining(start, ts(2026, 3, 2, 15, 0), limit) == -1.0
    # Suspended over lunch and an hour of the afternoon: back to OK.
    paused = [(ts(2026, 3, 2, 11, 0), ts(2026, 3, 2, 14, 30))]
    assert rules.sla_state(start, ts(2026, 3, 2, 15, 0), limit, paused) is SlaState.OK
    assert rules.remaining(start, ts(2026, 3, 2, 15, 0), limit, paused) == 1.0


@settings(max_examples=100, deadline=None)
@given(start=STARTS, limit=LIMITS.filter(lambda l: l.amount > 0.01))
def test_rules_state_flips_exactly_at_warning_and_deadline(start, limit):
    rules = default_rules()
    warning, deadline = rules.warning_time(start, limit), rules.deadline(start, limit)
    assert rules.sla_state(start, warning, limit) in (SlaState.WARNING, SlaState.OVERDUE)
    assert rules.sla_state(start, deadline, limit) is SlaState.OVERDUE
    assert rules.sla_state(start, start, limit) is SlaState.OK


def test_rules_membership_and_errors():
    rules = Rules(default_rules().catalog, WorkCalendar())
    assert rules.has_category("20451") and not rules.has_category("99999")
    assert rules.has_department("cg") and not rules.has_department("nobody")
    with pytest.raises(CatalogError, match="unknown category 99999"):
        rules.limit("99999", Urgency.NORMAL)


def test_missing_years_cover_today_and_near_deadlines():
    from domain.calendar import CALENDAR_LOOKAHEAD, missing_years
    from domain.rules import default_rules

    calendar = default_rules().calendar
    covered = min(calendar.years)
    mid_year = datetime(covered, 6, 1, tzinfo=CST).timestamp()
    assert missing_years(calendar, mid_year, mid_year + CALENDAR_LOOKAHEAD) == []
    late = datetime(covered, 12, 3, tzinfo=CST).timestamp()  # a deadline two months on falls next year
    nxt = covered + 1
    assert missing_years(calendar, late, late + CALENDAR_LOOKAHEAD) == ([] if nxt in calendar.years else [nxt])


@given(st.floats(min_value=0, max_value=4e9), st.floats(min_value=0, max_value=23.99))
def test_hour_today_is_that_hour_on_the_same_cst_day(now, hour):
    from domain.calendar import hour_today

    at = hour_today(hour, now)
    day = datetime.fromtimestamp(now, CST).date()
    assert datetime.fromtimestamp(at, CST).date() == day
    midnight = datetime.combine(day, time(0), CST).timestamp()
    assert math.isclose(at - midnight, hour * 3600, abs_tol=1e-3)


def test_hour_today_refuses_an_hour_off_the_clock():
    from domain.calendar import hour_today

    for hour in (-0.5, 24, 30):
        with pytest.raises(ValueError, match="an hour of the day is from 0 up to 24"):
            hour_today(hour, 1_735_700_000.0)
