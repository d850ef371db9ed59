"""A row of figure tiles (value over caption), styled like the KPI strip."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget


class Tile(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiCard")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        self.value = QLabel("—", self)
        self.value.setObjectName("kpiValue")
        self.caption = QLabel(caption, self)
        self.caption.setObjectName("kpiCaption")
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set(self, value: object, bad: bool = False) -> None:
        self.value.setText(str(value))
        if self.property("bad") != bad:
            self.setProperty("bad", bad)
            self.style().unpolish(self)
            self.style().polish(self)


class Tiles(QWidget):
    """Tiles keyed by name, laid out ``columns`` per row."""

    def __init__(self, captions: dict[str, str], columns: int = 6, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self.tiles: dict[str, Tile] = {}
        for i, (key, caption) in enumerate(captions.items()):
            tile = self.tiles[key] = Tile(caption, self)
            grid.addWidget(tile, i // columns, i % columns)

    def set(self, key: str, value: object, bad: bool = False) -> None:
        self.tiles[key].set(value, bad)
