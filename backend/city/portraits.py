"""Grid portraits (网格画像) drawn from three settlement profiles.

Core urban grids are dense blocks of flats with shops; county-town grids are smaller; village
grids are sparse, older, with one house per household and many left-behind children. Every
figure is a lognormal or Poisson draw around the profile's rate with a per-grid spread, so
neighbouring grids differ the way real survey data does.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from domain.city import SPECIAL_CARE_KEYS, GridPortrait


@dataclass(frozen=True)
class Profile:
    households_median: float
    households_sigma: float
    household_size: float
    # Special-care rates: elderly_alone and low_income per household, the rest per resident.
    rates: dict[str, float]
    households_per_building: float
    shops_per_100_households: float


CORE = Profile(
    households_median=430, households_sigma=0.35, household_size=2.5,
    rates={"elderly_alone": 0.025, "disabled": 0.012, "left_behind_children": 0.002, "low_income": 0.008,
           "veterans": 0.014},
    households_per_building=36, shops_per_100_households=6.0,
)
TOWN = Profile(
    households_median=330, households_sigma=0.35, household_size=2.65,
    rates={"elderly_alone": 0.035, "disabled": 0.014, "left_behind_children": 0.006, "low_income": 0.015,
           "veterans": 0.017},
    households_per_building=18, shops_per_100_households=4.0,
)
VILLAGE = Profile(
    households_median=180, households_sigma=0.4, household_size=2.8,
    rates={"elderly_alone": 0.06, "disabled": 0.018, "left_behind_children": 0.02, "low_income": 0.03,
           "veterans": 0.02},
    households_per_building=1.15, shops_per_100_households=1.2,
)
_PER_HOUSEHOLD = ("elderly_alone", "low_income")


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth for small means, a rounded normal above 12)."""
    if mean <= 0:
        return 0
    if mean > 12:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def draw_portrait(rng: random.Random, profile: Profile, area_km2: float) -> GridPortrait:
    households = max(30, round(profile.households_median * rng.lognormvariate(0.0, profile.households_sigma)))
    size = min(3.4, max(2.1, profile.household_size * rng.lognormvariate(0.0, 0.08)))
    residents = round(households * size)
    care = {}
    for key in SPECIAL_CARE_KEYS:
        base = households if key in _PER_HOUSEHOLD else residents
        care[key] = poisson(rng, base * profile.rates[key] * rng.lognormvariate(0.0, 0.35))
    buildings = max(1, round(households / (profile.households_per_building * rng.lognormvariate(0.0, 0.4))))
    shops = poisson(rng, households / 100.0 * profile.shops_per_100_households * rng.lognormvariate(0.0, 0.7))
    return GridPortrait(
        households=households, residents=residents, special_care=care, buildings=buildings, shops=shops,
        area_km2=round(area_km2, 4),
    )


def sum_portraits(portraits: list[GridPortrait]) -> GridPortrait:
    """A community's portrait as the sum of its grids'."""
    return GridPortrait(
        households=sum(p.households for p in portraits),
        residents=sum(p.residents for p in portraits),
        special_care={k: sum(p.special_care.get(k, 0) for p in portraits) for k in SPECIAL_CARE_KEYS},
        buildings=sum(p.buildings for p in portraits),
        shops=sum(p.shops for p in portraits),
        area_km2=round(sum(p.area_km2 for p in portraits), 4),
    )
