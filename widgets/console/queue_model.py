"""The queue table's Qt model: a thin view over the client's sorted, filtered queue index.

No proxy model and no per-row Qt items (a proxy needs ~30 s to sort 200k rows): sorting
and filtering are delegated to the source, which keeps a numpy permutation. The app's display timer calls ``sync()``:
a new source revision resets the model (the table restores the selected case by id);
otherwise only the countdown column is repainted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Protocol

from PySide6.QtCore import QAbstractTableModel, QCoreApplication
from PySide6.QtGui import QBrush, QColor, QFont

from domain.model import Case, SlaState, State, Urgency
from widgets.common import roles as R
from widgets.common.formatting import QT_TRANSLATE_NOOP, arg, countdown_text, is_overdue, time_text
from widgets.common.names import Names, request_label, state_label, urgency_label


class QueueSource(Protocol):
    """What the model reads; backend_client.queue_index implements it with numpy."""

    revision: int

    def __len__(self) -> int: ...

    def case_at(self, row: int) -> Case: ...

    def row_of(self, case_id: str) -> int | None: ...

    def sort_by(self, key: str, descending: bool) -> None: ...

    def set_filter(self, text: str) -> None: ...

    def refresh(self) -> bool: ...


# (sort key given to QueueSource.sort_by or None when not sortable, header source text)
COLUMNS: tuple[tuple[str | None, str], ...] = (
    ("id", QT_TRANSLATE_NOOP("QueueTableModel", "ID")),  # 编号
    ("urgency", QT_TRANSLATE_NOOP("QueueTableModel", "Urgency")),  # 紧急程度
    ("category", QT_TRANSLATE_NOOP("QueueTableModel", "Category")),  # 类别
    ("node", QT_TRANSLATE_NOOP("QueueTableModel", "Grid")),  # 网格
    ("state", QT_TRANSLATE_NOOP("QueueTableModel", "State")),  # 状态
    ("reported_at", QT_TRANSLATE_NOOP("QueueTableModel", "Reported")),  # 上报时间
    ("deadline", QT_TRANSLATE_NOOP("QueueTableModel", "Deadline")),  # 处置时限
    ("department", QT_TRANSLATE_NOOP("QueueTableModel", "Department")),  # 责任部门
    (None, QT_TRANSLATE_NOOP("QueueTableModel", "Flags")),  # 督办/催办
)
COL_ID, COL_URGENCY, COL_CATEGORY, COL_NODE, COL_STATE, COL_REPORTED, COL_DEADLINE, COL_DEPARTMENT, COL_FLAGS = range(
    len(COLUMNS)
)
SORT_KEYS = tuple(key for key, _ in COLUMNS if key is not None)

URGENCY_COLORS = {Urgency.CRITICAL: QBrush(QColor("#d32f2f")), Urgency.URGENT: QBrush(QColor("#ef6c00"))}
OVERDUE_TINT = QBrush(QColor(229, 57, 53, 48))
WARNING_TINT = QBrush(QColor(255, 179, 0, 40))
FLASH_TINT = QBrush(QColor(255, 82, 82, 170))
PENDING_COLOR = QBrush(QColor("#8a8a8a"))
LATE_COLOR = QBrush(QColor("#d32f2f"))
#: The mark of a case whose command awaits the hub: words, not an emoji (⏳ is an empty box in
#: many CJK fonts). Translated at call time.
PENDING_MARK = QT_TRANSLATE_NOOP("QueueTableModel", "(sending) ")  # （发送中）

_CTX = "QueueTableModel"


def _tr(text: str) -> str:
    """Translate a header marked with QT_TRANSLATE_NOOP("QueueTableModel", ...) above."""
    return QCoreApplication.translate(_CTX, text)


class QueueTableModel(QAbstractTableModel):
    """Rows are the source's rows; columns are ``COLUMNS``. ``clock`` returns POSIX seconds."""

    def __init__(self, source: QueueSource, names: Names, clock: Callable[[], float] = time.time, parent=None):
        super().__init__(parent)
        self._source = source
        self._names = names
        self._clock = clock
        self._revision = source.revision
        self._rows = len(source)
        self._pending: frozenset[str] = frozenset()
        self._flashing: frozenset[str] = frozenset()
        self._cached: tuple[int, Case] | None = None  # (row, its case): data() asks per role
        self._ticked: int | None = None  # the second the countdowns were last repainted for
        self._sort: tuple[int, bool] = (-1, False)
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)

    # -- the source --------------------------------------------------------------
    @property
    def source(self) -> QueueSource:
        return self._source

    def set_source(self, source: QueueSource) -> None:
        """Show another queue (a tab or node switch); the previous sort is applied to it."""
        self._source = source
        column, descending = self._sort
        key = COLUMNS[column][0] if column >= 0 else None
        if key is not None:
            source.sort_by(key, descending)
        source.refresh()
        self._reset()

    def sync(self) -> bool:
        """Pull the source's changes; returns True when the rows were reset."""
        changed = self._source.refresh()
        if changed or self._source.revision != self._revision or len(self._source) != self._rows:
            self._reset()
            return True
        self.tick()
        return False

    def source_changed(self) -> bool:
        """Whether the source has changes the rows do not show yet (without pulling them)."""
        pending = getattr(self._source, "has_changes", None)
        return bool(pending()) if pending is not None else False

    def tick(self) -> None:
        """Repaint the countdown column only (the clock moved, the data did not), and only when
        the second it shows has moved: the display timer ticks four times a second."""
        second = int(self._clock())
        if self._rows and second != self._ticked:
            self._ticked = second
            self.dataChanged.emit(
                self.index(0, COL_DEADLINE), self.index(self._rows - 1, COL_DEADLINE), [R.DISPLAY, R.FOREGROUND]
            )

    def set_filter(self, text: str) -> None:
        self._source.set_filter(text)
        self._source.refresh()
        self._reset()

    def sort(self, column: int, order=R.ASCENDING) -> None:
        """Header clicks land here; the source sorts, the model resets."""
        key = COLUMNS[column][0] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        descending = order == R.DESCENDING
        self._sort = (column, descending)
        self._source.sort_by(key, descending)
        self._source.refresh()
        self._reset()

    def _reset(self) -> None:
        self.beginResetModel()
        self._revision = self._source.revision
        self._rows = len(self._source)
        self._cached = None
        self._ticked = int(self._clock())  # the rows just painted show this second
        self.endResetModel()

    # -- marks set by the app ------------------------------------------------------
    def set_pending(self, case_ids: Iterable[str]) -> None:
        """Cases with a command awaiting the hub's answer: grey italic, marked "(sending)"."""
        ids = frozenset(case_ids)
        if ids != self._pending:
            self._pending = ids
            self._repaint_all()

    def set_flashing(self, case_ids: Iterable[str]) -> None:
        ids = frozenset(case_ids)
        if ids != self._flashing:
            changed = ids ^ self._flashing
            self._flashing = ids
            for case_id in changed:
                row = self._source.row_of(case_id)
                if row is not None and row < self._rows:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1), [R.BACKGROUND])

    def _repaint_all(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, len(COLUMNS) - 1))

    # -- lookups ---------------------------------------------------------------------
    def case_at(self, row: int) -> Case:
        cached = self._cached
        if cached is None or cached[0] != row:
            cached = self._cached = (row, self._source.case_at(row))
        return cached[1]

    def case_id_at(self, row: int) -> str | None:
        return self.case_at(row).id if 0 <= row < self._rows else None

    def row_of(self, case_id: str) -> int | None:
        row = self._source.row_of(case_id)
        return row if row is not None and 0 <= row < self._rows else None

    # -- QAbstractTableModel -----------------------------------------------------------
    def rowCount(self, parent: R.Index = R.ROOT) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: R.Index = R.ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=R.DISPLAY):
        if role == R.DISPLAY and orientation == R.HORIZONTAL and 0 <= section < len(COLUMNS):
            return _tr(COLUMNS[section][1])
        return None

    def flags(self, index: R.Index):
        return R.ITEM_ENABLED_SELECTABLE if index.isValid() else R.NO_ITEM_FLAGS

    def data(self, index: R.Index, role=R.DISPLAY):
        row = index.row()
        if not 0 <= row < self._rows:
            return None
        col = index.column()
        case = self.case_at(row)
        if role == R.DISPLAY:
            return self._display(case, col)
        if role == R.BACKGROUND:
            if case.id in self._flashing:
                return FLASH_TINT
            if case.sla_state is SlaState.OVERDUE:
                return OVERDUE_TINT
            if case.sla_state is SlaState.WARNING:
                return WARNING_TINT
            return None
        if role == R.FOREGROUND:
            if case.id in self._pending:
                return PENDING_COLOR
            if col == COL_URGENCY:
                return URGENCY_COLORS.get(case.urgency)
            if col == COL_DEADLINE and is_overdue(case, self._clock()):
                return LATE_COLOR
            return None
        if role == R.FONT:
            if case.id in self._pending:
                return self._italic
            if col == COL_URGENCY and case.urgency is Urgency.CRITICAL:
                return self._bold
            return None
        if role == R.CASE_ID:
            return case.id
        if role == R.CASE:
            return case
        if role == R.TOOLTIP:
            if col == COL_NODE:
                return self._names.node_path(case.node)
            if col == COL_CATEGORY or col == COL_ID:
                return case.description or None
            return None
        if role == R.ALIGN and col == COL_DEADLINE:
            return R.ALIGN_RIGHT_V
        return None

    def _display(self, case: Case, col: int) -> str:
        if col == COL_ID:
            return _tr(PENDING_MARK) + case.id if case.id in self._pending else case.id
        if col == COL_URGENCY:
            return urgency_label(case.urgency)
        if col == COL_CATEGORY:
            return self._names.category_name(case.category)
        if col == COL_NODE:
            return self._names.node_name(case.node)
        if col == COL_STATE:
            return state_label(case.state)
        if col == COL_REPORTED:
            return time_text(case.reported_at)
        if col == COL_DEADLINE:
            return countdown_text(case, self._clock())
        if col == COL_DEPARTMENT:
            return self._names.department_name(case.department) if case.department else ""
        if col == COL_FLAGS:
            return flags_text(case, self._clock())
        return ""


