"""Reading and validating the catalog file (``resources/catalog/catalog.toml``).

File format::

    [[department]]
    code = "cg"            # short ASCII code used in commands and the store
    name = "城管"
    kind = "government"    # government | property | social | utility

    [[class]]
    code = "201"           # 3 digits: kind digit (1 部件, 2 事件) + the standard's 大类 code
    name = "市容环境"
    kind = "event"         # component (部件) | event (事件); must match the first digit

      [[class.item]]
      code = "20102"       # 5 digits: the class code + the 2-digit 小类 code
      name = "暴露垃圾"
      department = "cg"    # default handling department
      normal   = { kind = "working_days",  amount = 1 }
      urgent   = { kind = "working_hours", amount = 4 }
      critical = { kind = "natural_hours", amount = 2 }
      # optional step limits (default 受理 15 min, 派遣 15 min, 核查 30 min natural):
      accept   = { kind = "natural_hours", amount = 0.25 }
      dispatch = { kind = "natural_hours", amount = 0.25 }
      verify   = { kind = "natural_hours", amount = 0.5 }
      # retired = true     # kept for old cases; no new case under it

        [[class.item.condition]]   # 立案/结案条件, as many as the standard lists
        code = "2010201"           # 7 digits: the item code + 2 digits
        filing = "…"               # 立案条件
        closing = "…"              # 结案条件
        handle = { kind = "natural_hours", amount = 2 }   # optional: its own 处置 limit

    [[retired]]            # an old code kept so old cases stay readable
    code = "01001"
    name = "暴露垃圾"       # the name it had
    replaced_by = "20102"  # the active item it became (its class, limits and department apply)
    # …or, for an item that left the catalog without a successor, its own
    # class, department and normal/urgent/critical limits, and a `note` saying where it went.
"""

from __future__ import annotations

import math
import re
import tomllib
from typing import Any

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
from domain.model import ClockKind, SlaLimit, Urgency

_DEPT_CODE = re.compile(r"[a-z][a-z0-9_]{0,15}")
_CLASS_CODE = re.compile(r"[0-9]{3}")
_ITEM_CODE = re.compile(r"[0-9]{5}")
_CONDITION_CODE = re.compile(r"[0-9]{7}")
_STEPS = {"accept": DEFAULT_ACCEPT, "dispatch": DEFAULT_DISPATCH, "verify": DEFAULT_VERIFY}
_LIMIT_KEYS = {u.value for u in Urgency}


Parsed = tuple[dict[str, str], dict[str, Category], dict[str, Department], dict[str, str]]


