"""Answers a session's UsersRequest: the people of a department, for the 指派 picker (§18).

Who may ask (``domain.permissions.may_list_users``): a department's user about its own
department only; the command center's roles (operator, trainer, supervisor, admin) about a
department that holds a case in their jurisdiction (lead or assisting), so a street learns
nothing about a department it never worked with; the wall and grid workers never. The
answer lists the department's enabled users with role ``department`` — exactly those
``assign`` accepts — by name; never a token or its hash. It costs a token of the user's
command rate, like a search.

The session is duck-typed (``hub``, ``actor``, ``send``) like ``backend.search``.
"""

from __future__ import annotations

import logging

from sqlalchemy import or_, select

from backend.store.models import CaseRow, UserRow
from domain import protocol as p
from domain.model import Actor, Role
from domain.permissions import may_list_users

log = logging.getLogger(__name__)


class Refused(Exception):
    def __init__(self, code: p.ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _worked_with(conn, actor: Actor, department: str) -> bool:
    """True when a case in the actor's jurisdiction went to ``department`` (lead, or assisting)."""
    like = f'%"department":"{department}"%'
    where = [or_(CaseRow.department == department, CaseRow.body.like(like))]
    if actor.scope:
        where.append(CaseRow.node.like(actor.scope + "%"))
    return conn.execute(select(CaseRow.id).where(*where).limit(1)).first() is not None


def list_users(store, actor: Actor, department: str) -> list[p.UserEntry]:
    """The enabled users of ``department`` that ``actor`` may see; Refused when it may not ask."""
    why = may_list_users(actor, department)
    if why is not None:
        raise Refused(p.ErrorCode.FORBIDDEN, why)
    with store._read() as conn:
        if actor.role is not Role.DEPARTMENT and not _worked_with(conn, actor, department):
            raise Refused(p.ErrorCode.FORBIDDEN, f"department {department!r} holds no case in your jurisdiction "
                                                 f"{actor.scope or '(all)'}")
        rows = conn.execute(select(UserRow.id, UserRow.name, UserRow.role)
                            .where(UserRow.department == department, UserRow.role == Role.DEPARTMENT.value,
                                   UserRow.disabled.is_(False))
                            .order_by(UserRow.name, UserRow.id)).all()
    return [p.UserEntry(id=row.id, name=row.name, role=Role(row.role)) for row in rows]


async def answer(session, msg: p.UsersRequest) -> None:
    """Send the Users answering ``msg`` on ``session``."""
    hub, actor = session.hub, session.actor
    try:
        wait = hub.rate_wait(actor.id)
        if wait > 0:
            hub.note_throttled()
            raise Refused(p.ErrorCode.THROTTLED, f"too many requests; ask again in {wait:.1f} s")
        users = await hub.read(list_users, hub.store, actor, msg.department)
        session.send(p.Users(request_id=msg.request_id, department=msg.department, users=users))
    except Refused as exc:
        session.send(p.Users(request_id=msg.request_id, department=msg.department, code=exc.code,
                             message=exc.message))
    except Exception:
        log.exception("users_request %s failed", msg.request_id)
        session.send(p.Users(request_id=msg.request_id, department=msg.department, code=p.ErrorCode.INTERNAL,
                             message="the user list failed"))
