"""Files for evidence tests: photos with EXIF, and the malformed ones the hub must refuse."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

_GPS_IFD, _EXIF_IFD = 0x8825, 0x8769


def photo(width: int = 640, height: int = 480, *, color=(40, 120, 200), orientation: int | None = None,
          taken: str | None = "2026:03:10 09:30:00", gps: tuple[float, float] | None = (36.0671, 120.3826),
          fmt: str = "JPEG", seed: int = 0) -> bytes:
    img = Image.new("RGB", (width, height), color)
    img.putpixel((seed % width, 0), (seed % 256, 0, 0))  # different seeds, different bytes
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if taken:
        exif.get_ifd(_EXIF_IFD)[36867] = taken
    if gps:
        def dms(x: float):
            d = int(x)
            m = int((x - d) * 60)
            s = round(((x - d) * 60 - m) * 60, 4)
            return (float(d), float(m), float(s))
        exif.get_ifd(_GPS_IFD).update({1: "N", 2: dms(gps[0]), 3: "E", 4: dms(gps[1])})
    out = io.BytesIO()
    img.save(out, fmt, exif=exif.tobytes() if fmt in ("JPEG", "WEBP", "PNG") else None)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A 1×1 PNG whose header claims ``width``×``height`` pixels (a decompression bomb's calling card)."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    ihdr = 8  # after the signature: length(4) type(4) data(13) crc(4)
    data[ihdr + 8:ihdr + 16] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr + 4:ihdr + 8 + 13])) & 0xFFFFFFFF
    data[ihdr + 8 + 13:ihdr + 8 + 17] = struct.pack(">I", crc)
    return bytes(data)


def truncated_jpeg() -> bytes:
    full = photo(800, 600, gps=None, taken=None)
    return full[: len(full) // 2]


def pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
