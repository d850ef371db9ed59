"""KPI cards for the chosen node: big numbers under small labels, bad values in red.

The numbers are today's indicators (``desktop.figures``, defined in ``domain.indicators``);
the strip only formats them. Rates are fractions 0..1; times are mean hours. A value of
None shows as "—" (no cases yet). Only late things are red.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from widgets.common.formatting import QT_TRANSLATE_NOOP, arg, percent_text


def _count(value: float) -> str:
    return f"{int(value):,}"


def _hours(hours: float) -> str:
    if hours < 1:
        return arg(QCoreApplication.translate("KpiStrip", "%1 min"), f"{hours * 60:.0f}")  # %1 分钟
    return arg(QCoreApplication.translate("KpiStrip", "%1 h"), f"{hours:.1f}")  # %1 小时


@dataclass(frozen=True)
class KpiSpec:
    key: str
    label: str  # English source text, translated in context "KpiStrip"
    fmt: Callable[[float], str]
    bad: Callable[[float], bool]


def _never(value: float) -> bool:
    return False


def _late(value: float) -> bool:
    """Only late things are red: a count of cases past their deadline above zero."""
    return value > 0


#: One card per indicator of ``domain.indicators`` (today), plus 在办 (open now). Only the two
#: counts of late cases turn red; a rate is never red for cases that are simply not finished yet.
KPIS: tuple[KpiSpec, ...] = (
    KpiSpec("reported", QT_TRANSLATE_NOOP("KpiStrip", "Reported today"), _count, _never),  # 今日上报
    KpiSpec("accepted", QT_TRANSLATE_NOOP("KpiStrip", "Accepted today"), _count, _never),  # 今日立案
    KpiSpec("open", QT_TRANSLATE_NOOP("KpiStrip", "Open"), _count, _never),  # 在办
    KpiSpec("due", QT_TRANSLATE_NOOP("KpiStrip", "Due so far today"), _count, _never),  # 今日应结案
    KpiSpec("on_time_rate", QT_TRANSLATE_NOOP("KpiStrip", "On-time closure rate"), percent_text, _never),  # 按期结案率
    KpiSpec("late", QT_TRANSLATE_NOOP("KpiStrip", "Late today"), _count, _late),  # 今日超期
    KpiSpec("overdue_open", QT_TRANSLATE_NOOP("KpiStrip", "Overdue open"), _count, _late),  # 超期未结
    KpiSpec("close_hours", QT_TRANSLATE_NOOP("KpiStrip", "Time to close"), _hours, _never),  # 结案用时
    KpiSpec("handle_hours", QT_TRANSLATE_NOOP("KpiStrip", "Handling time"), _hours, _never),  # 处置用时
    KpiSpec("supervised", QT_TRANSLATE_NOOP("KpiStrip", "Supervised today"), _count, _never),  # 今日督办
    KpiSpec("self_resolved_rate", QT_TRANSLATE_NOOP("KpiStrip", "Solved on the spot"), percent_text,  # 就地解决率
            _never),
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
