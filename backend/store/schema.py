"""Where a database stands against the migrations shipped with this hub, and upgrading it.

Alembic is configured in code (no alembic.ini): the script directory is
``backend/store/migrations`` next to this file and the store's own connection is handed
to ``env.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import msgspec
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class SchemaError(RuntimeError):
    """The database's schema does not match this hub; the message says what to run."""


class SchemaStatus(msgspec.Struct, frozen=True):
    state: Literal["current", "empty", "behind", "ahead"]
    current: str | None  # the database's revision, None when never migrated
    head: str  # the newest revision this hub ships


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def schema_status(engine: Engine) -> SchemaStatus:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current is None:
        state = "empty"
    elif current == head:
        state = "current"
    else:
        try:
            script.get_revision(current)
        except CommandError:
            state = "ahead"  # a revision this hub does not know: written by a newer hub
        else:
            state = "behind"
    return SchemaStatus(state=state, current=current, head=head)  # type: ignore[arg-type]


def require_current(status: SchemaStatus, shown_url: str) -> None:
    """Raise :class:`SchemaError` unless ``status`` is current, saying what to do.

    ``shown_url`` has its password masked; it is also what the hint tells to pass.
    """
    if status.state == "current":
        return
    migrate = f"run `gridcc-hub migrate --db {shown_url}`"
    if status.state == "empty":
        msg = f"database at {shown_url} is not migrated (revision none, head {status.head}): {migrate}"
    elif status.state == "behind":
        msg = f"database at {shown_url} is behind this hub (revision {status.current}, head {status.head}): {migrate}"
    else:
        msg = (
            f"database at {shown_url} is newer than this hub (revision {status.current} unknown, "
            f"head {status.head}): upgrade GridCC"
        )
    raise SchemaError(msg)


def upgrade_on(conn: Connection) -> None:
    """Upgrade to head inside the caller's transaction (DDL is transactional on both dialects)."""
    command.upgrade(alembic_config(conn), "head")
