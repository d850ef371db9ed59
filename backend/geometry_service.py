"""Outlines for the map: the hub's answer to ``geometry_request``, simplified per level and cached.

A city of 14,000 grids is a few megabytes of outlines once simplified; the answer is built
once per (scope, level, tolerance), encoded into ``geometry`` frames of at most
``GEOMETRY_CHUNK_FEATURES`` outlines, and kept (a few entries, least recently used first out).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

from backend.city.spatial import DEFAULT_TOLERANCE, GridIndex, outlines
from domain import protocol as p
from domain.commands import CommandRequest
from domain.model import Action

CACHE_ENTRIES = 16


class GeometryService:
    def __init__(self, store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._frames: OrderedDict[tuple[str, int, float], list[bytes]] = OrderedDict()
        self._index: GridIndex | None = None

    def frames(self, scope: str, level: int, tolerance: float | None = None) -> list[bytes]:
        """The encoded ``geometry`` frames for the outlines of ``level`` under ``scope``."""
        tol = DEFAULT_TOLERANCE.get(level, 0.0) if tolerance is None else float(tolerance)
        key = (scope, level, tol)
        with self._lock:
            cached = self._frames.get(key)
            if cached is not None:
                self._frames.move_to_end(key)
                return cached
        nodes = self.store.nodes(with_geometry=True, scope=scope, level=level)  # not the 14k grids' outlines
        shapes = [p.Outline(code, rings) for code, rings in outlines(nodes, tol)]
        n = p.GEOMETRY_CHUNK_FEATURES
        total = max(1, -(-len(shapes) // n))
        frames = [p.encode(p.Geometry(scope=scope, level=level, tolerance=tol, index=i, total_chunks=total,
                                      outlines=shapes[i * n:(i + 1) * n])) for i in range(total)]
        with self._lock:
            self._frames[key] = frames
            while len(self._frames) > CACHE_ENTRIES:
                self._frames.popitem(last=False)
        return frames

    def grid_index(self) -> GridIndex:
        """Position → grid over the whole city (built on first use)."""
        with self._lock:
            if self._index is None:
                self._index = GridIndex(self.store.nodes(with_geometry=True))
            return self._index


_services: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_services_lock = threading.Lock()


def geometry_service(store) -> GeometryService:
    """The one service per store (so every session shares its cache)."""
    with _services_lock:
        service = _services.get(store)
        if service is None:
            service = _services[store] = GeometryService(store)
        return service


def place_report(store, cmd: CommandRequest) -> CommandRequest | p.CommandError:
    """A report with a position but no grid gets the grid at that position (the STRtree index), or
    an ``invalid`` answer when no grid is there. Any other command comes back unchanged."""
    args = cmd.args
    if cmd.action is not Action.REPORT or args.node is not None or args.lon is None or args.lat is None:
        return cmd
    import msgspec

    grid = geometry_service(store).grid_index().locate(args.lon, args.lat)
    if grid is None:
        return p.CommandError(command_id=cmd.id, code=p.ErrorCode.INVALID,
                              message=f"no grid lies at ({args.lon:.6f}, {args.lat:.6f}): name the grid or "
                                      "correct the position", detail={"field": "lon"})
    return msgspec.structs.replace(cmd, args=msgspec.structs.replace(args, node=grid))
