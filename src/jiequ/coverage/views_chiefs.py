"""Street chiefs: a page per subdistrict with its roads and their chiefs; a road's history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.areas.models import Region, RegionLevel, Road
from jiequ.core.scoping import region_in_scope

from . import chiefs
from .forms_plans import ChiefForm, EndChiefForm
from .models import StreetChief


def _need_view(user) -> None:
    if not user.has_perm("coverage.view_streetchief"):
        raise PermissionDenied


def _subdistricts(user):
    return Region.objects.restrict(user).filter(level=RegionLevel.SUBDISTRICT)


@login_required
def chief_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    _need_view(user)
    subdistricts = list(_subdistricts(user))
    if len(subdistricts) == 1:
        return redirect("coverage:chief_list", subdistricts[0].pk)
    return render(request, "coverage/chief_index.html", {"subdistricts": subdistricts})


@login_required
def chief_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _need_view(user)
    subdistrict = get_object_or_404(_subdistricts(user), pk=pk)
    rows = chiefs.roads_of(subdistrict)
    for row in rows:
        row.person = chiefs.person_label(row.chief, user) if row.chief else ""
    return render(
        request,
        "coverage/chief_list.html",
        {
            "subdistrict": subdistrict,
            "rows": rows,
            "with_chief": sum(1 for r in rows if r.chief),
            "can_assign": user.has_perm("coverage.add_streetchief")
            and region_in_scope(user, subdistrict),
        },
    )


def _road(user, pk: int) -> Road:
    return get_object_or_404(
        Road.objects.restrict(user)
        .filter(subdistrict__level=RegionLevel.SUBDISTRICT)
        .select_related("subdistrict"),
        pk=pk,
    )


@login_required
def chief_road(request: HttpRequest, pk: int) -> HttpResponse:
    """A road's chiefs, current and past; assign or replace the chief."""
    user = request.user
    _need_view(user)
    road = _road(user, pk)
    can_assign = user.has_perm("coverage.add_streetchief") and region_in_scope(
        user, road.subdistrict
    )
    can_end = user.has_perm("coverage.change_streetchief") and region_in_scope(
        user, road.subdistrict
    )
    form = ChiefForm(request.POST or None, road=road, user=user) if can_assign else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                chief = chiefs.assign(
                    road, member=data["member"], cadre=data["cadre"], started_on=data["started_on"]
                )
            except chiefs.ChiefError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("%(person)s is the chief of %(road)s from %(day)s.")
                    % {
                        "person": chiefs.person_label(chief, user),
                        "road": road.name,
                        "day": chief.started_on.isoformat(),
                    },
                )
                return redirect("coverage:chief_road", road.pk)
    history = list(
        StreetChief.objects.restrict(user)
        .filter(road=road)
        .select_related("member", "cadre")
        .order_by("-started_on", "-pk")
    )
    for chief in history:
        chief.person = chiefs.person_label(chief, user)
    current = next((c for c in history if c.ended_on is None), None)
    return render(
        request,
        "coverage/chief_road.html",
        {
            "road": road,
            "history": history,
            "current": current,
            "form": form,
            "end_form": EndChiefForm() if can_end and current else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def chief_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not user.has_perm("coverage.change_streetchief"):
        raise PermissionDenied
    chief = get_object_or_404(
        StreetChief.objects.restrict(user, "change").select_related("road__subdistrict"), pk=pk
    )
    if not region_in_scope(user, chief.road.subdistrict):
        raise PermissionDenied
    form = EndChiefForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("coverage:chief_road", chief.road_id)
    try:
        chiefs.end(chief, form.cleaned_data["ended_on"])
    except chiefs.ChiefError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The post has ended; the road has no chief now."))
    return redirect("coverage:chief_road", chief.road_id)
