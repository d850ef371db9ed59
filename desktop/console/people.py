"""The department's people for the 指派 dialog, asked of the hub (users_request, protocol §18)."""

from __future__ import annotations

from concurrent.futures import Future

from PySide6.QtCore import QObject, Signal

from backend_client.client import CommandFailed
from backend_client.search import Search
from desktop.console.actions import explain
from widgets.console.loop_dialogs import AssignDialog


class PeopleLoader(QObject):
    """Fills an open AssignDialog with the department's people once the hub answers (users_request).

    The answer comes on the client's thread; a queued signal brings it to the GUI thread, where
    it is applied only if that dialog is still the one open (``is_open``).
    """

    _answered = Signal(object, object)  # (dialog, future)

    def __init__(self, client, is_open, parent: QObject | None = None, names: dict[str, str] | None = None) -> None:
        """``names``: a user id → name table to keep up to date (the directory's, so the detail names
        the handler)."""
        super().__init__(parent)
        self.search = Search(client)
        self.is_open = is_open
        self.names = names if names is not None else {}
        self._answered.connect(self._apply)

    def prime(self, department: str | None) -> None:
        """Learn the names of ``department``'s people without a dialog (a department's console at start)."""
        if department:
            future = self.search.users(department)
            future.add_done_callback(lambda f: self._answered.emit(None, f))

    def load(self, dialog: AssignDialog, department: str | None) -> None:
        if not department:
            dialog.set_people([])
            return
        future = self.search.users(department)
        future.add_done_callback(lambda f: self._answered.emit(dialog, f))

    def _apply(self, dialog: AssignDialog | None, future: Future) -> None:
        if dialog is None or not self.is_open(dialog):
            if dialog is None and future.exception() is None:
                self.names.update((u.id, u.name) for u in future.result())
            return
        try:
            users = future.result()
        except CommandFailed as exc:
            dialog.set_failed(explain(exc.code, exc.message))
            return
        except Exception as exc:  # noqa: BLE001 - a dropped link: say so, the operator may retry
            dialog.set_failed(str(exc))
            return
        self.names.update((u.id, u.name) for u in users)
        dialog.set_people([(u.id, u.name) for u in users])
