"""The visit queue (走访任务): open visits due soon, overdue first in red, and 走访完成率.

``log_requested(person_id)`` asks the app to log a visit (it opens :class:`LogVisitDialog`);
the overdue-only box emits ``filter_changed``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from domain.gridwork import wire as gw
from widgets.common.formatting import arg, time_text
from widgets.gridwork.labels import care_labels, percent
from widgets.gridwork.tables import ALERT, RowTable
from widgets.gridwork.tiles import Tiles


class VisitQueuePanel(QWidget):
    log_requested = Signal(str)
    filter_changed = Signal(bool)

    def __init__(self, node_name: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitQueue")
        self.node_name = node_name
        self.view: gw.VisitQueueView | None = None
        self.tiles = Tiles({
            "overdue": self.tr("Overdue visits"),  # 逾期未走访
            "listed": self.tr("Due within 2 days"),  # 两日内到期
            "rate": self.tr("Visit completion, 30 days"),  # 近30天走访完成率
            "done": self.tr("On time / due"),  # 按期完成/应访
        }, columns=4, parent=self)
        self.overdue_only = QCheckBox(self.tr("Overdue only"), self)  # 只看逾期
        self.overdue_only.toggled.connect(self.filter_changed)
        self.log_button = QPushButton(self.tr("Log visit…"), self)  # 登记走访…
        self.log_button.setObjectName("logVisit")
        self.log_button.setEnabled(False)
        self.log_button.clicked.connect(self._log)
        self.tasks = RowTable([self.tr("Person"), self.tr("Groups"), self.tr("Grid"), self.tr("Due"),
                               self.tr("Overdue by"), self.tr("Worker")], self, stretch=2)  # 逾期 / 网格员
        self.tasks.itemSelectionChanged.connect(lambda: self.log_button.setEnabled(
            self.may_log and self.tasks.current_key() is not None))
        self.tasks.cellDoubleClicked.connect(lambda *_: self._log())
        self.rates = RowTable([self.tr("Name"), self.tr("Due visits"), self.tr("On time"), self.tr("Completion"),
                               self.tr("Overdue")], self, stretch=0)  # 逾期未访
        self.may_log = False
        bar = QHBoxLayout()
        bar.addWidget(self.overdue_only)
        bar.addStretch(1)
        bar.addWidget(self.log_button)
        rates_box = QGroupBox(self.tr("Visit completion by area or worker"), self)  # 走访完成率（分区域/网格员）
        QVBoxLayout(rates_box).addWidget(self.rates)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(split)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.tasks, 1)
        split.addWidget(left)
        split.addWidget(rates_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tiles)
        layout.addWidget(split, 1)

    def set_may_log(self, allowed: bool) -> None:
        self.may_log = allowed
        self.log_button.setVisible(allowed)

    def set_queue(self, view: gw.VisitQueueView) -> None:
        self.view = view
        overdue_rows = {}
        rows = []
        for i, t in enumerate(view.tasks):
            late = arg(self.tr("%1 days"), f"{t.days_overdue:g}") if t.overdue else ""
            if t.overdue:
                overdue_rows[i] = ALERT
            rows.append((t.person_id, [t.person_name, care_labels(t.groups), self.node_name(t.grid),
                                       time_text(t.due_at, "%Y-%m-%d"), late, t.worker_name or t.worker]))
        self.tasks.fill(rows, overdue_rows)
        self.tiles.set("overdue", view.overdue, bad=view.overdue > 0)
        self.tiles.set("listed", sum(1 for t in view.tasks if not t.overdue))
        rate = view.rate
        self.tiles.set("rate", percent(rate.done_on_time, rate.due) if rate else "—",
                       bad=bool(rate and rate.due and rate.done_on_time / rate.due < 0.95))
        self.tiles.set("done", f"{rate.done_on_time}/{rate.due}" if rate else "—")
        self.rates.fill([(r.key, [r.name or self.node_name(r.key), r.due, r.done_on_time,
                                  percent(r.done_on_time, r.due), r.overdue_open]) for r in view.rates],
                        {i: ALERT for i, r in enumerate(view.rates) if r.overdue_open})

    def _log(self) -> None:
        key = self.tasks.current_key()
        if key and self.may_log:
            self.log_requested.emit(key)


class LogVisitDialog(QDialog):
    """Notes of a visit; a problem found becomes a case of the chosen category in the same step."""

    def __init__(self, person: str, categories: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialog_log_visit")
        self.setWindowTitle(self.tr("Log visit"))  # 登记走访
        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText(self.tr("What was found on the visit"))  # 走访情况
        self.problem = QCheckBox(self.tr("A problem was found: report a case"), self)  # 发现问题，上报事件
        self.category = QComboBox(self)
        for code, name in categories:
            self.category.addItem(name, code)
        self.description = QPlainTextEdit(self)
        self.description.setPlaceholderText(self.tr("The problem, for the case"))  # 问题描述（用于立案）
        for w in (self.category, self.description):
            w.setEnabled(False)
            self.problem.toggled.connect(w.setEnabled)
        form = QFormLayout()
        form.addRow(self.tr("Person"), QLabel(person, self))
        form.addRow(self.tr("Notes"), self.notes)  # 走访记录
        form.addRow(self.problem)
        form.addRow(self.tr("Category"), self.category)  # 事件类别
        form.addRow(self.tr("Problem"), self.description)  # 问题
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> tuple[str, gw.ProblemIn | None]:
        notes = self.notes.toPlainText().strip()
        if not self.problem.isChecked():
            return notes, None
        text = self.description.toPlainText().strip() or notes
        return notes, gw.ProblemIn(category=self.category.currentData(), description=text)
