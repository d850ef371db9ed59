"""What the simulator needs to know about the city: its grids, their weight, who works where.

Built from a :class:`~domain.city.CityData` (tests, demo) or read from the store (a
database someone imported or generated earlier). Reading the city is fine; changing
cases is only ever done through commands.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from domain.city import CityData, GridWorker, NodeInfo
from domain.hierarchy import Level


@dataclass
class CityView:
    grids: list[str]  # grid codes, in code order
    base_weight: list[float]  # per grid: how much happens there on an ordinary day
    names: dict[str, str]  # node code -> name, every level
    workers: dict[str, list[GridWorker]] = field(default_factory=dict)  # grid -> its workers
    streets: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, nodes: Iterable[NodeInfo], workers: Iterable[GridWorker]) -> CityView:
        nodes = list(nodes)
        grids = sorted((n for n in nodes if n.level == Level.GRID), key=lambda n: n.code)
        if not grids:
            raise ValueError("the city has no grids: import or generate a city first "
                             "(gridcc-hub import divisions FILE --grow)")
        by_grid: dict[str, list[GridWorker]] = {}
        for w in workers:
            by_grid.setdefault(w.grid, []).append(w)
        for ws in by_grid.values():
            ws.sort(key=lambda w: (not w.full_time, w.id))  # the full-time worker acts first
        return cls(
            grids=[g.code for g in grids],
            base_weight=[_grid_weight(g) for g in grids],
            names={n.code: n.name for n in nodes},
            workers=by_grid,
            streets=sorted(n.code for n in nodes if n.level == Level.STREET),
        )

    @classmethod
    def from_city(cls, city: CityData) -> CityView:
        return cls.build(city.nodes, city.workers)

    @classmethod
    def from_store(cls, store) -> CityView:
        from backend.store.models import GridWorkerRow

        nodes = store.nodes(with_geometry=False)
        with store.engine.connect() as conn:
            rows = conn.execute(select(GridWorkerRow.id, GridWorkerRow.name, GridWorkerRow.grid_code,
                                       GridWorkerRow.full_time, GridWorkerRow.phone)).all()
        workers = [GridWorker(id=r.id, name=r.name, grid=r.grid_code, full_time=bool(r.full_time), phone=r.phone)
                   for r in rows]
        return cls.build(nodes, workers)

    def worker_of(self, grid: str) -> GridWorker | None:
        ws = self.workers.get(grid)
        return ws[0] if ws else None

    def grids_under(self, code: str) -> list[int]:
        """Indexes of the grids in ``code``'s subtree (code-ordered list, so a bisect range)."""
        import bisect

        lo = bisect.bisect_left(self.grids, code)
        hi = bisect.bisect_left(self.grids, code + "\x7f")
        return list(range(lo, hi))


def _grid_weight(node: NodeInfo) -> float:
    """Residents and shops make cases; a grid without a portrait counts as an average one."""
    p = node.portrait
    if p is None:
        return 1.0
    return max(0.2, math.sqrt(max(p.residents, 0) / 1500.0) + 0.02 * max(p.shops, 0))
