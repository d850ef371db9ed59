"""The hub's tables, declared as classes of columns (``backend.store.declare``, Core only).

The migration ``versions/0001_initial.py`` is written by hand from these models and a
test compares the two, so a change here needs a new migration. Whole structs (a Case,
a FeedEvent, an answer) are kept as msgspec JSON text; only what queries filter or sort
on gets a column of its own. Times are POSIX seconds as doubles.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Double, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint

from backend.store.declare import TableClass, column

# Fixed constraint names, so the hand-written migration names them the same on every dialect.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(TableClass):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class NodeRow(Base):
    __tablename__ = "nodes"

    code = column(String(15), primary_key=True)
    name = column(String(100))
    level = column(Integer)
    parent_code = column(String(15), ForeignKey("nodes.code"), index=True, nullable=True)
    center_lon = column(Double, nullable=True)
    center_lat = column(Double, nullable=True)
    geometry = column(Text, nullable=True)  # GeoJSON geometry object
    portrait = column(Text, nullable=True)  # domain.city.GridPortrait


class DepartmentRow(Base):
    __tablename__ = "departments"

    code = column(String(32), primary_key=True)
    name = column(String(100))
    kind = column(String(32))


class GridWorkerRow(Base):
    __tablename__ = "grid_workers"

    id = column(String(64), primary_key=True)
    name = column(String(100))
    grid_code = column(String(15), ForeignKey("nodes.code"), index=True)
    full_time = column(Boolean)
    phone = column(String(32))


class UserRow(Base):
    __tablename__ = "users"

    id = column(String(64), primary_key=True)
    name = column(String(100))
    role = column(String(20))
    scope = column(String(15))
    department = column(String(32), nullable=True)
    # sha256 hex of the bearer token; the token itself is never stored.
    token_hash = column(String(64), unique=True)
    created_at = column(Double)
    disabled = column(Boolean, default=False)


class CaseRow(Base):
    __tablename__ = "cases"

    id = column(String(64), primary_key=True)
    node = column(String(15))
    category = column(String(8))
    urgency = column(String(12))
    state = column(String(16))
    version = column(Integer)
    owner_level = column(Integer)
    department = column(String(32), nullable=True)
    reported_at = column(Double, index=True)
    updated_at = column(Double, nullable=True)
    deadline = column(Double, nullable=True)
    warning_at = column(Double, nullable=True)
    sla_state = column(String(10))
    suspended_at = column(Double, nullable=True)
    closed_at = column(Double, index=True, nullable=True)
    body = column(Text)  # the whole domain.model.Case
    # What the period reports group and sum (revision 0005), so they aggregate in SQL.
    source = column(String(16), nullable=True)
    reported_by = column(String(64), nullable=True)
    accepted_at = column(Double, nullable=True)
    dispatched_at = column(Double, nullable=True)
    resolved_at = column(Double, nullable=True)
    closed_on_time = column(Boolean, nullable=True)
    return_count = column(Integer, nullable=True)
    rework_count = column(Integer, nullable=True)
    extension_count = column(Integer, nullable=True)
    supervised_at = column(Double, nullable=True)
    supervision_due = column(Double, nullable=True)
    supervision_replied_at = column(Double, nullable=True)
    lon = column(Double, nullable=True)  # WGS-84, when the case has a position
    lat = column(Double, nullable=True)
    # The practised loop (revision 0008): the short steps' clock, the suspension's end date,
    # the pending request, the callback and 重办, and which stages ran late.
    stage_deadline = column(Double, nullable=True)
    stage_warning_at = column(Double, nullable=True)
    stage_sla = column(String(10), nullable=True)
    stages_late = column(String(40), nullable=True)
    suspended_until = column(Double, nullable=True)
    request_kind = column(String(10), nullable=True)
    callback_result = column(String(20), nullable=True)
    reopen_count = column(Integer, nullable=True)
    # 综合查询 (revision 0009): the caller, the 12345 ticket, address + description lower-cased.
    caller_name = column(String(50), index=True, nullable=True)
    caller_phone = column(String(20), index=True, nullable=True)
    ticket_no = column(String(64), index=True, nullable=True)
    search_text = column(Text, nullable=True)
    # The 签收 clock (revision 0010), beside the step's: the sweeper finds its due ticks by these.
    sign_deadline = column(Double, nullable=True)
    sign_warning_at = column(Double, nullable=True)
    sign_sla = column(String(10), nullable=True)

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
    seq = column(BigInteger, primary_key=True, autoincrement=False)
    epoch = column(String(32))
    case_id = column(String(64), index=True)
    kind = column(String(24))
    at = column(Double)
    actor = column(String(64))
    node = column(String(15), index=True)
    body = column(Text)  # the whole domain.protocol.FeedEvent


class CommandLogRow(Base):
    __tablename__ = "command_log"

    # Command ids belong to a user (revision 0004): one user never sees or blocks another's answers.
    user_id = column(String(64), primary_key=True, index=True)
    client_id = column(String(64), primary_key=True)
    command_id = column(String(64), primary_key=True)
    created_at = column(Double, index=True)
    # sha256 of the command as first sent: a reused id with other content is refused.
    request_hash = column(String(64))
    answer = column(Text)  # the stored answer, returned again on retry


class SupervisionOrderRow(Base):
    __tablename__ = "supervision_orders"

    id = column(Integer, primary_key=True, autoincrement=True)
    case_id = column(String(64), index=True)
    level = column(Integer)
    reason = column(Text)
    due = column(Double)
    by = column(String(64))
    at = column(Double)
    reply = column(Text, nullable=True)
    replied_at = column(Double, nullable=True)


class StreamRow(Base):
    """The single row (id=1) that numbers events and cases; its row lock orders writers."""

    __tablename__ = "stream"

    id = column(Integer, primary_key=True, autoincrement=False)
    epoch = column(String(32))
    head_seq = column(BigInteger)
    next_case_no = column(BigInteger)


# ---- intake from outside (revision 0003; backend/intake) -------------------------------------
class ApiKeyRow(Base):
    """A key of one outside intake source (an Open311 client or a 12345 platform)."""

    __tablename__ = "api_keys"

    id = column(String(16), primary_key=True)
    name = column(String(100))
    kind = column(String(16))  # open311 | hotline
    # Stable name of the sending system: idempotency is per (source, ticket), across key rotations.
    source = column(String(32))
    jurisdiction = column(String(15))  # node code; "" is the whole tree
    rate_per_minute = column(Integer)
    # sha256 hex of the key; the key itself is never stored.
    key_hash = column(String(64), unique=True)
    created_at = column(Double)
    revoked_at = column(Double, nullable=True)


class IntakeRow(Base):
    """What an outside request brought besides the case: its origin, position, media and contact."""

    __tablename__ = "intake_requests"

    case_id = column(String(64), primary_key=True)
    channel = column(String(16))  # open311 | hotline
    source = column(String(32))
    # The ticket number (hotline) or the request's fingerprint (Open311): one case per (source, external_id).
    external_id = column(String(64))
    key_id = column(String(16))
    node = column(String(15), index=True)
    token = column(String(40), unique=True)
    service_code = column(String(8))
    lat = column(Double, nullable=True)
    lon = column(Double, nullable=True)
    address = column(Text)
    media_url = column(Text, nullable=True)
    attributes = column(Text)  # JSON object
    contact = column(Text)  # JSON object: personal data, never served back
    external_category = column(String(64), nullable=True)
    deadline = column(Double, nullable=True)  # the sender's own deadline
    received_at = column(Double, index=True)

    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_intake_requests_source_external_id"),)
