"""Opening the console: who we are, the directory, then the window.

The first window appears as soon as the directory is in; the snapshot keeps
loading behind it (the status bar shows the progress), so an operator can start
reading the tree and the first queue without waiting for the charts.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from backend_client.client import GridClient
from backend_client.probe import ProbeError, probe
from backend_client.qt_bridge import QtBridge
from desktop import i18n
from desktop.console.controller import ConsoleController
from desktop.console.gridwork import attach_gridwork
from desktop.console.map import ConsoleMap
from desktop.console.window import ConsoleWindow
from desktop.directory import Directory
from domain.hierarchy import is_within
from domain.model import Actor
from domain.queues import Queue
from domain.rules import default_rules, evidence_rules
from widgets.common.theme import apply_theme
from widgets.console.connect_problem import ConnectProblem
from widgets.console.queue_model import QueueTableModel

log = logging.getLogger(__name__)


class StartupError(RuntimeError):
    """The console cannot open; the message is for the person at the keyboard."""


def application(lang: str, theme: str = "light") -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)  # widgets need a QApplication, not a QCoreApplication
    app.setApplicationName("GridCC")
    app.setOrganizationName("GridCC")
    app._gridcc_translators = i18n.install(app, lang)  # type: ignore[attr-defined]  # keeps them alive with the app
    apply_theme(app, theme)
    quit_on_signals(app)
    return app


def quit_on_signals(app: QApplication) -> None:
    """SIGTERM and SIGINT end the event loop, so every ``finally`` runs (the demo removes its folder).

    Python runs signal handlers only between bytecodes; a 200 ms timer gives it a chance
    while Qt's loop waits.
    """
    if getattr(app, "_gridcc_signal_timer", None) is not None:
        return
    def request_quit(*_) -> None:
        app._gridcc_quit_requested = True  # type: ignore[attr-defined]
        app.quit()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, request_quit)
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(200)
    app._gridcc_signal_timer = timer  # type: ignore[attr-defined]


def exec_unless_quit(app: QApplication) -> int:
    """``app.exec()``, unless a signal asked to quit before the loop started."""
    return 0 if getattr(app, "_gridcc_quit_requested", False) else app.exec()


def wait_for(future, timeout: float, label: str, parent=None):
    """Wait for a Future while the GUI keeps breathing; a progress dialog after a moment."""
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(30)
    def quit_when_done() -> None:
        if future.done():
            loop.quit()

    timer.timeout.connect(quit_when_done)
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(500)
    deadline = time.monotonic() + timeout
    timer.start()
    app = QApplication.instance()
    while not future.done() and time.monotonic() < deadline:
        if getattr(app, "_gridcc_quit_requested", False):
            timer.stop()
            dialog.close()
            raise StartupError(QCoreApplication.translate("Startup", "Stopped while starting."))  # 启动中已停止。
        QTimer.singleShot(200, loop.quit)
        loop.exec()
    timer.stop()
    dialog.close()
    if not future.done():
        raise StartupError(f"{label}: no answer within {timeout:.0f} s")
    return future.result()


def show_full(window, screen_number: int | None = None, full_screen: bool = False) -> None:
    """Fill the chosen screen, with or without a window manager to maximise for us."""
    screens = QApplication.screens()
    screen = screens[screen_number] if screen_number is not None and 0 <= screen_number < len(screens) else \
        QApplication.primaryScreen()
    window.setGeometry(screen.geometry() if full_screen else screen.availableGeometry())
    if full_screen:
        window.showFullScreen()
    else:
        window.showMaximized()


class Console:
    """A running console: client, bridge, window and controller, and how to close them."""

    def __init__(self, url: str, token: str, *, scope: str | None = None, outbox_path: Path | None = None,
                 client_name: str = "GridCC console", quiet: bool = False, http_url: str | None = None,
                 evidence_rules: bool = True) -> None:
        self.menus = None
        welcome = probe(url, token)
        user = welcome.user
        scope = user.scope if scope is None else scope
        if not is_within(scope, user.scope):
            raise StartupError(f"scope {scope} is outside your jurisdiction {user.scope}")
        self.actor = Actor(id=user.id, role=user.role, scope=user.scope, name=user.name,
                           department=user.department)
        self.rules = default_rules()
        self.client = GridClient(url, token, scope, outbox_path=outbox_path, client_name=client_name)
        # 我的待办 is whoever signed in: known now, so the index built for the snapshot off the GUI thread
        # already holds it (set later, adopting that index rewrote all its cases on the GUI thread)
        self.client.index.set_me(user.id)
        self.bridge = QtBridge(self.client)
        directory = self.client.request_directory(scope)  # asked before the snapshot, answered first
        self.bridge.start()
        answer = wait_for(directory, 120, QCoreApplication.translate("Startup", "Loading the jurisdiction…"))
        self.directory = Directory(answer.nodes, answer.departments, self.rules.catalog, scope)
        with self.client.lock:
            self.client.index.set_node_name(self.directory.node_name)  # filter by place names too
        model = QueueTableModel(self.client.index.view(scope, Queue.INTAKE), self.directory,
                                clock=self.client.server_now)
        title = f"GridCC · {self.directory.node_name(scope)} · {user.name}"
        self.window = ConsoleWindow(self.directory, model, title)
        self.controller = ConsoleController(self.client, self.bridge, self.window, self.directory, self.rules,
                                            self.actor, quiet=quiet)
        self.gridwork = attach_gridwork(self.client, self.controller, self.window, self.directory, self.rules,
                                        self.actor)
        self.evidence = self._evidence(http_url, token, evidence_rules)
        self.map = ConsoleMap(self.client, self.window.map, self.controller, self.directory)

        from desktop.console.menus import ConsoleMenus
        from desktop.console.search import Desk

        self.menus = ConsoleMenus(self.window, self.controller)  # menus; the user's saved preferences
        from desktop.about import install_help_menu

        # The welcome of the current connection (a reconnect may meet an upgraded hub), else the probe's.
        self.about_action = install_help_menu(
            self.window, url, lambda: getattr(self.client._conn, "welcome", None) or welcome)
        self.desk = Desk(self.client, self.controller, self.window, self.directory, self.rules, self.actor,
                         self.menus)  # 新建事件 and 综合查询

    def _evidence(self, http_url: str | None, token: str, enforced: bool):
        """Photos over the hub's HTTP side, when it has one; uploads queue beside the outbox.

        ``enforced``: the hub enforces the evidence rules, so the dialogs ask for the photos too."""
        from backend_client.attachments import EvidenceClient
        from desktop.console.evidence import EvidenceController

        client = None
        if http_url:
            if enforced:
                self.rules = self.controller.rules = evidence_rules()
            outbox = self.client.outbox.path
            client = EvidenceClient(http_url, token, outbox.with_name(outbox.stem + ".uploads.sqlite3"))
        return EvidenceController(client, self.window.detail.evidence, self.rules, bridge=self.bridge,
                                  window=self.window)

    def close(self) -> None:
        if self.menus is not None:
            self.menus.save_layout()
            self.menus = None
        self.map.stop()
        self.evidence.close()
        self.gridwork.stop()
        self.controller.stop()
        self.bridge.stop()
        self.client.close()
        self.window.close()


class ConsoleLauncher:
    """Opens the console, or, when the hub cannot be reached, a window that says so and retries
    (by its button or on its own) until the console opens."""

    def __init__(self, url: str, token: str, *, scope: str | None = None, outbox_path: Path | None = None,
                 quiet: bool = False, auto_retry_s: int = 15, show=show_full, http_url: str | None = None) -> None:
        self.url, self.token, self.scope = url, token, scope
        self.outbox_path, self.quiet, self._show = outbox_path, quiet, show
        self.http_url = http_url
        self.console: Console | None = None
        self.problem: ConnectProblem | None = None
        self._auto_retry_s = auto_retry_s
        self.attempts = 0

    def start(self) -> bool:
        """Try to open the console; True when it is open, False when the problem window shows."""
        self.attempts += 1
        try:
            self.console = Console(self.url, self.token, scope=self.scope, outbox_path=self.outbox_path,
                                   quiet=self.quiet, http_url=self.http_url)
        except (ProbeError, StartupError, OSError) as exc:
            log.warning("console not opened: %s", exc)
            from desktop.about import problem_text

            versions = problem_text(exc)  # a protocol mismatch: said in the operator's language
            self._show_problem("" if versions else str(exc))
            self._say_versions(versions)
            return False
        if self.problem is not None:
            self.problem.timer.stop()
            self.problem.hide()
            self.problem.deleteLater()
            self.problem = None
        self._show(self.console.window)
        return True

    def _show_problem(self, detail: str) -> None:
        if self.problem is None:
            self.problem = ConnectProblem(self.url, detail, auto_retry_s=self._auto_retry_s)
            self.problem.retry_requested.connect(self.start)
            self.problem.quit_requested.connect(QApplication.quit)
            self.problem.show()
        else:
            self.problem.set_detail(detail)

    def _say_versions(self, versions: tuple[str, str] | None) -> None:
        """A version mismatch replaces the window's network advice; any other problem puts it back."""
        problem = self.problem
        if problem is None:
            return
        if not hasattr(problem, "_gridcc_texts"):
            problem._gridcc_texts = (problem.headline.text(), problem.advice.text())  # type: ignore[attr-defined]
        headline, advice = versions if versions is not None else problem._gridcc_texts  # type: ignore[attr-defined]
        problem.headline.setText(headline)
        problem.advice.setText(advice)

    def close(self) -> None:
        if self.console is not None:
            self.console.close()
        if self.problem is not None:
            self.problem.timer.stop()
            self.problem.close()


def run_console(url: str, token: str, *, lang: str, scope: str | None = None, http_url: str | None = None) -> int:
    app = application(lang)
    launcher = ConsoleLauncher(url, token, scope=scope, http_url=http_url)
    launcher.start()
    try:
        return app.exec()
    finally:
        launcher.close()
