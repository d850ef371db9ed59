"""Injecting a case by hand, and the scenario's scheduled injections.

The form asks what a trainer needs to test a trainee: category, where (street, then
grid), urgency, source and a description. It emits one ``injectRequested`` with those
values; the controller reports the case through the hub and answers with ``add_log`` or
``show_error``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from domain.model import Source, Urgency
from widgets.common.names import source_label, urgency_label


class InjectPanel(QWidget):
    injectRequested = Signal(dict)  # grid, category, urgency, source, description
    streetChosen = Signal(str)  # the controller answers with set_grids

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("trainerInject")
        form_box = QGroupBox(self.tr("Inject a case"), self)  # 手动注入事件
        self.category_combo = QComboBox(form_box)
        self.category_combo.setObjectName("injectCategory")
        self.street_combo = QComboBox(form_box)
        self.grid_combo = QComboBox(form_box)
        self.grid_combo.setObjectName("injectGrid")
        self.urgency_combo = QComboBox(form_box)
        for urgency in Urgency:
            self.urgency_combo.addItem(urgency_label(urgency), urgency.value)
        self.urgency_combo.setCurrentIndex(self.urgency_combo.findData(Urgency.CRITICAL.value))
        self.source_combo = QComboBox(form_box)
        for source in Source:
            self.source_combo.addItem(source_label(source), source.value)
        self.source_combo.setCurrentIndex(self.source_combo.findData(Source.HOTLINE.value))
        self.description_edit = QPlainTextEdit(form_box)
        self.description_edit.setPlaceholderText(self.tr("What the caller says (optional)"))  # 来电内容（可选）
        self.description_edit.setFixedHeight(70)
        self.inject_button = QPushButton(self.tr("Inject now"), form_box)  # 立即注入
        self.inject_button.setObjectName("injectButton")
        self.error_label = QLabel(form_box)
        self.error_label.setObjectName("injectError")
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        form = QFormLayout(form_box)
        form.addRow(self.tr("Category"), self.category_combo)  # 事件类别
        form.addRow(self.tr("Street"), self.street_combo)  # 街道
        form.addRow(self.tr("Grid"), self.grid_combo)  # 网格
        form.addRow(self.tr("Urgency"), self.urgency_combo)  # 紧急程度
        form.addRow(self.tr("Source"), self.source_combo)  # 来源
        form.addRow(self.tr("Description"), self.description_edit)  # 描述
        row = QHBoxLayout()
        row.addWidget(self.error_label, 1)
        row.addWidget(self.inject_button)
        form.addRow(row)

        scheduled_box = QGroupBox(self.tr("Scheduled in the scenario"), self)  # 场景预设注入
        self.scheduled_list = QListWidget(scheduled_box)
        self.scheduled_list.setObjectName("trainerScheduled")
        QVBoxLayout(scheduled_box).addWidget(self.scheduled_list)
        log_box = QGroupBox(self.tr("Injected by hand"), self)  # 手动注入记录
        self.log_list = QListWidget(log_box)
        self.log_list.setObjectName("trainerInjectLog")
        QVBoxLayout(log_box).addWidget(self.log_list)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(form_box)
        layout.addWidget(scheduled_box, 1)
        layout.addWidget(log_box, 1)

        self.street_combo.currentIndexChanged.connect(self._street_changed)
        self.inject_button.clicked.connect(self._inject)

    def set_categories(self, categories: Sequence[tuple[str, str]]) -> None:
        """(code, label) pairs, e.g. ("20451", "突发事件 / 电梯困人")."""
        self.category_combo.clear()
        for code, label in categories:
            self.category_combo.addItem(label, code)

    def set_streets(self, streets: Sequence[tuple[str, str]]) -> None:
        self.street_combo.clear()
        for code, name in streets:
            self.street_combo.addItem(name, code)

    def set_grids(self, grids: Sequence[tuple[str, str]]) -> None:
        self.grid_combo.clear()
        for code, name in grids:
            self.grid_combo.addItem(name, code)

    def choose(self, *, category: str | None = None, street: str | None = None, grid: str | None = None) -> None:
        """Preselect values (tests, and the controller after a trainee is chosen)."""
        for combo, value in ((self.category_combo, category), (self.street_combo, street), (self.grid_combo, grid)):
            if value is not None:
                index = combo.findData(value)
                if index < 0:
                    raise ValueError(f"{value!r} is not offered in the {combo.objectName() or 'street'} chooser")
                combo.setCurrentIndex(index)

    def set_scheduled(self, lines: Sequence[str]) -> None:
        self.scheduled_list.clear()
        if not lines:
            # zh: 无：本场景没有预设注入
            self.scheduled_list.addItem(self.tr("None: this scenario schedules no injections"))
        self.scheduled_list.addItems(list(lines))

    def add_log(self, line: str) -> None:
        self.log_list.insertItem(0, line)
        self.error_label.clear()
        self.description_edit.clear()

    def clear_log(self) -> None:
        """Forget the hand injections (a reset starts a new run)."""
        self.log_list.clear()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)

    def set_busy(self, busy: bool) -> None:
        self.inject_button.setEnabled(not busy)

    def _street_changed(self, index: int) -> None:
        if index >= 0:
            self.streetChosen.emit(self.street_combo.itemData(index))

    def _inject(self) -> None:
        grid, category = self.grid_combo.currentData(), self.category_combo.currentData()
        if not grid or not category:
            self.show_error(self.tr("Choose a category and a grid first"))  # 请先选择事件类别和网格
            return
        self.injectRequested.emit({
            "grid": grid, "category": category, "urgency": self.urgency_combo.currentData(),
            "source": self.source_combo.currentData(), "description": self.description_edit.toPlainText(),
        })
