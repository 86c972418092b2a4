"""Where an owner is: the region that scopes a need, resource or project, and its point.

A shop has its own point. An organisation has none of its own: it is placed at the middle of
the entities it covers (a building branch sits on its building). A department has neither;
the person entering the record gives the region (and a point if it matters).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg

from jiequ.party.models import CoverageLink

SIX_PLACES = Decimal("0.000001")


def _round(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def organisation_point(organisation: Any) -> tuple[Decimal | None, Decimal | None]:
    point = CoverageLink.objects.filter(
        organisation=organisation, entity__lat__isnull=False, entity__lon__isnull=False
    ).aggregate(lat=Avg("entity__lat"), lon=Avg("entity__lon"))
    return _round(point["lat"]), _round(point["lon"])


def owner_point(organisation: Any = None, entity: Any = None) -> tuple[Any, Any]:
    """The owner's point (lat, lon), or (None, None) when it has none."""
    if entity is not None:
        return entity.lat, entity.lon
    if organisation is not None:
        return organisation_point(organisation)
    return None, None


def owner_region(organisation: Any = None, entity: Any = None) -> Any:
    if entity is not None:
        return entity.region
    if organisation is not None:
        return organisation.region
    return None


def organisation_points(organisation_ids: list[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """The points of many organisations in one query (for the demo and bulk work)."""
    rows = (
        CoverageLink.objects.filter(
            organisation_id__in=organisation_ids,
            entity__lat__isnull=False,
            entity__lon__isnull=False,
        )
        .values("organisation_id")
        .annotate(lat=Avg("entity__lat"), lon=Avg("entity__lon"))
    )
    return {r["organisation_id"]: (_round(r["lat"]), _round(r["lon"])) for r in rows}
