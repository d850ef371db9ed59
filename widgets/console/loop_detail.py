"""How the case detail shows the practised loop's fields: the current step's clock, the
department's request and its answer, the assisting departments with their feedback, the
callback, 重办 and the person assigned. Names, never codes.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from domain.clocks import stage_clock
from domain.model import Case, SlaState
from widgets.common.formatting import QT_TRANSLATE_NOOP, arg, duration_text, time_text
from widgets.common.names import Names, clock_stage_label, request_label, satisfaction_label, sla_label
from widgets.console.loop_dialogs import request_text

#: Labels of the loop's Case fields (context CaseDetail, like the others).
LOOP_FIELD_LABELS: dict[str, str] = {
    "stage_deadline": QT_TRANSLATE_NOOP("CaseDetail", "Current step"),  # 当前环节
    "stage_warning_at": QT_TRANSLATE_NOOP("CaseDetail", "Step warning at"),  # 环节预警时间
    "stage_sla": QT_TRANSLATE_NOOP("CaseDetail", "Step clock"),  # 环节时限状态
    "stages_late": QT_TRANSLATE_NOOP("CaseDetail", "Steps run late"),  # 超时环节
    "request": QT_TRANSLATE_NOOP("CaseDetail", "Request"),  # 审批事项
    "suspended_until": QT_TRANSLATE_NOOP("CaseDetail", "Suspended until"),  # 挂账至
    "assists": QT_TRANSLATE_NOOP("CaseDetail", "Assisting departments"),  # 协办部门
    "callback": QT_TRANSLATE_NOOP("CaseDetail", "Callback"),  # 回访
    "reopen_count": QT_TRANSLATE_NOOP("CaseDetail", "Reopened"),  # 重办次数
    "assignee": QT_TRANSLATE_NOOP("CaseDetail", "Handler"),  # 承办人
    "assigned_at": QT_TRANSLATE_NOOP("CaseDetail", "Assigned at"),  # 指派时间
    "sign_deadline": QT_TRANSLATE_NOOP("CaseDetail", "Sign by"),  # 签收时限
    "signed_at": QT_TRANSLATE_NOOP("CaseDetail", "Signed at"),  # 签收时间
    "sign_warning_at": QT_TRANSLATE_NOOP("CaseDetail", "Sign warning at"),  # 签收预警时间
    "sign_sla": QT_TRANSLATE_NOOP("CaseDetail", "Sign clock"),  # 签收时限状态
    "caller_name": QT_TRANSLATE_NOOP("CaseDetail", "Caller"),  # 诉求人
    "caller_phone": QT_TRANSLATE_NOOP("CaseDetail", "Caller's phone"),  # 联系电话
    "ticket_no": QT_TRANSLATE_NOOP("CaseDetail", "12345 ticket"),  # 12345工单号
    "condition": QT_TRANSLATE_NOOP("CaseDetail", "Filing condition"),  # 立案条件
}


#: Loop fields shown right after the department (where an operator looks), in this order.
FRONT_FIELDS = ("stage_deadline", "request", "assists", "callback", "reopen_count", "assignee", "caller_name",
                "caller_phone", "ticket_no")


def detail_order(fields: tuple[str, ...]) -> list[str]:
    """The Case fields in the detail's order: the loop's facts beside the department, the rest as declared."""
    rest = [f for f in fields if f not in FRONT_FIELDS]
    at = rest.index("department") + 1 if "department" in rest else len(rest)
    return rest[:at] + [f for f in FRONT_FIELDS if f in fields] + rest[at:]


def clock_line(case: Case, now: float | None = None) -> str:
    """The current step, its deadline and its state: 受理 · 截止 10:15 · 预警."""
    clock = stage_clock(case)
    if clock is None:
        return ""
    due = QCoreApplication.translate("CaseDetail", "due %1")  # 截止 %1
    parts = [clock_stage_label(clock.stage), arg(due, time_text(clock.deadline, "%m-%d %H:%M"))]
    if now is not None and clock.running:
        left = clock.deadline - now
        parts.append(arg(QCoreApplication.translate("CaseDetail", "%1 left"), duration_text(left)) if left >= 0 else
                     arg(QCoreApplication.translate("CaseDetail", "overdue %1"), duration_text(-left)))
    parts.append(sla_label(clock.state))
    return " · ".join(parts)


def loop_field_text(case: Case, field: str, names: Names) -> str | None:
    """The detail's text of a loop field; None for a field this module does not own."""
    if field == "stage_deadline":
        return clock_line(case)
    if field in ("stage_warning_at", "stage_sla"):
        return ""  # folded into the current step's line
    if field == "stages_late":
        return "、".join(clock_stage_label(s) for s in case.stages_late)
    if field == "request":
        return request_text(case)
    if field == "assists":
        return "；".join(_assist_text(a, names) for a in case.assists)
    if field == "callback":
        cb = case.callback
        if cb is None:
            return ""
        text = f"{satisfaction_label(cb.satisfaction)} · {time_text(cb.at, '%Y-%m-%d %H:%M')}"
        return f"{text} · {cb.message}" if cb.message else text
    if field == "reopen_count":
        return str(case.reopen_count) if case.reopen_count else ""
    if field == "assignee":  # the handler by name when the app knows it (users_request), else the id
        if not case.assignee:
            return ""
        user_name = getattr(names, "user_name", None)
        return user_name(case.assignee) if user_name is not None else case.assignee
    if field == "sign_deadline":  # the 签收 clock on one line: 签收时限 10:30 · 超期
        if case.sign_deadline is None:
            return ""
        text = time_text(case.sign_deadline, "%m-%d %H:%M")
        return f"{text} · {sla_label(case.sign_sla)}" if case.sign_sla in _ALERT else text
    if field in ("sign_warning_at", "sign_sla"):
        return ""  # folded into the 签收 line
    return None


_ALERT = (SlaState.WARNING, SlaState.OVERDUE)


def _assist_text(assist, names: Names) -> str:
    name = names.department_name(assist.department)
    if assist.report is not None:
        # zh: %1：已反馈（%2）
        return arg(QCoreApplication.translate("CaseDetail", "%1: reported (%2)"), name, assist.report)
    if assist.signed_at is not None:
        return arg(QCoreApplication.translate("CaseDetail", "%1: signed, feedback due"), name)  # %1：已签收，待反馈
    return arg(QCoreApplication.translate("CaseDetail", "%1: not yet signed"), name)  # %1：未签收



def loop_event_text(detail: dict, names: Names) -> list[str]:
    """Timeline words for the loop's event details: the step that warned, a decision, a verdict, 协办."""
    parts = []
    stage = detail.get("stage")
    if stage:
        parts.append(clock_stage_label(str(stage)))
    kind = detail.get("request")
    if kind:
        label = request_label(str(kind))
        approved = detail.get("approved")
        if approved is True:
            parts.append(arg(QCoreApplication.translate("CaseDetail", "%1 approved"), label))  # %1已批准
        elif approved is False:
            parts.append(arg(QCoreApplication.translate("CaseDetail", "%1 refused"), label))  # %1已驳回
        else:
            parts.append(arg(QCoreApplication.translate("CaseDetail", "asks for %1"), label))  # 申请%1
    verdict = detail.get("satisfaction")
    if verdict:
        parts.append(satisfaction_label(str(verdict)))
    assist = detail.get("assist")
    if assist:
        names_text = "、".join(names.department_name(str(code)) for code in assist)
        parts.append(arg(QCoreApplication.translate("CaseDetail", "assisted by %1"), names_text))  # 协办：%1
    return parts
