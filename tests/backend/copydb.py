"""Copy a migrated SQLite hub database into another (empty) database, for cross-dialect checks."""

from __future__ import annotations

from sqlalchemy import create_engine, insert, select

from backend.store import Store
from backend.store.models import Base

TABLES = ("nodes", "departments", "grid_workers", "cases", "supervision_orders")


def copy_database(source_url: str, target_url: str) -> None:
    target = Store.open(target_url, require_current=False)
    try:
        target.migrate()
        source = create_engine(source_url)
        with source.connect() as src, target.engine.begin() as dst:
            for name in TABLES:
                table = Base.metadata.tables[name]
                rows = [dict(r) for r in src.execute(select(table)).mappings()]
                if name == "nodes":  # parents first, for the foreign key
                    rows.sort(key=lambda r: len(r["code"]))
                for i in range(0, len(rows), 5000):
                    dst.execute(insert(table), rows[i:i + 5000])
        source.dispose()
    finally:
        target.close()
