"""Running one command against the database inside the caller's write transaction.

The order inside the transaction is what makes the guarantees hold:
1. command_log lookup: a retried (user, client_id, command_id) gets the stored answer, nothing else;
   the key includes the user, so one user can never read or block another user's answers;
2. the case row is read FOR UPDATE (PostgreSQL), so a concurrent writer of the same case waits
   and then sees the new version (conflict detection works across hub processes);
3. ``domain.lifecycle.apply`` decides; a DomainError becomes a stored CommandError and nothing
   else is written (the stream row is only read, so a refusal takes no seq and no case number);
4. the case row, then ``UPDATE stream SET head_seq = head_seq + n RETURNING``: that row lock is
   held to commit, so writers in every hub process take seqs one after another and commit in
   seq order — no reader ever sees seq n+1 before n;
5. events, supervision orders, the command_log row; commit (the caller's ``with``).

Inside ``command_tx.transaction`` (the store's own command transactions) the lookups of a batch are
read at once, the stream row is counted in memory under its lock and written back once before
commit, and one notification goes out per transaction; see ``backend.store.command_tx``.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
from collections.abc import Iterator
from typing import Any

import msgspec
from sqlalchemy.engine import Connection

from backend.store.command_tx import NOTIFY_CHANNEL, CommandTx, current  # noqa: F401 (re-exported)
from backend.store.fastpath import raw
from backend.store.feed import _case_decoder
from domain import permissions
from domain.commands import CommandRequest
from domain.errors import DomainError
from domain.errors import ErrorCode as DomainCode
from domain.hierarchy import CodeError, Level, is_within, level_of
from domain.lifecycle import Outcome, apply
from domain.model import SYSTEM_ACTOR, Action, Actor, Args, Case, State
from domain.protocol import CommandAck, CommandError, ErrorCode, FeedEvent
from domain.rules import Rules
from domain.search import phone_digits

#: Prefix of case ids: QD (Qingdao) + CST date + 7-digit running number.
CASE_PREFIX = "QD"
_CST = datetime.timezone(datetime.timedelta(hours=8))

Answer = CommandAck | CommandError
_answer_decoder = msgspec.json.Decoder(Answer)
_encoder = msgspec.json.Encoder()
_WRITTEN = "gridcc.written_events"  # Connection.info key: the list collecting() fills


def request_hash(action: Any, case_id: str | None, expected_version: int | None, args: Args) -> str:
    """Fingerprint of what a command asks, to tell a retry from a reused id."""
    raw = _encoder.encode([getattr(action, "value", action), case_id, expected_version, args])
    return hashlib.sha256(raw).hexdigest()


def new_case_id(now: float, number: int) -> str:
    day = datetime.datetime.fromtimestamp(now, _CST).strftime("%Y%m%d")
    return f"{CASE_PREFIX}{day}{number:07d}"


@contextlib.contextmanager
def collecting(conn: Connection) -> Iterator[list[FeedEvent]]:
    """The feed events written on ``conn`` inside the block, in seq order, so the hub can publish
    them once committed without reading them back (they are the very events stored)."""
    written: list[FeedEvent] = []
    conn.info[_WRITTEN] = written
    try:
        yield written
    finally:
        conn.info.pop(_WRITTEN, None)  # the info dict outlives this checkout of the connection


def stored_answer(conn: Connection, user_id: str, client_id: str, command_id: str) -> tuple[str, str] | None:
    """(request_hash, answer JSON) logged for this user's command, or None."""
    row = raw(conn).one("stored_answer", {"user": user_id, "client": client_id, "command": command_id})
    return None if row is None else (row[0], row[1])


def execute(conn: Connection, notify: bool, request: CommandRequest, now: float, rules: Rules) -> Answer:
    """Run one command in the caller's transaction: command log, case, lifecycle, events, log."""
    client_id, command_id, actor = request.client_id, request.id, request.actor
    action, case_id, expected_version, args = request.action, request.case_id, request.expected_version, request.args
    fingerprint = request_hash(action, case_id, expected_version, args)
    tx = current(conn, notify)
    key = (actor.id, client_id, command_id)
    logged = tx.stored_answer(key)
    if logged is not None:
        if logged[0] != fingerprint:
            return CommandError(
                command_id=command_id,
                code=ErrorCode.DUPLICATE_ID,
                message=f"command id {command_id!r} was already used by this client for a different command",
            )
        return msgspec.structs.replace(_answer_decoder.decode(logged[1]), replayed=True)
    answer: Answer
    try:
        before, outcome, numbered = _decide(tx, action, case_id, expected_version, args, actor, now, rules)
    except DomainError as err:
        answer = CommandError(command_id=command_id, code=ErrorCode(err.code.value), message=err.message,
                              detail=err.detail)
    else:
        feed = _write(tx, before, outcome, numbered)
        case = outcome.case
        answer = CommandAck(command_id=command_id, case_id=case.id, version=case.version, seq=feed[-1].seq,
                            case=case)
    encoded = _encoder.encode(answer).decode()
    tx.fast.run("insert_log", {"client_id": client_id, "command_id": command_id, "created_at": now,
                               "request_hash": fingerprint, "answer": encoded, "user_id": actor.id})
    tx.logged(key, fingerprint, encoded)
    return answer


