"""The map with its tool row: figure to colour by, layers, zoom and "fit to my jurisdiction"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

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
        self.place = QLabel(self)
        self.place.setObjectName("mapPlace")

        row = QHBoxLayout()
        row.setContentsMargins(4, 2, 4, 2)
        row.addWidget(QLabel(self.tr("Colour by"), self))  # 着色指标
        row.addWidget(self.figure)
        row.addWidget(self.grids)
        row.addWidget(self.cases)
        row.addWidget(self.heat)
        row.addStretch(1)
        row.addWidget(self.place)
        row.addWidget(zoom_out)
        row.addWidget(zoom_in)
        row.addWidget(self.fit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        # Beside the queue on a small screen the map may narrow past its controls row (they clip);
        # the queue's columns matter more there.
        self.setMinimumSize(160, 120)

    def current_figure(self) -> str:
        return self.figure.currentData()
