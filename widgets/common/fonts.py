"""A font that can draw Chinese, for places that do not inherit the app font (chart axes).

Without a CJK family Qt falls back per glyph on desktops, but pyqtgraph measures tick
labels with the axis font, so a CJK family is chosen explicitly when one is installed.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QFont, QFontDatabase

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
)


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The first installed family from ``CJK_FAMILIES``, or None (needs a QGuiApplication)."""
    installed = set(QFontDatabase.families())
    return next((family for family in CJK_FAMILIES if family in installed), None)


def cjk_font(point_size: float = 0) -> QFont:
    """A CJK-capable font if one is installed, else the application's default font."""
    family = cjk_family()
    font = QFont(family) if family else QFont()
    if point_size > 0:
        font.setPointSizeF(point_size)
    return font
