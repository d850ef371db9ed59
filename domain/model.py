"""The nouns every layer shares: cases, actors, commands and what the domain emits.

These are msgspec structs so that the same objects travel over the wire (see
``domain.protocol``) and sit in the replica without a translation layer. They hold
data only; the rules that change a case live in ``domain.lifecycle``.

Times are POSIX seconds (float, UTC). Calendars interpret them in China Standard
Time; see ``domain.calendar``.
"""

from __future__ import annotations

import enum

import msgspec


class Urgency(str, enum.Enum):
    NORMAL = "normal"  # 一般
    URGENT = "urgent"  # 紧急
    CRITICAL = "critical"  # 特急


class Source(str, enum.Enum):
    GRID_WORKER = "grid_worker"  # 网格员上报
    RESIDENT = "resident"  # 群众反映
    HOTLINE = "hotline"  # 12345 热线
    VIDEO = "video"  # 视频巡查
    MEETING = "meeting"  # 网格自管会


class State(str, enum.Enum):
    REPORTED = "reported"  # 待受理
    ACCEPTED = "accepted"  # 已立案 (待派遣)
    REJECTED = "rejected"  # 不予立案
    MERGED = "merged"  # 重复合并
    SELF_RESOLVED = "self_resolved"  # 就地解决
    DISPATCHED = "dispatched"  # 已派遣
    IN_PROGRESS = "in_progress"  # 处置中
    RETURNED = "returned"  # 退回
    SUSPENDED = "suspended"  # 挂账
    RESOLVED = "resolved"  # 处置完成 (待核实)
    CLOSED = "closed"  # 结案


#: States in which a case is finished and no longer changes.
TERMINAL_STATES = frozenset({State.REJECTED, State.MERGED, State.CLOSED})
OPEN_STATES = frozenset(State) - TERMINAL_STATES


class Action(str, enum.Enum):
    # Moves between states.
    REPORT = "report"
    ACCEPT = "accept"
    REJECT = "reject"
    MERGE = "merge"
    SELF_RESOLVE = "self_resolve"
    DISPATCH = "dispatch"
    SIGN = "sign"  # department signs for a dispatched case and starts work
    RETURN = "return"
    RESOLVE = "resolve"
    SUSPEND = "suspend"
    RESUME = "resume"
    VERIFY = "verify"  # args.passed: True closes, False sends back for rework
    CALLBACK = "callback"  # 回访: args.satisfaction; dissatisfied reopens a closed case (重办)
    # Flags that ride on any open state.
    SUPERVISE = "supervise"
    REPLY_SUPERVISION = "reply_supervision"
    URGE = "urge"
    ESCALATE = "escalate"
    EXTEND = "extend"
    ACKNOWLEDGE = "acknowledge"  # someone saw the alert raised by this case
    ATTACH = "attach"  # a photo or document joins the case (added by the hub on upload)
    REQUEST = "request"  # the department asks the command center to extend, suspend or return (申请)
    APPROVE = "approve"  # the command center grants the pending request: its move is made
    REJECT_REQUEST = "reject_request"  # the command center refuses it (reason required); nothing is used up
    ASSIST_SIGN = "assist_sign"  # an assisting department (协办) signs for its part
    ASSIST_REPORT = "assist_report"  # an assisting department's feedback (协办反馈)
    DELEGATE = "delegate"  # 下派: a higher level hands the case down to a lower one in its scope
    ASSIGN = "assign"  # the department names the person who handles it (when the hub enables assignment)
    # Only the hub's own clock may take these.
    SLA_WARNING = "sla_warning"
    SLA_OVERDUE = "sla_overdue"


