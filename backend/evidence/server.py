"""Run the evidence routes on their own aiohttp site beside the hub's websocket feed.

``Hub(store, http=HttpSide(evidence, port=0))`` starts it with the hub (same host) and
stops it with the hub; ``hub.http.port`` is the bound port once started.
"""

from __future__ import annotations

import socket

from aiohttp import web

from backend.evidence.routes import add_routes
from backend.evidence.service import Evidence


class HttpSide:
    def __init__(self, evidence: Evidence, port: int = 0, host: str | None = None) -> None:
        self.evidence = evidence
        self.port = port
        self.host = host
        self._runner: web.AppRunner | None = None

    async def start(self, hub) -> None:
        self.evidence.bind(hub)
        host = self.host or hub.host
        app = web.Application(client_max_size=self.evidence.max_bytes + 1)
        add_routes(app, self.evidence)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, self.port))
        site = web.SockSite(self._runner, sock)
        await site.start()
        self.port = sock.getsockname()[1]
        self.host = host

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.evidence.close()

    @property
    def url(self) -> str:
        host = self.host if ":" not in (self.host or "") else f"[{self.host}]"
        return f"http://{host}:{self.port}"
