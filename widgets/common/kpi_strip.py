"""KPI cards for the chosen node: big numbers under small labels, bad values in red.

The numbers come from the client's aggregates (computed from cases, never hand-set);
the strip only formats them. Rates are fractions 0..1; the mean time to close is in
seconds. A value of None shows as "—" (no cases yet).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from widgets.common.formatting import arg, percent_text


def _count(value: float) -> str:
    return f"{int(value):,}"


def _hours(seconds: float) -> str:
    hours = seconds / 3600.0
    if hours < 1:
        return arg(QCoreApplication.translate("KpiStrip", "%1 min"), f"{seconds / 60:.0f}")  # %1 分钟
    return arg(QCoreApplication.translate("KpiStrip", "%1 h"), f"{hours:.1f}")  # %1 小时


@dataclass(frozen=True)
class KpiSpec:
    key: str
    label: str  # English source text, translated in context "KpiStrip"
    fmt: Callable[[float], str]
    bad: Callable[[float], bool]


#: Below these rates the card turns red (the city platform targets 99% completion).
COMPLETION_TARGET = 0.95
ON_TIME_TARGET = 0.90

KPIS: tuple[KpiSpec, ...] = (
    KpiSpec("reported_today", QT_TRANSLATE_NOOP("KpiStrip", "Reported today"), _count, lambda v: False),  # 今日上报
    KpiSpec("open", QT_TRANSLATE_NOOP("KpiStrip", "Open"), _count, lambda v: False),  # 在办
    KpiSpec("overdue", QT_TRANSLATE_NOOP("KpiStrip", "Overdue"), _count, lambda v: v > 0),  # 超期
    KpiSpec(
        "completion_rate",
        QT_TRANSLATE_NOOP("KpiStrip", "Completion rate"),  # 办结率
        percent_text,
        lambda v: v < COMPLETION_TARGET,
    ),
    KpiSpec(
        "on_time_rate",
        QT_TRANSLATE_NOOP("KpiStrip", "On-time rate"),  # 按期结案率
        percent_text,
        lambda v: v < ON_TIME_TARGET,
    ),
    KpiSpec(
        "mean_time_to_close",
        QT_TRANSLATE_NOOP("KpiStrip", "Mean time to close"),  # 平均办结时长
        _hours,
        lambda v: False,
    ),
    KpiSpec("supervised", QT_TRANSLATE_NOOP("KpiStrip", "Supervised"), _count, lambda v: False),  # 督办中
    KpiSpec("self_resolved", QT_TRANSLATE_NOOP("KpiStrip", "Self-resolved"), _count, lambda v: False),  # 就地解决
)
KPI_KEYS = tuple(spec.key for spec in KPIS)
_SPECS = {spec.key: spec for spec in KPIS}
NO_VALUE = "—"


class KpiCard(QFrame):
    """One number with its label; the ``bad`` property drives the QSS colour."""

    def __init__(self, label: str, parent=None):
        super().__init__(parent)
        self.setObjectName("kpiCard")
        self.setProperty("bad", False)
        self.value_label = QLabel(NO_VALUE, self)
        self.value_label.setObjectName("kpiValue")
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel(label, self)
        self.caption.setObjectName("kpiCaption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption)

    def set_value(self, text: str, bad: bool) -> None:
        self.value_label.setText(text)
        if self.property("bad") != bad:
            self.setProperty("bad", bad)
            for widget in (self, self.value_label):  # re-apply [bad="true"] selectors
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def value_text(self) -> str:
        return self.value_label.text()

    def is_bad(self) -> bool:
        return bool(self.property("bad"))


class KpiStrip(QWidget):
    """A row of ``KpiCard`` in ``KPI_KEYS`` order; ``set_values`` takes any subset of them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("kpiStrip")
        self.cards: dict[str, KpiCard] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for spec in KPIS:
            card = KpiCard(QCoreApplication.translate("KpiStrip", spec.label), self)
            self.cards[spec.key] = card
            layout.addWidget(card)

    def set_values(self, values: Mapping[str, float | None]) -> None:
        unknown = [key for key in values if key not in _SPECS]
        if unknown:
            raise ValueError(f"unknown KPI {unknown}; known KPIs are {list(KPI_KEYS)}")
        for key, value in values.items():
            spec = _SPECS[key]
            if value is None:
                self.cards[key].set_value(NO_VALUE, False)
                continue
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"KPI {key!r} must be a number or None, got {value!r}")
            self.cards[key].set_value(spec.fmt(value), spec.bad(value))

    def clear(self) -> None:
        self.set_values({key: None for key in KPI_KEYS})
