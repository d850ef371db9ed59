"""Parse division outlines (a GeoJSON FeatureCollection keyed by ``properties.adcode`` or
``properties.code``, any level from province to grid) and attach them to nodes.

Outlines are checked with shapely: a self-intersecting outline is repaired (``make_valid``,
keeping its polygonal part) or, with ``repair=False``, refused with GEOS's reason; a child
lying outside its parent is reported by :func:`nesting_problems`.

Text in, structs out: the CLI reads the file, these functions only check and convert.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, TypeGuard

import msgspec

from backend.city.problems import ImportProblems
from domain.city import NodeInfo
from domain.hierarchy import CodeError, validate_code

from .geometry import centroid, point_in_polygon, representative_point, shape_area, shape_from_geometry


class BoundariesError(ImportProblems):
    """Outlines that cannot be used; ``problems`` holds one message per bad feature or code."""


class Boundary(msgspec.Struct, frozen=True):
    """One feature's outline: ``center`` is ``properties.center`` (lon, lat) when given."""

    code: str
    name: str
    geometry: dict
    center: tuple[float, float] | None = None
    repaired: str | None = None  # why the outline was invalid, when it was repaired
    index: int = 0  # the feature's number in the file, for messages


def parse_boundaries(text: str, source: str = "<geojson>", *, repair: bool = True) -> dict[str, Boundary]:
    """Map each feature's ``properties.adcode`` (as a code string) to its :class:`Boundary`.

    Every feature is checked (adcode present, valid and unique; geometry a Polygon or
    MultiPolygon of closed rings of ≥ 4 finite lon/lat positions) and all problems are
    raised together as :class:`BoundariesError`, naming the feature index and adcode.
    """
    try:
        doc = msgspec.json.decode(text.encode("utf-8") if isinstance(text, str) else text)
    except msgspec.DecodeError as exc:
        raise BoundariesError(source, [f"not valid JSON: {exc}"]) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise BoundariesError(source, ["the document must be a GeoJSON FeatureCollection"])
    features = doc.get("features")
    if not isinstance(features, list):
        raise BoundariesError(source, ["the FeatureCollection has no 'features' list"])
    problems: list[str] = []
    out: dict[str, Boundary] = {}
    for index, feature in enumerate(features):
        where = f"feature {index}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(f"{where}: not a GeoJSON Feature")
            continue
        props = feature.get("properties") or {}
        adcode = (props.get("adcode", props.get("code")) if isinstance(props, dict) else None)
        if adcode is None or isinstance(adcode, bool) or not isinstance(adcode, (int, str)):
            problems.append(f"{where}: properties.adcode is missing or not a number/string (or give properties.code)")
            continue
        code = str(adcode).strip()
        where = f"feature {index} (adcode {code})"
        try:
            validate_code(code)
        except CodeError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if code in out:
            problems.append(f"{where}: adcode {code} appears twice")
            continue
        geometry = feature.get("geometry")
        geometry_problem = _check_geometry(geometry)
        if geometry_problem:
            problems.append(f"{where}: {geometry_problem}")
            continue
        assert isinstance(geometry, dict)  # _check_geometry refused anything else
        geometry, repaired, invalid = _validity(geometry, repair)
        if invalid:
            problems.append(f"{where}: {invalid}")
            continue
        center = _center(props.get("center"))
        if props.get("center") is not None and center is None:
            problems.append(f"{where}: properties.center must be [lon, lat], got {props.get('center')!r}")
            continue
        name = props.get("name")
        out[code] = Boundary(code=code, name=name if isinstance(name, str) else "", geometry=geometry, center=center,
                             repaired=repaired, index=index)
    if problems:
        raise BoundariesError(source, problems)
    return out


