"""Intake from outside, as pure data and functions: Open311 (GeoReport v2) and 12345 hotline tickets.

Nothing here touches a socket, a file or the database. ``backend.intake`` reads the data
files and the store; ``backend.http`` speaks HTTP. What lives here is how outside words
map to the hub's: lifecycle states to Open311 ``open``/``closed`` with status notes, the
catalog to service definitions (with the extra attributes some categories need), a
hotline's categories, urgencies and deadlines to the catalog, times to ISO 8601, and the
fingerprint that makes a resent request one case.

Data file formats (``resources/intake/``)::

    # open311.toml: attributes and defaults of services beyond what the catalog says
    [service."20451"]
    urgency = "urgent"              # urgency of cases filed under this service (default normal)
    keywords = "电梯, 困人"
      [[service."20451".attribute]]
      code = "TRAPPED"
      datatype = "number"           # string | number | datetime | text | singlevaluelist | multivaluelist
      required = true
      description = "被困人数"
      values = [{ key = "..", name = ".." }]   # list types only

    # hotline_map.toml: the 12345 platform's words for things
    [urgency]                       # the platform's urgency words → GridCC urgency
    "一般" = "normal"
    [deadline]                      # a ticket due this soon is at least that urgent
    urgent_within_hours = 24.0
    critical_within_hours = 2.0
      [[category]]
      hotline = "城市管理/市容环卫/暴露垃圾"  # the platform's category, as it sends it
      code = "20102"                # GridCC catalog item
      urgency = "urgent"            # optional floor
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from domain.catalog import Catalog
from domain.hierarchy import CodeError, validate_code
from domain.model import TERMINAL_STATES, Case, Source, State, Urgency

CST = datetime.timezone(datetime.timedelta(hours=8))
#: How outside channels show in a case's ``source`` (see docs/intake.md).
CHANNEL_SOURCE = {"open311": Source.RESIDENT, "hotline": Source.HOTLINE}
CHANNELS = tuple(CHANNEL_SOURCE)
DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
_URGENCY_ORDER = (Urgency.NORMAL, Urgency.URGENT, Urgency.CRITICAL)
_ATTR_CODE = re.compile(r"[A-Za-z0-9_]{1,32}")


class IntakeError(ValueError):
    """An outside request that cannot become a case; ``code`` is the HTTP status to answer with."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


class DataError(ValueError):
    """An intake data file that cannot be used; the message names the file and the entry."""


# ---- times -------------------------------------------------------------------------------------
def iso(ts: float | None) -> str | None:
    """POSIX seconds as ISO 8601 in China Standard Time, e.g. 2026-03-10T10:00:00+08:00."""
    if ts is None:
        return None
    return datetime.datetime.fromtimestamp(ts, CST).isoformat(timespec="seconds")


