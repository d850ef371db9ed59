"""The hub's tables as SQLAlchemy 2 declarative models.

The migration ``versions/0001_initial.py`` is written by hand from these models and a
test compares the two, so a change here needs a new migration. Whole structs (a Case,
a FeedEvent, an answer) are kept as msgspec JSON text; only what queries filter or sort
on gets a column of its own. Times are POSIX seconds as doubles.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Double, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Fixed constraint names, so the hand-written migration names them the same on every dialect.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class NodeRow(Base):
    __tablename__ = "nodes"

    code: Mapped[str] = mapped_column(String(15), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(Integer)
    parent_code: Mapped[str | None] = mapped_column(String(15), ForeignKey("nodes.code"), index=True)
    center_lon: Mapped[float | None] = mapped_column(Double)
    center_lat: Mapped[float | None] = mapped_column(Double)
    geometry: Mapped[str | None] = mapped_column(Text)  # GeoJSON geometry object
    portrait: Mapped[str | None] = mapped_column(Text)  # domain.city.GridPortrait


class DepartmentRow(Base):
    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))


class GridWorkerRow(Base):
    __tablename__ = "grid_workers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    grid_code: Mapped[str] = mapped_column(String(15), ForeignKey("nodes.code"), index=True)
    full_time: Mapped[bool] = mapped_column(Boolean)
    phone: Mapped[str] = mapped_column(String(32))


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(15))
    department: Mapped[str | None] = mapped_column(String(32))
    # sha256 hex of the bearer token; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[float] = mapped_column(Double)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    node: Mapped[str] = mapped_column(String(15))
    category: Mapped[str] = mapped_column(String(8))
    urgency: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    owner_level: Mapped[int] = mapped_column(Integer)
    department: Mapped[str | None] = mapped_column(String(32))
    reported_at: Mapped[float] = mapped_column(Double, index=True)
    updated_at: Mapped[float | None] = mapped_column(Double)
    deadline: Mapped[float | None] = mapped_column(Double)
    warning_at: Mapped[float | None] = mapped_column(Double)
    sla_state: Mapped[str] = mapped_column(String(10))
    suspended_at: Mapped[float | None] = mapped_column(Double)
    closed_at: Mapped[float | None] = mapped_column(Double, index=True)
    body: Mapped[str] = mapped_column(Text)  # the whole domain.model.Case
    # What the period reports group and sum (revision 0005), so they aggregate in SQL.
    source: Mapped[str | None] = mapped_column(String(16))
    reported_by: Mapped[str | None] = mapped_column(String(64))
    accepted_at: Mapped[float | None] = mapped_column(Double)
    dispatched_at: Mapped[float | None] = mapped_column(Double)
    resolved_at: Mapped[float | None] = mapped_column(Double)
    closed_on_time: Mapped[bool | None] = mapped_column(Boolean)
    return_count: Mapped[int | None] = mapped_column(Integer)
    rework_count: Mapped[int | None] = mapped_column(Integer)
    extension_count: Mapped[int | None] = mapped_column(Integer)
    supervised_at: Mapped[float | None] = mapped_column(Double)
    supervision_due: Mapped[float | None] = mapped_column(Double)
    supervision_replied_at: Mapped[float | None] = mapped_column(Double)
    lon: Mapped[float | None] = mapped_column(Double)  # WGS-84, when the case has a position
    lat: Mapped[float | None] = mapped_column(Double)
    # The practised loop (revision 0008): the short steps' clock, the suspension's end date,
    # the pending request, the callback and 重办, and which stages ran late.
    stage_deadline: Mapped[float | None] = mapped_column(Double)
    stage_warning_at: Mapped[float | None] = mapped_column(Double)
    stage_sla: Mapped[str | None] = mapped_column(String(10))
    stages_late: Mapped[str | None] = mapped_column(String(40))
    suspended_until: Mapped[float | None] = mapped_column(Double)
    request_kind: Mapped[str | None] = mapped_column(String(10))
    callback_result: Mapped[str | None] = mapped_column(String(20))
    reopen_count: Mapped[int | None] = mapped_column(Integer)
    # 综合查询 (revision 0009): the caller, the 12345 ticket, address + description lower-cased.
    caller_name: Mapped[str | None] = mapped_column(String(50), index=True)
    caller_phone: Mapped[str | None] = mapped_column(String(20), index=True)
    ticket_no: Mapped[str | None] = mapped_column(String(64), index=True)
    search_text: Mapped[str | None] = mapped_column(Text)
    # The 签收 clock (revision 0010), beside the step's: the sweeper finds its due ticks by these.
    sign_deadline: Mapped[float | None] = mapped_column(Double)
    sign_warning_at: Mapped[float | None] = mapped_column(Double)
    sign_sla: Mapped[str | None] = mapped_column(String(10))

    __table_args__ = (
        Index("ix_cases_node_state", "node", "state"),
        Index("ix_cases_deadline", "deadline"),
        Index("ix_cases_supervised_at", "supervised_at"),
        Index("ix_cases_sweeper", "sla_state", "warning_at", "deadline"),
        Index("ix_cases_stage_sweeper", "stage_sla", "stage_warning_at", "stage_deadline"),
        Index("ix_cases_request_kind", "request_kind"),
        Index("ix_cases_sign_sweeper", "sign_sla", "sign_warning_at", "sign_deadline"),
        # revision 0011: the sweeper's other ways to be due (backend/store/sweep_query.py)
        Index("ix_cases_resume", "state", "suspended_until"),
        Index("ix_cases_sla_deadline", "sla_state", "deadline"),
        Index("ix_cases_stage_deadline", "stage_sla", "stage_deadline"),
        Index("ix_cases_sign_deadline", "sign_sla", "sign_deadline"),
    )


class CaseEventRow(Base):
    __tablename__ = "case_events"

    # Global, gap-free, taken from stream.head_seq inside the writing transaction.
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    epoch: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    at: Mapped[float] = mapped_column(Double)
    actor: Mapped[str] = mapped_column(String(64))
    node: Mapped[str] = mapped_column(String(15), index=True)
    body: Mapped[str] = mapped_column(Text)  # the whole domain.protocol.FeedEvent


class CommandLogRow(Base):
    __tablename__ = "command_log"

    # Command ids belong to a user (revision 0004): one user never sees or blocks another's answers.
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    command_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[float] = mapped_column(Double, index=True)
    # sha256 of the command as first sent: a reused id with other content is refused.
    request_hash: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(Text)  # the stored answer, returned again on retry


class SupervisionOrderRow(Base):
    __tablename__ = "supervision_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    due: Mapped[float] = mapped_column(Double)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[float] = mapped_column(Double)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[float | None] = mapped_column(Double)


class StreamRow(Base):
    """The single row (id=1) that numbers events and cases; its row lock orders writers."""

    __tablename__ = "stream"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    epoch: Mapped[str] = mapped_column(String(32))
    head_seq: Mapped[int] = mapped_column(BigInteger)
    next_case_no: Mapped[int] = mapped_column(BigInteger)


# ---- intake from outside (revision 0003; backend/intake) -------------------------------------
class ApiKeyRow(Base):
    """A key of one outside intake source (an Open311 client or a 12345 platform)."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))  # open311 | hotline
    # Stable name of the sending system: idempotency is per (source, ticket), across key rotations.
    source: Mapped[str] = mapped_column(String(32))
    jurisdiction: Mapped[str] = mapped_column(String(15))  # node code; "" is the whole tree
    rate_per_minute: Mapped[int] = mapped_column(Integer)
    # sha256 hex of the key; the key itself is never stored.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[float] = mapped_column(Double)
    revoked_at: Mapped[float | None] = mapped_column(Double)


class IntakeRow(Base):
    """What an outside request brought besides the case: its origin, position, media and contact."""

    __tablename__ = "intake_requests"

    case_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))  # open311 | hotline
    source: Mapped[str] = mapped_column(String(32))
    # The ticket number (hotline) or the request's fingerprint (Open311): one case per (source, external_id).
    external_id: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    node: Mapped[str] = mapped_column(String(15), index=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    service_code: Mapped[str] = mapped_column(String(8))
    lat: Mapped[float | None] = mapped_column(Double)
    lon: Mapped[float | None] = mapped_column(Double)
    address: Mapped[str] = mapped_column(Text)
    media_url: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[str] = mapped_column(Text)  # JSON object
    contact: Mapped[str] = mapped_column(Text)  # JSON object: personal data, never served back
    external_category: Mapped[str | None] = mapped_column(String(64))
    deadline: Mapped[float | None] = mapped_column(Double)  # the sender's own deadline
    received_at: Mapped[float] = mapped_column(Double, index=True)

    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_intake_requests_source_external_id"),)
