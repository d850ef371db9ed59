"""Content-addressed storage: every object is named by the sha256 of its bytes.

:class:`FileBlobs` keeps files under the hub's data folder (``<root>/ab/cd/<sha256>``);
:class:`S3Blobs` keeps objects in an S3-compatible bucket shared by several hubs.
Both store a file once whatever the number of uploads, write atomically (a reader never
sees half an object), and build every name from a checked hash, never from user input.
Beside each object sits a small JSON document (what the hub read from the file), so a
second upload of the same bytes is answered without decoding them again.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

_SHA256 = re.compile(r"[0-9a-f]{64}")


def checked(sha256: str) -> str:
    """``sha256`` if it is 64 lowercase hex digits; ValueError otherwise."""
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise ValueError("not a sha256 hex digest")
    return sha256


class Blobs(Protocol):
    def size(self, sha256: str) -> int | None: ...
    def put_file(self, sha256: str, src: Path, mime: str) -> bool: ...
    def put_bytes(self, sha256: str, data: bytes, mime: str) -> bool: ...
    def open_range(self, sha256: str, start: int, length: int) -> BinaryIO: ...
    def get_meta(self, sha256: str) -> dict | None: ...
    def put_meta(self, sha256: str, meta: dict) -> None: ...
    def count(self) -> int: ...


class _Limited(io.RawIOBase):
    """At most ``length`` bytes of ``f`` from where it stands."""

    def __init__(self, f: BinaryIO, length: int) -> None:
        self._f, self._left = f, length

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self._left if n < 0 else min(n, self._left)
        data = self._f.read(n) if n else b""
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._f.close()
        super().close()


class FileBlobs:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str, suffix: str = "") -> Path:
        sha256 = checked(sha256)
        return self.root / sha256[:2] / sha256[2:4] / (sha256 + suffix)

    def size(self, sha256: str) -> int | None:
        try:
            return self._path(sha256).stat().st_size
        except FileNotFoundError:
            return None

    def path(self, sha256: str) -> Path:
        return self._path(sha256)

    def _write(self, dest: Path, write) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as f:
                write(f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, dest)  # atomic: readers see the whole file or nothing
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def put_file(self, sha256: str, src: Path, mime: str) -> bool:
        dest = self._path(sha256)
        if dest.exists():
            return False
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dest)  # same file system: no copy; the name appears atomically
        except FileExistsError:
            return False
        except OSError:
            with open(src, "rb") as s:
                self._write(dest, lambda f: _copy(s, f))
        return True

    def put_bytes(self, sha256: str, data: bytes, mime: str) -> bool:
        dest = self._path(sha256)
        if dest.exists():
            return False
        self._write(dest, lambda f: f.write(data))
        return True

    def open_range(self, sha256: str, start: int, length: int) -> BinaryIO:
        f = open(self._path(sha256), "rb")  # noqa: SIM115 - closed by the caller
        f.seek(start)
        return _Limited(f, length)

    def get_meta(self, sha256: str) -> dict | None:
        try:
            return json.loads(self._path(sha256, ".json").read_text())
        except FileNotFoundError:
            return None

    def put_meta(self, sha256: str, meta: dict) -> None:
        data = json.dumps(meta, sort_keys=True).encode()
        self._write(self._path(sha256, ".json"), lambda f: f.write(data))

    def count(self) -> int:
        """Objects stored (thumbnails included), for tests and status."""
        return sum(1 for p in self.root.glob("??/??/*") if _SHA256.fullmatch(p.name))


def _copy(src: BinaryIO, dst: BinaryIO) -> None:
    while chunk := src.read(1 << 20):
        dst.write(chunk)


class S3Blobs:
    """Objects ``<prefix>blobs/<sha256>`` and ``<prefix>meta/<sha256>.json`` in one bucket.

    Uses the ``minio`` client (S3 signature v4, any S3-compatible server). The bucket is
    created when missing. Writes of one key are whole-object PUTs, atomic in S3.
    """

    def __init__(self, endpoint: str, bucket: str, access_key: str, secret_key: str, *,
                 secure: bool = False, region: str | None = None, prefix: str = "") -> None:
        from minio import Minio

        self.client = Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region)
        self.bucket = bucket
        self.prefix = prefix
        if not self.client.bucket_exists(bucket):
            self.client.make_bucket(bucket)

    @classmethod
    def from_url(cls, url: str, access_key: str, secret_key: str, **kw) -> S3Blobs:
        """``http(s)://host:port/bucket[/prefix]``."""
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        bucket, _, prefix = parts.path.lstrip("/").partition("/")
        if not bucket:
            raise ValueError(f"the S3 URL {url!r} names no bucket (http://host:port/bucket)")
        return cls(parts.netloc, bucket, access_key, secret_key, secure=parts.scheme == "https",
                   prefix=prefix.rstrip("/") + "/" if prefix else "", **kw)

    def _key(self, sha256: str) -> str:
        return f"{self.prefix}blobs/{checked(sha256)}"

    def _meta_key(self, sha256: str) -> str:
        return f"{self.prefix}meta/{checked(sha256)}.json"

    def _stat(self, key: str):
        from minio.error import S3Error

        try:
            return self.client.stat_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound", "ResourceNotFound"):
                return None
            raise

    def size(self, sha256: str) -> int | None:
        stat = self._stat(self._key(sha256))
        return None if stat is None else stat.size

    def put_file(self, sha256: str, src: Path, mime: str) -> bool:
        if self._stat(self._key(sha256)) is not None:
            return False
        self.client.fput_object(self.bucket, self._key(sha256), str(src), content_type=mime)
        return True

    def put_bytes(self, sha256: str, data: bytes, mime: str) -> bool:
        if self._stat(self._key(sha256)) is not None:
            return False
        self.client.put_object(self.bucket, self._key(sha256), io.BytesIO(data), len(data), content_type=mime)
        return True

    def open_range(self, sha256: str, start: int, length: int) -> BinaryIO:
        response = self.client.get_object(self.bucket, self._key(sha256), offset=start, length=length)
        return _S3Body(response)

    def get_meta(self, sha256: str) -> dict | None:
        from minio.error import S3Error

        try:
            response = self.client.get_object(self.bucket, self._meta_key(sha256))
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound"):
                return None
            raise
        try:
            return json.loads(response.read())
        finally:
            response.close()
            response.release_conn()

    def put_meta(self, sha256: str, meta: dict) -> None:
        data = json.dumps(meta, sort_keys=True).encode()
        self.client.put_object(self.bucket, self._meta_key(sha256), io.BytesIO(data), len(data),
                               content_type="application/json")

    def count(self) -> int:
        return sum(1 for _ in self.client.list_objects(self.bucket, prefix=f"{self.prefix}blobs/", recursive=True))


class _S3Body(io.RawIOBase):
    def __init__(self, response) -> None:
        self._r = response

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        return self._r.read(None if n < 0 else n)

    def close(self) -> None:
        if not self.closed:
            self._r.close()
            self._r.release_conn()
        super().close()