def parse_time(text: str, field: str) -> float:
    """ISO 8601 (a time without an offset is read as CST) to POSIX seconds; IntakeError 400 if not."""
    if not isinstance(text, str) or not text.strip():
        raise IntakeError(400, f"{field} must be an ISO 8601 date-time")
    value = text.strip().replace(" ", "T", 1)
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise IntakeError(400, f"{field} {text!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CST)
    return moment.timestamp()


# ---- lifecycle → Open311 -----------------------------------------------------------------------
_NOTES = {
    State.REPORTED: "已接收，待受理 (received, awaiting acceptance)",
    State.ACCEPTED: "已立案，待派遣 (accepted, awaiting dispatch)",
    State.DISPATCHED: "已派遣至处置部门 (dispatched)",
    State.IN_PROGRESS: "处置中 (in progress)",
    State.RETURNED: "部门退回，重新派遣中 (returned by the department, being re-dispatched)",
    State.SUSPENDED: "挂账 (suspended)",
    State.RESOLVED: "处置完成，待核查 (resolved, awaiting verification)",
    State.SELF_RESOLVED: "就地解决，待核查 (resolved on the spot, awaiting verification)",
    State.CLOSED: "已结案 (closed)",
    State.REJECTED: "不予立案 (not accepted)",
    State.MERGED: "与其他诉求合并处理 (duplicate, merged)",
}


def open311_status(state: State) -> str:
    """``closed`` for finished cases (closed, rejected, merged), else ``open``."""
    return "closed" if state in TERMINAL_STATES else "open"


def status_notes(case: Case) -> str:
    """What a citizen may read about where the case stands: the state, and the reason when refused."""
    note = _NOTES[case.state]
    if case.state in (State.REJECTED, State.SUSPENDED, State.RETURNED) and case.reason:
        note += f": {case.reason}"
    if case.state is State.MERGED and case.merged_into:
        note += f": {case.merged_into}"
    return note


# ---- service definitions ---------------------------------------------------------------------------
class AttrValue(msgspec.Struct, frozen=True):
    key: str
    name: str


class Attribute(msgspec.Struct, frozen=True):
    code: str
    datatype: str
    required: bool
    description: str
    order: int
    variable: bool = True
    datatype_description: str | None = None
    values: tuple[AttrValue, ...] = ()


class Service(msgspec.Struct, frozen=True):
    code: str  # the catalog item's 5 digits
    name: str
    group: str  # the catalog class
    description: str
    urgency: Urgency = Urgency.NORMAL
    keywords: str = ""
    attributes: tuple[Attribute, ...] = ()

    @property
    def metadata(self) -> bool:
        return bool(self.attributes)


def parse_services(text: str, source: str, catalog: Catalog) -> dict[str, Service]:
    """Every active catalog item as a service, with the extras of ``open311.toml`` text.

    Retired items are not offered: no new case may be reported under them.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{source}: invalid TOML: {exc}") from None
    _only(data, {"service"}, source, "the top level")
    extras = data.get("service", {})
    if not isinstance(extras, dict):
        raise DataError(f"{source}: [service.\"CODE\"] tables expected")
    for code in extras:
        if code not in catalog.categories:
            raise DataError(f"{source}: service {code} is not a catalog item")
        if catalog.categories[code].retired:
            raise DataError(f"{source}: service {code} is a retired catalog item")
    services = {}
    for cat in catalog.active():
        code = cat.code
        extra = extras.get(code, {})
        where = f"service {code}"
        _only(extra, {"urgency", "keywords", "attribute"}, source, where)
        try:
            urgency = Urgency(extra.get("urgency", "normal"))
        except ValueError:
            raise DataError(f"{source}: {where}: unknown urgency {extra.get('urgency')!r}") from None
        attrs = tuple(_attribute(a, i, source, where) for i, a in enumerate(extra.get("attribute", [])))
        if len({a.code for a in attrs}) != len(attrs):
            raise DataError(f"{source}: {where}: duplicate attribute codes")
        services[code] = Service(code=code, name=cat.name, group=cat.class_name,
                                 description=f"{cat.class_name} / {cat.name}", urgency=urgency,
                                 keywords=str(extra.get("keywords", "")), attributes=attrs)
    return services


def _attribute(entry: Any, i: int, source: str, where: str) -> Attribute:
    where = f"{where}, attribute #{i + 1}"
    if not isinstance(entry, dict):
        raise DataError(f"{source}: {where}: must be a table")
    _only(entry, {"code", "datatype", "required", "description", "values", "datatype_description"}, source, where)
    code = entry.get("code")
    if not isinstance(code, str) or not _ATTR_CODE.fullmatch(code):
        raise DataError(f"{source}: {where}: code must be 1-32 letters, digits or _")
    datatype = entry.get("datatype")
    if datatype not in DATATYPES:
        raise DataError(f"{source}: {where}: datatype {datatype!r} must be one of {', '.join(DATATYPES)}")
    values = tuple(AttrValue(key=str(v["key"]), name=str(v["name"])) for v in entry.get("values", []))
    if datatype.endswith("list") and not values:
        raise DataError(f"{source}: {where}: a {datatype} needs values")
    return Attribute(code=code, datatype=datatype, required=bool(entry.get("required", False)),
                     description=str(entry.get("description", code)), order=i + 1, values=values,
                     datatype_description=entry.get("datatype_description"))


def check_attributes(service: Service, given: Mapping[str, list[str]]) -> dict[str, Any]:
    """The service's attributes from ``given`` (code → values as sent), typed; IntakeError 400 if wrong.

    Attributes the service does not define are left to the caller (``grid`` is one the hub
    understands for every service); missing required ones and values of the wrong type are errors.
    """
    out: dict[str, Any] = {}
    for attr in service.attributes:
        values = [v for v in given.get(attr.code, []) if v.strip()]
        if not values:
            if attr.required:
                raise IntakeError(400, f"attribute[{attr.code}] ({attr.description}) is required for service "
                                       f"{service.code}")
            continue
        keys = {v.key for v in attr.values}
        if attr.datatype == "multivaluelist":
            bad = [v for v in values if v not in keys]
            if bad:
                raise IntakeError(400, f"attribute[{attr.code}]: {bad[0]!r} is not one of {', '.join(sorted(keys))}")
            out[attr.code] = values
            continue
        if len(values) > 1:
            raise IntakeError(400, f"attribute[{attr.code}] takes one value")
        value = values[0].strip()
        if attr.datatype == "singlevaluelist" and value not in keys:
            raise IntakeError(400, f"attribute[{attr.code}]: {value!r} is not one of {', '.join(sorted(keys))}")
        if attr.datatype == "number":
            try:
                number = float(value)
            except ValueError:
                raise IntakeError(400, f"attribute[{attr.code}] must be a number, got {value!r}") from None
            if not math.isfinite(number):
                raise IntakeError(400, f"attribute[{attr.code}] must be a finite number")
        if attr.datatype == "datetime":
            parse_time(value, f"attribute[{attr.code}]")
        out[attr.code] = value
    return out


def describe(description: str, service: Service, attributes: Mapping[str, Any]) -> str:
    """The case description: what the citizen wrote, then one line per attribute, as the console shows it."""
    lines = [description.strip()] if description.strip() else []
    names = {a.code: a for a in service.attributes}
    for code, value in attributes.items():
        attr = names.get(code)
        if attr is None:
            continue
        if attr.values:
            label = {v.key: v.name for v in attr.values}
            chosen: list[str] = value if isinstance(value, list) else [str(value)]
            shown = "、".join(label.get(v, v) for v in chosen)
        else:
            shown = str(value)
        lines.append(f"【{attr.description}】{shown}")
    return "\n".join(lines)


def fingerprint(*parts: object) -> str:
    """sha256 hex of the parts: the same request sent again gives the same idempotency key."""
    raw = msgspec.json.encode([str(p) if p is not None else None for p in parts])
    return hashlib.sha256(raw).hexdigest()


def command_id(channel: str, external_id: str) -> str:
    """The command id of the report that files an outside request (1-64 characters, derived from it)."""
    return f"{channel}-{hashlib.sha256(external_id.encode('utf-8')).hexdigest()[:40]}"


# ---- hotline ------------------------------------------------------------------------------------------
class HotlineMap(msgspec.Struct, frozen=True):
    categories: dict[str, tuple[str, Urgency]]  # the platform's category → (catalog item, urgency floor)
    urgency_words: dict[str, Urgency]
    urgent_within_hours: float | None = None
    critical_within_hours: float | None = None

    def category(self, hotline_category: str) -> tuple[str, Urgency]:
        try:
            return self.categories[hotline_category.strip()]
        except KeyError:
            raise IntakeError(400, f"unknown hotline category {hotline_category!r}: map it in "
                                   "resources/intake/hotline_map.toml") from None

    def urgency(self, category_floor: Urgency, word: str | None, deadline: float | None, now: float) -> Urgency:
        """The most urgent of the category's floor, the platform's urgency word and the deadline's nearness."""
        found = [category_floor]
        if word:
            try:
                found.append(self.urgency_words.get(word.strip()) or Urgency(word.strip()))
            except ValueError:
                raise IntakeError(400, f"unknown urgency {word!r}") from None
        if deadline is not None:
            hours = (deadline - now) / 3600.0
            if self.critical_within_hours is not None and hours <= self.critical_within_hours:
                found.append(Urgency.CRITICAL)
            elif self.urgent_within_hours is not None and hours <= self.urgent_within_hours:
                found.append(Urgency.URGENT)
        return max(found, key=_URGENCY_ORDER.index)


def parse_hotline_map(text: str, source: str, catalog: Catalog) -> HotlineMap:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{source}: invalid TOML: {exc}") from None
    _only(data, {"urgency", "deadline", "category"}, source, "the top level")
    words = {}
    for word, value in data.get("urgency", {}).items():
        try:
            words[word] = Urgency(value)
        except ValueError:
            raise DataError(f"{source}: [urgency] {word!r} = {value!r} is not an urgency") from None
    deadline = data.get("deadline", {})
    _only(deadline, {"urgent_within_hours", "critical_within_hours"}, source, "[deadline]")
    categories: dict[str, tuple[str, Urgency]] = {}
    for i, entry in enumerate(data.get("category", [])):
        where = f"category #{i + 1}"
        _only(entry, {"hotline", "code", "urgency"}, source, where)
        name, code = entry.get("hotline"), entry.get("code")
        if not isinstance(name, str) or not name.strip():
            raise DataError(f"{source}: {where}: hotline must name the platform's category")
        if code not in catalog.categories:
            raise DataError(f"{source}: {where} ({name}): code {code!r} is not a catalog item")
        if catalog.categories[code].retired:
            raise DataError(f"{source}: {where} ({name}): code {code!r} is a retired catalog item")
        if name.strip() in categories:
            raise DataError(f"{source}: {where}: {name!r} is mapped twice")
        try:
            floor = Urgency(entry.get("urgency", "normal"))
        except ValueError:
            raise DataError(f"{source}: {where}: unknown urgency {entry.get('urgency')!r}") from None
        categories[name.strip()] = (code, floor)
    if not categories:
        raise DataError(f"{source}: no [[category]] entries")
    return HotlineMap(categories=categories, urgency_words=words,
                      urgent_within_hours=deadline.get("urgent_within_hours"),
                      critical_within_hours=deadline.get("critical_within_hours"))


class Ticket(msgspec.Struct, frozen=True, omit_defaults=True):
    """A 12345 hotline ticket (工单) as the platform sends it; unknown fields are ignored."""

    ticket_no: str  # 工单编号: one case per (source, ticket_no)
    category: str  # the platform's own category
    content: str  # 诉求内容
    title: str = ""
    address: str = ""
    grid: str | None = None  # an explicit grid code, when the platform knows it
    lat: float | None = None
    long: float | None = None
    caller_name: str = ""
    caller_phone: str = ""
    urgency: str | None = None
    deadline: str | None = None  # ISO 8601 办结时限
    received_at: str | None = None

    def check(self) -> None:
        if not 1 <= len(self.ticket_no.strip()) <= 64:
            raise IntakeError(400, "ticket_no must be 1-64 characters")
        if not self.content.strip():
            raise IntakeError(400, f"ticket {self.ticket_no}: content is empty")
        if (self.lat is None) != (self.long is None):
            raise IntakeError(400, f"ticket {self.ticket_no}: lat and long come together")


_ticket_decoder = msgspec.json.Decoder(Ticket)


def ticket_from_mapping(row: Mapping[str, Any]) -> Ticket:
    """A ticket from a decoded JSON object or a CSV row (empty cells are absent); IntakeError 400 if bad."""
    clean = {k: v for k, v in row.items() if k and v not in (None, "")}
    for key in ("lat", "long"):
        if isinstance(clean.get(key), str):
            try:
                clean[key] = float(clean[key])
            except ValueError:
                raise IntakeError(400, f"{key} must be a number, got {clean[key]!r}") from None
    try:
        ticket = msgspec.convert(clean, Ticket, strict=False)
    except msgspec.ValidationError as exc:
        raise IntakeError(400, f"ticket {clean.get('ticket_no', '?')}: {exc}") from None
    ticket.check()
    return ticket


def tickets_from_json(body: bytes | str) -> list[Ticket]:
    """One ticket object, a list of them, or {"tickets": [...]}; IntakeError 400 if malformed."""
    try:
        data = msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise IntakeError(400, f"malformed JSON: {exc}") from None
    if isinstance(data, dict) and "tickets" in data:
        data = data["tickets"]
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(t, dict) for t in items):
        raise IntakeError(400, "expected a ticket object, a list of them or {\"tickets\": [...]}")
    return [ticket_from_mapping(t) for t in items]


# ---- places ----------------------------------------------------------------------------------------------
def match_address(address: str, named: Iterable[tuple[str, str]]) -> str | None:
    """The code whose name occurs in ``address``, the longest name winning; None when no name does."""
    best: tuple[int, str] | None = None
    text = address.strip()
    if not text:
        return None
    for code, name in named:
        if name and name in text and (best is None or len(name) > best[0]):
            best = (len(name), code)
    return best[1] if best else None


def check_node(code: str, field: str) -> str:
    try:
        validate_code(code)
    except CodeError as exc:
        raise IntakeError(400, f"{field}: {exc}") from None
    return code


def _only(entry: Any, allowed: set[str], source: str, where: str) -> None:
    if not isinstance(entry, dict):
        raise DataError(f"{source}: {where}: must be a table")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise DataError(f"{source}: {where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")
