"""The live scorecard: one row per trainee, the figures the hub's event log gives.

The model takes one mapping of plain values per trainee, keyed by column (the hub
side's ``backend.training.scorecard.COLUMNS``; this widget does not import it), and
shows a trainee per column and a figure per row. Bad figures are marked: SLA breaches
and refused commands in red.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from widgets.common import roles as R
from widgets.common.formatting import QT_TRANSLATE_NOOP

_CTX = "Scorecard"
DISPLAY = Qt.ItemDataRole.DisplayRole
ALIGN = Qt.ItemDataRole.TextAlignmentRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
_BAD = QColor("#c62828")
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

TITLES: dict[str, str] = {
    "name": QT_TRANSLATE_NOOP("Scorecard", "Trainee"),  # 学员
    "scope": QT_TRANSLATE_NOOP("Scorecard", "Street"),  # 街道
    "backlog": QT_TRANSLATE_NOOP("Scorecard", "Waiting now"),  # 当前待办
    "cases_handled": QT_TRANSLATE_NOOP("Scorecard", "Cases handled"),  # 处理事件
    "accepted": QT_TRANSLATE_NOOP("Scorecard", "Accepted"),  # 立案数
    "mean_accept_minutes": QT_TRANSLATE_NOOP("Scorecard", "Mean time to accept (min)"),  # 平均立案用时（分钟）
    "dispatched": QT_TRANSLATE_NOOP("Scorecard", "Dispatched"),  # 派遣
    "mean_dispatch_minutes": QT_TRANSLATE_NOOP("Scorecard", "Mean time to dispatch (min)"),  # 平均派遣用时（分钟）
    "correct_department": QT_TRANSLATE_NOOP("Scorecard", "Right department"),  # 部门选择正确
    "dispatches": QT_TRANSLATE_NOOP("Scorecard", "Dispatches"),  # 派遣次数
    "sla_breaches": QT_TRANSLATE_NOOP("Scorecard", "SLA breaches"),  # 超期事件
    "due": QT_TRANSLATE_NOOP("Scorecard", "Due"),  # 应结案数
    "on_time_percent": QT_TRANSLATE_NOOP("Scorecard", "On-time closure rate (%)"),  # 按期结案率（%）
    "urges": QT_TRANSLATE_NOOP("Scorecard", "Urges"),  # 催办
    "supervisions": QT_TRANSLATE_NOOP("Scorecard", "Supervisions"),  # 督办
    "mistakes": QT_TRANSLATE_NOOP("Scorecard", "Refused (mistakes)"),  # 被拒操作（失误）
    "conflicts": QT_TRANSLATE_NOOP("Scorecard", "Conflicts"),  # 版本冲突
    "decisions": QT_TRANSLATE_NOOP("Scorecard", "Requests decided"),  # 审批数
    "mean_decide_minutes": QT_TRANSLATE_NOOP("Scorecard", "Mean time to decide (min)"),  # 平均审批用时（分钟）
    "callbacks": QT_TRANSLATE_NOOP("Scorecard", "Callbacks"),  # 回访数
    "reopened": QT_TRANSLATE_NOOP("Scorecard", "Reopened after callback"),  # 回访重办
}
_BAD_WHEN_POSITIVE = frozenset({"sla_breaches", "mistakes"})
_TEXT_COLUMNS = frozenset({"name", "scope"})


def title(key: str) -> str:
    try:
        return QCoreApplication.translate(_CTX, TITLES[key])
    except KeyError:
        raise ValueError(f"no scorecard title for column {key!r}; known: {', '.join(TITLES)}") from None


def cell_text(key: str, value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


class ScorecardModel(QAbstractTableModel):
    """One column per trainee (headed by the name), one row per figure: a few trainees, many figures."""

    def __init__(self, columns: Sequence[str], parent=None) -> None:
        super().__init__(parent)
        for key in columns:
            title(key)  # an unknown column fails here, by name
        self.columns = list(columns)
        self.figures = [key for key in self.columns if key != "name"]
        self._rows: list[Mapping[str, object]] = []

    def set_rows(self, rows: Sequence[Mapping[str, object]]) -> None:
        """One mapping per trainee, keyed by column (plus ``refusals``: code -> count, for a tooltip)."""
        if len(rows) == len(self._rows):
            self._rows = list(rows)
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.figures) - 1, len(rows) - 1))
                self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(rows) - 1)
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Mapping[str, object]]:
        return list(self._rows)

    def value(self, trainee: int, key: str) -> object:
        return self._rows[trainee].get(key)

    def rowCount(self, parent: R.Index = R.ROOT) -> int:
        return 0 if parent.isValid() else len(self.figures)

    def columnCount(self, parent: R.Index = R.ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def headerData(self, section, orientation, role=DISPLAY):
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return cell_text("name", self._rows[section].get("name"))
        return title(self.figures[section])

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        key, row = self.figures[index.row()], self._rows[index.column()]
        value = row.get(key)
        if role == DISPLAY:
            return cell_text(key, value)
        if role == ALIGN:
            return _LEFT if key in _TEXT_COLUMNS else _RIGHT
        if role == FOREGROUND and key in _BAD_WHEN_POSITIVE and isinstance(value, int) and value > 0:
            return _BAD
        if role == TOOLTIP and key == "mistakes":
            refusals = row.get("refusals") or {}
            return ", ".join(f"{code}: {n}" for code, n in refusals.items()) or None
        return None


class ScorecardPanel(QGroupBox):
    exportCsvRequested = Signal()
    exportPdfRequested = Signal()

    def __init__(self, columns: Sequence[str], parent=None) -> None:
        super().__init__(self.tr("Scorecard (live, from the event log)"), parent)  # 成绩单（实时，来自事件日志）
        self.setObjectName("trainerScorecard")
        self.model = ScorecardModel(columns, self)
        self.view = QTableView(self)
        self.view.setObjectName("scorecardTable")
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(110)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.note_label = QLabel(self)
        self.note_label.setObjectName("scorecardNote")
        self.note_label.setWordWrap(True)
        self.csv_button = QPushButton(self.tr("Export CSV…"), self)  # 导出CSV…
        self.pdf_button = QPushButton(self.tr("Export PDF…"), self)  # 导出PDF…
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.note_label, 1)
        bottom.addWidget(self.csv_button)
        bottom.addWidget(self.pdf_button)
        layout.addLayout(bottom)
        self.csv_button.clicked.connect(self.exportCsvRequested)
        self.pdf_button.clicked.connect(self.exportPdfRequested)

    def set_rows(self, rows: Sequence[Mapping[str, object]], note: str | None = None) -> None:
        self.model.set_rows(rows)
        if note is not None:
            self.note_label.setText(note)
