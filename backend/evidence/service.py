"""The hub side of evidence: tokens, jurisdiction, quotas, checks, storage, the attach command.

An upload is read into a temporary file under the data folder while it is hashed and
counted (above ``max_bytes`` it is cut off), then checked by :mod:`backend.evidence.media`.
Only a file that passes every check is stored; then the hub itself issues ``attach`` with
a command id made from (case, hash, stage), so a repeated upload of the same bytes to the
same case and stage is answered from the command log and the case changes once.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import msgspec

from backend.evidence import media
from backend.evidence.blobs import Blobs, FileBlobs
from domain import protocol as p
from domain.calendar import CST
from domain.commands import CommandRequest
from domain.model import OPEN_STATES, Action, Actor, Args, Attachment, Case, Stage
from domain.permissions import can

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # one file
QUOTA_FILES_PER_DAY = 500  # per user and calendar day (China Standard Time)
QUOTA_BYTES_PER_DAY = 2 * 1024**3
MAX_NAME = 120  # characters of the given file name kept for display


class Refused(Exception):
    """An HTTP refusal: status, a typed code and a message for the client."""

    def __init__(self, status: int, code: str, message: str, **detail) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail


@dataclass(slots=True)
class Stored:
    attachment: Attachment
    created: bool  # False: the case already held it (or the command was a retry)
    case: Case | None = None
    seq: int | None = None


class Quotas:
    """Files and bytes per user per day, counted by this hub process.

    Several hubs each count their own uploads, so a user may reach the limit once per hub.
    """

    def __init__(self, files: int = QUOTA_FILES_PER_DAY, nbytes: int = QUOTA_BYTES_PER_DAY) -> None:
        self.files, self.bytes = files, nbytes
        self._used: dict[tuple[str, str], list[int]] = {}

    @staticmethod
    def _day(now: float) -> str:
        import datetime as dt

        return dt.datetime.fromtimestamp(now, CST).strftime("%Y-%m-%d")

    def check(self, user: str, now: float, incoming: int = 0) -> None:
        files, nbytes = self._used.get((user, self._day(now)), (0, 0))
        if files >= self.files or nbytes + incoming > self.bytes:
            raise Refused(429, "quota_exceeded", f"the daily upload quota ({self.files} files, "
                                                 f"{self.bytes // 2**20} MiB) of user {user} is used up")

    def add(self, user: str, now: float, nbytes: int) -> None:
        key = (user, self._day(now))
        used = self._used.setdefault(key, [0, 0])
        used[0] += 1
        used[1] += nbytes
        for old in [k for k in self._used if k[1] != key[1]]:
            del self._used[old]


class Evidence:
    """What the HTTP routes call; one per hub."""

    def __init__(self, blobs: Blobs, work_dir: Path | str, *, max_bytes: int = MAX_UPLOAD_BYTES,
                 quotas: Quotas | None = None) -> None:
        self.blobs = blobs
        self.tmp = Path(work_dir) / "incoming"
        self.tmp.mkdir(parents=True, exist_ok=True)
        for stale in self.tmp.glob("up-*"):  # left by a killed hub
            stale.unlink(missing_ok=True)
        self.max_bytes = max_bytes
        self.quotas = quotas or Quotas()
        self.hub = None
        self.io = ThreadPoolExecutor(4, thread_name_prefix="evidence-io")

    @classmethod
    def in_folder(cls, data_dir: Path | str, **kw) -> Evidence:
        """Files under ``data_dir/blobs``, temporary files under ``data_dir``."""
        return cls(FileBlobs(Path(data_dir) / "blobs"), data_dir, **kw)

    def bind(self, hub) -> None:
        self.hub = hub

    async def run(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self.io, fn, *args)

    # ---- who and where ----------------------------------------------------------------------
    async def authenticate(self, header: str) -> Actor:
        scheme, _, token = (header or "").partition(" ")
        actor = None
        if scheme.lower() == "bearer" and token.strip():
            actor = await self.hub.read(self.hub.store.authenticate, token.strip())
        if actor is None:
            raise Refused(401, "unauthorized", "a valid bearer token is required")
        return actor

    async def readable_case(self, actor: Actor, case_id: str) -> Case:
        """The case, when ``actor`` may see it (as the feed decides); else not_found / forbidden."""
        case = await self.hub.read(self.hub.store.case, case_id) if 0 < len(case_id) <= p.MAX_ID_LENGTH else None
        if case is None:
            raise Refused(404, "not_found", f"there is no case {case_id}")
        if not (actor.department and case.department == actor.department) and not case.node.startswith(actor.scope):
            raise Refused(403, "forbidden", f"case {case_id} is outside your jurisdiction {actor.scope}")
        return case

    # ---- upload -------------------------------------------------------------------------------
    async def upload(self, actor: Actor, case_id: str, stage: str, name: str, length: int | None,
                     chunks: AsyncIterator[bytes]) -> Stored:
        try:
            stage = Stage(stage)
        except ValueError:
            known = ", ".join(s.value for s in Stage)
            raise Refused(400, "invalid", f"stage {stage!r} is not one of {known}") from None
        case = await self.readable_case(actor, case_id)
        if not can(actor, Action.ATTACH, case):
            raise Refused(403, "forbidden", f"user {actor.id} may not add attachments to case {case_id}")
        if case.state not in OPEN_STATES:
            raise Refused(409, "illegal_transition", f"case {case_id} is {case.state.value}: it takes no attachments")
        if length is not None and length > self.max_bytes:
            raise Refused(413, "too_large", f"the file has {length} bytes; at most {self.max_bytes} are accepted")
        self.quotas.check(actor.id, time.time(), length or 0)
        tmp = await self._receive(chunks)
        try:
            sha, size = tmp[1], tmp[2]
            meta = await self.run(self._check_and_store, tmp[0], sha)
        finally:
            tmp[0].unlink(missing_ok=True)
        self.quotas.add(actor.id, time.time(), size)
        ref = Attachment(
            sha256=sha, mime=meta["mime"], size=size, stage=stage, name=_display_name(name),
            width=meta.get("width"), height=meta.get("height"), thumb=meta.get("thumb"),
            taken_at=meta.get("taken_at"), lat=meta.get("lat"), lon=meta.get("lon"),
        )
        for held in case.attachments:
            if held.sha256 == sha and held.stage == stage:
                return Stored(held, False, case)
        command = p.Command(id=f"up-{case_id}-{stage.value}-{sha}"[:p.MAX_ID_LENGTH], action=Action.ATTACH,
                            case_id=case_id, args=Args(attachment=ref))
        answer = await self.hub.execute(
            CommandRequest.from_wire(f"http-{actor.id}"[:p.MAX_ID_LENGTH], command, actor), trusted=True)
        if isinstance(answer, p.CommandError):
            status = {"forbidden": 403, "not_found": 404, "limit_exceeded": 409, "illegal_transition": 409,
                      "conflict": 409}.get(answer.code.value, 422)
            raise Refused(status, answer.code.value, answer.message, **answer.detail)
        held = next((a for a in reversed(answer.case.attachments) if a.sha256 == sha and a.stage == stage), ref)
        return Stored(held, not answer.replayed, answer.case, answer.seq)

    async def _receive(self, chunks: AsyncIterator[bytes]) -> tuple[Path, str, int]:
        digest = hashlib.sha256()
        size = 0
        fd, name = tempfile.mkstemp(dir=self.tmp, prefix="up-")
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as f:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise Refused(413, "too_large", f"the upload passed {self.max_bytes} bytes; "
                                                        f"at most {self.max_bytes} are accepted")
                    digest.update(chunk)
                    f.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        if size == 0:
            path.unlink(missing_ok=True)
            raise Refused(400, "invalid", "the upload is empty")
        return path, digest.hexdigest(), size

    def _check_and_store(self, path: Path, sha: str) -> dict:
        """Runs in the I/O pool: inspect unless known, then store thumbnail, metadata and file."""
        meta = self.blobs.get_meta(sha)
        if meta is not None and self.blobs.size(sha) is not None:
            return meta
        try:
            found = media.inspect(path)
        except media.MediaError as exc:
            status = {"unsupported_type": 415}.get(exc.code, 422)
            raise Refused(status, exc.code, exc.message) from None
        meta = {"mime": found.mime}
        for key in ("width", "height", "taken_at", "lat", "lon"):
            if getattr(found, key) is not None:
                meta[key] = getattr(found, key)
        if found.thumbnail is not None:
            thumb = hashlib.sha256(found.thumbnail).hexdigest()
            self.blobs.put_bytes(thumb, found.thumbnail, "image/jpeg")
            self.blobs.put_meta(thumb, {"mime": "image/jpeg", "thumbnail_of": sha})
            meta["thumb"] = thumb
        # The metadata first: a file is never visible without it; the file last, atomically.
        self.blobs.put_meta(sha, meta)
        self.blobs.put_file(sha, path, found.mime)
        return meta

    def store_bytes(self, data: bytes) -> tuple[str, dict]:
        """Check and store bytes made in this process (the simulator's photos): (sha256, metadata)."""
        sha = hashlib.sha256(data).hexdigest()
        fd, name = tempfile.mkstemp(dir=self.tmp, prefix="up-")
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            return sha, self._check_and_store(path, sha)
        finally:
            path.unlink(missing_ok=True)

    # ---- download ---------------------------------------------------------------------------
    async def locate(self, actor: Actor, case_id: str, sha: str) -> tuple[str, int, Attachment]:
        """(mime, size, attachment) of a file or thumbnail of a case ``actor`` may read."""
        case = await self.readable_case(actor, case_id)
        for att in case.attachments:
            if sha in (att.sha256, att.thumb):
                size = await self.run(self.blobs.size, sha)
                if size is None:
                    raise Refused(404, "not_found", "the file is not in this hub's storage")
                return (att.mime if sha == att.sha256 else "image/jpeg"), size, att
        raise Refused(404, "not_found", f"case {case_id} has no file {sha}")

    def close(self) -> None:
        self.io.shutdown(wait=False)


def _display_name(name: str) -> str:
    name = "".join(ch for ch in (name or "") if ch.isprintable())
    return name.replace("/", "_").replace("\\", "_")[-MAX_NAME:]


def attachment_json(att: Attachment) -> dict:
    return msgspec.to_builtins(att)
