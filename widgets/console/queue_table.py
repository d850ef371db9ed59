"""The queue table: filter box, fast table view, row flash for alerts, keyboard first.

It keeps the operator's place: when the model resets (new revision, sort, filter) the
selected case is selected again by id, wherever its row went. And it holds still under
the pointer: while the mouse is over the rows (or the app holds it, e.g. while a dialog
is open) ``is_held()`` is True and the app keeps the rows where they are; a line above
the table says that updates are waiting.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from widgets.console.queue_model import COL_CATEGORY, COL_DEADLINE, COL_FLAGS, COL_ID, QueueTableModel

HOVER_HOLD_S = 15.0
_OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_SELECT_ROW = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows


class _QueueView(QTableView):
    """A table view that reports Enter as "open" instead of moving the cursor, and repaints
    only the column whose cells changed (the countdowns, every second)."""

    open_requested = Signal()

    def dataChanged(self, top_left, bottom_right, roles=()) -> None:
        """For a range of changed cells much longer than the view (the countdowns: the whole
        column), Qt repaints the whole viewport: every visible cell's roles asked again (~2,200
        calls into the Python model, ~12 ms at 1920×1080) where the column's ~250 do."""
        column = top_left.column()
        if top_left == bottom_right or not top_left.isValid() or bottom_right.column() != column:
            super().dataChanged(top_left, bottom_right, roles)
            return
        if self.isColumnHidden(column):
            return
        x, width = self.columnViewportPosition(column), self.columnWidth(column)
        if x + width <= 0 or x >= self.viewport().width():
            return  # scrolled out of sight: nothing to repaint
        top = self.rowViewportPosition(top_left.row())
        last = bottom_right.row()
        bottom = self.rowViewportPosition(last) + self.rowHeight(last)
        self.viewport().update(QRect(x, top, width, bottom - top))

    def keyPressEvent(self, event) -> None:
        if event.key() in _OPEN_KEYS and self.currentIndex().isValid():
            self.open_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class QueueTable(QWidget):
    """Filter box above the table. Emits the selected and the opened case id."""

    case_selected = Signal(str)
    case_opened = Signal(str)

    def __init__(self, model: QueueTableModel, parent=None, flash_interval_ms: int = 300, flash_times: int = 6):
        super().__init__(parent)
        if flash_interval_ms <= 0 or flash_times <= 0:
            raise ValueError(
                f"flash_interval_ms and flash_times must be positive, got {flash_interval_ms} and {flash_times}"
            )
        self._model = model
        self._selected: str | None = None
        self._restoring_id: str | None = None
        self._flash_left: dict[str, int] = {}
        self._flash_times = flash_times * 2  # on and off phases
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(flash_interval_ms)
        self._flash_timer.timeout.connect(self._flash_step)
        self._hovered = False
        self._moved_at = 0.0
        self._holds: set[str] = set()

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("queueFilter")
        self.filter_edit.setPlaceholderText(self.tr("Filter: ID, category, grid, text…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._model.set_filter)
        self.filter_edit.returnPressed.connect(self._focus_table)
        self.filter_edit.installEventFilter(self)

        self.view = _QueueView(self)
        self.view.setObjectName("queueTable")
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._model.sort)
        for col, width in ((COL_ID, 150), (COL_CATEGORY, 150), (COL_DEADLINE, 120), (COL_FLAGS, 130)):
            header.resizeSection(col, width)

        self.view.viewport().installEventFilter(self)
        self.view.viewport().setMouseTracking(True)
        # zh: 鼠标停在列表上，列表暂停刷新；移开后显示新变化
        self.held_label = QLabel(self.tr("List held still under the pointer; new changes wait"), self)
        self.held_label.setObjectName("queueHeld")
        self.held_label.hide()

        self.view.open_requested.connect(self._open_current)
        self.view.doubleClicked.connect(self._open_index)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        model.modelAboutToBeReset.connect(self._remember_selection)
        model.modelReset.connect(self._restore_selection)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.held_label)
        layout.addWidget(self.view)
        self.setFocusProxy(self.view)

    @property
    def model(self) -> QueueTableModel:
        return self._model

    # -- selection -------------------------------------------------------------------
    def selected_case_id(self) -> str | None:
        """The selected case, if its row is shown (a filter may hide it for a while)."""
        index = self.view.currentIndex()
        return self._model.case_id_at(index.row()) if index.isValid() else None

    def select_case(self, case_id: str) -> bool:
        """Select the row of ``case_id`` and scroll to it; False when it is not in this queue."""
        row = self._model.row_of(case_id)
        if row is None:
            return False
        index = self._model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(index, _SELECT_ROW)
        self.view.scrollTo(index)
        return True

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._restoring_id is not None or not current.isValid():
            return
        case_id = self._model.case_id_at(current.row())
        if case_id is not None and case_id != self._selected:
            self._selected = case_id
            self.case_selected.emit(case_id)

    def _remember_selection(self) -> None:
        # By id, not by row: the source has already moved on when the reset begins.
        self._restoring_id = self._selected or ""

    def _restore_selection(self) -> None:
        try:
            row = self._model.row_of(self._restoring_id) if self._restoring_id else None
            if row is not None:
                self.view.selectionModel().setCurrentIndex(self._model.index(row, 0), _SELECT_ROW)
        finally:
            self._restoring_id = None

    def _open_current(self) -> None:
        self._open_index(self.view.currentIndex())

    def _open_index(self, index: QModelIndex) -> None:
        case_id = self._model.case_id_at(index.row()) if index.isValid() else None
        if case_id is not None:
            self.case_opened.emit(case_id)

    def _focus_table(self) -> None:
        self.view.setFocus()
        if not self.view.currentIndex().isValid() and self._model.rowCount():
            self.view.selectionModel().setCurrentIndex(self._model.index(0, 0), _SELECT_ROW)

    # -- holding still ---------------------------------------------------------------
    def is_held(self) -> bool:
        """True while the rows must not move: the pointer is over them (and moved in the last
        ``HOVER_HOLD_S`` seconds: a pointer merely parked there lets the list live), or a hold is set."""
        hovering = self._hovered and time.monotonic() - self._moved_at < HOVER_HOLD_S
        return hovering or bool(self._holds)

    def hold(self, reason: str, on: bool = True) -> None:
        """Hold the rows still for ``reason`` (e.g. "dialog") until ``hold(reason, False)``."""
        if on:
            self._holds.add(reason)
        else:
            self._holds.discard(reason)

    def set_waiting(self, waiting: bool) -> None:
        """The app says whether changes are waiting behind the hold."""
        self.held_label.setVisible(waiting and self.is_held())

    def eventFilter(self, obj, event) -> bool:
        if obj is self.view.viewport():
            kind = event.type()
            if kind in (QEvent.Type.Enter, QEvent.Type.MouseMove):
                self._hovered = True
                self._moved_at = time.monotonic()
            elif kind == QEvent.Type.Leave:
                self._hovered = False
                self.held_label.hide()
            return False
        if obj is self.filter_edit and event.type() == event.Type.KeyPress:
            if event.key() == Qt.Key.Key_Down:
                self._focus_table()
                return True
            if event.key() == Qt.Key.Key_Escape and self.filter_edit.text():
                self.filter_edit.clear()
                return True
        return super().eventFilter(obj, event)

    # -- alerts ----------------------------------------------------------------------
    def flash(self, case_id: str) -> None:
        """Blink the case's row a few times (it may enter the queue later; it blinks then)."""
        self._flash_left[case_id] = self._flash_times
        self._flash_step()
        if not self._flash_timer.isActive():
            self._flash_timer.start()

    def is_flashing(self) -> bool:
        return bool(self._flash_left)

    def _flash_step(self) -> None:
        on = set()
        for case_id in list(self._flash_left):
            left = self._flash_left[case_id] - 1
            if left <= 0:
                del self._flash_left[case_id]
                continue
            self._flash_left[case_id] = left
            if left % 2:
                on.add(case_id)
        self._model.set_flashing(on)
        if not self._flash_left:
            self._flash_timer.stop()
