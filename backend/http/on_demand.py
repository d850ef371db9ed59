"""The HTTP side started by its first client: a listening socket now, aiohttp when asked.

``gridcc demo`` serves photos (and Open311, the hotline bridge) beside its feed, but most demo
sessions never open a photo. Importing aiohttp and building the site cost ~14 MB resident
(``bench/demo_startup.py``, city from the cache: settled 222 MB against 236, two pairs).
:class:`OnDemandHttpSite` stands in for :class:`~backend.http.server.HttpSite` as ``hub.http``:
the socket listens from the start, so the URL is known and a first request waits in the
backlog, and the first connection imports the real site (on a worker thread, so the hub's loop
keeps serving the feed) and hands it the socket, which then accepts that connection.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import socket

from backend.http import site_url

log = logging.getLogger(__name__)


class OnDemandHttpSite:
    """``hub.http`` until the first connection, then the real site behind it (``serving``)."""

    def __init__(self, hub, host: str, sock: socket.socket, *, evidence=None) -> None:
        self.hub, self.host, self.evidence = hub, host, evidence
        self.port: int = sock.getsockname()[1]
        self._sock: socket.socket | None = sock
        self._site = None  # backend.http.server.HttpSite once a client came
        self._starting: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def serving(self) -> bool:
        """True once a client has made the real site start."""
        return self._site is not None

    async def start(self) -> None:
        """Watch the socket for a first client (on the running loop)."""
        assert self._sock is not None, "started twice, or after stop()"
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(self._sock.fileno(), self._first_client)

    def _first_client(self) -> None:
        assert self._loop is not None and self._sock is not None
        self._loop.remove_reader(self._sock.fileno())
        self._starting = self._loop.create_task(self._serve(self._sock))

    async def _serve(self, sock: socket.socket) -> None:
        try:
            server = await asyncio.get_running_loop().run_in_executor(
                None, importlib.import_module, "backend.http.server")
            site = server.HttpSite(self.hub, self.host, self.port, evidence=self.evidence)
            await site.start(sock=sock)
        except Exception:  # the clients waiting in the backlog get a closed connection, not a hang
            log.exception("the HTTP side failed to start on its first client")
            self._close()
            return
        self._site, self._sock = site, None

    async def stop(self) -> None:
        if self._starting is not None:
            await asyncio.shield(self._starting)  # a start under way ends first, then stops below
        if self._site is not None:
            await self._site.stop()  # closes the evidence store too
            self._site = None
            return
        self._close()
        if self.evidence is not None:
            self.evidence.close()

    def _close(self) -> None:
        if self._sock is None:
            return
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(self._sock.fileno())
        self._sock.close()
        self._sock = None

    @property
    def url(self) -> str:
        return site_url(self.host, self.port)
