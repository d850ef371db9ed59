"""What every route shares: the error middleware, API keys and per-key rate limits.

Every failure is answered in GeoReport v2's error shape (a list of {code, description}),
as XML when the path asks for ``.xml`` and JSON otherwise, with the same HTTP status:
400 bad input, 403 unknown or revoked key or a key of the wrong kind, 404 unknown service
or request, 413 a body over ``MAX_BODY``, 429 over the key's rate (with Retry-After).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiohttp import web

from backend.http import render
from backend.intake.keys import ApiKey
from backend.intake.service import Intake
from domain.intake import IntakeError

log = logging.getLogger(__name__)

#: Largest request body taken (aiohttp's client_max_size): a 12345 batch of ~100 tickets.
MAX_BODY = 256 * 1024
OPEN311_PREFIX = "/open311/v2"
#: Unknown or revoked keys one remote address may send a minute before it gets 429 without a lookup.
BAD_KEYS_PER_MINUTE = 30
HOTLINE_PREFIX = "/v1/hotline"



class HubPort(Protocol):
    """What the HTTP side needs of the hub: its database threads and the pump's wake-up."""

    async def read(self, fn: Callable[..., Any], *args: Any) -> Any: ...

    async def write(self, fn: Callable[..., Any], *args: Any) -> Any: ...

    def wake_pump(self) -> None: ...


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class RateLimiter:
    """A token bucket per key: ``rate_per_minute`` requests a minute, bursts up to that many."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: ApiKey) -> float:
        """0 when the request may go ahead (a token is spent); else seconds until it may."""
        return self.take_named(key.id, key.rate_per_minute)

    def take_named(self, name: str, per_minute: int, *, spend: bool = True) -> float:
        rate = per_minute / 60.0
        now = self.clock()
        tokens, last = self._buckets.get(name, (float(per_minute), now))
        tokens = min(float(per_minute), tokens + (now - last) * rate)
        if tokens >= 1.0:
            self._buckets[name] = (tokens - 1.0 if spend else tokens, now)
            return 0.0
        self._buckets[name] = (tokens, now)
        if len(self._buckets) > 100_000:  # refilled buckets are forgotten, so strangers cannot fill memory
            self._buckets = {n: b for n, b in self._buckets.items() if b[0] < 1.0}
        return (1.0 - tokens) / rate


def response_format(request: web.Request) -> str:
    fmt = request.match_info.get("fmt")
    if fmt in render.FORMATS:
        return fmt
    return "xml" if request.path.endswith(".xml") else "json"


HUB = web.AppKey("hub", HubPort)
INTAKE = web.AppKey("intake", Intake)
LIMITER = web.AppKey("limiter", RateLimiter)


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except IntakeError as exc:
        return render.errors(response_format(request), exc.code, exc.description,
                             getattr(exc, "headers", None))
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        description = {404: f"no such resource: {request.path}",
                       413: f"request body larger than {MAX_BODY} bytes"}.get(exc.status, exc.reason)
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        return render.errors(response_format(request), exc.status, description, headers)
    except Exception:
        log.exception("intake: %s %s failed", request.method, request.path)
        return render.errors(response_format(request), 500, "internal error; nothing was stored")


class RateLimited(IntakeError):
    def __init__(self, wait: float) -> None:
        super().__init__(429, f"rate limit exceeded; retry after {math.ceil(wait)} s")
        self.headers = {"Retry-After": str(max(1, math.ceil(wait)))}


def _secret(request: web.Request, secret: str | None) -> str:
    if secret:
        return secret
    header = request.headers.get("X-Api-Key") or ""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return header or (token.strip() if scheme.lower() == "bearer" else "")


async def optional_key(request: web.Request, secret: str | None, kind: str) -> ApiKey | None:
    """The key when one is given (checked and rate-limited like any), else None."""
    if not _secret(request, secret):
        return None
    return await key_of(request, secret, kind)


async def key_of(request: web.Request, secret: str | None, kind: str) -> ApiKey:
    """The live key for ``secret`` (else the X-Api-Key or Bearer header), kind checked, one request taken
    from its rate; IntakeError 400/403/429 if not."""
    secret = _secret(request, secret)
    if not secret:
        raise IntakeError(400, "api_key is required")
    hub, limiter = request.app[HUB], request.app[LIMITER]
    strikes = f"bad-key:{request.remote}"
    wait = limiter.take_named(strikes, BAD_KEYS_PER_MINUTE, spend=False)
    if wait > 0:  # this address keeps sending keys that do not work: stop looking them up for a while
        raise RateLimited(wait)
    key = await hub.read(request.app[INTAKE].store.key_for, secret)
    if key is None:
        limiter.take_named(strikes, BAD_KEYS_PER_MINUTE)
        raise IntakeError(403, "invalid api_key: unknown or revoked")
    if key.kind != kind:
        raise IntakeError(403, f"this api_key is for {key.kind} intake, not {kind}")
    wait = limiter.take(key)
    if wait > 0:
        raise RateLimited(wait)
    return key
