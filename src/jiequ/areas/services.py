"""Region look-ups that views, the API, imports and the demo share."""

from __future__ import annotations

from decimal import Decimal

from .geo import contains
from .models import Region, RegionLevel


def find_grid(
    lat: float | Decimal, lon: float | Decimal, within: Region | None = None
) -> Region | None:
    """The grid whose boundary holds the point (WGS-84), searching inside `within` if given.

    The bounding-box columns narrow the candidates in the database; only those few polygons are
    tested exactly.
    """
    lat, lon = float(lat), float(lon)
    candidates = Region.objects.filter(
        level=RegionLevel.GRID,
        boundary__isnull=False,
        min_lat__lte=lat,
        max_lat__gte=lat,
        min_lon__lte=lon,
        max_lon__gte=lon,
    ).order_by("path")
    if within is not None:
        candidates = candidates.filter(path__startswith=within.path)
    for grid in candidates:
        if contains(grid.boundary, lat, lon):
            return grid
    return None
