"""The aiohttp application of the hub's HTTP side: Open311 GeoReport v2 and the 12345 hotline bridge."""

from __future__ import annotations

from aiohttp import web

from backend.http import health, hotline, open311
from backend.http.common import (
    HOTLINE_PREFIX,
    HUB,
    INTAKE,
    LIMITER,
    MAX_BODY,
    OPEN311_PREFIX,
    RateLimiter,
    errors_middleware,
)
from backend.intake.service import Intake


def make_app(hub, intake: Intake) -> web.Application:
    """The HTTP application of ``hub`` (anything with async ``read``/``write``, ``wake_pump``)."""
    app = web.Application(client_max_size=MAX_BODY, middlewares=[errors_middleware])
    app[HUB] = hub
    app[INTAKE] = intake
    app[LIMITER] = RateLimiter()
    open311.add_routes(app, OPEN311_PREFIX)
    hotline.add_routes(app, HOTLINE_PREFIX)
    health.add_routes(app)  # /healthz, /readyz
    return app
