"""The citizen behind a hotline or walk-in case (诉求人): argument shapes and who sees them.

Operators take the call and call back, supervisors and admins check the work: they see the
caller's name and phone in full and may search by them. The wall is on public display, and
departments and grid workers handle the problem, not the person: they see ``张*明`` and
``138****1234``. The hub masks per session before a frame is built (feed, snapshot, history,
command answers, search results), so a full value never reaches a client that may not see it.
The 12345 ticket number identifies the hotline's record, not the person, and is never masked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import msgspec

from domain.errors import DomainError, ErrorCode
from domain.gridwork.masking import mask_name
from domain.model import Case, Role

MAX_CALLER_NAME = 50
MAX_TICKET_NO = 64  # as the hotline intake (domain.intake.Ticket) accepts them
#: Digits with an optional leading ``+`` and inner hyphens, 5–20 characters (0532-12345678, +8613812345678).
PHONE_RE = re.compile(r"^\+?[0-9](?:[0-9-]{3,18})[0-9]$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

#: Roles that see the caller in full and may search by name or phone.
SEES_CALLER = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN, Role.TRAINER, Role.SYSTEM})


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(ErrorCode.INVALID, f"{field} {message}", {"field": field})


def _text(field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _invalid(field, f"must be text, got {type(value).__name__}")
    return value.strip()


def _short_text(field: str, value: Any, limit: int) -> str:
    """Text of at most ``limit`` characters without control characters ("" when blank)."""
    text = _text(field, value)
    if len(text) > limit:
        raise _invalid(field, f"must be at most {limit} characters, got {len(text)}")
    if _CONTROL.search(text):
        raise _invalid(field, "must not contain control characters")
    return text


def caller_name(field: str, value: Any) -> str:
    """A caller's name: text ≤ 50 characters without control characters ("" when blank)."""
    return _short_text(field, value, MAX_CALLER_NAME)


def caller_phone(field: str, value: Any) -> str:
    """A phone number: digits, an optional leading ``+``, inner hyphens, 5–20 characters ("" when blank)."""
    text = _text(field, value).replace(" ", "")
    if text and not PHONE_RE.match(text):
        raise _invalid(field, f"{value!r} is not a phone number: 5-20 digits, an optional leading + and hyphens")
    return text


def ticket_no(field: str, value: Any) -> str:
    """A 12345 ticket number (工单号): printable text ≤ 64 characters ("" when blank)."""
    return _short_text(field, value, MAX_TICKET_NO)


def condition_code(field: str, value: Any) -> str:
    """A 立案条件 code as text; whether the category has it is checked with the catalog."""
    return _text(field, value)


def mask_phone(phone: str) -> str:
    """13812341234 (or 138-1234-1234) → 138****1234; a short number keeps only its last two digits."""
    phone = re.sub(r"[\s-]", "", phone)
    if not phone:
        return phone
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * max(len(phone) - 2, 1) + phone[-2:]


def sees_caller(role: Role) -> bool:
    return role in SEES_CALLER


def masked_case(case: Case, role: Role) -> Case:
    """``case`` as ``role`` may see it: the same object when nothing needs masking (the common case)."""
    if (not case.caller_name and not case.caller_phone) or role in SEES_CALLER:
        return case
    return msgspec.structs.replace(case, caller_name=mask_name(case.caller_name),
                                   caller_phone=mask_phone(case.caller_phone))


def masked_bodies(bodies: Sequence[str], role: Role) -> list[str]:
    """Stored case bodies (msgspec JSON) as ``role`` may see them: only bodies that carry a caller
    are decoded and masked; the rest go out as stored (the snapshot never decodes them)."""
    if role in SEES_CALLER:
        return list(bodies)
    out = []
    for body in bodies:
        if '"caller_name"' in body or '"caller_phone"' in body:
            body = msgspec.json.encode(masked_case(msgspec.json.decode(body, type=Case), role)).decode()
        out.append(body)
    return out


def masked_with_case(items: list[Any], role: Role) -> list[Any]:
    """Feed events (or anything with a ``case``) with their cases masked for ``role``; the same
    list when nothing changes."""
    if role in SEES_CALLER:
        return items
    out = []
    for item in items:
        seen = masked_case(item.case, role)
        out.append(item if seen is item.case else msgspec.structs.replace(item, case=seen))
    return out


def from_contact(contact: dict[str, str], ticket_no: str = "") -> dict[str, str]:
    """REPORT's caller args from an outside request's contact (hotline: name, phone; Open311: first
    and last name, phone): only values REPORT accepts, so an odd phone never costs the ticket its case
    (the contact record keeps every value as sent)."""
    name = (contact.get("name") or " ".join(p for p in (contact.get("last_name", ""), contact.get("first_name", ""))
                                            if p)).strip()[:MAX_CALLER_NAME]
    phone = contact.get("phone", "").strip().replace(" ", "")
    out = {"caller_name": name if not _CONTROL.search(name) else "",
           "caller_phone": phone if PHONE_RE.match(phone) else "",
           "ticket_no": ticket_no.strip() if len(ticket_no.strip()) <= MAX_TICKET_NO else ""}
    return {k: v for k, v in out.items() if v}
