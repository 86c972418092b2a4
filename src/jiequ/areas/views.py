from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from jiequ.core import views as generic

from .filtersets import BuildingFilterSet
from .forms import BuildingForm
from .importers import BuildingImporter
from .map_data import map_layers
from .models import Building

BUILDING_COLUMNS = ["name", "kind", "address", "floors", "region"]


class BuildingMixin:
    model = Building
    url_prefix = "areas:building"

    def get_queryset(self):
        return super().get_queryset().select_related("region", "road")


class BuildingListView(BuildingMixin, generic.ObjectListView):
    filterset_class = BuildingFilterSet
    columns = BUILDING_COLUMNS


class BuildingDetailView(BuildingMixin, generic.ObjectDetailView):
    template_name = "areas/building_detail.html"
    fields = ["name", "kind", "road", "number", "address", "floors", "lat", "lon", "region"]


class BuildingEditView(BuildingMixin, generic.ObjectEditView):
    form_class = BuildingForm
    template_name = "areas/building_form.html"


class BuildingDeleteView(BuildingMixin, generic.ObjectDeleteView):
    pass


class BuildingExportView(BuildingMixin, generic.ObjectExportView):
    filterset_class = BuildingFilterSet
    columns = ["name", "kind", "road", "number", "address", "floors", "lat", "lon", "region"]
    basename = "buildings"


class BuildingImportView(BuildingMixin, generic.ObjectImportView):
    importer_class = BuildingImporter


class BuildingHistoryView(BuildingMixin, generic.ObjectHistoryView):
    pass


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    return render(request, "areas/map.html")


@login_required
def map_data(request: HttpRequest) -> JsonResponse:
    """GeoJSON layers of what the user may see, in the tile coordinate system."""
    return JsonResponse(map_layers(request.user, settings.JIEQU_MAP["TILE_CRS"]))
