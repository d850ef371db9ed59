"""综合评价: a weighted score per unit (street, community, grid, department, grid worker) and a ranking.

Weights, caps and minimum case counts come from ``resources/catalog/assessment.toml``
(see docs/indicators.md). The score is built from the indicators of ``domain.indicators``
only, so a unit's score can be recomputed by hand from the figures printed beside it.
"""

from __future__ import annotations

import pathlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field

from domain import datafiles
from domain.indicators import BY_KEY, Counts, value


class AssessmentError(ValueError):
    """An assessment file that cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Weights:
    weights: Mapping[str, float]
    grid_worker: Mapping[str, float]
    hours_cap: Mapping[str, float] = field(default_factory=dict)
    overdue_penalty: float = 0.5
    overdue_penalty_cap: float = 20.0
    min_due: int = 5
    min_reported: int = 10

    def for_group(self, group_by: str) -> Mapping[str, float]:
        return self.grid_worker if group_by == "grid_worker" else self.weights


def parse_weights(text: str, source: str) -> Weights:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AssessmentError(f"{source}: invalid TOML: {exc}") from None

    def table(name: str) -> dict[str, float]:
        raw = data.get(name, {})
        if not isinstance(raw, dict):
            raise AssessmentError(f"{source}: [{name}] must be a table")
        out = {}
        for key, w in raw.items():
            if key not in BY_KEY or BY_KEY[key].kind == "count":
                raise AssessmentError(f"{source}: [{name}] {key}: not a rate or time of domain.indicators")
            if not isinstance(w, int | float) or isinstance(w, bool) or w < 0:
                raise AssessmentError(f"{source}: [{name}] {key}: weight must be a number ≥ 0, got {w!r}")
            out[key] = float(w)
        return out

    known = {"weights", "weights_grid_worker", "hours_cap", "overdue_penalty", "overdue_penalty_cap", "min_due",
             "min_reported"}
    unknown = set(data) - known
    if unknown:
        raise AssessmentError(f"{source}: unknown keys {', '.join(sorted(unknown))}")
    weights = table("weights")
    if not weights or not sum(weights.values()):
        raise AssessmentError(f"{source}: [weights] needs at least one weight above 0")
    return Weights(
        weights=weights, grid_worker=table("weights_grid_worker") or weights,
        hours_cap={k: float(v) for k, v in data.get("hours_cap", {}).items()},
        overdue_penalty=float(data.get("overdue_penalty", 0.5)),
        overdue_penalty_cap=float(data.get("overdue_penalty_cap", 20.0)),
        min_due=int(data.get("min_due", 5)), min_reported=int(data.get("min_reported", 10)),
    )


def load_weights(path: pathlib.Path | str | None = None) -> Weights:
    """The shipped ``resources/catalog/assessment.toml``, or the file at ``path``."""
    return datafiles.load(path, "assessment.toml", parse_weights, AssessmentError, "assessment weights")


def qualified(counts: Counts, w: Weights) -> bool:
    return counts.due >= w.min_due or counts.reported >= w.min_reported


def score(counts: Counts, w: Weights, group_by: str = "") -> float | None:
    """0..100 (minus the overdue penalty); None when no weighted indicator has a value."""
    total = weight_sum = 0.0
    for key, weight in w.for_group(group_by).items():
        v = value(counts, key)
        if v is None or not weight:
            continue
        ind = BY_KEY[key]
        if ind.kind == "hours":
            cap = w.hours_cap.get(key, 72.0)
            points = min(1.0, max(0.0, 1.0 - v / cap))
        else:
            points = 1.0 - v if ind.lower_is_better else v
        total += weight * points
        weight_sum += weight
    if not weight_sum:
        return None
    penalty = min(w.overdue_penalty_cap, w.overdue_penalty * counts.overdue_open)
    return round(100.0 * total / weight_sum - penalty, 2)


@dataclass(frozen=True)
class Assessed:
    key: str
    counts: Counts
    score: float | None
    rank: int | None  # None: too few cases to be ranked
    previous_score: float | None = None

    @property
    def trend(self) -> float | None:
        if self.score is None or self.previous_score is None:
            return None
        return round(self.score - self.previous_score, 2)


def assess(counts_by: Mapping[str, Counts], w: Weights, group_by: str = "",
           previous: Mapping[str, Counts] | None = None) -> list[Assessed]:
    """Units best first: ranked ones by score (fewer 超期未结, then key, break ties), then the unranked."""
    rows: list[tuple[str, Counts, float | None, bool, float | None]] = []
    for key, counts in counts_by.items():
        s = score(counts, w, group_by)
        before = previous.get(key) if previous else None
        rows.append((key, counts, s, qualified(counts, w) and s is not None,
                     score(before, w, group_by) if before is not None else None))
    rows.sort(key=lambda r: (not r[3], -(r[2] or 0.0), r[1].overdue_open, r[0]))
    out: list[Assessed] = []
    rank, last = 0, None
    for position, (key, counts, s, ok, prev_score) in enumerate(rows, start=1):
        if ok and (s, counts.overdue_open) != last:
            rank, last = position, (s, counts.overdue_open)
        out.append(Assessed(key, counts, s, rank if ok else None, prev_score))
    return out
