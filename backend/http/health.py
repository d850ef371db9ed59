"""Liveness and readiness on the hub's HTTP side, for a load balancer, systemd or monitoring.

``/healthz`` answers from the hub's own event loop, so a 200 means the process runs and its
loop is not stuck. ``/readyz`` also reads the database through the hub's reader threads and
checks the schema is at this hub's head revision: 200 when the hub can take work, else 503
with the reason. Neither needs a key; they reveal only counts and versions.
"""

from __future__ import annotations

import os

from aiohttp import web

from backend.http.common import HUB
from backend.store import schema
from domain import messages as p
from domain.version import APP_VERSION


def add_routes(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)


def _identity(hub) -> dict:
    return {"name": getattr(hub, "name", ""), "version": APP_VERSION, "protocol": p.PROTOCOL_VERSION,
            "pid": os.getpid()}


async def healthz(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    return web.json_response({"status": "alive", **_identity(hub), "clients": len(getattr(hub, "sessions", ()))})


def _database_state(store) -> tuple[str, int]:
    """The schema state and head sequence, read off the loop; raises when the database is unreachable."""
    status = store.schema_status()
    _epoch, head = store.head()
    return status.state, head


async def readyz(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    body = _identity(hub)
    try:
        state, head = await hub.read(_database_state, hub.store)  # type: ignore[attr-defined]  # the Hub's store
    except Exception as exc:  # the reason goes to the prober; the hub keeps running
        reason = f"database unreachable: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        return web.json_response({"status": "not ready", "reason": reason, **body}, status=503)
    if state != "current":
        reason = f"database schema is {state}, this hub needs {schema.head_revision()}"
        return web.json_response({"status": "not ready", "reason": reason, **body}, status=503)
    return web.json_response({"status": "ready", "schema": "current", "head_seq": head, **body})
