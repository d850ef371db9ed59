"""The hub's store: SQLAlchemy tables, Alembic migrations, transactional commands, feed reads.

Open with ``Store.open(url)`` (or ``open_store``); see ``backend.store.store.Store``.
"""

from backend.store.city import CityImportError
from backend.store.commands import NOTIFY_CHANNEL, Answer
from backend.store.engine import ENV_URL, default_sqlite_path, resolve_url
from backend.store.feed import Snapshot
from backend.store.schema import SchemaError, SchemaStatus
from backend.store.store import COMMAND_LOG_KEEP, Store
from backend.store.users import StoredUser, UserError

open_store = Store.open

__all__ = [
    "Answer", "COMMAND_LOG_KEEP", "CityImportError", "ENV_URL", "NOTIFY_CHANNEL", "SchemaError", "SchemaStatus",
    "Snapshot", "Store", "StoredUser", "UserError", "default_sqlite_path", "open_store", "resolve_url",
]
