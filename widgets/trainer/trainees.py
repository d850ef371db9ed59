"""The trainees: who trains at which street, their tokens, who is signed in, and adding one more.

A trainee works either in a console the trainer opens on this machine ("Open console")
or with `gridcc connect URL --token TOKEN` from another machine; the panel shows both
the address and each token, selectable for copying.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from widgets.common.formatting import arg

_USER_ROLE = Qt.ItemDataRole.UserRole
_ONLINE = QColor("#43a047")
_OFFLINE = QColor("#9e9e9e")


class TraineeList(QGroupBox):
    addRequested = Signal(str, str)  # name, street code
    openConsoleRequested = Signal(str)  # user id

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("Trainees"), parent)  # 学员
        self.setObjectName("trainerTrainees")
        self.url_label = QLabel(self)
        self.url_label.setObjectName("trainerUrl")
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url_label.setWordWrap(True)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("trainerTraineeTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Name"),  # 姓名
            self.tr("Street"),  # 街道
            self.tr("Signed in"),  # 在线
            self.tr("Token"),  # 令牌
        ])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.open_button = QPushButton(self.tr("Open console"), self)  # 打开值班台
        self.open_button.setEnabled(False)
        self.copy_button = QPushButton(self.tr("Copy token"), self)  # 复制令牌
        self.copy_button.setEnabled(False)
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(self.tr("New trainee's name"))  # 新学员姓名
        self.street_combo = QComboBox(self)
        self.street_combo.setMinimumWidth(160)
        self.add_button = QPushButton(self.tr("Add trainee"), self)  # 添加学员

        layout = QVBoxLayout(self)
        layout.addWidget(self.url_label)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        add = QHBoxLayout()
        add.addWidget(self.name_edit, 1)
        add.addWidget(self.street_combo, 1)
        add.addWidget(self.add_button)
        layout.addLayout(add)

        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.copy_button.clicked.connect(self._copy_token)
        self.table.doubleClicked.connect(lambda _: self._open())
        self.open_button.clicked.connect(self._open)
        self.add_button.clicked.connect(self._add)
        self.name_edit.returnPressed.connect(self._add)

    def set_url(self, local: str, remote: str) -> None:
        self.url_label.setText(arg(self.tr("Trainees on other machines: gridcc connect %1 --token TOKEN"),
                                   remote))  # 其他电脑上的学员：gridcc connect %1 --token 令牌
        self.url_label.setToolTip(local)

    def set_streets(self, streets: Sequence[tuple[str, str]]) -> None:
        """(code, name) pairs for the street chooser."""
        self.street_combo.clear()
        for code, name in streets:
            self.street_combo.addItem(name, code)

    def set_trainees(self, rows: Sequence[tuple[str, str, str, str]]) -> None:
        """(user id, name, street name, token) per trainee, in order."""
        selected = self.selected()
        self.table.setRowCount(len(rows))
        for r, (user_id, name, street, token) in enumerate(rows):
            first = QTableWidgetItem(name)
            first.setData(_USER_ROLE, user_id)
            self.table.setItem(r, 0, first)
            self.table.setItem(r, 1, QTableWidgetItem(street))
            self.table.setItem(r, 2, QTableWidgetItem("●"))
            token_item = QTableWidgetItem(token)
            token_item.setToolTip(token)
            self.table.setItem(r, 3, token_item)
            if user_id == selected:
                self.table.selectRow(r)
        self.set_online(set())

    def _item(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None  # set_trainees fills every cell
        return item

    def set_online(self, user_ids: set[str]) -> None:
        for r in range(self.table.rowCount()):
            online = self._item(r, 0).data(_USER_ROLE) in user_ids
            dot = self._item(r, 2)
            dot.setForeground(_ONLINE if online else _OFFLINE)
            dot.setToolTip(self.tr("Signed in") if online else self.tr("Not signed in"))  # 在线 / 未登录

    def user_ids(self) -> list[str]:
        return [self._item(r, 0).data(_USER_ROLE) for r in range(self.table.rowCount())]

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self._item(rows[0].row(), 0).data(_USER_ROLE) if rows else None

    def select(self, user_id: str) -> None:
        for r in range(self.table.rowCount()):
            if self._item(r, 0).data(_USER_ROLE) == user_id:
                self.table.selectRow(r)

    def token_of(self, user_id: str) -> str:
        for r in range(self.table.rowCount()):
            if self._item(r, 0).data(_USER_ROLE) == user_id:
                return self._item(r, 3).text()
        raise KeyError(f"no trainee {user_id!r} in the list")

    def _selection_changed(self) -> None:
        chosen = self.selected() is not None
        self.open_button.setEnabled(chosen)
        self.copy_button.setEnabled(chosen)

    def _copy_token(self) -> None:
        user_id = self.selected()
        if user_id is not None:
            QGuiApplication.clipboard().setText(self.token_of(user_id))

    def _open(self) -> None:
        user_id = self.selected()
        if user_id is not None:
            self.openConsoleRequested.emit(user_id)

    def _add(self) -> None:
        name = self.name_edit.text().strip()
        street = self.street_combo.currentData()
        if name and street:
            self.addRequested.emit(name, street)
            self.name_edit.clear()
