"""The simulator's camera: synthetic photos attached to simulated cases, as field staff would.

A grid worker photographs the problem when reporting, the department photographs its result
before resolving, and the worker or operator photographs the site again before a passing
verification. Cases under ``scope`` (a node code or several: where people look) get a photo
of their own, drawn with the capture time and the grid's name burnt in (about 0.1 s each);
with ``everywhere`` every other case gets a stock photo of its category class and stage
(drawn once, stored once, no watermark and no EXIF time), so a hub that enforces the
evidence rules sees its simulated cases through. ``budget`` caps the photos drawn.
"""

from __future__ import annotations

import random

from backend.evidence.service import Evidence
from backend.evidence.synthetic import synthetic_photo
from domain.model import Attachment, Case, Stage


class Photographer:
    def __init__(self, evidence: Evidence, store, scope: str | tuple[str, ...], *, everywhere: bool = False,
                 budget: int | None = None, seed: int = 7) -> None:
        self.evidence, self.store = evidence, store
        self.scopes = (scope,) if isinstance(scope, str) else tuple(scope)
        self.everywhere = everywhere
        self.budget = budget
        self.taken = 0
        self._places: dict[str, tuple[str, float | None, float | None]] = {}
        self._stock: dict[tuple[str, Stage], Attachment] = {}
        self._rng = random.Random(seed)

    def _own(self, case: Case) -> bool:
        return any(case.node.startswith(s) for s in self.scopes) and (self.budget is None or self.taken < self.budget)

    def covers(self, case: Case) -> bool:
        return self.everywhere or self._own(case)

    def _place(self, node_code: str) -> tuple[str, float | None, float | None]:
        if node_code not in self._places:
            names, lat, lon = [], None, None
            code = node_code
            for _ in range(3):  # grid, community, street
                node = self.store.node(code)
                if node is None:
                    break
                names.append(node.name)
                if lat is None and node.center is not None:
                    lon, lat = node.center
                code = node.parent or ""
            self._places[node_code] = (" ".join(reversed(names)) or node_code, lat, lon)
        return self._places[node_code]

    def photo(self, case: Case, stage: Stage, now: float) -> Attachment | None:
        """Take, check and store a photo of ``case`` at ``stage``; None when not covered."""
        if self._own(case):
            return self._draw(case, stage, now)
        if not self.everywhere:
            return None
        key = (case.category[:3], stage)  # one stock photo per class
        if key not in self._stock:
            data = synthetic_photo(case.category, stage, now, "", seed=len(self._stock), stamp=False)
            self._stock[key] = self._reference(data, stage, "stock.jpg")
        return self._stock[key]

    def _draw(self, case: Case, stage: Stage, now: float) -> Attachment:
        place, lat, lon = self._place(case.node)
        taken_at = now - self._rng.uniform(60, 900)  # photographed a little before it was sent
        if lat is not None:
            lat += self._rng.uniform(-0.0008, 0.0008)
            lon += self._rng.uniform(-0.0008, 0.0008)
        data = synthetic_photo(case.category, stage, taken_at, place, lat=lat, lon=lon, seed=self.taken)
        self.taken += 1
        return self._reference(data, stage, f"IMG_{int(taken_at) % 100000:05d}.jpg")

    def _reference(self, data: bytes, stage: Stage, name: str) -> Attachment:
        sha, meta = self.evidence.store_bytes(data)
        return Attachment(sha256=sha, mime=meta["mime"], size=len(data), stage=stage, name=name,
                          width=meta.get("width"), height=meta.get("height"), thumb=meta.get("thumb"),
                          taken_at=meta.get("taken_at"), lat=meta.get("lat"), lon=meta.get("lon"))
