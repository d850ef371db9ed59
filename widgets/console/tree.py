"""Drill-down: a lazy tree of the jurisdiction and a clickable breadcrumb.

A district holds ~14,000 grids across its streets and communities; the tree model
creates rows for a node's children only when the view asks to expand it
(``canFetchMore`` / ``fetchMore``), so opening the console touches a handful of nodes.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QToolButton, QTreeView, QWidget

from domain.hierarchy import Hierarchy, Level, lineage
from widgets.common import roles as R


class NodeTreeModel(QAbstractItemModel):
    """One column of node names under a single top row, the jurisdiction ``root``.

    Each index carries an integer id into ``_codes``; ids are assigned when a parent's
    children are fetched, so the model's size is what the operator has opened.
    """

    def __init__(self, hierarchy: Hierarchy, root: str, deepest: Level = Level.GRID, parent=None):
        super().__init__(parent)
        if root not in hierarchy:
            raise ValueError(f"tree root {root!r} is not a node of the hierarchy")
        self._hierarchy = hierarchy
        self._root = root
        self._deepest = Level(deepest)
        self._codes: list[str] = [root]
        self._id_of: dict[str, int] = {root: 0}
        self._row_of: dict[str, int] = {root: 0}
        self._children: dict[str, list[str]] = {}

    @property
    def root(self) -> str:
        return self._root

    def loaded_count(self) -> int:
        """How many nodes have rows so far (the root plus every fetched child)."""
        return len(self._codes)

    def is_fetched(self, code: str) -> bool:
        return code in self._children

    def code_of(self, index: R.Index) -> str | None:
        return self._codes[index.internalId()] if index.isValid() else None

    def index_of(self, code: str) -> QModelIndex:
        """The index of ``code``, fetching its ancestors' children on the way."""
        if not code.startswith(self._root) or code not in self._hierarchy:
            raise ValueError(f"node {code!r} is not in this tree (root {self._root})")
        if self._hierarchy.get(code).level > self._deepest:
            raise ValueError(f"node {code!r} is below the deepest level shown ({self._deepest.name.lower()})")
        index = self.index(0, 0)
        for ancestor in lineage(code)[len(lineage(self._root)) :]:
            if self.canFetchMore(index):
                self.fetchMore(index)
            index = self.index(self._row_of[ancestor], 0, index)
        return index

    def _has_kids(self, code: str) -> bool:
        node = self._hierarchy.get(code)
        return node.level < self._deepest and bool(node.children)

    # -- QAbstractItemModel ------------------------------------------------------------
    def index(self, row: int, column: int = 0, parent: R.Index = R.ROOT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(0, 0, 0) if row == 0 else QModelIndex()
        kids = self._children.get(self._codes[parent.internalId()])
        if kids is None or row >= len(kids):
            return QModelIndex()
        return self.createIndex(row, 0, self._id_of[kids[row]])

    def parent(self, index: R.Index = R.ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        code = self._codes[index.internalId()]
        if code == self._root:
            return QModelIndex()
        parent_code = self._hierarchy.get(code).parent
        assert parent_code is not None  # only the root has no parent
        return self.createIndex(self._row_of[parent_code], 0, self._id_of[parent_code])

    def rowCount(self, parent: R.Index = R.ROOT) -> int:
        if not parent.isValid():
            return 1
        if parent.column() != 0:
            return 0
        return len(self._children.get(self._codes[parent.internalId()], ()))

    def columnCount(self, parent: R.Index = R.ROOT) -> int:
        return 1

    def hasChildren(self, parent: R.Index = R.ROOT) -> bool:
        if not parent.isValid():
            return True
        return self._has_kids(self._codes[parent.internalId()])

    def canFetchMore(self, parent: R.Index) -> bool:
        if not parent.isValid():
            return False
        code = self._codes[parent.internalId()]
        return code not in self._children and self._has_kids(code)

    def fetchMore(self, parent: R.Index) -> None:
        if not self.canFetchMore(parent):
            return
        code = self._codes[parent.internalId()]
        kids = list(self._hierarchy.children(code))
        self.beginInsertRows(parent, 0, len(kids) - 1)
        for row, kid in enumerate(kids):
            self._id_of[kid] = len(self._codes)
            self._codes.append(kid)
            self._row_of[kid] = row
        self._children[code] = kids
        self.endInsertRows()

    def flags(self, index: R.Index):
        return R.ITEM_ENABLED_SELECTABLE if index.isValid() else R.NO_ITEM_FLAGS

    def data(self, index: R.Index, role: int = R.DISPLAY):
        if not index.isValid():
            return None
        code = self._codes[index.internalId()]
        if role == R.DISPLAY:
            return self._hierarchy.name(code)
        if role == R.NODE_CODE or role == R.TOOLTIP:
            return code
        return None


class NodeTree(QTreeView):
    """Emits ``node_chosen`` on a click or Enter; arrow keys only move the cursor."""

    node_chosen = Signal(str)

    def __init__(self, model: NodeTreeModel, parent=None):
        super().__init__(parent)
        self.setObjectName("nodeTree")
        self.setModel(model)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.clicked.connect(self._choose)
        self.expand(model.index(0, 0))

    def tree_model(self) -> NodeTreeModel:
        return self.model()  # type: ignore[return-value]

    def select_code(self, code: str) -> None:
        """Show ``code`` as current (expanding its ancestors) without emitting."""
        index = self.tree_model().index_of(code)
        parent = index.parent()
        while parent.isValid():
            self.expand(parent)
            parent = parent.parent()
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._choose(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def _choose(self, index: R.Index) -> None:
        code = self.tree_model().code_of(index)
        if code is not None:
            self.node_chosen.emit(code)


class Breadcrumb(QWidget):
    """市北区 › 某街道 › 某社区: each ancestor from ``root`` is a button emitting ``node_chosen``."""

    node_chosen = Signal(str)

    def __init__(self, hierarchy: Hierarchy, root: str, parent=None):
        super().__init__(parent)
        if root not in hierarchy:
            raise ValueError(f"breadcrumb root {root!r} is not a node of the hierarchy")
        self.setObjectName("breadcrumb")
        self._hierarchy = hierarchy
        self._root = root
        self._code = root
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.buttons: list[QToolButton] = []
        self.set_code(root)

    def code(self) -> str:
        return self._code

    def set_code(self, code: str) -> None:
        if not code.startswith(self._root) or code not in self._hierarchy:
            raise ValueError(f"node {code!r} is not within the breadcrumb root {self._root}")
        self._code = code
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = []
        codes = lineage(code)[len(lineage(self._root)) - 1 :]
        for i, node_code in enumerate(codes):
            if i:
                self._layout.addWidget(QLabel("›", self))
            button = QToolButton(self)
            button.setText(self._hierarchy.name(node_code))
            button.setToolTip(node_code)
            button.setAutoRaise(True)
            button.setProperty("current", node_code == code)
            button.clicked.connect(lambda _checked=False, c=node_code: self.node_chosen.emit(c))
            self._layout.addWidget(button)
            self.buttons.append(button)
        self._layout.addStretch(1)
