"""The league table of the children of the node on show: on-time rate first, overdue beside it.

Rows come ranked (desktop.wall.figures.rank_rows: anything with ``name``, ``rank``,
``on_time_rate``, ``overdue``, ``closed``); a child with too few cases closed today has
no rank and is shown greyed at the bottom, with a footnote saying why.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from widgets.common.formatting import arg
from widgets.common.kpi_strip import ON_TIME_TARGET
from widgets.wall.paint import ALIGN_CENTER, ALIGN_RIGHT, BAD, GOOD, MUTED, TEXT
from widgets.wall.table import Cell, Column, WallTable
from widgets.wall.tiles import NO_VALUE, rate_text


class RankingTable(WallTable):
    def __init__(self, parent=None) -> None:
        super().__init__(
            QCoreApplication.translate("WallRanking", "Ranking by on-time rate"),  # 按期结案率排名
            (
                Column(QCoreApplication.translate("WallRanking", "Rank"), 1.0, ALIGN_CENTER),  # 名次
                Column(QCoreApplication.translate("WallRanking", "Area"), 3.4, elide=True),  # 区域
                Column(QCoreApplication.translate("WallRanking", "On time"), 2.0, ALIGN_RIGHT),  # 按期率
                Column(QCoreApplication.translate("WallRanking", "Overdue"), 1.5, ALIGN_RIGHT),  # 超期
                Column(QCoreApplication.translate("WallRanking", "Closed"), 1.5, ALIGN_RIGHT),  # 办结
            ),
            parent,
        )
        self.setObjectName("wallRanking")
        self.codes: list[str] = []

    def set_ranking(self, rows: Sequence, min_cases: int) -> None:
        cells = []
        for row in rows:
            ranked = row.rank is not None
            rate = NO_VALUE if row.on_time_rate is None else rate_text(row.on_time_rate)
            rate_color = MUTED if not ranked else (BAD if row.on_time_rate < ON_TIME_TARGET else GOOD)
            cells.append([
                Cell(str(row.rank) if ranked else NO_VALUE, TEXT if ranked else MUTED, bold=ranked),
                Cell(row.name, TEXT if ranked else MUTED),
                Cell(rate, rate_color, bold=ranked),
                Cell(f"{row.overdue:,}", BAD if row.overdue > 0 else (TEXT if ranked else MUTED)),
                Cell(f"{row.closed:,}", TEXT if ranked else MUTED),
            ])
        self.codes = [row.code for row in rows]
        unranked = any(row.rank is None for row in rows)
        # — 今日办结不足%1件，不参与排名
        footer = arg(QCoreApplication.translate("WallRanking", "— fewer than %1 cases closed today: not ranked"),
                     min_cases) if unranked else ""
        self.set_rows(cells, footer)
