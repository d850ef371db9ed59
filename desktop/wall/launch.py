"""The wall display (大屏): `gridcc wall URL --token T [--screen N] [--scope CODE]`.

Opens like the console — who we are, the directory, then the window — but read-only,
full screen, dark and without a cursor, and it never gives up: the client reconnects and
resumes on its own while a banner says so. ``open_wall`` builds it inside a running
QApplication (demo mode calls it too); ``run_wall`` adds the application and its loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from backend_client.client import GridClient
from backend_client.connection import Backoff
from backend_client.outbox import default_path
from backend_client.probe import probe
from backend_client.qt_bridge import QtBridge
from desktop.app import StartupError, application, show_full, wait_for
from desktop.directory import Directory
from desktop.wall.controller import WallController, check_rotation
from desktop.wall.figures import MIN_CASES
from desktop.wall.gridwork import WallGridwork
from desktop.wall.map import WallMap
from desktop.wall.window import WallWindow
from domain.hierarchy import CodeError, is_within, validate_code
from domain.rules import default_rules


class WallDisplay:
    """A running wall: client, bridge, window and controller, and how to close them."""

    def __init__(self, url: str, token: str, *, scope: str | None = None, screen: int | None = None,
                 rotate_seconds: float = 20.0, min_cases: int = MIN_CASES, full_screen: bool = True,
                 show: bool = True, outbox_path: Path | None = None, backoff: Backoff = Backoff(),
                 clock: Callable[[], float] = time.monotonic, http_url: str | None = None) -> None:
        check_rotation(rotate_seconds)
        user = probe(url, token).user
        scope = user.scope if scope is None else scope
        try:
            validate_code(scope)
        except CodeError as exc:
            raise StartupError(f"--scope: {exc}") from None
        if not is_within(scope, user.scope):
            raise StartupError(f"scope {scope} is outside your jurisdiction {user.scope}")
        self.user = user
        outbox_path = outbox_path or default_path(f"wall-{scope}-{screen or 0}")
        self.client = GridClient(url, token, scope, outbox_path=outbox_path, client_name="GridCC wall",
                                 backoff=backoff)
        self.bridge = QtBridge(self.client)
        self.bridge.start()
        try:
            # 正在加载辖区…
            answer = wait_for(self.client.request_directory(scope), 120,
                              QCoreApplication.translate("Wall", "Loading the jurisdiction…"))
        except BaseException:
            self.bridge.stop()
            self.client.close()
            raise
        self.directory = Directory(answer.nodes, answer.departments, default_rules().catalog, scope)
        self.window = WallWindow(f"GridCC · {self.directory.node_name(scope)}")
        self.controller = WallController(self.client, self.bridge, self.window, self.directory,
                                         rotate_seconds=rotate_seconds, min_cases=min_cases, clock=clock)
        self.gridwork = WallGridwork(self.client, self.window, self.controller)
        if http_url:  # the photo of a 特急 case in the alarm band
            from backend_client.attachments import Downloads
            from desktop.wall.evidence import AlarmPhotos

            self.controller.photos = AlarmPhotos(Downloads(http_url, token), self.window.alarm, self.controller)
        self.map = WallMap(self.client, self.window.map, self.controller, self.directory)
        if show:
            show_full(self.window, screen, full_screen=full_screen)

    def close(self) -> None:
        self.gridwork.stop()
        if self.controller.photos is not None:
            self.controller.photos.close()
        self.map.stop()
        self.controller.stop()
        self.bridge.stop()
        self.client.close()
        self.window.close()


def open_wall(url: str, token: str, *, scope: str | None = None, screen: int | None = None,
              rotate_seconds: float = 20.0, **options) -> WallDisplay:
    """Build and show the wall in the running QApplication (``options``: see WallDisplay)."""
    return WallDisplay(url, token, scope=scope, screen=screen, rotate_seconds=rotate_seconds, **options)


def run_wall(url: str, token: str, *, lang: str, scope: str | None = None, screen: int | None = None,
             http_url: str | None = None) -> int:
    app = application(lang, "dark")
    display = open_wall(url, token, scope=scope, screen=screen, http_url=http_url)
    try:
        return app.exec()
    finally:
        display.close()
