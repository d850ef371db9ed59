"""The hub's HTTP side (aiohttp): Open311 GeoReport v2 and the 12345 hotline bridge.

``server.HttpSite`` runs beside the websockets feed on its own port (``Hub(http_port=...)``,
``gridcc-hub serve --http-port``); ``app.make_app`` builds the aiohttp application.
"""

from __future__ import annotations


def site_url(host: str, port: int) -> str:
    """The URL a client on this machine uses for a site bound to ``host:port``."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    host = host if ":" not in host else f"[{host}]"
    return f"http://{host}:{port}"
