"""The one error type the domain raises, with a code the UI and the wire understand.

The message is plain English for logs and developers; the UI translates by ``code``
(and ``detail``), so codes and their values are part of the protocol and never change.
"""

from __future__ import annotations

import enum
from typing import Any


class ErrorCode(str, enum.Enum):
    INVALID = "invalid"  # a missing or malformed field
    FORBIDDEN = "forbidden"  # role or jurisdiction does not allow it
    CONFLICT = "conflict"  # expected version differs; detail["current_version"]
    ILLEGAL_TRANSITION = "illegal_transition"  # the state table does not allow it
    RATE_LIMITED = "rate_limited"  # urge limit; detail["retry_after"] in seconds
    NOT_FOUND = "not_found"
    LIMIT_EXCEEDED = "limit_exceeded"  # e.g. a third extension, escalation above the city
    EVIDENCE_REQUIRED = "evidence_required"  # the catalog asks for photos the case lacks; detail["missing"]


class DomainError(Exception):
    """A refused command or query: ``code`` says which kind, ``message`` says why."""

    def __init__(self, code: ErrorCode, message: str, detail: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code.value}: {message}")
        self.code = ErrorCode(code)
        self.message = message
        self.detail: dict[str, Any] = dict(detail or {})

    def __repr__(self) -> str:
        return f"DomainError({self.code.value!r}, {self.message!r}, {self.detail!r})"
