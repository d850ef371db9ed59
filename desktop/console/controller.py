"""Wires the client to the console's widgets: one display timer pulls, intents become commands.

The Qt bridge drains the network at ≤ 30 Hz and tells us *that* something changed;
the display timer (4 Hz) then pulls what the screen shows: the queue table, tab
counts, KPIs and charts for the chosen node. Charts are created once and only get
new data (as in friture and PlotJuggler: update the data, never rebuild the chart).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Future

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from backend_client.client import GridClient
from backend_client.connection import LinkState
from backend_client.qt_bridge import QtBridge
from desktop import figures
from desktop.console.actions import dialog_for, explain
from desktop.console.outstanding import Seeder, kind_of, outstanding, waiting
from desktop.console.people import PeopleLoader
from desktop.console.reports import ReportsController
from domain import protocol as p
from domain.calendar import CALENDAR_LOOKAHEAD, missing_years
from domain.lifecycle import allowed_actions
from domain.model import OPEN_STATES, Action, Actor, Case, Role, Urgency
from domain.permissions import ROLE_ACTIONS, can
from domain.queues import Queue
from domain.rules import Rules
from domain.transitions import urge_wait
from widgets.common.formatting import arg, countdown_text, time_text
from widgets.common.names import action_label, role_label, state_label, urgency_label
from widgets.console.case_detail import actor_text
from widgets.console.dialogs import ActionDialog
from widgets.console.history_text import event_detail_text
from widgets.console.loop_dialogs import AssignDialog
from widgets.console.status_bar import ConnectionState

DISPLAY_MS = 250
_QUEUE_FIRST, _DETAIL, _CHARTS = 3, 2, 1  # the ticks after a snapshot (ConsoleController._settling)
_CHART_PARTS = ("hourly", "categories", "children", "gauge")
SHORTCUTS = {
    Action.ACCEPT: "Ctrl+Shift+A", Action.REJECT: "Ctrl+Shift+R", Action.DISPATCH: "Ctrl+Shift+D",
    Action.SUPERVISE: "Ctrl+Shift+S", Action.URGE: "Ctrl+Shift+U", Action.ESCALATE: "Ctrl+Shift+E",
    Action.VERIFY: "Ctrl+Shift+V", Action.MERGE: "Ctrl+Shift+M", Action.SUSPEND: "Ctrl+Shift+P",
    Action.EXTEND: "Ctrl+Shift+X", Action.ACKNOWLEDGE: "Ctrl+Shift+K", Action.RESUME: "Ctrl+Shift+O",
    # the practised loop: approve (yes), refuse a request, call back
    Action.APPROVE: "Ctrl+Shift+Y", Action.REJECT_REQUEST: "Ctrl+Shift+J", Action.CALLBACK: "Ctrl+Shift+B",
}
_STATES = {
    LinkState.LIVE: ConnectionState.LIVE, LinkState.RESYNCING: ConnectionState.RESYNCING,
    LinkState.CONNECTING: ConnectionState.RECONNECTING, LinkState.OFFLINE: ConnectionState.OFFLINE,
    LinkState.STOPPED: ConnectionState.OFFLINE,
}


def alarm_time_text(case: Case, now: float) -> str:
    """An alarm's last line: the time left (or overdue), else the state and when it was reported."""
    left = countdown_text(case, now)
    if left:
        return left
    # zh: %1 · %2 上报
    return arg(QCoreApplication.translate("Console", "%1 · reported %2"), state_label(case.state),
               time_text(case.reported_at, "%H:%M"))



