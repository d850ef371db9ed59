"""Argument conversion for the lifecycle table: each Args field a move uses, checked and converted.

INVALID names the first bad field. These checks need neither the catalog nor the case; the
lifecycle's value checks (``domain.lifecycle``) come after them.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from typing import Any, Protocol

from domain import caller
from domain.errors import DomainError, ErrorCode
from domain.hierarchy import CodeError, Level, level_of
from domain.model import Args, Attachment, RequestKind, Satisfaction, Source, Urgency

BOTTOM_OWNER_LEVEL = 4  # 下派 stops at the community (Level.COMMUNITY)


class Move(Protocol):
    """What ``validated`` reads of a table row: its required and optional Args."""

    @property
    def required(self) -> tuple[str, ...]: ...

    @property
    def optional(self) -> tuple[str, ...]: ...


def _fail(code: ErrorCode, message: str, **detail: Any) -> DomainError:
    return DomainError(code, message, detail)


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(ErrorCode.INVALID, f"{name} must be text, got {type(value).__name__}", field=name)
    return value


def _enum(kind: type[enum.Enum]) -> Callable[[str, Any], Any]:
    def convert(name: str, value: Any) -> Any:
        try:
            return kind(value)
        except (ValueError, TypeError):
            allowed = ", ".join(m.value for m in kind)
            raise _fail(ErrorCode.INVALID, f"{name} {value!r} is not one of {allowed}", field=name) from None

    return convert


def _grid(name: str, value: Any) -> str:
    code = _text(name, value)
    try:
        if level_of(code) != Level.GRID:
            raise CodeError(f"{value!r} is a {level_of(code).name.lower()} code, not a 15-digit grid code")
    except CodeError as exc:
        raise _fail(ErrorCode.INVALID, f"{name}: {exc}", field=name) from None
    return code


def _passed(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(ErrorCode.INVALID, f"{name} must be true or false, got {value!r}", field=name)
    return value


def _level(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3:
        raise _fail(ErrorCode.INVALID, f"{name} must be a supervision level 1, 2 or 3, got {value!r}", field=name)
    return value


def _time(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _fail(ErrorCode.INVALID, f"{name} must be a time in POSIX seconds, got {value!r}", field=name)
    return float(value)


def _to_level(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2 <= value <= BOTTOM_OWNER_LEVEL:
        raise _fail(ErrorCode.INVALID, f"{name} must be a level 2 (district), 3 (street) or 4 (community), "
                    f"got {value!r}", field=name)
    return value


def _codes(name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, (tuple, list)) or not all(isinstance(v, str) and v for v in value):
        raise _fail(ErrorCode.INVALID, f"{name} must be a list of department codes, got {value!r}", field=name)
    if len(set(value)) != len(value):
        raise _fail(ErrorCode.INVALID, f"{name} names a department twice", field=name)
    return tuple(value)


def _attachment(name: str, value: Any) -> Attachment:
    if not isinstance(value, Attachment):
        raise _fail(ErrorCode.INVALID, f"{name} must be an attachment reference", field=name)
    return value


def _degrees(limit: float) -> Callable[[str, Any], float]:
    def convert(name: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or not -limit <= value <= limit:
            raise _fail(ErrorCode.INVALID, f"{name} must be WGS-84 degrees within ±{limit:g}, got {value!r}",
                        field=name)
        return float(value)

    return convert


_CONVERT: dict[str, Callable[[str, Any], Any]] = {
    "attachment": _attachment,
    "node": _grid,
    "lon": _degrees(180.0),
    "lat": _degrees(90.0),
    "urgency": _enum(Urgency),
    "source": _enum(Source),
    "passed": _passed,
    "level": _level,
    "due": _time,
    "until": _time,
    "request": _enum(RequestKind),
    "satisfaction": _enum(Satisfaction),
    "to_level": _to_level,
    "assist": _codes,
    "caller_name": caller.caller_name,
    "caller_phone": caller.caller_phone,
    "ticket_no": caller.ticket_no,
    "condition": caller.condition_code,
}


def validated(args: Args, move: Move) -> dict[str, Any]:
    """The required and optional Args of ``move``, converted; INVALID naming the first bad one."""
    if not isinstance(args, Args):
        raise _fail(ErrorCode.INVALID, f"args must be an Args struct, got {type(args).__name__}")
    vals: dict[str, Any] = {}
    for name in move.required + move.optional:
        value = getattr(args, name)
        if isinstance(value, str) and not value.strip() and name in move.required:
            value = None
        if value is None:
            if name in move.required:
                raise _fail(ErrorCode.INVALID, f"{name} is required", field=name)
            continue
        convert: Callable[[str, Any], Any] = _CONVERT.get(name, _text)
        vals[name] = convert(name, value)
    return vals
