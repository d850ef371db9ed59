"""Generated demo cities kept on disk, so a demo's second start copies a file instead of
generating ~17,000 nodes and their outlines again.

A city is a pure function of its seed, its scale, the real division data it keeps (if any),
the generator's code, the department catalog and the database schema. The cache key hashes
all of them plus :data:`CACHE_VERSION`, so a change to any one of them (a new generator, a
migration) makes a new key and the stale file is never read again; files of other keys are
removed when a new city is stored. The cache is only an optimisation: any error reading or
writing it is logged and the city is generated as before.

Where: ``$GRIDCC_CACHE_DIR`` if set, else the user cache folder (``platformdirs``) + ``demo-cities``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import msgspec
import platformdirs

from backend.store.schema import head_revision
from domain.catalog import Department

log = logging.getLogger(__name__)

#: Bump when what a cached city holds changes in a way the other parts of the key do not see.
CACHE_VERSION = 1
_SUFFIX = ".city.sqlite3"
#: The generator's sources (found by path: importing ``backend.city`` would load shapely before it is needed).
CITY_SOURCES = Path(__file__).resolve().parent.parent / "city"


def cache_dir() -> Path:
    root = os.environ.get("GRIDCC_CACHE_DIR")
    return Path(root) if root else Path(platformdirs.user_cache_dir("gridcc")) / "demo-cities"


def city_key(seed: int, scale: float, departments: Iterable[Department], real_data: Path | None = None) -> str:
    """The cache key of a generated city (see the module docstring for what it covers)."""
    h = hashlib.sha256(f"v{CACHE_VERSION}|schema {head_revision()}|seed {seed}|scale {scale!r}".encode())
    for source in sorted(CITY_SOURCES.glob("*.py")):
        h.update(source.name.encode())
        h.update(source.read_bytes())
    h.update(msgspec.json.encode(sorted(departments, key=lambda d: d.code)))
    if real_data is not None:
        for name in ("qingdao_divisions.csv", "qingdao_districts.geojson"):
            h.update(name.encode())
            h.update((real_data / name).read_bytes())
    return h.hexdigest()[:24]


def path_of(key: str) -> Path:
    return cache_dir() / f"{key}{_SUFFIX}"


def restore(key: str, db_path: Path) -> bool:
    """Copy the cached city of ``key`` to ``db_path`` (which must not exist yet); False on a miss."""
    cached = path_of(key)
    if not cached.is_file():
        return False
    try:
        shutil.copyfile(cached, db_path)
        return True
    except OSError as exc:
        log.warning("demo city cache %s could not be read (%s); generating the city", cached, exc)
        db_path.unlink(missing_ok=True)
        return False


def store(key: str, db_path: Path) -> Path | None:
    """Keep a consistent copy of the SQLite database at ``db_path`` under ``key``; drop other keys' files."""
    target = path_of(key)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src, dst = sqlite3.connect(db_path), sqlite3.connect(partial)
        try:
            src.backup(dst)  # a consistent copy, WAL included, while the hub's store stays open
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
            src.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        log.warning("demo city not cached in %s: %s", target.parent, exc)
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        return None
    for old in target.parent.glob(f"*{_SUFFIX}"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink(missing_ok=True)
    return target
