"""The grid portrait (全息网格画像): one page per node.

At a grid: the register's figures, the special-care people (names masked by the hub for roles
without the right), the party organisation, the staff, key places and the grid's recent cases,
visits, meetings and patrols. Above a grid: the summed figures and a row per child to drill
down. Clicking a child emits ``node_chosen``; clicking a recent case emits ``case_chosen``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from domain.gridwork import wire as gw
from domain.gridwork.care import CARE_KEYS
from widgets.common.formatting import arg, time_text
from widgets.gridwork.labels import care_label, care_labels, patrol_label, place_label, role_label
from widgets.gridwork.tables import ALERT, RowTable
from widgets.gridwork.tiles import Tiles


class GridPortraitPage(QWidget):
    node_chosen = Signal(str)
    case_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gridPortrait")
        self.view: gw.PortraitView | None = None
        self.title = QLabel(self)
        self.title.setObjectName("caseTitle")
        self.as_of = QLabel(self)
        self.as_of.setObjectName("kpiCaption")
        self.figures = Tiles({
            "households": self.tr("Households"),  # 户数
            "residents": self.tr("Residents"),  # 人口
            "buildings": self.tr("Buildings / units"),  # 楼栋/单元
            "businesses": self.tr("Businesses"),  # 商户
            "key_places": self.tr("Key places"),  # 重点场所
            "party": self.tr("Party members"),  # 党员
            "workers": self.tr("Grid workers"),  # 网格员
            "care": self.tr("Special-care people"),  # 重点关爱人员
        }, columns=8, parent=self)
        self.work = Tiles({
            "cases": self.tr("Cases, 30 days"),  # 近30天事件
            "open": self.tr("Open cases"),  # 在办事件
            "visits": self.tr("Visits, 30 days"),  # 近30天走访
            "overdue": self.tr("Overdue visits"),  # 逾期未走访
            "meetings": self.tr("Meetings this year"),  # 本年自管会
            "patrols": self.tr("Patrols today"),  # 今日巡查
        }, columns=6, parent=self)
        self.groups = RowTable([self.tr("Group"), self.tr("People")], self)  # 类别 / 人数
        self.groups.setMaximumWidth(260)

        self.people = RowTable([self.tr("Name"), self.tr("Groups"), self.tr("Care needs"),  # 姓名 / 类别 / 关爱需求
                                self.tr("Visit every"), self.tr("Address"), self.tr("Phone"),  # 走访周期 / 住址 / 电话
                                self.tr("ID number")], self, stretch=2)  # 身份证号
        self.children_table = RowTable([self.tr("Name"), self.tr("Grids"), self.tr("Households"),  # 名称 / 网格数
                                        self.tr("Residents"), self.tr("Special-care people"),
                                        self.tr("Elderly living alone"), self.tr("Grid workers"),  # 独居老人
                                        self.tr("Party members")], self, stretch=0)
        self.children_table.cellDoubleClicked.connect(self._child_clicked)
        self.children_table.cellClicked.connect(self._child_clicked)

        self.party = QLabel(self)
        self.party.setWordWrap(True)
        self.staff = QLabel(self)
        self.staff.setWordWrap(True)
        self.places = QLabel(self)
        self.places.setWordWrap(True)
        self.recent = QListWidget(self)
        self.recent.itemActivated.connect(self._recent_clicked)
        self.recent.itemClicked.connect(self._recent_clicked)
        side = QWidget(self)
        form_box = QGroupBox(self.tr("Grid organisation"), side)  # 网格组织
        form = QFormLayout(form_box)
        form.addRow(self.tr("Party"), self.party)  # 党组织
        form.addRow(self.tr("Staff"), self.staff)  # 网格力量
        form.addRow(self.tr("Key places"), self.places)
        recent_box = QGroupBox(self.tr("Recent work"), side)  # 近期工作
        recent_layout = QVBoxLayout(recent_box)
        recent_layout.addWidget(self.recent)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(form_box)
        side_layout.addWidget(recent_box, 1)

        self.grid_part = QSplitter(Qt.Orientation.Horizontal, self)
        people_box = QGroupBox(self.tr("Special-care register"), self)  # 重点人群台账
        people_layout = QVBoxLayout(people_box)
        people_layout.addWidget(self.people)
        self.grid_part.addWidget(people_box)
        self.grid_part.addWidget(side)
        self.grid_part.setStretchFactor(0, 3)
        self.grid_part.setStretchFactor(1, 2)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.as_of)
        middle = QHBoxLayout()
        middle.addWidget(self.groups)
        right = QVBoxLayout()
        right.addWidget(self.work)
        right.addWidget(self.children_table, 1)
        right.addWidget(self.grid_part, 1)
        middle.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.figures)
        layout.addLayout(middle, 1)

    # ---- data --------------------------------------------------------------------------------
    def set_portrait(self, view: gw.PortraitView) -> None:
        self.view = view
        f = view.figures
        self.title.setText(view.name or view.code)
        self.as_of.setText(arg(self.tr("Register data as of %1"), time_text(view.data_as_of, "%Y-%m-%d %H:%M"))
                           if view.data_as_of else self.tr("No register imported"))  # 台账数据截至 %1 / 尚未导入台账
        self.figures.set("households", f"{f.households:,}")
        self.figures.set("residents", f"{f.residents:,}")
        self.figures.set("buildings", f"{f.buildings:,} / {f.units:,}")
        self.figures.set("businesses", f"{f.businesses:,}")
        self.figures.set("key_places", f"{f.key_places:,}")
        self.figures.set("party", f"{f.party_members:,}")
        self.figures.set("workers", f"{f.workers:,}")
        self.figures.set("care", f"{f.care_people:,}")
        r = view.recent
        self.work.set("cases", f"{r.cases:,}")
        self.work.set("open", f"{r.cases_open:,}")
        self.work.set("visits", f"{r.visits:,}")
        self.work.set("overdue", f"{r.visits_overdue:,}", bad=r.visits_overdue > 0)
        self.work.set("meetings", f"{r.meetings_year:,}")
        self.work.set("patrols", f"{r.patrol_done_today}/{r.patrol_planned_today}",
                      bad=r.patrol_done_today < r.patrol_planned_today)
        self.groups.fill([(k, [care_label(k), f.special_care.get(k, 0)]) for k in CARE_KEYS])
        is_grid = view.level == 5
        self.children_table.setVisible(not is_grid)
        self.grid_part.setVisible(is_grid)
        if not is_grid:
            self.children_table.fill([(c.code, [c.name, c.figures.grids, c.figures.households, c.figures.residents,
                                                c.figures.care_people, c.figures.special_care.get("elderly_alone", 0),
                                                c.figures.workers, c.figures.party_members])
                                      for c in view.children])
            return
        hidden = self.tr("(hidden)")  # （无权查看）
        self.people.fill([(x.id, [x.name, care_labels(x.groups), x.needs,
                                  arg(self.tr("%1 days"), x.frequency_days), x.address,  # %1天
                                  x.phone or hidden, x.id_number or hidden]) for x in view.people])
        p = view.party
        self.party.setText(arg(self.tr("%1 (secretary %2): %3 members, %4 building groups, %5 party households"),
                               p.branch, p.secretary, p.members, p.building_groups, p.central_households)
                           if p else "—")  # %1（书记 %2）：党员 %3 名，楼栋党小组 %4 个，党员中心户 %5 户
        staff = [arg(self.tr("Grid head %1"), view.grid_head)] if view.grid_head else []  # 网格长 %1
        for s in view.staff:
            kind = self.tr("full-time") if s.full_time else self.tr("part-time")  # 专职 / 兼职
            duty = self.tr("on duty") if s.on_duty else self.tr("off duty")  # 在岗 / 不在岗
            staff.append(f"{role_label('grid_worker')} {s.name}（{kind}，{duty}）" + (f" {s.phone}" if s.phone else ""))
        self.staff.setText("\n".join(staff) or "—")
        self.places.setText("、".join(f"{k.name}（{place_label(k.kind)}）" for k in view.key_places) or "—")
        self._fill_recent(view.recent)

    def _fill_recent(self, r: gw.RecentWork) -> None:
        self.recent.clear()

        def add(text: str, case_id: str | None = None, alert: bool = False) -> None:
            item = QListWidgetItem(text, self.recent)
            if case_id:
                item.setData(Qt.ItemDataRole.UserRole, case_id)
            if alert:
                item.setForeground(ALERT)

        for v in r.recent_visits:
            text = arg(self.tr("%1 visit: %2"), time_text(v.at), v.notes)  # %1 走访：%2
            add(text + (arg(self.tr(" → case %1"), v.case_id) if v.case_id else ""), v.case_id, v.problem)
        for m in r.recent_meetings:
            add(arg(self.tr("%1 meeting: %2 (%3 opinions, %4 matters)"), time_text(m.held_at), m.topic,
                    m.opinions, len(m.matters)))  # %1 自管会：%2（意见 %3 条，事项 %4 件）
        for c in r.recent_patrols:
            text = arg(self.tr("%1 %2: %3"), time_text(c.at), patrol_label(c.kind), c.notes)
            add(text, c.hazard_case_id, c.hazard_case_id is not None)
        for case_id in r.recent_case_ids:
            add(arg(self.tr("Case %1"), case_id), case_id)  # 事件 %1

    def _child_clicked(self, row: int, _column: int) -> None:
        key = self.children_table.key_at(row)
        if key:
            self.node_chosen.emit(key)

    def _recent_clicked(self, item: QListWidgetItem) -> None:
        case_id = item.data(Qt.ItemDataRole.UserRole)
        if case_id:
            self.case_chosen.emit(case_id)
