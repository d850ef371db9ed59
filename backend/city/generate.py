"""The demo city: a Qingdao-shaped hierarchy with outlines, grid portraits and grid workers.

Shandong 37 → Qingdao 3702 → the 10 real districts → streets/towns (the real ones when a parsed
division table is given, else generated names in the real counts) → communities/villages →
grids. Every street draws from its own ``random.Random`` seeded by (seed, street code), so the
same seed always gives byte-identical output and one street's draws never shift another's.

Outlines: a district keeps its real outline when the given divisions carry one (see
``boundaries.attach``); otherwise it gets the Voronoi cell of its real centre inside a rough
outline of Qingdao. Each level is then cut from its parent by area-balanced straight cuts
(``clip.split_shape``), so every child lies inside its parent.
"""

from __future__ import annotations

import math
import random
from typing import NamedTuple

from domain.city import CityData, GridPortrait, GridWorker, NodeInfo
from domain.hierarchy import Level, parent_of

from . import names
from .clip import split_shape, voronoi_cells
from .geometry import Shape, geometry_from_shape, representative_point, shape_area_km2, shape_from_geometry
from .portraits import CORE, TOWN, VILLAGE, Profile, draw_portrait, sum_portraits

PROVINCE = ("37", "山东省", (117.000923, 36.675807))
CITY = ("3702", "青岛市", (120.355173, 36.082982))
# code, name, real centre (lon, lat), streets (街道), towns (镇), core urban district
DISTRICTS = (
    ("370202", "市南区", (120.395966, 36.070892), 11, 0, True),
    ("370203", "市北区", (120.355026, 36.083819), 22, 0, True),
    ("370211", "黄岛区", (119.995518, 35.875138), 15, 8, True),
    ("370212", "崂山区", (120.467393, 36.102569), 5, 0, True),
    ("370213", "李沧区", (120.421236, 36.160023), 11, 0, True),
    ("370214", "城阳区", (120.389135, 36.306833), 9, 0, True),
    ("370215", "即墨区", (120.447352, 36.390847), 12, 5, False),
    ("370281", "胶州市", (120.006202, 36.285878), 9, 5, False),
    ("370283", "平度市", (119.959012, 36.788828), 7, 11, False),
    ("370285", "莱西市", (120.526226, 36.86509), 3, 8, False),
)
_CENTRES = {code: centre for code, _, centre, *_ in DISTRICTS} | {PROVINCE[0]: PROVINCE[2], CITY[0]: CITY[2]}
_CORE = {code for code, *_, core in DISTRICTS if core}
# A rough outline of Qingdao's land (lon, lat), for districts that come without a real one.
CITY_OUTLINE = [
    (120.00, 37.10), (120.55, 37.10), (120.85, 36.95), (120.95, 36.70), (120.85, 36.45), (120.70, 36.30),
    (120.65, 36.12), (120.45, 36.04), (120.30, 36.02), (120.15, 35.95), (120.05, 35.75), (119.85, 35.58),
    (119.60, 35.55), (119.50, 35.75), (119.58, 36.05), (119.65, 36.35), (119.60, 36.60), (119.75, 36.90),
]
MAX_SCALE = 4.0


def generate_city(seed: int = 2023, divisions: list[NodeInfo] | None = None, scale: float = 1.0) -> CityData:
    """Generate the demo city, deterministically from ``seed``.

    ``divisions``: parsed real divisions (province … street, e.g. ``parse_divisions`` output,
    optionally with outlines from ``boundaries.attach``); their streets are used as given.
    Without it the 10 real districts get generated street names in the real counts.
    ``scale`` (0 < scale <= 4) scales the counts: 1.0 gives about 14,000 grids and 17,000
    workers; below 1 both the streets kept per district and the communities per street shrink
    by √scale (0.02 → a few hundred grids); above 1 communities per street grow.
    """
    if not isinstance(scale, (int, float)) or not 0.0 < scale <= MAX_SCALE:
        raise ValueError(f"scale must be in (0, {MAX_SCALE}], got {scale!r}")
    top = _top_nodes(seed, divisions)
    top = _keep_streets(seed, top, scale)
    shaped = _shape_top(seed, top)

    nodes: list[NodeInfo] = list(shaped.nodes)
    raw_workers: list[tuple[str, str, bool, str]] = []
    for street in (n for n in shaped.nodes if n.level == Level.STREET):
        street_nodes, street_workers = _build_street(seed, street, shaped.shapes[street.code], scale)
        nodes.extend(street_nodes)
        raw_workers.extend(street_workers)
    workers = [
        GridWorker(id=f"GW{i:06d}", name=name, grid=grid, full_time=full_time, phone=phone)
        for i, (grid, name, full_time, phone) in enumerate(raw_workers, start=1)
    ]
    return CityData(nodes=nodes, workers=workers)


