"""Wires the 新建事件 form to the hub: duplicate candidates, the report, and merge from the list.

Merging from the form is two ordinary commands in a row — ``report``, then ``merge`` with
``parent_id`` the chosen candidate and ``expected_version`` 1 — one step for the operator.
Each is idempotent by its command id, so a drop between the two leaves a reported case
the operator can still merge from the queue, never a lost call. Answers arrive on the
client's thread; one signal carries them to the GUI thread.
"""

from __future__ import annotations

from concurrent.futures import Future

from PySide6.QtCore import QObject, Signal

from backend_client.client import CommandFailed
from backend_client.search import Search
from desktop.console.actions import explain
from domain.hierarchy import is_within
from domain.model import Action, Args, Case
from domain.permissions import can
from widgets.common.formatting import arg
from widgets.console.intake_form import IntakeForm, field_label, grid_choices

GRID_DIGITS = 15
MERGE_REASON = "重复来电，合并办理"  # stored in the event: the case record is Chinese like the catalog


class IntakeController(QObject):
    _answered = Signal(str, object, object)  # (what, request, future)

    def __init__(self, client, console, window, directory, rules, actor) -> None:
        super().__init__(window)
        self.client, self.console, self.window = client, console, window
        self.directory, self.rules, self.actor = directory, rules, actor
        self.search = Search(client)
        self.form: IntakeForm | None = None
        self.filed: list[str] = []  # case ids filed from the form, newest last (tests and the status line)
        self._answered.connect(self._apply)

    def may_report(self) -> bool:
        return can(self.actor, Action.REPORT, node=None)

    def grids(self) -> list[str]:
        """Grids of the console's jurisdiction the operator may report in, in tree order."""
        root = self.directory.root
        return [c for c in self.directory.hierarchy.subtree(root)
                if len(c) == GRID_DIGITS and is_within(c, self.actor.scope)] if root is not None else []

    def open(self) -> IntakeForm | None:
        if not self.may_report():
            self.console._refuse(self.tr("Your role may not file cases."))  # 您的角色不能登记事件。
            return None
        if self.form is not None:
            self.form.activateWindow()
            return self.form
        form = IntakeForm(self.rules.catalog, self.directory, grid_choices(self.directory, self.grids()),
                          parent=self.window)
        node = self.console.node
        if len(node) == GRID_DIGITS:  # the operator is looking at a grid: the call is likely from there
            form.set_grid(node)
        form.candidates_wanted.connect(self._want_candidates)
        form.submitted.connect(self._submit)
        form.finished.connect(self._closed)
        self.form = form
        form.show()
        return form

    def _closed(self, _result: int) -> None:
        if self.form is not None:
            self.form.deleteLater()
        self.form = None

    # ---- duplicate candidates --------------------------------------------------------------------------
    def _want_candidates(self, grid: str, category: str) -> None:
        future = self.search.duplicates(grid, category)
        future.add_done_callback(lambda f: self._answered.emit("candidates", (grid, category), f))

    # ---- filing ----------------------------------------------------------------------------------------
    def _submit(self, args: Args, merge_into: str | None) -> None:
        future = self.client.command(Action.REPORT, None, args)
        future.add_done_callback(lambda f: self._answered.emit("report", merge_into, f))

    def _merge(self, case_id: str, version: int, parent_id: str) -> None:
        future = self.client.command(Action.MERGE, case_id, Args(parent_id=parent_id, reason=MERGE_REASON),
                                     expected_version=version)
        future.add_done_callback(lambda f: self._answered.emit("merge", (case_id, parent_id), f))

    def _apply(self, what: str, request, future: Future) -> None:
        form = self.form
        try:
            answer = future.result()
        except CommandFailed as exc:
            text = explain(exc.code, exc.message, exc.detail)
            field = (exc.detail or {}).get("field")
            if field:
                text = arg(self.tr("%1: %2"), field_label(str(field)), exc.message)
            if what == "candidates":
                if form is not None:
                    form.set_candidates([])
                return
            if what == "merge":  # the call is filed; only the merge failed: say so, keep the case
                # zh: 事件 %1 已登记，但未能合并：%2
                text = arg(self.tr("Case %1 is filed but could not be merged: %2"), request[0], text)
            if form is not None:
                form.show_error(text, str(field) if field else None)
            else:
                self.console._refuse(text)
            return
        except Exception as exc:  # noqa: BLE001 - a dropped link: the outbox resends the command
            if form is not None and what != "candidates":
                form.show_error(str(exc))
            return
        if what == "candidates":
            if form is not None and (form.grid_code(), form.category_code()) == request:
                form.set_candidates(answer, self.client.server_now())
        elif what == "report":
            self.filed.append(answer.case_id)
            if request is not None:
                self._merge(answer.case_id, answer.version, request)
            else:
                self._done(answer.case)
        elif what == "merge":
            self._done(answer.case, request[1])

    def _done(self, case: Case, parent_id: str | None = None) -> None:
        if self.form is not None:
            self.form.accept()
        if parent_id is not None:
            # zh: 已登记 %1 并合并到 %2
            text = arg(self.tr("Filed %1 and merged it into %2"), case.id, parent_id)
        else:
            text = arg(self.tr("Filed %1"), case.id)  # 已登记 %1
        self.window.statusBar().showMessage(text, 10000)
        self.console.open_case(parent_id or case.id)
