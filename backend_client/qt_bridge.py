"""The one Qt-aware module of backend_client: a GUI-thread timer that drains the client.

Cross-thread signals cost ~9 µs each in PySide6, and pytest-qt cannot wait on a
worker-thread object. So the worker only appends to ``GridClient.inbox``; this
bridge, created on the GUI thread, drains it at ≤ 30 Hz within a time budget (a
big snapshot is spread over several ticks instead of freezing the window) and
emits one batch per tick from a main-thread QObject. Payload signals are
``Signal(object)``, never ``Signal(dict)``.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, QTimer, Signal

from backend_client.client import Batch, GridClient
from backend_client.connection import LinkState, StateChange

MAX_HZ = 30.0


class QtBridge(QObject):
    #: replica.Changes of one tick (ids added/changed/removed, alerts, applied events).
    changes = Signal(object)
    #: list of protocol.CommandAck / CommandError answered in this tick.
    answers = Signal(object)
    #: connection.StateChange payloads, one signal per state.
    connecting = Signal(object)
    live = Signal(object)
    resyncing = Signal(object)  # .progress = (chunks done, total) while a snapshot loads
    offline = Signal(object)  # .reason, .outbox (unanswered commands), .final, .retry_in
    state_changed = Signal(object)  # every StateChange, whatever its state

    def __init__(self, client: GridClient, *, hz: float = MAX_HZ, budget: float = 0.008,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        if not 0 < hz <= MAX_HZ:
            raise ValueError(f"hz must be in (0, {MAX_HZ:g}], got {hz}")
        if client.connection.state.state is not LinkState.STOPPED:
            raise RuntimeError("attach the Qt bridge before starting the client")
        client.drain_in_worker = False  # from now on only this GUI-thread timer drains
        self.client = client
        self.budget = budget
        self.ticks = 0
        self._timer = QTimer(self)
        self._timer.setInterval(math.ceil(1000 / hz))
        self._timer.timeout.connect(self.drain)
        self._by_state = {
            LinkState.CONNECTING: self.connecting,
            LinkState.LIVE: self.live,
            LinkState.RESYNCING: self.resyncing,
            LinkState.OFFLINE: self.offline,
        }

    def start(self) -> None:
        """Start the timer, then the client's connection."""
        self._timer.start()
        self.client.start()

    def stop(self) -> None:
        """Stop the connection (joins its thread), deliver what is left, stop the timer."""
        self.client.connection.stop()
        self.drain(budget=None)
        self._timer.stop()

    def drain(self, budget: float | None = -1.0) -> Batch:
        """One tick: apply queued frames within the budget and emit the results."""
        self.ticks += 1
        batch = self.client.drain(self.budget if budget == -1.0 else budget)
        for state in batch.states:
            self._emit_state(state)
        if batch.changes:
            self.changes.emit(batch.changes)
        if batch.answers:
            self.answers.emit(batch.answers)
        return batch

    def _emit_state(self, state: StateChange) -> None:
        self.state_changed.emit(state)
        signal = self._by_state.get(state.state)
        if signal is not None:
            signal.emit(state)
