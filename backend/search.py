"""Answers a session's SearchRequest (综合查询) and DuplicatesRequest from the database.

Scope: a search covers the actor's jurisdiction (narrowed by ``filter.node`` when given); a
department's actor finds only the cases dispatched to its department; an operator of another
street finds nothing. A search costs a token of the user's command bucket (the hub's
``rate_wait``), so a console cannot flood the read pool with queries. Cases go out masked
for the session's role (``domain.caller``).

The session is duck-typed (``hub``, ``actor``, ``send``) like ``backend.gridwork.service``.
"""

from __future__ import annotations

import logging

from backend.store.search import duplicate_candidates, search_cases
from domain import protocol as p
from domain.caller import masked_case
from domain.errors import DomainError
from domain.model import Action, Actor, Role
from domain.permissions import can, can_subscribe
from domain.search import MAX_DUPLICATES, checked

log = logging.getLogger(__name__)


class Refused(Exception):
    def __init__(self, code: p.ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _search(store, actor: Actor, msg: p.SearchRequest) -> tuple[int, list]:
    f = checked(msg.filter, actor.role)
    if f.node and not can_subscribe(actor, f.node):
        raise Refused(p.ErrorCode.FORBIDDEN, f"node {f.node} is outside your jurisdiction {actor.scope or '(all)'}")
    department = actor.department if actor.role is Role.DEPARTMENT else None
    if actor.role is Role.DEPARTMENT and not department:
        return 0, []
    with store._read() as conn:
        return search_cases(conn, f, actor.scope, department, msg.offset, msg.limit)


def _duplicates(store, actor: Actor, now: float, msg: p.DuplicatesRequest) -> list:
    if not can(actor, Action.REPORT, node=msg.node):
        raise Refused(p.ErrorCode.FORBIDDEN, f"you may not report at {msg.node}: duplicates are looked up "
                                             "for a report you could file")
    with store._read() as conn:
        return duplicate_candidates(conn, msg.node, msg.category, now - msg.hours * 3600.0, MAX_DUPLICATES)


async def answer(session, msg: p.SearchRequest | p.DuplicatesRequest) -> None:
    """Send the SearchResult or Duplicates answering ``msg`` on ``session``."""
    hub, actor = session.hub, session.actor
    reply = p.SearchResult if isinstance(msg, p.SearchRequest) else p.Duplicates
    try:
        wait = hub.rate_wait(actor.id)
        if wait > 0:
            hub.note_throttled()
            raise Refused(p.ErrorCode.THROTTLED, f"too many requests; ask again in {wait:.1f} s")
        if isinstance(msg, p.SearchRequest):
            total, cases = await hub.read(_search, hub.store, actor, msg)
            session.send(p.SearchResult(request_id=msg.request_id, total=total, offset=msg.offset,
                                        cases=[masked_case(c, actor.role) for c in cases]))
        else:
            cases = await hub.read(_duplicates, hub.store, actor, hub.clock.now(), msg)
            session.send(p.Duplicates(request_id=msg.request_id, cases=[masked_case(c, actor.role) for c in cases]))
    except Refused as exc:
        session.send(reply(request_id=msg.request_id, code=exc.code, message=exc.message))
    except DomainError as exc:
        session.send(reply(request_id=msg.request_id, code=p.ErrorCode(exc.code.value), message=exc.message))
    except Exception:
        log.exception("%s %s failed", p.tag_of(type(msg)), msg.request_id)
        session.send(reply(request_id=msg.request_id, code=p.ErrorCode.INTERNAL, message="the search failed"))
