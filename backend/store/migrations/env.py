"""Alembic environment for the hub's store.

The store runs migrations in code (``backend.store.schema``) and hands its own
connection over in ``config.attributes["connection"]``; there is no alembic.ini.
Offline (SQL script) mode is not supported.
"""

from __future__ import annotations

from alembic import context

from backend.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("run migrations through backend.store (Store.migrate), which passes a connection")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
