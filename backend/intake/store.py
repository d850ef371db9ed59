"""Intake over the hub's store: keys, filing outside requests as cases, and reading them back.

Filing runs in ONE write transaction: the intake row is looked up by (source, external id)
first (a resent request or ticket gets its case back, nothing else), then the report goes
through ``backend.store.commands.execute`` — the same command path, command log and event
stream as a console's report — and the intake row is written beside it. A refusal rolls the
whole transaction back: no case, no event, no command-log row, no intake row, so a corrected
request can be sent again under the same ticket number.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from typing import Any

import msgspec
from sqlalchemy import and_, bindparam, insert, select, true
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from backend.intake import keys
from backend.intake.keys import ApiKey
from backend.store import commands
from backend.store.engine import WRITE_OPTION
from backend.store.feed import decode_cases, head
from backend.store.models import CaseEventRow, CaseRow, IntakeRow, NodeRow
from domain import caller
from domain.commands import CommandRequest
from domain.intake import CHANNEL_SOURCE, IntakeError, command_id
from domain.model import Action, Actor, Args, Case, Role, State, Urgency
from domain.protocol import CommandError, FeedEvent
from domain.rules import Rules

_encoder = msgspec.json.Encoder()
_events_decoder = msgspec.json.Decoder(list[FeedEvent])
#: HTTP status for each command error code, when the command path refuses an outside report.
_STATUS = {"forbidden": 403, "not_found": 404, "invalid": 400}


class Submission(msgspec.Struct, frozen=True):
    """An outside request ready to file: where, what, and what came with it."""

    channel: str  # open311 | hotline
    external_id: str  # ticket number, or the Open311 request's fingerprint
    node: str  # grid code
    category: str
    urgency: Urgency
    description: str
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    media_url: str | None = None
    attributes: dict[str, Any] = {}
    contact: dict[str, str] = {}  # personal data: stored, never served back
    external_category: str | None = None
    deadline: float | None = None


class Filed(msgspec.Struct, frozen=True):
    case: Case
    token: str
    created: bool  # False: the same request was filed before, this is its case


class IntakeRecord(msgspec.Struct, frozen=True):
    """An intake row (without contact data) and its case as it stands."""

    case: Case
    channel: str
    source: str
    external_id: str
    token: str
    service_code: str
    lat: float | None
    lon: float | None
    address: str
    media_url: str | None
    attributes: dict[str, Any]
    external_category: str | None
    deadline: float | None
    received_at: float


class RequestQuery(msgspec.Struct, frozen=True):
    """Filters of Open311's GET requests, already parsed."""

    scope: str
    channel: str = "open311"
    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: float | None = None
    end: float | None = None
    closed: bool | None = None  # status filter: None = both
    offset: int = 0
    limit: int = 100


class HotlineUpdate(msgspec.Struct, frozen=True):
    seq: int
    ticket_no: str
    event: FeedEvent


# Statements built once: filing runs them on every request.
_EXISTING = select(IntakeRow.case_id, IntakeRow.token).where(
    IntakeRow.source == bindparam("source"), IntakeRow.external_id == bindparam("external_id"))
_NODE_LEVEL = select(NodeRow.level).where(NodeRow.code == bindparam("code"))
_CASE_BODY = select(CaseRow.body).where(CaseRow.id == bindparam("case_id"))
_INSERT = insert(IntakeRow)


def intake_actor(key: ApiKey) -> Actor:
    """Who files an outside request: the key, as a reporter (grid_worker role) in its jurisdiction."""
    return Actor(id=f"key:{key.id}", role=Role.GRID_WORKER, scope=key.jurisdiction, name=key.name)


class _Refused(Exception):
    def __init__(self, error: IntakeError) -> None:
        self.error = error


def _scope_filter(column, scope: str):
    return column.like(f"{scope}%") if scope else true()


