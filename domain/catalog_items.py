"""The catalog's records: departments, kinds, conditions and items (see :mod:`domain.catalog`)."""

from __future__ import annotations

import msgspec

from domain.model import ClockKind, SlaLimit, Urgency

#: A class code is the kind digit (1 部件, 2 事件) and the standard's 大类: the first three digits of an item.
CLASS_DIGITS = 3

#: Who a department is: a government office, a property company, a social organisation, or a
#: utility company (供水, 燃气: state-owned enterprises dispatched to like an office).
DEPARTMENT_KINDS = ("government", "property", "social", "utility")

#: The standard's two kinds of matter: 部件 (city components: covers, lights, signs…) and
#: 事件 (events: rubbish, vending, disputes…), each with the digit its class codes start with.
KINDS: dict[str, tuple[str, str]] = {
    "component": ("1", "部件"),
    "event": ("2", "事件"),
}


class CatalogError(ValueError):
    """Catalog data that cannot be used, or a lookup of something it does not hold."""


class Department(msgspec.Struct, frozen=True):
    code: str  # short ASCII, e.g. "cg" for 城管
    name: str
    kind: str  # one of DEPARTMENT_KINDS


class Condition(msgspec.Struct, frozen=True):
    """One 立案条件 of an item with its 结案条件, as GB/T 30428.2 lists them per item.

    ``handle`` overrides the item's per-urgency 处置 limit when the condition has its own
    (the manhole-cover items have four conditions with four limits).
    """

    code: str  # the item code + 2 digits, e.g. "1010101"
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
    kind: str = "event"  # "component" (部件) or "event" (事件), from its class
    replaced_by: str | None = None  # a retired alias: the active item that took its place