def parse(text: str, source: str) -> Parsed:
    """Validate catalog TOML text; ``source`` names it in error messages.

    Returns (class code → name, item code → item, department code → department, class code → kind).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{source}: invalid TOML: {exc}") from None
    _only_keys(data, {"department", "class", "retired"}, source, "the top level")
    departments = _parse_departments(_tables(data, "department", source, "the top level"), source)
    classes: dict[str, str] = {}
    class_kinds: dict[str, str] = {}
    categories: dict[str, Category] = {}
    for i, entry in enumerate(_tables(data, "class", source, "the top level")):
        where = f"class #{i + 1}"
        _only_keys(entry, {"code", "name", "kind", "item"}, source, where)
        code = _code(entry, _CLASS_CODE, "3 digits (kind digit + the standard's 2-digit class code)", source, where)
        where = f"class {code}"
        if code in classes:
            raise CatalogError(f"{source}: {where}: duplicate class code {code}")
        name = _name(entry, source, where)
        kind = entry.get("kind")
        if kind not in KINDS:
            raise CatalogError(f"{source}: {where} ({name}): kind {kind!r} must be one of {', '.join(KINDS)}")
        digit = KINDS[kind][0]
        if not code.startswith(digit):
            raise CatalogError(f"{source}: {where} ({name}): a {kind} class code must start with {digit}")
        classes[code], class_kinds[code] = name, kind
        items = _tables(entry, "item", source, where)
        if not items:
            raise CatalogError(f"{source}: {where} ({name}) has no items")
        for j, item in enumerate(items):
            category = _parse_item(item, code, name, kind, departments, source, f"{where}, item #{j + 1}")
            if category.code in categories:
                raise CatalogError(f"{source}: item {category.code}: duplicate item code {category.code}")
            categories[category.code] = category
    if not classes:
        raise CatalogError(f"{source}: no [[class]] entries")
    for i, entry in enumerate(_tables(data, "retired", source, "the top level")):
        alias = _parse_retired(entry, classes, class_kinds, categories, departments, source, f"retired #{i + 1}")
        categories[alias.code] = alias
    return classes, categories, departments, class_kinds


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


def _parse_item(entry: dict[str, Any], class_code: str, class_name: str, kind: str,
                departments: dict[str, Department], source: str, where: str) -> Category:
    _only_keys(entry, {"code", "name", "department", "retired", "condition"} | _LIMIT_KEYS | set(_STEPS),
               source, where)
    code = _code(entry, _ITEM_CODE, "5 digits", source, where)
    where = f"item {code}"
    if not code.startswith(class_code):
        raise CatalogError(f"{source}: {where}: code must start with its class code {class_code}")
    name = _name(entry, source, where)
    where = f"item {code} ({name})"
    department = _department(entry, departments, source, where)
    retired = entry.get("retired", False)
    if not isinstance(retired, bool):
        raise CatalogError(f"{source}: {where}: retired must be true or false, got {retired!r}")
    steps = {step: _parse_limit(entry, step, source, where) if step in entry else default
             for step, default in _STEPS.items()}
    return Category(
        code=code,
        name=name,
        class_code=class_code,
        class_name=class_name,
        limits={u: _parse_limit(entry, u.value, source, where) for u in Urgency},
        default_department=department,
        retired=retired,
        conditions=_parse_conditions(entry, code, source, where),
        accept=steps["accept"],
        dispatch=steps["dispatch"],
        verify=steps["verify"],
        kind=kind,
    )


def _parse_conditions(entry: dict[str, Any], item: str, source: str, where: str) -> tuple[Condition, ...]:
    conditions: list[Condition] = []
    for k, cond in enumerate(_tables(entry, "condition", source, where)):
        at = f"{where}, condition #{k + 1}"
        _only_keys(cond, {"code", "filing", "closing", "handle"}, source, at)
        code = _code(cond, _CONDITION_CODE, "7 digits (the item code + 2 digits)", source, at)
        at = f"{where}, condition {code}"
        if not code.startswith(item):
            raise CatalogError(f"{source}: {at}: code must start with its item code {item}")
        if any(c.code == code for c in conditions):
            raise CatalogError(f"{source}: {at}: duplicate condition code {code}")
        filing = cond.get("filing")
        if not isinstance(filing, str) or not filing.strip():
            raise CatalogError(f"{source}: {at}: filing (立案条件) must be a non-empty string, got {filing!r}")
        closing = cond.get("closing", "")
        if not isinstance(closing, str):
            raise CatalogError(f"{source}: {at}: closing (结案条件) must be a string, got {closing!r}")
        handle = _parse_limit(cond, "handle", source, at) if "handle" in cond else None
        conditions.append(Condition(code=code, filing=filing.strip(), closing=closing.strip(), handle=handle))
    return tuple(conditions)


def _parse_retired(entry: dict[str, Any], classes: dict[str, str], class_kinds: dict[str, str],
                   categories: dict[str, Category], departments: dict[str, Department],
                   source: str, where: str) -> Category:
    _only_keys(entry, {"code", "name", "replaced_by", "class", "department", "note"} | _LIMIT_KEYS, source, where)
    code = _code(entry, _ITEM_CODE, "5 digits", source, where)
    where = f"retired {code}"
    if code in categories:
        raise CatalogError(f"{source}: {where}: code {code} is already an item of the catalog")
    name = _name(entry, source, where)
    where = f"retired {code} ({name})"
    note = entry.get("note", "")
    if not isinstance(note, str):
        raise CatalogError(f"{source}: {where}: note must be a string, got {note!r}")
    target = entry.get("replaced_by")
    if target is not None:
        own = sorted(set(entry) & ({"class", "department"} | _LIMIT_KEYS))
        if own:
            raise CatalogError(f"{source}: {where}: {own[0]!r} cannot be given with replaced_by "
                               "(the replacing item's applies)")
        new = categories.get(target) if isinstance(target, str) else None
        if new is None:
            raise CatalogError(f"{source}: {where}: replaced_by {target!r} is not an item of the catalog")
        if new.retired:
            raise CatalogError(f"{source}: {where}: replaced_by {target} is itself retired")
        return Category(code=code, name=name, class_code=new.class_code, class_name=new.class_name,
                        limits=dict(new.limits), default_department=new.default_department, retired=True,
                        accept=new.accept, dispatch=new.dispatch, verify=new.verify, kind=new.kind,
                        replaced_by=target)
    class_code = entry.get("class")
    if class_code is None:
        raise CatalogError(f"{source}: {where}: needs replaced_by, or its own class, department and limits")
    if class_code not in classes:
        raise CatalogError(f"{source}: {where}: unknown class {class_code!r}")
    return Category(code=code, name=name, class_code=class_code, class_name=classes[class_code],
                    limits={u: _parse_limit(entry, u.value, source, where) for u in Urgency},
                    default_department=_department(entry, departments, source, where), retired=True,
                    kind=class_kinds[class_code])


def _department(entry: dict[str, Any], departments: dict[str, Department], source: str, where: str) -> str:
    department = entry.get("department")
    if department is None:
        raise CatalogError(f"{source}: {where}: missing default department")
    if department not in departments:
        raise CatalogError(f"{source}: {where}: unknown department {department!r}")
    return str(department)


def _parse_limit(entry: dict[str, Any], key: str, source: str, where: str) -> SlaLimit:
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
