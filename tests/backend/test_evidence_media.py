"""What the hub reads from a file's bytes: type, checks, EXIF, orientation, thumbnails; synthetic photos."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from backend.evidence import media
from backend.evidence.synthetic import synthetic_photo
from tests.backend.evidence_files import pdf, photo, png_claiming, truncated_jpeg

ROOT = Path(__file__).resolve().parents[2]


def inspect(tmp_path, data: bytes, name: str = "f.bin"):
    path = tmp_path / name
    path.write_bytes(data)
    return media.inspect(path)


@pytest.mark.parametrize("fmt, mime", [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")])
def test_images_of_each_type_with_exif(tmp_path, fmt, mime):
    found = inspect(tmp_path, photo(800, 600, fmt=fmt))
    assert (found.mime, found.width, found.height) == (mime, 800, 600)
    with Image.open(io.BytesIO(found.thumbnail)) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (320, 240)


def test_orientation_is_applied_to_the_size_and_the_thumbnail(tmp_path):
    found = inspect(tmp_path, photo(800, 600, orientation=6))
    assert (found.width, found.height) == (600, 800)
    with Image.open(io.BytesIO(found.thumbnail)) as thumb:
        assert thumb.size == (240, 320)
    assert found.taken_at == pytest.approx(1773106200.0)
    assert found.lat == pytest.approx(36.0671, abs=1e-4) and found.lon == pytest.approx(120.3826, abs=1e-4)


def test_a_photo_without_exif_has_no_time_or_place(tmp_path):
    found = inspect(tmp_path, photo(taken=None, gps=None))
    assert (found.taken_at, found.lat, found.lon) == (None, None, None)


@pytest.mark.parametrize("data, code", [
    (png_claiming(100_000, 100_000), "too_many_pixels"),
    (png_claiming(12_001, 10), "too_many_pixels"),
    (truncated_jpeg(), "malformed"),
    (b"GIF89a" + b"\0" * 100, "unsupported_type"),
    (b"<html>not a photo</html>", "unsupported_type"),
    (pdf().replace(b"%%EOF", b""), "malformed"),
    (pdf().replace(b"/Catalog", b"/Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "malformed"),
])
def test_refusals(tmp_path, data, code):
    with pytest.raises(media.MediaError) as refused:
        inspect(tmp_path, data, "photo.jpg")
    assert refused.value.code == code and refused.value.message


def test_a_plain_pdf_is_accepted_without_a_thumbnail(tmp_path):
    found = inspect(tmp_path, pdf(), "notice.pdf")
    assert (found.mime, found.thumbnail) == ("application/pdf", None)


def test_synthetic_photos_look_like_phone_photos(tmp_path):
    data = synthetic_photo("20102", "before_near", 1773106200.0, "市南区 八大关街道 第3网格", lat=36.06, lon=120.38)
    assert 200 * 1024 <= len(data) <= 800 * 1024
    found = inspect(tmp_path, data)
    assert found.taken_at == pytest.approx(1773106200.0) and found.lat == pytest.approx(36.06, abs=1e-3)
    after = synthetic_photo("20102", "after", 1773109800.0, "市南区 八大关街道 第3网格", lat=36.06, lon=120.38)
    assert after != data  # the same scene, put right


#: Photos drawn in a process of their own, then what it keeps mapped: the font file's name in
#: /proc/self/maps (a kept face maps the pages its glyphs touched) and the grain kept per seed.
PHOTOS_THEN_MAPS = """
import gc, sys
from backend.evidence import synthetic
for i in range(6):
    synthetic.synthetic_photo("20102", "before_near", 1773106200.0 + i, "市南区 八大关街道 第3网格", seed=i)
gc.collect()
path = synthetic._font_path()
maps = open("/proc/self/maps").read()
cached = synthetic._grain_tile.cache_info().currsize  # seeds 0-5 use grain 0-3
tiles = [synthetic._grain_tile(s) for s in range(4)]
print(path, path is not None and path in maps, cached, sum(len(t.tobytes()) for t in tiles))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_the_camera_lets_its_font_go_and_keeps_grain_tiles_not_frames():
    out = subprocess.run([sys.executable, "-c", PHOTOS_THEN_MAPS], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    path, mapped, cached, kept = out[0], out[1], int(out[2]), int(out[3])
    if path == "None":
        pytest.skip("no TrueType font here: the watermark uses Pillow's built-in one")
    assert mapped == "False"  # the face was closed with its photo
    assert cached == 4 and kept == 4 * 320 * 320  # four grain tiles kept, not four 1280x960 frames


def test_grain_repeats_by_the_tile():
    from backend.evidence.synthetic import GRAIN_TILE, SIZE, _grain

    grain = _grain(1)
    assert grain.size == SIZE
    assert grain.getpixel((5, 7)) == grain.getpixel((5 + GRAIN_TILE, 7 + GRAIN_TILE))
    assert len({grain.getpixel((x, 11)) for x in range(0, 64)}) > 8  # noise, not a flat grey
