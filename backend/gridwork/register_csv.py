"""`gridcc-hub import register FILE.csv`: the grid register from one CSV, all or nothing.

One header, two kinds of rows (the ``kind`` column):

* ``grid``: grid, households, residents, buildings, units, businesses, grid_head, key_places
  (``name:kind`` pairs joined by ``;``), party_branch, party_secretary, party_members,
  party_groups (楼栋党小组), party_households (党员中心户);
* ``person``: grid, id, name, gender, birth_year, groups (care keys joined by ``;``), needs,
  address, id_number, phone.

The file replaces the register of every grid it has a ``grid`` row for; each person's grid
needs one. Every row is checked before anything is written; one bad row refuses the whole
file and the report lists every bad row with its line number.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from backend.gridwork.store import GridworkStore, RegisterGrid
from domain.gridwork.care import CARE_GROUPS, default_needs, visit_frequency_days
from domain.gridwork.register import CarePerson, KeyPlace, PartyOrg

COLUMNS = ("kind", "grid", "id", "name", "gender", "birth_year", "groups", "needs", "address", "id_number", "phone",
           "households", "residents", "buildings", "units", "businesses", "grid_head", "key_places",
           "party_branch", "party_secretary", "party_members", "party_groups", "party_households")
REQUIRED = ("kind", "grid")
_ID_NUMBER = re.compile(r"^[0-9]{17}[0-9X]$")
_PHONE = re.compile(r"^1[0-9]{10}$")
_GRID_INTS = ("households", "residents", "buildings", "units", "businesses", "party_members", "party_groups",
              "party_households")


class RegisterImportError(ValueError):
    """The file was refused as a whole; ``errors`` are (line, message) of every bad row."""

    def __init__(self, source: str, errors: list[tuple[int, str]]) -> None:
        self.source, self.errors = source, errors
        shown = "; ".join(f"line {n}: {m}" for n, m in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{source}: {len(errors)} bad row(s), nothing imported — {shown}{more}")


@dataclass
class ParsedRegister:
    grids: list[RegisterGrid] = field(default_factory=list)
    people: list[CarePerson] = field(default_factory=list)


def _int(row: dict, key: str, errors: list[str], required: bool = True) -> int:
    text = (row.get(key) or "").strip()
    if not text:
        if required:
            errors.append(f"{key} is empty")
        return 0
    try:
        value = int(text)
    except ValueError:
        errors.append(f"{key} {text!r} is not a whole number")
        return 0
    if value < 0:
        errors.append(f"{key} {value} is negative")
    return value


def parse_register(text: str, source: str, grid_codes: set[str]) -> ParsedRegister:
    """Check every row; raise :class:`RegisterImportError` listing each bad one."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s) {', '.join(unknown)}")
        raise RegisterImportError(source, [(1, "; ".join(problems) + f" (columns: {', '.join(COLUMNS)})")])
    out = ParsedRegister()
    bad: list[tuple[int, str]] = []
    seen_grids: dict[str, int] = {}
    seen_people: dict[str, int] = {}
    person_lines: list[tuple[int, CarePerson]] = []
    for line, row in enumerate(reader, start=2):
        errors: list[str] = []
        kind = (row.get("kind") or "").strip()
        grid = (row.get("grid") or "").strip()
        if grid not in grid_codes:
            errors.append(f"grid {grid!r} is not a grid of this city" if grid else "grid is empty")
        if kind == "grid":
            if grid in seen_grids:
                errors.append(f"grid {grid} already has a row (line {seen_grids[grid]})")
            values = {k: _int(row, k, errors, k in ("households", "residents", "buildings")) for k in _GRID_INTS}
            places = []
            for part in filter(None, (row.get("key_places") or "").split(";")):
                name, _, place_kind = part.partition(":")
                if not name.strip() or not place_kind.strip():
                    errors.append(f"key place {part!r} is not name:kind")
                places.append(KeyPlace(name=name.strip(), kind=place_kind.strip()))
            if not errors:
                seen_grids[grid] = line
                out.grids.append(RegisterGrid(
                    grid=grid, households=values["households"], residents=values["residents"],
                    buildings=values["buildings"], units=values["units"], businesses=values["businesses"],
                    grid_head=(row.get("grid_head") or "").strip(), key_places=places,
                    party=PartyOrg(branch=(row.get("party_branch") or "").strip(),
                                   secretary=(row.get("party_secretary") or "").strip(),
                                   members=values["party_members"], building_groups=values["party_groups"],
                                   central_households=values["party_households"])))
        elif kind == "person":
            pid = (row.get("id") or "").strip()
            name = (row.get("name") or "").strip()
            if not pid or len(pid) > 64:
                errors.append("id is empty" if not pid else "id is longer than 64 characters")
            elif pid in seen_people:
                errors.append(f"person {pid} already has a row (line {seen_people[pid]})")
            if not name:
                errors.append("name is empty")
            groups = tuple(g.strip() for g in (row.get("groups") or "").split(";") if g.strip())
            unknown_groups = [g for g in groups if g not in CARE_GROUPS]
            if not groups:
                errors.append("groups is empty")
            if unknown_groups:
                errors.append(f"unknown group(s) {', '.join(unknown_groups)} (known: {', '.join(CARE_GROUPS)})")
            gender = (row.get("gender") or "").strip()
            if gender not in ("", "男", "女"):
                errors.append(f"gender {gender!r} is not 男 or 女")
            birth = _int(row, "birth_year", errors, required=False) or None
            if birth is not None and not 1900 <= birth <= 2030:
                errors.append(f"birth_year {birth} is out of range")
            id_number = (row.get("id_number") or "").strip() or None
            if id_number is not None and not _ID_NUMBER.match(id_number):
                errors.append("id_number is not 18 characters (17 digits and a digit or X)")
            phone = (row.get("phone") or "").strip() or None
            if phone is not None and not _PHONE.match(phone):
                errors.append("phone is not an 11-digit mobile number")
            if not errors:
                seen_people[pid] = line
                person_lines.append((line, CarePerson(
                    id=pid, grid=grid, name=name, groups=groups,
                    needs=(row.get("needs") or "").strip() or default_needs(groups), gender=gender,
                    birth_year=birth, address=(row.get("address") or "").strip(), id_number=id_number, phone=phone,
                    frequency_days=visit_frequency_days(groups))))
        else:
            errors.append(f"kind {kind!r} is neither grid nor person")
        if errors:
            bad.append((line, "; ".join(errors)))
    for line, person in person_lines:
        if person.grid not in seen_grids:
            bad.append((line, f"person {person.id}: grid {person.grid} has no grid row in this file"))
        else:
            out.people.append(person)
    if bad:
        raise RegisterImportError(source, sorted(bad))
    if not out.grids:
        raise RegisterImportError(source, [(1, "the file has no grid rows")])
    return out


def import_register(store: GridworkStore, text: str, source: str, *, as_of: float, now: float) -> tuple[int, int]:
    """Check the whole file, then replace the register of its grids in one transaction."""
    parsed = parse_register(text, source, store.grid_codes())
    replaced = {g.grid for g in parsed.grids}
    clash = [(pid, grid) for pid, grid in store.people_elsewhere({p.id: p.grid for p in parsed.people})
             if grid not in replaced]
    if clash:
        raise RegisterImportError(source, [(0, f"person {pid} is on the register of grid {grid}, "
                                               f"which this file does not replace") for pid, grid in clash])
    return store.replace_register(parsed.grids, parsed.people, as_of=as_of, source=source, now=now)


def run_import(store, path, *, as_of: float | None = None, now: float | None = None) -> str:
    """The CLI's import: read ``path``, import it, and say what was written (or raise)."""
    import time

    text = path.read_text(encoding="utf-8-sig")
    now = time.time() if now is None else now
    grids, people = import_register(GridworkStore(store), text, str(path), as_of=as_of or now, now=now)
    stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime((as_of or now) + 8 * 3600))  # China Standard Time
    return f"imported the register of {grids} grids with {people} special-care people from {path} (data as of {stamp})"
