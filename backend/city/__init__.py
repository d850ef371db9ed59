"""The demo city and real-data import: division tables, outlines, the generator.

Pure functions, text in and structs (``domain.city``) out; the store persists the result
and the CLI (``gridcc-hub import divisions|boundaries``) reads the files.
"""

from .boundaries import BoundariesError, Boundary, attach, parse_boundaries
from .divisions import DivisionsError, parse_divisions
from .generate import generate_city
from .geometry import area_km2, centroid, point_in_polygon

__all__ = [
    "BoundariesError",
    "Boundary",
    "DivisionsError",
    "area_km2",
    "attach",
    "centroid",
    "generate_city",
    "parse_boundaries",
    "parse_divisions",
    "point_in_polygon",
]
