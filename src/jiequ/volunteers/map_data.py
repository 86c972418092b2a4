"""The service points' map layers for one user: scoped, moved into the tiles' system."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from jiequ.areas.map_data import collection, feature
from jiequ.areas.models import Region, RegionLevel, Road

from .models import PointKind, ServicePoint
from .opening import is_open, today_text

COLOURS = {
    PointKind.MEAL_POINT: "#e65100",
    PointKind.RIDER_STATION: "#1565c0",
    PointKind.OTHER: "#2e7d32",
}


def point_features(points: QuerySet, crs: str, *, staff_urls: bool = True) -> list[dict]:
    now = timezone.localtime()
    features = []
    for p in points:
        features.append(
            feature(
                {"type": "Point", "coordinates": [float(p.lon), float(p.lat)]},
                crs,
                id=p.pk,
                name=p.name,
                kind=p.kind,
                kind_label=str(p.get_kind_display()),
                address=p.address,
                offers=[str(label) for label in p.offers.label_list()],
                today=today_text(p.hours, now),
                open=bool(p.is_active and is_open(p.hours, now)),
                active=p.is_active,
                url=reverse("volunteers:point_detail", args=[p.pk]) if staff_urls else "",
            )
        )
    return features


def point_map(user: Any, crs: str = "wgs84", kind: str = "") -> dict[str, Any]:
    points = ServicePoint.objects.restrict(user).order_by("kind", "name")
    if kind in PointKind.values:
        points = points.filter(kind=kind)
    regions = Region.objects.restrict(user).filter(
        boundary__isnull=False, level__in=[RegionLevel.AREA, RegionLevel.GRID]
    )
    scope = getattr(user, "scope_region", None)
    if scope is not None:
        regions = regions.filter(path__startswith=scope.path)
    areas, grids = [], []
    for region in regions:
        target = areas if region.level == RegionLevel.AREA else grids
        target.append(feature(region.boundary, crs, id=region.pk, name=region.name))
    roads = [
        feature(road.line, crs, id=road.pk, name=road.name)
        for road in Road.objects.restrict(user).filter(line__isnull=False)
    ]
    return {
        "crs": crs,
        "points": collection(point_features(points, crs)),
        "areas": collection(areas),
        "grids": collection(grids),
        "roads": collection(roads),
        "colours": {str(k): v for k, v in COLOURS.items()},
    }
