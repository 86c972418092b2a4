"""Volunteers for staff: the review list (phones masked), a record, its history, export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.areas.models import Region, RegionLevel
from jiequ.core import views as generic
from jiequ.core.scoping import restrict

from . import hours, pool, signup
from .filtersets import VolunteerFilterSet
from .models import TaskSignup, Volunteer, VolunteerState

VOLUNTEER_COLUMNS = [
    "display_name",
    "phone_masked",
    "occupation",
    "platform",
    "skills",
    "state",
    "signed_up_on",
    "hours_total",
]
VOLUNTEER_EXPORT = [
    "display_name",
    "phone_masked",
    "occupation",
    "platform",
    "skills",
    "availability",
    "point",
    "region",
    "state",
    "signed_up_on",
    "confirmed_on",
    "left_on",
    "tasks_served",
    "hours_total",
    "consent_time",
]


class VolunteerMixin:
    model = Volunteer
    url_prefix = "volunteers:volunteer"

    def get_queryset(self) -> Any:
        qs = hours.with_hours(super().get_queryset().select_related("region", "point"))
        return qs.order_by("-signed_up_on", "-pk")


class VolunteerListView(VolunteerMixin, generic.ObjectListView):
    filterset_class = VolunteerFilterSet
    columns = VOLUNTEER_COLUMNS
    template_name = "volunteers/volunteer_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["pending"] = restrict(Volunteer.objects.all(), user).filter(
            state=VolunteerState.PENDING
        )[:50]
        context["can_change"] = user.has_perm("volunteers.change_volunteer")
        context["can_print_code"] = user.has_perm("volunteers.add_volunteercode")
        regions = restrict(
            Region.objects.filter(
                level__in=[RegionLevel.SUBDISTRICT, RegionLevel.AREA, RegionLevel.GRID]
            ),
            user,
        )
        if user.scope_region is not None:
            regions = regions.filter(path__startswith=user.scope_region.path)
        context["poster_regions"] = regions
        return context


class VolunteerExportView(VolunteerMixin, generic.ObjectExportView):
    filterset_class = VolunteerFilterSet
    columns = VOLUNTEER_EXPORT
    basename = "volunteers"


class VolunteerDetailView(VolunteerMixin, generic.ObjectDetailView):
    template_name = "volunteers/volunteer_detail.html"
    fields = [
        "phone_masked",
        "occupation",
        "platform",
        "skills",
        "availability",
        "point",
        "region",
        "state",
        "signed_up_on",
        "confirmed_on",
        "left_on",
        "submissions",
        "consent_time",
        "hours_total",
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        volunteer = self.object
        # No edit form: people change their own record; staff review, withdraw or re-link.
        context["can_review"], context["can_change"] = context["can_change"], False
        context.update(
            signups=TaskSignup.objects.filter(volunteer=volunteer)
            .select_related("task", "confirmed_by")
            .order_by("-task__starts_at"),
            in_pool=bool(
                pool.pool_members(
                    Volunteer.objects.filter(pk=volunteer.pk), pool.first_of(timezone.localdate())
                )
            ),
            window=pool.POOL_WINDOW_MONTHS,
            withdrawn=volunteer.state == VolunteerState.WITHDRAWN,
            new_link=self.request.session.pop(f"volunteer-link-{volunteer.pk}", None),
        )
        return context


class VolunteerHistoryView(VolunteerMixin, generic.ObjectHistoryView):
    pass


def _changeable(request: HttpRequest, pk: int) -> Volunteer:
    if not request.user.has_perm("volunteers.change_volunteer"):
        raise PermissionDenied
    return get_object_or_404(restrict(Volunteer.objects.all(), request.user, "change"), pk=pk)


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = _changeable(request, pk)
    confirm = request.POST.get("decision") == "confirm"
    try:
        signup.review(volunteer, confirm=confirm, by=request.user)
    except signup.VolunteerError as exc:
        messages.error(request, exc.message)
    else:
        message = _("Confirmed “%(name)s”.") if confirm else _("Marked “%(name)s” inactive.")
        messages.success(request, message % {"name": volunteer})
    return redirect(request.POST.get("next") or volunteer.get_absolute_url())


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff withdraw a volunteer who asked them to (by phone or at a point)."""
    volunteer = _changeable(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the volunteer asked to withdraw."))
        return redirect(volunteer.get_absolute_url())
    signup.withdraw(volunteer, by=request.user)
    messages.success(request, _("The volunteer has withdrawn; their personal details are deleted."))
    return redirect(volunteer.get_absolute_url())


@login_required
@require_POST
def new_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a new private link; it is shown once, for staff to pass on to the volunteer."""
    volunteer = _changeable(request, pk)
    try:
        volunteer = signup.new_link(volunteer)
    except signup.VolunteerError as exc:
        messages.error(request, exc.message)
        return redirect(volunteer.get_absolute_url())
    url = request.build_absolute_uri(reverse("volunteers_public:me", args=[volunteer.token]))
    request.session[f"volunteer-link-{volunteer.pk}"] = url
    messages.success(request, _("A new private link was made; the old one no longer works."))
    return redirect(volunteer.get_absolute_url())
