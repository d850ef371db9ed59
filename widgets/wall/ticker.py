"""The live ticker: the latest cases of the wall's scope, newest on top.

Entries are anything with ``case_id``, ``at`` (POSIX seconds), ``urgency``, ``category``
and ``place`` (desktop.wall.figures.TickerEntry). Urgent and 特急 cases carry a coloured
badge; a case reported in the last ``FRESH_SECONDS`` is written brighter.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from domain.model import Urgency
from widgets.common.formatting import time_text
from widgets.common.names import urgency_label
from widgets.wall.paint import ACCENT, ALARM_BG, TEXT, WARN
from widgets.wall.table import Cell, Column, WallTable

FRESH_SECONDS = 120.0
TICKER_ROW_PX = 48  # fewer rows, each readable across the room
_CHIPS = {Urgency.CRITICAL: (ALARM_BG, TEXT), Urgency.URGENT: (WARN, "#1a1200")}


class TickerList(WallTable):
    def __init__(self, parent=None) -> None:
        super().__init__(
            QCoreApplication.translate("WallTicker", "Latest cases"),  # 最新事件
            (
                Column(QCoreApplication.translate("WallTicker", "Time"), 1.2),  # 时间
                Column(QCoreApplication.translate("WallTicker", "Urgency"), 1.2),  # 紧急程度
                Column(QCoreApplication.translate("WallTicker", "Category"), 2.6, elide=True),  # 类别
                Column(QCoreApplication.translate("WallTicker", "Place"), 4.6, elide=True),  # 地点
            ),
            parent,
            min_row_px=TICKER_ROW_PX,
        )
        self.setObjectName("wallTicker")
        self.case_ids: list[str] = []

    def set_entries(self, entries: Sequence, now: float | None = None) -> None:
        rows = []
        for e in entries:
            fresh = now is not None and now - e.at < FRESH_SECONDS
            chip, chip_text = _CHIPS.get(e.urgency, (None, TEXT))
            color = ACCENT if fresh else TEXT
            rows.append([
                Cell(time_text(e.at, "%H:%M"), color, bold=fresh),
                Cell(urgency_label(e.urgency), chip_text if chip else color, chip=chip),
                Cell(e.category, color, bold=fresh),
                Cell(e.place, color),
            ])
        ids = [e.case_id for e in entries]
        moved = _moved_down(self.case_ids, ids)
        if moved:
            self.shift_rows(moved)
        self.case_ids = ids
        self.set_rows(rows)


def _moved_down(before: list[str], after: list[str]) -> int:
    """How many new cases came in on top of ``before`` to make ``after`` (0: not that)."""
    if not before or before[0] not in after:
        return 0
    count = after.index(before[0])
    kept = min(len(before), len(after) - count)
    return count if after[count:count + kept] == before[:kept] else 0