def system_apply(conn: Connection, notify: bool, case_id: str, action: Action, now: float,
                 rules: Rules) -> list[FeedEvent]:
    """A clock tick by the hub itself. A case that moved on since it was found due yields []."""
    tx = current(conn, notify)
    case = _load_locked(tx, case_id)
    if case is None:
        return []
    try:
        outcome = apply(case, action, Args(), SYSTEM_ACTOR, now, rules)
    except DomainError:
        return []
    return _write(tx, case, outcome, 0)


def _load_locked(tx: CommandTx, case_id: str) -> Case | None:
    """The case as stored, its row locked until commit (FOR UPDATE on PostgreSQL)."""
    body = tx.case_locked(case_id)
    return None if body is None else _case_decoder.decode(body)


def _decide(
    tx: CommandTx, action: Action, case_id: str | None, expected_version: int | None, args: Args,
    actor: Actor, now: float, rules: Rules,
) -> tuple[Case | None, Outcome, int]:
    """(case before, outcome, case numbers used) or DomainError; writes nothing."""
    try:
        action = Action(action)
    except ValueError:
        raise DomainError(DomainCode.INVALID, f"unknown action {action!r}", {"field": "action"}) from None
    if action == Action.REPORT:
        if case_id is not None:
            raise DomainError(DomainCode.INVALID, "a report creates its case: case_id must be empty",
                              {"field": "case_id"})
        _check_report_node(tx, args.node, actor)
        number = tx.next_case_no()
        outcome = apply(None, action, args, actor, now, rules, expected_version=expected_version,
                        new_id=new_case_id(now, number))
        _check_position(tx, outcome.case)
        return None, outcome, 1
    verb = getattr(action, "value", action)
    if not case_id:
        raise DomainError(DomainCode.INVALID, f"case_id is required to {verb}", {"field": "case_id"})
    case = _load_locked(tx, case_id)
    if case is None or not is_within(case.node, actor.scope):
        # A case outside the sender's jurisdiction answers exactly like a case that does not exist.
        raise _no_such_case(case_id)
    permissions.check(actor, action, case)  # role before anything else about the command
    # attach only ever comes from the hub's own evidence upload (the feed refuses it): a photo
    # adds to whatever version the case is at, so it needs no version to guard against lost updates.
    if expected_version is None and action != Action.ATTACH:
        raise DomainError(DomainCode.INVALID, f"expected_version is required to {verb}: only report may omit it",
                          {"field": "expected_version"})
    outcome = apply(case, action, args, actor, now, rules, expected_version=expected_version)
    if action == Action.MERGE:
        _check_parent(tx, outcome.case.merged_into, actor)
    elif action == Action.ASSIGN:
        _check_assignee(tx, outcome.case.assignee, actor.department)
    return case, outcome, 0


def _check_assignee(tx: CommandTx, assignee: str | None, department: str | None) -> None:
    """The person assigned must be an enabled user of the assigning department."""
    row = tx.fast.one("user_department", {"id": assignee})
    if row is None or row[1] or (department is not None and row[0] != department):
        raise DomainError(DomainCode.NOT_FOUND, f"user {assignee!r} is not a person of department {department!r}",
                          {"field": "assignee"})


def _check_position(tx: CommandTx, case: Case) -> None:
    """A reported position must lie in the grid the report names (when that grid has an outline)."""
    if case.lon is None or case.lat is None:
        return
    from backend.city.spatial import position_problem

    problem = position_problem(case.node, tx.node_geometry(case.node), case.lon, case.lat)
    if problem is not None:
        raise DomainError(DomainCode.INVALID, problem, {"field": "lon", "node": case.node})


def _no_such_case(case_id: str | None, field: str | None = None) -> DomainError:
    what = "parent case" if field == "parent_id" else "case"
    detail: dict[str, Any] = {"case_id": case_id}
    if field:
        detail["field"] = field
    return DomainError(DomainCode.NOT_FOUND, f"{what} {case_id} does not exist", detail)


def _check_report_node(tx: CommandTx, node: Any, actor: Actor) -> None:
    """A report must name a grid of the node directory (when the store has one).

    Only a grid inside the sender's jurisdiction is looked up: outside it the answer is
    ``forbidden`` whether the grid exists or not.
    """
    try:
        if level_of(node) != Level.GRID or not is_within(node, actor.scope):
            return  # the lifecycle names the malformed field (invalid) or the jurisdiction (forbidden)
    except (CodeError, TypeError):
        return
    if tx.node_level(node) is None:
        if not tx.has_nodes():
            return  # no city imported yet (a bare development store): any well-formed grid code
        raise DomainError(DomainCode.NOT_FOUND, f"node {node} is not in the node directory",
                          {"field": "node", "node": node})


