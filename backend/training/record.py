"""A training session on disk: its store file and a small record of who trained on what.

Each session lives in a folder of its own under the sessions root: ``hub.db`` (the
session's whole store: city, users, cases, the event log, the command log) and
``session.json`` (this record). A reset finishes the session and starts another folder,
so every finished session stays available for replay and for its scorecard.
"""

from __future__ import annotations

import datetime
import os
import sqlite3
from pathlib import Path

import msgspec
import platformdirs

from backend.training.scorecard import Trainee

RECORD_FILE = "session.json"
STORE_FILE = "hub.db"
_CST = datetime.timezone(datetime.timedelta(hours=8))


class SessionRecord(msgspec.Struct):
    scenario: str  # what was loaded: a shipped scenario's name or a file path
    scenario_name: str  # the scenario's own (display) name
    seed: int
    scale: float
    sim_start: float  # simulated time the session began at
    created_at: float  # wall-clock time the session was made
    trainer_id: str = ""
    trainees: list[Trainee] = []
    clients: dict[str, str] = {}  # client id -> user id, as seen signed in on the hub
    sim_client: str = ""
    injector_client: str = ""
    ended_at: float | None = None  # simulated time it ended (reset or quit)

    @property
    def folder_label(self) -> str:
        when = datetime.datetime.fromtimestamp(self.created_at, _CST).strftime("%Y-%m-%d %H:%M")
        return f"{when} · {self.scenario_name}"


def sessions_root(root: Path | str | None = None) -> Path:
    """Where sessions are kept: ``root``, else $GRIDCC_TRAINING_DIR, else the user data folder."""
    if root is not None:
        return Path(root)
    env = os.environ.get("GRIDCC_TRAINING_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir("gridcc", appauthor=False)) / "training"


def new_session_folder(root: Path, created_at: float) -> Path:
    stamp = datetime.datetime.fromtimestamp(created_at, _CST).strftime("%Y%m%d-%H%M%S")
    root.mkdir(parents=True, exist_ok=True)
    for n in range(1000):
        folder = root / (stamp if n == 0 else f"{stamp}-{n}")
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue
    raise RuntimeError(f"cannot make a new session folder under {root}")


def store_url(folder: Path) -> str:
    return f"sqlite:///{Path(folder) / STORE_FILE}"


def save(folder: Path, record: SessionRecord) -> None:
    path = Path(folder) / RECORD_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(msgspec.json.format(msgspec.json.encode(record)))
    tmp.replace(path)


def load(folder: Path | str) -> SessionRecord:
    path = Path(folder) / RECORD_FILE
    try:
        return msgspec.json.decode(path.read_bytes(), type=SessionRecord)
    except FileNotFoundError:
        raise ValueError(f"{folder} is not a training session: {RECORD_FILE} is missing") from None
    except msgspec.DecodeError as exc:
        raise ValueError(f"{path}: not a valid session record: {exc}") from None


def list_sessions(root: Path | str | None = None) -> list[tuple[Path, SessionRecord]]:
    """Sessions with a store and a readable record, newest first."""
    out: list[tuple[Path, SessionRecord]] = []
    base = sessions_root(root)
    if not base.is_dir():
        return out
    for folder in base.iterdir():
        if (folder / STORE_FILE).exists() and (folder / RECORD_FILE).exists():
            try:
                out.append((folder, load(folder)))
            except ValueError:
                continue
    out.sort(key=lambda item: item[1].created_at, reverse=True)
    return out


def event_count(folder: Path | str) -> int | None:
    """How many events the session's store holds (its stream head); None when it cannot be read.

    Read straight from the SQLite file, read-only, so listing sessions stays cheap and never
    migrates or locks a store someone may still be reading."""
    path = Path(folder) / STORE_FILE
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
        try:
            row = conn.execute("SELECT head_seq FROM stream WHERE id = 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return int(row[0]) if row else 0


__all__ = ["RECORD_FILE", "STORE_FILE", "SessionRecord", "event_count", "list_sessions", "load", "new_session_folder",
           "save", "sessions_root", "store_url"]