# --- province, city, districts, streets --------------------------------------------------


def _top_nodes(seed: int, divisions: list[NodeInfo] | None) -> list[NodeInfo]:
    if divisions is not None:
        deeper = [n.code for n in divisions if n.level > Level.STREET]
        if deeper:
            raise ValueError(
                f"divisions must stop at streets (communities and grids are generated); got {deeper[:3]} …"
            )
        if not any(n.level == Level.STREET for n in divisions):
            raise ValueError("divisions hold no streets to generate communities under")
        return sorted(divisions, key=lambda n: n.level)  # stable: keeps file order within a level
    nodes = [
        NodeInfo(code=PROVINCE[0], name=PROVINCE[1], level=int(Level.PROVINCE), parent=None, center=PROVINCE[2]),
        NodeInfo(code=CITY[0], name=CITY[1], level=int(Level.CITY), parent=PROVINCE[0], center=CITY[2]),
    ]
    nodes += [
        NodeInfo(code=code, name=name, level=int(Level.DISTRICT), parent=CITY[0], center=centre)
        for code, name, centre, *_ in DISTRICTS
    ]
    taken: set[str] = set()
    for code, _, _, n_streets, n_towns, _ in DISTRICTS:
        rng = random.Random(f"{seed}:streets:{code}")
        numbered = _numbered(rng, [False] * n_streets, first=1, last=99) + _numbered(rng, [True] * n_towns, first=100)
        for number, town in numbered:
            name = names.unique(rng, names.street_name, taken, town)
            nodes.append(NodeInfo(code=f"{code}{number:03d}", name=name, level=int(Level.STREET), parent=code))
    return nodes


def _numbered(rng: random.Random, items: list, first: int, last: int = 999) -> list[tuple[int, object]]:
    """Sequential 3-digit numbers from ``first`` with the occasional gap, as real tables
    have; gaps stop when they would push the numbering past ``last``."""
    if first + len(items) - 1 > last:
        raise ValueError(f"{len(items)} items do not fit in the numbers {first:03d}–{last:03d}")
    out, number = [], first
    for index, item in enumerate(items):
        out.append((number, item))
        room = last - number - (len(items) - index - 1)
        number += 2 if room > 1 and rng.random() < 0.15 else 1
    return out


def _keep_streets(seed: int, top: list[NodeInfo], scale: float) -> list[NodeInfo]:
    if scale >= 1.0:
        return top
    rng = random.Random(f"{seed}:keep:{scale!r}")
    by_parent: dict[str, list[NodeInfo]] = {}
    for node in top:
        if node.level == Level.STREET:
            assert node.parent is not None  # a street sits in a district
            by_parent.setdefault(node.parent, []).append(node)
    kept: set[str] = set()
    for parent in sorted(by_parent):
        streets = by_parent[parent]
        k = max(1, round(len(streets) * math.sqrt(scale)))
        kept.update(n.code for n in rng.sample(streets, k))
    return [n for n in top if n.level != Level.STREET or n.code in kept]


class _Shaped(NamedTuple):
    nodes: list[NodeInfo]  # province … streets, with outlines and centres
    shapes: dict[str, Shape]  # code → outline, for cutting the next level


def _shape_top(seed: int, top: list[NodeInfo]) -> _Shaped:
    """Give districts and streets outlines and centres (real ones kept), the city their union."""
    shapes: dict[str, Shape] = {n.code: shape_from_geometry(n.geometry) for n in top if n.geometry}
    districts = [n for n in top if n.level == Level.DISTRICT]
    synthetic = [d for d in districts if d.code not in shapes]
    if synthetic:
        sites = []
        for d in synthetic:
            centre = d.center or _CENTRES.get(d.code)
            if centre is None:
                raise ValueError(f"district {d.code} ({d.name}) has neither an outline nor a known centre; "
                                 "attach boundaries first")
            sites.append(centre)
        for d, cell in zip(synthetic, voronoi_cells([[list(CITY_OUTLINE)]], sites), strict=True):
            shapes[d.code] = cell
    rng = random.Random(f"{seed}:street-shapes")
    for d in districts:
        streets = [n for n in top if n.parent == d.code and n.code not in shapes]
        weights = [(3.0 if s.name.endswith("镇") else 1.0) * rng.lognormvariate(0.0, 0.3) for s in streets]
        for street, piece in zip(streets, split_shape(shapes[d.code], weights), strict=True):
            shapes[street.code] = piece
    for n in top:
        if n.level == Level.CITY and n.code not in shapes:
            parts = [p for d in districts if d.parent == n.code for p in shapes[d.code]]
            if parts:
                shapes[n.code] = parts
    out = []
    for n in top:
        shape = shapes.get(n.code)
        geometry = n.geometry if n.geometry or shape is None else geometry_from_shape(shape)
        center = n.center or _CENTRES.get(n.code) or (representative_point(shape) if shape else None)
        out.append(NodeInfo(code=n.code, name=n.name, level=n.level, parent=n.parent, center=center,
                            geometry=geometry, portrait=n.portrait))
    return _Shaped(out, shapes)


