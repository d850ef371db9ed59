"""Times and durations as an operator reads them: China Standard Time, h:mm:ss countdowns.

Pure functions over POSIX seconds so the countdown can be tested with an injected clock.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from domain.model import TERMINAL_STATES, Case, State

if TYPE_CHECKING:
    # PySide6's stub says object; at run time Qt's function returns ``message``, a str here.
    def QT_TRANSLATE_NOOP(context: str, message: str, /) -> str: ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP as QT_TRANSLATE_NOOP  # typed above, re-exported

CST = timezone(timedelta(hours=8), "CST")


def cst_datetime(t: float) -> datetime:
    return datetime.fromtimestamp(t, tz=CST)


def time_text(t: float | None, fmt: str = "%m-%d %H:%M") -> str:
    """``t`` in China Standard Time, or an empty string when there is no time."""
    return "" if t is None else cst_datetime(t).strftime(fmt)


def clock_text(t: float) -> str:
    return cst_datetime(t).strftime("%H:%M:%S")


def duration_text(seconds: float) -> str:
    """``1:23:45`` under a day, ``2d 3:04:05`` (zh: ``2天 3:04:05``) beyond; never negative."""
    total = int(max(0.0, seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    hms = f"{hours}:{minutes:02d}:{secs:02d}"
    if days:
        return arg(QCoreApplication.translate("Formatting", "%1d %2"), days, hms)
    return hms


def countdown_text(case: Case, now: float) -> str:
    """The 处置时限 cell: time left, time overdue, suspended, or how a closed case ended."""
    if case.state in TERMINAL_STATES or case.state is State.RESOLVED or case.state is State.SELF_RESOLVED:
        on_time = case.closed_on_time
        if on_time is None and case.resolved_at is not None and case.deadline is not None:
            on_time = case.resolved_at <= case.deadline
        if on_time is True:
            return QCoreApplication.translate("Formatting", "On time")  # 按期
        if on_time is False:
            return QCoreApplication.translate("Formatting", "Late")  # 超期结案
        return ""
    if case.state is State.SUSPENDED:
        return QCoreApplication.translate("Formatting", "Clock stopped")  # 已挂账停表
    if case.deadline is None:
        if case.stage_deadline is None:
            return ""
        # 受理 / 派遣: the short step's own clock, named
        left = case.stage_deadline - now
        if case.state is State.REPORTED:
            if left >= 0:
                return arg(QCoreApplication.translate("Formatting", "To accept: %1 left"), duration_text(left))
            return arg(QCoreApplication.translate("Formatting", "Acceptance overdue %1"), duration_text(-left))
        if left >= 0:
            return arg(QCoreApplication.translate("Formatting", "To dispatch: %1 left"), duration_text(left))
        return arg(QCoreApplication.translate("Formatting", "Dispatch overdue %1"), duration_text(-left))
    left = case.deadline - now
    if left >= 0:
        return arg(QCoreApplication.translate("Formatting", "%1 left"), duration_text(left))  # 剩 %1
    return arg(QCoreApplication.translate("Formatting", "overdue %1"), duration_text(-left))  # 超期 %1


def is_overdue(case: Case, now: float) -> bool:
    """Overdue by the clock right now (the hub's sla_state may lag by one sweep)."""
    if case.state in TERMINAL_STATES or case.state in (State.SUSPENDED, State.RESOLVED, State.SELF_RESOLVED):
        return False
    if case.deadline is None and case.stage_deadline is not None:
        return now > case.stage_deadline
    return case.deadline is not None and now > case.deadline


def percent_text(fraction: float | None, digits: int = 1) -> str:
    return "—" if fraction is None else f"{fraction * 100:.{digits}f}%"


_PLACEHOLDER = re.compile(r"%([1-9])")


def arg(template: str, *values: object) -> str:
    """Fill Qt-style ``%1``..``%9`` placeholders in one pass (like QString.arg), so a value
    that itself contains "%2" is never substituted again. Translations may reorder them."""

    def fill(match: re.Match) -> str:
        n = int(match.group(1))
        return str(values[n - 1]) if n <= len(values) else match.group(0)

    return _PLACEHOLDER.sub(fill, template)
