"""The 网格自管会 meeting log: the year's three figures, the meetings, and one meeting's record
with its attendees, invited departments and raised matters with their cases' outcomes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QSplitter, QVBoxLayout, QWidget

from domain.gridwork import wire as gw
from widgets.common.formatting import arg, time_text
from widgets.common.names import state_label
from widgets.gridwork.labels import role_label
from widgets.gridwork.tables import ALERT, GOOD, RowTable
from widgets.gridwork.tiles import Tiles


class MeetingLogPanel(QWidget):
    case_chosen = Signal(str)

    def __init__(self, node_name: Callable[[str], str], department_name: Callable[[str], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingLog")
        self.node_name, self.department_name = node_name, department_name
        self.view: gw.MeetingLogView | None = None
        self.tiles = Tiles({
            "meetings": self.tr("Meetings held"),  # 召开自管会
            "resolved": self.tr("Matters resolved"),  # 解决事项
            "opinions": self.tr("Opinions collected"),  # 收集意见
            "raised": self.tr("Matters raised"),  # 提出事项
            "closed": self.tr("Matters made cases: closed / all"),  # 转立案事项：已办结/总数
        }, columns=5, parent=self)
        self.year = QLabel(self)
        self.year.setObjectName("kpiCaption")
        self.meetings = RowTable([self.tr("Date"), self.tr("Grid"), self.tr("Topic"), self.tr("Attendees"),
                                  self.tr("Opinions"), self.tr("Resolved"), self.tr("Raised")],  # 意见 / 解决 / 提出
                                 self, stretch=2)
        self.meetings.itemSelectionChanged.connect(self._show_selected)
        self.record_title = QLabel(self)
        self.record_title.setObjectName("caseTitle")
        self.record_title.setWordWrap(True)
        self.record = QLabel(self)
        self.record.setWordWrap(True)
        self.record.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.matters = RowTable([self.tr("Matter"), self.tr("Case"), self.tr("Outcome"), self.tr("Closed")],
                                self, stretch=0)
        self.matters.cellDoubleClicked.connect(self._matter_clicked)
        self.per_child = RowTable([self.tr("Name"), self.tr("Meetings held"), self.tr("Matters resolved"),
                                   self.tr("Opinions collected")], self, stretch=0)
        record_box = QGroupBox(self.tr("Meeting record"), self)  # 会议记录
        record_layout = QVBoxLayout(record_box)
        record_layout.addWidget(self.record_title)
        record_layout.addWidget(self.record)
        record_layout.addWidget(self.matters, 1)
        record_layout.addWidget(self.per_child, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.meetings)
        split.addWidget(record_box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.year)
        layout.addWidget(self.tiles)
        layout.addWidget(split, 1)

    def set_log(self, view: gw.MeetingLogView) -> None:
        self.view = view
        f = view.figures
        self.year.setText(arg(self.tr("%1, %2"), self.node_name(view.scope), view.year))
        self.tiles.set("meetings", f.meetings)
        self.tiles.set("resolved", f.resolved)
        self.tiles.set("opinions", f.opinions)
        self.tiles.set("raised", f.raised)
        self.tiles.set("closed", f"{f.cases_closed}/{f.cases_linked}")
        self.meetings.fill([(m.id, [time_text(m.held_at, "%Y-%m-%d %H:%M"), self.node_name(m.grid), m.topic,
                                    len(m.attendees), m.opinions, m.resolved, len(m.matters)])
                            for m in view.meetings])
        self.per_child.setVisible(bool(view.per_child))
        self.per_child.fill([(c.key, [self.node_name(c.key), c.meetings, c.resolved, c.opinions])
                             for c in view.per_child])
        if self.meetings.currentRow() < 0 and view.meetings:
            self.meetings.selectRow(0)
        self._show_selected()

    def select_meeting(self, meeting_id: str) -> None:
        for row in range(self.meetings.rowCount()):
            if self.meetings.key_at(row) == meeting_id:
                self.meetings.selectRow(row)

    def _show_selected(self) -> None:
        key = self.meetings.current_key()
        meeting = next((m for m in self.view.meetings if m.id == key), None) if self.view else None
        if meeting is None:
            self.record_title.setText("")
            self.record.setText("")
            self.matters.fill([])
            return
        self.record_title.setText(f"{time_text(meeting.held_at, '%Y-%m-%d %H:%M')} · {meeting.topic}")
        people = "、".join(f"{a.name}（{role_label(a.role)}）" for a in meeting.attendees) or "—"
        departments = "、".join(self.department_name(d) for d in meeting.departments) or "—"
        self.record.setText("\n".join([
            arg(self.tr("Grid: %1"), self.node_name(meeting.grid)),  # 网格：%1
            arg(self.tr("Attendees (%1): %2"), len(meeting.attendees), people),  # 参会人员（%1）：%2
            arg(self.tr("Departments invited: %1"), departments),  # 邀请部门：%1
            arg(self.tr("Opinions collected: %1 · matters resolved at the meeting: %2 · matters raised: %3"),
                meeting.opinions, meeting.resolved, len(meeting.matters)),
        ]))
        colours = {}
        rows = []
        for i, m in enumerate(meeting.matters):
            if m.case_state == "closed":
                colours[i] = GOOD
            elif m.case_state == "rejected":
                colours[i] = ALERT
            outcome = state_label(m.case_state) if m.case_state else (self.tr("Recorded") if not m.case_id else "")
            rows.append((m.case_id or f"{meeting.id}#{i}", [m.text, m.case_id or "—", outcome,
                                                             time_text(m.case_closed_at)]))
        self.matters.fill(rows, colours)

    def _matter_clicked(self, row: int, _column: int) -> None:
        key = self.matters.key_at(row)
        if key and "#" not in key:
            self.case_chosen.emit(key)
