"""One case in full: every field, its timeline, the grid's portrait and the action buttons.

The app decides what this user may do to this case (the domain's lifecycle table and
permissions) and passes it to ``set_allowed``; a button is enabled exactly when its
action is allowed. Clicking one only emits ``action_requested``; the app opens the dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QCoreApplication, QMargins, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from domain.city import SPECIAL_CARE_NAMES, GridPortrait
from domain.model import Action, Case, ClockKind, Role, SlaLimit, Source, Supervision
from widgets.common.formatting import QT_TRANSLATE_NOOP, arg, time_text
from widgets.common.names import (
    Names,
    action_label,
    role_label,
    sla_label,
    source_label,
    state_label,
    urgency_label,
)
from widgets.console.evidence import EvidencePanel, stage_label
from widgets.console.history_text import condition_name
from widgets.console.loop_detail import LOOP_FIELD_LABELS, detail_order, loop_field_text
from widgets.console.loop_steps import LoopSteps

_CTX = "CaseDetail"


def _tr(text: str) -> str:
    """Translate a string marked with QT_TRANSLATE_NOOP("CaseDetail", ...) above."""
    return QCoreApplication.translate(_CTX, text)


BUTTON_COLUMNS = 5  # the most columns; fewer when the pane is narrow (1280×720 at 150 %)
MIN_BUTTON_COLUMNS = 3

#: Buttons in display order; REPORT and the SLA clock actions are not a user's to take here.
BUTTON_ACTIONS: tuple[Action, ...] = (
    Action.ACCEPT,
    Action.REJECT,
    Action.MERGE,
    Action.SELF_RESOLVE,
    Action.DISPATCH,
    Action.SIGN,
    Action.RETURN,
    Action.RESOLVE,
    Action.VERIFY,
    Action.SUSPEND,
    Action.RESUME,
    Action.SUPERVISE,
    Action.REPLY_SUPERVISION,
    Action.URGE,
    Action.ESCALATE,
    Action.EXTEND,
    Action.ACKNOWLEDGE,
    # the practised loop (protocol §18)
    Action.APPROVE,
    Action.REJECT_REQUEST,
    Action.CALLBACK,
    Action.DELEGATE,
    Action.REQUEST,
    Action.ASSIST_SIGN,
    Action.ASSIST_REPORT,
    Action.ASSIGN,
)

#: Labels of Case fields; a field missing here is still shown, under its attribute name.
FIELD_LABELS: dict[str, str] = {
    "id": QT_TRANSLATE_NOOP("CaseDetail", "Case ID"),  # 事件编号
    "state": QT_TRANSLATE_NOOP("CaseDetail", "State"),  # 状态
    "urgency": QT_TRANSLATE_NOOP("CaseDetail", "Urgency"),  # 紧急程度
    "category": QT_TRANSLATE_NOOP("CaseDetail", "Category"),  # 事件类别
    "node": QT_TRANSLATE_NOOP("CaseDetail", "Grid"),  # 所属网格
    "address": QT_TRANSLATE_NOOP("CaseDetail", "Address"),  # 地址
    "description": QT_TRANSLATE_NOOP("CaseDetail", "Description"),  # 事件描述
    "source": QT_TRANSLATE_NOOP("CaseDetail", "Source"),  # 来源
    "reported_by": QT_TRANSLATE_NOOP("CaseDetail", "Reported by"),  # 上报人
    "reported_at": QT_TRANSLATE_NOOP("CaseDetail", "Reported at"),  # 上报时间
    "owner_level": QT_TRANSLATE_NOOP("CaseDetail", "Owning level"),  # 责任层级
    "department": QT_TRANSLATE_NOOP("CaseDetail", "Department"),  # 责任部门
    "accepted_at": QT_TRANSLATE_NOOP("CaseDetail", "Accepted at"),  # 立案时间
    "dispatched_at": QT_TRANSLATE_NOOP("CaseDetail", "Dispatched at"),  # 派遣时间
    "resolved_at": QT_TRANSLATE_NOOP("CaseDetail", "Resolved at"),  # 处置完成时间
    "closed_at": QT_TRANSLATE_NOOP("CaseDetail", "Closed at"),  # 结案时间
    "updated_at": QT_TRANSLATE_NOOP("CaseDetail", "Updated at"),  # 更新时间
    "sla_limit": QT_TRANSLATE_NOOP("CaseDetail", "Time limit"),  # 处置时限
    "deadline": QT_TRANSLATE_NOOP("CaseDetail", "Deadline"),  # 截止时间
    "warning_at": QT_TRANSLATE_NOOP("CaseDetail", "Warning at"),  # 预警时间
    "sla_state": QT_TRANSLATE_NOOP("CaseDetail", "SLA state"),  # 时限状态
    "suspended_at": QT_TRANSLATE_NOOP("CaseDetail", "Suspended at"),  # 挂账时间
    "sla_remaining": QT_TRANSLATE_NOOP("CaseDetail", "Time left when suspended"),  # 挂账时剩余时限
    "extension_count": QT_TRANSLATE_NOOP("CaseDetail", "Extensions"),  # 延期次数
    "rework_count": QT_TRANSLATE_NOOP("CaseDetail", "Rework count"),  # 返工次数
    "return_count": QT_TRANSLATE_NOOP("CaseDetail", "Returns"),  # 退回次数
    "urge_count": QT_TRANSLATE_NOOP("CaseDetail", "Urge count"),  # 催办次数
    "last_urged_at": QT_TRANSLATE_NOOP("CaseDetail", "Last urged at"),  # 最近催办
    "urge_times": QT_TRANSLATE_NOOP("CaseDetail", "Urges in the last day"),  # 近一日催办
    "supervision": QT_TRANSLATE_NOOP("CaseDetail", "Supervision"),  # 督办
    "merged_into": QT_TRANSLATE_NOOP("CaseDetail", "Merged into"),  # 合并至
    "reason": QT_TRANSLATE_NOOP("CaseDetail", "Reason"),  # 原因
    "acknowledged_by": QT_TRANSLATE_NOOP("CaseDetail", "Alert seen by"),  # 告警确认人
    "closed_on_time": QT_TRANSLATE_NOOP("CaseDetail", "Closed on time"),  # 按期结案
    "version": QT_TRANSLATE_NOOP("CaseDetail", "Version"),  # 版本
    "attachments": QT_TRANSLATE_NOOP("CaseDetail", "Photos and documents"),  # 照片和文件
    "lon": QT_TRANSLATE_NOOP("CaseDetail", "Longitude"),  # 经度
    "lat": QT_TRANSLATE_NOOP("CaseDetail", "Latitude"),  # 纬度
    "caller_name": QT_TRANSLATE_NOOP("CaseDetail", "Caller"),  # 诉求人
    "caller_phone": QT_TRANSLATE_NOOP("CaseDetail", "Caller's phone"),  # 联系电话
    "ticket_no": QT_TRANSLATE_NOOP("CaseDetail", "12345 ticket"),  # 12345 工单号
    "condition": QT_TRANSLATE_NOOP("CaseDetail", "Filing condition"),  # 立案条件
}

for _field, _label in LOOP_FIELD_LABELS.items():
    FIELD_LABELS.setdefault(_field, _label)

LEVEL_LABELS = {
    0: QT_TRANSLATE_NOOP("CaseDetail", "Province"),  # 省
    1: QT_TRANSLATE_NOOP("CaseDetail", "City"),  # 市
    2: QT_TRANSLATE_NOOP("CaseDetail", "District"),  # 区
    3: QT_TRANSLATE_NOOP("CaseDetail", "Street"),  # 街道
    4: QT_TRANSLATE_NOOP("CaseDetail", "Community"),  # 社区
    5: QT_TRANSLATE_NOOP("CaseDetail", "Grid"),  # 网格
}
CLOCK_UNITS = {
    ClockKind.NATURAL_HOURS: QT_TRANSLATE_NOOP("CaseDetail", "%1 natural hours"),  # %1 自然小时
    ClockKind.WORKING_HOURS: QT_TRANSLATE_NOOP("CaseDetail", "%1 working hours"),  # %1 工作时
    ClockKind.WORKING_DAYS: QT_TRANSLATE_NOOP("CaseDetail", "%1 working days"),  # %1 工作日
}


#: Who reports from which source (grid workers and residents' meetings through the grid worker).
_REPORTER_ROLE = {Source.GRID_WORKER: Role.GRID_WORKER, Source.MEETING: Role.GRID_WORKER}


def _amount(value: float) -> str:
    """A limit or time left to one decimal (a suspended case keeps e.g. 0.533415 h left)."""
    text = f"{round(value, 1):g}"
    if text in ("0", "-0") and value != 0:
        return f"{value:.2f}"
    return text


def _limit_text(limit: SlaLimit) -> str:
    return arg(_tr(CLOCK_UNITS[limit.kind]), _amount(limit.amount))


def _supervision_text(sup: Supervision) -> str:
    due = time_text(sup.due, "%Y-%m-%d %H:%M")
    # zh: %1级督办 · 期限 %2 · %3
    text = arg(QCoreApplication.translate("CaseDetail", "Level %1 · due %2 · %3"), sup.level, due, sup.reason)
    if sup.reply is not None and sup.replied_at is not None:
        replied = time_text(sup.replied_at)
        text = arg(QCoreApplication.translate("CaseDetail", "%1\nReply (%2): %3"), text, replied, sup.reply)  # 反馈
    elif sup.reply is not None:
        text = arg(QCoreApplication.translate("CaseDetail", "%1\nReply: %2"), text, sup.reply)  # %1\n反馈：%2
    return text


SIM_OPERATOR_PREFIX = "sim-op-"
SIM_DEPARTMENT_PREFIX = "sim-dept-"


def actor_text(actor_id: str, role: Role | str | None, case: Case | None, names: Names, me=None) -> str:
    """Who did something, in words: the user's own name, a street's duty officer, a department,
    the grid's worker; a bare role for other people (their ids mean nothing to an operator)."""
    if me is not None and actor_id == me.id:
        return arg(QCoreApplication.translate("CaseDetail", "%1 (me)"), me.name)  # %1（我）
    if actor_id.startswith(SIM_OPERATOR_PREFIX):
        street = actor_id[len(SIM_OPERATOR_PREFIX):]
        # zh: %1值班员
        return arg(QCoreApplication.translate("CaseDetail", "%1 duty officer"), names.node_name(street))
    if actor_id.startswith(SIM_DEPARTMENT_PREFIX):
        return names.department_name(actor_id[len(SIM_DEPARTMENT_PREFIX):])
    try:
        role = Role(role) if role is not None else None
    except ValueError:
        role = None
    if role is Role.GRID_WORKER and case is not None:
        # zh: %1网格员
        return arg(QCoreApplication.translate("CaseDetail", "Grid worker of %1"), names.node_name(case.node))
    if role is Role.DEPARTMENT and case is not None and case.department:
        return names.department_name(case.department)
    return role_label(role) if role is not None else actor_id


