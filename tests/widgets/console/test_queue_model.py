"""QueueTableModel: cells and roles, sort/filter delegation, countdown ticking, sync."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from domain.model import SlaState, State, Supervision, Urgency
from tests.widgets.list_source import GRID_A, GRID_B, T0, ListQueueSource, make_case, replace, small_city
from widgets.common import roles as R
from widgets.common.names import MappingNames
from widgets.console.queue_model import (
    COL_CATEGORY,
    COL_DEADLINE,
    COL_DEPARTMENT,
    COL_FLAGS,
    COL_ID,
    COL_NODE,
    COL_REPORTED,
    COL_STATE,
    COL_URGENCY,
    COLUMNS,
    FLASH_TINT,
    OVERDUE_TINT,
    PENDING_COLOR,
    QueueTableModel,
)


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def names():
    return MappingNames(
        categories={"20102": "暴露垃圾", "21308": "占道经营"},
        hierarchy=small_city(),
        departments={"D01": "城管"},
        path_from="370203001",
    )


@pytest.fixture
def cases():
    return [
        make_case("C3", urgency=Urgency.CRITICAL, category="21308", node=GRID_B, description="路边摆摊"),
        make_case(
            "C1",
            state=State.DISPATCHED,
            department="D01",
            deadline=T0 + 5025,
            sla_state=SlaState.OK,
            urge_count=2,
            supervision=Supervision(level=2, reason="久拖", due=T0 + 86400, by="s1", at=T0),
        ),
        make_case("C2", urgency=Urgency.URGENT, state=State.IN_PROGRESS, deadline=T0 - 720, sla_state=SlaState.OVERDUE),
    ]


def cell(model, row, col, role=R.DISPLAY):
    return model.data(model.index(row, col), role)


def test_rows_columns_and_cells(qtbot, names, cases):
    source = ListQueueSource(cases)
    model = QueueTableModel(source, names, clock=Clock(T0))
    assert model.rowCount() == 3 and model.columnCount() == len(COLUMNS) == 9
    assert [model.headerData(c, R.HORIZONTAL) for c in range(9)] == [
        "ID", "Urgency", "Category", "Grid", "State", "Reported", "Deadline", "Department", "Flags",
    ]
    assert [cell(model, r, COL_ID) for r in range(3)] == ["C1", "C2", "C3"]
    assert cell(model, 2, COL_URGENCY) == "Critical"
    assert cell(model, 2, COL_CATEGORY) == "占道经营"
    assert cell(model, 2, COL_NODE) == "第1-1-2网格"
    assert cell(model, 2, COL_NODE, R.TOOLTIP) == "第1街道 / 第1-1社区 / 第1-1-2网格"
    assert cell(model, 0, COL_STATE) == "Dispatched"
    assert cell(model, 0, COL_REPORTED) == "01-01 10:53"  # China Standard Time
    assert cell(model, 0, COL_DEPARTMENT) == "城管"
    assert cell(model, 2, COL_DEPARTMENT) == ""
    assert cell(model, 0, COL_FLAGS) == "Supervised L2 Urged ×2"
    assert cell(model, 1, COL_ID, R.CASE_ID) == "C2"
    assert cell(model, 1, COL_ID, R.CASE).id == "C2"
    assert cell(model, 3, COL_ID) is None  # past the end


def test_urgency_colours_and_overdue_tint(qtbot, names, cases):
    model = QueueTableModel(ListQueueSource(cases), names, clock=Clock(T0))
    assert cell(model, 2, COL_URGENCY, R.FOREGROUND).color() == QColor("#d32f2f")  # 特急 red
    assert cell(model, 2, COL_URGENCY, R.FONT).bold()
    assert cell(model, 1, COL_URGENCY, R.FOREGROUND).color() == QColor("#ef6c00")  # 紧急 orange
    assert cell(model, 0, COL_URGENCY, R.FOREGROUND) is None
    assert cell(model, 1, COL_CATEGORY, R.BACKGROUND) == OVERDUE_TINT  # whole row tinted
    assert cell(model, 0, COL_CATEGORY, R.BACKGROUND) is None


def test_countdown_ticks_with_the_injected_clock(qtbot, names, cases):
    clock = Clock(T0)
    model = QueueTableModel(ListQueueSource(cases), names, clock=clock)
    assert cell(model, 0, COL_DEADLINE) == "1:23:45 left"
    assert cell(model, 1, COL_DEADLINE) == "overdue 0:12:00"
    assert cell(model, 2, COL_DEADLINE) == ""  # no clock before dispatch
    clock.now += 5025 + 60
    assert cell(model, 0, COL_DEADLINE) == "overdue 0:01:00"
    assert cell(model, 0, COL_DEADLINE, R.FOREGROUND).color() == QColor("#d32f2f")


def test_sync_without_new_revision_repaints_only_the_countdown(qtbot, names, cases):
    model = QueueTableModel(ListQueueSource(cases), names, clock=Clock(T0))
    changes, resets = [], []
    model.dataChanged.connect(lambda a, b, roles: changes.append((a.row(), a.column(), b.row(), b.column())))
    model.modelReset.connect(lambda: resets.append(1))
    assert model.sync() is False
    assert changes == [(0, COL_DEADLINE, 2, COL_DEADLINE)] and resets == []


def test_the_countdowns_repaint_once_a_second_not_on_every_tick(qtbot, names, cases):
    clock = Clock(T0 + 0.1)
    model = QueueTableModel(ListQueueSource(cases), names, clock=clock)
    changes = []
    model.dataChanged.connect(lambda a, b, roles: changes.append((a.column(), b.column())))
    model.tick()
    assert changes == [(COL_DEADLINE, COL_DEADLINE)]
    for step in (0.25, 0.25, 0.25):  # the display timer's ticks within the same second
        clock.now += step
        model.tick()
    assert len(changes) == 1
    clock.now += 0.25  # T0 + 1.1: the countdowns show another second
    model.tick()
    assert len(changes) == 2
    model.sync()  # no new revision: the same as a tick, within the same second
    assert len(changes) == 2


def test_sync_resets_on_a_new_revision(qtbot, names, cases):
    source = ListQueueSource(cases)
    model = QueueTableModel(source, names, clock=Clock(T0))
    source.put(make_case("C0"))
    assert model.rowCount() == 3  # not visible until the display timer syncs
    with qtbot.waitSignal(model.modelReset):
        assert model.sync() is True
    assert model.rowCount() == 4 and cell(model, 0, COL_ID) == "C0"


def test_sort_is_delegated_to_the_source(qtbot, names, cases):
    source = ListQueueSource(cases)
    model = QueueTableModel(source, names, clock=Clock(T0))
    with qtbot.waitSignal(model.modelReset):
        model.sort(COL_URGENCY, R.DESCENDING)
    assert (source.sort_key, source.descending) == ("urgency", True)
    assert [cell(model, r, COL_ID) for r in range(3)] == ["C3", "C2", "C1"]
    model.sort(COL_DEADLINE, R.ASCENDING)
    assert (source.sort_key, source.descending) == ("deadline", False)
    model.sort(COL_FLAGS, R.ASCENDING)  # not sortable: ignored
    assert source.sort_key == "deadline"


def test_filter_is_delegated_to_the_source(qtbot, names, cases):
    source = ListQueueSource(cases)
    model = QueueTableModel(source, names, clock=Clock(T0))
    model.set_filter("摆摊")
    assert source.filter_text == "摆摊"
    assert model.rowCount() == 1 and cell(model, 0, COL_ID) == "C3"
    model.set_filter("")
    assert model.rowCount() == 3


def test_pending_cases_are_grey_italic_with_hourglass(qtbot, names, cases):
    model = QueueTableModel(ListQueueSource(cases), names, clock=Clock(T0))
    with qtbot.waitSignal(model.dataChanged):
        model.set_pending({"C2"})
    assert cell(model, 1, COL_ID) == "(sending) C2"  # words: ⏳ is an empty box in CJK fonts
    assert cell(model, 1, COL_STATE, R.FONT).italic()
    assert cell(model, 1, COL_URGENCY, R.FOREGROUND) == PENDING_COLOR
    assert cell(model, 0, COL_ID) == "C1" and cell(model, 0, COL_STATE, R.FONT) is None
    model.set_pending(())
    assert cell(model, 1, COL_ID) == "C2"


def test_flashing_rows_and_source_switch(qtbot, names, cases):
    model = QueueTableModel(ListQueueSource(cases), names, clock=Clock(T0))
    model.set_flashing({"C1"})
    assert cell(model, 0, COL_STATE, R.BACKGROUND) == FLASH_TINT
    model.sort(COL_URGENCY, R.DESCENDING)
    other = ListQueueSource([make_case("X1"), make_case("X2", urgency=Urgency.CRITICAL)])
    with qtbot.waitSignal(model.modelReset):
        model.set_source(other)
    assert other.sort_key == "urgency" and other.descending  # the chosen sort carries over
    assert [cell(model, r, COL_ID) for r in range(2)] == ["X2", "X1"]


def test_closed_cases_show_how_they_ended(qtbot, names):
    done = [
        make_case("A", state=State.CLOSED, closed_on_time=True, deadline=T0),
        make_case("B", state=State.CLOSED, closed_on_time=False, deadline=T0),
        make_case("C", state=State.SUSPENDED, deadline=T0),
        make_case("D", state=State.RESOLVED, deadline=T0 + 10, resolved_at=T0),
    ]
    model = QueueTableModel(ListQueueSource(done), names, clock=Clock(T0 + 1e6))
    assert [cell(model, r, COL_DEADLINE) for r in range(4)] == ["On time", "Late", "Clock stopped", "On time"]


def test_long_countdowns_show_days(qtbot, names):
    case = replace(make_case("L", state=State.DISPATCHED), deadline=T0 + 2 * 86400 + 3723)
    model = QueueTableModel(ListQueueSource([case]), names, clock=Clock(T0))
    assert cell(model, 0, COL_DEADLINE) == "2d 1:02:03 left"
    assert cell(model, 0, COL_NODE) == "第1-1-1网格" and case.node == GRID_A
