"""The operator's queues as tabs with live count badges (待受理 12, 预警/超期 3, ...).

Only a tab bar: the app shows the chosen queue in one shared QueueTable.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTabBar

from domain.queues import Queue
from widgets.common.formatting import QT_TRANSLATE_NOOP, arg

QUEUE_LABELS: dict[Queue, str] = {
    Queue.INTAKE: QT_TRANSLATE_NOOP("QueueTabs", "Intake"),  # 待受理
    Queue.TO_DISPATCH: QT_TRANSLATE_NOOP("QueueTabs", "To dispatch"),  # 待派遣
    Queue.IN_PROGRESS: QT_TRANSLATE_NOOP("QueueTabs", "In progress"),  # 处置中
    Queue.RETURNED: QT_TRANSLATE_NOOP("QueueTabs", "Returned"),  # 退回
    Queue.TO_VERIFY: QT_TRANSLATE_NOOP("QueueTabs", "To verify"),  # 待核实
    Queue.SLA_ALERT: QT_TRANSLATE_NOOP("QueueTabs", "Warning/Overdue"),  # 预警/超期
    Queue.SUPERVISED: QT_TRANSLATE_NOOP("QueueTabs", "Supervised"),  # 督办中
    Queue.APPROVALS: QT_TRANSLATE_NOOP("QueueTabs", "Approvals"),  # 待审批
    Queue.CALLBACK: QT_TRANSLATE_NOOP("QueueTabs", "Callback"),  # 待回访
    Queue.MINE: QT_TRANSLATE_NOOP("QueueTabs", "My tasks"),  # 我的待办
    Queue.ALL: QT_TRANSLATE_NOOP("QueueTabs", "All"),  # 全部
}
ORDER = tuple(QUEUE_LABELS)
#: Tabs whose non-zero count is shown in the alarm colour.
ALARM_QUEUES = frozenset({Queue.SLA_ALERT})
ALARM_COLOR = QColor("#d32f2f")


def _queue(key: object) -> Queue:
    try:
        return Queue(key)
    except ValueError:
        raise ValueError(f"unknown queue {key!r}; expected one of {[q.value for q in Queue]}") from None


class QueueTabs(QTabBar):
    """Emits ``queue_changed`` with the queue's wire value ("intake", "sla_alert", ...)."""

    queue_changed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("queueTabs")
        self.setExpanding(False)
        self.setDocumentMode(True)
        self._counts: dict[Queue, int] = {}
        for queue in ORDER:
            self.addTab("")
            self.setTabData(self.count() - 1, queue.value)
        self._relabel()
        self.currentChanged.connect(self._emit_changed)

    def current_queue(self) -> str:
        return ORDER[self.currentIndex()].value

    def set_current(self, queue: str) -> None:
        self.setCurrentIndex(ORDER.index(_queue(queue)))

    def set_queue_visible(self, queue: str, visible: bool) -> None:
        """Show or hide one queue's tab (我的待办 is for a department's people)."""
        self.setTabVisible(ORDER.index(_queue(queue)), visible)

    def count_of(self, queue: str) -> int:
        return self._counts.get(_queue(queue), 0)

    def set_counts(self, counts: Mapping[str, int]) -> None:
        """Update the badges; queues left out keep their previous count."""
        for key, value in counts.items():
            queue = _queue(key)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"count of queue {queue.value!r} must be a non-negative int, got {value!r}")
            self._counts[queue] = value
        self._relabel()

    def _relabel(self) -> None:
        for i, queue in enumerate(ORDER):
            label = QCoreApplication.translate("QueueTabs", QUEUE_LABELS[queue])
            count = self._counts.get(queue)
            text = label if count is None else arg(self.tr("%1 %2"), label, count)
            if self.tabText(i) != text:
                self.setTabText(i, text)
            if queue in ALARM_QUEUES:
                self.setTabTextColor(i, ALARM_COLOR if count else QColor())

    def _emit_changed(self, index: int) -> None:
        if 0 <= index < len(ORDER):
            self.queue_changed.emit(ORDER[index].value)
