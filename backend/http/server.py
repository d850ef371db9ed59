"""The hub's one HTTP site beside its websockets server, on the hub's loop and database threads.

It serves Open311 and the 12345 hotline bridge (``backend.http.app``) and, when the hub keeps
evidence, the photo upload and download routes (``backend.evidence.routes``). Those stream
their bodies, so the application's small ``client_max_size`` (for form and JSON bodies) does
not limit an upload; the evidence service enforces its own size limit while streaming.
"""

from __future__ import annotations

import logging
import socket

from aiohttp import web

from backend.evidence.routes import add_routes
from backend.evidence.service import Evidence
from backend.http import site_url
from backend.http.app import make_app
from backend.intake.places import Locator
from backend.intake.service import Intake

#: How long stopping the HTTP side waits for requests still being answered.
SHUTDOWN_SECONDS = 5.0

log = logging.getLogger(__name__)


class HttpSite:
    """Serves ``make_app(hub)`` on ``host:port`` (0 picks a free port); ``port`` is the bound one."""

    def __init__(self, hub, host: str, port: int, *, locator: Locator | None = None,
                 evidence: Evidence | None = None) -> None:
        self.hub = hub
        self.host = host
        self.port = port
        self.intake = Intake(hub.store, hub.rules, hub.clock.now, locator=locator)
        self.app = make_app(hub, self.intake)
        self.evidence = evidence
        if evidence is not None:
            evidence.bind(hub)
            add_routes(self.app, evidence)
        self._runner: web.AppRunner | None = None

    async def start(self, sock: socket.socket | None = None) -> None:
        """Serve on ``host:port``, or on ``sock`` when given (already bound, e.g. listening early)."""
        # A stop waits this long for requests in flight (aiohttp's default is 60 s, as long as an
        # embedded hub's whole stop may take); an upload cut short is resumed by its client.
        self._runner = web.AppRunner(self.app, access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_SECONDS)
        await self._runner.setup()
        if sock is None:
            family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
        site = web.SockSite(self._runner, sock)
        await site.start()
        self.port = sock.getsockname()[1]
        log.info("HTTP side (intake%s) listening on %s", " and evidence" if self.evidence else "", self.url)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.evidence is not None:
            self.evidence.close()

    @property
    def url(self) -> str:
        return site_url(self.host, self.port)
