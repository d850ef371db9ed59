"""The league table of the children of the node on show: today's 综合评价, 按期结案率 and 超期未结 beside it.

Rows come ranked (desktop.wall.figures.rank_rows: anything with ``name``, ``rank``,
``score``, ``on_time_rate``, ``overdue``, ``due``); a child with too few cases today has
no rank and is shown greyed at the bottom, with a footnote saying why.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from widgets.common.formatting import arg
from widgets.wall.paint import ALIGN_CENTER, ALIGN_RIGHT, BAD, GOOD, MUTED, TEXT
from widgets.wall.table import Cell, Column, WallTable
from widgets.wall.tiles import NO_VALUE, rate_text


class RankingTable(WallTable):
    def __init__(self, parent=None) -> None:
        super().__init__(
            QCoreApplication.translate("WallRanking", "Assessment ranking today"),  # 今日综合评价排名
            (
                Column(QCoreApplication.translate("WallRanking", "Rank"), 1.0, ALIGN_CENTER),  # 名次
                Column(QCoreApplication.translate("WallRanking", "Area"), 3.0, elide=True),  # 区域
                Column(QCoreApplication.translate("WallRanking", "Score"), 1.5, ALIGN_RIGHT),  # 综合评价
                Column(QCoreApplication.translate("WallRanking", "On time"), 1.7, ALIGN_RIGHT),  # 按期结案率
                Column(QCoreApplication.translate("WallRanking", "Overdue"), 1.5, ALIGN_RIGHT),  # 超期未结
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
            score = NO_VALUE if row.score is None else f"{row.score:.1f}"
            plain = TEXT if ranked else MUTED
            cells.append([
                Cell(str(row.rank) if ranked else NO_VALUE, plain, bold=ranked),
                Cell(row.name, plain),
                Cell(score, GOOD if ranked else MUTED, bold=ranked),
                Cell(rate, plain),
                Cell(f"{row.overdue:,}", BAD if row.overdue > 0 else plain),
            ])
        self.codes = [row.code for row in rows]
        unranked = any(row.rank is None for row in rows)
        # — 今日应结案与上报均不足%1件，不参与排名
        footer = arg(QCoreApplication.translate("WallRanking",
                                                "— fewer than %1 cases due or reported today: not ranked"),
                     min_cases) if unranked else ""
        self.set_rows(cells, footer)
