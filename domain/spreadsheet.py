"""Cells for files people open in spreadsheets (CSV exports).

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula, so a place name or a free-text field
such as ``=cmd|' /C calc'!A0`` would run when the export is opened. :func:`safe_cell`
prefixes such text with a single quote, which every spreadsheet shows as text. Every CSV
writer applies it to every cell it writes.
"""

from __future__ import annotations

from typing import Any

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` made safe for a spreadsheet: text starting like a formula gets a leading ``'``.

    Numbers, None and other non-text values are returned unchanged (a negative number is
    a number, not a formula); so is text that already is harmless.
    """
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


__all__ = ["FORMULA_LEADS", "safe_cell"]
