"""The painted base of the wall widgets: lay text out as boxes, then paint exactly those boxes.

A wall is read from 8 m, so every label must fit its rectangle at 1080p, 4K and 32:9.
Each widget builds its layout — filled shapes and :class:`TextBox` es with a font chosen
to fit — in ``build()``; ``paintEvent`` draws that list and tests measure the same list
with ``QFontMetrics``, so what is checked is what is painted. Sizes are given in pixels
at 1080 lines and multiplied by the window's ``scale`` (height / 1080).

Painting is cached (issue 20: the 4K wall repainted in 60-100 ms; at 4K most text is
larger than Qt's 64 px glyph cache, so each ``drawText`` fills outlines again): a panel
keeps its picture in a pixmap, so repainting an unchanged panel is one blit, a changed
panel repaints only the pixels of the boxes that changed (:meth:`BoxWidget.frame`), and
a text seen before in the same place over the same things is copied in (widgets.wall.blits);
a panel whose rows all moved down (the ticker) first moves its picture (widgets.wall.scroll).
A panel painted whole (start, resize, a rotation, most of it changed) is painted in place
— plainly after a start or a resize, through the text pictures otherwise — and its own
picture made at the next idle moment, so a whole paint costs no more than a plain one.
Font fitting and eliding are memoised on the text and the room, so a rebuild with the
same texts measures nothing. ``CACHED = False`` paints the plain way (tests compare).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cached_property, lru_cache

from PySide6.QtCore import QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPixmap, QRegion
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.common.fonts import cjk_family
from widgets.wall import blits, scroll

#: Paint through the sprite and panel caches; False draws every box in place (the reference).
CACHED = True
#: Memoised fitted fonts and elided texts, dropped whole when they grow past this many.
MEMO_LIMIT = 20000
_fits: dict[tuple, QFont] = {}
_elided: dict[tuple, str] = {}

# High-contrast palette for a dark room (WCAG AAA against BACKGROUND for the text colours).
BACKGROUND = "#05080f"
PANEL = "#0e1626"
PANEL_BORDER = "#22314d"
TEXT = "#f4f7fb"
MUTED = "#9fb0cc"
ACCENT = "#4fc3f7"
GOOD = "#66bb6a"
WARN = "#ffca28"
BAD = "#ff5252"
ALARM_BG = "#b71c1c"
CALM_BG = "#0f2a1a"

ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ALIGN_CENTER = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class TextBox:
    text: str
    font: QFont
    rect: QRectF
    color: str = TEXT
    align: Qt.AlignmentFlag = ALIGN_LEFT

    @cached_property
    def font_key(self) -> str:
        """``font.key()``, asked once (a box's key is compared several times per paint)."""
        return self.font.key()


@dataclass(frozen=True)
class FillBox:
    rect: QRectF
    color: str
    radius: float = 0.0
    border: str | None = None
    border_width: float = 0.0


def font_px(px: float, bold: bool = False) -> QFont:
    """A CJK-capable font of ``px`` pixels (at least 1)."""
    family = cjk_family()
    font = QFont(family) if family else QFont()
    font.setPixelSize(max(1, int(px)))
    font.setBold(bold)
    return font


@lru_cache(maxsize=4)
def line_ratio(bold: bool = False) -> float:
    """Line height / pixel size of the UI font (CJK fonts run to ~1.45)."""
    return QFontMetricsF(font_px(100, bold)).height() / 100.0


def clear_memos() -> None:
    """Forget fitted fonts, elided texts and text extents (a font change; the cold-repaint bench)."""
    _fits.clear()
    _elided.clear()
    blits._extents.clear()


def fit_font(text: str, px: float, rect: QRectF, bold: bool = False, min_px: float = 8.0) -> QFont:
    """The largest font up to ``px`` whose line of ``text`` fits ``rect``; never below ``min_px``."""
    key = (text, px, rect.width(), rect.height(), bold, min_px)
    font = _fits.get(key)
    if font is None:
        if len(_fits) > MEMO_LIMIT:
            _fits.clear()
        font = _fits[key] = _fit_font(text, px, rect, bold, min_px)
    return QFont(font)


def _fit_font(text: str, px: float, rect: QRectF, bold: bool, min_px: float) -> QFont:
    px = min(px, rect.height() / line_ratio(bold))
    px = max(min_px, px)
    font = font_px(px, bold)
    width = QFontMetricsF(font).horizontalAdvance(text) if text else 0.0
    if width > rect.width() > 0:
        px = max(min_px, int(px * rect.width() / width))
        font = font_px(px, bold)
        while px > min_px and QFontMetricsF(font).horizontalAdvance(text) > rect.width():
            px -= 1
            font = font_px(px, bold)
    return font


def advance(font: QFont, text: str) -> float:
    """How wide ``text`` is in ``font``, in pixels."""
    return QFontMetricsF(font).horizontalAdvance(text)


def elide(text: str, font: QFont, width: float) -> str:
    """``text`` shortened with … to fit ``width`` (what a too-long place name gets)."""
    key = (text, font.key(), width)
    shown = _elided.get(key)
    if shown is None:
        if len(_elided) > MEMO_LIMIT:
            _elided.clear()
        shown = _elided[key] = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, width))
    return shown


