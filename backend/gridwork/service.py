"""Answers a session's GridworkQuery and GridworkCommand.

Reads run on the hub's read pool, writes on its write thread. A problem found on a visit or
a patrol, and a meeting's matter with a category, are reported as cases through
``hub.execute`` — the same path as a client's report command (command log, lifecycle,
events to every console in scope) — with command ids derived from the gridwork command's id,
so a retried command reports nothing twice; then the record is stored with the case ids.

The session is duck-typed (``hub``, ``actor``, ``client_id``, ``send``) so this package does
not import the session module.
"""

from __future__ import annotations

import hashlib
import logging

from backend.gridwork.store import GridworkStore, cst_day, cst_year
from domain import protocol as p
from domain.commands import CommandRequest
from domain.errors import DomainError
from domain.gridwork import wire as gw
from domain.gridwork.meetings import Attendee, Matter, Meeting
from domain.gridwork.patrols import PATROL_KINDS, CheckIn, planned_kinds
from domain.gridwork.visits import Visit
from domain.hierarchy import is_within
from domain.model import Action, Args, Source, Urgency
from domain.permissions import can_subscribe

log = logging.getLogger(__name__)


class Refused(Exception):
    def __init__(self, code: p.ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def gridwork_store(hub) -> GridworkStore:
    store = getattr(hub, "_gridwork_store", None)
    if store is None:
        store = hub._gridwork_store = GridworkStore(hub.store)
    return store


async def answer(session, msg) -> None:
    """Send the GridworkAnswer to ``msg`` (a GridworkQuery or GridworkCommand) on ``session``."""
    try:
        if isinstance(msg, p.GridworkQuery):
            result = await _query(session, msg.query)
        else:
            result = await _command(session, msg.id, msg.op)
    except Refused as exc:
        session.send(p.GridworkAnswer(id=msg.id, code=exc.code, message=exc.message))
        return
    except DomainError as exc:
        session.send(p.GridworkAnswer(id=msg.id, code=p.ErrorCode(exc.code.value), message=exc.message))
        return
    except Exception:
        log.exception("gridwork request %s failed", msg.id)
        session.send(p.GridworkAnswer(id=msg.id, code=p.ErrorCode.INTERNAL,
                                      message="the hub failed; nothing was stored"))
        return
    session.send(p.GridworkAnswer(id=msg.id, result=result))


def _in_scope(session, code: str) -> None:
    if not can_subscribe(session.actor, code):
        raise Refused(p.ErrorCode.FORBIDDEN, f"{code or 'the whole tree'} is outside your jurisdiction "
                                             f"{session.actor.scope or '(all)'}")


async def _query(session, query):
    hub, role = session.hub, session.actor.role
    store = gridwork_store(hub)
    _in_scope(session, query.scope)
    now = hub.clock.now()
    if isinstance(query, gw.PortraitQuery):
        return await hub.read(store.portrait, query.scope, role, now)
    if isinstance(query, gw.VisitQueueQuery):
        return await hub.read(store.visit_queue, query.scope, role, now, query.overdue_only)
    if isinstance(query, gw.MeetingLogQuery):
        return await hub.read(store.meeting_log, query.scope, role, query.year or cst_year(now))
    if isinstance(query, gw.PatrolQuery):
        return await hub.read(store.patrols, query.scope, query.day or cst_day(now))
    return await hub.read(store.roster, query.scope, role, now)


def _may_work(session, grid: str, what: str) -> None:
    actor = session.actor
    if actor.role not in gw.OP_ROLES:
        raise Refused(p.ErrorCode.FORBIDDEN, f"role {actor.role.value} may not {what}")
    if not is_within(grid, actor.scope):
        raise Refused(p.ErrorCode.FORBIDDEN, f"grid {grid} is outside your jurisdiction {actor.scope}")


def _case_command_id(record_id: str, n: int) -> str:
    cid = f"{record_id}#{n}"
    return cid if len(cid) <= p.MAX_ID_LENGTH else "gw-" + hashlib.sha256(cid.encode()).hexdigest()[:40] + f"#{n}"


async def _report(session, command_id: str, grid: str, category: str, urgency, source: Source, description: str,
                  address: str = "") -> str:
    """Report one case through the hub's command path; its case id, or Refused."""
    cmd = p.Command(id=command_id, action=Action.REPORT, args=Args(
        node=grid, category=category, urgency=urgency, source=source, description=description[:500],
        address=address or None))
    result = await session.hub.execute(CommandRequest.from_wire(session.client_id, cmd, session.actor))
    if isinstance(result, p.CommandError):
        raise Refused(result.code, f"the case could not be reported: {result.message}")
    return result.case_id


async def _command(session, command_id: str, op) -> gw.Done:
    hub, actor = session.hub, session.actor
    store = gridwork_store(hub)
    record_id = f"{session.client_id}/{command_id}"
    now = hub.clock.now()
    if isinstance(op, gw.LogVisit):
        person = await hub.read(store.person, op.person_id)
        if person is None:
            raise Refused(p.ErrorCode.NOT_FOUND, f"no person {op.person_id} on the register")
        _may_work(session, person.grid, "log visits")
        done = await hub.read(store.visit_done, record_id)
        if done is not None:
            return gw.Done(op="log_visit", record_id=done.id, case_ids=[done.case_id] if done.case_id else [])
        case_id = None
        if op.problem is not None:
            case_id = await _report(session, _case_command_id(command_id, 0), person.grid, op.problem.category,
                                    op.problem.urgency, Source.GRID_WORKER, op.problem.description, person.address)
        visit = Visit(id=record_id, person_id=person.id, grid=person.grid, at=now, worker=actor.id, notes=op.notes,
                      problem=op.problem is not None, case_id=case_id)
        await hub.write(store.log_visit, visit)
        return gw.Done(op="log_visit", record_id=record_id, case_ids=[case_id] if case_id else [])
    if isinstance(op, gw.RecordMeeting):
        _may_work(session, op.grid, "record meetings")
        stored = await hub.read(store.meeting, record_id)
        if stored is not None:
            return gw.Done(op="record_meeting", record_id=record_id,
                           case_ids=[m.case_id for m in stored.matters if m.case_id])
        matters = []
        for i, matter in enumerate(op.matters):
            case_id = None
            if matter.category is not None:
                case_id = await _report(session, _case_command_id(command_id, i), op.grid, matter.category,
                                        Urgency.NORMAL, Source.MEETING,
                                        f"{op.topic}：{matter.text}")
            matters.append(Matter(text=matter.text, category=matter.category, case_id=case_id))
        meeting = Meeting(id=record_id, grid=op.grid, held_at=op.held_at or now, topic=op.topic,
                          attendees=tuple(Attendee(name=a.name, role=a.role) for a in op.attendees),
                          departments=tuple(op.departments), opinions=op.opinions, resolved=op.resolved,
                          matters=tuple(matters), recorded_by=actor.id)
        await hub.write(store.record_meeting, meeting)
        return gw.Done(op="record_meeting", record_id=record_id, case_ids=[m.case_id for m in matters if m.case_id])
    if isinstance(op, gw.SetDuty):
        grid = await hub.read(store.worker_grid, op.worker)
        if grid is None:
            raise Refused(p.ErrorCode.NOT_FOUND, f"no grid worker {op.worker}")
        if actor.role not in gw.ROSTER_ROLES:
            raise Refused(p.ErrorCode.FORBIDDEN, f"role {actor.role.value} may not change the roster")
        if not is_within(grid, actor.scope):
            raise Refused(p.ErrorCode.FORBIDDEN, f"grid {grid} is outside your jurisdiction {actor.scope}")
        await hub.write(store.set_on_duty, op.worker, op.on_duty, now)
        return gw.Done(op="set_duty", record_id=op.worker)
    _may_work(session, op.grid, "check in patrols")
    if op.patrol not in PATROL_KINDS:
        raise Refused(p.ErrorCode.INVALID, f"unknown patrol {op.patrol!r}; known: {', '.join(PATROL_KINDS)}")
    day = cst_day(now)
    if op.patrol not in planned_kinds(int(day[5:7])):
        raise Refused(p.ErrorCode.INVALID, f"patrol {op.patrol!r} is not planned on {day}")
    case_id = None
    if op.hazard is not None:
        case_id = await _report(session, _case_command_id(command_id, 0), op.grid, op.hazard.category,
                                op.hazard.urgency, Source.GRID_WORKER, op.hazard.description)
    record = await hub.write(store.check_in, CheckIn(id=record_id, grid=op.grid, day=day, kind=op.patrol, at=now,
                                                     worker=actor.id, notes=op.notes, hazard_case_id=case_id))
    cases = [record.hazard_case_id] if record.hazard_case_id else []
    return gw.Done(op="check_in", record_id=record.id, case_ids=cases)
