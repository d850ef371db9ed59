"""One dialog per case action, each returning ``domain.model.Args`` (or None when cancelled).

Validation is inline: OK stays disabled and a line under the form says what is
missing until the input is valid. Facts only the app knows (the SLA deadline a
dispatch would get, today's urge count) arrive as ready-made text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from domain.model import Action, Args
from widgets.common.formatting import arg, time_text
from widgets.common.names import action_label

MAX_TEXT = 500


class ActionDialog(QDialog):
    """Form, inline error line and OK/Cancel; subclasses say what is valid and build the Args."""

    action: Action

    def __init__(self, parent: QWidget | None = None, info: str = ""):
        super().__init__(parent)
        self.setObjectName(f"dialog_{self.action.value}")
        self.setWindowTitle(action_label(self.action))
        self.setModal(True)
        self.form = QFormLayout()
        self.subject_label = QLabel(self)
        self.subject_label.setObjectName("dialogSubject")
        self.subject_label.setWordWrap(True)
        self.subject_label.hide()
        self.info_label = QLabel(info, self)
        self.info_label.setObjectName("dialogInfo")
        self.info_label.setWordWrap(True)
        self.info_label.setVisible(bool(info))
        self.error_label = QLabel(self)
        self.error_label.setObjectName("dialogError")
        self.error_label.setWordWrap(True)
        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.subject_label)
        layout.addWidget(self.info_label)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.button_box)
        # Keyboard-complete: the first field has the focus, Ctrl+Enter sends from anywhere
        # (Enter in a text box is a new line).
        self.ok_button.setDefault(True)
        self.ok_button.setToolTip(self.tr("Ctrl+Enter"))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.accept)

    def set_subject(self, case_id: str, summary: str = "") -> None:
        """Name the case this dialog acts on: in the title and in a line above the form."""
        self.case_id = case_id
        self.setWindowTitle(arg(self.tr("%1 · case %2"), self.windowTitle(), case_id))  # %1 · 事件 %2
        text = arg(self.tr("Case %1"), case_id)  # 事件 %1
        self.subject_label.setText(f"{text}\n{summary}" if summary else text)
        self.subject_label.show()

    def first_field(self) -> QWidget | None:
        """Where typing should start: the first enabled text box, else the first enabled input."""
        fields = []
        for row in range(self.form.rowCount()):
            for role in (QFormLayout.ItemRole.FieldRole, QFormLayout.ItemRole.SpanningRole):
                item = self.form.itemAt(row, role)
                widget = item.widget() if item is not None else None
                if widget is not None and widget.isEnabled():
                    fields.append(widget)
        for kinds in ((QPlainTextEdit, QLineEdit), (QComboBox, QSpinBox, QRadioButton)):
            found = next((w for w in fields if isinstance(w, kinds)), None)
            if found is not None:
                return found
        return None

    def showEvent(self, event) -> None:
        super().showEvent(event)
        field = self.first_field()
        target = field if field is not None else self.ok_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        QTimer.singleShot(0, self, lambda: self.isVisible() and target.setFocus(Qt.FocusReason.OtherFocusReason))

    # -- what subclasses provide ---------------------------------------------------------
    def problem(self) -> str | None:
        """Why the input cannot be sent yet, or None when it can."""
        return None

    def build_args(self) -> Args:
        return Args()

    # -- shared behaviour ------------------------------------------------------------------
    def revalidate(self) -> None:
        problem = self.problem()
        self.ok_button.setEnabled(problem is None)
        self.error_label.setText(problem or "")

    def args(self) -> Args | None:
        """The Args for the current input, or None while it is invalid."""
        return None if self.problem() is not None else self.build_args()

    def result_args(self) -> Args | None:
        """After the dialog closed: the Args if the user pressed OK, else None."""
        return self.args() if self.result() == QDialog.DialogCode.Accepted else None

    def ask(self) -> Args | None:
        """Run modally (the app's path; tests drive the widgets instead)."""
        self.exec()
        return self.result_args()

    def accept(self) -> None:
        if self.problem() is None:
            super().accept()

    def _text_edit(self, label: str, placeholder: str = "") -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setPlaceholderText(placeholder or self.tr("Ctrl+Enter sends"))  # Ctrl+Enter 提交
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(80)
        edit.textChanged.connect(self.revalidate)
        edit.installEventFilter(self)  # Ctrl+Enter sends; the text box would take it as a new line
        self.form.addRow(label, edit)
        return edit

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if isinstance(obj, QPlainTextEdit) and kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                    event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                event.accept()
                if kind == QEvent.Type.KeyPress:
                    self.accept()
                return True
        return super().eventFilter(obj, event)

    def _text_problem(self, edit: QPlainTextEdit, missing: str) -> str | None:
        text = edit.toPlainText().strip()
        if not text:
            return missing
        if len(text) > MAX_TEXT:
            return arg(self.tr("At most %1 characters, now %2"), MAX_TEXT, len(text))  # 最多 %1 字，当前 %2 字
        return None


class ConfirmDialog(ActionDialog):
    """Actions with no arguments (accept, sign, resume, acknowledge): a confirmation."""

    def __init__(self, action: Action, summary: str = "", parent: QWidget | None = None):
        self.action = Action(action)
        super().__init__(parent, summary)
        self.revalidate()


class AcceptDialog(ConfirmDialog):
    def __init__(self, summary: str = "", parent: QWidget | None = None):
        super().__init__(Action.ACCEPT, summary, parent)


class ReasonDialog(ActionDialog):
    """A required reason: reject, return, escalate, suspend, extend."""

    def __init__(self, action: Action, info: str = "", parent: QWidget | None = None):
        self.action = Action(action)
        super().__init__(parent, info)
        self.reason_edit = self._text_edit(self.tr("Reason"))  # 原因
        self.revalidate()

    def problem(self) -> str | None:
        return self._text_problem(self.reason_edit, self.tr("Enter a reason"))  # 请填写原因

    def build_args(self) -> Args:
        return Args(reason=self.reason_edit.toPlainText().strip())


class RejectDialog(ReasonDialog):
    def __init__(self, info: str = "", parent: QWidget | None = None):
        super().__init__(Action.REJECT, info, parent)


class ReturnDialog(ReasonDialog):
    def __init__(self, info: str = "", parent: QWidget | None = None):
        super().__init__(Action.RETURN, info, parent)


class EscalateDialog(ReasonDialog):
    def __init__(self, info: str = "", parent: QWidget | None = None):
        super().__init__(Action.ESCALATE, info, parent)


class SuspendDialog(ReasonDialog):
    def __init__(self, info: str = "", parent: QWidget | None = None):
        super().__init__(Action.SUSPEND, info, parent)


class ExtendDialog(ReasonDialog):
    """``info`` is the app's text on extensions used, e.g. 已延期 1/2 次."""

    def __init__(self, info: str = "", parent: QWidget | None = None, limited: bool = False):
        self._limited = limited
        super().__init__(Action.EXTEND, info, parent)

    def problem(self) -> str | None:
        if self._limited:
            return self.tr("No extension left for this case")  # 本事件已无延期次数
        return super().problem()


class MessageDialog(ActionDialog):
    """A message: resolve (处置结果), reply to supervision, self-resolve."""

    def __init__(self, action: Action, info: str = "", parent: QWidget | None = None):
        self.action = Action(action)
        super().__init__(parent, info)
        self.message_edit = self._text_edit(self.tr("Message"))  # 内容
        self.revalidate()

    def problem(self) -> str | None:
        return self._text_problem(self.message_edit, self.tr("Enter a message"))  # 请填写内容

    def build_args(self) -> Args:
        return Args(message=self.message_edit.toPlainText().strip())


class DispatchDialog(ActionDialog):
    """Choose the handling department; the category's default is preselected.

    ``departments`` are (code, name) pairs; ``deadline_text`` is the SLA deadline the
    app computed for this category and urgency. ``redispatch`` shows why it came back.
    """

    action = Action.DISPATCH

    def __init__(
        self,
        departments: Sequence[tuple[str, str]],
        default: str | None = None,
        deadline_text: str = "",
        parent: QWidget | None = None,
        redispatch: bool = False,
        return_reason: str = "",
    ):
        if not departments:
            raise ValueError("DispatchDialog needs at least one (code, name) department")
        codes = [code for code, _ in departments]
        if default is not None and default not in codes:
            raise ValueError(f"default department {default!r} is not among {codes}")
        returned = QCoreApplication.translate("DispatchDialog", "Returned: %1")  # 退回原因：%1
        super().__init__(parent, arg(returned, return_reason) if redispatch and return_reason else "")
        if redispatch:
            self.setWindowTitle(self.tr("Redispatch"))  # 重新派遣
        self.department_combo = QComboBox(self)
        for code, name in departments:
            self.department_combo.addItem(name, code)
        self.department_combo.setCurrentIndex(codes.index(default) if default is not None else -1)
        self.department_combo.currentIndexChanged.connect(self.revalidate)
        self.form.addRow(self.tr("Department"), self.department_combo)  # 责任部门
        self.deadline_label = QLabel(deadline_text, self)
        self.form.addRow(self.tr("Deadline"), self.deadline_label)  # 处置时限
        self.revalidate()

    def problem(self) -> str | None:
        if self.department_combo.currentIndex() < 0:
            return self.tr("Choose a department")  # 请选择责任部门
        return None

    def build_args(self) -> Args:
        return Args(department=self.department_combo.currentData())


class SuperviseDialog(ActionDialog):
    """督办: level 1–3, a reason and a due time ``hours`` after ``now`` (server time)."""

    action = Action.SUPERVISE

    def __init__(self, now: float, parent: QWidget | None = None, default_hours: int = 24):
        super().__init__(parent)
        self._now = now
        self.level_combo = QComboBox(self)
        for level in (1, 2, 3):
            self.level_combo.addItem(arg(self.tr("Level %1"), level), level)  # %1级
        self.form.addRow(self.tr("Level"), self.level_combo)  # 督办级别
        self.reason_edit = self._text_edit(self.tr("Reason"))
        self.hours_spin = QSpinBox(self)
        self.hours_spin.setRange(1, 24 * 30)
        self.hours_spin.setValue(default_hours)
        self.hours_spin.setSuffix(self.tr(" h"))  # 小时
        self.hours_spin.valueChanged.connect(self._show_due)
        self.form.addRow(self.tr("Due in"), self.hours_spin)  # 办理期限
        self.due_label = QLabel(self)
        self.form.addRow(self.tr("Due at"), self.due_label)  # 截止
        self._show_due()
        self.revalidate()

    def due(self) -> float:
        return self._now + self.hours_spin.value() * 3600.0

    def _show_due(self) -> None:
        self.due_label.setText(time_text(self.due(), "%Y-%m-%d %H:%M"))

    def problem(self) -> str | None:
        return self._text_problem(self.reason_edit, self.tr("Enter a reason"))

    def build_args(self) -> Args:
        return Args(level=self.level_combo.currentData(), reason=self.reason_edit.toPlainText().strip(), due=self.due())


class UrgeDialog(ActionDialog):
    """催办: a message; ``limit_text`` (今日已催办 n/3，下次可催办时间 hh:mm) comes from the app
    and OK stays disabled while ``limited``."""

    action = Action.URGE

    def __init__(self, limit_text: str, limited: bool, parent: QWidget | None = None, blocked_reason: str = ""):
        super().__init__(parent, limit_text)
        self._limited = limited
        self._blocked_reason = blocked_reason
        self.message_edit = self._text_edit(self.tr("Message"))
        self.message_edit.setEnabled(not limited)
        self.revalidate()

    def problem(self) -> str | None:
        if self._limited:
            return self._blocked_reason or self.tr("Urge limit reached")  # 已达催办次数限制
        return self._text_problem(self.message_edit, self.tr("Enter a message"))

    def build_args(self) -> Args:
        return Args(message=self.message_edit.toPlainText().strip())


class VerifyDialog(ActionDialog):
    """核实: pass closes the case; fail sends it back for rework and needs a reason."""

    action = Action.VERIFY

    def __init__(self, info: str = "", parent: QWidget | None = None):
        super().__init__(parent, info)
        self.pass_radio = QRadioButton(self.tr("Passed: close the case"), self)  # 核实通过，结案
        self.fail_radio = QRadioButton(self.tr("Failed: rework"), self)  # 核实不通过，返工
        group = QButtonGroup(self)
        group.addButton(self.pass_radio)
        group.addButton(self.fail_radio)
        self.pass_radio.setChecked(True)
        self.form.addRow(self.pass_radio)
        self.form.addRow(self.fail_radio)
        self.reason_edit = self._text_edit(self.tr("Reason"))
        self.pass_radio.toggled.connect(self._mode_changed)
        self._mode_changed()

    def _mode_changed(self) -> None:
        self.reason_edit.setEnabled(self.fail_radio.isChecked())
        self.revalidate()

    def problem(self) -> str | None:
        if self.pass_radio.isChecked():
            return None
        # zh: 请填写不通过原因
        return self._text_problem(self.reason_edit, self.tr("Enter why the verification failed"))

    def build_args(self) -> Args:
        if self.pass_radio.isChecked():
            return Args(passed=True)
        return Args(passed=False, reason=self.reason_edit.toPlainText().strip())


class MergeDialog(ActionDialog):
    """Merge a duplicate into its parent case; ``exists`` checks the id against the replica."""

    action = Action.MERGE

    def __init__(
        self, case_id: str, exists: Callable[[str], bool] | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self._case_id = case_id
        self._exists = exists
        self.parent_edit = QLineEdit(self)
        # zh: 被合并到的事件编号
        self.parent_edit.setPlaceholderText(self.tr("ID of the case this one duplicates"))
        self.parent_edit.textChanged.connect(self.revalidate)
        self.form.addRow(self.tr("Merge into"), self.parent_edit)  # 合并至
        self.revalidate()

    def problem(self) -> str | None:
        parent_id = self.parent_edit.text().strip()
        if not parent_id:
            return self.tr("Enter the parent case ID")  # 请填写主事件编号
        if parent_id == self._case_id:
            return self.tr("A case cannot be merged into itself")  # 不能合并到自身
        if self._exists is not None and not self._exists(parent_id):
            return arg(self.tr("No case %1"), parent_id)  # 未找到事件 %1
        return None

    def build_args(self) -> Args:
        return Args(parent_id=self.parent_edit.text().strip())


#: Which generic dialog serves the actions that need no special context.
CONFIRM_ACTIONS = frozenset({Action.ACCEPT, Action.SIGN, Action.RESUME, Action.ACKNOWLEDGE})
REASON_ACTIONS = frozenset({Action.REJECT, Action.RETURN, Action.ESCALATE, Action.SUSPEND, Action.EXTEND})
MESSAGE_ACTIONS = frozenset({Action.RESOLVE, Action.REPLY_SUPERVISION, Action.SELF_RESOLVE})


def simple_dialog(action: Action, info: str = "", parent: QWidget | None = None) -> ActionDialog:
    """The confirm / reason / message dialog for ``action``; dispatch, supervise, urge,
    verify and merge need their own constructors (they take context from the app)."""
    action = Action(action)
    if action in CONFIRM_ACTIONS:
        return ConfirmDialog(action, info, parent)
    if action in REASON_ACTIONS:
        return ReasonDialog(action, info, parent)
    if action in MESSAGE_ACTIONS:
        return MessageDialog(action, info, parent)
    raise ValueError(f"action {action.value!r} has no simple dialog; use its own dialog class")
