"""Basemap tiles from local files only: an XYZ folder and an MBTiles file, drawn where they belong."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage, QPainter

from widgets.map.basemap import BasemapError, TileSource, tile_bounds, tile_of
from widgets.map.layers import Projection

Z = 10
LON, LAT = 120.38, 36.07  # Qingdao


def png(colour: str) -> bytes:
    image = QImage(256, 256, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def view_on(x: int, y: int) -> Projection:
    proj = Projection()
    w, s, e, n = tile_bounds(Z, x, y)
    proj.s = 256 / ((e - w) * proj.k)  # one tile ≈ 256 px
    cx, cy = proj.world((w + e) / 2, (s + n) / 2)
    proj.ox, proj.oy = 200 - cx * proj.s, 150 - cy * proj.s
    return proj


def draw(source: TileSource, proj: Projection) -> QImage:
    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    drawn = source.draw(p, proj, 400, 300)
    p.end()
    assert drawn >= 1
    return image


def test_tiles_from_an_xyz_folder_cover_their_place(tmp_path):
    x, y = tile_of(LON, LAT, Z)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            folder = tmp_path / str(Z) / str(x + dx)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{y + dy}.png").write_bytes(png("#ff0000" if (dx, dy) == (0, 0) else "#0000ff"))
    source = TileSource(tmp_path)
    assert source.zooms == [Z]
    image = draw(source, view_on(x, y))
    assert QColor(image.pixel(200, 150)).name() == "#ff0000"  # the tile's middle is the view's middle
    assert QColor(image.pixel(5, 150)).name() == "#0000ff"


def test_tiles_from_an_mbtiles_file_use_tms_rows(tmp_path):
    x, y = tile_of(LON, LAT, Z)
    path = tmp_path / "city.mbtiles"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (Z, x, 2 ** Z - 1 - y, png("#00ff00")))
    db.commit()
    db.close()
    source = TileSource(path)
    assert QColor(draw(source, view_on(x, y)).pixel(200, 150)).name() == "#00ff00"
    source.close()


@pytest.mark.parametrize("where", ["https://tile.openstreetmap.org/{z}/{x}/{y}.png", "/no/such/folder"])
def test_urls_and_missing_paths_are_refused(where):
    with pytest.raises(BasemapError):
        TileSource(where)
