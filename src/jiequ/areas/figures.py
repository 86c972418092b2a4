"""Home-page figures of regions and buildings; each links to the records behind it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Building, Region, RegionLevel, Road


def home_figures(user: Any) -> list[tuple[str, int, str]]:
    scope = user.scope_region.path if user.scope_region_id else "/"
    regions = Region.objects.restrict(user).filter(path__startswith=scope)
    figures = [
        (_("areas"), regions.filter(level=RegionLevel.AREA).count(), reverse("areas:map")),
        (_("grids"), regions.filter(level=RegionLevel.GRID).count(), reverse("areas:map")),
        (_("roads"), Road.objects.restrict(user).count(), reverse("areas:map")),
    ]
    if user.has_perm("areas.view_building"):
        figures.append(
            (
                _("buildings"),
                Building.objects.restrict(user).count(),
                reverse("areas:building_list"),
            )
        )
    return figures
