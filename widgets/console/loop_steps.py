"""Where a case stands in the loop (上报 → 立案 → 派遣 → 处置 → 核实 → 结案), as data and a widget.

``STEPS`` is the one place the indicator is defined: each step names its label, the states
(by their wire value, so a state added to ``domain.model.State`` later needs only its value
here) that put a case on that step, and the timed stage (``ClockStage``) it runs under, if
any. ``ENDED`` states stop the loop at their step and show their own name there; ``DONE``
states mark their step finished rather than current. A state listed nowhere shows no step.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from domain.model import Case, ClockStage
from widgets.common.formatting import QT_TRANSLATE_NOOP
from widgets.common.names import state_label

_CTX = "CaseDetail"


@dataclass(frozen=True)
class Step:
    label: str  # English source, translated in the "CaseDetail" context
    states: frozenset[str]  # State values that put a case on this step
    stage: ClockStage | None = None  # the timed stage of GB/T 30428 this step runs under


STEPS: tuple[Step, ...] = (
    Step(QT_TRANSLATE_NOOP("CaseDetail", "Reported"), frozenset({"reported"}), ClockStage.ACCEPT),  # 上报
    Step(QT_TRANSLATE_NOOP("CaseDetail", "Accepted"), frozenset({"accepted", "rejected", "merged"}),  # 立案
         ClockStage.DISPATCH),
    Step(QT_TRANSLATE_NOOP("CaseDetail", "Dispatched"), frozenset({"dispatched", "returned"}),  # 派遣
         ClockStage.HANDLE),
    Step(QT_TRANSLATE_NOOP("CaseDetail", "Handling"), frozenset({"in_progress", "suspended"}),  # 处置
         ClockStage.HANDLE),
    Step(QT_TRANSLATE_NOOP("CaseDetail", "Verifying"), frozenset({"resolved", "self_resolved"}),  # 核实
         ClockStage.VERIFY),
    Step(QT_TRANSLATE_NOOP("CaseDetail", "Closed"), frozenset({"closed"})),  # 结案
)
#: States that end the loop early: shown on their step under their own name (不予立案, 重复合并).
ENDED = frozenset({"rejected", "merged"})
#: States whose step is finished, not under way.
DONE = frozenset({"closed"})
#: Kept for callers of the old names.
LOOP_STEPS = tuple(step.label for step in STEPS)


def step_of(state: object) -> int:
    """The index in ``STEPS`` of the step a state puts a case on; -1 when none does."""
    value = str(getattr(state, "value", state))
    return next((i for i, step in enumerate(STEPS) if value in step.states), -1)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


class LoopSteps(QWidget):
    """Done steps, the current one, the ones to come; an ended case names how it ended."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("loopSteps")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self._row = row
        self.arrows: list[QLabel] = []
        self.labels: list[QLabel] = []
        for i, step in enumerate(STEPS):
            if i:
                arrow = QLabel("›", self)
                arrow.setObjectName("loopArrow")
                self.arrows.append(arrow)
                row.addWidget(arrow)
            label = QLabel(_tr(step.label), self)
            label.setObjectName("loopStep")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            # Shrinks with the pane (the text is cut with "…", the tooltip keeps it whole).
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(12)
            row.addWidget(label, 1)
            self.labels.append(label)
        self.current = -1

    def set_case(self, case: Case | None) -> None:
        step = -1 if case is None else step_of(case.state)
        self.current = step
        state = "" if case is None else str(case.state.value)
        for i, label in enumerate(self.labels):
            text = _tr(STEPS[i].label)
            if state in ENDED and i == step and case is not None:
                text = state_label(case.state)
            label.setToolTip(text)
            label.setText(text)
            mark = "done" if i < step else "current" if i == step else "todo"
            if state in DONE and i == step:
                mark = "done"
            self._elide(label)
            if label.property("step") != mark:
                label.setProperty("step", mark)
                label.style().unpolish(label)
                label.style().polish(label)

    def _elide(self, label: QLabel) -> None:
        """Full words when they fit; on a narrow pane the other steps show their number and the
        current one gets the room (its full name stays in every tooltip)."""
        full = label.toolTip() or label.text()
        i = self.labels.index(label)
        n = len(self.labels)
        metrics = label.fontMetrics()
        arrows = sum(arrow.sizeHint().width() for arrow in self.arrows) + self._row.spacing() * 2 * (n - 1)
        needed = sum(metrics.horizontalAdvance(lab.toolTip() or lab.text()) + 8 for lab in self.labels)
        narrow = needed > self.width() - arrows
        for j, other in enumerate(self.labels):
            self._row.setStretchFactor(other, 5 if narrow and j == self.current else 1)
        text = full if not narrow or i == self.current else str(i + 1)
        room = self.width() - arrows
        share = (5 if i == self.current else 1) / (n + 4 if self.current >= 0 else n) if narrow else 1 / n
        width = max(8, int(room * share) - 8)
        label.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, width))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        for label in self.labels:
            self._elide(label)
