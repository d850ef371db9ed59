"""Wires the 综合查询 window to the hub, and installs the desk's menu entries and toolbar.

A result opens in the console's case detail even when the console does not hold the case
(closed months ago): the detail shows the case from the answer and asks the hub for its
history, as for any case. Answers arrive on the client's thread; a signal carries them over.
"""

from __future__ import annotations

from concurrent.futures import Future

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolButton

from backend_client.client import CommandFailed
from backend_client.search import Search
from desktop.console.actions import explain
from desktop.console.intake import IntakeController
from domain.caller import sees_caller
from domain.catalog_items import CLASS_DIGITS
from domain.model import OPEN_STATES
from domain.search import SearchFilter
from widgets.console.search import PAGE, SearchWindow


class SearchController(QObject):
    _answered = Signal(object, object)  # (offset, future)

    def __init__(self, client, console, window, directory, rules, actor) -> None:
        super().__init__(window)
        self.client, self.console, self.window = client, console, window
        self.directory, self.rules, self.actor = directory, rules, actor
        self.search = Search(client)
        self.view: SearchWindow | None = None
        self._answered.connect(self._apply)

    def open(self) -> SearchWindow:
        if self.view is None:
            self.view = SearchWindow(self.rules.catalog, self.directory, caller_filters=sees_caller(self.actor.role),
                                     parent=self.window)
            self.view.search_requested.connect(self.ask)
            self.view.case_opened.connect(self.console.show_found)
        self.view.show()
        self.view.activateWindow()
        return self.view

    def ask(self, filter_: SearchFilter, offset: int) -> None:
        future = self.search.search(filter_, offset, PAGE)
        future.add_done_callback(lambda f: self._answered.emit(offset, f))

    def _apply(self, offset: int, future: Future) -> None:
        view = self.view
        if view is None:
            return
        try:
            result = future.result()
        except CommandFailed as exc:
            view.set_error(explain(exc.code, exc.message, exc.detail))
            return
        except Exception as exc:  # noqa: BLE001 - a dropped link; the request is resent on reconnect
            view.set_error(str(exc))
            return
        view.set_result(result.total, result.offset, list(result.cases))


class Desk(QObject):
    """The desk's parts of a console: 新建事件 (Ctrl+N) and 综合查询 (Ctrl+Shift+F), in the File
    menu and as buttons in the header row."""

    def __init__(self, client, console, window, directory, rules, actor, menus=None) -> None:
        super().__init__(window)
        self.intake = IntakeController(client, console, window, directory, rules, actor)
        self.search = SearchController(client, console, window, directory, rules, actor)
        new = QAction(self.tr("New case…"), window)  # 新建事件…
        new.setObjectName("menu_new_case")
        new.setShortcut(QKeySequence("Ctrl+N"))
        new.setEnabled(self.intake.may_report())
        new.triggered.connect(self.intake.open)
        find = QAction(self.tr("Case search…"), window)  # 综合查询…
        find.setObjectName("menu_search")
        find.setShortcut(QKeySequence("Ctrl+Shift+F"))
        find.triggered.connect(self.search.open)
        self.actions = {"new_case": new, "search": find}
        # Buttons in the header row beside 评价/报表 (a toolbar would cost the queue a row of height).
        self.buttons: dict[str, QToolButton] = {}
        row = window.header_row
        for key, action in self.actions.items():
            button = QToolButton(window)
            button.setObjectName(f"desk_{key}")
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            row.insertWidget(row.indexOf(window.reports_button), button)
            self.buttons[key] = button
        file_menu = window.menuBar().actions()[0].menu() if menus is not None and window.menuBar().actions() \
            else None
        if file_menu is not None:
            first = file_menu.actions()[0] if file_menu.actions() else None
            file_menu.insertAction(first, new)
            file_menu.insertAction(first, find)
            file_menu.insertSeparator(first)
            menus.actions.update(self.actions)
        else:
            window.addAction(new)
            window.addAction(find)

    VIEWS = ("intake", "search")

    def open_view(self, view: str) -> None:
        """For the demo and screenshots: the intake form about the newest open case's problem (so its
        duplicates show), or a search for the newest case's class."""
        console = self.intake.console
        cases = sorted((c for c in console.client.replica.cases.values() if c.state in OPEN_STATES),
                       key=lambda c: c.reported_at)
        newest = cases[-1] if cases else None
        if view == "intake":
            form = self.intake.open()
            if form is None:
                return
            form.caller_name.setText("张三明")
            form.caller_phone.setText("13812345678")
            form.ticket_no.setText("GD2026120300123")
            if newest is not None:
                form.set_category(newest.category)
                form.set_grid(newest.node)
                form.description.setPlainText("来电反映：" + self.intake.directory.category_name(newest.category))
            form.resize(760, 820)
        elif view == "search":
            search = self.search.open()
            if newest is not None:
                search.category.setCurrentIndex(search.category.findData(newest.category[:CLASS_DIGITS]))
            search.search()