def field_text(case: Case, field: str, names: Names, me=None) -> str:
    """How the detail shows one field of ``case``; empty when the field has no value."""
    loop = loop_field_text(case, field, names)
    if loop is not None:
        return loop
    value = getattr(case, field)
    if value is None or value == ():
        return ""
    if field == "state":
        return state_label(value)
    if field == "urgency":
        return urgency_label(value)
    if field == "source":
        return source_label(value)
    if field == "sla_state":
        return sla_label(value)
    if field == "category":
        return names.category_name(value)
    if field == "node":
        return names.node_path(value)
    if field == "reported_by":
        role = _REPORTER_ROLE.get(case.source)
        if role is None and not value.startswith(SIM_OPERATOR_PREFIX):
            return source_label(case.source)
        return actor_text(value, role, case, names, me)
    if field == "acknowledged_by":
        return actor_text(value, Role.OPERATOR, case, names, me)
    if field == "department":
        return names.department_name(value)
    if field.endswith("_at") or field == "deadline":
        return time_text(value, "%Y-%m-%d %H:%M:%S")
    if field == "urge_times":
        return ", ".join(time_text(t, "%H:%M") for t in value)
    if field == "owner_level":
        return _tr(LEVEL_LABELS[value]) if value in LEVEL_LABELS else str(value)
    if field == "sla_limit":
        return _limit_text(value)
    if field == "sla_remaining" and case.sla_limit is not None:
        return _limit_text(SlaLimit(case.sla_limit.kind, value))
    if field == "extension_count":
        return arg(QCoreApplication.translate("CaseDetail", "%1 of 2"), value)  # %1/2
    if field == "supervision":
        return _supervision_text(value)
    if field == "attachments":
        counts: dict = {}
        for att in value:
            counts[att.stage] = counts.get(att.stage, 0) + 1
        return " · ".join(f"{stage_label(stage)} {n}" for stage, n in counts.items())
    if field == "condition":
        return condition_name(names, value)
    if field in ("lon", "lat"):
        return f"{value:.6f}"
    if isinstance(value, bool):
        if value:
            return QCoreApplication.translate("CaseDetail", "Yes")  # 是
        return QCoreApplication.translate("CaseDetail", "No")  # 否
    return str(value)


