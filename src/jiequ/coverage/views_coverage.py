"""Coverage pages: the overview of rates, the entity list behind every figure, blind spots, map.

Every query goes through `restrict()`; the numbers are computed in jiequ.coverage.rates,
jiequ.coverage.blindspots and jiequ.coverage.status. Views only arrange them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_filters import rest_framework as filters

from jiequ.areas.models import Region, RegionLevel, Road
from jiequ.core import views as generic
from jiequ.core.columns import display_value, field_label
from jiequ.core.exports import FORMATS, rows_response
from jiequ.core.scoping import restrict
from jiequ.ledger.filtersets import EntityFilterSet
from jiequ.ledger.models import Entity

from . import blindspots, rates
from .map_data import coverage_map, map_filters
from .status import COLOURS, COVERED, OFFICIAL, Status, annotate_status, label, with_status

COVERAGE_CHOICES = [
    *Status.choices,
    ("official", gettext_lazy("Own or joint organisation")),
    ("covered", gettext_lazy("Covered in any way")),
]


class CoverageEntityFilterSet(EntityFilterSet):
    """The ledger's entity filters plus coverage, category, non-public and blind spot."""

    coverage = filters.ChoiceFilter(
        choices=COVERAGE_CHOICES, method="by_coverage", label=gettext_lazy("coverage status")
    )
    category = filters.ChoiceFilter(
        choices=rates.category_choices(), method="by_category", label=gettext_lazy("category")
    )
    non_public = filters.BooleanFilter(method="by_non_public", label=gettext_lazy("non-public"))
    blind_spot = filters.ChoiceFilter(
        choices=[(s.key, s.title) for s in blindspots.ENTITY_SPOTS],
        method="by_blind_spot",
        label=gettext_lazy("blind spot"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The district's and the subdistrict's rows link here too.
        region = self.filters["region"]
        region.label = gettext_lazy("region")
        levels = [RegionLevel.SUBDISTRICT, RegionLevel.AREA, RegionLevel.GRID]
        user = getattr(self.request, "user", None)
        qs = Region.objects.restrict(user) if user is not None else Region.objects.all()
        region.queryset = qs.filter(level__in=levels)

    def by_coverage(self, queryset, name, value):
        if value == "official":
            return with_status(queryset, OFFICIAL)
        if value == "covered":
            return with_status(queryset, COVERED)
        return with_status(queryset, value)

    def by_category(self, queryset, name, value):
        return rates.in_category(queryset, value)

    def by_non_public(self, queryset, name, value):
        q = rates.NON_PUBLIC_Q
        return queryset.filter(q) if value else queryset.exclude(q)

    def by_blind_spot(self, queryset, name, value):
        return blindspots.entities_in(value, queryset)


LIST_COLUMNS = ["display_name", "kind", "address", "member_count", "region"]
EXPORT_COLUMNS = [
    "name",
    "sign_name",
    "credit_code",
    "kind",
    "ownership",
    "industry",
    "state",
    "is_street_shop",
    "road",
    "address",
    "building",
    "region",
    "worker_count",
    "member_count",
]


def status_headers() -> list[str]:
    return [_("coverage status"), _("covering organisation")]


def status_cells(entity: Entity) -> list[str]:
    return [label(entity.coverage_status), entity.covering_organisation or ""]


def scoped_with_status(user: Any, action: str = "view") -> Any:
    qs = restrict(Entity.objects.all(), user, action).select_related("region", "road", "building")
    return annotate_status(qs, organisation_name=True)


class StatusScopeMixin(generic.ScopedViewMixin):
    """Entities the user may see, each with its coverage status and covering organisation."""

    model = Entity
    url_prefix = "coverage:entity"

    def get_queryset(self):
        return scoped_with_status(self.request.user, self.action)


class CoverageEntityListView(generic.ObjectListView, StatusScopeMixin):
    filterset_class = CoverageEntityFilterSet
    columns = LIST_COLUMNS
    template_name = "coverage/coverage_entity_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["headers"] = context["headers"] + status_headers()
        context["rows"] = [(obj, cells + status_cells(obj)) for obj, cells in context["rows"]]
        context["add_url"] = None
        context["import_url"] = None
        key = self.request.GET.get("blind_spot", "")
        if key in blindspots.SPOT_BY_KEY:
            region = user_subdistrict(self.request.user)
            context["blind_spot"] = {
                "title": blindspots.SPOT_BY_KEY[key].title,
                "reason": blindspots.reason(key, region),
                "action": blindspots.action(key, region),
                "instructor": key in ("no_instructor", "new_employment"),
            }
        context["perms_for"]["export"] = self.request.user.has_perm("ledger.export_entity")
        return context


class CoverageEntityExportView(StatusScopeMixin, View):
    action = "export"

    def get(self, request: HttpRequest) -> HttpResponse:
        qs = self.get_queryset()
        filterset = CoverageEntityFilterSet(request.GET or None, queryset=qs, request=request)
        if filterset.is_bound:
            qs = filterset.qs if filterset.is_valid() else qs.none()
        headers, rows = entity_table(qs)
        return rows_response(headers, rows, request.GET.get("format", "xlsx"), "coverage")


def entity_table(queryset: Any, extra: Sequence[str] = ()) -> tuple[list[str], list[list]]:
    headers = [field_label(Entity, c) for c in EXPORT_COLUMNS] + status_headers()
    rows = [
        [display_value(e, c) for c in EXPORT_COLUMNS] + status_cells(e) + list(extra)
        for e in queryset
    ]
    return headers, rows


# The overview.


def entity_list_url(**params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    url = reverse("coverage:entity_list")
    return f"{url}?{query}" if query else url


@dataclass
class RowView:
    """A rates row as the page shows it: the figures with the link behind each."""

    label: str
    tally: rates.Tally
    links: dict[str, str]
    statuses: list[tuple[str, str, int, str]]
    extra: dict[str, Any]

    @property
    def official_ratio(self) -> str:
        return rates.percent(self.tally.official_ratio)

    @property
    def covered_share(self) -> str:
        return rates.percent(self.tally.covered_share)


def row_view(row: rates.Row) -> RowView:
    base = {**row.params, "state": "operating"}
    links = {
        "operating": entity_list_url(**base),
        "non_public": entity_list_url(**base, non_public="true"),
        "official": entity_list_url(**base, non_public="true", coverage="official"),
        "covered": entity_list_url(**base, coverage="covered"),
        "uncovered": entity_list_url(**base, coverage="none"),
    }
    statuses = [
        (s, label(s), n, entity_list_url(**base, coverage=s)) for s, n in row.tally.status_counts()
    ]
    return RowView(row.label, row.tally, links, statuses, row.extra)


def user_subdistrict(user: Any) -> Region | None:
    region = getattr(user, "scope_region", None)
    return region.subdistrict if region is not None else None


def scope_path(user: Any) -> str:
    region = getattr(user, "scope_region", None)
    return region.path if region is not None else "/"


def _require_ledger(user: Any) -> None:
    if not user.has_perm("ledger.view_entity"):
        raise PermissionDenied


def _regions(user: Any, level: str) -> Any:
    return Region.objects.restrict(user).filter(level=level, path__startswith=scope_path(user))


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Rates by category and by place, for the user's scope; the district sees subdistricts."""
    user = request.user
    _require_ledger(user)
    entities = rates.scoped_entities(user)
    tallies = rates.region_category_tallies(entities)
    category = request.GET.get("category", "all")
    if category not in rates.CATEGORY_BY_KEY:
        category = "all"
    scope = getattr(user, "scope_region", None)
    district_wide = scope is None or scope.level == RegionLevel.DISTRICT
    context: dict[str, Any] = {
        "scope": scope,
        "district_wide": district_wide,
        "category": category,
        "category_label": rates.CATEGORY_BY_KEY[category].label,
        "categories": rates.CATEGORIES,
        "category_rows": [row_view(r) for r in rates.category_rows(tallies)],
        "statuses": [(s.value, s.label, COLOURS[s]) for s in Status],
    }
    units = rates.building_units(entities)
    context["units"], context["units_share"] = units, rates.percent(units.share)
    context["total"] = context["category_rows"][0]
    tables: list[tuple[str, str, list[rates.Row], bool]] = []
    if district_wide:
        subdistricts = _regions(user, RegionLevel.SUBDISTRICT)
        rows = rates.region_rows(tallies, subdistricts, category)
        tables.append((_("By subdistrict"), _("Subdistrict"), rows, False))
    else:
        for level, title, header in (
            (RegionLevel.AREA, _("By area"), _("Area")),
            (RegionLevel.GRID, _("By grid"), _("Grid")),
        ):
            regions = _regions(user, level)
            if regions:
                rows = rates.region_rows(tallies, regions, category)
                tables.append((title, header, rows, False))
        roads = rates.road_rows(entities, category=category)
        tables.append((_("By road"), _("Road"), roads, False))
        buildings = rates.building_rows(entities, category=category)
        tables.append((_("By building"), _("Building"), buildings, True))
    context["tables"] = [
        {"title": t, "header": h, "rows": [row_view(r) for r in rows], "with_branch": b}
        for t, h, rows, b in tables
    ]
    return render(request, "coverage/coverage_overview.html", context)


# Blind spots.


def blind_spot_url(key: str) -> str:
    if blindspots.SPOT_BY_KEY[key].unit == "buildings":
        return reverse("coverage:blindspot_buildings")
    return entity_list_url(blind_spot=key)


@login_required
def blind_spot_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_ledger(user)
    entities = rates.scoped_entities(user)
    region = user_subdistrict(user)
    spots = [
        {
            "summary": s,
            "url": blind_spot_url(s.spot.key),
            "export_url": reverse("coverage:blindspot_export", args=[s.spot.key]),
        }
        for s in blindspots.summaries(entities, region)
    ]
    return render(
        request,
        "coverage/blindspot_list.html",
        {
            "spots": spots,
            "can_export": user.has_perm("ledger.export_entity"),
            "formats": FORMATS,
        },
    )


@login_required
def blind_spot_buildings(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_ledger(user)
    buildings = blindspots.buildings_without_branch(rates.scoped_entities(user))
    region = user_subdistrict(user)
    rows = [(b, entity_list_url(building=b.pk, state="operating")) for b in buildings]
    return render(
        request,
        "coverage/blindspot_buildings.html",
        {
            "rows": rows,
            "title": blindspots.SPOT_BY_KEY["buildings"].title,
            "reason": blindspots.reason("buildings", region),
            "action": blindspots.action("buildings", region),
            "can_export": user.has_perm("ledger.export_entity"),
            "can_view_buildings": user.has_perm("areas.view_building"),
            "formats": FORMATS,
        },
    )


@login_required
def blind_spot_export(request: HttpRequest, key: str) -> HttpResponse:
    """One blind-spot list as a spreadsheet, with its reason and suggested action."""
    user = request.user
    if key not in blindspots.SPOT_BY_KEY:
        raise Http404
    if not user.has_perm("ledger.export_entity"):
        raise PermissionDenied
    region = user_subdistrict(user)
    why, what = blindspots.reason(key, region), blindspots.action(key, region)
    fmt = request.GET.get("format", "xlsx")
    if blindspots.SPOT_BY_KEY[key].unit == "buildings":
        headers = [_("building"), _("address"), _("grid"), _("Operating entities")]
        scoped = restrict(Entity.objects.all(), user, "export")
        rows = [
            [b.name, b.address, b.region.name, b.operating, why, what]
            for b in blindspots.buildings_without_branch(scoped)
        ]
    else:
        qs = blindspots.entities_in(key, scoped_with_status(user, "export"))
        headers, rows = entity_table(qs, extra=[why, what])
    headers = [*headers, _("Why"), _("Suggested action")]
    return rows_response(headers, rows, fmt, f"blind-spots-{key}")


# The map.


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_ledger(user)
    filters_ = map_filters(user, request.GET)
    map_settings = {
        "tileUrl": settings.JIEQU_MAP["TILE_URL"],
        "tileCrs": settings.JIEQU_MAP["TILE_CRS"],
        "attribution": settings.JIEQU_MAP["ATTRIBUTION"],
        "maxZoom": settings.JIEQU_MAP["MAX_ZOOM"],
        "dataUrl": reverse("coverage:map_data"),
        "colours": {k: v for k, v in COLOURS.items()},
        "labels": {
            "area": _("Area"),
            "grid": _("Grid"),
            "road": _("Road"),
            "zone": _("Street-block branch zones"),
            "entities": _("Entities"),
            "official": _("Official ratio"),
            "covered": _("Covered in any way"),
            "operating": _("operating entities"),
            "members": _("Party members"),
            "shops": _("shops"),
            "list": _("See the list"),
            "noData": _("Nothing to show in your area of work."),
            "noRate": _("no operating entities"),
        },
    }
    return render(
        request,
        "coverage/coverage_map.html",
        {
            "map_settings": map_settings,
            "statuses": [(s.value, s.label, COLOURS[s]) for s in Status],
            "categories": rates.category_choices(),
            "roads": Road.objects.restrict(user).filter(
                subdistrict__path__startswith=scope_root(user)
            ),
            "selected": filters_,
        },
    )


def scope_root(user: Any) -> str:
    """The path of the user's subdistrict (roads belong to subdistricts), or of their scope."""
    sub = user_subdistrict(user)
    return sub.path if sub is not None else scope_path(user)


@login_required
def map_data(request: HttpRequest) -> JsonResponse:
    user = request.user
    _require_ledger(user)
    filters_ = map_filters(user, request.GET)
    return JsonResponse(coverage_map(user, settings.JIEQU_MAP["TILE_CRS"], **filters_))
