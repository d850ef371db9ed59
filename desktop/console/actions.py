"""From an action the operator chose to the dialog that asks for its arguments, and
from a refusal to a sentence the operator understands.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop.console.loop_actions import loop_dialog_for
from domain import protocol as p
from domain.model import Action, Case, State
from domain.rules import Rules
from domain.transitions import MAX_EXTENSIONS, URGE_MAX_PER_WINDOW, URGE_MIN_INTERVAL, recent_urges, urge_wait
from widgets.common.formatting import QT_TRANSLATE_NOOP, arg, time_text
from widgets.console.dialogs import (
    ActionDialog,
    ExtendDialog,
    MergeDialog,
    SuperviseDialog,
    UrgeDialog,
    VerifyDialog,
    simple_dialog,
)
from widgets.console.evidence import require_evidence, stage_label
from widgets.console.loop_dialogs import CoDispatchDialog


def urge_limit(case: Case, now: float) -> tuple[str, bool, str]:
    """The urge dialog's count line, whether urging is blocked right now, and why (one reason,
    agreeing with the count: too soon after the last urge, or the day's urges used up)."""
    recent = recent_urges(case, now)
    wait = urge_wait(case, now)
    count = arg(QCoreApplication.translate("Actions", "Urged %1/%2 today"), len(recent),  # 今日已催办 %1/%2 次
                URGE_MAX_PER_WINDOW)
    if wait <= 0:
        return count, False, ""
    at = time_text(now + wait, "%H:%M")
    if len(recent) >= URGE_MAX_PER_WINDOW:
        # zh: 今日 %1 次催办已用完，%2 后可再次催办
        why = arg(QCoreApplication.translate("Actions", "All %1 urges of the day used; next urge possible at %2"),
                  URGE_MAX_PER_WINDOW, at)
    else:
        # zh: 距上次催办不足 %1 分钟，%2 后可再次催办
        why = arg(QCoreApplication.translate("Actions", "Less than %1 minutes since the last urge; next urge "
                                                        "possible at %2"), round(URGE_MIN_INTERVAL / 60), at)
    return count, True, why


def deadline_text(case: Case, rules: Rules, now: float) -> str:
    """For the dispatch dialog's 处置时限 row: the deadline it would give if sent now (the row's
    label already says "Deadline"), or the running one of a redispatch."""
    if case.deadline is not None:  # a redispatch keeps the running clock
        # zh: %1（已在计时）
        return arg(QCoreApplication.translate("Actions", "%1 (clock already running)"), time_text(case.deadline))
    limit = rules.limit(case.category, case.urgency)
    return time_text(rules.deadline(now, limit))


def dialog_for(action: Action, case: Case, *, directory, rules: Rules, now: float, exists=None,
               parent: QWidget | None = None) -> ActionDialog:
    """The dialog for ``action`` on ``case``, naming the case (number, category, place)."""
    dialog = _dialog_for(action, case, directory=directory, rules=rules, now=now, exists=exists, parent=parent)
    summary = " · ".join(part for part in (directory.category_name(case.category), directory.node_path(case.node),
                                           case.description) if part)
    dialog.set_subject(case.id, summary)
    evidence = getattr(rules, "evidence", None)
    required = evidence.required(case.category, action) if evidence else ()
    if required:  # the catalog's evidence rules: shown, and OK held until the photos are in
        have = {a.stage for a in case.attachments}
        applies = (lambda: dialog.pass_radio.isChecked()) if action is Action.VERIFY else None
        require_evidence(dialog, [(stage, stage in have) for stage in required], applies)
    return dialog


def _dialog_for(action: Action, case: Case, *, directory, rules: Rules, now: float, exists=None,
                parent: QWidget | None = None) -> ActionDialog:
    if action is Action.DISPATCH:
        category = rules.catalog.categories.get(case.category)
        choices = directory.department_choices()
        default = category.default_department if category else None
        if default not in dict(choices):
            default = None
        return CoDispatchDialog(choices, default, deadline_text(case, rules, now), parent,
                                redispatch=case.state is State.RETURNED, return_reason=case.reason or "")
    loop = loop_dialog_for(action, case, now=now, parent=parent)
    if loop is not None:
        return loop
    if action is Action.SUPERVISE:
        return SuperviseDialog(now, parent)
    if action is Action.URGE:
        text, limited, why = urge_limit(case, now)
        return UrgeDialog(text, limited, parent, blocked_reason=why)
    if action is Action.VERIFY:
        return VerifyDialog(case.description, parent)
    if action is Action.MERGE:
        return MergeDialog(case.id, exists, parent)
    if action is Action.EXTEND:  # says how many are used, and refuses when none is left
        # zh: 已延期 %1/%2 次
        used = arg(QCoreApplication.translate("Actions", "Extended %1/%2 times"), case.extension_count,
                   MAX_EXTENSIONS)
        return ExtendDialog(used, parent, limited=case.extension_count >= MAX_EXTENSIONS)
    return simple_dialog(action, "", parent)


_EXPLAIN = {
    # 该事件已被他人更新，已显示最新内容，请核对后重试。
    p.ErrorCode.CONFLICT: QT_TRANSLATE_NOOP(
        "Actions", "Someone changed this case first; it now shows the latest version. Check it and try again."
    ),
    # 无权操作：事件不在您的辖区或超出您的角色权限。
    p.ErrorCode.FORBIDDEN: QT_TRANSLATE_NOOP(
        "Actions", "You may not do this: the case is outside your jurisdiction or your role."
    ),
    # 当前状态下不能执行此操作。
    p.ErrorCode.ILLEGAL_TRANSITION: QT_TRANSLATE_NOOP(
        "Actions", "This step is not possible in the case's current state."
    ),
    # 信息不完整或有误：%1
    p.ErrorCode.INVALID: QT_TRANSLATE_NOOP("Actions", "Some information is missing or wrong: %1"),
    # 催办过于频繁：%1 分钟后可再次催办。
    p.ErrorCode.RATE_LIMITED: QT_TRANSLATE_NOOP("Actions", "Too soon: this case can be urged again in %1 minutes."),
    # 该事件在平台上不存在。
    p.ErrorCode.NOT_FOUND: QT_TRANSLATE_NOOP("Actions", "The case no longer exists on the hub."),
    # 已达到该操作的次数上限。
    p.ErrorCode.LIMIT_EXCEEDED: QT_TRANSLATE_NOOP("Actions", "The limit for this action has been reached."),
    # 缺少所需照片：%1。请先上传。
    p.ErrorCode.EVIDENCE_REQUIRED: QT_TRANSLATE_NOOP("Actions", "Photos are missing: %1. Attach them first."),
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
    if code is p.ErrorCode.EVIDENCE_REQUIRED:
        return arg(text, "、".join(stage_label(s) for s in detail.get("missing", ())))
    if code is p.ErrorCode.INVALID:
        return arg(text, detail.get("field") or message)
    return text
