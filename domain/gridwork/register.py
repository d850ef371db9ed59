"""The grid register (全息网格画像的底册): figures per grid, the special-care people, key places,
the party organisation and the grid's staff.

``RegisterFigures`` are additive, so a community's, street's or district's portrait is the
sum of its grids' (:func:`sum_figures`); the hub sums them from the store on every request.
"""

from __future__ import annotations

import msgspec

from domain.gridwork.care import CARE_KEYS


class CarePerson(msgspec.Struct, frozen=True, omit_defaults=True):
    """One person on the special-care register. ``name``/``id_number``/``phone`` are masked by role."""

    id: str
    grid: str
    name: str
    groups: tuple[str, ...]  # domain.gridwork.care keys
    needs: str = ""
    gender: str = ""  # "男" | "女"
    birth_year: int | None = None
    address: str = ""
    id_number: str | None = None
    phone: str | None = None
    frequency_days: int = 30  # days between visits


class KeyPlace(msgspec.Struct, frozen=True):
    """A place the grid watches (school, clinic, market, construction site, river bank…)."""

    name: str
    kind: str


class PartyOrg(msgspec.Struct, frozen=True, omit_defaults=True):
    """The grid's party organisation: 网格党支部, 楼栋党小组, 党员中心户."""

    branch: str = ""  # 网格党支部 name
    secretary: str = ""
    members: int = 0
    building_groups: int = 0  # 楼栋党小组
    central_households: int = 0  # 党员中心户


class StaffMember(msgspec.Struct, frozen=True, omit_defaults=True):
    """Someone who works the grid: a grid worker (网格员) or the grid head (网格长)."""

    id: str
    name: str
    grid: str
    role: str  # "worker" | "head"
    full_time: bool = True
    on_duty: bool = True
    phone: str | None = None


class RegisterFigures(msgspec.Struct, frozen=True):
    """The additive counts of one node's register."""

    grids: int = 0
    households: int = 0
    residents: int = 0
    buildings: int = 0
    units: int = 0  # 单元
    businesses: int = 0
    key_places: int = 0
    party_members: int = 0
    workers: int = 0
    special_care: dict[str, int] = {}
    care_people: int = 0  # people on the register (one person may be in several groups)


def sum_figures(parts: list[RegisterFigures]) -> RegisterFigures:
    care = {k: sum(p.special_care.get(k, 0) for p in parts) for k in CARE_KEYS}
    return RegisterFigures(
        grids=sum(p.grids for p in parts), households=sum(p.households for p in parts),
        residents=sum(p.residents for p in parts), buildings=sum(p.buildings for p in parts),
        units=sum(p.units for p in parts), businesses=sum(p.businesses for p in parts),
        key_places=sum(p.key_places for p in parts), party_members=sum(p.party_members for p in parts),
        workers=sum(p.workers for p in parts), special_care={k: v for k, v in care.items() if v},
        care_people=sum(p.care_people for p in parts),
    )
