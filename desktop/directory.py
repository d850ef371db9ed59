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
from domain.hierarchy import LEVEL_OWNERS, LEVEL_OWNERS_EN, CodeError, Hierarchy, level_of, lineage


@functools.cache
def english_names() -> dict[str, dict[str, str]]:
    """resources/catalog/catalog_en.toml: {"department": {code: name}, "kind", "class", "category", "condition"}."""
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
        self._catalog_departments = catalog.departments  # names for departments an old store lacks
        self.catalog = catalog
        self.root = root
        self.user_names: dict[str, str] = {}  # user id -> name, as users_request answers come in (指派)

    # ---- widgets.common.names.Names -------------------------------------------------------------
    def category_name(self, code: str) -> str:
        """The item's name; a retired code (an old case) keeps the name it had."""
        english = self._en.get("category", {}).get(code)
        if english:
            return english
        category = self.catalog.categories.get(code)
        return category.name if category else code

    def class_name(self, code: str) -> str:
        return self._en.get("class", {}).get(code) or self.catalog.classes.get(code, code)

    def kind_name(self, kind: str) -> str:
        """部件 or 事件 (Component or Event in English)."""
        from domain.catalog import KINDS

        return self._en.get("kind", {}).get(kind) or (KINDS[kind][1] if kind in KINDS else kind)

    def category_group(self, code: str) -> str:
        """Kind and class of an item, e.g. "部件 / 公用设施", for pickers and filters."""
        category = self.catalog.categories.get(code)
        if category is None:
            return ""
        return f"{self.kind_name(category.kind)} / {self.class_name(category.class_code)}"

    def condition_name(self, category: str, condition: str | None = None) -> str:
        """The 立案条件 text of one of an item's conditions; the code when unknown.

        Called with one code, it is the condition's (item code + 2 digits).
        """
        if condition is None:
            category, condition = category[:5], category
        english = self._en.get("condition", {}).get(condition)
        if english:
            return english
        item = self.catalog.categories.get(category)
        found = next((c for c in item.conditions if c.code == condition), None) if item else None
        return found.filing if found else condition

    def node_name(self, code: str) -> str:
        return self.hierarchy.name(code)

    def node_path(self, code: str) -> str:
        names = [self.hierarchy.name(c) for c in lineage(code) if len(c) > len(self.root) or c == self.root]
        return " / ".join(names)

    def owner_name(self, code: str) -> str:
        """Who holds a case at node ``code``: "浮山所社区 网格长", "香港中路街道 街道网格化服务管理中心"."""
        try:
            level = level_of(code)
        except CodeError:
            return code
        owners = LEVEL_OWNERS_EN if self.english else LEVEL_OWNERS
        return f"{self.node_name(code)} {owners[level]}"

    def user_name(self, user_id: str) -> str:
        """A person's name when a users answer named them (the handler of a case), else the id."""
        return self.user_names.get(user_id, user_id)

    def department_name(self, code: str) -> str:
        english = self._en.get("department", {}).get(code or "")
        if english:
            return english
        dept = self.departments.get(code) or self._catalog_departments.get(code)
        return dept.name if dept else (code or "")

    # ---- lookups ----------------------------------------------------------------------------
    def children(self, code: str) -> list[str]:
        return self.hierarchy.children(code) if code in self.hierarchy else []

    def portrait(self, code: str) -> GridPortrait | None:
        return self.portraits.get(code)

    def department_choices(self) -> list[tuple[str, str]]:
        return [(code, self.department_name(code)) for code in self.departments]
