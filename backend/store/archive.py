"""Moving old events out of ``case_events`` into a file, and starting a new stream epoch.

``case_events`` is the replay log and grows by every event (about 25 GB a year for a city).
An archive takes the *oldest* events — a prefix of the stream in sequence order, every one
older than the cut-off — writes them to a gzip'd JSON-lines file, and only then deletes
them. The replay window then starts after the archived prefix, so a client resuming from
before it gets ``snapshot_required`` (``oldest_seq`` moves up), never a replay with a hole.

The file: a header line ``{"gridcc_archive": 1, "epoch": …, "from_seq": …, "to_seq": …,
"before": …, "count": …}``, then one ``domain.protocol.FeedEvent`` per line, as the feed
sends them. :func:`read_archive` reads it back.
"""

from __future__ import annotations

import gzip
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import msgspec
from sqlalchemy import delete, func, select, update

from backend.store import feed
from backend.store.models import CaseEventRow, StreamRow
from domain.protocol import FeedEvent

ARCHIVE_FORMAT = 1
#: Events younger than this stay: the command log's answers (7 days) point at them, and a
#: console offline for a week still resumes instead of reloading.
MIN_AGE = 7 * 86400.0
_PAGE = 5000


class ArchiveHeader(msgspec.Struct, frozen=True):
    gridcc_archive: int
    epoch: str
    from_seq: int
    to_seq: int
    before: float
    count: int


class ArchiveError(RuntimeError):
    """The archive cannot be made as asked; the message says why."""


def archive_events(store, before: float, path: Path | str, now: float) -> ArchiveHeader:
    """Move every event older than ``before`` (a stream prefix) to ``path``; returns its header."""
    path = Path(path)
    if before > now - MIN_AGE:
        raise ArchiveError(f"events of the last {MIN_AGE / 86400:.0f} days stay in the database; "
                           "choose an earlier --before")
    if path.exists():
        raise ArchiveError(f"{path} exists; archives are never overwritten")
    with store._read(snapshot=True) as conn:
        epoch, head = feed.head(conn)
        oldest = feed.oldest_seq(conn)
        first_young = conn.execute(select(func.min(CaseEventRow.seq)).where(CaseEventRow.at >= before)).scalar()
    last = (head if first_young is None else int(first_young) - 1)
    if last < oldest:
        raise ArchiveError(f"no events older than the cut-off (oldest kept is seq {oldest})")
    tmp = path.with_name(path.name + ".partial")
    count = 0
    encoder = msgspec.json.Encoder()
    with gzip.open(tmp, "wb") as out:
        header = ArchiveHeader(ARCHIVE_FORMAT, epoch, oldest, last, before, last - oldest + 1)
        out.write(encoder.encode(header) + b"\n")
        cursor = oldest - 1
        while cursor < last:
            events = store.events_after(cursor, min(_PAGE, last - cursor))
            if not events:
                break
            for event in events:
                if event.seq != cursor + 1:
                    raise ArchiveError(f"the stream has a hole at seq {cursor + 1}; nothing was archived")
                out.write(encoder.encode(event) + b"\n")
                cursor = event.seq
                count += 1
    with open(tmp, "rb") as f:  # on disk before anything is deleted
        os.fsync(f.fileno())
    tmp.replace(path)
    with store._write() as conn:
        for start in range(oldest, last + 1, 50_000):
            conn.execute(delete(CaseEventRow).where(CaseEventRow.seq >= start,
                                                    CaseEventRow.seq <= min(last, start + 49_999)))
    return ArchiveHeader(ARCHIVE_FORMAT, epoch, oldest, last, before, count)


def read_archive(path: Path | str) -> tuple[ArchiveHeader, Iterator[FeedEvent]]:
    """The header of an archive file and an iterator over its events, in sequence order."""
    f = gzip.open(path, "rb")
    header = msgspec.json.decode(f.readline(), type=ArchiveHeader)
    decoder = msgspec.json.Decoder(FeedEvent)

    def events() -> Iterator[FeedEvent]:
        with f:
            for line in f:
                if line.strip():
                    yield decoder.decode(line)

    return header, events()


def new_epoch(store) -> tuple[str, str]:
    """Give the stream a new epoch (after restoring a backup); returns (old, new).

    Consoles holding the old epoch get ``snapshot_required`` when they resume, so none of
    them replays sequence numbers the restored database hands out again. Run it with every
    hub on the database stopped: a running hub keeps the epoch it read at start.
    """
    fresh = secrets.token_hex(8)
    with store._write() as conn:
        old = conn.execute(select(StreamRow.epoch).where(StreamRow.id == 1)).scalar_one()
        conn.execute(update(StreamRow).where(StreamRow.id == 1).values(epoch=fresh))
    return old, fresh


__all__ = ["ArchiveError", "ArchiveHeader", "MIN_AGE", "archive_events", "new_epoch", "read_archive"]