CARE_LABELS = {
    "elderly_alone": QT_TRANSLATE_NOOP("CaseDetail", "Elderly living alone"),  # 独居老人
    "disabled": QT_TRANSLATE_NOOP("CaseDetail", "Disabled"),  # 残疾人
    "left_behind_children": QT_TRANSLATE_NOOP("CaseDetail", "Left-behind children"),  # 留守儿童
    "low_income": QT_TRANSLATE_NOOP("CaseDetail", "Low-income households"),  # 低保户
    "veterans": QT_TRANSLATE_NOOP("CaseDetail", "Veterans"),  # 退役军人
}


def _care_label(key: str) -> str:
    source = CARE_LABELS.get(key)
    return _tr(source) if source else SPECIAL_CARE_NAMES.get(key, key)


def portrait_text(portrait: GridPortrait) -> str:
    """网格画像 in two lines: sizes, then the special-care groups with their counts."""
    # zh: %1户 · %2人 · %3栋 · %4商户 · %5平方公里
    first = arg(
        QCoreApplication.translate(
            "CaseDetail", "%1 households · %2 residents · %3 buildings · %4 shops · %5 km²"
        ),
        portrait.households,
        portrait.residents,
        portrait.buildings,
        portrait.shops,
        f"{portrait.area_km2:.2f}",
    )
    care = " · ".join(
        f"{_care_label(key)} {count}" for key, count in portrait.special_care.items() if count
    )
    return f"{first}\n{care}" if care else first


