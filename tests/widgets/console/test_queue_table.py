"""QueueTable: selection survives resets, keyboard opens, header and filter delegate, rows flash."""

from __future__ import annotations

import collections

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from domain.model import Urgency
from tests.widgets.list_source import T0, ListQueueSource, make_case
from widgets.common import roles as R
from widgets.common.names import MappingNames
from widgets.console.queue_model import COL_DEADLINE, COL_ID, COL_STATE, COL_URGENCY, FLASH_TINT, QueueTableModel
from widgets.console.queue_table import QueueTable


@pytest.fixture
def table(qtbot):
    source = ListQueueSource([make_case(f"C{i}", reported_at=T0 + i) for i in range(1, 6)])
    model = QueueTableModel(source, MappingNames(), clock=lambda: T0)
    widget = QueueTable(model, flash_interval_ms=20, flash_times=2)
    qtbot.addWidget(widget)
    widget.resize(900, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, source, model


def test_selection_is_kept_by_case_id_across_a_reset(qtbot, table):
    widget, source, model = table
    with qtbot.waitSignal(widget.case_selected) as selected:
        assert widget.select_case("C3")
    assert selected.args == ["C3"]
    for i in range(4):  # four new cases sort in front of C3
        source.put(make_case(f"A{i}"))
    emitted = []
    widget.case_selected.connect(emitted.append)
    assert model.sync() is True
    assert model.row_of("C3") == 6
    assert widget.selected_case_id() == "C3"
    assert widget.view.selectionModel().isRowSelected(6)
    assert emitted == []  # the same case: no new selection signal


def test_selection_returns_after_a_filter_hid_it(qtbot, table):
    widget, source, model = table
    widget.select_case("C2")
    widget.filter_edit.setText("C4")
    assert source.filter_text == "C4" and model.rowCount() == 1
    assert widget.selected_case_id() is None
    widget.filter_edit.clear()
    assert widget.selected_case_id() == "C2"


def test_enter_opens_the_current_case(qtbot, table):
    widget, _, _ = table
    widget.select_case("C4")
    widget.view.setFocus()
    with qtbot.waitSignal(widget.case_opened) as opened:
        qtbot.keyClick(widget.view, Qt.Key.Key_Return)
    assert opened.args == ["C4"]


def test_down_from_the_filter_box_enters_the_table(qtbot, table):
    widget, _, _ = table
    widget.focus_filter()
    with qtbot.waitSignal(widget.case_selected) as selected:
        qtbot.keyClick(widget.filter_edit, Qt.Key.Key_Down)
    assert selected.args == ["C1"]
    qtbot.keyClick(widget.filter_edit, Qt.Key.Key_A)
    qtbot.keyClick(widget.filter_edit, Qt.Key.Key_Escape)
    assert widget.filter_edit.text() == ""


def test_header_click_sorts_through_the_source(qtbot, table):
    widget, source, model = table
    source.put(make_case("Z9", urgency=Urgency.CRITICAL))
    model.sync()
    header = widget.view.horizontalHeader()
    x = header.sectionViewportPosition(COL_URGENCY) + header.sectionSize(COL_URGENCY) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert source.sort_key == "urgency"
    first_order = source.descending
    assert model.data(model.index(0 if first_order else model.rowCount() - 1, COL_ID)) == "Z9"
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert source.descending is not first_order


class _CountingModel(QueueTableModel):
    """Counts the cells the view asks for, by column."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.asked: collections.Counter[int] = collections.Counter()

    def data(self, index, role=R.DISPLAY):
        self.asked[index.column()] += 1
        return super().data(index, role)


def test_a_countdown_tick_repaints_the_countdown_column_alone(qtbot):
    now = [T0]
    # A long queue: for a column of more rows than it shows, Qt repaints every visible cell.
    source = ListQueueSource([make_case(f"C{i}", reported_at=T0 + i) for i in range(1, 1500)])
    model = _CountingModel(source, MappingNames(), clock=lambda: now[0])
    widget = QueueTable(model)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: model.asked[COL_ID] > 0)  # the first paint
    for _ in range(3):
        QApplication.processEvents()
    model.asked.clear()
    now[0] += 1
    model.tick()
    qtbot.waitUntil(lambda: model.asked[COL_DEADLINE] > 0)
    assert set(model.asked) == {COL_DEADLINE}  # Qt alone would ask every visible cell again
    model.asked.clear()
    model.dataChanged.emit(model.index(3, COL_ID), model.index(3, COL_STATE))  # one row: as Qt does it
    qtbot.waitUntil(lambda: model.asked[COL_ID] > 0)
    assert set(model.asked) >= {COL_ID, COL_STATE} and COL_DEADLINE not in model.asked


def test_flash_blinks_the_row_then_stops(qtbot, table):
    widget, _, model = table
    seen = []
    model.dataChanged.connect(
        lambda a, b, roles: seen.append(model.data(model.index(a.row(), COL_STATE), R.BACKGROUND))
    )
    widget.flash("C2")
    assert widget.is_flashing()
    assert model.data(model.index(1, COL_STATE), R.BACKGROUND) == FLASH_TINT
    qtbot.waitUntil(lambda: not widget.is_flashing(), timeout=3000)
    assert model.data(model.index(1, COL_STATE), R.BACKGROUND) is None
    assert FLASH_TINT in seen and None in seen


def test_bad_flash_settings_are_refused(qtbot):
    model = QueueTableModel(ListQueueSource(), MappingNames())
    with pytest.raises(ValueError, match="flash_interval_ms"):
        QueueTable(model, flash_interval_ms=0)


def test_rows_hold_still_under_the_pointer_and_keep_the_selected_case(qtbot, table):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    widget, source, model = table
    assert widget.select_case("C3")
    QApplication.sendEvent(widget.view.viewport(), QEvent(QEvent.Type.Enter))
    assert widget.is_held()
    for i in range(3):  # new cases would sort in front of C3
        source.put(make_case(f"A{i}"))
    widget.hold("dialog")
    QApplication.sendEvent(widget.view.viewport(), QEvent(QEvent.Type.Leave))
    assert widget.is_held()  # the dialog still holds it
    widget.hold("dialog", False)
    assert not widget.is_held()
    model.sync()
    assert widget.selected_case_id() == "C3"  # anchored to the case, not to the row
