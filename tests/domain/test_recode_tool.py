"""tools/recode_categories.py: old category codes in other files become the items that replaced them."""

from __future__ import annotations

from tools import recode_categories


def test_quoted_retired_codes_are_rewritten_and_others_left_alone():
    mapping = recode_categories.replacements()
    assert mapping["03001"] == "10103" and "05004" not in mapping  # work tasks have no successor
    text = 'report(category="03001"); other = "12345"; node = "370202001001001"; keep = "05004"'
    new, count = recode_categories.recode(text, mapping)
    assert count == 1
    assert new == 'report(category="10103"); other = "12345"; node = "370202001001001"; keep = "05004"'


def test_bare_codes_only_on_request(tmp_path, capsys):
    doc = tmp_path / "doc.md"
    doc.write_text("GET /services/02006.json and node 370202001001001\n", encoding="utf-8")
    assert recode_categories.main(["--check", str(doc)]) == 0  # nothing quoted
    assert recode_categories.main(["--bare", str(doc)]) == 0
    assert doc.read_text(encoding="utf-8") == "GET /services/21101.json and node 370202001001001\n"
    assert recode_categories.main(["--check", "--bare", str(doc)]) == 0
    assert "1 retired code(s)" in capsys.readouterr().out
