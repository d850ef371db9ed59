"""The node directory the console works with: tree, names, portraits, departments.

Built from the hub's ``directory`` answer (docs/protocol.md), so a console on a
real hub and one in demo mode read names the same way.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable
from importlib import resources

from PySide6.QtCore import QLocale

from domain.catalog import Catalog, Department
from domain.city import GridPortrait, NodeInfo
from domain.hierarchy import Hierarchy, lineage


@functools.cache
def english_names() -> dict[str, dict[str, str]]:
    """resources/catalog/catalog_en.toml: {"department": {code: name}, "class": ..., "category": ...}."""
    path = resources.files("resources") / "catalog" / "catalog_en.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def ui_is_english() -> bool:
    return QLocale().language() == QLocale.Language.English


class Directory:
    """Implements widgets.common.names.Names over the hub's directory and the shipped catalog."""

    def __init__(self, nodes: Iterable[NodeInfo], departments: Iterable[Department], catalog: Catalog,
                 root: str, english: bool | None = None) -> None:
        """``english``: show the catalog's English names (default: when the UI language is English)."""
        self.english = ui_is_english() if english is None else english
        self._en = english_names() if self.english else {}
        self.hierarchy = Hierarchy()
        self.portraits: dict[str, GridPortrait] = {}
        self.centers: dict[str, tuple[float, float]] = {}
        for node in nodes:
            if node.code not in self.hierarchy:
                self.hierarchy.add(node.code, node.name)
            if node.portrait is not None:
                self.portraits[node.code] = node.portrait
            if node.center is not None:
                self.centers[node.code] = node.center
        self.departments = {d.code: d for d in departments} or dict(catalog.departments)
        self.catalog = catalog
        self.root = root

    # ---- widgets.common.names.Names -------------------------------------------------------------
    def category_name(self, code: str) -> str:
        english = self._en.get("category", {}).get(code)
        if english:
            return english
        category = self.catalog.categories.get(code)
        return category.name if category else code

    def node_name(self, code: str) -> str:
        return self.hierarchy.name(code)

    def node_path(self, code: str) -> str:
        names = [self.hierarchy.name(c) for c in lineage(code) if len(c) > len(self.root) or c == self.root]
        return " / ".join(names)

    def class_name(self, code: str) -> str:
        """A class's name (大类, the first two digits of an item code), in the UI's language."""
        english = self._en.get("class", {}).get(code)
        return english or self.catalog.classes.get(code, code)

    def condition_name(self, code: str) -> str:
        """A 立案条件's words (its item's conditions in the catalog), or the code when unknown."""
        category = self.catalog.categories.get(code[:5]) if code else None
        for cond in category.conditions if category is not None else ():
            if cond.code == code:
                return cond.filing
        return code

    def department_name(self, code: str) -> str:
        english = self._en.get("department", {}).get(code or "")
        if english:
            return english
        dept = self.departments.get(code)
        return dept.name if dept else (code or "")

    # ---- lookups ----------------------------------------------------------------------------
    def children(self, code: str) -> list[str]:
        return self.hierarchy.children(code) if code in self.hierarchy else []

    def portrait(self, code: str) -> GridPortrait | None:
        return self.portraits.get(code)

    def department_choices(self) -> list[tuple[str, str]]:
        return [(code, self.department_name(code)) for code in self.departments]
