"""Exported CSV cells cannot run as spreadsheet formulas."""

from __future__ import annotations

import csv

from desktop.csv_export import safe_cell, write_csv


def test_formula_cells_get_a_leading_quote():
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'):
        assert safe_cell(dangerous) == "'" + dangerous
    for harmless in ("井盖缺失", "1", "", "a=b", None, 3):
        assert safe_cell(harmless) == ("" if harmless is None else str(harmless))


def test_written_file_is_utf8_with_bom_and_neutralised(tmp_path):
    path = write_csv(tmp_path / "x.csv", ["编号", "描述"], [["E1", "=cmd|' /C calc'!A0"]])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows == [["编号", "描述"], ["E1", "'=cmd|' /C calc'!A0"]]
