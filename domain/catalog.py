"""The category catalog: kinds, classes and items (部件/事件, 大类/小类), their limits, and departments.

The catalog is data (``resources/catalog/catalog.toml``, format described in its header and
in :mod:`domain.catalog_file`) so that a city can change a limit or add an item without a
release. Everything is validated on load, because a typo in a limit would otherwise surface
weeks later as a wrong overdue alarm.

Codes follow GB/T 30428.2 (管理部件和事件): a class code is the kind digit (1 部件, 2 事件)
followed by the standard's two-digit 大类 code, an item code is its class code followed by
the two-digit 小类 code, and a condition code (立案条件) is its item code followed by two
digits. Items whose code changed stay as retired aliases (``replaced_by``) so that old cases
keep their names; no new case may be reported under a retired item.

Lookups for pickers and forms: :meth:`Catalog.kinds`, :meth:`Catalog.classes_of`,
:meth:`Catalog.items_of`, :meth:`Catalog.search`, :meth:`Catalog.conditions_of`,
:meth:`Catalog.stage_limits`, :meth:`Catalog.current`.
"""

from __future__ import annotations

import pathlib

from domain import datafiles
from domain.catalog_file import parse
from domain.catalog_items import (
    DEFAULT_ACCEPT,
    DEFAULT_DISPATCH,
    DEFAULT_VERIFY,
    DEPARTMENT_KINDS,
    KINDS,
    CatalogError,
    Category,
    Condition,
    Department,
)
from domain.model import SlaLimit, StageLimits, Urgency

__all__ = [
    "DEFAULT_ACCEPT", "DEFAULT_DISPATCH", "DEFAULT_VERIFY", "DEPARTMENT_KINDS", "KINDS", "Catalog", "CatalogError",
    "Category", "Condition", "Department", "load_catalog", "parse_catalog",
]


class Catalog:
    """Lookups over validated catalog data; build it with :func:`parse_catalog` or :func:`load_catalog`."""

    def __init__(
        self,
        classes: dict[str, str],
        categories: dict[str, Category],
        departments: dict[str, Department],
        class_kinds: dict[str, str] | None = None,
    ) -> None:
        self.classes = classes  # class code → name, in file order
        self.categories = categories  # item code → item, active and retired
        self.departments = departments
        self.class_kinds = class_kinds or {code: "event" for code in classes}

    # ---- items -----------------------------------------------------------------------------
    def category(self, code: str) -> Category:
        try:
            return self.categories[code]
        except (KeyError, TypeError):
            raise CatalogError(f"unknown category {code}") from None

    def current(self, code: str) -> Category:
        """The active item ``code`` stands for: itself, or what its retired alias was replaced by."""
        category = self.category(code)
        seen = {code}
        while category.replaced_by is not None and category.replaced_by not in seen:
            seen.add(category.replaced_by)
            category = self.category(category.replaced_by)
        return category

    def active(self) -> list[Category]:
        """Every item a new case may be reported under, in code order."""
        return sorted((c for c in self.categories.values() if not c.retired), key=lambda c: c.code)

    def limit(self, code: str, urgency: Urgency | str) -> SlaLimit:
        category = self.category(code)
        try:
            return category.limits[Urgency(urgency)]
        except ValueError:
            known = ", ".join(u.value for u in Urgency)
            raise CatalogError(f"unknown urgency {urgency!r}; known: {known}") from None

    def conditions_of(self, code: str) -> tuple[Condition, ...]:
        """The 立案/结案条件 of an item (empty when the catalog gives none)."""
        return self.category(code).conditions

    def condition(self, code: str, condition: str) -> Condition:
        for cond in self.category(code).conditions:
            if cond.code == condition:
                return cond
        raise CatalogError(f"item {code} has no condition {condition}")

    def stage_limits(self, code: str, urgency: Urgency | str, condition: str | None = None) -> StageLimits:
        """The four step limits of an item at an urgency; a condition may set its own 处置 limit."""
        category = self.category(code)
        handle = self.limit(code, urgency)
        if condition is not None:
            handle = self.condition(code, condition).handle or handle
        return StageLimits(accept=category.accept, dispatch=category.dispatch, handle=handle, verify=category.verify)

    # ---- grouping --------------------------------------------------------------------------
    def kinds(self) -> list[tuple[str, str]]:
        """(kind, Chinese name) of the kinds that have classes: ``[("component", "部件"), ("event", "事件")]``."""
        present = set(self.class_kinds.values())
        return [(kind, name) for kind, (_, name) in KINDS.items() if kind in present]

    def kind_of(self, code: str) -> str:
        """The kind of an item code or class code."""
        if code in self.class_kinds:
            return self.class_kinds[code]
        return self.category(code).kind

    def classes_of(self, kind: str) -> list[tuple[str, str]]:
        """(code, name) of the classes of one kind, in code order."""
        if kind not in KINDS:
            raise CatalogError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
        return sorted((code, self.classes[code]) for code, k in self.class_kinds.items() if k == kind)

    def items_of(self, class_code: str, *, retired: bool = True) -> list[Category]:
        """The items of one class, in code order; ``retired=False`` leaves retired ones out."""
        if class_code not in self.classes:
            raise CatalogError(f"unknown category class {class_code}")
        items = (c for c in self.categories.values() if c.class_code == class_code and (retired or not c.retired))
        return sorted(items, key=lambda c: c.code)

    def search(self, text: str, *, retired: bool = False) -> list[Category]:
        """Active items whose code, name, class name or a condition contains ``text`` (case-insensitive).

        Ranked: code prefix, then name, then class name, then condition text; code order within.
        An empty ``text`` gives every active item.
        """
        needle = text.strip().casefold()
        ranked: list[tuple[int, str, Category]] = []
        for item in self.categories.values():
            if item.retired and not retired:
                continue
            if item.code.startswith(needle) or item.name.casefold().startswith(needle):
                rank = 0
            elif needle in item.name.casefold():
                rank = 1
            elif needle in item.class_name.casefold():
                rank = 2
            elif any(needle in c.filing.casefold() for c in item.conditions):
                rank = 3
            else:
                continue
            ranked.append((rank, item.code, item))
        return [item for _, _, item in sorted(ranked, key=lambda r: (r[0], r[1]))]

    # ---- departments -----------------------------------------------------------------------
    def department(self, code: str) -> Department:
        try:
            return self.departments[code]
        except (KeyError, TypeError):
            raise CatalogError(f"unknown department {code}") from None


def load_catalog(path: pathlib.Path | str | None = None) -> Catalog:
    """Read and validate a catalog file; by default the shipped ``resources/catalog/catalog.toml``."""
    return datafiles.load(path, "catalog.toml", parse_catalog, CatalogError, "catalog")


def parse_catalog(text: str, source: str) -> Catalog:
    """Validate catalog TOML text; ``source`` names it in error messages."""
    classes, categories, departments, class_kinds = parse(text, source)
    return Catalog(classes, categories, departments, class_kinds)
