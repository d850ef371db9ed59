"""The scorecard as a CSV file (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese).

The one-page PDF needs Qt's text layout and lives in ``desktop/trainer_pdf.py``; both take
the same rows from :func:`backend.training.scorecard.row_values`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from backend.training.scorecard import COLUMNS, TraineeScore, row_values
from domain.spreadsheet import safe_cell


def write_csv(path: Path | str, scores: Iterable[TraineeScore], headers: Mapping[str, str] | None = None) -> Path:
    """Write one row per trainee under a header row; ``headers`` maps column keys to titles."""
    path = Path(path)
    headers = dict(headers or {})
    unknown = sorted(set(headers) - set(COLUMNS))
    if unknown:
        raise ValueError(f"unknown scorecard columns {unknown}; known: {', '.join(COLUMNS)}")
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([safe_cell(headers.get(key, key)) for key in COLUMNS])
        for score in scores:  # names are typed by people: neutralise formula-leading text
            values = row_values(score)
            writer.writerow([safe_cell("" if values[key] is None else values[key]) for key in COLUMNS])
    return path


__all__ = ["write_csv"]
