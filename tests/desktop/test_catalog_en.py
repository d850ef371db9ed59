"""English names for the catalog: every department, class and item has one; shown in English."""

from __future__ import annotations

from desktop.directory import Directory, english_names
from domain.rules import default_rules


def test_every_catalog_code_has_an_english_name():
    catalog = default_rules().catalog
    names = english_names()
    assert set(names["department"]) == set(catalog.departments)
    assert set(names["category"]) == set(catalog.categories)
    assert all(name and name.isascii() for group in names.values() for name in group.values())


def test_directory_shows_english_names_in_english_and_chinese_otherwise():
    catalog = default_rules().catalog
    english = Directory([], catalog.departments.values(), catalog, "", english=True)
    chinese = Directory([], catalog.departments.values(), catalog, "", english=False)
    assert english.category_name("03001") == "Missing manhole cover"
    assert english.department_name("cg") == "Urban Management"
    assert ("cg", "Urban Management") in english.department_choices()
    assert chinese.category_name("03001") == catalog.categories["03001"].name
    assert chinese.department_name("cg") == "城管"


def test_dispatch_dialog_says_deadline_once(qtbot):
    import time

    from desktop.console.actions import deadline_text
    from tests.backend_client.factories import make_case

    rules = default_rules()
    text = deadline_text(make_case(1, category="03001"), rules, time.time())
    assert "Deadline" not in text and text[:2].isdigit()
