"""The coverage map's layers for one user: scoped, filtered, and moved into the tiles' system.

- entities: the operating entities with a point, each with its coverage status (the page
  colours them by status) and the street-block branch covering it, if any;
- grids and areas: their boundaries with both coverage measures of the entities shown
  (the page shades them: a choropleth);
- zones: each active street-block branch's zone, drawn as the convex hull of the shops it
  covers (a small circle when it covers fewer than three points);
- roads, for orientation.

Filters: `category` (a key of jiequ.coverage.rates.CATEGORIES) and `road` (a road the user may
see). Coordinates are shifted like jiequ.areas.map_data does, with its helpers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from shapely.geometry import MultiPoint, mapping

from jiequ.areas.map_data import collection, feature
from jiequ.areas.models import Region, RegionLevel, Road
from jiequ.party.models import Category as OrgCategory
from jiequ.party.models import Organisation

from . import rates
from .status import COLOURS, active_links, active_organisation_q, annotate_status, label

# Zones of fewer than three shops are drawn as a circle of this radius (degrees, about 20 m).
ZONE_MIN_RADIUS = 0.0002


def map_filters(user: Any, params: Mapping[str, str]) -> dict[str, Any]:
    """The valid filters among `params`; anything unknown or out of scope is dropped."""
    category = params.get("category", "")
    if category not in rates.CATEGORY_BY_KEY or category == "all":
        category = ""
    road = params.get("road", "")
    road_id = int(road) if road.isdigit() else None
    if road_id is not None and not Road.objects.restrict(user).filter(pk=road_id).exists():
        road_id = None
    return {"category": category, "road": road_id}


def _entities(user: Any, category: str, road: int | None) -> QuerySet:
    entities = rates.scoped_entities(user)
    if category:
        entities = rates.in_category(entities, category)
    if road is not None:
        entities = entities.filter(road_id=road)
    return entities


def _zone_of() -> Subquery:
    """The id of the active street-block organisation covering the outer entity (or NULL)."""
    links = (
        active_links()
        .filter(entity=OuterRef("pk"), organisation__category=OrgCategory.STREET_BLOCK)
        .order_by("organisation_id")
        .values("organisation_id")[:1]
    )
    return Subquery(links)


def _list_url(**params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse('coverage:entity_list')}?{query}"


def coverage_map(
    user: Any, crs: str = "wgs84", category: str = "", road: int | None = None
) -> dict[str, Any]:
    """Everything the coverage map draws, as GeoJSON FeatureCollections in `crs`."""
    entities = _entities(user, category, road)
    points = (
        annotate_status(
            entities.filter(rates.OPERATING_Q, lat__isnull=False), organisation_name=True
        )
        .annotate(zone=_zone_of())
        .only("pk", "name", "sign_name", "lat", "lon", "member_count", "is_street_shop")
        .order_by("pk")
    )
    entity_features = [
        feature(
            {"type": "Point", "coordinates": [float(e.lon), float(e.lat)]},
            crs,
            id=e.pk,
            name=e.display_name,
            status=e.coverage_status,
            organisation=e.covering_organisation or "",
            members=e.member_count,
            shop=e.is_street_shop,
            zone=e.zone,
        )
        for e in points
    ]
    base = {"category": category, "road": road}
    return {
        "crs": crs,
        "filters": base,
        "entities": collection(entity_features),
        **_region_layers(user, entities, crs, base),
        "zones": collection(_zones(user, crs)),
        "roads": collection(
            [
                feature(r.line, crs, id=r.pk, name=r.name)
                for r in Road.objects.restrict(user).filter(line__isnull=False)
            ]
        ),
        # Each entity's page: this address with its id in place of the 0.
        "entity_url": reverse("ledger:entity_detail", args=[0]),
        "legend": [{"status": s, "label": label(s), "colour": c} for s, c in COLOURS.items()],
    }


def _region_layers(user: Any, entities: QuerySet, crs: str, base: dict[str, Any]) -> dict[str, Any]:
    tallies = rates.region_category_tallies(entities)
    scope = getattr(user, "scope_region", None)
    path = scope.path if scope is not None else "/"
    regions = list(
        Region.objects.restrict(user).filter(
            level__in=[RegionLevel.AREA, RegionLevel.GRID],
            boundary__isnull=False,
            path__startswith=path,
        )
    )
    # A grid worker's scope is one grid: their area is drawn only if it is their scope.
    layers: dict[str, list] = {"areas": [], "grids": []}
    for row in rates.region_rows(tallies, regions):
        region, t = row.extra["region"], row.tally
        layers["areas" if region.level == RegionLevel.AREA else "grids"].append(
            feature(
                region.boundary,
                crs,
                id=region.pk,
                name=region.name,
                operating=t.operating,
                non_public=t.non_public,
                official=t.official,
                covered=t.covered,
                official_ratio=t.official_ratio,
                covered_share=t.covered_share,
                official_text=rates.percent(t.official_ratio),
                covered_text=rates.percent(t.covered_share),
                url=_list_url(region=region.pk, state="operating", **base),
            )
        )
    return {name: collection(features) for name, features in layers.items()}


def _organisation_url(org: Organisation) -> str:
    try:
        return org.get_absolute_url()
    except NoReverseMatch:
        return ""


def _zones(user: Any, crs: str) -> list[dict[str, Any]]:
    """Each active street-block organisation's zone over the shops the user may see."""
    organisations = (
        Organisation.objects.restrict(user)
        .filter(active_organisation_q(), category=OrgCategory.STREET_BLOCK)
        .order_by("name")
    )
    orgs = {o.pk: o for o in organisations}
    if not orgs:
        return []
    visible = rates.scoped_entities(user).filter(lat__isnull=False).values("pk")
    points: dict[int, list[tuple[float, float]]] = {}
    for org_id, lat, lon in (
        active_links()
        .filter(organisation_id__in=list(orgs), entity__in=visible)
        .values_list("organisation_id", "entity__lat", "entity__lon")
    ):
        points.setdefault(org_id, []).append((float(lon), float(lat)))
    features = []
    for index, (org_id, org) in enumerate(orgs.items()):
        pts = points.get(org_id)
        if not pts:
            continue
        hull = MultiPoint(pts).convex_hull
        if hull.geom_type != "Polygon":
            hull = hull.buffer(ZONE_MIN_RADIUS)
        features.append(
            feature(
                mapping(hull),
                crs,
                id=org_id,
                name=org.name,
                shops=len(pts),
                index=index,
                url=_organisation_url(org),
            )
        )
    return features
