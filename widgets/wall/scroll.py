"""Moving a band of a panel's kept picture down, and the boxes it shows with it.

The ticker's rows all move down one place when a case arrives, so every box of its body
changes and a box-by-box comparison repaints the whole panel (issue 20: the ticker was
the costliest panel of a live 4K tick). Its pixels, though, are the old rows' pixels a
row lower: :func:`scroll` moves them within the band by whole device pixels — a box drawn
a whole number of pixels lower comes out as the same pixels moved — and says what it
could not move exactly (the strip left uncovered at the top, boxes that reach across the
band's edge), so the panel paints only that and what really changed.
"""

from __future__ import annotations

import math
from dataclasses import replace

from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QColor, QPixmap, QRegion

from widgets.wall.blits import extent


def _arms(fill) -> tuple[QRectF, QRectF]:
    """The tall and the wide rectangle of ``fill`` clear of its border's stroke and corners."""
    edge = (fill.border_width if fill.border else 0.0) + 1.0
    corner = max(edge, fill.radius + 1.0)
    r = fill.rect
    return r.adjusted(edge, corner, -edge, -corner), r.adjusted(corner, edge, -corner, -edge)


def uniform_over(fill, band: QRect) -> bool:
    """Whether ``fill`` paints every pixel of ``band`` in its one colour: inside it, clear
    of its border's stroke and of its rounded corners (the panel's own background)."""
    return QColor(fill.color).alpha() == 255 and any(arm.contains(QRectF(band)) for arm in _arms(fill))


def within_background(boxes: list, fill) -> QRect:
    """The pixels ``boxes`` may touch, cut to where ``fill`` (a panel's background) is one
    colour from side to side: a band that :func:`uniform_over` accepts."""
    band = QRect()
    for box in boxes:
        band = band.united(extent(box))
    tall = _arms(fill)[0]
    inner = QRect(math.ceil(tall.left()), math.ceil(tall.top()), 0, 0)
    inner.setRight(math.floor(tall.right()) - 1)
    inner.setBottom(math.floor(tall.bottom()) - 1)
    return band.intersected(inner)


def scroll(frame: QPixmap, layout: tuple[list, list], band: QRect, dy: int) -> tuple[tuple[list, list], QRegion] | None:
    """Move ``band`` of ``frame`` (a panel's picture of ``layout``) down by ``dy`` pixels.

    Returns the boxes the picture shows afterwards — those wholly inside the band moved
    down, the rest where they were — and the pixels that show none of them exactly and
    must be painted again; or None (picture untouched) when the move cannot be exact."""
    dpr = frame.devicePixelRatio()
    if not 0 < dy < band.height() or dpr != int(dpr):
        return None
    dirty = QRegion(band.x(), band.y(), band.width(), dy)  # uncovered: still the old pixels
    kept: tuple[list, list] = ([], [])
    for boxes, out in zip(layout, kept, strict=True):
        for box in boxes:
            where = extent(box)
            if not where.intersects(band):
                out.append(box)
            elif band.contains(where):
                moved = replace(box, rect=box.rect.translated(0, dy))
                if band.contains(extent(moved)):
                    out.append(moved)
                else:  # pushed across the bottom: what is left of it in the band is cut
                    dirty += extent(moved).intersected(band)
            else:
                out.append(box)
                # across the edge: lost in the band, unless a plain background (opaque: whatever it
                # is drawn over in the band, it hides; fills come before every text)
                if out is kept[1] or not uniform_over(box, band):
                    dirty += where.intersected(band)
                    dirty += where.translated(0, dy).intersected(band)
    d = int(dpr)
    frame.scroll(0, dy * d, QRect(band.x() * d, band.y() * d, band.width() * d, band.height() * d))
    return kept, dirty
