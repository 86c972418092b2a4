"""Members' responsibility zones: each branch's zones (phone-friendly, printable), planning new
ones. A branch secretary works on their own branch only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jiequ.core.scoping import organisation_in_scope
from jiequ.party.models import Organisation

from . import zones
from .forms_plans import ZonePlanForm
from .models import Plan, PlanKind, PlanState, Zone
from .planner import PlanError


def _branches(user):
    """Organisations the user sees that cover shops (the ones zones can be planned for)."""
    return (
        Organisation.objects.restrict(user)
        .filter(dissolved_on__isnull=True, coverage_links__isnull=False)
        .annotate(
            n_shops=Count("coverage_links", distinct=True),
            n_zones=Count("zones", distinct=True),
            n_members=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
        )
        .select_related("region")
        .order_by("region__path", "name")
    )


def _may_plan(user, organisation: Organisation) -> bool:
    return (
        user.has_perm("coverage.add_plan")
        and user.has_perm("coverage.add_zone")
        and organisation_in_scope(user, organisation)
    )


@login_required
def zone_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("coverage.view_zone"):
        raise PermissionDenied
    if user.scope_organisation_id and user.organisation_scope_ids() is not None:
        return redirect("coverage:zone_branch", user.scope_organisation_id)
    return render(request, "coverage/zone_index.html", {"branches": _branches(user)[:500]})


@login_required
def zone_branch(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not user.has_perm("coverage.view_zone"):
        raise PermissionDenied
    organisation = get_object_or_404(Organisation.objects.restrict(user), pk=pk)
    visible = set(
        Zone.objects.restrict(user).filter(organisation=organisation).values_list("pk", flat=True)
    )
    zone_list = [(z, shops) for z, shops in zones.zones_of(organisation) if z.pk in visible]
    drafts = Plan.objects.restrict(user).filter(
        kind=PlanKind.ZONES, organisation=organisation, state=PlanState.DRAFT
    )
    covered = zones.branch_shops(organisation).count()
    in_zones = {e.pk for _z, shops in zone_list for e in shops}
    return render(
        request,
        "coverage/zone_branch.html",
        {
            "organisation": organisation,
            "zones": zone_list,
            "drafts": drafts,
            "covered": covered,
            "outside": covered - len(in_zones),
            "can_plan": _may_plan(user, organisation),
            "members": zones.active_members(organisation).count(),
        },
    )


@login_required
def zone_plan_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = get_object_or_404(Organisation.objects.restrict(user), pk=pk)
    if not _may_plan(user, organisation):
        raise PermissionDenied
    form = ZonePlanForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = zones.propose_zones(
                organisation, data["members"], data["balance_by"], user, data["name"]
            )
        except PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _(
                    "Proposed %(k)d zones for %(n)d shops; each member's own shop stays in "
                    "their zone."
                )
                % {"k": plan.k, "n": plan.measures.get("shops", 0)},
            )
            return redirect(plan)
    return render(
        request,
        "coverage/zone_plan_form.html",
        {
            "form": form,
            "organisation": organisation,
            "covered": zones.branch_shops(organisation).filter(lat__isnull=False).count(),
        },
        status=400 if request.method == "POST" else 200,
    )
