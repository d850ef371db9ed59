"""综合查询: a filter form over every case of the jurisdiction, a result table and a pager.

The hub answers from its database, so the table may hold cases the console does not (closed
months ago). No network here: the window emits ``search_requested(SearchFilter, offset)`` and
shows what :meth:`SearchWindow.set_result` hands it; a double-click or Enter on a row emits
``case_opened(Case)``. Roles that see callers masked get no caller filters (the hub would
refuse them) and masked values in the table.
"""

from __future__ import annotations

import datetime

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from domain.catalog import Catalog
from domain.model import OPEN_STATES, Case, State
from domain.search import SearchFilter
from widgets.common.formatting import arg, time_text
from widgets.common.names import Names, state_label

PAGE = 50
_CST = datetime.timezone(datetime.timedelta(hours=8))
OPEN = "open"  # the state combo's "all open states"


def _day_start(date: QDate) -> float:
    return datetime.datetime(date.year(), date.month(), date.day(), tzinfo=_CST).timestamp()


class SearchWindow(QDialog):
    search_requested = Signal(object, int)  # SearchFilter, offset
    case_opened = Signal(object)  # Case

    def __init__(self, catalog: Catalog, names: Names, *, caller_filters: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchWindow")
        self.setWindowTitle(self.tr("Case search"))  # 综合查询
        self.names = names
        self.offset, self.total = 0, 0
        self.cases: list[Case] = []
        self._filter = SearchFilter()

        self.case_id = QLineEdit(self)
        self.case_id.setPlaceholderText(self.tr("Beginning of the case number"))  # 事件编号开头
        self.phone = QLineEdit(self)
        self.phone.setPlaceholderText(self.tr("Whole number or its last digits"))  # 完整号码或尾号
        self.caller_name = QLineEdit(self)
        self.ticket_no = QLineEdit(self)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText(self.tr("Words of the address or description"))  # 地址或描述中的文字
        self.category = QComboBox(self)
        self.category.addItem(self.tr("Any category"), "")  # 全部类别
        class_name = getattr(names, "class_name", None)  # the app's directory knows the English names
        for code, name in sorted(catalog.classes.items()):
            self.category.addItem(class_name(code) if callable(class_name) else name, code)
            for item_code in sorted(catalog.categories):
                if item_code.startswith(code):
                    self.category.addItem("    " + names.category_name(item_code), item_code)
        self.state = QComboBox(self)
        self.state.addItem(self.tr("Any state"), "")  # 全部状态
        self.state.addItem(self.tr("Open"), OPEN)  # 未办结
        for state in State:
            self.state.addItem(state_label(state), state.value)
        self.period = QCheckBox(self.tr("Reported between"), self)  # 上报时间介于
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addMonths(-6), self)
        self.date_to = QDateEdit(today, self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.period.toggled.connect(self.date_from.setEnabled)
        self.period.toggled.connect(self.date_to.setEnabled)
        self.search_button = QPushButton(self.tr("Search"), self)  # 查询
        self.search_button.setDefault(True)
        self.clear_button = QPushButton(self.tr("Clear"), self)  # 清空

        form = QGridLayout()
        left, right = QFormLayout(), QFormLayout()
        left.addRow(self.tr("Case number"), self.case_id)  # 事件编号
        left.addRow(self.tr("Address or text"), self.text)  # 地址/内容
        left.addRow(self.tr("Category"), self.category)  # 事件类别
        left.addRow(self.tr("State"), self.state)  # 状态
        right.addRow(self.tr("Caller's phone"), self.phone)  # 诉求人电话
        right.addRow(self.tr("Caller"), self.caller_name)  # 诉求人
        right.addRow(self.tr("12345 ticket"), self.ticket_no)  # 12345 工单号
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("–", self))
        dates.addWidget(self.date_to)
        right.addRow(self.period, dates)
        form.addLayout(left, 0, 0)
        form.addLayout(right, 0, 1)
        for widget in (self.phone, self.caller_name):
            widget.setEnabled(caller_filters)
            if not caller_filters:
                widget.setToolTip(self.tr("Your role sees callers masked"))  # 您的角色只能看到脱敏的诉求人信息

        self.table = QTableWidget(0, 7, self)
        self.table.setObjectName("searchResults")
        self.table.setHorizontalHeaderLabels([
            self.tr("Case"), self.tr("Reported"), self.tr("Category"), self.tr("Place"),  # 事件 上报时间 类别 地点
            self.tr("State"), self.tr("Caller"), self.tr("Address or description")])  # 状态 诉求人 描述/地址
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.open_row(row))
        self.status = QLabel(self)
        self.status.setObjectName("searchStatus")
        self.previous_button = QPushButton(self.tr("Previous page"), self)  # 上一页
        self.next_button = QPushButton(self.tr("Next page"), self)  # 下一页

        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.status)
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

        self.search_button.clicked.connect(self.search)
        self.clear_button.clicked.connect(self.clear)
        self.previous_button.clicked.connect(lambda: self.page(-1))
        self.next_button.clicked.connect(lambda: self.page(+1))
        for line in (self.case_id, self.phone, self.caller_name, self.ticket_no, self.text):
            line.returnPressed.connect(self.search)
        opener = QShortcut(QKeySequence("Return"), self.table)
        opener.setContext(Qt.ShortcutContext.WidgetShortcut)
        opener.activated.connect(lambda: self.open_row(self.table.currentRow()))
        self.resize(1100, 640)
        self._update_pager()
        self.case_id.setFocus()

    # ---- asking -------------------------------------------------------------------------------------
    def current_filter(self) -> SearchFilter:
        state = self.state.currentData()
        states = sorted(OPEN_STATES, key=list(State).index) if state == OPEN else ([State(state)] if state else [])
        return SearchFilter(
            case_id=self.case_id.text().strip(), phone=self.phone.text().strip(),
            caller_name=self.caller_name.text().strip(), ticket_no=self.ticket_no.text().strip(),
            text=self.text.text().strip(), category=self.category.currentData() or "", states=states,
            reported_from=_day_start(self.date_from.date()) if self.period.isChecked() else None,
            reported_to=_day_start(self.date_to.date().addDays(1)) if self.period.isChecked() else None)

    def search(self) -> None:
        self._filter = self.current_filter()
        self._ask(0)

    def page(self, step: int) -> None:
        offset = self.offset + step * PAGE
        if 0 <= offset < max(self.total, 1):
            self._ask(offset)

    def _ask(self, offset: int) -> None:
        self.status.setText(self.tr("Searching…"))  # 正在查询…
        self.search_button.setEnabled(False)
        self.search_requested.emit(self._filter, offset)

    def clear(self) -> None:
        for line in (self.case_id, self.phone, self.caller_name, self.ticket_no, self.text):
            line.clear()
        self.category.setCurrentIndex(0)
        self.state.setCurrentIndex(0)
        self.period.setChecked(False)
        self.case_id.setFocus()

    # ---- answers ------------------------------------------------------------------------------------
    def set_result(self, total: int, offset: int, cases: list[Case]) -> None:
        self.search_button.setEnabled(True)
        self.total, self.offset, self.cases = total, offset, list(cases)
        self.table.setRowCount(len(cases))
        for row, case in enumerate(cases):
            caller = " ".join(t for t in (case.caller_name, case.caller_phone) if t)
            what = (case.description or case.address).strip()
            cells = (case.id, time_text(case.reported_at, "%Y-%m-%d %H:%M"), self.names.category_name(case.category),
                     self.names.node_path(case.node), state_label(case.state), caller,
                     what.splitlines()[0] if what else "")
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if cases:
            self.table.selectRow(0)
        self._update_pager()

    def set_error(self, text: str) -> None:
        self.search_button.setEnabled(True)
        self.status.setText(text)

    def _update_pager(self) -> None:
        if self.total:
            # zh: 第 %1–%2 条，共 %3 条
            self.status.setText(arg(self.tr("%1–%2 of %3"), self.offset + 1, self.offset + len(self.cases),
                                    self.total))
        elif self.cases == [] and self.search_button.isEnabled() and self._filter != SearchFilter():
            self.status.setText(self.tr("No case matches"))  # 没有符合条件的事件
        self.previous_button.setEnabled(self.offset > 0)
        self.next_button.setEnabled(self.offset + len(self.cases) < self.total)

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.cases):
            self.case_opened.emit(self.cases[row])
