"""API keys of outside intake sources: created, listed, revoked; only their sha256 is stored.

A key belongs to one source (``open311`` client or ``hotline`` platform), has a jurisdiction
(a node code: the key files and reads cases only there) and a rate limit in requests per
minute. The key is shown once when made.
"""

from __future__ import annotations

import hashlib
import re
import secrets

import msgspec
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from backend.store.models import ApiKeyRow
from domain.hierarchy import CodeError, validate_code
from domain.intake import CHANNELS

KEY_PREFIX = "gk_"
_SOURCE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,31}")


class ApiKeyError(ValueError):
    """A key that cannot be made or changed; the message says why."""


class ApiKey(msgspec.Struct, frozen=True):
    id: str
    name: str
    kind: str  # open311 | hotline
    source: str
    jurisdiction: str
    rate_per_minute: int
    created_at: float
    revoked_at: float | None = None

    def __iter__(self):
        return iter(msgspec.structs.astuple(self))


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def add_key(conn: Connection, name: str, kind: str, source: str, jurisdiction: str, rate_per_minute: int,
            now: float) -> tuple[ApiKey, str]:
    """Make a key; returns it and its secret (shown once, never stored)."""
    if not isinstance(name, str) or not name.strip():
        raise ApiKeyError("key name is empty")
    if kind not in CHANNELS:
        raise ApiKeyError(f"kind {kind!r} must be one of {', '.join(CHANNELS)}")
    if not isinstance(source, str) or not _SOURCE.fullmatch(source):
        raise ApiKeyError(f"source {source!r} must be 1-32 lowercase letters, digits, '.', '_' or '-'")
    if jurisdiction != "":
        try:
            validate_code(jurisdiction)
        except CodeError as exc:
            raise ApiKeyError(f"jurisdiction: {exc}") from None
    if isinstance(rate_per_minute, bool) or not isinstance(rate_per_minute, int) or not 1 <= rate_per_minute <= 100_000:
        raise ApiKeyError(f"rate must be 1-100000 requests per minute, got {rate_per_minute!r}")
    key = ApiKey(id="k" + secrets.token_hex(5), name=name.strip(), kind=kind, source=source,
                 jurisdiction=jurisdiction, rate_per_minute=rate_per_minute, created_at=now)
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    conn.execute(insert(ApiKeyRow).values(**msgspec.structs.asdict(key), key_hash=key_hash(secret)))
    return key, secret


_COLS = (ApiKeyRow.id, ApiKeyRow.name, ApiKeyRow.kind, ApiKeyRow.source, ApiKeyRow.jurisdiction,
         ApiKeyRow.rate_per_minute, ApiKeyRow.created_at, ApiKeyRow.revoked_at)


_LIVE = select(*_COLS).where(ApiKeyRow.key_hash == bindparam("key_hash"), ApiKeyRow.revoked_at.is_(None))


def _key(row) -> ApiKey:
    return ApiKey(*row)


def authenticate(conn: Connection, secret: str) -> ApiKey | None:
    """The live key for ``secret``; None when unknown or revoked."""
    if not isinstance(secret, str) or not secret.startswith(KEY_PREFIX) or len(secret) > 128:
        return None
    row = conn.execute(_LIVE, {"key_hash": key_hash(secret)}).first()
    return None if row is None else _key(row)


def list_keys(conn: Connection) -> list[ApiKey]:
    return [_key(r) for r in conn.execute(select(*_COLS).order_by(ApiKeyRow.created_at, ApiKeyRow.id))]


def revoke(conn: Connection, key_id: str, now: float) -> None:
    result = conn.execute(update(ApiKeyRow).where(ApiKeyRow.id == key_id, ApiKeyRow.revoked_at.is_(None))
                          .values(revoked_at=now))
    if result.rowcount != 1:
        raise ApiKeyError(f"no live key with id {key_id!r}")
