"""Every message of the feed protocol, its limits, error codes and close codes.

docs/protocol.md is the prose for these structs; tests/domain/test_protocol.py
decodes every JSON example in it, so the two cannot drift. Import from
``domain.protocol``, which re-exports all of this with the codec.

Client → server messages forbid unknown fields: a typo is a precise error, not a
silently dropped argument. Server → client messages ignore unknown fields, so a
hub may add a field with a default without breaking clients already deployed.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, Union

import msgspec

from domain.aggregates import NodeAggregate
from domain.catalog import Department
from domain.city import NodeInfo
from domain.gridwork import wire as gw
from domain.indicators import Counts
from domain.model import Action, Args, Case, DomainEvent, Role
from domain.periods import Period, PeriodKind
from domain.reporting import ReportTable
from domain.search import DUPLICATE_WINDOW_HOURS, MAX_PAGE, SearchFilter

PROTOCOL_VERSION = 2
#: Every protocol version this code speaks (a hub refuses the others with unsupported_version).
SUPPORTED_VERSIONS: tuple[int, ...] = (2,)
FEED_PATH = "/v1/feed"

# ---- limits ---------------------------------------------------------------------------
MAX_FRAME_BYTES = 64 * 1024  # client → server, checked before decoding
#: The hub's websocket transport cap: above MAX_FRAME_BYTES so an oversized frame can still be
#: read and answered with ``too_large``; frames above this close the connection with 1009.
TRANSPORT_MAX_BYTES = 1024 * 1024
MAX_SERVER_FRAME_BYTES = 8 * 1024 * 1024  # server → client
SNAPSHOT_CHUNK_CASES = 2000  # cases (and aggregates) per SnapshotChunk
MAX_BATCH_EVENTS = 500  # feed events per Events frame
HEARTBEAT_INTERVAL = 15.0  # seconds between server Heartbeats and client Pings
HEARTBEAT_MISSES = 3  # intervals of silence after which either side closes
CLIENT_QUEUE_LIMIT = 10_000  # events queued for one connection before it is cut (4008)
IDEMPOTENCY_TTL = 7 * 86400.0  # seconds a command id and its first answer are kept, at least
MAX_IN_FLIGHT = 64  # commands one connection may have waiting for an answer before `throttled`
USER_COMMAND_RATE = 20.0  # commands per second one user may send on average (all connections)
USER_COMMAND_BURST = 100  # commands one user may send at once before the rate applies
DIRECTORY_CHUNK_NODES = 2000  # nodes per directory frame at most (fewer when portraits are big)
MAX_ID_LENGTH = 64  # command ids, client ids, case ids, epochs

_MAX_INT = 2**63 - 1
Seq = Annotated[int, msgspec.Meta(ge=0, le=_MAX_INT)]
Version = Annotated[int, msgspec.Meta(ge=0, le=_MAX_INT)]
ProtocolNumber = Annotated[int, msgspec.Meta(ge=0, le=2**31 - 1)]
#: 1–64 characters, no control characters (PostgreSQL text cannot hold NUL; logs should not hold the rest).
Id = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_ID_LENGTH, pattern=r"^[^\x00-\x1f\x7f]+$")]
ScopeCode = Annotated[
    str, msgspec.Meta(max_length=15, pattern=r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12}|[0-9]{15})?$")
]
Name = Annotated[str, msgspec.Meta(max_length=128)]


class ErrorCode(str, enum.Enum):
    """Codes of CommandError and Error. The first seven are domain.errors.ErrorCode's values."""

    INVALID = "invalid"  # a field is missing, of the wrong type, or out of range
    FORBIDDEN = "forbidden"  # role or jurisdiction does not allow it
    CONFLICT = "conflict"  # expected_version differs; detail["current_version"]
    ILLEGAL_TRANSITION = "illegal_transition"  # the state table does not allow the action
    RATE_LIMITED = "rate_limited"  # urge limit; detail["retry_after"] seconds
    NOT_FOUND = "not_found"  # unknown case, parent case, department or scope
    LIMIT_EXCEEDED = "limit_exceeded"  # a third extension, escalation above the city
    # protocol level
    BAD_FRAME = "bad_frame"  # not UTF-8 JSON, not an object, nested too deeply, binary frame
    UNKNOWN_TYPE = "unknown_type"  # no `type`, or a type this side does not know
    TOO_LARGE = "too_large"  # frame above the size limit
    UNEXPECTED = "unexpected"  # a known message at the wrong time (e.g. command before hello)
    UNSUPPORTED_VERSION = "unsupported_version"  # Hello.protocol is not spoken here
    DUPLICATE_ID = "duplicate_id"  # a command id reused for a different command
    THROTTLED = "throttled"  # too many commands in flight or too fast; retry the same id after retry_after
    INTERNAL = "internal"  # the hub failed; nothing was stored; retrying the same id is safe
    EVIDENCE_REQUIRED = "evidence_required"  # the catalog asks for photos the case lacks; detail["missing"]


