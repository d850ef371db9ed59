"""The map with its tool row: figure to colour by, layers, zoom and "fit to my jurisdiction"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from widgets.map.classes import FIGURES, figure_label
from widgets.map.view import MapView


class MapPanel(QWidget):
    figure_changed = Signal(str)
    detail_changed = Signal(bool)  # True: colour every grid instead of the children

    def __init__(self, parent: QWidget | None = None, *, dark: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("mapPanel")
        self.view = MapView(self, dark=dark)
        self.figure = QComboBox(self)
        self.figure.setObjectName("mapFigure")
        for figure in FIGURES:
            self.figure.addItem(figure_label(figure), figure)
        self.figure.setToolTip(self.tr("Colour by"))
        self.figure.currentIndexChanged.connect(lambda _i: self.figure_changed.emit(self.current_figure()))
        self.grids = QCheckBox(self.tr("All grids"), self)  # 全部网格
        # 按网格着色，而不是下一级区划
        self.grids.setToolTip(self.tr("Colour every grid instead of the next level down"))
        self.grids.toggled.connect(self.detail_changed.emit)
        self.cases = QCheckBox(self.tr("Cases"), self)  # 事件
        self.cases.setChecked(True)
        self.cases.toggled.connect(lambda on: self.view.set_layers(points=on))
        self.heat = QCheckBox(self.tr("Heat"), self)  # 热力
        self.heat.toggled.connect(lambda on: self.view.set_layers(heat=on))
        zoom_in = QToolButton(self)
        zoom_in.setText("+")
        zoom_in.setToolTip(self.tr("Zoom in"))  # 放大
        zoom_in.clicked.connect(lambda: self.view.zoom(1.5))
        zoom_out = QToolButton(self)
        zoom_out.setText("−")
        zoom_out.setToolTip(self.tr("Zoom out"))  # 缩小
        zoom_out.clicked.connect(lambda: self.view.zoom(1 / 1.5))
        self.fit = QToolButton(self)
        self.fit.setText(self.tr("Fit to my jurisdiction"))  # 显示整个辖区
        self.fit.setToolTip(self.fit.text())
        self.fit.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DirHomeIcon))  # alone when narrow
        self.place = QLabel(self)
        self.place.setObjectName("mapPlace")

        self.place.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # clips, never widens

        # One tool row when the map has the width; beside the queue (a quarter of the centre) the
        # layer switches and the place name move to a second row instead of clipping the controls.
        self.top_row, self.second_row = QHBoxLayout(), QHBoxLayout()
        for row in (self.top_row, self.second_row):
            row.setContentsMargins(4, 2, 4, 2)
        self._lead = [QLabel(self.tr("Colour by"), self), self.figure]  # 着色指标
        self._layers = [self.grids, self.cases, self.heat]
        self._tail = [zoom_out, zoom_in, self.fit]
        self._two_rows: bool | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self.top_row)
        layout.addLayout(self.second_row)
        layout.addWidget(self.view, 1)
        self._arrange(False)
        # Beside the queue on a small screen the map may narrow past its controls (they clip);
        # the queue's columns matter more there.
        self.setMinimumSize(160, 120)

    def _one_row_width(self) -> int:
        widgets = self._lead + self._layers + self._tail[:-1]
        spacing = max(0, self.top_row.spacing())
        fit = self.fit.fontMetrics().horizontalAdvance(self.fit.text()) + 16  # as text, whatever it shows now
        return sum(w.sizeHint().width() for w in widgets) + fit + spacing * (len(widgets) + 1) + 8 + 80  # + place

    def _arrange(self, two_rows: bool) -> None:
        if two_rows == self._two_rows:
            return
        self._two_rows = two_rows
        for row in (self.top_row, self.second_row):
            while row.count():
                row.takeAt(0)
        top, second = self.top_row, (self.second_row if two_rows else self.top_row)
        self._lead[0].setVisible(not two_rows)  # narrow: the figure box speaks for itself (tooltip)
        self.fit.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly if two_rows
                                    else Qt.ToolButtonStyle.ToolButtonTextOnly)
        for w in self._lead:
            top.addWidget(w)
        for w in self._layers:
            second.addWidget(w)
        second.addWidget(self.place, 1)
        if two_rows:
            top.addStretch(1)
        for w in self._tail:
            top.addWidget(w)

    def two_rows(self) -> bool:
        return bool(self._two_rows)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._arrange(self.width() < self._one_row_width())

    def current_figure(self) -> str:
        return self.figure.currentData()
