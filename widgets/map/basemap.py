"""An optional basemap from local files only: a folder of XYZ tiles ``{z}/{x}/{y}.png`` or an
MBTiles (SQLite) file. Never a URL: nothing here opens a network connection.

Tiles are Web Mercator; each one is drawn stretched into the screen rectangle of its
lon/lat bounds, which at city size is exact to well under a pixel.
"""

from __future__ import annotations

import math
import sqlite3
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

TILE_CACHE = 256


class BasemapError(ValueError):
    pass


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) in degrees of XYZ tile (z, x, y)."""
    n = 2 ** z

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return x / n * 360.0 - 180.0, lat(y + 1), (x + 1) / n * 360.0 - 180.0, lat(y)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2 ** z
    lat = max(-85.0511, min(85.0511, lat))
    x = int((lon + 180.0) / 360.0 * n)
    r = math.radians(lat)
    y = int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


class TileSource:
    """Tiles from a local folder or MBTiles file; ``draw`` paints the visible ones."""

    def __init__(self, path: str | Path) -> None:
        text = str(path)
        if "://" in text:
            raise BasemapError(f"basemap {text!r}: only local files are used (a tile folder or an .mbtiles file)")
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._cache: OrderedDict[tuple[int, int, int], QImage | None] = OrderedDict()
        if self.path.is_dir():
            zooms = sorted(int(p.name) for p in self.path.iterdir() if p.is_dir() and p.name.isdigit())
        elif self.path.is_file():
            try:
                self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
                zooms = [r[0] for r in self._db.execute("SELECT DISTINCT zoom_level FROM tiles ORDER BY 1")]
            except sqlite3.Error as exc:
                raise BasemapError(f"basemap {self.path}: not an MBTiles file ({exc})") from None
        else:
            raise BasemapError(f"basemap {self.path}: no such folder or file")
        if not zooms:
            raise BasemapError(f"basemap {self.path}: holds no tiles")
        self.zooms = zooms

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def tile(self, z: int, x: int, y: int) -> QImage | None:
        key = (z, x, y)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        image = None
        if self._db is not None:
            row = self._db.execute("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND "
                                   "tile_row = ?", (z, x, 2 ** z - 1 - y)).fetchone()  # MBTiles rows are TMS
            if row is not None:
                image = QImage.fromData(bytes(row[0]))
        else:
            file = self.path / str(z) / str(x) / f"{y}.png"
            if file.is_file():
                image = QImage(str(file))
        if image is not None and image.isNull():
            image = None
        self._cache[key] = image
        while len(self._cache) > TILE_CACHE:
            self._cache.popitem(last=False)
        return image

    def zoom_for(self, proj, ) -> int:
        """The stored zoom whose tile pixels come closest to screen pixels."""
        lon_per_px = 1.0 / (proj.s * proj.k)
        ideal = math.log2(360.0 / (256.0 * lon_per_px))
        return min(self.zooms, key=lambda z: abs(z - ideal))

    def draw(self, p: QPainter, proj, width: int, height: int) -> int:
        """Paint the tiles covering the view; returns how many were drawn."""
        z = self.zoom_for(proj)
        lon0, lat0 = proj.lonlat(*proj.to_world(0, height))
        lon1, lat1 = proj.lonlat(*proj.to_world(width, 0))
        x0, y0 = tile_of(lon0, lat1, z)
        x1, y1 = tile_of(lon1, lat0, z)
        if (x1 - x0 + 1) * (y1 - y0 + 1) > 400:
            return 0
        drawn = 0
        p.save()
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                image = self.tile(z, x, y)
                if image is None:
                    continue
                w, s, e, n = tile_bounds(z, x, y)
                sx0, sy0 = proj.to_screen(*proj.world(w, n))
                sx1, sy1 = proj.to_screen(*proj.world(e, s))
                p.drawImage(QRectF(sx0, sy0, sx1 - sx0, sy1 - sy0), image)
                drawn += 1
        p.restore()
        return drawn


def open_basemap(path: str | Path | None) -> TileSource | None:
    return TileSource(path) if path else None
