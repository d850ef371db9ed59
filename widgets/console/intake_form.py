"""新建事件: the operator logs a phone call or a walk-in, keyboard-first.

Every field is reached by Tab in reading order; Ctrl+Enter files the case, Ctrl+Shift+Enter
files it and merges it into the chosen duplicate candidate, Esc cancels. The category and
the grid are searchable combos (type part of a name or a code). Once both are chosen the
form asks (``candidates_wanted``) for cases that may be the same problem and lists them; the
app answers with :meth:`IntakeForm.set_candidates`. No network here: the form emits
``submitted(Args, merge_into)`` and the app reports back with :meth:`show_error` or closes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from domain.caller import MAX_CALLER_NAME, MAX_TICKET_NO, PHONE_RE
from domain.catalog import Catalog
from domain.intake import match_address
from domain.model import Args, Case, Source, Urgency
from widgets.common.formatting import arg, time_text
from widgets.common.names import Names, source_label, state_label, urgency_label

#: Sources a person at the console logs (the others come from workers, cameras and meetings).
SOURCES = (Source.HOTLINE, Source.RESIDENT, Source.GRID_WORKER, Source.VIDEO, Source.MEETING)
CANDIDATES_DELAY_MS = 300
MAX_DESCRIPTION = 2000


def _searchable(combo: QComboBox) -> None:
    """An editable combo whose popup offers every item containing what is typed."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)


def _match(combo: QComboBox) -> int:
    """The item the edit line names: its whole text, its code, or the one item containing the text; or -1."""
    text = combo.currentText().strip()
    if not text:
        return -1
    index = combo.findText(text, Qt.MatchFlag.MatchFixedString)
    if index < 0:
        index = combo.findData(text)
    if index < 0:
        found = [i for i in range(combo.count()) if text.casefold() in combo.itemText(i).casefold()]
        index = found[0] if len(found) == 1 else -1
    return index


def _chosen(combo: QComboBox) -> str:
    """The code of the item the combo's edit line names, or ""."""
    index = _match(combo)
    return str(combo.itemData(index) or "") if index >= 0 else ""


def _settle(combo: QComboBox) -> None:
    """When the typed text names one item, show that item's whole text (and make it current)."""
    index = _match(combo)
    if index >= 0 and combo.currentIndex() != index or (index >= 0 and combo.currentText() != combo.itemText(index)):
        combo.setCurrentIndex(index)
        combo.setEditText(combo.itemText(index))