def attach(
    nodes: Iterable[NodeInfo], boundaries: dict[str, Boundary], *, ignore_unknown: bool = False
) -> list[NodeInfo]:
    """Return ``nodes`` with geometry and center set from ``boundaries`` where a code matches.

    The center is the feature's ``properties.center`` when given, else a point inside the
    outline (the centroid when it lies inside). Boundary codes that name no node are an
    error (:class:`BoundariesError` lists them) unless ``ignore_unknown`` is true.
    Nodes without an outline are returned unchanged.
    """
    nodes = list(nodes)
    known = {n.code for n in nodes}
    unknown = [code for code in boundaries if code not in known]
    if unknown and not ignore_unknown:
        raise BoundariesError("attach", [f"boundary {code} names no node in the hierarchy" for code in unknown])
    out = []
    for node in nodes:
        boundary = boundaries.get(node.code)
        if boundary is None:
            out.append(node)
            continue
        center = boundary.center
        if center is None:
            center = representative_point(shape_from_geometry(boundary.geometry))
        out.append(msgspec.structs.replace(node, geometry=boundary.geometry, center=center))
    return out


def _check_geometry(geometry: object) -> str | None:
    if not isinstance(geometry, dict):
        return "geometry is missing"
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        return f"geometry type must be Polygon or MultiPolygon, got {kind!r}"
    polygons = [coords] if kind == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        return f"{kind} has no coordinates"
    for p, polygon in enumerate(polygons):
        if not isinstance(polygon, list) or not polygon:
            return f"polygon {p} has no rings"
        for r, ring in enumerate(polygon):
            if not isinstance(ring, list) or len(ring) < 4:
                return f"polygon {p} ring {r} needs at least 4 positions"
            for position in ring:
                if not _is_lonlat(position):
                    return f"polygon {p} ring {r}: {position!r} is not a [lon, lat] position"
            if ring[0][:2] != ring[-1][:2]:
                return f"polygon {p} ring {r} is not closed (first and last positions differ)"
        if shape_area([shape_from_geometry({"type": "Polygon", "coordinates": polygon})[0]]) <= 0.0:
            return f"polygon {p} has no area"
    return None


def _validity(geometry: dict, repair: bool) -> tuple[dict, str | None, str | None]:
    """(geometry, why it was repaired, why it is refused) for an outline that passed the shape checks."""
    import shapely

    geom = shapely.geometry.shape(geometry)
    if geom.is_valid:
        return geometry, None, None
    reason = shapely.is_valid_reason(geom)
    if not repair:
        return geometry, None, f"invalid outline ({reason}); fix it or import with repair"
    fixed = shapely.make_valid(geom)
    parts = [g for g in shapely.get_parts(fixed) if g.geom_type in ("Polygon", "MultiPolygon") and g.area > 0]
    if not parts:
        return geometry, None, f"invalid outline ({reason}) with no area left after repair"
    fixed = shapely.union_all(parts)
    return shapely.geometry.mapping(fixed), reason, None


def nesting_problems(boundaries: dict[str, Boundary], parent_geometry, tolerance: float = 1e-3) -> list[str]:
    """Children outside their parent: one message per outline of which more than ``tolerance`` of its
    area lies outside its parent's outline (the parent's from ``boundaries`` when it is there, else
    ``parent_geometry(code)``, which returns a GeoJSON geometry or None)."""
    import shapely

    from domain.hierarchy import parent_of

    problems = []
    shapes: dict[str, object] = {}

    def outline(code: str):
        if code not in shapes:
            b = boundaries.get(code)
            geometry = b.geometry if b is not None else parent_geometry(code)
            shapes[code] = shapely.geometry.shape(geometry) if geometry else None
        return shapes[code]

    for code, b in boundaries.items():
        parent = parent_of(code)
        if parent is None:
            continue
        outer, inner = outline(parent), outline(code)
        if outer is None or inner is None or inner.area <= 0:
            continue
        outside = inner.difference(outer).area / inner.area
        if outside > tolerance:
            problems.append(f"feature {b.index} (adcode {code}): {outside:.1%} of its area lies outside "
                            f"its parent {parent}")
    return problems


def _is_lonlat(position: object) -> TypeGuard[list[Any]]:
    if not isinstance(position, list) or len(position) < 2:
        return False
    lon, lat = position[0], position[1]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (lon, lat)):
        return False
    return -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0


def _center(value: object) -> tuple[float, float] | None:
    if value is None or not _is_lonlat(value):
        return None
    return float(value[0]), float(value[1])


__all__ = ["Boundary", "BoundariesError", "attach", "centroid", "nesting_problems", "parse_boundaries",
           "point_in_polygon"]