class CloseCode(enum.IntEnum):
    """WebSocket close codes; docs/protocol.md says what a client does after each."""

    NORMAL = 1000  # either side ends the session on purpose
    GOING_AWAY = 1001  # hub shutdown or restart: reconnect with backoff and resume
    INVALID_DATA = 1007  # a text frame that is not UTF-8 (websockets' own check): a client bug
    MESSAGE_TOO_BIG = 1009  # a frame above the transport limit (websockets' own)
    INTERNAL_ERROR = 1011  # hub bug: reconnect with backoff and resume
    PROTOCOL_ERROR = 4000  # bad or missing hello, or repeated bad frames: fix the client
    UNAUTHORIZED = 4001  # token revoked or expired during the session: sign in again
    VERSION_UNSUPPORTED = 4002  # Hello.protocol is not spoken: upgrade the client
    HEARTBEAT_TIMEOUT = 4003  # nothing heard for HEARTBEAT_MISSES intervals: reconnect and resume
    SLOW_CONSUMER = 4008  # fell more than CLIENT_QUEUE_LIMIT events behind: reconnect and resume

    @property
    def reconnect(self) -> bool:
        """Whether a client should reconnect on its own (with backoff) and resume."""
        return self not in (CloseCode.PROTOCOL_ERROR, CloseCode.UNAUTHORIZED, CloseCode.VERSION_UNSUPPORTED,
                            CloseCode.NORMAL, CloseCode.INVALID_DATA)


# ---- client → server -----------------------------------------------------------------------
class ClientMessage(msgspec.Struct, tag_field="type", forbid_unknown_fields=True, frozen=True):
    """Base of what a client sends; unknown fields are errors."""


class Hello(ClientMessage, tag="hello", frozen=True):
    protocol: ProtocolNumber
    client_id: Id  # stable per installation; command ids are unique per (user, client_id)
    client_name: Name = ""


