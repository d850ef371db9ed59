"""Evidence files between this client and the hub's HTTP side: upload queue, upload, download.

Uploads go through a queue kept in SQLite beside the command outbox, with a copy of the
file in a spool folder, so a file picked before a disconnect or a crash is sent after
reconnecting. The hub makes the attach command's id from (case, file hash, stage): sending
the same job twice attaches it once. A worker thread sends one job at a time (urllib, the
body streamed from the spool file) and reports progress and state to listeners; a refusal
(4xx: bad file, forbidden, quota) ends the job with the hub's code, anything else (no
connection, 5xx) is retried with backoff.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CHUNK = 256 * 1024


class TransferError(Exception):
    """A refusal by the hub (``status`` 4xx, ``code`` its typed code) or a transport failure (status 0)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message

    @property
    def final(self) -> bool:
        """True when retrying the same bytes cannot help."""
        return 400 <= self.status < 500 and self.status not in (408, 429)


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _raise_for(exc: urllib.error.HTTPError) -> None:
    try:
        body = json.loads(exc.read() or b"{}")
    except ValueError:
        body = {}
    raise TransferError(exc.code, body.get("code", "http_error"), body.get("message", exc.reason)) from None


class _Progress:
    """A file object for urllib that counts what was read."""

    def __init__(self, path: Path, report: Callable[[int, int], None] | None) -> None:
        self._f = open(path, "rb")  # noqa: SIM115
        self.total = path.stat().st_size
        self.sent = 0
        self._report = report

    def read(self, n: int = -1) -> bytes:
        data = self._f.read(CHUNK if n is None or n < 0 else min(n, CHUNK))
        self.sent += len(data)
        if self._report is not None:
            self._report(self.sent, self.total)
        return data

    def close(self) -> None:
        self._f.close()


def upload(base_url: str, token: str, case_id: str, stage: str, path: Path | str, name: str | None = None,
           progress: Callable[[int, int], None] | None = None, timeout: float = 120) -> dict:
    """POST one file; returns the hub's answer ({"attachment": {...}, "created": bool, ...})."""
    path = Path(path)
    query = urllib.parse.urlencode({"stage": stage, "name": name if name is not None else path.name})
    url = f"{base_url}/v1/cases/{urllib.parse.quote(case_id, safe='')}/attachments?{query}"
    body = _Progress(path, progress)
    headers = dict(_headers(token), **{"Content-Type": "application/octet-stream",
                                       "Content-Length": str(body.total)})
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        _raise_for(exc)
    except (OSError, urllib.error.URLError) as exc:
        raise TransferError(0, "unreachable", str(exc)) from None
    finally:
        body.close()


def download(base_url: str, token: str, case_id: str, sha256: str, *, byte_range: tuple[int, int] | None = None,
             etag: str | None = None, timeout: float = 60) -> tuple[int, bytes, dict[str, str]]:
    """GET a file or thumbnail of a case: (status, bytes, headers); 304 gives b""."""
    url = f"{base_url}/v1/cases/{urllib.parse.quote(case_id, safe='')}/attachments/{sha256}"
    headers = _headers(token)
    if byte_range is not None:
        headers["Range"] = f"bytes={byte_range[0]}-{byte_range[1]}"
    if etag is not None:
        headers["If-None-Match"] = etag
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return 304, b"", dict(exc.headers)
        _raise_for(exc)
    except (OSError, urllib.error.URLError) as exc:
        raise TransferError(0, "unreachable", str(exc)) from None
    raise AssertionError("unreachable")


# ---- the queue ------------------------------------------------------------------------------
QUEUED, SENDING, DONE, FAILED = "queued", "sending", "done", "failed"


@dataclass(frozen=True, slots=True)
class UploadJob:
    id: int
    case_id: str
    stage: str
    name: str
    size: int
    state: str = QUEUED
    sent: int = 0
    code: str = ""  # the hub's code when FAILED
    message: str = ""
    sha256: str = ""


