"""Scenarios as data: a TOML file says how many cases come, of what kind, where, and what is injected.

Trainers write these by hand for trainer mode, so every field is checked on load and a mistake names
the file, the field and what was expected. Format (all keys but ``name`` optional)::

    name = "平常的一天"
    description = "…"
    start = "08:00"              # time of day (CST) the simulation starts at
    daily_volume = 9000          # items per day city-wide (scaled to the city's grids)
    hourly = [0.9, 0.6, …]       # 24 relative rates, 0:00 first (default: mix.HOURLY_PROFILE)

    [urgency]                    # shares, summing to 1
    normal = 0.85
    urgent = 0.12
    critical = 0.03

    [source]                     # shares, summing to 1 (default: mix.SOURCE_MIX)
    grid_worker = 0.55 …

    [categories]                 # multipliers of the base weights, by category code
    "20451" = 6.0

    [[hotspot]]                  # a node (any level) whose grids get more cases
    node = "370202"
    weight = 2.0

    [random_hotspots]            # grids picked at random (seeded) that get more
    grids = 40
    weight = 4.0

    [actors]                     # overrides of ActorParams (see below)
    return_rate = 0.03

    [[inject]]                   # a scheduled case, e.g. for a training exercise
    at = "21:05"
    day = 1                      # 1 = the first day of the run (default)
    category = "20451"
    street = "370202001"         # or grid = "…" or district = "…"; none: a random grid
    urgency = "critical"
    source = "hotline"
    description = "…"
"""

from __future__ import annotations

import math
import pathlib
import re
import tomllib
from enum import Enum
from importlib import resources
from typing import Any

import msgspec

from backend.sim import mix
from domain.catalog import Catalog
from domain.gridwork.scenario import GridworkInjection, parse_injections
from domain.hierarchy import CodeError, Level, level_of, validate_code
from domain.model import Source, Urgency

_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message names the file and the field."""


class ActorParams(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How the virtual actors behave. Shares are probabilities per case, times in minutes."""

    self_resolve: float = 0.20  # of grid-worker reports, fixed on the spot
    duplicate: float = 0.015  # of reports, a second report of a case just reported (merged)
    reject: float = 0.015  # of reports, not the platform's business (不予立案)
    operator_delay_min: float = 4.0  # median wait before the street operator reviews a report
    auto_operator_delay_min: float = 0.0  # the virtual operator never acts sooner than this
    sign_delay_min: float = 10.0  # median wait before a department signs
    handling_median: float = 0.5  # handling time, as a share of the SLA limit (per category ±0.1)
    handling_sigma: float = 0.35  # lognormal spread of that share
    return_rate: float = 0.02  # departments send back as not theirs
    extend_rate: float = 0.01  # departments ask for an extension
    suspend_rate: float = 0.006  # cases put on hold (挂账) for days
    suspend_days_min: float = 2.0
    suspend_days_max: float = 10.0
    verify_delay_min: float = 40.0  # median wait before the grid worker verifies on site
    verify_fail: float = 0.03  # verifications that fail: rework
    slow_verifier: float = 0.08  # grid workers too slow: the operator verifies instead
    operator_verify_after_min: float = 120.0
    decide_delay_min: float = 15.0  # median wait before the duty officer decides a department's request
    approve: float = 0.8  # requests approved (the rest rejected with a reason)
    co_handle: float = 0.04  # dispatched with an assisting department (协办)
    callback_delay_min: float = 240.0  # median wait after closing before the caller is called back
    dissatisfied: float = 0.06  # callbacks 不满意: the case is reopened (重办)
    fairly_satisfied: float = 0.12  # callbacks 基本满意 (the rest 满意)


_SHARES = ("self_resolve", "duplicate", "reject", "return_rate", "extend_rate", "suspend_rate", "verify_fail",
           "slow_verifier", "approve", "co_handle", "dissatisfied", "fairly_satisfied")


class Hotspot(msgspec.Struct, frozen=True):
    node: str
    weight: float


class Injection(msgspec.Struct, frozen=True):
    at: float  # seconds after midnight (CST) of day ``day``
    day: int  # 1 = the first day of the run
    category: str
    urgency: Urgency
    source: Source
    description: str = ""
    node: str | None = None  # grid, street or district code; None: a random grid


class Scenario(msgspec.Struct, frozen=True):
    name: str
    description: str
    start: float  # seconds after midnight (CST)
    daily_volume: float
    hourly: tuple[float, ...]
    urgency: dict[Urgency, float]
    source: dict[Source, float]
    categories: dict[str, float]  # multipliers by category code
    hotspots: tuple[Hotspot, ...] = ()
    random_hotspot_grids: int = 0
    random_hotspot_weight: float = 1.0
    actors: ActorParams = ActorParams()
    injections: tuple[Injection, ...] = ()
    gridwork: tuple[GridworkInjection, ...] = ()  # missed visits, meetings (domain.gridwork.scenario)
    source_file: str = ""


