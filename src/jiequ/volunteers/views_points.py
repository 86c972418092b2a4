"""Service points for staff: list, map, detail, edit, history, export, and their QR posters."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.areas.models import Region, RegionLevel
from jiequ.core import views as generic
from jiequ.core.scoping import restrict

from . import codes
from .filtersets import ServicePointFilterSet
from .forms import ServicePointForm, week_rows
from .map_data import COLOURS, point_map
from .models import PointKind, ServicePoint, VolunteerCode, VolunteerState
from .opening import is_open
from .tasks import with_counts

POINT_COLUMNS = ["name", "kind", "host", "address", "region", "offers", "open_now", "is_active"]
POINT_EXPORT = [
    "kind",
    "name",
    "address",
    "lat",
    "lon",
    "region",
    "host",
    "offers",
    "offer_note",
    "hours_text",
    "hours_note",
    "is_active",
    "volunteer_count",
]


class PointMixin:
    model = ServicePoint
    url_prefix = "volunteers:point"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("region", "host_entity")


class PointListView(PointMixin, generic.ObjectListView):
    filterset_class = ServicePointFilterSet
    columns = POINT_COLUMNS


class PointExportView(PointMixin, generic.ObjectExportView):
    filterset_class = ServicePointFilterSet
    columns = POINT_EXPORT
    basename = "service-points"

    def get_queryset(self) -> Any:
        active = ~Q(volunteers__state=VolunteerState.WITHDRAWN)
        qs = super().get_queryset().annotate(volunteers_count=Count("volunteers", filter=active))
        return qs.order_by("kind", "name")


class PointDetailView(PointMixin, generic.ObjectDetailView):
    template_name = "volunteers/point_detail.html"
    fields = [
        "kind",
        "address",
        "region",
        "host",
        "offers",
        "offer_note",
        "hours_note",
        "is_active",
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        point, user = self.object, self.request.user
        now = timezone.localtime()
        context.update(
            week=week_rows(point.hours),
            today_index=now.weekday(),
            is_open=point.is_active and is_open(point.hours, now),
            can_print_code=user.has_perm("volunteers.add_volunteercode"),
            codes=restrict(VolunteerCode.objects.filter(point=point, is_active=True), user),
            volunteers_url=(
                reverse("volunteers:volunteer_list") + f"?point={point.pk}"
                if user.has_perm("volunteers.view_volunteer")
                else ""
            ),
            volunteer_count=point.volunteer_count,
            tasks=(
                with_counts(
                    restrict(point.tasks.all(), user).filter(starts_at__gte=now, is_cancelled=False)
                ).order_by("starts_at")[:10]
                if user.has_perm("volunteers.view_volunteertask")
                else []
            ),
        )
        return context


class PointEditView(PointMixin, generic.ObjectEditView):
    form_class = ServicePointForm


class PointHistoryView(PointMixin, generic.ObjectHistoryView):
    pass


class PointDeleteView(PointMixin, generic.ObjectDeleteView):
    pass


def _require(user: Any, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


def _map_settings(user: Any) -> dict[str, Any]:
    return {
        "tileUrl": settings.JIEQU_MAP["TILE_URL"],
        "tileCrs": settings.JIEQU_MAP["TILE_CRS"],
        "attribution": settings.JIEQU_MAP["ATTRIBUTION"],
        "maxZoom": settings.JIEQU_MAP["MAX_ZOOM"],
        "dataUrl": reverse("volunteers:point_map_data"),
        "labels": {
            "area": _("Area"),
            "grid": _("Grid"),
            "road": _("Road"),
            "points": _("Service points"),
            "open": _("open now"),
            "closed": _("closed now"),
            "inactive": _("not in service"),
            "today": _("Today"),
            "details": _("Details"),
            "noData": _("Nothing to show in your area of work."),
            "summary": _("%(n)s service points · %(open)s open now"),
        },
    }


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    _require(request.user, "volunteers.view_servicepoint")
    return render(
        request,
        "volunteers/point_map.html",
        {
            "point_map_settings": _map_settings(request.user),
            "kinds": [(k.value, k.label, COLOURS[k]) for k in PointKind],
            "selected_kind": request.GET.get("kind", ""),
        },
    )


@login_required
def map_data(request: HttpRequest) -> JsonResponse:
    _require(request.user, "volunteers.view_servicepoint")
    crs = settings.JIEQU_MAP["TILE_CRS"]
    return JsonResponse(point_map(request.user, crs, request.GET.get("kind", "")))


@login_required
@require_POST
def code_create(request: HttpRequest) -> HttpResponse:
    """Make (or find) the sign-up code of a point or an area/grid the user can see."""
    user = request.user
    _require(user, "volunteers.add_volunteercode")
    if request.POST.get("point"):
        target: Any = get_object_or_404(
            restrict(ServicePoint.objects.all(), user), pk=request.POST["point"]
        )
    else:
        regions = restrict(
            Region.objects.filter(
                level__in=[RegionLevel.SUBDISTRICT, RegionLevel.AREA, RegionLevel.GRID]
            ),
            user,
            "view",
        )
        scope = user.scope_region
        if scope is not None:
            regions = regions.filter(path__startswith=scope.path)
        region_id = request.POST.get("region", "")
        target = get_object_or_404(regions, pk=region_id if region_id.isdigit() else 0)
    code = codes.code_for(target)
    return redirect("volunteers:code_poster", pk=code.pk)


@login_required
def code_poster(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, "volunteers.view_volunteercode")
    code = get_object_or_404(restrict(VolunteerCode.objects.all(), request.user), pk=pk)
    url = request.build_absolute_uri(reverse("volunteers_public:join", args=[code.token]))
    response = HttpResponse(codes.poster_pdf(code, url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="volunteer-code-{code.pk}.pdf"'
    return response
