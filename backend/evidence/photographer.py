"""The simulator's camera: synthetic photos attached to simulated cases, as field staff would.

A grid worker photographs the problem when reporting (near, and sometimes far), the
department photographs its result before resolving, and the worker or operator photographs
the site again before a passing verification. Only cases under ``scope`` get photos (drawing
one takes about 0.1 s), and at most ``budget`` photos are taken when it is set.
"""

from __future__ import annotations

import random

from backend.evidence.service import Evidence
from backend.evidence.synthetic import synthetic_photo
from domain.model import Attachment, Case, Stage


class Photographer:
    def __init__(self, evidence: Evidence, store, scope: str, *, budget: int | None = None, seed: int = 7) -> None:
        self.evidence, self.store, self.scope = evidence, store, scope
        self.budget = budget
        self.taken = 0
        self._places: dict[str, tuple[str, float | None, float | None]] = {}
        self._rng = random.Random(seed)

    def covers(self, case: Case) -> bool:
        return case.node.startswith(self.scope) and (self.budget is None or self.taken < self.budget)

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
        """Take, check and store a photo of ``case`` at ``stage``; None outside the scope or budget."""
        if not self.covers(case):
            return None
        place, lat, lon = self._place(case.node)
        taken_at = now - self._rng.uniform(60, 900)  # photographed a little before it was sent
        if lat is not None:
            lat += self._rng.uniform(-0.0008, 0.0008)
            lon += self._rng.uniform(-0.0008, 0.0008)
        data = synthetic_photo(case.category, stage, taken_at, place, lat=lat, lon=lon, seed=self.taken)
        sha, meta = self.evidence.store_bytes(data)
        self.taken += 1
        return Attachment(sha256=sha, mime=meta["mime"], size=len(data), stage=stage,
                          name=f"IMG_{int(taken_at) % 100000:05d}.jpg", width=meta.get("width"),
                          height=meta.get("height"), thumb=meta.get("thumb"), taken_at=meta.get("taken_at"),
                          lat=meta.get("lat"), lon=meta.get("lon"))
