"""What a file is, decided from its bytes; image checks, EXIF and thumbnails.

Nothing here trusts a file name or a client's content type. Every check runs before the
bytes are stored, so a refused file leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

#: Our own ceiling on pixels (40 MP: a 2026 phone takes 12-50 MP; 50 MP photos are
#: refused, the console asks for a smaller one). Pillow's bomb check is set to the same.
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000  # pixels on either side
THUMB_SIDE = 320  # the thumbnail's longer side
THUMB_QUALITY = 80
CST = dt.timezone(dt.timedelta(hours=8))

Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # process-wide: the hub decodes nothing bigger


class MediaError(ValueError):
    """A file the hub refuses; ``code`` is one of unsupported_type, malformed, too_many_pixels."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Media:
    mime: str
    width: int | None = None  # after EXIF orientation
    height: int | None = None
    taken_at: float | None = None
    lat: float | None = None
    lon: float | None = None
    thumbnail: bytes | None = None  # JPEG


def sniff(head: bytes) -> str | None:
    """The type the first bytes say, or None when it is none of the accepted ones."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def inspect(path: Path) -> Media:
    """Check the file at ``path`` and describe it; MediaError when it is refused."""
    with open(path, "rb") as f:
        head = f.read(16)
    mime = sniff(head)
    if mime is None:
        raise MediaError("unsupported_type", "only JPEG, PNG, WebP and PDF files are accepted "
                                             "(the type is read from the content, not the name)")
    if mime == "application/pdf":
        _check_pdf(path)
        return Media(mime)
    return _inspect_image(path, mime)


def _check_pdf(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "rb") as f:
        f.seek(max(0, size - 2048))
        tail = f.read()
    if b"%%EOF" not in tail:
        raise MediaError("malformed", "the PDF is truncated or damaged (no end-of-file marker)")
    with open(path, "rb") as f:
        body = f.read()
    for marker in (b"/JavaScript", b"/Launch", b"/EmbeddedFile"):
        if marker in body:
            raise MediaError("malformed", f"PDFs with active or embedded content ({marker.decode()[1:]}) "
                                          "are not accepted")


def _inspect_image(path: Path, mime: str) -> Media:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=[_PIL_FORMATS[mime]]) as img:
                w, h = img.size  # from the header, before any pixel is decoded
                if w <= 0 or h <= 0 or w * h > MAX_PIXELS or max(w, h) > MAX_SIDE:
                    raise MediaError("too_many_pixels", f"the image claims {w}×{h} pixels; at most {MAX_PIXELS:,} "
                                                        f"pixels and {MAX_SIDE} on a side are accepted")
                img.load()  # decodes everything: a truncated or corrupt file fails here
                exif = img.getexif()
                taken_at, lat, lon = _exif_facts(exif)
                orientation = exif.get(_ORIENTATION, 1)
                width, height = (h, w) if orientation in (5, 6, 7, 8) else (w, h)
                img.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)  # reduces first: cheap
                thumb = img.convert("RGB")
                if orientation in _TRANSPOSE:  # EXIF orientation applied to the small image only
                    thumb = thumb.transpose(_TRANSPOSE[orientation])
                out = io.BytesIO()
                thumb.save(out, "JPEG", quality=THUMB_QUALITY, optimize=True)
    except MediaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError("too_many_pixels", f"the image is too large to decode safely: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any decoder failure means a file we refuse
        raise MediaError("malformed", f"the image cannot be read ({type(exc).__name__}: {exc})") from None
    return Media(mime, width, height, taken_at, lat, lon, out.getvalue())


_EXIF_IFD, _GPS_IFD, _ORIENTATION = 0x8769, 0x8825, 0x0112
_T = Image.Transpose
_TRANSPOSE = {2: _T.FLIP_LEFT_RIGHT, 3: _T.ROTATE_180, 4: _T.FLIP_TOP_BOTTOM, 5: _T.TRANSPOSE, 6: _T.ROTATE_270,
              7: _T.TRANSVERSE, 8: _T.ROTATE_90}
_DATETIME_ORIGINAL, _OFFSET_TIME_ORIGINAL, _DATETIME = 36867, 36881, 306


def _exif_facts(exif) -> tuple[float | None, float | None, float | None]:
    """Capture time (POSIX seconds; China Standard Time unless the file names its offset) and GPS."""
    taken_at = lat = lon = None
    try:
        sub = exif.get_ifd(_EXIF_IFD)
        raw = sub.get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
        if isinstance(raw, str):
            when = dt.datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
            offset = sub.get(_OFFSET_TIME_ORIGINAL)
            tz = CST
            if isinstance(offset, str) and len(offset) >= 6 and offset[0] in "+-":
                sign = 1 if offset[0] == "+" else -1
                tz = dt.timezone(sign * dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])))
            taken_at = when.replace(tzinfo=tz).timestamp()
    except (ValueError, TypeError, KeyError):
        taken_at = None
    try:
        gps = exif.get_ifd(_GPS_IFD)
        if gps and 2 in gps and 4 in gps:
            lat = _degrees(gps[2]) * (-1 if str(gps.get(1, "N")).upper().startswith("S") else 1)
            lon = _degrees(gps[4]) * (-1 if str(gps.get(3, "E")).upper().startswith("W") else 1)
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                lat = lon = None
    except (ValueError, TypeError, ZeroDivisionError, IndexError):
        lat = lon = None
    return taken_at, lat, lon


def _degrees(dms) -> float:
    d, m, s = (float(x) for x in dms)
    return d + m / 60 + s / 3600