def scenario_dir() -> pathlib.Path:
    return pathlib.Path(str(resources.files("resources") / "scenarios"))


def list_scenarios() -> list[str]:
    """Names of the shipped scenarios."""
    return sorted(p.stem for p in scenario_dir().glob("*.toml"))


def load_scenario(name_or_path: str | pathlib.Path, catalog: Catalog) -> Scenario:
    """A shipped scenario by name (``normal_day``) or a TOML file by path, validated against ``catalog``."""
    text_path = str(name_or_path)
    if isinstance(name_or_path, pathlib.Path) or "/" in text_path or text_path.endswith(".toml"):
        path = pathlib.Path(name_or_path)
    else:
        path = scenario_dir() / f"{text_path}.toml"
        if not path.exists():
            raise ScenarioError(f"unknown scenario {text_path!r}; shipped: {', '.join(list_scenarios())}, "
                                "or give a path to a .toml file")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read scenario: {exc.strerror or exc}") from None
    return parse_scenario(text, str(path), catalog)


def parse_scenario(text: str, source: str, catalog: Catalog) -> Scenario:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: invalid TOML: {exc}") from None
    f = _Fields(source)
    f.only(data, {"name", "description", "start", "daily_volume", "hourly", "urgency", "source", "categories",
                  "hotspot", "random_hotspots", "actors", "inject", "gridwork"}, "the top level")
    name = f.text(data, "name", "the top level", required=True)
    hourly = data.get("hourly", mix.HOURLY_PROFILE)
    if not isinstance(hourly, (list, tuple)) or len(hourly) != 24:
        raise ScenarioError(f"{source}: hourly must be a list of 24 numbers (0:00 first), got {hourly!r}")
    hourly = tuple(f.number(v, f"hourly[{i}]", minimum=0.0) for i, v in enumerate(hourly))
    if sum(hourly) <= 0:
        raise ScenarioError(f"{source}: hourly must not be all zeros")
    rs = data.get("random_hotspots", {})
    f.table(rs, "random_hotspots")
    f.only(rs, {"grids", "weight"}, "random_hotspots")
    return Scenario(
        name=name,
        description=f.text(data, "description", "the top level"),
        start=f.time_of_day(data.get("start", "00:00"), "start"),
        daily_volume=f.number(data.get("daily_volume", mix.REFERENCE_VOLUME), "daily_volume", minimum=0.0,
                              positive=True),
        hourly=hourly,
        urgency=f.shares(data.get("urgency"), Urgency, mix.URGENCY_MIX, "urgency"),
        source=f.shares(data.get("source"), Source, mix.SOURCE_MIX, "source"),
        categories=_categories(f, data.get("categories", {}), catalog),
        hotspots=tuple(_hotspot(f, h, i) for i, h in enumerate(f.tables(data, "hotspot"))),
        random_hotspot_grids=int(f.number(rs.get("grids", 0), "random_hotspots.grids", minimum=0.0, integer=True)),
        random_hotspot_weight=f.number(rs.get("weight", 1.0), "random_hotspots.weight", minimum=0.0,
                                       positive=True),
        actors=_actors(f, data.get("actors", {})),
        injections=tuple(_injection(f, e, i, catalog) for i, e in enumerate(f.tables(data, "inject"))),
        gridwork=_gridwork(f, f.tables(data, "gridwork")),
        source_file=source,
    )


def _gridwork(f: _Fields, entries: list[dict]) -> tuple[GridworkInjection, ...]:
    try:
        return parse_injections(entries)
    except ValueError as exc:
        raise f.fail(str(exc)) from None


def _categories(f: _Fields, value: Any, catalog: Catalog) -> dict[str, float]:
    f.table(value, "categories")
    out = {}
    for code, multiplier in value.items():
        if code not in catalog.categories:
            raise ScenarioError(f"{f.source}: categories: unknown category code {code!r} (not in the catalog)")
        if catalog.categories[code].retired:
            raise ScenarioError(f"{f.source}: categories: category {code} is retired{_successor(catalog, code)}")
        out[code] = f.number(multiplier, f"categories.{code}", minimum=0.0)
    return out


def _successor(catalog: Catalog, code: str) -> str:
    new = catalog.categories[code].replaced_by
    return f"; use {new} ({catalog.categories[new].name})" if new else " (grid work, not an event)"


def _hotspot(f: _Fields, entry: dict, i: int) -> Hotspot:
    where = f"hotspot #{i + 1}"
    f.only(entry, {"node", "weight"}, where)
    node = f.code(entry.get("node"), f"{where}: node")
    return Hotspot(node=node, weight=f.number(entry.get("weight"), f"{where}: weight", minimum=0.0, positive=True))


