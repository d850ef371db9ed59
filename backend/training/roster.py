"""Carrying the trainer's and trainees' accounts from one session's store to the next.

A reset starts a fresh store, but trainees must not need new tokens: their consoles
reconnect with the token they have. Only token hashes are stored, so the user rows
(id, name, role, scope, hash) are copied as they are; the token itself is never read.
"""

from __future__ import annotations

from sqlalchemy import insert, select

from backend.store.models import UserRow

_COLUMNS = ("id", "name", "role", "scope", "department", "token_hash", "created_at", "disabled")


def copy_users(source, target) -> int:
    """Copy every user of ``source`` into ``target`` (a store with no users yet); returns how many."""
    with source.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(*(getattr(UserRow, c) for c in _COLUMNS)))]
    with target.engine.begin() as conn:
        existing = conn.execute(select(UserRow.id).limit(1)).first()
        if existing is not None:
            raise ValueError(f"{target!r} already has users; copy accounts only into a new store")
        if rows:
            conn.execute(insert(UserRow), rows)
    return len(rows)


__all__ = ["copy_users"]
