"""Users and their bearer tokens.

Only the sha256 of a token is stored: a leaked database file does not let anyone sign
in, and lookup by hash needs no timing-sensitive comparison of secrets.
"""

from __future__ import annotations

import hashlib
import secrets
import time

import msgspec
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from backend.store.models import UserRow
from domain.hierarchy import validate_code
from domain.model import Actor, Role
from domain.permissions import WHOLE_TREE_ROLES


class UserError(ValueError):
    """A user that cannot be added or changed; the message says why."""


class StoredUser(msgspec.Struct, frozen=True):
    """A user as listed by the store: everything but the token, which is never kept."""

    id: str
    name: str
    role: Role
    scope: str
    department: str | None
    created_at: float
    disabled: bool

    def __iter__(self):
        """Field values in order, so a listing can print a row as a tuple."""
        return iter(msgspec.structs.astuple(self))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check(name: str, role: Role | str, scope: str, department: str | None) -> Role:
    if not isinstance(name, str) or not name.strip():
        raise UserError("user name is empty")
    try:
        role = Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role if r is not Role.SYSTEM)
        raise UserError(f"unknown role {role!r}; one of {allowed}") from None
    if role is Role.SYSTEM:
        raise UserError("role 'system' belongs to the hub itself and cannot be given to a user")
    if scope == "" and role not in WHOLE_TREE_ROLES:
        allowed = ", ".join(sorted(r.value for r in WHOLE_TREE_ROLES))
        raise UserError(f'scope "" (the whole tree) is for roles {allowed}; give a {role.value} a node code')
    if scope != "":  # empty scope: the whole tree
        try:
            validate_code(scope)
        except ValueError as exc:
            raise UserError(f"scope of user {name!r}: {exc}") from None
    if role is Role.DEPARTMENT and not department:
        raise UserError(f"user {name!r} has role 'department' but no department code")
    return role


def add_user(
    conn: Connection, name: str, role: Role | str, scope: str, department: str | None = None
) -> tuple[str, str]:
    """Create a user; returns (user_id, token). The token is shown once and never stored."""
    role = _check(name, role, scope, department)
    user_id = "u" + secrets.token_hex(5)
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(UserRow).values(
            id=user_id,
            name=name.strip(),
            role=role.value,
            scope=scope,
            department=department,
            token_hash=token_hash(token),
            created_at=time.time(),
            disabled=False,
        )
    )
    return user_id, token


def authenticate(conn: Connection, token: str) -> Actor | None:
    if not isinstance(token, str) or not token:
        return None
    user = conn.execute(
        select(UserRow.id, UserRow.role, UserRow.scope, UserRow.name, UserRow.department).where(
            UserRow.token_hash == token_hash(token), UserRow.disabled.is_(False)
        )
    ).first()
    if user is None:
        return None
    return Actor(id=user.id, role=Role(user.role), scope=user.scope, name=user.name, department=user.department)


def list_users(conn: Connection) -> list[StoredUser]:
    cols = (UserRow.id, UserRow.name, UserRow.role, UserRow.scope, UserRow.department, UserRow.created_at,
            UserRow.disabled)
    rows = conn.execute(select(*cols).order_by(UserRow.created_at, UserRow.id)).all()
    return [
        StoredUser(id=r.id, name=r.name, role=Role(r.role), scope=r.scope, department=r.department,
                   created_at=r.created_at, disabled=bool(r.disabled))
        for r in rows
    ]


def set_disabled(conn: Connection, user_id: str, disabled: bool) -> None:
    result = conn.execute(update(UserRow).where(UserRow.id == user_id).values(disabled=disabled))
    if result.rowcount != 1:
        raise UserError(f"no user with id {user_id!r}")


def count_users(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(UserRow)).scalar_one()
