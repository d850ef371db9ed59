"""One copy of each code a held case repeats (grid, category, department, user ids).

A decoded case gets fresh string objects for every field, so 36k cases in 1,440 grids
hold 36k copies of the grid codes (64 bytes each), of the category codes, of the
reporters' ids... ``intern_codes`` points those fields at one shared copy
(``sys.intern``: mortal, freed when no case holds them any more). Free text
(descriptions, addresses, reasons) is left alone: it rarely repeats.

A snapshot's cases are interned this way as they are staged, and live events' cases as they
are applied. Round 5 also pointed each staged case's ``updated_at`` at its equal stamp
(``compact_case``): ~20 bytes a case for ~0.1 s more of the worker's CPU per city snapshot,
on the way to "snapshot fully applied"; dropped (``bench/ingest.py`` memory per case stays
0.63 KiB, ``bench/results/2026-12-04-round6-snap6.md``).
"""

from __future__ import annotations

import sys

from msgspec.structs import force_setattr

from domain.model import Case

#: The fields of a case whose values come from a small set (codes and user ids).
CODE_FIELDS = ("node", "category", "reported_by", "department", "assignee", "acknowledged_by", "condition")


def intern_codes(case: Case) -> Case:
    """``case`` itself, its code fields now the shared copies (the values are equal, so nothing changes)."""
    intern = sys.intern
    for name in CODE_FIELDS:
        value = getattr(case, name)
        if value is not None:
            shared = intern(value)
            if shared is not value:
                force_setattr(case, name, shared)
    return case