class IntakeStore:
    """Intake operations over a ``backend.store.Store``; each method is one transaction."""

    def __init__(self, store) -> None:
        self.store = store
        self.engine = store.engine
        self.notify = store.dialect == "postgresql"

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    # ---- keys ---------------------------------------------------------------------------------------
    def add_key(self, name: str, kind: str, source: str, jurisdiction: str, rate_per_minute: int,
                now: float) -> tuple[ApiKey, str]:
        with self._write() as conn:
            return keys.add_key(conn, name, kind, source, jurisdiction, rate_per_minute, now)

    def list_keys(self) -> list[ApiKey]:
        with self._read() as conn:
            return keys.list_keys(conn)

    def revoke_key(self, key_id: str, now: float) -> None:
        with self._write() as conn:
            keys.revoke(conn, key_id, now)

    def key_for(self, secret: str) -> ApiKey | None:
        with self._read() as conn:
            return keys.authenticate(conn, secret)

    # ---- places ---------------------------------------------------------------------------------------
    def places(self) -> list[tuple[str, str, int, str | None, float | None, float | None]]:
        """(code, name, level, parent, lon, lat) of every node, for the gazetteer."""
        cols = (NodeRow.code, NodeRow.name, NodeRow.level, NodeRow.parent_code, NodeRow.center_lon,
                NodeRow.center_lat)
        with self._read() as conn:
            rows = conn.execute(select(*cols).order_by(NodeRow.code)).all()
        return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    # ---- filing -------------------------------------------------------------------------------------------
    def file(self, key: ApiKey, sub: Submission, now: float, rules: Rules) -> Filed:
        """File ``sub`` as a case reported by ``key``; the same (source, external_id) again returns its case.

        Raises IntakeError (HTTP status in ``code``) when the command path refuses it; then nothing is stored.
        """
        return self.file_many(key, [sub], now, rules)[0]

    def file_many(self, key: ApiKey, subs: list[Submission], now: float, rules: Rules) -> list[Filed]:
        """File a batch in ONE transaction: every submission becomes (or finds) its case, or none does."""
        for _ in range(3):
            try:
                with self._write() as conn:
                    return [self._file(conn, key, sub, now, rules) for sub in subs]
            except _Refused as refused:
                raise refused.error from None
            except IntegrityError:
                # The same request filed concurrently (another hub, another thread): the next round finds it.
                with self._read() as conn:
                    if all(self._existing(conn, key.source, s.external_id) is None for s in subs):
                        raise
        raise RuntimeError(f"intake from {key.source} kept colliding; giving up")

    def _existing(self, conn: Connection, source: str, external_id: str) -> tuple[str, str] | None:
        row = conn.execute(_EXISTING, {"source": source, "external_id": external_id}).first()
        return None if row is None else (row[0], row[1])

    def _file(self, conn: Connection, key: ApiKey, sub: Submission, now: float, rules: Rules) -> Filed:
        found = self._existing(conn, key.source, sub.external_id)
        if found is not None:
            body = conn.execute(_CASE_BODY, {"case_id": found[0]}).scalar_one()
            return Filed(case=decode_cases([body])[0], token=found[1], created=False)
        if conn.execute(_NODE_LEVEL, {"code": sub.node}).scalar() != 5:
            raise _Refused(IntakeError(400, f"grid {sub.node} does not exist"))
        who = caller.from_contact(sub.contact, sub.external_id if sub.channel == "hotline" else "")
        args = Args(node=sub.node, category=sub.category, urgency=sub.urgency, source=CHANNEL_SOURCE[sub.channel],
                    description=sub.description[:4000] or None, address=sub.address[:500] or None,
                    caller_name=who.get("caller_name"), caller_phone=who.get("caller_phone"),
                    ticket_no=who.get("ticket_no"))
        answer = commands.execute(conn, self.notify, CommandRequest(client_id=f"intake-{key.source}",
                                                                    id=command_id(sub.channel, sub.external_id),
                                                                    action=Action.REPORT, case_id=None,
                                                                    expected_version=None, args=args,
                                                                    actor=intake_actor(key)), now, rules)
        if isinstance(answer, CommandError):
            code = getattr(answer.code, "value", answer.code)
            raise _Refused(IntakeError(_STATUS.get(code, 400), answer.message))
        token = secrets.token_hex(16)
        conn.execute(_INSERT, {
            "case_id": answer.case_id, "channel": sub.channel, "source": key.source, "external_id": sub.external_id,
            "key_id": key.id, "node": sub.node, "token": token, "service_code": sub.category, "lat": sub.lat,
            "lon": sub.lon, "address": sub.address, "media_url": sub.media_url,
            "attributes": _encoder.encode(sub.attributes).decode(), "contact": _encoder.encode(sub.contact).decode(),
            "external_category": sub.external_category, "deadline": sub.deadline, "received_at": now,
        })
        return Filed(case=answer.case, token=token, created=True)

    # ---- reading back -------------------------------------------------------------------------------------
    _RECORD_COLS = (CaseRow.body, IntakeRow.channel, IntakeRow.source, IntakeRow.external_id, IntakeRow.token,
                    IntakeRow.service_code, IntakeRow.lat, IntakeRow.lon, IntakeRow.address, IntakeRow.media_url,
                    IntakeRow.attributes, IntakeRow.external_category, IntakeRow.deadline, IntakeRow.received_at)

    def _records(self, conn: Connection, stmt: Any) -> list[IntakeRecord]:
        rows = conn.execute(stmt).all()
        cases = decode_cases([r[0] for r in rows])
        return [IntakeRecord(case=case, channel=r[1], source=r[2], external_id=r[3], token=r[4], service_code=r[5],
                             lat=r[6], lon=r[7], address=r[8], media_url=r[9], attributes=msgspec.json.decode(r[10]),
                             external_category=r[11], deadline=r[12], received_at=r[13])
                for case, r in zip(cases, rows, strict=True)]

    def _joined(self):
        return select(*self._RECORD_COLS).join(CaseRow, CaseRow.id == IntakeRow.case_id)

    def record(self, case_id: str, scope: str, channel: str) -> IntakeRecord | None:
        """The intake record of ``case_id`` if it came in through ``channel`` and lies in ``scope``."""
        stmt = self._joined().where(IntakeRow.case_id == case_id, IntakeRow.channel == channel,
                                    _scope_filter(IntakeRow.node, scope))
        with self._read() as conn:
            found = self._records(conn, stmt)
        return found[0] if found else None

    def by_token(self, token: str, scope: str) -> IntakeRecord | None:
        stmt = self._joined().where(IntakeRow.token == token, _scope_filter(IntakeRow.node, scope))
        with self._read() as conn:
            found = self._records(conn, stmt)
        return found[0] if found else None

    def records(self, q: RequestQuery) -> list[IntakeRecord]:
        """Outside requests in ``q.scope``, newest first, filtered and paged."""
        stmt = self._joined().where(IntakeRow.channel == q.channel, _scope_filter(IntakeRow.node, q.scope))
        if q.ids:
            stmt = stmt.where(IntakeRow.case_id.in_(q.ids))
        else:
            if q.service_codes:
                stmt = stmt.where(IntakeRow.service_code.in_(q.service_codes))
            if q.start is not None:
                stmt = stmt.where(IntakeRow.received_at >= q.start)
            if q.end is not None:
                stmt = stmt.where(IntakeRow.received_at <= q.end)
            if q.closed is not None:
                done = CaseRow.state.in_([State.CLOSED.value, State.REJECTED.value, State.MERGED.value])
                stmt = stmt.where(done if q.closed else ~done)
        stmt = stmt.order_by(IntakeRow.received_at.desc(), IntakeRow.case_id.desc()).offset(q.offset).limit(q.limit)
        with self._read() as conn:
            return self._records(conn, stmt)

    def hotline_updates(self, source: str, scope: str, after: int, limit: int) -> tuple[str, list[HotlineUpdate], int]:
        """(epoch, updates, next): events of ``source``'s hotline cases after global seq ``after``.

        ``next`` is how far the hotline is accounted for: poll again with ``after=next``. It is the
        stream head when fewer than ``limit`` updates came back, else the last update's seq; events
        commit in seq order (the stream row lock), so nothing at or below the head read here can
        appear later — polling from ``next`` never skips an update.
        """
        with self._read() as conn:
            epoch, top = head(conn)
            if after > top:
                raise IntakeError(400, f"after={after} is ahead of the stream head {top} (epoch {epoch}): "
                                       "the hub's history was reset; start again from after=0")
            tickets = select(IntakeRow.case_id, IntakeRow.external_id).where(
                IntakeRow.channel == "hotline", IntakeRow.source == source,
                _scope_filter(IntakeRow.node, scope)).subquery()
            rows = conn.execute(
                select(CaseEventRow.seq, tickets.c.external_id, CaseEventRow.body)
                .join(tickets, tickets.c.case_id == CaseEventRow.case_id)
                .where(and_(CaseEventRow.seq > after, CaseEventRow.seq <= top))
                .order_by(CaseEventRow.seq).limit(limit)
            ).all()
        events = _events_decoder.decode("[" + ",".join(r[2] for r in rows) + "]") if rows else []
        updates = [HotlineUpdate(seq=r[0], ticket_no=r[1], event=e) for r, e in zip(rows, events, strict=True)]
        following = updates[-1].seq if len(updates) >= limit else top
        return epoch, updates, following

    def contact_of(self, case_id: str) -> dict[str, str]:
        """The caller's contact data, for the hub's own operators (never for outside requests)."""
        with self._read() as conn:
            raw = conn.execute(select(IntakeRow.contact).where(IntakeRow.case_id == case_id)).scalar()
        return {} if raw is None else msgspec.json.decode(raw)


__all__ = ["Filed", "HotlineUpdate", "IntakeRecord", "IntakeStore", "RequestQuery", "Submission", "intake_actor"]
