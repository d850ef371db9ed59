"""The node directory the console works with: tree, names, portraits, departments.

Built from the hub's ``directory`` answer (docs/protocol.md), so a console on a
real hub and one in demo mode read names the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.catalog import Catalog, Department
from domain.city import GridPortrait, NodeInfo
from domain.hierarchy import Hierarchy, lineage


class Directory:
    """Implements widgets.common.names.Names over the hub's directory and the shipped catalog."""

    def __init__(self, nodes: Iterable[NodeInfo], departments: Iterable[Department], catalog: Catalog,
                 root: str) -> None:
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
        category = self.catalog.categories.get(code)
        return category.name if category else code

    def node_name(self, code: str) -> str:
        return self.hierarchy.name(code)

    def node_path(self, code: str) -> str:
        names = [self.hierarchy.name(c) for c in lineage(code) if len(c) > len(self.root) or c == self.root]
        return " / ".join(names)

    def department_name(self, code: str) -> str:
        dept = self.departments.get(code)
        return dept.name if dept else (code or "")

    # ---- lookups ----------------------------------------------------------------------------
    def children(self, code: str) -> list[str]:
        return self.hierarchy.children(code) if code in self.hierarchy else []

    def portrait(self, code: str) -> GridPortrait | None:
        return self.portraits.get(code)

    def department_choices(self) -> list[tuple[str, str]]:
        return [(code, d.name) for code, d in self.departments.items()]
