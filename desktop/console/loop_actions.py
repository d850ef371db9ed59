"""The practised loop's dialogs with what the app knows: the request to decide, the caller
to call back, the levels a case can be handed down to, what a department may ask for, and
the department's people to assign to (asked of the hub: ``desktop.console.people``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from domain.arguments import BOTTOM_OWNER_LEVEL
from domain.lifecycle import requestable_kinds
from domain.model import Action, Case
from widgets.common.formatting import arg
from widgets.console.case_detail import LEVEL_LABELS
from widgets.console.dialogs import ActionDialog, ConfirmDialog, MessageDialog
from widgets.console.loop_dialogs import (
    ApproveDialog,
    AssignDialog,
    CallbackDialog,
    DelegateDialog,
    RejectRequestDialog,
    RequestDialog,
    request_text,
)


def caller_text(case: Case) -> str:
    """Who to call back: the caller's name and phone as the case holds them."""
    who = " ".join(part for part in (case.caller_name, case.caller_phone) if part)
    return arg(QCoreApplication.translate("Actions", "Call %1"), who) if who else ""  # 回访 %1


def loop_dialog_for(action: Action, case: Case, *, now: float, parent: QWidget | None = None) -> ActionDialog | None:
    """The dialog of a loop action on ``case``, or None for the other actions."""
    if action is Action.APPROVE:
        return ApproveDialog(request_text(case), parent)
    if action is Action.REJECT_REQUEST:
        return RejectRequestDialog(request_text(case), parent)
    if action is Action.CALLBACK:
        return CallbackDialog(caller_text(case), parent)
    if action is Action.DELEGATE:
        levels = [(level, QCoreApplication.translate("CaseDetail", LEVEL_LABELS[level]))
                  for level in range(max(2, case.owner_level + 1), BOTTOM_OWNER_LEVEL + 1)]
        return DelegateDialog(levels, "", parent)
    if action is Action.REQUEST:
        return RequestDialog(requestable_kinds(case, now), now, request_text(case), parent)
    if action is Action.ASSIGN:
        return AssignDialog("", parent, current=case.assignee)
    if action is Action.ASSIST_SIGN:
        return ConfirmDialog(action, "", parent)
    if action is Action.ASSIST_REPORT:
        return MessageDialog(action, "", parent)
    return None

