"""综合查询 and duplicate candidates as pure data: the filter a console sends, its checks, the ranking.

The hub answers both from the database (``backend.store.search``), not from any replica, so a
case closed months ago is found as well as one reported a minute ago. What a filter may ask is
decided here: roles that see the caller masked (``domain.caller``) may not search by the
caller's name or phone — a search that matches would tell them what the mask hides.
"""

from __future__ import annotations

import re
from typing import Annotated

import msgspec

from domain.caller import sees_caller
from domain.catalog_items import CLASS_DIGITS
from domain.errors import DomainError, ErrorCode
from domain.model import Case, Role, State

MAX_PAGE = 200
#: Duplicate candidates: how far back, and how many at most.
DUPLICATE_WINDOW_HOURS = 72.0
MAX_DUPLICATES = 20
#: A phone query this long is a whole number (exact match); shorter ones match the number's end.
FULL_PHONE_DIGITS = 11
MIN_PHONE_DIGITS = 4

_Text = Annotated[str, msgspec.Meta(max_length=100)]
_CategoryCode = Annotated[str, msgspec.Meta(pattern=r"^([0-9]{3}|[0-9]{5})?$")]
_NodeCode = Annotated[
    str, msgspec.Meta(max_length=15, pattern=r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12}|[0-9]{15})?$")
]


class SearchFilter(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """What 综合查询 asks; every field is optional and the given ones must all match (AND)."""

    case_id: _Text = ""  # prefix of the case number (QD20261203…)
    phone: _Text = ""  # the caller's phone: 11+ digits exact, 4–10 digits the number's end
    caller_name: _Text = ""  # substring of the caller's name
    ticket_no: _Text = ""  # prefix of the 12345 ticket number
    text: _Text = ""  # substring of the address or the description (Latin letters: any case)
    category: _CategoryCode = ""  # a class (3 digits: kind + 大类) or an item (5 digits)
    states: list[State] = []  # any of these; empty: every state
    reported_from: float | None = None  # reported at or after (POSIX seconds)
    reported_to: float | None = None  # reported before
    node: _NodeCode = ""  # narrow to a node inside the jurisdiction; "" = the whole jurisdiction


def phone_digits(phone: str) -> str:
    """The phone as stored in the search column: hyphens and spaces dropped."""
    return re.sub(r"[\s-]", "", phone)


def checked(filter_: SearchFilter, role: Role) -> SearchFilter:
    """The filter cleaned (stripped, phone normalised), or INVALID/FORBIDDEN naming the field."""
    phone = phone_digits(filter_.phone)
    if phone and not re.fullmatch(r"\+?[0-9]+", phone):
        raise DomainError(ErrorCode.INVALID, f"phone {filter_.phone!r} must be digits", {"field": "phone"})
    if phone and len(phone.lstrip("+")) < MIN_PHONE_DIGITS:
        raise DomainError(ErrorCode.INVALID, f"phone needs at least {MIN_PHONE_DIGITS} digits", {"field": "phone"})
    if (phone or filter_.caller_name.strip()) and not sees_caller(role):
        field = "phone" if phone else "caller_name"
        raise DomainError(ErrorCode.FORBIDDEN, f"role {role.value} sees callers masked and may not search by "
                                               f"the caller's {field.replace('_', ' ')}", {"field": field})
    if (filter_.reported_from is not None and filter_.reported_to is not None
            and filter_.reported_to <= filter_.reported_from):
        raise DomainError(ErrorCode.INVALID, "reported_to must be later than reported_from",
                          {"field": "reported_to"})
    return msgspec.structs.replace(
        filter_, case_id=filter_.case_id.strip(), phone=phone, caller_name=filter_.caller_name.strip(),
        ticket_no=filter_.ticket_no.strip(), text=filter_.text.strip().lower())


def is_full_phone(phone: str) -> bool:
    return len(phone.lstrip("+")) >= FULL_PHONE_DIGITS


def related_category(a: str, b: str) -> bool:
    """Same item or same class (the first three digits): a 井盖缺失 may duplicate a 井盖破损."""
    return a[:CLASS_DIGITS] == b[:CLASS_DIGITS]


def community_of(grid: str) -> str:
    """The community (12 digits) a grid (15 digits) lies in: the neighbourhood duplicates are looked for in."""
    return grid[:12]


def duplicate_rank(case: Case, grid: str, category: str) -> tuple[int, int, float]:
    """Sort key of a candidate: same item first, then same grid, then the newest."""
    return (0 if case.category == category else 1, 0 if case.node == grid else 1, -case.reported_at)


#: States a duplicate candidate may be in: a merge target must be a live case or a recently closed one.
CANDIDATE_EXCLUDED = frozenset({State.MERGED, State.REJECTED})
