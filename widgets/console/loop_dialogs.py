"""Dialogs of the practised loop: decide a department's request, call the citizen back,
hand a case down, ask for approval, assign, and dispatch with assisting departments.

Like ``widgets.console.dialogs``: each returns ``domain.model.Args``, OK stays disabled
with a line saying what is missing, and Ctrl+Enter sends.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from domain.model import Action, Args, RequestKind, Satisfaction
from widgets.common.formatting import arg, time_text
from widgets.common.names import request_label, satisfaction_label
from widgets.console.dialogs import ActionDialog, DispatchDialog, ReasonDialog

DAY = 86400.0


class ApproveDialog(ActionDialog):
    """批准: ``info`` shows the request (kind, reason, end date); an optional note."""

    action = Action.APPROVE

    def __init__(self, info: str = "", parent: QWidget | None = None):
        super().__init__(parent, info)
        self.message_edit = self._text_edit(self.tr("Note (optional)"))  # 批示（可选）
        self.revalidate()

    def build_args(self) -> Args:
        text = self.message_edit.toPlainText().strip()
        return Args(message=text or None)


class RejectRequestDialog(ReasonDialog):
    """驳回申请: the reason is required and the department sees it."""

    def __init__(self, info: str = "", parent: QWidget | None = None):
        super().__init__(Action.REJECT_REQUEST, info, parent)


class CallbackDialog(ActionDialog):
    """回访: the citizen's verdict; 不满意 reopens the case and needs a reason."""

    action = Action.CALLBACK

    def __init__(self, info: str = "", parent: QWidget | None = None):
        super().__init__(parent, info)
        self.radios: dict[Satisfaction, QRadioButton] = {}
        group = QButtonGroup(self)
        for value in Satisfaction:
            radio = QRadioButton(satisfaction_label(value), self)
            radio.setObjectName(f"callback_{value.value}")
            group.addButton(radio)
            radio.toggled.connect(self._mode_changed)
            self.radios[value] = radio
            self.form.addRow(radio)
        self.radios[Satisfaction.SATISFIED].setChecked(True)
        self.message_edit = self._text_edit(self.tr("What the citizen said"))  # 群众意见
        self._mode_changed()

    def verdict(self) -> Satisfaction:
        return next(v for v, r in self.radios.items() if r.isChecked())

    def _mode_changed(self) -> None:
        if hasattr(self, "message_edit"):
            self.revalidate()

    def problem(self) -> str | None:
        if self.verdict() is Satisfaction.DISSATISFIED:
            # zh: 不满意将重办，请填写原因
            return self._text_problem(self.message_edit, self.tr("Dissatisfied reopens the case: enter why"))
        return None

    def build_args(self) -> Args:
        text = self.message_edit.toPlainText().strip()
        if self.verdict() is Satisfaction.DISSATISFIED:
            return Args(satisfaction=Satisfaction.DISSATISFIED, reason=text)
        return Args(satisfaction=self.verdict(), message=text or None)


class DelegateDialog(ActionDialog):
    """下派: a lower level than the owner's (district, street, community) and a reason."""

    action = Action.DELEGATE

    def __init__(self, levels: Sequence[tuple[int, str]], info: str = "", parent: QWidget | None = None):
        super().__init__(parent, info)
        self.level_combo = QComboBox(self)
        for level, name in levels:
            self.level_combo.addItem(name, level)
        self.form.addRow(self.tr("Hand down to"), self.level_combo)  # 下派至
        self.reason_edit = self._text_edit(self.tr("Reason"))
        self.revalidate()

    def problem(self) -> str | None:
        if self.level_combo.count() == 0:
            return self.tr("No lower level to hand down to")  # 无可下派的层级
        return self._text_problem(self.reason_edit, self.tr("Enter a reason"))

    def build_args(self) -> Args:
        return Args(to_level=self.level_combo.currentData(), reason=self.reason_edit.toPlainText().strip())


class RequestDialog(ActionDialog):
    """申请 (a department): extension, suspension until a day, or return; with a reason."""

    action = Action.REQUEST

    def __init__(self, kinds: Sequence[RequestKind], now: float, info: str = "", parent: QWidget | None = None):
        super().__init__(parent, info)
        self._now = now
        self.kind_combo = QComboBox(self)
        for kind in kinds:
            self.kind_combo.addItem(request_label(kind), kind.value)
        self.form.addRow(self.tr("Request"), self.kind_combo)  # 申请事项
        self.days_spin = QSpinBox(self)
        self.days_spin.setRange(1, 90)
        self.days_spin.setValue(3)
        self.days_spin.setSuffix(self.tr(" days"))  # 天
        self.form.addRow(self.tr("Suspend for"), self.days_spin)  # 挂账天数
        self.reason_edit = self._text_edit(self.tr("Reason"))
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def kind(self) -> RequestKind | None:
        data = self.kind_combo.currentData()
        return RequestKind(data) if data else None

    def _kind_changed(self) -> None:
        self.days_spin.setEnabled(self.kind() is RequestKind.SUSPEND)
        self.revalidate()

    def problem(self) -> str | None:
        if self.kind() is None:
            return self.tr("Nothing can be requested now")  # 当前无可申请事项
        return self._text_problem(self.reason_edit, self.tr("Enter a reason"))

    def build_args(self) -> Args:
        kind = self.kind()
        until = self._now + self.days_spin.value() * DAY if kind is RequestKind.SUSPEND else None
        return Args(request=kind, reason=self.reason_edit.toPlainText().strip(), until=until)


