"""Drawing a panel's boxes, plainly or with each text kept as an opaque picture and copied in.

At 4K most wall text is larger than Qt's glyph cache takes (64 px), so every ``drawText``
fills glyph outlines again. A text drawn into a transparent picture and blended later comes
out a little different (Qt blends text on an opaque surface with gamma); so a text's
picture here is opaque: the whole patch the text may touch (its *extent*), painted with the
background, every fill and every earlier text that reaches into the patch, then the text —
the very operations a plain paint does there, moved by whole pixels, so the same pixels.
It is keyed by all of that relative to the patch, made the second time a key is drawn and
copied in from then on (a ticker row moved down, the next visit of a rotating page); a
text drawn once only (the clock's seconds) is drawn in place, as a plain paint would.
Bounded by a byte budget, least recently used out first.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QPixmap

#: Text pictures kept, in bytes (4 a pixel).
BUDGET_BYTES = 64 * 1024 * 1024
#: Keys remembered (without pictures) to spot a text's second sighting: the latest this many.
#: About a few pages' worth, so a text met again only after a whole rotation (12+ pages, more
#: than the budget keeps) is drawn in place rather than made into a picture that is dropped
#: before its next use.
SEEN_LIMIT = 600


class PictureCache:
    def __init__(self, budget_bytes: int = BUDGET_BYTES) -> None:
        self.budget = budget_bytes
        self._items: OrderedDict[tuple, QPixmap] = OrderedDict()
        self._seen: OrderedDict[tuple, None] = OrderedDict()
        self.bytes = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        self._items.clear()
        self._seen.clear()
        self.bytes = 0

    def seen_before(self, key: tuple) -> bool:
        """Whether ``key`` was asked for before; a picture is made on the second sighting only,
        so text shown once (the clock's seconds, a cold start) costs no more than drawing it."""
        if key in self._seen:
            return True
        self._seen[key] = None
        if len(self._seen) > SEEN_LIMIT:
            self._seen.popitem(last=False)
        return False

    def get(self, key: tuple) -> QPixmap | None:
        pix = self._items.get(key)
        if pix is not None:
            self._items.move_to_end(key)
            self.hits += 1
        return pix

    def put(self, key: tuple, pix: QPixmap) -> None:
        self.misses += 1
        self._items[key] = pix
        self.bytes += pix.width() * pix.height() * 4
        while self.bytes > self.budget and len(self._items) > 1:
            _, old = self._items.popitem(last=False)
            self.bytes -= old.width() * old.height() * 4


#: Shared by every wall panel.
PICTURES = PictureCache()


def box_key(box, dx: float = 0.0, dy: float = 0.0) -> tuple:
    """What decides a box's pixels, its rectangle moved by (dx, dy) (QFont and QRectF do not hash)."""
    r = box.rect
    where = (r.x() + dx, r.y() + dy, r.width(), r.height())
    if hasattr(box, "text"):
        return ("t", box.text, box.font_key, where, box.color, int(box.align))
    return ("f", where, box.color, box.radius, box.border, box.border_width)


_extents: dict[tuple, QRect] = {}


def extent(box) -> QRect:
    """The pixels ``box`` may touch: a fill's rectangle, or the line its text takes in its
    rectangle, with a margin for anti-aliasing and overhanging ink (an eighth of the size
    sideways, a quarter up and down). Kept tight so neighbouring cells rarely overlap."""
    key = box_key(box)
    found = _extents.get(key)
    if found is not None:
        return QRect(found)
    if hasattr(box, "text"):
        line = QFontMetricsF(box.font).boundingRect(box.rect, int(box.align), box.text)
        px = box.font.pixelSize()
        mx, my = px * 0.125 + 2, px * 0.25 + 2
    else:
        line = box.rect
        mx = my = box.border_width + 2
    found = line.adjusted(-mx, -my, mx, my).toAlignedRect()
    if len(_extents) > 20000:
        _extents.clear()
    _extents[key] = found
    return QRect(found)


def covers(fill, patch: QRect) -> bool:
    """Whether ``fill`` paints every pixel of ``patch`` in its own colour (clear of its
    rounded corners and its border): then the patch starts from that colour, and the fill
    need not be drawn again for it (a panel-sized path is slow to fill even when clipped)."""
    inset = max(fill.radius, fill.border_width if fill.border else 0.0) + 1.0
    return QColor(fill.color).alpha() == 255 and fill.rect.adjusted(inset, inset, -inset, -inset).contains(
        QRectF(patch))


def draw_fill(painter: QPainter, fill, dx: int = 0, dy: int = 0) -> None:
    painter.setBrush(QColor(fill.color))
    painter.setPen(QPen(QColor(fill.border), fill.border_width) if fill.border else Qt.PenStyle.NoPen)
    painter.drawRoundedRect(fill.rect.translated(dx, dy), fill.radius, fill.radius)


def draw_text(painter: QPainter, box, dx: int = 0, dy: int = 0) -> None:
    painter.setFont(box.font)
    painter.setPen(QColor(box.color))
    painter.drawText(box.rect.translated(dx, dy), box.align, box.text)


def draw_plain(painter: QPainter, fills, texts, dx: int = 0, dy: int = 0) -> None:
    """The boxes moved by whole pixels (dx, dy). Moved by the rectangles, not by a painter
    transform: Qt lays large text out differently under any transform (it shows at edges)."""
    for fill in fills:
        draw_fill(painter, fill, dx, dy)
    for box in texts:
        draw_text(painter, box, dx, dy)


def draw_cached(painter: QPainter, fills, texts, layout, background: str, dpr: float) -> None:
    """Draw ``fills`` in place, then each of ``texts`` from its picture. ``layout`` is the
    panel's whole (fills, texts): what lies under a text is taken from it, since a partial
    repaint passes only the boxes that reach the changed pixels."""
    for fill in fills:
        draw_fill(painter, fill)
    all_fills = [(f, extent(f)) for f in layout[0]]
    all_texts = [(t, extent(t)) for t in layout[1] if t.text]
    order = {id(t): i for i, (t, _) in enumerate(all_texts)}
    for box in texts:
        if not box.text:
            continue
        i = order[id(box)]
        patch = all_texts[i][1]
        dx, dy = -patch.x(), -patch.y()
        base: str = background
        under: list = []
        for f, e in all_fills:
            if e.intersects(patch):
                if covers(f, patch):
                    base, under = f.color, []
                else:
                    under.append(f)
        before = [t for t, e in all_texts[:i] if e.intersects(patch)]
        key = (box_key(box, dx, dy), patch.width(), patch.height(), base, dpr,
               tuple(box_key(f, dx, dy) for f in under), tuple(box_key(t, dx, dy) for t in before))
        pix = PICTURES.get(key)
        if pix is None and not PICTURES.seen_before(key):
            draw_text(painter, box)  # first sighting (a new clock second, a cold start): as a plain paint
            continue
        if pix is None:
            pix = QPixmap(max(1, round(patch.width() * dpr)), max(1, round(patch.height() * dpr)))
            pix.setDevicePixelRatio(dpr)
            pix.fill(QColor(base))
            p = QPainter(pix)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            draw_plain(p, under, [*before, box], dx, dy)
            p.end()
            PICTURES.put(key, pix)
        painter.drawPixmap(patch.topLeft(), pix)
