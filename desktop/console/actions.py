"""From an action the operator chose to the dialog that asks for its arguments, and
from a refusal to a sentence the operator understands.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

from domain import protocol as p
from domain.model import Action, Case, State
from domain.rules import Rules
from domain.transitions import URGE_MAX_PER_WINDOW, recent_urges, urge_wait
from widgets.common.formatting import arg, time_text
from widgets.console.dialogs import (
    ActionDialog,
    DispatchDialog,
    MergeDialog,
    SuperviseDialog,
    UrgeDialog,
    VerifyDialog,
    simple_dialog,
)


def urge_limit(case: Case, now: float) -> tuple[str, bool]:
    """The text the urge dialog shows, and whether urging is blocked right now."""
    recent = recent_urges(case, now)
    wait = urge_wait(case, now)
    if wait > 0:
        # 今日已催办 %1/%2，下次可催办时间 %3
        text = arg(QCoreApplication.translate("Actions", "Urged %1/%2 today; next urge possible at %3"), len(recent), URGE_MAX_PER_WINDOW,
                   time_text(now + wait, "%H:%M"))
        return text, True
    return arg(QCoreApplication.translate("Actions", "Urged %1/%2 today"), len(recent), URGE_MAX_PER_WINDOW), False  # 今日已催办 %1/%2


def deadline_text(case: Case, rules: Rules, now: float) -> str:
    """For the dispatch dialog: the SLA limit and the deadline it would give if sent now."""
    if case.deadline is not None:  # a redispatch keeps the running clock
        return arg(QCoreApplication.translate("Actions", "Deadline %1 (clock already running)"), time_text(case.deadline))  # 时限 %1（已计时）
    limit = rules.limit(case.category, case.urgency)
    return arg(QCoreApplication.translate("Actions", "Deadline %1"), time_text(rules.deadline(now, limit)))  # 处置时限 %1


def dialog_for(action: Action, case: Case, *, directory, rules: Rules, now: float, exists=None,
               parent: QWidget | None = None) -> ActionDialog:
    """The dialog for ``action`` on ``case``, naming the case (number, category, place)."""
    dialog = _dialog_for(action, case, directory=directory, rules=rules, now=now, exists=exists, parent=parent)
    summary = " · ".join(part for part in (directory.category_name(case.category), directory.node_path(case.node),
                                           case.description) if part)
    dialog.set_subject(case.id, summary)
    return dialog


def _dialog_for(action: Action, case: Case, *, directory, rules: Rules, now: float, exists=None,
                parent: QWidget | None = None) -> ActionDialog:
    if action is Action.DISPATCH:
        category = rules.catalog.categories.get(case.category)
        choices = directory.department_choices()
        default = category.default_department if category else None
        if default not in dict(choices):
            default = None
        return DispatchDialog(choices, default, deadline_text(case, rules, now), parent,
                              redispatch=case.state is State.RETURNED, return_reason=case.reason or "")
    if action is Action.SUPERVISE:
        return SuperviseDialog(now, parent)
    if action is Action.URGE:
        text, limited = urge_limit(case, now)
        return UrgeDialog(text, limited, parent)
    if action is Action.VERIFY:
        return VerifyDialog(case.description, parent)
    if action is Action.MERGE:
        return MergeDialog(case.id, exists, parent)
    return simple_dialog(action, "", parent)


_EXPLAIN = {
    p.ErrorCode.CONFLICT: QT_TRANSLATE_NOOP("Actions", "Someone changed this case first; it now shows the latest version. Check it and try again."),
    # 该事件已被他人更新，已显示最新内容，请核对后重试。
    p.ErrorCode.FORBIDDEN: QT_TRANSLATE_NOOP("Actions", "You may not do this: the case is outside your jurisdiction or your role."),
    # 无权操作：事件不在您的辖区或超出您的角色权限。
    p.ErrorCode.ILLEGAL_TRANSITION: QT_TRANSLATE_NOOP("Actions", "This step is not possible in the case's current state."),
    # 当前状态下不能执行此操作。
    p.ErrorCode.INVALID: QT_TRANSLATE_NOOP("Actions", "Some information is missing or wrong: %1"),  # 信息不完整或有误：%1
    p.ErrorCode.RATE_LIMITED: QT_TRANSLATE_NOOP("Actions", "Too soon: this case can be urged again in %1 minutes."),  # 催办过于频繁：%1 分钟后可再次催办。
    p.ErrorCode.NOT_FOUND: QT_TRANSLATE_NOOP("Actions", "The case no longer exists on the hub."),  # 该事件在平台上不存在。
    p.ErrorCode.LIMIT_EXCEEDED: QT_TRANSLATE_NOOP("Actions", "The limit for this action has been reached."),  # 已达到该操作的次数上限。
}


def explain(code: p.ErrorCode, message: str, detail: dict | None = None) -> str:
    """A refusal in plain words (Chinese through the translation)."""
    detail = detail or {}
    template = _EXPLAIN.get(code)
    if template is None:
        return arg(QCoreApplication.translate("Actions", "The hub refused: %1"), message)  # 平台拒绝了操作：%1
    text = QCoreApplication.translate("Actions", template)
    if code is p.ErrorCode.RATE_LIMITED:
        return arg(text, max(1, round(float(detail.get("retry_after", 60)) / 60)))
    if code is p.ErrorCode.INVALID:
        return arg(text, detail.get("field") or message)
    return text
