"""Cells that a spreadsheet would run as formulas are written as text."""

from __future__ import annotations

import pytest

from domain.spreadsheet import safe_cell


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=",
                                  "=HYPERLINK(x)"])
def test_formula_leading_text_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["香港中路街道", "a=b", "", " =1", "'=1", 3, -2, 1.5, None, True])
def test_other_values_are_unchanged(value):
    assert safe_cell(value) == value