class ConsoleController(QObject):
    #: A refusal or failure explained in words (also shown in a message box unless ``quiet``).
    refused = Signal(str)
    node_changed = Signal(str)

    def __init__(self, client: GridClient, bridge: QtBridge, window, directory, rules: Rules,
                 actor: Actor, *, quiet: bool = False) -> None:
        super().__init__(window)
        self.client, self.bridge, self.window = client, bridge, window
        self.directory, self.rules, self.actor = directory, rules, actor
        self.quiet = quiet
        self.node = directory.root
        self.queue = Queue.INTAKE
        self.flashing: dict[str, float] = {}
        self.dialog: ActionDialog | None = None  # the open action dialog, for tests and for one-at-a-time
        self.last_error = ""
        self._dirty = True
        self._events_seen = 0
        self._rate_mark = (time.monotonic(), 0)
        self._calendar_checked = -1  # the hub hour the calendar gap was last looked at
        self._history_for: str | None = None
        self._history: Future | None = None
        self._found: Case | None = None  # a case shown from a search that the replica does not hold
        self._seeder = Seeder()  # the alarms still waiting after a snapshot, found off the GUI thread
        w = window
        self.model = w.table.model
        w.detail.me = actor
        w.detail.set_role_actions(ROLE_ACTIONS.get(actor.role) if actor is not None else None)
        w.tabs.set_current(self.queue.value)
        with client.lock:  # 我的待办: the cases assigned to whoever signed in
            client.index.set_me(actor.id if actor is not None else None)
        w.tabs.set_queue_visible(Queue.MINE.value, actor is not None and actor.role is Role.DEPARTMENT)
        self.people = PeopleLoader(client, lambda d: d is self.dialog, self, getattr(directory, "user_names", None))
        if actor is not None and actor.role is Role.DEPARTMENT:
            self.people.prime(actor.department)  # the handlers' names for the detail
        w.tabs.queue_changed.connect(self.choose_queue)
        w.tree.node_chosen.connect(self.choose_node)
        w.breadcrumb.node_chosen.connect(self.choose_node)
        w.children_chart.child_clicked.connect(self.choose_node)
        w.table.case_selected.connect(self.show_case)
        w.table.case_opened.connect(self.show_case)
        w.detail.action_requested.connect(self.request_action)
        w.alarms.acknowledged.connect(self.acknowledge)
        w.alarms.case_opened.connect(self.open_case)
        bridge.changes.connect(self._on_changes)
        bridge.answers.connect(self._on_answers)
        bridge.state_changed.connect(self._on_state)
        for action, keys in SHORTCUTS.items():
            w.add_shortcut(action.value, keys, lambda a=action: self.request_action(a))
        w.add_shortcut("filter", "Ctrl+F", w.table.focus_filter)
        self.reports: ReportsController | None = None
        w.reports_button.clicked.connect(self.open_reports)
        w.add_shortcut("reports", "Ctrl+R", self.open_reports)
        self.timer = QTimer(self)
        self.timer.setInterval(DISPLAY_MS)
        self.timer.timeout.connect(self.refresh)
        self._on_state(client.state)  # states emitted before we were listening
        if client.replica.ready:  # the snapshot came in before we were listening
            self._seed_alarms(later=True)
        self._apply_view()
        self.timer.start()

    # ---- navigation -------------------------------------------------------------------------
    def open_reports(self) -> ReportsController:
        """The 评价/报表 window for the node on show (one per console, reused)."""
        if self.reports is None:
            self.reports = ReportsController(self.client, self.node, self)
        self.reports.set_node(self.node)
        self.reports.show()
        return self.reports

    def choose_node(self, code: str) -> None:
        if code == self.node or code not in self.directory.hierarchy:
            return
        self.node = code
        self.window.breadcrumb.set_code(code)
        self.window.tree.select_code(code)
        self._apply_view()
        self.node_changed.emit(code)

    def choose_queue(self, queue: str) -> None:
        self.queue = Queue(queue)
        self._apply_view()

    def _apply_view(self) -> None:
        self.model.set_source(self.client.index.view(self.node, self.queue))
        if self._history_for is not None and self.model.row_of(self._history_for) is None:
            # The shown case is not in this tab or area: show this view's first case (or none).
            self._history_for = None
            self._history = None
            self.window.detail.set_case(None)
        self.window.scope_label.setText(f"{role_label(self.actor.role)} · {self.actor.name}")
        self._dirty = True
        self.refresh()

    # ---- the display timer ----------------------------------------------------------------------
    def refresh(self) -> None:
        now = self.client.server_now()
        table = self.window.table
        table.hold("dialog", self.dialog is not None)
        if table.is_held():  # rows stay put under the pointer and behind a dialog
            self.model.tick()
            table.set_waiting(self.model.source_changed())
        else:
            self.model.sync()
            table.set_waiting(False)
        stage = self._settling
        if stage != _QUEUE_FIRST and self._history_for is None and self.model.rowCount() > 0:
            first = self.model.case_id_at(0)  # keyboard-first: something is always selected
            self.window.table.select_case(first)  # a moved selection shows it (case_selected)
            if self._history_for != first:  # else it is shown and its history asked for already
                self.show_case(first)
        self.model.set_pending(self.client.replica.pending_ids)
        if self.flashing:
            self.flashing = {k: t for k, t in self.flashing.items() if t > time.monotonic()}
            self.model.set_flashing(self.flashing)
        w = self.window
        detail_due = stage == _DETAIL
        if self._dirty:
            self._dirty = False
            detail_due = stage != _QUEUE_FIRST
            index, replica = self.client.index, self.client.replica
            w.tabs.set_counts({q.value: n for q, n in index.counts(self.node).items()})
            w.kpis.set_values(figures.kpis(replica, index, self.node, now))
            self._dirty = figures.recount_pending(index, self.node)  # shown counts older than the index
            if stage == _QUEUE_FIRST:
                self._charts_due = _CHART_PARTS
            elif not stage:
                self._update_charts(now)
        if self._charts_due and stage <= _CHARTS:
            self._update_charts(now, self._charts_due[:1] if stage else None)
        if detail_due:
            self._refresh_detail(now)
        if stage and not (stage == _CHARTS and self._charts_due):
            self._settling = stage - 1
        self._apply_history()
        if self._seeder.busy and not stage:
            self._list_seeds()
        for case_id in w.alarms.case_ids():
            case = self.client.replica.get(case_id)
            w.alarms.set_time_left(case_id, alarm_time_text(case, now) if case is not None else "")
        w.status.set_server_time(now)
        if int(now // 3600) != self._calendar_checked:  # once an hour of hub time is plenty
            self._calendar_checked = int(now // 3600)
            w.status.set_calendar_gap(missing_years(self.rules.calendar, now, now + CALENDAR_LOOKAHEAD))
        mark_t, mark_n = self._rate_mark
        elapsed = time.monotonic() - mark_t
        if elapsed >= 2.0:
            w.status.set_rate((self._events_seen - mark_n) / elapsed)
            self._rate_mark = (time.monotonic(), self._events_seen)

    #: After a snapshot every panel changes at once, and one tick that filled and painted them all
    #: stalled the window for ~100 ms (issue 20). The ticks after it are spread out: the queue, its
    #: counts and the figures first, the case detail a tick later, then the charts one a tick,
    #: then the outstanding alarms (a few per tick, ``_list_seeds``).
    _settling = 0  # the stage of that: _QUEUE_FIRST, _DETAIL, _CHARTS, then 0 (every part, every tick)
    _charts_due: tuple[str, ...] = ()  # charts still showing the data before it, fed one a tick

    def _update_charts(self, now: float, parts: Sequence[str] | None = None) -> None:
        """Feed ``parts`` of ``_CHART_PARTS`` (all when None) with the figures as they are now."""
        w, index, replica = self.window, self.client.index, self.client.replica
        parts = _CHART_PARTS if parts is None else tuple(parts)
        self._charts_due = tuple(part for part in self._charts_due if part not in parts)
        if "hourly" in parts:
            w.hourly.update_hourly(*figures.hourly(replica, self.node, now))
        if "categories" in parts:
            w.categories.update_categories(figures.category_mix(index, self.node, self.directory))
        if "children" in parts:
            w.children_chart.update_children(figures.children(replica, self.directory, self.node),
                                             figures.children_alerts(replica, self.directory, self.node))
        if "gauge" in parts:
            w.gauge.update_sla(*figures.sla_shares(replica, self.node))

    def _on_changes(self, changes) -> None:
        self._dirty = True
        self._events_seen += len(changes.events)
        if getattr(changes, "reset", False):
            self._settling = _QUEUE_FIRST
            self._seed_alarms(later=True)
        # The list keeps the newest max_entries: a burst (the feed catching up) builds no entry it would drop.
        for alert in () if self._alerts_held else changes.alerts[-self.window.alarms.max_entries:]:
            self._alert(alert.kind, alert.case)
        for event in changes.events:
            if event.event.kind is Action.ACKNOWLEDGE:
                self.window.alarms.dismiss(event.case.id)

    def _on_state(self, state) -> None:
        progress = None
        if state.state is LinkState.RESYNCING and state.progress:
            done, total = state.progress
            progress = min(1.0, done / total) if total else None
        status = self.window.status
        status.set_connection(_STATES[state.state], state.outbox, progress)
        self.window.set_stale(status.is_stale())

    # ---- alerts ---------------------------------------------------------------------------
    _alerts_held = False

    def hold_alerts(self, held: bool) -> None:
        """Hold back live alarms (a demo catching up on past hours); on release the outstanding
        ones are shown quietly, as after a snapshot."""
        was, self._alerts_held = self._alerts_held, held
        if was and not held:
            self._seed_alarms()

    #: Quiet alarms listed per display tick after a snapshot (each is a widget).
    SEED_PER_TICK = 2

    def _seed_alarms(self, later: bool = False) -> None:
        """After a (re)load: the alarms still waiting for someone, quietly, so a console opened
        mid-shift shows what is outstanding. ``later``: scan the cases off the GUI thread and
        list what is found over the next display ticks (``_list_seeds``)."""
        cases, root = list(self.client.replica.cases.values()), self.directory.root
        limit = self.window.alarms.max_entries
        if later:
            return self._seeder.start(cases, root, limit)
        self._seeder.cancel()
        for case in outstanding(cases, root, limit):
            self._alert(kind_of(case), case, quiet=True)

    def _list_seeds(self) -> None:
        alarms = self.window.alarms
        for found in self._seeder.take(self.SEED_PER_TICK):
            case = self.client.replica.get(found.id)  # as it stands now; not if shown meanwhile
            if case is not None and alarms.entry_for(case.id) is None and waiting(case):
                self._alert(kind_of(case), case, quiet=True)

    def _alert(self, kind: str, case: Case, quiet: bool = False) -> None:
        if not case.node.startswith(self.directory.root):
            return
        place = self.directory.node_path(case.node)
        category = self.directory.category_name(case.category)
        if kind == "critical":
            # zh: 新的%1事件
            title = arg(QCoreApplication.translate("Console", "New %1 case"), urgency_label(Urgency.CRITICAL))
        else:
            title = QCoreApplication.translate("Console", "Case overdue")  # 事件超期
        self.window.alarms.show_alert(case.id, title, f"{category} · {place}", critical=kind == "critical",
                                      time_left=alarm_time_text(case, self.client.server_now()))
        if quiet:
            return
        self.window.sound.play()
        self.flashing[case.id] = time.monotonic() + 3.0
        self.window.table.flash(case.id)

    def open_case(self, case_id: str) -> None:
        """Show a case from anywhere (an alarm's click): in the current queue if it is there,
        otherwise in 全部 of the jurisdiction, and always in the detail."""
        case = self.client.replica.get(case_id)
        if case is None:
            return
        w = self.window
        if self.model.row_of(case_id) is None:
            if not case.node.startswith(self.node):
                self.choose_node(self.directory.root)
            if self.model.row_of(case_id) is None and self.queue is not Queue.ALL:
                w.tabs.set_current(Queue.ALL.value)  # emits queue_changed → choose_queue
                if self.queue is not Queue.ALL:
                    self.choose_queue(Queue.ALL.value)
        w.table.select_case(case_id)
        self.show_case(case_id)
        w.detail_dock.show()
        w.detail_dock.raise_()

    def acknowledge(self, case_id: str) -> None:
        case = self.client.replica.get(case_id)
        if case is not None and Action.ACKNOWLEDGE in allowed_actions(case, self.actor, self.client.server_now()):
            self._send(Action.ACKNOWLEDGE, case, None)

    # ---- the case detail -------------------------------------------------------------------------
    def selected_case(self) -> Case | None:
        case_id = self.window.table.selected_case_id()
        return self.client.replica.get(case_id) if case_id else None

    def show_case(self, case_id: str) -> None:
        self._history_for = case_id
        self._refresh_detail(self.client.server_now(), force=True)
        self._load_history()

    def show_found(self, case: Case) -> None:
        """Show a case from 综合查询 in the detail, held by the console or not (closed months ago)."""
        self._found = case
        self.show_case(case.id)
        self.window.detail_dock.show()
        self.window.detail_dock.raise_()

    def _load_history(self) -> None:
        if self._history_for is None:
            return
        self._history = self.client.request_history(self._history_for)

    def _apply_history(self) -> None:
        """Show the timeline once the hub's answer is in (checked every display tick)."""
        history = self._history
        if history is None or not history.done():
            return
        self._history = None
        answer = history.result()
        if answer.case_id == self._history_for:
            self.window.detail.set_timeline([(e.event.at, self._who(e), e.event.kind, self._detail_text(e))
                                             for e in answer.events])

    def _refresh_detail(self, now: float, force: bool = False) -> None:
        detail = self.window.detail
        case = self.client.replica.get(self._history_for) if self._history_for else None
        if case is None and self._found is not None and self._found.id == self._history_for:
            case = self._found
        shown = detail.case()
        if case is None:
            if shown is not None:
                detail.set_case(None)
            return
        if force or shown is None or shown.id != case.id or shown.version != case.version:
            if shown is not None and shown.id == case.id and not force:
                self._load_history()  # the case moved on: its timeline grew
            detail.set_case(case)
            detail.set_portrait(self.directory.portrait(case.node))
        pending = case.id in self.client.replica.pending_ids
        detail.set_allowed([] if pending else self.offered(case, now))

    def _who(self, event) -> str:
        return actor_text(event.event.actor, event.event.role, self.client.replica.get(event.case.id) or event.case,
                          self.directory, me=self.actor)

    def _detail_text(self, event) -> str:
        return event_detail_text(event.event.detail, self.directory)

    # ---- actions ----------------------------------------------------------------------------------
    def offered(self, case: Case, now: float) -> list[Action]:
        """What the domain allows now, plus urging while only its rate limit holds it back:
        the urge dialog then shows the limit and when the next urge is possible."""
        actions = allowed_actions(case, self.actor, now)
        if (Action.URGE not in actions and urge_wait(case, now) > 0 and case.state in OPEN_STATES
                and can(self.actor, Action.URGE, case)):
            actions.append(Action.URGE)
        return actions

    def request_action(self, action: Action) -> None:
        case = self.client.replica.get(self._history_for) if self._history_for else None
        if case is None or self.dialog is not None:
            return
        now = self.client.server_now()
        if action not in self.offered(case, now):
            # zh: 当前不能%1
            self._refuse(arg(QCoreApplication.translate("Console", "%1 is not possible for this case now."),
                             action_label(action)))
            return
        dialog = dialog_for(action, case, directory=self.directory, rules=self.rules, now=now,
                            exists=lambda cid: self.client.replica.get(cid) is not None, parent=self.window)
        self.dialog = dialog
        if isinstance(dialog, AssignDialog):  # the department's people, by name, from the hub
            self.people.load(dialog, self.actor.department or case.department)

        def finished(_result: int) -> None:
            self.dialog = None
            args = dialog.result_args()
            dialog.deleteLater()
            if args is not None:
                self._send(action, case, args)

        dialog.finished.connect(finished)
        dialog.open()

    def _send(self, action: Action, case: Case, args) -> Future:
        future = self.client.command(action, case.id, args, expected_version=case.version)
        self._dirty = True
        return future

    def _on_answers(self, answers) -> None:
        for answer in answers:
            if isinstance(answer, p.CommandError):
                self._refuse(explain(answer.code, answer.message, answer.detail))
        self._dirty = True

    def _refuse(self, text: str) -> None:
        self.last_error = text
        self.refused.emit(text)
        if not self.quiet:
            from PySide6.QtWidgets import QMessageBox

            # zh: 未完成
            box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("Console", "Not done"), text,
                              parent=self.window)
            box.open()

    def stop(self) -> None:
        self.timer.stop()