class AssignDialog(ActionDialog):
    """指派: pick the handler by name from the department's people (the app fills them in when
    the hub answers, see ``set_people``); OK sends the chosen person's user id."""

    action = Action.ASSIGN

    def __init__(self, info: str = "", parent: QWidget | None = None,
                 people: Sequence[tuple[str, str]] | None = None, current: str | None = None):
        super().__init__(parent, info)
        self._current = current
        self._failed = ""
        self.people_combo = QComboBox(self)
        self.people_combo.setObjectName("assigneeCombo")
        self.people_combo.currentIndexChanged.connect(self.revalidate)
        self.form.addRow(self.tr("Handler"), self.people_combo)  # 承办人
        self._loaded = False
        if people is not None:
            self.set_people(people)
        self.revalidate()

    def set_people(self, people: Sequence[tuple[str, str]]) -> None:
        """The department's people as (user id, name), in the order to show; names shown, ids sent."""
        self._loaded, self._failed = True, ""
        names = [name for _, name in people]
        self.people_combo.blockSignals(True)
        self.people_combo.clear()
        for user_id, name in people:
            text = name if names.count(name) == 1 else f"{name} ({user_id})"  # two of one name: tell them apart
            self.people_combo.addItem(text, user_id)
            self.people_combo.setItemData(self.people_combo.count() - 1, user_id, Qt.ItemDataRole.ToolTipRole)
        at = self.people_combo.findData(self._current) if self._current else -1
        self.people_combo.setCurrentIndex(max(at, 0) if people else -1)
        self.people_combo.blockSignals(False)
        self.revalidate()

    def set_failed(self, text: str) -> None:
        """The people could not be listed: say why (OK stays disabled)."""
        self._failed = text
        self.revalidate()

    def problem(self) -> str | None:
        if self._failed:
            return self._failed
        if not self._loaded:
            return self.tr("Loading the department's people…")  # 正在加载本部门人员…
        if self.people_combo.count() == 0:
            return self.tr("No one in the department to assign to")  # 本部门暂无可指派人员
        return None

    def build_args(self) -> Args:
        return Args(assignee=self.people_combo.currentData())


class CoDispatchDialog(DispatchDialog):
    """派遣 with optional assisting departments (协办): tick them in the list; the lead is excluded."""

    def __init__(self, departments: Sequence[tuple[str, str]], default: str | None = None, deadline_text: str = "",
                 parent: QWidget | None = None, redispatch: bool = False, return_reason: str = ""):
        super().__init__(departments, default, deadline_text, parent, redispatch, return_reason)
        self.assist_list = QListWidget(self)
        self.assist_list.setObjectName("assistList")
        self.assist_list.setMaximumHeight(120)
        for code, name in departments:
            item = QListWidgetItem(name, self.assist_list)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.assist_list.itemChanged.connect(self.revalidate)
        self.form.addRow(self.tr("Assisting (optional)"), self.assist_list)  # 协办部门（可选）
        self.revalidate()

    def assisting(self) -> tuple[str, ...]:
        if not hasattr(self, "assist_list"):
            return ()
        items = (self.assist_list.item(i) for i in range(self.assist_list.count()))
        return tuple(i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked)

    def problem(self) -> str | None:
        problem = super().problem()
        if problem is None and self.department_combo.currentData() in self.assisting():
            return self.tr("The lead department cannot also assist")  # 主办部门不能同时协办
        return problem

    def build_args(self) -> Args:
        assist = self.assisting()
        return Args(department=self.department_combo.currentData(), assist=assist or None)


def request_text(case) -> str:
    """One line on the case's pending or last-decided request, for dialogs and the detail."""
    request = case.request
    if request is None:
        return ""
    asked = QCoreApplication.translate("LoopText", "%1 requested: %2")  # %1申请：%2
    parts = [arg(asked, request_label(request.kind), request.reason)]
    if request.until is not None:
        until = QCoreApplication.translate("LoopText", "until %1")  # 至 %1
        parts.append(arg(until, time_text(request.until, "%Y-%m-%d %H:%M")))
    if request.approved is True:
        parts.append(QCoreApplication.translate("LoopText", "approved"))  # 已批准
    elif request.approved is False:
        parts.append(arg(QCoreApplication.translate("LoopText", "refused: %1"), request.answer or ""))  # 已驳回：%1
    else:
        parts.append(QCoreApplication.translate("LoopText", "awaiting approval"))  # 待审批
    return "，".join(parts)
