"""The city in the database: nodes, grid workers and departments.

Imports are all-or-nothing: every row is checked before anything is written and the
caller runs the whole import in one transaction, so a bad node leaves nothing behind.
Importing again updates rows in place (same code, new name or outline).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec
from sqlalchemy import BindParameter, Table, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from backend.store.models import DepartmentRow, GridWorkerRow, NodeRow
from domain.catalog import Department
from domain.city import CityData, GridWorker, NodeInfo
from domain.hierarchy import Level, level_of, parent_of

_PLURAL = {Level.PROVINCE: "provinces", Level.CITY: "cities", Level.DISTRICT: "districts",
           Level.STREET: "streets", Level.COMMUNITY: "communities", Level.GRID: "grids"}


class CityImportError(ValueError):
    """An import refused as a whole; the message names the offending row."""


def _json(value: Any) -> str | None:
    return None if value is None else msgspec.json.encode(value).decode()


def _node_values(node: NodeInfo) -> dict[str, Any]:
    where = f"node {node.code!r} ({node.name!r})"
    try:
        level = level_of(node.code)
    except ValueError as exc:
        raise CityImportError(f"{where}: {exc}") from None
    if not isinstance(node.name, str) or not node.name.strip():
        raise CityImportError(f"{where}: name is empty")
    if int(node.level) != int(level):
        raise CityImportError(
            f"{where}: level {int(node.level)} does not match its {len(node.code)}-digit code "
            f"(level {int(level)}, {level.name.lower()})"
        )
    if node.parent != parent_of(node.code):
        raise CityImportError(f"{where}: parent {node.parent!r} is not the code's prefix {parent_of(node.code)!r}")
    lon = lat = None
    if node.center is not None:
        lon, lat = node.center
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            raise CityImportError(f"{where}: center {node.center!r} is not a (lon, lat) pair in degrees")
    return {
        "code": node.code,
        "name": node.name.strip(),
        "level": int(level),
        "parent_code": node.parent,
        "center_lon": lon,
        "center_lat": lat,
        "geometry": _json(node.geometry),
        "portrait": _json(node.portrait),
    }


def _upsert(conn: Connection, table: Table, key: str, rows: list[dict[str, Any]], existing: set[str]) -> None:
    """Insert new rows and update existing ones, each group in one executemany, in ``rows`` order."""
    new = [r for r in rows if r[key] not in existing]
    old = [{"_key": r[key], **{f"v_{c}": v for c, v in r.items()}} for r in rows if r[key] in existing]
    if new:
        conn.execute(insert(table), new)
    if old:
        columns: dict[str, BindParameter[Any]] = {c: bindparam(f"v_{c}") for c in rows[0] if c != key}
        conn.execute(update(table).where(table.c[key] == bindparam("_key")).values(columns), old)


def import_nodes(conn: Connection, nodes: Sequence[NodeInfo]) -> int:
    """Check and write ``nodes`` (parents before children, or already stored). Returns how many."""
    existing = set(conn.execute(select(NodeRow.code)).scalars())
    seen: set[str] = set()
    rows = []
    for node in sorted(nodes, key=lambda n: len(n.code) if isinstance(n.code, str) else 0):
        if not isinstance(node, NodeInfo):
            raise CityImportError(f"expected domain.city.NodeInfo, got {type(node).__name__}")
        values = _node_values(node)
        if node.code in seen:
            raise CityImportError(f"node {node.code!r} ({node.name!r}) appears twice in the import")
        if node.parent is not None and node.parent not in seen and node.parent not in existing:
            raise CityImportError(f"node {node.code!r} ({node.name!r}): its parent {node.parent} is not present")
        seen.add(node.code)
        rows.append(values)
    if rows:
        _upsert(conn, NodeRow.__table__, "code", rows, existing)
    return len(rows)


def import_workers(conn: Connection, workers: Sequence[GridWorker]) -> int:
    grids = set(conn.execute(select(NodeRow.code).where(NodeRow.level == int(Level.GRID))).scalars())
    existing = set(conn.execute(select(GridWorkerRow.id)).scalars())
    seen: set[str] = set()
    rows = []
    for w in workers:
        where = f"grid worker {w.id!r} ({w.name!r})"
        if not isinstance(w.id, str) or not w.id:
            raise CityImportError(f"{where}: id is empty")
        if w.id in seen:
            raise CityImportError(f"{where} appears twice in the import")
        if w.grid not in grids:
            raise CityImportError(f"{where}: grid {w.grid!r} is not a stored grid")
        seen.add(w.id)
        rows.append({"id": w.id, "name": w.name, "grid_code": w.grid, "full_time": bool(w.full_time),
                     "phone": w.phone})
    if rows:
        _upsert(conn, GridWorkerRow.__table__, "id", rows, existing)
    return len(rows)


def import_city(conn: Connection, data: CityData) -> tuple[int, int]:
    return import_nodes(conn, data.nodes), import_workers(conn, data.workers)


def attach_geometry(conn: Connection, code_to_geometry: Mapping[str, dict | None]) -> int:
    """Set the outline of stored nodes; an unknown code refuses the whole batch."""
    if not code_to_geometry:
        return 0
    existing = set(conn.execute(select(NodeRow.code)).scalars())
    unknown = sorted(set(code_to_geometry) - existing)
    if unknown:
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise CityImportError(f"geometry for unknown node(s) {', '.join(unknown[:5])}{more}")
    params = [{"_key": code, "v_geometry": _json(g)} for code, g in code_to_geometry.items()]
    conn.execute(update(NodeRow.__table__).where(NodeRow.code == bindparam("_key"))
                 .values(geometry=bindparam("v_geometry")), params)
    return len(params)


def _to_node(row: Any, with_geometry: bool) -> NodeInfo:
    center = None if row.center_lon is None else (row.center_lon, row.center_lat)
    geometry = msgspec.json.decode(row.geometry) if with_geometry and row.geometry else None
    portrait = msgspec.json.decode(row.portrait) if row.portrait else None
    return msgspec.convert(
        {"code": row.code, "name": row.name, "level": row.level, "parent": row.parent_code,
         "center": center, "geometry": geometry, "portrait": portrait},
        NodeInfo,
    )


def _node_columns(with_geometry: bool) -> list:
    cols = [NodeRow.code, NodeRow.name, NodeRow.level, NodeRow.parent_code, NodeRow.center_lon,
            NodeRow.center_lat, NodeRow.portrait]
    return cols + [NodeRow.geometry] if with_geometry else cols


def nodes(conn: Connection, *, with_geometry: bool = True, scope: str = "", level: int | None = None,
          ) -> list[NodeInfo]:
    """The nodes at or under ``scope`` (all: ""), only those of ``level`` when given."""
    stmt = select(*_node_columns(with_geometry)).order_by(NodeRow.code)
    if scope:
        stmt = stmt.where(NodeRow.code.startswith(scope, autoescape=True))
    if level is not None:
        stmt = stmt.where(NodeRow.level == level)
    return [_to_node(r, with_geometry) for r in conn.execute(stmt)]


def node(conn: Connection, code: str) -> NodeInfo | None:
    row = conn.execute(select(*_node_columns(True)).where(NodeRow.code == code)).first()
    return None if row is None else _to_node(row, True)


def workers_of(conn: Connection, grid: str) -> list[GridWorker]:
    rows = conn.execute(select(GridWorkerRow).where(GridWorkerRow.grid_code == grid).order_by(GridWorkerRow.id))
    return [GridWorker(id=r.id, name=r.name, grid=r.grid_code, full_time=bool(r.full_time), phone=r.phone)
            for r in rows]


def all_workers(conn: Connection) -> list[GridWorker]:
    """Every grid worker, by grid then id (one query instead of one per grid)."""
    rows = conn.execute(select(GridWorkerRow).order_by(GridWorkerRow.grid_code, GridWorkerRow.id))
    return [GridWorker(id=r.id, name=r.name, grid=r.grid_code, full_time=bool(r.full_time), phone=r.phone)
            for r in rows]


def import_departments(conn: Connection, departments: Iterable[Department]) -> int:
    existing = set(conn.execute(select(DepartmentRow.code)).scalars())
    seen: set[str] = set()
    rows = []
    for d in departments:
        if not d.code or not d.name:
            raise CityImportError(f"department {d.code!r} ({d.name!r}): code and name are required")
        if d.code in seen:
            raise CityImportError(f"department {d.code!r} appears twice in the import")
        seen.add(d.code)
        rows.append({"code": d.code, "name": d.name, "kind": d.kind})
    if rows:
        _upsert(conn, DepartmentRow.__table__, "code", rows, existing)
    return len(rows)


def departments(conn: Connection) -> list[Department]:
    rows = conn.execute(select(DepartmentRow.code, DepartmentRow.name, DepartmentRow.kind).order_by(DepartmentRow.code))
    return [Department(code=r.code, name=r.name, kind=r.kind) for r in rows]


def counts(conn: Connection) -> dict[str, int]:
    by_level = dict(conn.execute(select(NodeRow.level, func.count()).group_by(NodeRow.level)).all())
    return {
        "nodes": sum(by_level.values()),
        **{_PLURAL[Level(level)]: n for level, n in sorted(by_level.items())},
        "grid_workers": conn.execute(select(func.count()).select_from(GridWorkerRow)).scalar_one(),
        "departments": conn.execute(select(func.count()).select_from(DepartmentRow)).scalar_one(),
    }
