"""The scorecard on one printed page (A4 landscape): title, session facts, the table, definitions.

Qt lays the text out (QTextDocument) and QPdfWriter writes it, so no new dependency is
needed. If the table would run over one page the font shrinks until it fits.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

MIN_POINT_SIZE = 5.0


def scorecard_html(title: str, facts: Sequence[str], headers: Sequence[str], rows: Sequence[Sequence[str]],
                   notes: Sequence[str]) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return (
        "<html><body>"
        f"<h2>{esc(title)}</h2>"
        + "".join(f"<p>{esc(f)}</p>" for f in facts)
        + '<table border="1" cellspacing="0" cellpadding="4" width="100%">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        + "".join(f"<p><small>{esc(n)}</small></p>" for n in notes)
        + "</body></html>"
    )


def write_pdf(path: Path | str, title: str, facts: Sequence[str], headers: Sequence[str],
              rows: Sequence[Sequence[str]], notes: Sequence[str] = (), point_size: float = 10.0) -> Path:
    """Write the one-page scorecard PDF; returns the path. Needs a QGuiApplication."""
    if any(len(row) != len(headers) for row in rows):
        raise ValueError(f"every row needs {len(headers)} cells, one per header")
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                     QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    writer.setTitle(title)
    writer.setCreator("GridCC")
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)  # measure fonts at the writer's resolution
    document.setHtml(scorecard_html(title, facts, headers, rows, notes))
    document.setPageSize(QSizeF(page.width(), page.height()))
    size = point_size
    while True:
        font = QFont()
        font.setPointSizeF(size)
        document.setDefaultFont(font)
        if document.pageCount() <= 1 or size <= MIN_POINT_SIZE:
            break
        size -= 0.5
    painter = QPainter(writer)
    try:
        document.drawContents(painter)
    finally:
        painter.end()
    return path