class CaseDetail(QWidget):
    """``set_case`` / ``set_timeline`` / ``set_portrait`` / ``set_allowed``; emits ``action_requested``."""

    action_requested = Signal(object)  # Action

    def __init__(self, names: Names, parent=None):
        super().__init__(parent)
        self.setObjectName("caseDetail")
        self._names = names
        self._case: Case | None = None
        self.me = None  # the signed-in Actor: its own moves read as "name (me)"
        self._allowed: frozenset[Action] = frozenset()

        self.title = QLabel(self)
        self.title.setObjectName("caseTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setWordWrap(True)

        form_host = QWidget(self)
        self._form = QFormLayout(form_host)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.field_values: dict[str, QLabel] = {}
        for field in detail_order(Case.__struct_fields__):
            value = QLabel(form_host)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label = _tr(FIELD_LABELS[field]) if field in FIELD_LABELS else field
            self._form.addRow(label, value)
            self._form.setRowVisible(value, False)  # shown while it has text (set_case)
            self.field_values[field] = value
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)

        self.timeline = QTableWidget(0, 4, self)
        self.timeline.setObjectName("caseTimeline")
        self.timeline.setHorizontalHeaderLabels([self.tr("Time"), self.tr("By"), self.tr("Action"), self.tr("Detail")])
        self.timeline.verticalHeader().hide()
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.horizontalHeader().setStretchLastSection(True)
        for col in (0, 1, 2):  # time, who and action are never cut; the detail takes the rest
            self.timeline.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.timeline.setWordWrap(True)

        self.portrait_box = QGroupBox(self.tr("Grid portrait"), self)  # 网格画像
        self.portrait_label = QLabel(self.portrait_box)
        self.portrait_label.setWordWrap(True)
        QVBoxLayout(self.portrait_box).addWidget(self.portrait_label)
        # Fields and the grid's portrait scroll together, so the pane stays short on a small screen.
        fields = QWidget(self)
        fields_layout = QVBoxLayout(fields)
        fields_layout.setContentsMargins(0, 0, 0, 0)
        fields_layout.addWidget(form_host)
        fields_layout.addWidget(self.portrait_box)
        fields_layout.addStretch(1)
        scroll.setWidget(fields)

        buttons_host = QWidget(self)
        buttons_host.setObjectName("caseActions")
        self._button_grid = QGridLayout(buttons_host)
        self._button_grid.setContentsMargins(0, 0, 0, 0)
        self._button_grid.setSpacing(4)
        self.buttons: dict[Action, QPushButton] = {}
        for action in BUTTON_ACTIONS:
            button = QPushButton(action_label(action), buttons_host)
            button.setObjectName(f"action_{action.value}")
            button.setEnabled(False)
            button.setToolTip(action_label(action))
            button.clicked.connect(self._emitter(action))
            button.setMinimumWidth(button.sizeHint().width())  # the style's padding included: never clipped
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.buttons[action] = button
        # The column width fits the usual labels; a much longer one ("Reply to supervision")
        # spans two columns rather than widening every column (and the pane) for itself.
        widths = sorted(b.minimumWidth() for b in self.buttons.values())
        median = widths[len(widths) // 2]
        self._button_width = max(w for w in widths if w <= 1.5 * median)
        self._columns = 0
        self._arrange_buttons(MIN_BUTTON_COLUMNS)

        # The buttons stay at the top; fields, portrait and timeline share what is left.
        lower = QSplitter(Qt.Orientation.Vertical, self)
        lower.setObjectName("caseDetailSplit")
        lower.setChildrenCollapsible(False)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Small minimums: at 1280×720 and 150 % a two-line title and six rows of buttons leave the
        # split little room, and the buttons must keep their full height.
        scroll.setMinimumHeight(32)
        self.timeline.setMinimumHeight(32)
        lower.addWidget(scroll)
        lower.addWidget(self.timeline)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        self.split = lower

        self.evidence = EvidencePanel(self)  # thumbnails, attach, uploads; files dropped on the case land here
        self.evidence.accept_drops_on(self)
        self.evidence.setMinimumSize(120, 16)  # shares the split below the buttons with fields and timeline
        lower.insertWidget(1, self.evidence)
        lower.setStretchFactor(1, 2)
        lower.setStretchFactor(2, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.steps = LoopSteps(self)
        layout.addWidget(self.title)
        layout.addWidget(self.steps)
        layout.addWidget(buttons_host)
        layout.addWidget(lower, 1)
        self.set_case(None)

    def set_role_actions(self, actions: Iterable[Action] | None) -> None:
        """Show only the buttons of actions the signed-in role can ever take (None: all of them).

        An operator never signs for a department and a department never approves its own request:
        their buttons would only take room.
        """
        shown = None if actions is None else frozenset(actions)
        for action, button in self.buttons.items():
            button.setVisible(shown is None or action in shown)
        columns, self._columns = self._columns, 0
        self._arrange_buttons(columns)

    def _arrange_buttons(self, columns: int) -> None:
        """Lay the buttons out in ``columns`` columns (as many as the width allows)."""
        columns = max(MIN_BUTTON_COLUMNS, min(BUTTON_COLUMNS, columns))
        if columns == self._columns:
            return
        self._columns = columns
        grid = self._button_grid
        for button in self.buttons.values():
            grid.removeWidget(button)
        spacing = max(0, grid.horizontalSpacing())
        row = col = 0
        for button in self.buttons.values():
            if button.isHidden():
                continue
            span = min(columns, -(-(button.minimumWidth() + spacing) // (self._button_width + spacing)))
            if col + span > columns:
                row, col = row + 1, 0
            grid.addWidget(button, row, col, 1, span)
            col += span
            if col >= columns:
                row, col = row + 1, 0
        for col in range(BUTTON_COLUMNS):
            grid.setColumnStretch(col, 1 if col < columns else 0)
        host = grid.parentWidget()
        if host is not None:
            host.updateGeometry()  # the detail's layout caches the old size of the button grid

    def button_columns(self) -> int:
        return self._columns

    def resizeEvent(self, event) -> None:
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QMargins()
        room = event.size().width() - margins.left() - margins.right()
        spacing = self._button_grid.horizontalSpacing()
        self._arrange_buttons((room + spacing) // (self._button_width + spacing))
        super().resizeEvent(event)

    def _emitter(self, action: Action) -> Callable[[], None]:
        def emit(_checked: bool = False) -> None:
            if action in self._allowed and self._case is not None:
                self.action_requested.emit(action)

        return emit

    def case(self) -> Case | None:
        return self._case

    def set_case(self, case: Case | None) -> None:
        """Show ``case`` (None clears the panel and disables every action)."""
        if case is not None and not isinstance(case, Case):
            raise TypeError(f"set_case takes a domain.model.Case or None, got {type(case).__name__}")
        previous = self._case
        self._case = case
        self.evidence.set_case(case)
        self.steps.set_case(case)
        if case is None:
            self.title.setText(self.tr("No case selected"))  # 未选择事件
            for label in self.field_values.values():
                label.clear()
                self._form.setRowVisible(label, False)
            self.set_allowed(())
            self.set_timeline(())
            self.set_portrait(None)
            return
        title = arg(self.tr("%1 · %2 · %3"), case.id, state_label(case.state), urgency_label(case.urgency))
        self.title.setText(title)
        for field, label in self.field_values.items():
            text = field_text(case, field, self._names, self.me)
            if label.text() != text:  # a row is shown while its field has text: empty fields take no room
                label.setText(text)
                self._form.setRowVisible(label, bool(text))
        self.field_values["node"].setToolTip(case.node)  # the code, for the engineer
        self.field_values["category"].setToolTip(case.category)
        if previous is None or previous.id != case.id:
            self.set_allowed(())  # the app sends what is allowed for the new case

    def set_allowed(self, actions: Iterable[Action]) -> None:
        allowed = set()
        for action in actions:
            try:
                allowed.add(Action(action))
            except ValueError:
                raise ValueError(f"set_allowed got {action!r}, which is not a domain.model.Action") from None
        self._allowed = frozenset(allowed) if self._case is not None else frozenset()
        for action, button in self.buttons.items():
            button.setEnabled(action in self._allowed)

    def enabled_actions(self) -> set[Action]:
        return {action for action, button in self.buttons.items() if button.isEnabled()}

    def set_timeline(self, entries: Sequence[tuple[float, str, object, str]]) -> None:
        """``entries`` are (time, who, action, detail), oldest first."""
        self.timeline.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            if len(entry) != 4:
                raise ValueError(f"timeline entry {row} must be (time, who, action, detail), got {entry!r}")
            at, who, action, detail = entry
            try:
                action_text = action_label(action)  # type: ignore[arg-type]  # an Action or its value
            except ValueError:
                action_text = str(action)
            for col, text in enumerate((time_text(at, "%m-%d %H:%M:%S"), who, action_text, detail)):
                self.timeline.setItem(row, col, QTableWidgetItem(str(text)))

    def set_portrait(self, portrait: GridPortrait | None) -> None:
        if portrait is None:
            self.portrait_label.setText(self.tr("No portrait for this grid"))  # 暂无网格画像
        else:
            self.portrait_label.setText(portrait_text(portrait))
