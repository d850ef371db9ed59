"""The grid's own work on the wall: the strip over the header follows the node on show and
asks the hub every few seconds for its overdue visits, visit completion and patrols."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from backend_client.gridwork import Gridwork
from widgets.gridwork.wall_strip import GridworkStrip

REFRESH_MS = 15_000


class WallGridwork(QObject):
    _answered = Signal(str, object, object)  # node, visit queue, patrols

    def __init__(self, client, window, controller) -> None:
        super().__init__(window)
        self.window, self.controller = window, controller
        self.work = Gridwork(client)
        self.strip = GridworkStrip(window)
        self.last = None
        self._answered.connect(self._apply)
        window.header.installEventFilter(self)  # the strip follows the header's size
        controller.node_changed.connect(lambda _node: self.refresh())
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def refresh(self) -> None:
        node = self.controller.node
        visits = self.work.visit_queue(node, overdue_only=True)
        patrols = self.work.patrols(node)

        def both(_f) -> None:
            if visits.done() and patrols.done():
                if visits.exception() is None and patrols.exception() is None:
                    self._answered.emit(node, visits.result(), patrols.result())

        visits.add_done_callback(both)
        patrols.add_done_callback(both)

    def _apply(self, node: str, visits, patrols) -> None:
        if node != self.controller.node:
            return
        self.last = (visits, patrols)
        rate, cover = visits.rate, patrols.coverage
        self.strip.set_scale(self.window.scale or 1.0)
        self.window.header.reserve_slot()
        self.strip.place_over(self.window.header.slot_rect())
        self.strip.set_figures(visits.overdue, rate.due if rate else 0, rate.done_on_time if rate else 0,
                               cover.done, cover.planned)

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move) and self.window.header.slot:
            self.strip.set_scale(self.window.scale or 1.0)
            self.strip.place_over(self.window.header.slot_rect())
        return False

    def stop(self) -> None:
        self.timer.stop()
