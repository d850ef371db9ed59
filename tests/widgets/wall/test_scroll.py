"""Moving a band of a kept picture (widgets.wall.scroll): what it says the picture shows is
what a plain paint of those boxes shows, once the pixels it names are painted again."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap, QRegion

from widgets.wall import blits
from widgets.wall.paint import ACCENT, PANEL, PANEL_BORDER, TEXT, FillBox, TextBox, font_px
from widgets.wall.scroll import scroll, uniform_over, within_background

W, H, BG = 400, 300, "#05080f"


def plain(layout) -> QPixmap:
    pix = QPixmap(W, H)
    pix.fill(QColor(BG))
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    blits.draw_plain(painter, *layout)
    painter.end()
    return pix


def array(pix: QPixmap) -> np.ndarray:
    image = pix.toImage().convertToFormat(QImage.Format.Format_RGB32)
    return np.frombuffer(image.constBits(), np.uint8).reshape(H, image.bytesPerLine()).copy()


def repaint(pix: QPixmap, layout, dirty: QRegion) -> None:
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setClipRegion(dirty)
    painter.fillRect(QRect(0, 0, W, H), QColor(BG))
    blits.draw_plain(painter, *layout)
    painter.end()


@pytest.fixture
def layout(qapp):
    font = font_px(18)
    background = FillBox(QRectF(0, 0, W, H), PANEL, 10, PANEL_BORDER, 2)
    fills = [background] + [FillBox(QRectF(8, 40 + 30 * r, W - 16, 30), "#132039", 4) for r in range(0, 8, 2)]
    fills.append(FillBox(QRectF(20, 250, 60, 40), ACCENT, 6))  # reaches across the band's bottom
    texts = [TextBox("标题 head", font, QRectF(12, 10, 200, 30))]  # its margin reaches into the band
    texts += [TextBox(f"第{r}行 row {r}", font, QRectF(12, 42 + 30 * r, 300, 26), TEXT) for r in range(8)]
    texts.append(TextBox("页脚 foot", font, QRectF(100, 262, 200, 30), ACCENT))  # across the bottom too
    band = within_background(fills[1:5] + texts[1:9], background)
    return (fills, texts), band


@pytest.mark.parametrize("dy", [1, 7, 30, 61])
def test_the_moved_picture_with_its_named_pixels_repainted_is_a_plain_paint_of_its_boxes(layout, dy):
    boxes, band = layout
    assert uniform_over(boxes[0][0], band) and band.bottom() > 250
    frame = plain(boxes)
    result = scroll(frame, boxes, band, dy)
    assert result is not None
    kept, dirty = result
    named = sum(r.width() * r.height() for r in dirty)  # type: ignore[attr-defined]  # QRegion iterates its rects
    assert 0 < named < band.width() * band.height()  # something moved, not everything named
    moved = [t.text for t in kept[1] if t not in boxes[1]]
    assert moved and all(t.startswith("第") for t in moved)  # the rows moved, the head and foot stayed
    repaint(frame, kept, dirty)
    assert np.array_equal(array(frame), array(plain(kept)))


def test_a_move_that_cannot_be_exact_leaves_the_picture_alone(layout):
    boxes, band = layout
    frame = plain(boxes)
    before = array(frame)
    assert scroll(frame, boxes, band, 0) is None
    assert scroll(frame, boxes, band, band.height()) is None
    frame.setDevicePixelRatio(1.5)
    assert scroll(frame, boxes, band, 30) is None
    assert np.array_equal(array(frame), before)


def test_a_band_over_a_rounded_corner_or_border_is_not_one_colour(layout):
    boxes, band = layout
    background = boxes[0][0]
    assert not uniform_over(background, QRect(0, 40, 50, 50))  # the border
    assert not uniform_over(background, QRect(3, 3, 20, 20))  # the corner
    assert not uniform_over(FillBox(QRectF(0, 0, W, H), "#80ffffff"), band)  # see-through
