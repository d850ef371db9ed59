"""The category catalog: classes and items (大类/小类), their SLA limits, and departments.

The catalog is data (``resources/catalog/catalog.toml``) so that a city can change
a limit or add an item without a release. Everything is validated on load, because a
typo in a limit would otherwise surface weeks later as a wrong overdue alarm.

File format::

    [[department]]
    code = "cg"            # short ASCII code used in commands and the store
    name = "城管"
    kind = "government"    # government | property | social

    [[class]]
    code = "01"            # 2 digits
    name = "市容环境"

      [[class.item]]
      code = "01001"       # 5 digits: the class code + 3 digits
      name = "暴露垃圾"
      department = "cg"    # default handling department
      normal   = { kind = "working_days",  amount = 1 }
      urgent   = { kind = "working_hours", amount = 4 }
      critical = { kind = "natural_hours", amount = 2 }
"""

from __future__ import annotations

import math
import pathlib
import re
import tomllib
from typing import Any

import msgspec

from domain import datafiles
from domain.model import ClockKind, SlaLimit, StageLimits, Urgency

DEPARTMENT_KINDS = ("government", "property", "social")

_DEPT_CODE = re.compile(r"[a-z][a-z0-9_]{0,15}")
_CLASS_CODE = re.compile(r"[0-9]{2}")
_ITEM_CODE = re.compile(r"[0-9]{5}")


class CatalogError(ValueError):
    """Catalog data that cannot be used, or a lookup of something it does not hold."""


class Department(msgspec.Struct, frozen=True):
    code: str  # short ASCII, e.g. "cg" for 城管
    name: str
    kind: str  # government | property | social


class Condition(msgspec.Struct, frozen=True):
    """One 立案条件 of an item with its 结案条件, as GB/T 30428.2 lists them per item.

    ``handle`` overrides the item's per-urgency 处置 limit when the condition has its own
    (the manhole-cover item has four conditions with four limits).
    """

    code: str  # the item code + 2 digits, e.g. "0200101"
    filing: str  # 立案条件
    closing: str = ""  # 结案条件
    handle: SlaLimit | None = None


#: The steps around 处置 when an item does not set its own: 受理 15 min, 派遣 15 min, 核查 30 min.
DEFAULT_ACCEPT = SlaLimit(kind=ClockKind.NATURAL_HOURS, amount=0.25)
DEFAULT_DISPATCH = SlaLimit(kind=ClockKind.NATURAL_HOURS, amount=0.25)
DEFAULT_VERIFY = SlaLimit(kind=ClockKind.NATURAL_HOURS, amount=0.5)


class Category(msgspec.Struct, frozen=True):
    code: str  # 5 digits: class code + item number
    name: str
    class_code: str
    class_name: str
    limits: dict[Urgency, SlaLimit]  # one per urgency
    default_department: str
    retired: bool = False  # kept so old cases stay readable; no new case may be reported under it
    conditions: tuple[Condition, ...] = ()  # 立案/结案条件, in catalog order
    accept: SlaLimit = DEFAULT_ACCEPT  # 受理 limit
    dispatch: SlaLimit = DEFAULT_DISPATCH  # 派遣 limit
    verify: SlaLimit = DEFAULT_VERIFY  # 核查/核实 limit


class Catalog:
    """Lookups over validated catalog data; build it with :func:`parse_catalog` or :func:`load_catalog`."""

    def __init__(
        self,
        classes: dict[str, str],
        categories: dict[str, Category],
        departments: dict[str, Department],
    ) -> None:
        self.classes = classes
        self.categories = categories
        self.departments = departments

    def category(self, code: str) -> Category:
        try:
            return self.categories[code]
        except (KeyError, TypeError):
            raise CatalogError(f"unknown category {code}") from None

    def limit(self, code: str, urgency: Urgency | str) -> SlaLimit:
        category = self.category(code)
        try:
            return category.limits[Urgency(urgency)]
        except ValueError:
            known = ", ".join(u.value for u in Urgency)
            raise CatalogError(f"unknown urgency {urgency!r}; known: {known}") from None

    def stage_limits(self, code: str, urgency: Urgency | str, condition: str | None = None) -> StageLimits:
        """The four step limits of an item at an urgency; a condition may set its own 处置 limit."""
        category = self.category(code)
        handle = self.limit(code, urgency)
        if condition is not None:
            for cond in category.conditions:
                if cond.code == condition:
                    handle = cond.handle or handle
                    break
            else:
                raise CatalogError(f"item {code} has no condition {condition}")
        return StageLimits(accept=category.accept, dispatch=category.dispatch, handle=handle, verify=category.verify)

    def department(self, code: str) -> Department:
        try:
            return self.departments[code]
        except (KeyError, TypeError):
            raise CatalogError(f"unknown department {code}") from None

    def items_of(self, class_code: str) -> list[Category]:
        """The items of one class, in code order."""
        if class_code not in self.classes:
            raise CatalogError(f"unknown category class {class_code}")
        return sorted((c for c in self.categories.values() if c.class_code == class_code), key=lambda c: c.code)


def load_catalog(path: pathlib.Path | str | None = None) -> Catalog:
    """Read and validate a catalog file; by default the shipped ``resources/catalog/catalog.toml``."""
    return datafiles.load(path, "catalog.toml", parse_catalog, CatalogError, "catalog")


