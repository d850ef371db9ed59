"""A read-only QTableWidget filled from rows of plain values, keeping a key per row."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ALERT = QColor("#d32f2f")
GOOD = QColor("#2e7d32")


class RowTable(QTableWidget):
    def __init__(self, headers: list[str], parent: QWidget | None = None, stretch: int | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        else:
            header.setStretchLastSection(True)

    def fill(self, rows: list[tuple[str, list[object]]], colours: dict[int, QColor] | None = None) -> None:
        """``rows``: (key, cells); ``colours``: row index → text colour."""
        selected = self.current_key()
        self.setUpdatesEnabled(False)
        self.setRowCount(len(rows))
        for r, (key, cells) in enumerate(rows):
            for c, value in enumerate(cells):
                item = QTableWidgetItem("" if value is None else str(value))
                item.setData(KEY_ROLE, key)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if colours and r in colours:
                    item.setForeground(QBrush(colours[r]))
                self.setItem(r, c, item)
            if key == selected:
                self.selectRow(r)
        self.setUpdatesEnabled(True)

    def current_key(self) -> str | None:
        item = self.item(self.currentRow(), 0) if self.currentRow() >= 0 else None
        return None if item is None else item.data(KEY_ROLE)

    def key_at(self, row: int) -> str | None:
        item = self.item(row, 0)
        return None if item is None else item.data(KEY_ROLE)
