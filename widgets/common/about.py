"""帮助 → 关于: the versions a support call asks for, in one selectable dialog.

The caller fills it (no network here): this app's release and protocol, Qt and PySide6,
and the hub it is connected to with that hub's address, release and protocol.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class AboutDialog(QDialog):
    """``rows`` are (label, value) pairs already translated by the caller; Copy puts them on the clipboard."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About GridCC"))  # 关于 GridCC
        self.rows = rows
        title = QLabel(self.tr("GridCC · grid governance command centre"), self)  # GridCC · 网格化服务管理指挥中心
        title.setObjectName("aboutTitle")
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for label, value in rows:
            field = QLabel(value, self)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, field)
            self.values[label] = field
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton(self.tr("Copy"), self)  # 复制
        copy.setObjectName("aboutCopy")
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def text(self) -> str:
        return "\n".join(f"{label} {value}" for label, value in self.rows)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
