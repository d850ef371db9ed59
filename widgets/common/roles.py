"""Qt roles, flags and enum values as module constants.

Looking up ``Qt.DisplayRole`` and friends costs ~4 µs per attribute access in PySide6;
a model's ``data()`` runs for every visible cell and role, so models import
these constants once instead. Roles are plain ints: comparing an int argument with an
int is cheaper than with an enum member.
"""

from __future__ import annotations

from typing import TypeAlias

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
FONT = int(Qt.ItemDataRole.FontRole)
ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
USER = int(Qt.ItemDataRole.UserRole)

#: The case id of a queue row, whatever the column.
CASE_ID = USER + 1
#: The node code of a tree item.
NODE_CODE = USER + 2
#: The domain.model.Case of a queue row.
CASE = USER + 3

HORIZONTAL = Qt.Orientation.Horizontal
ASCENDING = Qt.SortOrder.AscendingOrder
DESCENDING = Qt.SortOrder.DescendingOrder

ALIGN_RIGHT_V = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter)

ITEM_ENABLED_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
NO_ITEM_FLAGS = Qt.ItemFlag.NoItemFlags

#: One shared invalid index, the parent of every table row.
ROOT = QModelIndex()
#: What Qt may pass a model for an index or a parent.
Index: TypeAlias = QModelIndex | QPersistentModelIndex