def overflow(box: TextBox) -> str | None:
    """Why ``box``'s text does not fit its rectangle, or None when it does."""
    metrics = QFontMetricsF(box.font)
    width = metrics.horizontalAdvance(box.text)
    if width > box.rect.width() + 0.5:
        return f"{box.text!r} needs {width:.0f} px, its box is {box.rect.width():.0f} px wide"
    if metrics.height() > box.rect.height() + 0.5:
        return f"{box.text!r} is {metrics.height():.0f} px tall, its box {box.rect.height():.0f} px"
    return None


class BoxWidget(QWidget):
    """A widget that paints the boxes ``build()`` returns, rebuilt only when marked stale.

    Its picture is kept (``frame()``); after ``stale()`` the new boxes are compared with the
    painted ones and only the pixels of boxes that changed are painted again, clipped to
    them, with every box that reaches there — the same operations as a full paint, so the
    same pixels. Beyond ``INCREMENTAL_SHARE`` of the panel it paints the whole panel.
    """

    #: Above this share of the panel's area changed, the whole panel is painted afresh.
    INCREMENTAL_SHARE = 0.6

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.scale = 1.0
        self.background = BACKGROUND
        self._layout: tuple[list[FillBox], list[TextBox]] | None = None
        self._frame: QPixmap | None = None  # the panel as last painted (None: paint it whole)
        self._painted: tuple[list[FillBox], list[TextBox]] | None = None  # the boxes in _frame
        self._painted_over: object = None
        self.frames_rendered = 0  # whole paints and partial ones (the bench counts them)
        self.partial_renders = 0
        self.scrolls = 0  # partial paints that first moved a band of the picture down
        self.dirty_area = 0  # pixels found changed at the last comparison of boxes
        self.deferred_paints = 0  # whole paints done in place, their picture left for idle time
        self._warm = False  # text pictures may serve: painted at this size and scale, not a new page
        self.idle_seconds = 0.0  # spent making those pictures when idle (the bench reports it)
        self._idle: QTimer | None = None

    def set_scale(self, scale: float) -> None:
        if not scale > 0:
            raise ValueError(f"scale must be positive, got {scale!r}")
        if scale != self.scale:
            self.scale = scale
            self.drop_caches()
            self.update()

    def px(self, size_at_1080: float) -> float:
        return size_at_1080 * self.scale

    def stale(self) -> None:
        """The content changed: rebuild the boxes at the next paint, then repaint what differs."""
        self._layout = None
        self.update()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.drop_caches()

    def drop_caches(self) -> None:
        """Forget the layout and the painted panel (a new size or scale; the cold-repaint bench)."""
        self._layout = None
        self._frame = None
        self._painted = None
        self._warm = False

    def build(self) -> tuple[list[FillBox], list[TextBox]]:
        raise NotImplementedError

    def boxes(self) -> tuple[list[FillBox], list[TextBox]]:
        if self._layout is None:
            self._layout = self.build()
        return self._layout

    def text_boxes(self) -> list[TextBox]:
        return [box for box in self.boxes()[1] if box.text]

    def texts(self) -> list[str]:
        return [box.text for box in self.text_boxes()]

    def paint_over(self, painter: QPainter) -> None:
        """What a panel draws over its boxes (the alarm's photo); part of the kept picture."""

    def over_key(self) -> object:
        """What ``paint_over`` draws, comparable: when it changes the panel is painted whole."""
        return None

    def scroll_hint(self, old: tuple[list[FillBox], list[TextBox]],
                    new: tuple[list[FillBox], list[TextBox]]) -> tuple[QRect, int] | None:
        """Where ``new`` shows ``old``'s boxes moved down: the band that moves and by how many
        pixels (widgets.wall.scroll), or None. Only a hint: whatever differs is still painted."""
        return None

    def has_frame(self) -> bool:
        """Whether the panel's picture is kept (tests wait for the idle build)."""
        return self._frame is not None and self._painted is not None

    def frame(self, defer: bool = False, idle: bool = False) -> QPixmap | None:
        """The panel's picture at its size: kept, patched where boxes changed, or painted whole.
        With ``defer`` a whole paint is not made: None says "paint in place, build it later";
        ``idle``: that later build (drawn as a plain paint: no text picture is made or looked up)."""
        dpr = self.devicePixelRatioF()
        frame, layout = self._frame, self.boxes()
        if frame is None or frame.devicePixelRatio() != dpr or frame.deviceIndependentSize().toSize() != self.size() \
                or self._painted is None or self.over_key() != self._painted_over:
            if defer:
                self._defer()
                return None
            frame = QPixmap(max(1, round(self.width() * dpr)), max(1, round(self.height() * dpr)))
            frame.setDevicePixelRatio(dpr)
            frame.fill(QColor(self.background))
            painter = QPainter(frame)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            if idle:  # the panel was just painted in place: the same operations, no bookkeeping
                blits.draw_plain(painter, *layout)
            else:
                blits.draw_cached(painter, *layout, layout, self.background, dpr)
        elif layout is not self._painted:
            assert self._painted is not None  # checked with the frame above
            dirty, moved = self._dirty_since(frame, self._painted, layout)
            self._painted = layout
            if dirty.isEmpty():
                return frame
            self.dirty_area = self._area(dirty)
            if not self._warm or self.dirty_area > self.INCREMENTAL_SHARE * self.width() * self.height():
                self._frame = None
                if defer:
                    self._defer()
                    return None
                return self.frame()
            painter = QPainter(frame)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setClipRegion(dirty)
            painter.fillRect(self.rect(), QColor(self.background))
            fills = [f for f in layout[0] if dirty.intersects(blits.extent(f))]
            texts = [t for t in layout[1] if dirty.intersects(blits.extent(t))]
            blits.draw_cached(painter, fills, texts, layout, self.background, dpr)
            self.partial_renders += 1
            self.scrolls += moved
        else:
            return frame
        self.paint_over(painter)
        painter.end()
        self._frame, self._painted, self._painted_over = frame, layout, self.over_key()
        self._warm = True
        self.frames_rendered += 1
        return frame

    def _dirty_since(self, frame: QPixmap, painted: tuple[list[FillBox], list[TextBox]],
                     layout: tuple[list[FillBox], list[TextBox]]) -> tuple[QRegion, bool]:
        """The pixels of ``frame`` (a picture of ``painted``) that do not show ``layout``, and
        whether a band of it was moved down first (``scroll_hint``)."""
        if self._mostly_new(painted, layout):  # another page: nothing kept would serve
            self._warm = False
            return QRegion(self.rect()), False
        hint = self.scroll_hint(painted, layout) if self._warm else None
        scrolled = scroll.scroll(frame, painted, *hint) if hint else None
        if scrolled is None:
            return self._changed(painted, layout), False
        shown, uncovered = scrolled
        return self._changed(shown, layout) + uncovered, True

    def _defer(self) -> None:
        """Drop the picture and make it when the event loop is next idle."""
        self._frame = self._painted = None
        self._idle = start_when_idle(self, self._idle, self._build_idle)
        self.deferred_paints += 1

    def _build_idle(self) -> None:
        if CACHED and self.isVisible() and not self.size().isEmpty() and not self.has_frame():
            start = time.perf_counter()
            self.frame(idle=True)
            self.idle_seconds += time.perf_counter() - start

    @staticmethod
    def _changed(old: tuple[list[FillBox], list[TextBox]], new: tuple[list[FillBox], list[TextBox]]) -> QRegion:
        """The pixels of every box in one layout and not in the other."""
        before = {blits.box_key(b): b for b in (*old[0], *old[1])}
        after = {blits.box_key(b): b for b in (*new[0], *new[1])}
        region = QRegion()
        for key in before.keys() ^ after.keys():
            region += blits.extent(before.get(key) or after[key])
        return region

    @staticmethod
    def _mostly_new(old: tuple[list[FillBox], list[TextBox]], new: tuple[list[FillBox], list[TextBox]]) -> bool:
        """Whether most texts of ``new`` were not in ``old`` at all (a rotation to another
        node): then no text picture is likely to serve and the panel is painted plainly."""
        before = {box.text for box in old[1]}
        texts = [box.text for box in new[1] if box.text]
        return sum(text not in before for text in texts) * 2 > len(texts)

    @staticmethod
    def _area(region: QRegion) -> int:
        return sum(r.width() * r.height() for r in region)  # type: ignore[attr-defined]  # QRegion iterates its rects

    def paintEvent(self, event) -> None:
        if not CACHED:
            self.paint_plain()
            return
        frame = self.frame(defer=True)
        if frame is None:
            self.paint_whole(self._warm)
            return
        painter = QPainter(self)
        rect = event.rect()
        dpr = frame.devicePixelRatio()
        painter.drawPixmap(rect, frame, QRectF(rect.x() * dpr, rect.y() * dpr, rect.width() * dpr,
                                               rect.height() * dpr).toRect())
        painter.end()

    def paint_whole(self, warm: bool) -> None:
        """The whole panel in place (its picture is made when idle): plainly when no text
        picture can serve (a start, a new size or scale), else through them."""
        if not warm:
            self.paint_plain()
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(self.background))
        layout = self.boxes()
        blits.draw_cached(painter, *layout, layout, self.background, self.devicePixelRatioF())
        self.paint_over(painter)
        painter.end()

    def paint_plain(self) -> None:
        """Every box drawn in place, no cache: the reference the kept picture must equal."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(self.background))
        blits.draw_plain(painter, *self.boxes())
        self.paint_over(painter)
        painter.end()


def start_when_idle(owner, timer: QTimer | None, slot) -> QTimer:
    """(Re)start ``owner``'s zero-interval single-shot timer calling ``slot`` when the loop is
    next idle (made on first use); returns it."""
    if timer is None:
        timer = QTimer(owner)
        timer.setSingleShot(True)
        timer.setInterval(0)
        timer.timeout.connect(slot)
    timer.start()
    return timer