class UploadQueue:
    """Jobs in SQLite (table ``uploads``) and file copies in ``<path>.spool/``; thread-safe."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.spool = self.path.with_name(self.path.name + ".spool")
        self.spool.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS uploads (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                         "case_id TEXT NOT NULL, stage TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL, "
                         "sha256 TEXT NOT NULL, state TEXT NOT NULL, code TEXT NOT NULL DEFAULT '', "
                         "message TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL)")
        self._db.execute("UPDATE uploads SET state = ? WHERE state = ?", (QUEUED, SENDING))  # cut off last run

    def add(self, case_id: str, stage: str, source: Path | str, name: str | None = None) -> UploadJob:
        """Copy ``source`` into the spool and queue it (before anything is sent)."""
        source = Path(source)
        digest = hashlib.sha256()
        with open(source, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
        sha = digest.hexdigest()
        dest = self.spool / sha
        if not dest.exists():
            tmp = dest.with_suffix(".part")
            shutil.copyfile(source, tmp)
            tmp.replace(dest)
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO uploads (case_id, stage, name, size, sha256, state, created_at) VALUES (?,?,?,?,?,?,?)",
                (case_id, stage, name or source.name, dest.stat().st_size, sha, QUEUED, time.time()))
            return self._job(cur.lastrowid)

    def _job(self, job_id: int) -> UploadJob:
        row = self._db.execute("SELECT id, case_id, stage, name, size, state, code, message, sha256 FROM uploads "
                               "WHERE id = ?", (job_id,)).fetchone()
        return UploadJob(row[0], row[1], row[2], row[3], row[4], row[5], 0, row[6], row[7], row[8])

    def jobs(self, case_id: str | None = None) -> list[UploadJob]:
        with self._lock:
            q = "SELECT id FROM uploads" + (" WHERE case_id = ?" if case_id else "") + " ORDER BY id"
            return [self._job(r[0]) for r in self._db.execute(q, (case_id,) if case_id else ())]

    def next_queued(self) -> UploadJob | None:
        with self._lock:
            row = self._db.execute("SELECT id FROM uploads WHERE state = ? ORDER BY id LIMIT 1", (QUEUED,)).fetchone()
            return None if row is None else self._job(row[0])

    def file(self, job: UploadJob) -> Path:
        return self.spool / job.sha256

    def mark(self, job: UploadJob, state: str, code: str = "", message: str = "") -> UploadJob:
        with self._lock:
            self._db.execute("UPDATE uploads SET state = ?, code = ?, message = ? WHERE id = ?",
                             (state, code, message, job.id))
            if state in (DONE, FAILED):
                left = self._db.execute("SELECT COUNT(*) FROM uploads WHERE sha256 = ? AND state IN (?, ?)",
                                        (job.sha256, QUEUED, SENDING)).fetchone()[0]
                if not left:
                    (self.spool / job.sha256).unlink(missing_ok=True)
            return self._job(job.id)

    def close(self) -> None:
        with self._lock:
            self._db.close()


class Uploader:
    """Sends queued jobs in a worker thread; ``listeners`` get every UploadJob change (any thread)."""

    def __init__(self, queue: UploadQueue, base_url: str, token: str, *,
                 backoff: tuple[float, float] = (0.2, 10.0)) -> None:
        self.queue, self.base_url, self.token = queue, base_url.rstrip("/"), token
        self.backoff = backoff
        self.listeners: list[Callable[[UploadJob], None]] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gridcc-uploads", daemon=True)
        self.attempts = 0

    def start(self) -> Uploader:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def add(self, case_id: str, stage: str, source: Path | str, name: str | None = None) -> UploadJob:
        job = self.queue.add(case_id, stage, source, name)
        self._emit(job)
        self._wake.set()
        return job

    def nudge(self) -> None:
        """Try now (e.g. the feed reconnected)."""
        self._wake.set()

    def _emit(self, job: UploadJob) -> None:
        for fn in list(self.listeners):
            try:
                fn(job)
            except Exception:  # noqa: BLE001 - a listener must not stop uploads
                pass

    def _run(self) -> None:
        delay = self.backoff[0]
        while not self._stop.is_set():
            job = self.queue.next_queued()
            if job is None:
                self._wake.wait()
                self._wake.clear()
                continue
            job = self.queue.mark(job, SENDING)
            self._emit(job)
            last = [0.0, 0]  # when and at how many bytes progress was last reported

            def progress(sent: int, total: int, job=job, last=last) -> None:
                now = time.monotonic()  # every 0.1 s, every 5% and at the end: smooth bars, few signals
                if now - last[0] > 0.1 or sent - last[1] >= max(total // 20, CHUNK) or sent == total:
                    last[0], last[1] = now, sent
                    self._emit(UploadJob(job.id, job.case_id, job.stage, job.name, job.size, SENDING, sent,
                                         sha256=job.sha256))

            self.attempts += 1
            try:
                upload(self.base_url, self.token, job.case_id, job.stage, self.queue.file(job), job.name, progress)
            except OSError as exc:  # the spool copy is gone
                self._emit(self.queue.mark(job, FAILED, "missing_file", str(exc)))
                continue
            except TransferError as exc:
                if exc.final:
                    self._emit(self.queue.mark(job, FAILED, exc.code, exc.message))
                    delay = self.backoff[0]
                    continue
                self._emit(self.queue.mark(job, QUEUED, exc.code, exc.message))
                self._wake.wait(delay)
                self._wake.clear()
                delay = min(delay * 2, self.backoff[1])
                continue
            delay = self.backoff[0]
            self._emit(self.queue.mark(job, DONE))


class Downloads:
    """Files and thumbnails fetched in a small worker pool and cached (content never changes)."""

    def __init__(self, base_url: str, token: str, *, cache_items: int = 256) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.base_url, self.token = base_url.rstrip("/"), token
        self._pool = ThreadPoolExecutor(2, thread_name_prefix="gridcc-downloads")
        self._cache: dict[tuple[str, str], bytes] = {}
        self._cache_items = cache_items
        self._lock = threading.Lock()

    def cached(self, case_id: str, sha256: str) -> bytes | None:
        with self._lock:
            return self._cache.get((case_id, sha256))

    def fetch(self, case_id: str, sha256: str):
        """A Future of the bytes of a file or thumbnail of the case."""
        def get() -> bytes:
            hit = self.cached(case_id, sha256)
            if hit is not None:
                return hit
            _status, data, _headers = download(self.base_url, self.token, case_id, sha256)
            with self._lock:
                if len(self._cache) >= self._cache_items:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[(case_id, sha256)] = data
            return data

        return self._pool.submit(get)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class EvidenceClient(Downloads):
    """What a console uses: downloads, plus the upload queue and its worker."""

    def __init__(self, base_url: str, token: str, queue_path: Path | str, *,
                 backoff: tuple[float, float] = (0.5, 15.0), cache_items: int = 256) -> None:
        super().__init__(base_url, token, cache_items=cache_items)
        self.queue = UploadQueue(queue_path)
        self.uploader = Uploader(self.queue, self.base_url, token, backoff=backoff).start()

    def attach(self, case_id: str, stage: str, path: Path | str) -> UploadJob:
        return self.uploader.add(case_id, stage, path)

    def jobs(self, case_id: str) -> list[UploadJob]:
        return self.queue.jobs(case_id)

    def close(self) -> None:
        self.uploader.stop()
        super().close()
        self.queue.close()
