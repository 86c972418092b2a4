"""Pages that belong to no one resource: the home page and the health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from jiequ.areas.models import Building, Region, RegionLevel, Road


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What the user's area of work holds, each figure linking to its list."""
    user = request.user
    regions = Region.objects.restrict(user).filter(path__startswith=_scope_path(user))
    context = {
        "scope": user.scope_region,
        "area_count": regions.filter(level=RegionLevel.AREA).count(),
        "grid_count": regions.filter(level=RegionLevel.GRID).count(),
        "road_count": Road.objects.restrict(user).count(),
        "building_count": (
            Building.objects.restrict(user).count()
            if user.has_perm("areas.view_building")
            else None
        ),
    }
    return render(request, "core/home.html", context)


def _scope_path(user) -> str:
    return user.scope_region.path if user.scope_region_id else "/"


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
