"""The HTTP side started by its first client (backend.http.on_demand), on a real hub on loopback."""

from __future__ import annotations

import concurrent.futures
import socket
import urllib.error
import urllib.request

import pytest

from backend.embedded import HubThread
from backend.http.on_demand import OnDemandHttpSite

#: The site's start does not touch the database: SQLite alone.
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _listening() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    return sock


def _on_demand(thread: HubThread, sock: socket.socket) -> OnDemandHttpSite:
    site = OnDemandHttpSite(thread.hub, "127.0.0.1", sock)

    async def start() -> None:
        await site.start()
        thread.hub.http = site

    thread.call(start())
    return site


def test_the_site_starts_with_its_first_client_which_is_answered(store, rules):
    sock = _listening()
    port = sock.getsockname()[1]
    with HubThread(store, rules=rules, heartbeat_interval=0.5, sweep_interval=0.2) as thread:
        site = _on_demand(thread, sock)
        assert site.url == f"http://127.0.0.1:{port}"
        assert not site.serving
        with concurrent.futures.ThreadPoolExecutor(4) as pool:  # several wait in the backlog at once
            answers = list(pool.map(lambda _: urllib.request.urlopen(site.url + "/healthz", timeout=60).status,
                                    range(4)))
        assert answers == [200, 200, 200, 200]
        assert site.serving
        assert urllib.request.urlopen(site.url + "/healthz", timeout=60).status == 200
    # the hub's stop stopped the real site: the port is closed
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_a_site_no_client_came_to_stops_by_closing_its_socket(store, rules):
    sock = _listening()
    port = sock.getsockname()[1]
    with HubThread(store, rules=rules, heartbeat_interval=0.5, sweep_interval=0.2) as thread:
        site = _on_demand(thread, sock)
        thread.call(site.stop())
        assert not site.serving and sock.fileno() == -1
        thread.hub.http = None
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_a_site_that_cannot_start_closes_the_connections_waiting(store, rules, monkeypatch, caplog):
    import importlib

    real = importlib.import_module

    def failing(name, *args):
        if name == "backend.http.server":
            raise ImportError("no aiohttp here")
        return real(name, *args)

    sock = _listening()
    with HubThread(store, rules=rules, heartbeat_interval=0.5, sweep_interval=0.2) as thread:
        site = _on_demand(thread, sock)
        monkeypatch.setattr(importlib, "import_module", failing)
        with pytest.raises((ConnectionError, urllib.error.URLError)):
            urllib.request.urlopen(site.url + "/healthz", timeout=60)
        assert not site.serving
    assert "failed to start on its first client" in caplog.text
