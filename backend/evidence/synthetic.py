"""Believable synthetic photos for the simulator, the demo city and the trainer.

Drawn with Pillow, nothing downloaded: a street scene (sky, buildings, pavement) with the
category's object in front — an open manhole, a heap of rubbish, a broken street lamp —
or, for an "after" photo, the same scene put right; the capture time and the grid's name
are burnt into the corner as a phone's watermark does, and EXIF carries the capture time
and GPS position. Sensor-like noise makes each photo 200–800 KB as a JPEG, like a real one.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from domain.model import Stage

CST = dt.timezone(dt.timedelta(hours=8))
SIZE = (1280, 960)
_FONT_PATHS = (  # a CJK font when the system has one, for the grid's name
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


@functools.cache
def _font_path() -> str | None:
    for path in _FONT_PATHS:
        try:
            ImageFont.truetype(path, 12, layout_engine=ImageFont.Layout.BASIC)
        except OSError:
            continue
        return path
    return None


def _font(size: int):
    """A face of its own per photo, let go after it: a face kept for the process keeps the pages of
    the CJK font its glyphs touched mapped (3.9 MB in the demo) and FreeType's tables, and opening
    one costs nothing measurable beside the drawing (17.3 against 17.5 ms per photo). Basic layout:
    the watermark is digits and Chinese, which need no shaping."""
    path = _font_path()
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


#: The side of a grain tile: 1280×960 is 4×3 of them.
GRAIN_TILE = 320


@functools.cache
def _grain_tile(seed: int) -> Image.Image:
    rng = random.Random(seed)
    return Image.frombytes("L", (GRAIN_TILE, GRAIN_TILE), rng.randbytes(GRAIN_TILE * GRAIN_TILE)).filter(
        ImageFilter.GaussianBlur(0.5))


def _grain(seed: int) -> Image.Image:
    """Sensor grain, grey, tiled from a kept 320 px tile (100 KB; a whole frame kept was 1.2 MB, four
    of them): the JPEGs come out the same size, and the tiling is lost under the 8% blend."""
    tile, grain = _grain_tile(seed), Image.new("L", SIZE)
    for y in range(0, SIZE[1], GRAIN_TILE):
        for x in range(0, SIZE[0], GRAIN_TILE):
            grain.paste(tile, (x, y))
    return grain


def _scene(draw: ImageDraw.ImageDraw, rng: random.Random, hour: int) -> None:
    w, h = SIZE
    dusk = hour < 7 or hour >= 18
    sky = (70, 90, 130) if dusk else (150 + rng.randint(0, 40), 190 + rng.randint(0, 30), 230)
    draw.rectangle((0, 0, w, h * 0.45), fill=sky)
    x = -20
    while x < w:  # a row of buildings
        bw, bh = rng.randint(120, 260), rng.randint(160, 380)
        tone = rng.randint(150, 210)
        draw.rectangle((x, h * 0.45 - bh, x + bw, h * 0.55), fill=(tone, tone - 10, tone - 25))
        for wy in range(int(h * 0.45 - bh + 20), int(h * 0.5), 42):
            for wx in range(x + 14, x + bw - 24, 36):
                lit = dusk and rng.random() < 0.5
                draw.rectangle((wx, wy, wx + 20, wy + 24), fill=(250, 220, 140) if lit else (90, 110, 130))
        x += bw + rng.randint(4, 20)
    draw.rectangle((0, h * 0.55, w, h), fill=(118, 118, 112))  # pavement
    for i in range(0, w, 90):  # paving joints
        draw.line((i, h * 0.55, i - 200, h), fill=(100, 100, 96), width=3)
    draw.rectangle((0, h * 0.53, w, h * 0.56), fill=(170, 170, 160))  # kerb


def _object(draw: ImageDraw.ImageDraw, category: str, fixed: bool, rng: random.Random) -> None:
    w, h = SIZE
    cx, cy = w // 2 + rng.randint(-120, 120), int(h * 0.78)
    klass = category[:3]  # GB/T 30428.2 class: kind digit + class code
    if klass in ("101", "102"):  # components on the street: a manhole cover
        box = (cx - 150, cy - 60, cx + 150, cy + 60)
        if fixed:
            draw.ellipse(box, fill=(60, 62, 64), outline=(40, 40, 40), width=6)
            for r in range(20, 150, 22):
                draw.ellipse((cx - r, cy - r * 0.4, cx + r, cy + r * 0.4), outline=(80, 82, 84), width=3)
        else:
            draw.ellipse(box, fill=(12, 12, 14))
            draw.polygon([(cx - 190, cy + 80), (cx - 120, cy - 90), (cx - 60, cy + 90)], fill=(230, 120, 20))
            draw.line((cx - 170, cy + 40, cx - 80, cy + 40), fill=(255, 255, 255), width=10)
    elif klass in ("201", "214"):  # city appearance, environment: rubbish heaped on the pavement
        if not fixed:
            for _ in range(60):
                x, y = cx + rng.randint(-220, 220), cy + rng.randint(-70, 70)
                r = rng.randint(14, 46)
                colour = rng.choice([(40, 40, 40), (200, 60, 50), (40, 120, 60), (230, 230, 220), (90, 70, 50)])
                draw.ellipse((x - r, y - r * 0.7, x + r, y + r * 0.7), fill=colour)
        draw.rectangle((cx + 260, cy - 150, cx + 360, cy + 30), fill=(30, 110, 60))  # the bin
        draw.rectangle((cx + 250, cy - 170, cx + 370, cy - 150), fill=(20, 80, 45))
    elif klass == "205":  # street order: a stall or a parked vehicle where it should not be
        if not fixed:
            draw.rectangle((cx - 220, cy - 160, cx + 220, cy + 40), fill=(40, 80, 170))
            draw.rectangle((cx - 240, cy - 190, cx + 240, cy - 160), fill=(230, 60, 40))
            for i in range(6):
                draw.ellipse((cx - 200 + i * 70, cy - 120, cx - 150 + i * 70, cy - 70), fill=(240, 200, 40))
    else:  # anything else: a street lamp, broken or working
        draw.rectangle((cx - 12, cy - 420, cx + 12, cy + 40), fill=(70, 72, 76))
        draw.rectangle((cx - 12, cy - 430, cx + 120, cy - 410), fill=(70, 72, 76))
        glow = (255, 240, 170) if fixed else (60, 60, 60)
        draw.ellipse((cx + 80, cy - 420, cx + 150, cy - 380), fill=glow)
        if not fixed:
            draw.line((cx + 90, cy - 400, cx + 140, cy - 385), fill=(20, 20, 20), width=6)


def _exif(taken: dt.datetime, lat: float | None, lon: float | None) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "GridCC"
    exif[0x0110] = "Synthetic camera"
    sub = exif.get_ifd(0x8769)
    sub[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    sub[36881] = "+08:00"
    if lat is not None and lon is not None:
        def dms(x: float):
            d = int(abs(x))
            m = int((abs(x) - d) * 60)
            return (float(d), float(m), round(((abs(x) - d) * 60 - m) * 60, 3))
        exif.get_ifd(0x8825).update({1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W",
                                     4: dms(lon)})
    return exif.tobytes()


def synthetic_photo(category: str, stage: Stage | str, taken_at: float, place: str, *,
                    lat: float | None = None, lon: float | None = None, seed: int = 0, quality: int = 90,
                    stamp: bool = True) -> bytes:
    """A JPEG of the category's object at ``stage`` (before: the problem; after/verification: put right).

    ``stamp``: burn in the time and place, and write them to EXIF (False: a stock photo).
    """
    stage = Stage(stage)
    fixed = stage in (Stage.AFTER, Stage.VERIFICATION)
    scene_seed = int(hashlib.sha256(f"{place}|{category}".encode()).hexdigest()[:8], 16)
    rng = random.Random(scene_seed)
    taken = dt.datetime.fromtimestamp(taken_at, CST)
    img = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(img)
    _scene(draw, rng, taken.hour)
    _object(draw, category, fixed, random.Random(scene_seed + 1))
    if stage is Stage.BEFORE_FAR:
        img = img.resize((SIZE[0] // 2, SIZE[1] // 2)).resize(SIZE, Image.Resampling.BILINEAR)
    img = Image.blend(img, _grain(seed % 4).convert("RGB"), 0.08)  # sensor grain: sizes like a phone's photo
    out = io.BytesIO()
    if not stamp:
        img.save(out, "JPEG", quality=quality)
        return out.getvalue()
    draw = ImageDraw.Draw(img)
    lines = [taken.strftime("%Y-%m-%d %H:%M:%S"), place]
    font = _font(34)
    y = SIZE[1] - 40 * len(lines) - 24
    for line in lines:
        draw.text((26, y + 2), line, font=font, fill=(0, 0, 0))
        draw.text((24, y), line, font=font, fill=(255, 236, 120))
        y += 42
    img.save(out, "JPEG", quality=quality, exif=_exif(taken, lat, lon))
    return out.getvalue()