def _actors(f: _Fields, value: Any) -> ActorParams:
    f.table(value, "actors")
    known = set(ActorParams.__struct_fields__)
    f.only(value, known, "actors")
    checked = {}
    for key, v in value.items():
        checked[key] = f.number(v, f"actors.{key}", minimum=0.0)
        if key in _SHARES and checked[key] > 1:
            raise ScenarioError(f"{f.source}: actors.{key} is a share and must be between 0 and 1, got {v!r}")
    params = ActorParams(**checked)
    if params.suspend_days_min > params.suspend_days_max:
        raise ScenarioError(f"{f.source}: actors.suspend_days_min must not exceed actors.suspend_days_max")
    for key in ("operator_delay_min", "sign_delay_min", "verify_delay_min", "handling_median", "handling_sigma"):
        if getattr(params, key) <= 0:
            raise ScenarioError(f"{f.source}: actors.{key} must be > 0")
    return params


def _injection(f: _Fields, entry: dict, i: int, catalog: Catalog) -> Injection:
    where = f"inject #{i + 1}"
    f.only(entry, {"at", "day", "category", "grid", "street", "district", "urgency", "source", "description"},
           where)
    places = [k for k in ("grid", "street", "district") if k in entry]
    if len(places) > 1:
        raise ScenarioError(f"{f.source}: {where}: give at most one of grid, street, district, got {places}")
    node = None
    if places:
        key = places[0]
        node = f.code(entry[key], f"{where}: {key}")
        expected = {"grid": Level.GRID, "street": Level.STREET, "district": Level.DISTRICT}[key]
        if level_of(node) != expected:
            raise ScenarioError(f"{f.source}: {where}: {key} {node!r} is a {level_of(node).name.lower()} code, "
                                f"not a {key} code")
    category = entry.get("category")
    if category not in catalog.categories:
        raise ScenarioError(f"{f.source}: {where}: unknown category {category!r} (not in the catalog)")
    if catalog.categories[category].retired:
        raise ScenarioError(f"{f.source}: {where}: category {category} is retired{_successor(catalog, category)}")
    return Injection(
        at=f.time_of_day(entry.get("at"), f"{where}: at"),
        day=int(f.number(entry.get("day", 1), f"{where}: day", minimum=1.0, integer=True)),
        category=category,
        urgency=f.enum(entry.get("urgency", "normal"), Urgency, f"{where}: urgency"),
        source=f.enum(entry.get("source", "hotline"), Source, f"{where}: source"),
        description=f.text(entry, "description", where),
        node=node,
    )


class _Fields:
    """Checks of single values; every error names the file and the field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, message: str) -> ScenarioError:
        return ScenarioError(f"{self.source}: {message}")

    def only(self, entry: dict, allowed: set[str], where: str) -> None:
        unknown = sorted(set(entry) - allowed)
        if unknown:
            raise self.fail(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")

    def table(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise self.fail(f"{where} must be a table, got {value!r}")

    def tables(self, data: dict, key: str) -> list[dict]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"{key!r} must be an array of tables ([[{key}]])")
        return value

    def text(self, entry: dict, key: str, where: str, required: bool = False) -> str:
        value = entry.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(f"{where}: {key} must be a non-empty string, got {value!r}")
        return value.strip()

    def number(self, value: Any, where: str, minimum: float, positive: bool = False, integer: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.fail(f"{where} must be a number, got {value!r}")
        if integer and value != int(value):
            raise self.fail(f"{where} must be a whole number, got {value!r}")
        if value < minimum or (positive and value <= 0):
            raise self.fail(f"{where} must be {'> 0' if positive else f'>= {minimum:g}'}, got {value!r}")
        return float(value)

    def time_of_day(self, value: Any, where: str) -> float:
        match = _TIME.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            raise self.fail(f"{where} must be a time of day \"HH:MM\" (00:00–23:59), got {value!r}")
        return int(match.group(1)) * 3600.0 + int(match.group(2)) * 60.0

    def code(self, value: Any, where: str) -> str:
        try:
            return validate_code(value)
        except CodeError as exc:
            raise self.fail(f"{where}: {exc}") from None

    def enum(self, value: Any, kind: type[Enum], where: str):
        try:
            return kind(value)
        except ValueError:
            known = ", ".join(k.value for k in kind)
            raise self.fail(f"{where}: unknown value {value!r}; known: {known}") from None

    def shares(self, value: Any, kind: type[Enum], default: dict, where: str) -> dict:
        if value is None:
            return dict(default)
        self.table(value, where)
        self.only(value, {k.value for k in kind}, where)
        out = {k: self.number(value.get(k.value, 0.0), f"{where}.{k.value}", minimum=0.0) for k in kind}
        total = sum(out.values())
        if abs(total - 1.0) > 1e-6:
            raise self.fail(f"{where}: the shares must sum to 1, they sum to {total:g}")
        return out
