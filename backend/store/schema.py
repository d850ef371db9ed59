"""Where a database stands against the migrations shipped with this hub, and upgrading it.

Alembic is configured in code (no alembic.ini): the script directory is
``backend/store/migrations`` next to this file and the store's own connection is handed
to ``env.py``.

Alembic (with mako and its dialect modules, ~0.4 s and 11 MB) is imported only to migrate or
to explain a database that is not at the head: a database already at the head (every store a
hub opens day to day, a demo city copied from the cache) is recognised by reading its
``alembic_version`` row and the shipped scripts' revision lines (:func:`head_revision`).
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import msgspec
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"  # alembic's default, which env.py keeps
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\b[^=\n]*=\s*(.+?)\s*$", re.MULTILINE)


class SchemaError(RuntimeError):
    """The database's schema does not match this hub; the message says what to run."""


class SchemaStatus(msgspec.Struct, frozen=True):
    state: Literal["current", "empty", "behind", "ahead"]
    current: str | None  # the database's revision, None when never migrated
    head: str  # the newest revision this hub ships


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    """The newest revision shipped, read from the scripts' ``revision``/``down_revision`` lines.

    Equal to alembic's ``ScriptDirectory.get_current_head()`` (tested), without importing alembic.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        found = dict((m.group(1), ast.literal_eval(m.group(2))) for m in _ASSIGNMENT.finditer(path.read_text("utf-8")))
        if "revision" not in found:
            continue
        revisions.add(found["revision"])
        down = found.get("down_revision")
        parents.update((down,) if isinstance(down, str) else down or ())
    heads = revisions - parents
    assert len(heads) == 1, f"the shipped migrations have {len(heads)} heads: {sorted(heads)}"
    return heads.pop()


def _at_head(engine: Engine) -> bool:
    """Whether the database's one ``alembic_version`` row is the shipped head (no alembic import)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return False
        rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return rows == [head_revision()]


def schema_status(engine: Engine) -> SchemaStatus:
    if _at_head(engine):
        return SchemaStatus(state="current", current=head_revision(), head=head_revision())
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

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
    from alembic import command

    command.upgrade(alembic_config(conn), "head")