def parse_catalog(text: str, source: str) -> Catalog:
    """Validate catalog TOML text; ``source`` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{source}: invalid TOML: {exc}") from None
    _only_keys(data, {"department", "class"}, source, "the top level")
    departments = _parse_departments(_tables(data, "department", source, "the top level"), source)
    classes: dict[str, str] = {}
    categories: dict[str, Category] = {}
    for i, entry in enumerate(_tables(data, "class", source, "the top level")):
        where = f"class #{i + 1}"
        _only_keys(entry, {"code", "name", "item"}, source, where)
        code = _code(entry, _CLASS_CODE, "2 digits", source, where)
        where = f"class {code}"
        if code in classes:
            raise CatalogError(f"{source}: {where}: duplicate class code {code}")
        classes[code] = name = _name(entry, source, where)
        items = _tables(entry, "item", source, where)
        if not items:
            raise CatalogError(f"{source}: {where} ({name}) has no items")
        for j, item in enumerate(items):
            category = _parse_item(item, code, name, departments, source, f"{where}, item #{j + 1}")
            if category.code in categories:
                raise CatalogError(f"{source}: item {category.code}: duplicate item code {category.code}")
            categories[category.code] = category
    if not classes:
        raise CatalogError(f"{source}: no [[class]] entries")
    return Catalog(classes, categories, departments)


def _parse_departments(entries: list[dict[str, Any]], source: str) -> dict[str, Department]:
    if not entries:
        raise CatalogError(f"{source}: no [[department]] entries")
    departments: dict[str, Department] = {}
    for i, entry in enumerate(entries):
        where = f"department #{i + 1}"
        _only_keys(entry, {"code", "name", "kind"}, source, where)
        code = _code(entry, _DEPT_CODE, "lowercase ASCII letters, digits or _, starting with a letter", source, where)
        where = f"department {code}"
        if code in departments:
            raise CatalogError(f"{source}: {where}: duplicate department code {code}")
        name = _name(entry, source, where)
        kind = entry.get("kind")
        if kind not in DEPARTMENT_KINDS:
            raise CatalogError(
                f"{source}: {where} ({name}): kind {kind!r} must be one of {', '.join(DEPARTMENT_KINDS)}"
            )
        departments[code] = Department(code=code, name=name, kind=kind)
    return departments


def _parse_item(
    entry: dict[str, Any], class_code: str, class_name: str, departments: dict[str, Department], source: str, where: str
) -> Category:
    _only_keys(entry, {"code", "name", "department", "retired"} | {u.value for u in Urgency}, source, where)
    code = _code(entry, _ITEM_CODE, "5 digits", source, where)
    where = f"item {code}"
    if not code.startswith(class_code):
        raise CatalogError(f"{source}: {where}: code must start with its class code {class_code}")
    name = _name(entry, source, where)
    where = f"item {code} ({name})"
    department = entry.get("department")
    if department is None:
        raise CatalogError(f"{source}: {where}: missing default department")
    if department not in departments:
        raise CatalogError(f"{source}: {where}: unknown department {department!r}")
    limits = {u: _parse_limit(entry, u, source, where) for u in Urgency}
    return Category(
        code=code,
        name=name,
        class_code=class_code,
        class_name=class_name,
        limits=limits,
        default_department=department,
        retired=entry.get("retired", False) is True,
    )


def _parse_limit(entry: dict[str, Any], urgency: Urgency, source: str, where: str) -> SlaLimit:
    key = urgency.value
    if key not in entry:
        raise CatalogError(f"{source}: {where}: missing the {key} limit")
    value = entry[key]
    if not isinstance(value, dict):
        raise CatalogError(f"{source}: {where}: {key} limit must be a table {{ kind = ..., amount = ... }}")
    _only_keys(value, {"kind", "amount"}, source, f"{where}, {key} limit")
    try:
        kind = ClockKind(value.get("kind"))
    except ValueError:
        known = ", ".join(k.value for k in ClockKind)
        raise CatalogError(
            f"{source}: {where}: {key} limit has unknown clock kind {value.get('kind')!r}; known: {known}"
        ) from None
    amount = value.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        raise CatalogError(f"{source}: {where}: {key} limit amount must be a number, got {amount!r}")
    if not math.isfinite(amount) or amount <= 0:
        raise CatalogError(f"{source}: {where}: {key} limit amount must be > 0, got {amount!r}")
    return SlaLimit(kind=kind, amount=float(amount))


def _tables(data: dict[str, Any], key: str, source: str, where: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise CatalogError(f"{source}: {where}: {key!r} must be an array of tables ([[{key}]])")
    return value


def _only_keys(entry: dict[str, Any], allowed: set[str], source: str, where: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise CatalogError(f"{source}: {where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")


def _code(entry: dict[str, Any], pattern: re.Pattern[str], shape: str, source: str, where: str) -> str:
    code = entry.get("code")
    if code is None:
        raise CatalogError(f"{source}: {where}: missing code")
    if not isinstance(code, str) or not pattern.fullmatch(code):
        raise CatalogError(f"{source}: {where}: code {code!r} must be {shape}")
    return code


def _name(entry: dict[str, Any], source: str, where: str) -> str:
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CatalogError(f"{source}: {where}: name must be a non-empty string, got {name!r}")
    return name.strip()