def _check_parent(tx: CommandTx, parent_id: str | None, actor: Actor) -> None:
    body = tx.case_read(parent_id) if parent_id else None
    parent = None if body is None else _case_decoder.decode(body)
    if parent is None or not is_within(parent.node, actor.scope):
        raise _no_such_case(parent_id, "parent_id")
    if parent.state is State.MERGED:
        raise DomainError(
            DomainCode.INVALID,
            f"parent case {parent.id} is itself merged into {parent.merged_into}: merge into that case",
            {"field": "parent_id", "merged_into": parent.merged_into},
        )


def case_values(case: Case) -> dict[str, Any]:
    return {
        "id": case.id, "node": case.node, "category": case.category, "urgency": case.urgency.value,
        "state": case.state.value, "version": case.version, "owner_level": case.owner_level,
        "department": case.department, "reported_at": case.reported_at, "updated_at": case.updated_at,
        "deadline": case.deadline, "warning_at": case.warning_at, "sla_state": case.sla_state.value,
        "suspended_at": case.suspended_at, "closed_at": case.closed_at,
        "body": _encoder.encode(case).decode(), "lon": case.lon, "lat": case.lat, **report_values(case),
        **search_values(case),
    }


def search_values(case: Case) -> dict[str, Any]:
    """The columns 综合查询 filters on (backend.store.search); ``search_text`` is lower-cased."""
    return {"caller_name": case.caller_name, "caller_phone": phone_digits(case.caller_phone),
            "ticket_no": case.ticket_no,
            "search_text": f"{case.address}\n{case.description}".lower()}


def report_values(case: Case) -> dict[str, Any]:
    """The columns the period reports aggregate over (see backend.reports.query)."""
    order = case.supervision
    return {
        "source": case.source.value, "reported_by": case.reported_by, "accepted_at": case.accepted_at,
        "dispatched_at": case.dispatched_at, "resolved_at": case.resolved_at, "closed_on_time": case.closed_on_time,
        "return_count": case.return_count, "rework_count": case.rework_count,
        "extension_count": case.extension_count,
        "supervised_at": order.at if order else None, "supervision_due": order.due if order else None,
        "supervision_replied_at": order.replied_at if order else None,
        "stage_deadline": case.stage_deadline, "stage_warning_at": case.stage_warning_at,
        "stage_sla": case.stage_sla.value, "stages_late": ",".join(s.value for s in case.stages_late),
        "suspended_until": case.suspended_until,
        "request_kind": case.request.kind.value if case.request and case.request.approved is None else None,
        "callback_result": case.callback.satisfaction.value if case.callback else None,
        "reopen_count": case.reopen_count,
        "sign_deadline": case.sign_deadline, "sign_warning_at": case.sign_warning_at,
        "sign_sla": case.sign_sla.value,
    }


def write_outcome(conn: Connection, notify: bool, before: Case | None, outcome: Outcome,
                  numbered: int) -> list[FeedEvent]:
    """Store the new case, number its events and append them; returns the feed events."""
    return _write(current(conn, notify), before, outcome, numbered)


def _write(tx: CommandTx, before: Case | None, outcome: Outcome, numbered: int) -> list[FeedEvent]:
    case = outcome.case
    fast = tx.fast
    values = case_values(case)
    fast.run("insert_case" if before is None else "update_case", values)
    tx.wrote(case.id, values["body"])
    n = len(outcome.events)
    head, epoch = tx.take(n, numbered)
    first = head - n + 1
    feed = [FeedEvent(seq=first + i, epoch=epoch, event=e, case=case) for i, e in enumerate(outcome.events)]
    if feed:
        rows = [{"seq": f.seq, "epoch": epoch, "case_id": f.event.case_id, "kind": f.event.kind.value,
                 "at": f.event.at, "actor": f.event.actor, "node": case.node, "body": _encoder.encode(f).decode()}
                for f in feed]
        if len(rows) == 1:
            fast.run("insert_events", rows[0])
        else:
            fast.many("insert_events", rows)
    written = tx.conn.info.get(_WRITTEN)
    if written is not None:
        written.extend(feed)
    for f in feed:
        _record_supervision(tx, f.event.kind, case)
    if feed:
        tx.published(head)
    return feed


def _record_supervision(tx: CommandTx, kind: Action, case: Case) -> None:
    order = case.supervision
    if order is None or kind not in (Action.SUPERVISE, Action.REPLY_SUPERVISION):
        return
    if kind == Action.REPLY_SUPERVISION:
        row = tx.fast.one("open_order", {"case_id": case.id})
        latest = None if row is None else row[0]
        if latest is not None:
            tx.fast.run("reply_order", {"id": latest, "reply": order.reply, "replied_at": order.replied_at})
            return
    tx.fast.run("insert_order", {"case_id": case.id, "level": order.level, "reason": order.reason, "due": order.due,
                                 "by": order.by, "at": order.at, "reply": order.reply,
                                 "replied_at": order.replied_at})
