"""Region look-ups that views, the API, imports and the demo share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiequ.core.scoping import region_in_scope

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


def grid_in_scope(user: Any, lat: Any, lon: Any) -> Region:
    """The grid holding the point, checked to lie in `user`'s scope, or a ValidationError."""
    grid = find_grid(lat, lon)
    if grid is None:
        raise ValidationError(
            _(
                "The point (%(lat)s, %(lon)s) lies in no grid. Check that it is WGS-84 "
                "latitude/longitude inside the subdistrict."
            )
            % {"lat": lat, "lon": lon},
            code="outside",
        )
    check_in_scope(user, grid)
    return grid


def check_in_scope(user: Any, grid: Region) -> None:
    if not region_in_scope(user, grid):
        raise ValidationError(
            _("The point lies in grid “%(grid)s”, which is outside your area of work.")
            % {"grid": grid.name},
            code="scope",
        )