class Resume(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    epoch: Id
    seq: Seq  # the last `upto` (or Heartbeat.head_seq) the client has fully applied


class Subscribe(ClientMessage, tag="subscribe", frozen=True):
    scope: ScopeCode  # a node code within the user's jurisdiction ("" = the whole tree, if the user's scope is "")
    resume: Resume | None = None


class Unsubscribe(ClientMessage, tag="unsubscribe", frozen=True):
    pass


class Command(ClientMessage, tag="command", frozen=True):
    id: Id  # client-made idempotency key
    action: Action
    case_id: Id | None = None  # None only for report
    expected_version: Version | None = None  # the case version the client saw
    args: Args = Args()


class Ping(ClientMessage, tag="ping", frozen=True):
    t: float  # client clock, echoed in Pong


class DirectoryRequest(ClientMessage, tag="directory_request", frozen=True):
    """Ask for the names, tree and grid portraits of a subtree (no outlines)."""

    scope: ScopeCode


class HistoryRequest(ClientMessage, tag="history_request", frozen=True):
    """Ask for every event of one case, for its timeline."""

    case_id: Id


# ---- server → client ---------------------------------------------------------------------------
class ServerMessage(msgspec.Struct, tag_field="type", frozen=True):
    """Base of what the hub sends; unknown fields are ignored so hubs can add fields."""


class UserInfo(msgspec.Struct, frozen=True):
    id: str
    name: str
    role: Role
    scope: str
    department: str | None = None


class Limits(msgspec.Struct, frozen=True):
    max_frame_bytes: int
    max_server_frame_bytes: int
    snapshot_chunk_cases: int
    max_batch_events: int
    client_queue_limit: int
    heartbeat_misses: int
    idempotency_ttl: float
    max_in_flight: int = MAX_IN_FLIGHT
    user_command_rate: float = USER_COMMAND_RATE
    user_command_burst: int = USER_COMMAND_BURST

    @classmethod
    def default(cls) -> Limits:
        return cls(MAX_FRAME_BYTES, MAX_SERVER_FRAME_BYTES, SNAPSHOT_CHUNK_CASES, MAX_BATCH_EVENTS,
                   CLIENT_QUEUE_LIMIT, HEARTBEAT_MISSES, IDEMPOTENCY_TTL, MAX_IN_FLIGHT, USER_COMMAND_RATE,
                   USER_COMMAND_BURST)


class Welcome(ServerMessage, tag="welcome", frozen=True):
    protocol: int
    server: str
    user: UserInfo
    epoch: str
    head_seq: int
    heartbeat_interval: float
    server_time: float
    limits: Limits
    clock_rate: float = 1.0  # hub seconds per real second (a training hub runs fast; 0 while paused)
    server_version: str = ""  # the hub's release (domain.version.APP_VERSION), for About and support


class SnapshotBegin(ServerMessage, tag="snapshot_begin", frozen=True):
    scope: str
    epoch: str
    seq: int  # the snapshot holds exactly the effect of events <= seq
    total_cases: int
    total_chunks: int
    aggregates_count: int


class SnapshotChunk(ServerMessage, tag="snapshot_chunk", frozen=True):
    index: int
    cases: list[Case]
    aggregates: list[NodeAggregate]


class SnapshotEnd(ServerMessage, tag="snapshot_end", frozen=True):
    seq: int


class FeedEvent(msgspec.Struct, frozen=True, gc=False):
    """One event of the feed (``gc=False``: immutable, thousands a second; see ``Case``)."""

    seq: int  # global, gap-free across the whole stream (not per scope)
    epoch: str
    event: DomainEvent
    case: Case  # the case as it stands after the event


class Events(ServerMessage, tag="events", frozen=True):
    epoch: str
    upto: int  # highest global seq this frame accounts for, filtered-out events included
    events: list[FeedEvent]


class Resumed(ServerMessage, tag="resumed", frozen=True):
    epoch: str
    from_seq: int  # first replayed seq (the client's seq + 1)
    to_seq: int  # last seq the replay covers; live events follow; from_seq > to_seq: nothing missed


class SnapshotRequired(ServerMessage, tag="snapshot_required", frozen=True):
    reason: str  # human-readable: epoch changed, events no longer kept, seq ahead of head
    epoch: str


class CommandAck(ServerMessage, tag="command_ack", frozen=True):
    command_id: str
    case_id: str
    version: int
    seq: int
    case: Case
    replayed: bool = False  # True when this is the stored first answer to a retried id


class CommandError(ServerMessage, tag="command_error", frozen=True):
    command_id: str
    code: ErrorCode
    message: str
    detail: dict[str, Any] = {}
    replayed: bool = False


class Error(ServerMessage, tag="error", frozen=True):
    code: ErrorCode
    message: str
    ref: str | None = None  # the offending message type or command id, when known


class Pong(ServerMessage, tag="pong", frozen=True):
    t: float  # the Ping's t
    server_time: float


class Heartbeat(ServerMessage, tag="heartbeat", frozen=True):
    server_time: float
    head_seq: int  # every in-scope event <= head_seq was sent before this frame: a valid resume point
    clock_rate: float = 1.0  # as in Welcome: lets clients run the hub's clock between heartbeats


class Directory(ServerMessage, tag="directory", frozen=True):
    """The answer to DirectoryRequest, in ``total_chunks`` frames: nodes parent-first across the
    chunks (``index`` 0 … total_chunks − 1, in order), the departments in chunk 0 only."""

    scope: str
    nodes: list[NodeInfo]
    departments: list[Department]
    index: int = 0
    total_chunks: int = 1


class History(ServerMessage, tag="history", frozen=True):
    """The answer to HistoryRequest: the case's events in order (empty if unknown or out of scope)."""

    case_id: str
    events: list[FeedEvent]



# ---- gridwork: the grid's own work (register, visits, meetings, patrols); payloads in domain.gridwork.wire
class GridworkQuery(ClientMessage, tag="gridwork_query", frozen=True):
    """Read the grid's own work: a portrait, the visit queue, a meeting log, patrols, the roster."""

    id: Id  # echoed in GridworkAnswer
    query: gw.Query


class GridworkCommand(ClientMessage, tag="gridwork_command", frozen=True):
    """Log a visit, record a meeting or check in a patrol; a problem found becomes a linked case."""

    id: Id  # idempotency key, as for Command: a retry returns the first answer
    op: gw.Op


class GridworkAnswer(ServerMessage, tag="gridwork_answer", frozen=True):
    """The answer to a GridworkQuery or GridworkCommand: ``result`` or an error ``code``/``message``."""

    id: str
    result: gw.Answer | None = None
    code: ErrorCode | None = None
    message: str = ""

# ---- period reports (appended; see "Period reports" in docs/protocol.md) ---------------------------
ReportGroup = Annotated[str, msgspec.Meta(pattern=r"^(district|street|community|grid|department|grid_worker)$")]


class ReportRequest(ClientMessage, tag="report_request", frozen=True):
    """Ask the hub for a period's indicators under ``node``, one table per grouping."""

    request_id: Id
    node: ScopeCode
    period: PeriodKind
    start: float  # any moment inside the day/week/month wanted; the first moment of a custom period
    end: float | None = None  # custom periods only: the end (exclusive)
    group_by: list[ReportGroup] = []


class Report(ServerMessage, tag="report", frozen=True):
    """One frame of the answer to ReportRequest; ``chunk`` counts from 0 to ``chunks`` - 1."""

    request_id: str
    chunk: int
    chunks: int
    node: str
    node_name: str
    period: Period
    as_of: float
    total: Counts
    previous_total: Counts
    tables: list[ReportTable] = []  # a long table continues in the next frames


CLIENT_MESSAGES: tuple[type[ClientMessage], ...] = (
    Hello, Subscribe, Unsubscribe, Command, Ping, DirectoryRequest, HistoryRequest,
    ReportRequest,
    GridworkQuery, GridworkCommand,
)
SERVER_MESSAGES: tuple[type[ServerMessage], ...] = (
    Welcome, SnapshotBegin, SnapshotChunk, SnapshotEnd, Events, Resumed, SnapshotRequired,
    CommandAck, CommandError, Error, Pong, Heartbeat, Directory, History,
    Report,
    GridworkAnswer,
)


def tag_of(cls: type[msgspec.Struct]) -> str:
    """The ``type`` value a message class travels under."""
    tag = cls.__struct_config__.tag
    assert isinstance(tag, str)  # every message class names its tag as a string
    return tag


# ---- map geometry (protocol 2) ------------------------------------------------------------------
GEOMETRY_CHUNK_FEATURES = 2000  # outlines per `geometry` frame
NodeLevel = Annotated[int, msgspec.Meta(ge=1, le=5)]
Tolerance = Annotated[float, msgspec.Meta(ge=0.0, le=0.1)]


class GeometryRequest(ClientMessage, tag="geometry_request", frozen=True):
    """Ask for the outlines of every node of ``level`` under ``scope`` (WGS-84 lon/lat), simplified
    by ``tolerance`` degrees (absent: the hub's default for that level)."""

    scope: ScopeCode
    level: NodeLevel
    tolerance: Tolerance | None = None


class Outline(msgspec.Struct, frozen=True, array_like=True):
    """One node's outline: every ring (outer rings and holes, all parts) as flat [lon0, lat0, lon1, …]
    lists, open (the first position is not repeated); fill with the even-odd rule."""

    code: str
    rings: list[list[float]]


class Geometry(ServerMessage, tag="geometry", frozen=True):
    """One chunk of the answer to GeometryRequest; chunks come in ``index`` order, 0 … total_chunks - 1."""

    scope: str
    level: int
    tolerance: float
    index: int
    total_chunks: int
    outlines: list[Outline]


CLIENT_MESSAGES += (GeometryRequest,)
SERVER_MESSAGES += (Geometry,)


# ---- 综合查询 and duplicate candidates (protocol 2, §19) ------------------------------------------
PageSize = Annotated[int, msgspec.Meta(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]
GridCode = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{15}$")]
ItemCode = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{5}$")]
WindowHours = Annotated[float, msgspec.Meta(gt=0, le=720)]


class SearchRequest(ClientMessage, tag="search_request", frozen=True):
    """综合查询: cases matching ``filter`` in the jurisdiction, from the database, one page."""

    request_id: Id  # echoed in SearchResult
    filter: SearchFilter = SearchFilter()
    offset: Offset = 0
    limit: PageSize = 50


class SearchResult(ServerMessage, tag="search_result", frozen=True):
    """One page of matches, newest first (reported_at, then case number); or ``code``/``message``."""

    request_id: str
    total: int = 0  # matches in all, not only on this page
    offset: int = 0
    cases: list[Case] = []  # the caller masked as for the subscription
    code: ErrorCode | None = None
    message: str = ""


class DuplicatesRequest(ClientMessage, tag="duplicates_request", frozen=True):
    """Before filing a report: recent cases that may be the same problem (same class, same community)."""

    request_id: Id  # echoed in Duplicates
    node: GridCode  # the grid the new report would be at
    category: ItemCode
    hours: WindowHours = DUPLICATE_WINDOW_HOURS


class Duplicates(ServerMessage, tag="duplicates", frozen=True):
    """The candidates, same item and same grid first, at most MAX_DUPLICATES; or ``code``/``message``."""

    request_id: str
    cases: list[Case] = []
    code: ErrorCode | None = None
    message: str = ""


CLIENT_MESSAGES += (SearchRequest, DuplicatesRequest)
SERVER_MESSAGES += (SearchResult, Duplicates)


# ---- the people of a department, for assignment (protocol 2, §18) -------------------------------
DepartmentCode = Annotated[str, msgspec.Meta(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z_-]+$")]


class UsersRequest(ClientMessage, tag="users_request", frozen=True):
    """Who works in ``department``: the people a case can be assigned to (指派), by name."""

    request_id: Id  # echoed in Users
    department: DepartmentCode


class UserEntry(msgspec.Struct, frozen=True):
    """One enabled user of a department: what a picker shows and what ``assign`` takes (never a token)."""

    id: str
    name: str
    role: Role


class Users(ServerMessage, tag="users", frozen=True):
    """The department's enabled users, by name; or ``code``/``message`` on a refusal."""

    request_id: str
    department: str = ""
    users: list[UserEntry] = []
    code: ErrorCode | None = None
    message: str = ""


CLIENT_MESSAGES += (UsersRequest,)
SERVER_MESSAGES += (Users,)
# Tagged unions of every message, for the decoders (built here, once the tuples are complete).
AnyClientMessage = Union[CLIENT_MESSAGES]  # type: ignore[valid-type]  # noqa: UP007
AnyServerMessage = Union[SERVER_MESSAGES]  # type: ignore[valid-type]  # noqa: UP007