def flags_text(case: Case, now: float | None = None) -> str:
    """督办/催办 marks: an open supervision order with its level, and the urge count."""
    parts = []
    sup = case.supervision
    if sup is not None and sup.reply is None:
        parts.append(arg(QCoreApplication.translate("QueueTableModel", "Supervised L%1"), sup.level))  # 督办(%1级)
    if case.urge_count:
        parts.append(arg(QCoreApplication.translate("QueueTableModel", "Urged ×%1"), case.urge_count))  # 催办×%1
    request = case.request
    if request is not None and request.approved is None:
        # zh: %1待审批
        parts.append(arg(QCoreApplication.translate("QueueTableModel", "%1 to approve"), request_label(request.kind)))
    if case.assists:
        done = sum(a.report is not None for a in case.assists)
        # zh: 协办 %1/%2
        parts.append(arg(QCoreApplication.translate("QueueTableModel", "Assist %1/%2"), done, len(case.assists)))
    if case.reopen_count:
        parts.append(QCoreApplication.translate("QueueTableModel", "Reopened"))  # 重办
    if (now is not None and case.state is State.DISPATCHED and case.sign_deadline is not None
            and now > case.sign_deadline):  # the 签收 clock (when the hub runs it)
        parts.append(QCoreApplication.translate("QueueTableModel", "Sign overdue"))  # 签收超时
    return " ".join(parts)
