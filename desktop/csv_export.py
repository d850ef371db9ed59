"""CSV files people open in a spreadsheet: UTF-8 with a BOM (Excel reads the Chinese), and every
cell neutralised against formula injection.

A cell starting with = + - @, a tab or a carriage return is a formula to Excel or LibreOffice
(a case description such as ``=HYPERLINK(...)`` typed by anyone who reports a case); such cells
get a leading single quote, so they are shown as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """``value`` as CSV text that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(path: Path | str, header: Sequence[object], rows: Iterable[Sequence[object]]) -> Path:
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
    return path