# --- communities, grids, workers ---------------------------------------------------------


def _build_street(
    seed: int, street: NodeInfo, shape: Shape, scale: float
) -> tuple[list[NodeInfo], list[tuple[str, str, bool, str]]]:
    rng = random.Random(f"{seed}:{street.code}")
    district = parent_of(street.code)
    town = street.name.endswith("镇")
    core = district in _CORE
    plan = _plan_communities(rng, town, core, scale)

    taken: set[str] = set()
    communities = []  # (code, name, profile, n_grids, weight)
    # Statistical codes number 居委会 (社区) from 001 and 村委会 (村) from 201.
    numbers = {False: iter(_numbered(rng, plan, first=1, last=199)), True: iter(_numbered(rng, plan, first=201))}
    for village, profile in plan:
        number, _ = next(numbers[village])
        name = names.unique(rng, names.village_name if village else names.community_name, taken)
        n_grids = _grids_per_community(rng, village, profile)
        weight = (3.0 if village else 1.0) * rng.lognormvariate(0.0, 0.35)
        communities.append((f"{street.code}{number:03d}", name, profile, n_grids, weight))

    nodes: list[NodeInfo] = []
    workers: list[tuple[str, str, bool, str]] = []
    pieces = split_shape(shape, [c[4] for c in communities])
    for (code, name, profile, n_grids, _), piece in zip(communities, pieces, strict=True):
        grid_pieces = split_shape(piece, [rng.lognormvariate(0.0, 0.3) for _ in range(n_grids)])
        grids, portraits = [], []
        for g, grid_shape in enumerate(grid_pieces, start=1):
            grid_code = f"{code}{g:03d}"
            portrait = draw_portrait(rng, profile, shape_area_km2(grid_shape))
            portraits.append(portrait)
            grids.append(NodeInfo(
                code=grid_code, name=f"{name}第{g}网格", level=int(Level.GRID), parent=code,
                center=representative_point(grid_shape), geometry=geometry_from_shape(grid_shape), portrait=portrait,
            ))
            workers.extend(_workers(rng, grid_code, profile, portrait))
        nodes.append(NodeInfo(
            code=code, name=name, level=int(Level.COMMUNITY), parent=street.code, center=representative_point(piece),
            geometry=geometry_from_shape(piece), portrait=sum_portraits(portraits),
        ))
        nodes.extend(grids)
    return nodes, workers


def _plan_communities(rng: random.Random, town: bool, core: bool, scale: float) -> list[tuple[bool, Profile]]:
    """(is_village, profile) per community: towns are mostly villages around a seat or two;
    county-level streets mix communities and villages; core urban streets are all communities."""
    if town:
        n = _clamp(round(28 * rng.lognormvariate(0.0, 0.3)), 5, 40)
    elif core:
        n = _clamp(round(12 * rng.lognormvariate(0.0, 0.4)), 5, 40)
    else:
        n = _clamp(round(17 * rng.lognormvariate(0.0, 0.4)), 5, 40)
    if scale < 1.0:
        n = max(1, round(n * math.sqrt(scale)))
    elif scale > 1.0:
        n = min(160, round(n * scale))
    seats = 1 + (rng.random() < 0.5)  # a town's seat has one or two 社区
    plan = []
    for i in range(n):
        if town:
            plan.append((False, TOWN) if i < seats else (True, VILLAGE))
        elif core:
            plan.append((False, CORE))
        else:
            plan.append((True, VILLAGE) if rng.random() < 0.35 else (False, TOWN))
    return plan


def _grids_per_community(rng: random.Random, village: bool, profile: Profile) -> int:
    median = 3.7 if village else 7.5 if profile is CORE else 6.0
    return _clamp(round(median * rng.lognormvariate(0.0, 0.25)), 3, 10)


def _workers(
    rng: random.Random, grid: str, profile: Profile, portrait: GridPortrait
) -> list[tuple[str, str, bool, str]]:
    """One grid worker per grid, a second for larger grids; villages lean on part-timers."""
    full_share = 0.85 if profile is CORE else 0.7 if profile is TOWN else 0.55
    count = 1 + (rng.random() < min(0.7, portrait.households / 1500.0))
    out = []
    for k in range(count):
        full_time = rng.random() < (full_share if k == 0 else 0.3)
        out.append((grid, names.person_name(rng), full_time, names.masked_phone(rng)))
    return out


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
