"""The HTTP site beside the hub's websockets server, on the hub's loop and database threads."""

from __future__ import annotations

import logging
import socket

from aiohttp import web

from backend.http.app import make_app
from backend.intake.places import Locator
from backend.intake.service import Intake

log = logging.getLogger(__name__)


class HttpSite:
    """Serves ``make_app(hub)`` on ``host:port`` (0 picks a free port); ``port`` is the bound one."""

    def __init__(self, hub, host: str, port: int, *, locator: Locator | None = None) -> None:
        self.hub = hub
        self.host = host
        self.port = port
        self.intake = Intake(hub.store, hub.rules, hub.clock.now, locator=locator)
        self.app = make_app(hub, self.intake)
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None, handle_signals=False)
        await self._runner.setup()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        site = web.SockSite(self._runner, sock)
        await site.start()
        self.port = sock.getsockname()[1]
        log.info("HTTP intake listening on %s", self.url)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self.port}"
