"""How widgets turn codes and enum values into words.

The app owns the catalog and the hierarchy, so it hands widgets a ``Names`` object
(any object with the four lookups below). Enum labels are English source strings
marked with ``QT_TRANSLATE_NOOP`` and translated at call time, so lupdate finds them
and the zh_CN translation (the default) shows the Chinese noted beside each one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication

from domain.hierarchy import Hierarchy, lineage
from domain.model import Action, ClockStage, RequestKind, Role, Satisfaction, SlaState, Source, State, Urgency
from widgets.common.formatting import QT_TRANSLATE_NOOP

_CTX = "Names"


@runtime_checkable
class Names(Protocol):
    """Lookups the app provides; each returns the code itself when it does not know it."""

    def category_name(self, code: str) -> str: ...

    def node_name(self, code: str) -> str: ...

    def node_path(self, code: str) -> str: ...

    def department_name(self, code: str) -> str: ...


class MappingNames:
    """A ``Names`` over plain dicts and an optional hierarchy (for tests, demos and the lead).

    ``path_from`` is the code whose name starts every path (the jurisdiction root),
    so a street operator reads 某社区 / 某网格 rather than the province onwards.
    """

    def __init__(
        self,
        categories: Mapping[str, str] | None = None,
        hierarchy: Hierarchy | None = None,
        departments: Mapping[str, str] | None = None,
        path_from: str = "",
        separator: str = " / ",
    ) -> None:
        self._categories = dict(categories or {})
        self._hierarchy = hierarchy
        self._departments = dict(departments or {})
        self._path_from = path_from
        self._separator = separator

    def category_name(self, code: str) -> str:
        return self._categories.get(code, code)

    def node_name(self, code: str) -> str:
        return self._hierarchy.name(code) if self._hierarchy is not None else code

    def node_path(self, code: str) -> str:
        if self._hierarchy is None:
            return code
        codes = [c for c in lineage(code) if c in self._hierarchy and len(c) >= len(self._path_from)]
        return self._separator.join(self._hierarchy.name(c) for c in codes) or code

    def department_name(self, code: str) -> str:
        return self._departments.get(code, code)


STATE_LABELS: dict[State, str] = {
    State.REPORTED: QT_TRANSLATE_NOOP("Names", "Reported"),  # 待受理
    State.ACCEPTED: QT_TRANSLATE_NOOP("Names", "Accepted"),  # 已立案
    State.REJECTED: QT_TRANSLATE_NOOP("Names", "Rejected"),  # 不予立案
    State.MERGED: QT_TRANSLATE_NOOP("Names", "Merged"),  # 重复合并
    State.SELF_RESOLVED: QT_TRANSLATE_NOOP("Names", "Self-resolved"),  # 就地解决
    State.DISPATCHED: QT_TRANSLATE_NOOP("Names", "Dispatched"),  # 已派遣
    State.IN_PROGRESS: QT_TRANSLATE_NOOP("Names", "In progress"),  # 处置中
    State.RETURNED: QT_TRANSLATE_NOOP("Names", "Returned"),  # 退回
    State.SUSPENDED: QT_TRANSLATE_NOOP("Names", "Suspended"),  # 挂账
    State.RESOLVED: QT_TRANSLATE_NOOP("Names", "Resolved"),  # 处置完成
    State.CLOSED: QT_TRANSLATE_NOOP("Names", "Closed"),  # 结案
}

URGENCY_LABELS: dict[Urgency, str] = {
    Urgency.NORMAL: QT_TRANSLATE_NOOP("Names", "Normal"),  # 一般
    Urgency.URGENT: QT_TRANSLATE_NOOP("Names", "Urgent"),  # 紧急
    Urgency.CRITICAL: QT_TRANSLATE_NOOP("Names", "Critical"),  # 特急
}

SOURCE_LABELS: dict[Source, str] = {
    Source.GRID_WORKER: QT_TRANSLATE_NOOP("Names", "Grid worker"),  # 网格员上报
    Source.RESIDENT: QT_TRANSLATE_NOOP("Names", "Resident"),  # 群众反映
    Source.HOTLINE: QT_TRANSLATE_NOOP("Names", "12345 hotline"),  # 12345 热线
    Source.VIDEO: QT_TRANSLATE_NOOP("Names", "Video patrol"),  # 视频巡查
    Source.MEETING: QT_TRANSLATE_NOOP("Names", "Residents' meeting"),  # 网格自管会
}

SLA_LABELS: dict[SlaState, str] = {
    SlaState.NONE: QT_TRANSLATE_NOOP("Names", "No clock"),  # 未计时
    SlaState.OK: QT_TRANSLATE_NOOP("Names", "On track"),  # 正常
    SlaState.WARNING: QT_TRANSLATE_NOOP("Names", "Warning"),  # 预警
    SlaState.OVERDUE: QT_TRANSLATE_NOOP("Names", "Overdue"),  # 超期
}

ACTION_LABELS: dict[Action, str] = {
    Action.REPORT: QT_TRANSLATE_NOOP("Names", "Report"),  # 上报
    Action.ACCEPT: QT_TRANSLATE_NOOP("Names", "Accept"),  # 受理立案
    Action.REJECT: QT_TRANSLATE_NOOP("Names", "Reject"),  # 不予立案
    Action.MERGE: QT_TRANSLATE_NOOP("Names", "Merge"),  # 合并
    Action.SELF_RESOLVE: QT_TRANSLATE_NOOP("Names", "Self-resolve"),  # 就地解决
    Action.DISPATCH: QT_TRANSLATE_NOOP("Names", "Dispatch"),  # 派遣
    Action.SIGN: QT_TRANSLATE_NOOP("Names", "Sign for"),  # 签收
    Action.RETURN: QT_TRANSLATE_NOOP("Names", "Return"),  # 退回
    Action.RESOLVE: QT_TRANSLATE_NOOP("Names", "Resolve"),  # 处置完成
    Action.SUSPEND: QT_TRANSLATE_NOOP("Names", "Suspend"),  # 挂账
    Action.RESUME: QT_TRANSLATE_NOOP("Names", "Resume"),  # 恢复处置
    Action.VERIFY: QT_TRANSLATE_NOOP("Names", "Verify"),  # 核实
    Action.SUPERVISE: QT_TRANSLATE_NOOP("Names", "Supervise"),  # 督办
    Action.REPLY_SUPERVISION: QT_TRANSLATE_NOOP("Names", "Reply to supervision"),  # 督办反馈
    Action.URGE: QT_TRANSLATE_NOOP("Names", "Urge"),  # 催办
    Action.ESCALATE: QT_TRANSLATE_NOOP("Names", "Escalate"),  # 上报上级
    Action.EXTEND: QT_TRANSLATE_NOOP("Names", "Extend"),  # 延期
    Action.ACKNOWLEDGE: QT_TRANSLATE_NOOP("Names", "Acknowledge"),  # 确认已阅
    Action.ATTACH: QT_TRANSLATE_NOOP("Names", "Attach photo"),  # 添加照片
    Action.SLA_WARNING: QT_TRANSLATE_NOOP("Names", "SLA warning"),  # 时限预警
    Action.SLA_OVERDUE: QT_TRANSLATE_NOOP("Names", "SLA overdue"),  # 时限超期
    Action.CALLBACK: QT_TRANSLATE_NOOP("Names", "Call back"),  # 回访
    Action.REQUEST: QT_TRANSLATE_NOOP("Names", "Request approval"),  # 提出申请
    Action.APPROVE: QT_TRANSLATE_NOOP("Names", "Approve"),  # 批准
    Action.REJECT_REQUEST: QT_TRANSLATE_NOOP("Names", "Refuse request"),  # 驳回申请
    Action.ASSIST_SIGN: QT_TRANSLATE_NOOP("Names", "Sign as assistant"),  # 协办签收
    Action.ASSIST_REPORT: QT_TRANSLATE_NOOP("Names", "Assistant feedback"),  # 协办反馈
    Action.DELEGATE: QT_TRANSLATE_NOOP("Names", "Hand down"),  # 下派
    Action.ASSIGN: QT_TRANSLATE_NOOP("Names", "Assign"),  # 指派
}

REQUEST_LABELS: dict[RequestKind, str] = {
    RequestKind.EXTEND: QT_TRANSLATE_NOOP("Names", "Extension"),  # 延期
    RequestKind.SUSPEND: QT_TRANSLATE_NOOP("Names", "Suspension"),  # 挂账
    RequestKind.RETURN: QT_TRANSLATE_NOOP("Names", "Return"),  # 退单
}
SATISFACTION_LABELS: dict[Satisfaction, str] = {
    Satisfaction.SATISFIED: QT_TRANSLATE_NOOP("Names", "Satisfied"),  # 满意
    Satisfaction.FAIRLY_SATISFIED: QT_TRANSLATE_NOOP("Names", "Fairly satisfied"),  # 基本满意
    Satisfaction.DISSATISFIED: QT_TRANSLATE_NOOP("Names", "Dissatisfied"),  # 不满意
}
CLOCK_STAGE_LABELS: dict[ClockStage, str] = {
    ClockStage.ACCEPT: QT_TRANSLATE_NOOP("Names", "Acceptance"),  # 受理
    ClockStage.DISPATCH: QT_TRANSLATE_NOOP("Names", "Dispatching"),  # 派遣
    ClockStage.HANDLE: QT_TRANSLATE_NOOP("Names", "Handling"),  # 处置
    ClockStage.VERIFY: QT_TRANSLATE_NOOP("Names", "Verification"),  # 核查
    ClockStage.SIGN: QT_TRANSLATE_NOOP("Names", "Signing"),  # 签收
}


ROLE_LABELS: dict[Role, str] = {
    Role.OPERATOR: QT_TRANSLATE_NOOP("Names", "Operator"),  # 值班员
    Role.SUPERVISOR: QT_TRANSLATE_NOOP("Names", "Supervisor"),  # 督查员
    Role.WALL: QT_TRANSLATE_NOOP("Names", "Wall display"),  # 大屏
    Role.TRAINER: QT_TRANSLATE_NOOP("Names", "Trainer"),  # 培训师
    Role.DEPARTMENT: QT_TRANSLATE_NOOP("Names", "Department"),  # 职能部门
    Role.GRID_WORKER: QT_TRANSLATE_NOOP("Names", "Grid worker"),  # 网格员
    Role.ADMIN: QT_TRANSLATE_NOOP("Names", "Administrator"),  # 管理员
    Role.SYSTEM: QT_TRANSLATE_NOOP("Names", "System"),  # 系统
}


def _label(table: Mapping, kind: str, value: object) -> str:
    try:
        source = table[value]
    except KeyError:
        raise ValueError(f"no {kind} label for {value!r}; expected one of {[v.value for v in table]}") from None
    return QCoreApplication.translate(_CTX, source)


def state_label(state: State | str) -> str:
    return _label(STATE_LABELS, "state", _coerce(State, state))


def urgency_label(urgency: Urgency | str) -> str:
    return _label(URGENCY_LABELS, "urgency", _coerce(Urgency, urgency))


def source_label(source: Source | str) -> str:
    return _label(SOURCE_LABELS, "source", _coerce(Source, source))


def sla_label(sla: SlaState | str) -> str:
    return _label(SLA_LABELS, "SLA state", _coerce(SlaState, sla))


def role_label(role: Role | str) -> str:
    return _label(ROLE_LABELS, "role", _coerce(Role, role))


def action_label(action: Action | str) -> str:
    return _label(ACTION_LABELS, "action", _coerce(Action, action))


def request_label(kind: RequestKind | str) -> str:
    return _label(REQUEST_LABELS, "request", _coerce(RequestKind, kind))


def satisfaction_label(value: Satisfaction | str) -> str:
    return _label(SATISFACTION_LABELS, "satisfaction", _coerce(Satisfaction, value))


def clock_stage_label(stage: ClockStage | str) -> str:
    return _label(CLOCK_STAGE_LABELS, "stage", _coerce(ClockStage, stage))


def _coerce(enum_type, value):
    """Accept the enum or its wire value; anything else is reported by ``_label``."""
    try:
        return enum_type(value)
    except ValueError:
        return value
