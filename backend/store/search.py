"""综合查询 and duplicate candidates, answered in SQL from the ``cases`` table (revision 0009).

Both run on SQLite and PostgreSQL with the same statements: node scopes are b-tree ranges
(``feed.under``), the caller's phone is an index lookup when whole and a suffix LIKE when
partial, text is a LIKE over ``search_text`` (stored lower-cased, queried lower-cased, so the
two dialects' different LIKE case rules do not matter). Pages are ordered by (reported_at,
id) descending: stable while cases are added, since a new case sorts first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, not_, or_, select

from backend.store.feed import decode_cases, under
from backend.store.models import CaseRow
from domain.catalog_items import CLASS_DIGITS
from domain.model import Case, State
from domain.search import CANDIDATE_EXCLUDED, SearchFilter, community_of, duplicate_rank, is_full_phone

_OPEN = [s.value for s in State if s not in (State.CLOSED, State.REJECTED, State.MERGED)]


def _like(text: str) -> str:
    """``text`` with LIKE's wildcards escaped (escape character ``\\``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(f: SearchFilter, scope: str, department: str | None) -> list[Any]:
    c = CaseRow
    where: list[Any] = [under(c.node, scope)]
    if f.node:
        where.append(under(c.node, f.node))
    if department is not None:
        where.append(c.department == department)
    if f.case_id:
        where.append(c.id.like(_like(f.case_id.upper()) + "%", escape="\\"))
    if f.phone:
        where.append(c.caller_phone == f.phone if is_full_phone(f.phone)
                     else c.caller_phone.like("%" + _like(f.phone), escape="\\"))
    if f.caller_name:
        where.append(c.caller_name.like("%" + _like(f.caller_name) + "%", escape="\\"))
    if f.ticket_no:
        where.append(c.ticket_no.like(_like(f.ticket_no) + "%", escape="\\"))
    if f.text:
        where.append(c.search_text.like("%" + _like(f.text) + "%", escape="\\"))
    if f.category:
        where.append(c.category == f.category if len(f.category) == 5
                     else c.category.like(f.category + "%", escape="\\"))
    if f.states:
        where.append(c.state.in_([s.value for s in f.states]))
    if f.reported_from is not None:
        where.append(c.reported_at >= f.reported_from)
    if f.reported_to is not None:
        where.append(c.reported_at < f.reported_to)
    return where


def search_cases(conn, f: SearchFilter, scope: str, department: str | None, offset: int,
                 limit: int) -> tuple[int, list[Case]]:
    """(how many cases match in all, the page at ``offset``), newest first."""
    where = and_(*_conditions(f, scope, department))
    total = conn.execute(select(func.count()).select_from(CaseRow).where(where)).scalar_one()
    if total == 0 or offset >= total:
        return total, []
    bodies = conn.execute(select(CaseRow.body).where(where)
                          .order_by(CaseRow.reported_at.desc(), CaseRow.id.desc())
                          .offset(offset).limit(limit)).scalars().all()
    return total, decode_cases(list(bodies))


def duplicate_candidates(conn, grid: str, category: str, since: float, limit: int) -> list[Case]:
    """Cases that may be the same problem: same class, same community, reported since ``since`` and
    still open or closed since then (not merged or rejected); same item and same grid first."""
    c = CaseRow
    community = community_of(grid)
    rows = conn.execute(
        select(c.body).where(
            under(c.node, community), c.category.like(category[:CLASS_DIGITS] + "%"),
            not_(c.state.in_([s.value for s in CANDIDATE_EXCLUDED])),
            c.reported_at >= since, or_(c.state.in_(_OPEN), c.closed_at >= since),
        ).order_by(c.reported_at.desc()).limit(limit * 5)
    ).scalars().all()
    cases = sorted(decode_cases(list(rows)), key=lambda k: duplicate_rank(k, grid, category))
    return cases[:limit]