class IntakeForm(QDialog):
    candidates_wanted = Signal(str, str)  # grid, category
    submitted = Signal(object, object)  # Args, the case to merge into (str) or None

    def __init__(self, catalog: Catalog, names: Names, grids: Sequence[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        """``grids``: (code, label) of every grid the operator may report in."""
        super().__init__(parent)
        self.setObjectName("intakeForm")
        self.setWindowTitle(self.tr("New case"))  # 新建事件
        self.catalog, self.names = catalog, names
        self._grids = list(grids)
        self._candidates: list[Case] = []
        self._asked: tuple[str, str] | None = None

        self.source = QComboBox(self)
        for source in SOURCES:
            self.source.addItem(source_label(source), source.value)
        self.caller_name = QLineEdit(self)
        self.caller_name.setMaxLength(MAX_CALLER_NAME)
        self.caller_name.setPlaceholderText(self.tr("Who called or came in"))  # 来电/来访人姓名
        self.caller_phone = QLineEdit(self)
        self.caller_phone.setMaxLength(20)
        self.caller_phone.setPlaceholderText(self.tr("e.g. 138 1234 5678"))  # 例如 138 1234 5678
        self.ticket_no = QLineEdit(self)
        self.ticket_no.setMaxLength(MAX_TICKET_NO)
        self.ticket_no.setPlaceholderText(self.tr("12345 ticket number, if any"))  # 12345 工单号（如有）
        self.category = QComboBox(self)
        class_name = getattr(names, "class_name", None)  # the app's directory knows the English names
        for code, category in sorted(catalog.categories.items()):
            if not category.retired:
                group = class_name(category.class_code) if callable(class_name) else category.class_name
                self.category.addItem(f"{names.category_name(code)} · {group} · {code}", code)
        _searchable(self.category)
        self.category.setCurrentIndex(-1)
        self._edit(self.category).setPlaceholderText(self.tr("Type a name or code"))  # 输入名称或编码
        self.condition = QComboBox(self)
        self.condition_label = QLabel(self.tr("Filing condition"), self)  # 立案条件
        self.address = QLineEdit(self)
        self.address.setMaxLength(500)
        self.address.setPlaceholderText(self.tr("Street and number, landmark"))  # 街道门牌、地标
        self.grid = QComboBox(self)
        for code, label in self._grids:
            self.grid.addItem(label, code)
        _searchable(self.grid)
        self.grid.setCurrentIndex(-1)
        # zh: 输入网格/社区名称或编码
        self._edit(self.grid).setPlaceholderText(self.tr("Type a grid or community name or code"))
        self.urgency = QComboBox(self)
        for urgency in Urgency:
            self.urgency.addItem(urgency_label(urgency), urgency.value)
        self.description = QPlainTextEdit(self)
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText(self.tr("What the caller reports"))  # 诉求内容
        self.description.setFixedHeight(72)

        self.candidates = QTableWidget(0, 6, self)
        self.candidates.setObjectName("intakeCandidates")
        self.candidates.setHorizontalHeaderLabels([
            self.tr("Case"), self.tr("Category"), self.tr("State"), self.tr("Grid"),  # 事件编号 事件类别 状态 所属网格
            self.tr("Reported"), self.tr("Address or description")])  # 上报时间 地址/描述
        self.candidates.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.candidates.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.candidates.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.candidates.setTabKeyNavigation(False)  # Tab leaves the list for the buttons
        self.candidates.verticalHeader().setVisible(False)
        self.candidates.horizontalHeader().setStretchLastSection(True)
        self.candidates.setMinimumHeight(130)
        self.candidates_label = QLabel(self)
        self.candidates_label.setObjectName("intakeCandidatesTitle")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("dialogError")
        self.error_label.setWordWrap(True)
        self.file_button = QPushButton(self.tr("File case"), self)  # 立案登记
        self.file_button.setToolTip(self.tr("Ctrl+Enter"))
        self.file_button.setDefault(True)
        self.merge_button = QPushButton(self.tr("File and merge into selected"), self)  # 登记并合并到所选事件
        self.merge_button.setToolTip(self.tr("Ctrl+Shift+Enter"))
        self.merge_button.setEnabled(False)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)  # 取消

        form = QFormLayout()
        form.addRow(self.tr("Source"), self.source)  # 来源
        form.addRow(self.tr("Caller"), self.caller_name)  # 诉求人
        form.addRow(self.tr("Phone"), self.caller_phone)  # 联系电话
        form.addRow(self.tr("12345 ticket"), self.ticket_no)  # 12345 工单号
        form.addRow(self.tr("Category"), self.category)  # 事件类别
        form.addRow(self.condition_label, self.condition)
        form.addRow(self.tr("Address"), self.address)  # 地址
        form.addRow(self.tr("Grid"), self.grid)  # 所属网格
        form.addRow(self.tr("Urgency"), self.urgency)  # 紧急程度
        form.addRow(self.tr("Description"), self.description)  # 事件描述
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.file_button, self.merge_button, self.cancel_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.candidates_label)
        layout.addWidget(self.candidates, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)

        order = [self.source, self.caller_name, self.caller_phone, self.ticket_no, self.category, self.condition,
                 self.address, self.grid, self.urgency, self.description, self.candidates, self.file_button,
                 self.merge_button, self.cancel_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

        self.file_button.clicked.connect(lambda: self.submit(merge=False))
        self.merge_button.clicked.connect(lambda: self.submit(merge=True))
        self.cancel_button.clicked.connect(self.reject)
        for keys, merge in (("Ctrl+Return", False), ("Ctrl+Enter", False),
                            ("Ctrl+Shift+Return", True), ("Ctrl+Shift+Enter", True)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda m=merge: self.submit(merge=m))
        self._ask_timer = QTimer(self)
        self._ask_timer.setSingleShot(True)
        self._ask_timer.setInterval(CANDIDATES_DELAY_MS)
        self._ask_timer.timeout.connect(self._ask_candidates)
        self.category.currentIndexChanged.connect(self._category_changed)
        self._edit(self.category).editingFinished.connect(lambda: _settle(self.category))
        self._edit(self.category).editingFinished.connect(self._category_changed)
        self._edit(self.grid).editingFinished.connect(lambda: _settle(self.grid))
        self.grid.currentIndexChanged.connect(lambda _i: self._ask_timer.start())
        self._edit(self.grid).editingFinished.connect(self._ask_timer.start)
        self.address.editingFinished.connect(self._place_from_address)
        self.candidates.itemSelectionChanged.connect(self._update_merge)
        self.candidates.cellDoubleClicked.connect(lambda *_: self.submit(merge=True))
        self._category_changed()
        self.set_candidates([])
        self.caller_name.setFocus()

    @staticmethod
    def _edit(combo: QComboBox) -> QLineEdit:
        edit = combo.lineEdit()
        assert edit is not None  # _searchable made the combo editable
        return edit

    # ---- what the operator chose -----------------------------------------------------------------
    def category_code(self) -> str:
        return _chosen(self.category)

    def grid_code(self) -> str:
        return _chosen(self.grid)

    def set_grid(self, code: str) -> None:
        index = self.grid.findData(code)
        if index >= 0:
            self.grid.setCurrentIndex(index)

    def set_category(self, code: str) -> None:
        index = self.category.findData(code)
        if index >= 0:
            self.category.setCurrentIndex(index)

    def selected_candidate(self) -> str | None:
        rows = self.candidates.selectionModel().selectedRows()
        return self._candidates[rows[0].row()].id if rows and rows[0].row() < len(self._candidates) else None

    def _category_changed(self, *_args) -> None:
        code = self.category_code()
        category = self.catalog.categories.get(code)
        conditions = category.conditions if category is not None else ()
        self.condition.clear()
        self.condition.addItem(self.tr("Not given"), "")  # 未选择
        for cond in conditions:
            self.condition.addItem(cond.filing, cond.code)
        self.condition.setVisible(bool(conditions))
        self.condition_label.setVisible(bool(conditions))
        self._ask_timer.start()

    def _place_from_address(self) -> None:
        """An address naming a grid or a community picks the grid (a community: its first grid)."""
        if self.grid_code():
            return
        named = [(code, self.names.node_name(code)) for code, _ in self._grids]
        named += [(code[:12], self.names.node_name(code[:12])) for code, _ in self._grids]
        code = match_address(self.address.text(), named)
        if code is not None:
            self.set_grid(next(g for g, _ in self._grids if g.startswith(code)))

    # ---- duplicate candidates ------------------------------------------------------------------------
    def _ask_candidates(self) -> None:
        wanted = (self.grid_code(), self.category_code())
        if all(wanted) and wanted != self._asked:
            self._asked = wanted
            self.candidates_label.setText(self.tr("Looking for possible duplicates…"))  # 正在查找可能重复的事件…
            self.candidates_wanted.emit(*wanted)

    def set_candidates(self, cases: Sequence[Case], now: float | None = None) -> None:
        """Cases that may be the same problem, as the hub ranked them (same item and grid first)."""
        self._candidates = list(cases)
        self.candidates.clearSelection()
        self.candidates.setRowCount(len(self._candidates))
        for row, case in enumerate(self._candidates):
            where = (case.description or case.address).strip()
            cells = (case.id, self.names.category_name(case.category), state_label(case.state),
                     self.names.node_name(case.node), time_text(case.reported_at, "%m-%d %H:%M"),
                     where.splitlines()[0] if where else "")
            for col, text in enumerate(cells):
                self.candidates.setItem(row, col, QTableWidgetItem(text))
        self.candidates.resizeColumnsToContents()
        if self._asked is None:
            self.candidates_label.setText(self.tr("Possible duplicates appear once category and grid are chosen"))
            # zh: 选择类别和网格后显示可能重复的事件
        elif cases:
            # zh: 可能重复的事件（%1 件）：选中一件可合并
            self.candidates_label.setText(arg(self.tr("Possible duplicates (%1): select one to merge"), len(cases)))
        else:
            self.candidates_label.setText(self.tr("No possible duplicates"))  # 未发现可能重复的事件
        self._update_merge()

    def _update_merge(self) -> None:
        self.merge_button.setEnabled(self.selected_candidate() is not None and self.file_button.isEnabled())

    # ---- filing --------------------------------------------------------------------------------------
    def problem(self) -> tuple[str, QWidget | None]:
        """What keeps the form from being filed, and the field to fix; ("", None) when it may be filed."""
        phone = self.caller_phone.text().strip().replace(" ", "")
        if not self.category_code():
            return self.tr("Choose a category from the list."), self.category  # 请从列表中选择事件类别。
        if not self.grid_code():
            return self.tr("Choose the grid where it happened."), self.grid  # 请选择事发网格。
        if phone and not PHONE_RE.match(phone):
            # zh: 联系电话格式不正确：5–20 位数字，可含开头的 + 和连字符。
            why = self.tr("The phone number is not valid: 5–20 digits, a leading + and hyphens allowed.")
            return why, self.caller_phone
        if Source(self.source.currentData()) is Source.HOTLINE and not phone and not self.ticket_no.text().strip():
            # zh: 热线来电请填写联系电话或 12345 工单号。
            return self.tr("A hotline call needs the caller's phone or the 12345 ticket number."), self.caller_phone
        if len(self.description.toPlainText()) > MAX_DESCRIPTION:
            # zh: 事件描述超过 %1 个字符。
            return arg(self.tr("The description is longer than %1 characters."), MAX_DESCRIPTION), self.description
        return "", None

    def args(self) -> Args:
        return Args(
            node=self.grid_code(), category=self.category_code(), urgency=Urgency(self.urgency.currentData()),
            source=Source(self.source.currentData()), description=self.description.toPlainText().strip(),
            address=self.address.text().strip(), caller_name=self.caller_name.text().strip() or None,
            caller_phone=self.caller_phone.text().strip().replace(" ", "") or None,
            ticket_no=self.ticket_no.text().strip() or None, condition=self.condition.currentData() or None)

    def submit(self, merge: bool = False) -> bool:
        """File the case (and merge it into the selected candidate); False when the form says why not."""
        if not self.file_button.isEnabled():
            return False
        text, field = self.problem()
        if not text and merge and self.selected_candidate() is None:
            text, field = self.tr("Select the case to merge into."), self.candidates  # 请选择要合并到的事件。
        if text:
            self.show_error(text, field)
            return False
        self.error_label.clear()
        self.set_busy(True)
        self.submitted.emit(self.args(), self.selected_candidate() if merge else None)
        return True

    def set_busy(self, busy: bool) -> None:
        self.file_button.setEnabled(not busy)
        self._update_merge()

    def show_error(self, text: str, field: QWidget | str | None = None) -> None:
        """Say what is wrong and put the cursor where it is fixed (``field``: a widget or an Args name)."""
        self.set_busy(False)
        self.error_label.setText(text)
        widget = (self.grid if field == "node" else getattr(self, field, None)) if isinstance(field, str) else field
        if isinstance(widget, QWidget):
            widget.setFocus()


def grid_choices(names: Names, grids: Sequence[str]) -> list[tuple[str, str]]:
    """(code, "grid name · community name · code") for the grid combo: typed names and codes both match."""
    return [(code, f"{names.node_name(code)} · {names.node_name(code[:12])} · {code}") for code in grids]


def field_label(field: str) -> str:
    """The form's label of an Args field named in a refusal (INVALID's ``detail.field``)."""
    labels = {
        "caller_name": QCoreApplication.translate("IntakeForm", "Caller"),
        "caller_phone": QCoreApplication.translate("IntakeForm", "Phone"),
        "ticket_no": QCoreApplication.translate("IntakeForm", "12345 ticket"),
        "condition": QCoreApplication.translate("IntakeForm", "Filing condition"),
        "category": QCoreApplication.translate("IntakeForm", "Category"),
        "node": QCoreApplication.translate("IntakeForm", "Grid"),
        "address": QCoreApplication.translate("IntakeForm", "Address"),
        "description": QCoreApplication.translate("IntakeForm", "Description"),
    }
    return labels.get(field, field)
