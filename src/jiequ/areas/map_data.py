"""The map's layers for one user: scoped, and moved into the tiles' coordinate system."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .geo import reproject
from .models import Building, Region, RegionLevel, Road


def feature(geometry: dict[str, Any], crs: str, **properties: Any) -> dict[str, Any]:
    """A GeoJSON feature moved into the tiles' coordinate system (every map layer uses this)."""
    return {"type": "Feature", "geometry": reproject(geometry, crs), "properties": properties}


def collection(features: list) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def map_layers(user: Any, crs: str = "wgs84") -> dict[str, Any]:
    """FeatureCollections of regions, roads and buildings that `user` may view."""
    regions = Region.objects.restrict(user).filter(boundary__isnull=False)
    layers: dict[str, list] = {"subdistricts": [], "areas": [], "grids": []}
    layer_of = {
        RegionLevel.SUBDISTRICT: "subdistricts",
        RegionLevel.AREA: "areas",
        RegionLevel.GRID: "grids",
    }
    for region in regions:
        layer = layer_of.get(region.level)
        if layer:
            layers[layer].append(
                feature(region.boundary, crs, id=region.pk, name=region.name, code=region.code)
            )
    roads = [
        feature(road.line, crs, id=road.pk, name=road.name)
        for road in Road.objects.restrict(user).filter(line__isnull=False)
    ]
    buildings = []
    for b in Building.objects.restrict(user).select_related("region"):
        point = {"type": "Point", "coordinates": [float(b.lon), float(b.lat)]}
        buildings.append(
            feature(
                point,
                crs,
                id=b.pk,
                name=b.name,
                floors=b.floors,
                address=b.address,
                grid=b.region.name,
                url=reverse("areas:building_detail", args=[b.pk]),
            )
        )
    return {
        "crs": crs,
        "shops": collection(_street_shops(user, crs)),
        **{name: collection(features) for name, features in layers.items()},
        "roads": collection(roads),
        "buildings": collection(buildings),
    }


def _street_shops(user: Any, crs: str) -> list[dict[str, Any]]:
    """The street shops the user may see, if their role reads the ledger."""
    if not user.has_perm("ledger.view_entity"):
        return []
    from jiequ.ledger.models import Entity

    shops = (
        Entity.objects.restrict(user)
        .filter(is_street_shop=True, lat__isnull=False)
        .only("pk", "name", "sign_name", "address", "state", "lat", "lon")
    )
    return [
        feature(
            {"type": "Point", "coordinates": [float(e.lon), float(e.lat)]},
            crs,
            id=e.pk,
            name=e.display_name,
            address=e.address,
            state=e.get_state_display(),
            url=reverse("ledger:entity_detail", args=[e.pk]),
        )
        for e in shops
    ]