class Role(str, enum.Enum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    WALL = "wall"
    TRAINER = "trainer"
    DEPARTMENT = "department"
    GRID_WORKER = "grid_worker"
    ADMIN = "admin"
    SYSTEM = "system"  # the hub itself (SLA sweeper); never a user's role


class SlaState(str, enum.Enum):
    NONE = "none"  # no clock running (not yet dispatched, or finished)
    OK = "ok"
    WARNING = "warning"  # 80% of the limit used
    OVERDUE = "overdue"


class ClockKind(str, enum.Enum):
    """How an SLA limit is counted (处置时限)."""

    NATURAL_HOURS = "natural_hours"  # 自然小时: runs through nights, weekends and holidays
    WORKING_HOURS = "working_hours"  # 工作时: only inside the working periods of working days
    WORKING_DAYS = "working_days"  # 工作日


class SlaLimit(msgspec.Struct, frozen=True, gc=False):
    kind: ClockKind
    amount: float  # hours for the hour kinds, days for WORKING_DAYS


class ClockStage(str, enum.Enum):
    """The loop's timed steps (GB/T 30428): each has its own limit and its own clock."""

    ACCEPT = "accept"  # 受理: reported → accepted (or rejected/merged)
    DISPATCH = "dispatch"  # 派遣: accepted → dispatched
    HANDLE = "handle"  # 处置: dispatched → resolved (the classic SLA clock)
    VERIFY = "verify"  # 核查/核实: resolved → closed
    SIGN = "sign"  # 签收: dispatched → signed, beside 处置 (only when the hub runs the 签收 clock)


class StageLimits(msgspec.Struct, frozen=True):
    """One limit per timed step, as the catalog gives them for an item, urgency and condition."""

    accept: SlaLimit
    dispatch: SlaLimit
    handle: SlaLimit
    verify: SlaLimit

    def of(self, stage: ClockStage) -> SlaLimit:
        limit: SlaLimit = getattr(self, stage.value)
        return limit


class RequestKind(str, enum.Enum):
    """What a department may ask the command center for (审批事项)."""

    EXTEND = "extend"  # 延期
    SUSPEND = "suspend"  # 挂账 (with an end date: ``until``)
    RETURN = "return"  # 退单


#: The lifecycle action each request stands for: approving it makes that move.
REQUEST_ACTIONS: dict[RequestKind, Action] = {
    RequestKind.EXTEND: Action.EXTEND,
    RequestKind.SUSPEND: Action.SUSPEND,
    RequestKind.RETURN: Action.RETURN,
}


class Satisfaction(str, enum.Enum):
    """The citizen's verdict at the 回访 (callback)."""

    SATISFIED = "satisfied"  # 满意
    FAIRLY_SATISFIED = "fairly_satisfied"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意: the case is reopened (重办)


class Request(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """A department's request and, once decided, the command center's answer.

    Pending while ``approved`` is None; the case keeps the last one so the department sees the answer.
    """

    kind: RequestKind
    reason: str
    by: str
    at: float
    until: float | None = None  # suspension requests: when the case resumes by itself
    approved: bool | None = None
    answer: str | None = None  # the approver's reason (required when rejected)
    decided_by: str | None = None
    decided_at: float | None = None


class Assist(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """One assisting department (协办单位) of a co-handled case, with its own sign and feedback."""

    department: str
    signed_at: float | None = None
    report: str | None = None  # its feedback (协办反馈)
    reported_at: float | None = None


class Callback(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """The 回访: what the citizen said of the result, and who called."""

    satisfaction: Satisfaction
    by: str
    at: float
    message: str | None = None


class Actor(msgspec.Struct, frozen=True):
    """Who does something: a signed-in user or the hub itself."""

    id: str
    role: Role
    scope: str  # node code of the jurisdiction; the actor acts within its subtree
    name: str = ""
    department: str | None = None  # department code, for role DEPARTMENT


SYSTEM_ACTOR = Actor(id="system", role=Role.SYSTEM, scope="", name="系统")


class Stage(str, enum.Enum):
    """What an attachment shows, by the step of the case it belongs to."""

    BEFORE_NEAR = "before_near"  # 上报近景: the problem, close up
    BEFORE_FAR = "before_far"  # 上报远景: the problem in its surroundings
    AFTER = "after"  # 处置后: the result of the department's work
    VERIFICATION = "verification"  # 核查/核实: the worker's photo when verifying on site
    DOCUMENT = "document"  # a PDF: a notice, a receipt, a report


class Attachment(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """A reference to a stored file; the bytes travel over HTTP, never in the event stream.

    ``sha256`` names the content (and is the only thing a storage path is built from);
    the hub reads ``mime``, the size, the dimensions and the EXIF capture time and place
    from the bytes. ``thumb`` is the sha256 of the hub-made JPEG thumbnail (images only).
    """

    sha256: str
    mime: str  # image/jpeg | image/png | image/webp | application/pdf
    size: int
    stage: Stage
    by: str = ""  # user id of the uploader
    at: float = 0.0  # when it was attached (hub clock)
    name: str = ""  # the file name the uploader gave; shown, never used as a path
    width: int | None = None  # after EXIF orientation
    height: int | None = None
    thumb: str | None = None
    taken_at: float | None = None  # EXIF DateTimeOriginal, read as China Standard Time
    lat: float | None = None  # EXIF GPS, WGS84 degrees
    lon: float | None = None


class Args(msgspec.Struct, frozen=True, omit_defaults=True, forbid_unknown_fields=True):
    """Arguments of a command. Which ones an action requires is in the lifecycle table."""

    # report
    node: str | None = None  # grid code where the case is
    category: str | None = None  # 5-digit category item code
    urgency: Urgency | None = None
    source: Source | None = None
    description: str | None = None
    address: str | None = None
    # reject, return, suspend, escalate, extend, supervise
    reason: str | None = None
    # merge
    parent_id: str | None = None
    # dispatch
    department: str | None = None
    # verify
    passed: bool | None = None
    # supervise
    level: int | None = None  # 1..3
    due: float | None = None
    # urge, reply_supervision, resolve
    message: str | None = None
    # attach
    attachment: Attachment | None = None
    # report: where the case is, WGS-84 degrees (both or neither; inside the grid named by ``node``)
    lon: float | None = None
    lat: float | None = None
    # report: the citizen who called or walked in (诉求人), the 12345 ticket, the 立案条件 met
    caller_name: str | None = None
    caller_phone: str | None = None
    ticket_no: str | None = None
    condition: str | None = None  # code of one of the category's conditions (domain.catalog.Condition)
    # request: what the department asks for; suspend / request: when a suspension ends by itself
    request: RequestKind | None = None
    until: float | None = None
    # dispatch: assisting departments (协办), besides the lead ``department`` (主办)
    assist: tuple[str, ...] | None = None
    # callback: the citizen's verdict
    satisfaction: Satisfaction | None = None
    # delegate: the level the case is handed down to (2 district, 3 street, 4 community)
    to_level: int | None = None
    # assign: the user id of the person in the department who handles it
    assignee: str | None = None


class Supervision(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    level: int
    reason: str
    due: float
    by: str
    at: float
    reply: str | None = None
    replied_at: float | None = None


class Case(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """One event (事件) as it stands now. Changed only by ``domain.lifecycle.apply``.

    ``gc=False``: a case holds only immutable values (no cycles can pass through it), and a
    client holds ~100k of them; tracked, every full collection walked their 60 fields each
    (~0.3 s on the GUI thread at 36k cases).
    """

    id: str
    node: str  # grid code
    category: str
    urgency: Urgency
    source: Source
    state: State
    version: int
    reported_at: float
    reported_by: str
    description: str = ""
    address: str = ""
    owner_level: int = 3  # Level that owns the case: the street (3) until escalated to 2, 1
    department: str | None = None
    accepted_at: float | None = None
    dispatched_at: float | None = None
    resolved_at: float | None = None
    closed_at: float | None = None
    updated_at: float | None = None
    # SLA clock: starts at dispatch, stops while suspended (the deadline is then
    # recomputed on resume from the remaining amount), extended by the original limit.
    sla_limit: SlaLimit | None = None  # the category's limit for this urgency
    deadline: float | None = None
    warning_at: float | None = None  # when 80% of the limit is used up
    sla_state: SlaState = SlaState.NONE
    suspended_at: float | None = None
    sla_remaining: float | None = None  # amount left when suspended, in the limit's unit
    extension_count: int = 0
    rework_count: int = 0
    return_count: int = 0  # times a department returned it (退回)
    urge_count: int = 0
    last_urged_at: float | None = None
    urge_times: tuple[float, ...] = ()  # urges within the last day, for the rate limit
    supervision: Supervision | None = None
    merged_into: str | None = None
    reason: str | None = None  # last reject / return / suspend reason
    acknowledged_by: str | None = None  # who saw the current alert
    closed_on_time: bool | None = None
    attachments: tuple[Attachment, ...] = ()  # photos and documents, in the order attached
    lon: float | None = None  # where the case is, WGS-84 longitude (degrees east); None when unknown
    lat: float | None = None  # WGS-84 latitude (degrees north)
    caller_name: str = ""  # 诉求人, for hotline and walk-in cases; shown masked to roles that do not need it
    caller_phone: str = ""
    ticket_no: str = ""  # the 12345 工单号 when the case came from the hotline
    condition: str | None = None  # the 立案条件 (domain.catalog.Condition code) the case was filed under
    # The current step's clock when the step is not 处置 (受理, 派遣, 核查); 处置 keeps the
    # classic fields above. ``domain.clocks`` reads both as "the current stage's clock".
    stage_deadline: float | None = None
    stage_warning_at: float | None = None
    stage_sla: SlaState = SlaState.NONE
    stages_late: tuple[ClockStage, ...] = ()  # stages that ran past their limit, in order (for indicators)
    request: Request | None = None  # the department's last request (pending while undecided)
    suspended_until: float | None = None  # a suspension with an end date resumes by itself then
    assists: tuple[Assist, ...] = ()  # 协办 departments; ``department`` is the lead (主办)
    callback: Callback | None = None  # the last 回访
    reopen_count: int = 0  # 重办: times a dissatisfied callback reopened the case
    assignee: str | None = None  # the person in the department who handles it
    assigned_at: float | None = None
    sign_deadline: float | None = None  # 签收 limit when the hub enables assignment
    signed_at: float | None = None
    sign_warning_at: float | None = None  # 80% of the 签收 limit used (domain.clocks.sign_clock)
    sign_sla: SlaState = SlaState.NONE  # the 签收 clock's state: the sweeper ticks it like a step clock


class DomainEvent(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """What happened to a case: one per accepted command or clock tick.

    The hub gives it a sequence number and stores it; ``protocol.FeedEvent``
    carries it to clients together with the case as it stands after. ``gc=False`` as for
    ``Case``: a feed brings thousands a second and ``detail`` holds plain values only.
    """

    kind: Action
    case_id: str
    at: float
    actor: str
    role: Role
    version: int  # the case's version after this event
    detail: dict[str, object] = {}
