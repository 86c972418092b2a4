"""The planner's pages: plans of street-block branches (and of zones), adjusted and applied.

Branch plans are for subdistrict staff who may set up organisations (party.add_organisation);
zone plans belong to one branch and its secretary may work on them too (their account's
organisation scope limits them to it). Every change on the detail page is a small POST that
answers, for htmx, with the refreshed work area (measures, legend, table and map points).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.areas.geo import reproject
from jiequ.areas.models import Region, RegionLevel
from jiequ.core import views as generic
from jiequ.core.scoping import organisation_in_scope, region_in_scope, user_scope_path

from . import planner, zones
from .forms_plans import ApplyBranchesForm, ApplyZonesForm, BranchPlanForm, RenameForm
from .models import Plan, PlanGroup, PlanKind, PlanShop, PlanState
from .planner import PlanError

# Distinct colours for groups; beyond these, hues are spread around the wheel.
PALETTE = [
    "#d32f2f", "#1976d2", "#388e3c", "#f57c00", "#7b1fa2", "#0097a7",
    "#c2185b", "#5d4037", "#689f38", "#303f9f", "#fbc02d", "#455a64",
]  # fmt: skip


def group_colour(number: int) -> str:
    if number < len(PALETTE):
        return PALETTE[number]
    hue = (number * 137.508) % 360  # golden angle
    return f"hsl({hue:.0f}, 65%, 45%)"


def branch_planning_allowed(user: Any) -> bool:
    """Branch plans create organisations: they need both rights."""
    return user.has_perm("coverage.add_plan") and user.has_perm("party.add_organisation")


def plannable_subdistricts(user: Any):
    """Subdistricts lying wholly inside the user's scope (where they may plan branches)."""
    qs = Region.objects.filter(level=RegionLevel.SUBDISTRICT)
    if user.is_superuser:
        return qs
    path = user_scope_path(user)
    return qs.filter(path__startswith=path) if path else qs.none()


def _get_plan(request: HttpRequest, pk: int, action: str = "view") -> Plan:
    """The plan if the user may take `action` on it; 404 outside their scope."""
    plan = get_object_or_404(
        Plan.objects.restrict(request.user, action).select_related(
            "subdistrict", "organisation", "author", "applied_by"
        ),
        pk=pk,
    )
    if action != "view":
        if plan.kind == PlanKind.BRANCHES and not request.user.has_perm("party.add_organisation"):
            raise PermissionDenied
        if plan.kind == PlanKind.ZONES and not organisation_in_scope(
            request.user, plan.organisation
        ):
            raise Http404
        if plan.kind == PlanKind.BRANCHES and not region_in_scope(request.user, plan.subdistrict):
            raise Http404
    return plan


def _may(request: HttpRequest, plan: Plan, action: str) -> bool:
    try:
        _get_plan(request, plan.pk, action)
    except (Http404, PermissionDenied):
        return False
    return True


# --------------------------------------------------------------------------------------------
# List and new plan


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("coverage.view_plan"):
        raise PermissionDenied
    plans = Plan.objects.restrict(user).select_related(
        "subdistrict", "organisation", "author", "applied_by"
    )
    kind = request.GET.get("kind")
    if kind in PlanKind.values:
        plans = plans.filter(kind=kind)
    state = request.GET.get("state")
    if state in PlanState.values:
        plans = plans.filter(state=state)
    can_add = branch_planning_allowed(user) and plannable_subdistricts(user).exists()
    return render(
        request,
        "coverage/plan_list.html",
        {
            "plans": plans[:200],
            "kind": kind,
            "state": state,
            "kinds": PlanKind.choices,
            "states": PlanState.choices,
            "can_add": can_add,
        },
    )


@login_required
def plan_add(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not branch_planning_allowed(user):
        raise PermissionDenied
    subdistricts = plannable_subdistricts(user)
    if not subdistricts.exists():
        raise PermissionDenied
    form = BranchPlanForm(request.POST or None, subdistricts=subdistricts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = planner.propose(
                data["subdistrict"],
                form.entities,
                data["k"],
                data["balance_by"],
                user,
                data["name"],
                selection=form.selection,
            )
        except PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _(
                    "Proposed %(k)d groups for %(n)d shops. "
                    "Check them on the map, adjust, then apply."
                )
                % {"k": plan.k, "n": plan.measures.get("shops", 0)},
            )
            return redirect(plan)
    uncovered = [
        (s, planner.uncovered_street_shops(s).filter(lat__isnull=False).count())
        for s in subdistricts[:20]
    ]
    return render(
        request,
        "coverage/plan_form.html",
        {"form": form, "uncovered": uncovered},
        status=400 if request.method == "POST" else 200,
    )


# --------------------------------------------------------------------------------------------
# Detail and the work area


def _work_context(request: HttpRequest, plan: Plan, **extra: Any) -> dict[str, Any]:
    """Everything the work area shows: measures, groups with their shops, map points."""
    measures = plan.measures or {}
    stats = {g["number"]: g for g in measures.get("groups", [])}
    groups = list(PlanGroup.objects.filter(plan=plan).select_related("member", "organisation"))
    rows = (
        PlanShop.objects.filter(plan=plan)
        .select_related("entity__road")
        .order_by("group", "entity__road__name", "entity__number", "entity_id")
    )
    shops_of: dict[int, list[PlanShop]] = defaultdict(list)
    points = []
    crs = settings.JIEQU_MAP["TILE_CRS"]
    for r in rows:
        shops_of[r.group].append(r)
        e = r.entity
        if e.lat is None or e.lon is None:
            continue
        lon, lat = reproject({"type": "Point", "coordinates": [float(e.lon), float(e.lat)]}, crs)[
            "coordinates"
        ]
        points.append(
            {
                "id": e.pk,
                "lat": lat,
                "lon": lon,
                "g": r.group,
                "locked": r.locked,
                "name": e.display_name,
                "road": f"{e.road.name}{e.number}" if e.road_id else e.address,
                "workers": e.worker_count,
            }
        )
    group_rows = []
    for g in groups:
        stat = stats.get(g.number, {})
        group_rows.append(
            {
                "group": g,
                "label": planner.group_label(g),
                "colour": group_colour(g.number),
                "stat": stat,
                "roads_text": "、".join(
                    f"{name} {count}" for name, count in stat.get("roads", [])[:6]
                )
                + ("…" if len(stat.get("roads", [])) > 6 else ""),
                "shops": shops_of.get(g.number, []),
            }
        )
    editable = plan.state == PlanState.DRAFT and _may(request, plan, "change")
    return {
        "plan": plan,
        "measures": measures,
        "groups": group_rows,
        "points": {
            "points": points,
            "colours": [group_colour(g.number) for g in groups],
            "labels": [planner.group_label(g) for g in groups],
        },
        "editable": editable,
        "ideal": (measures.get("workers" if measures.get("by_weight") else "shops", 0) / plan.k)
        if plan.k
        else 0,
        **extra,
    }


def _organisation_url(organisation: Any) -> str | None:
    try:
        return organisation.get_absolute_url()
    except NoReverseMatch:
        return None


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk)
    context = _work_context(request, plan)
    context.update(
        can_apply=context["editable"],
        can_delete=plan.state == PlanState.DRAFT and _may(request, plan, "delete"),
        branches=[
            (g["group"].organisation, _organisation_url(g["group"].organisation))
            for g in context["groups"]
            if g["group"].organisation_id
        ],
        zones_url=reverse("coverage:zone_branch", args=[plan.organisation_id])
        if plan.organisation_id
        else None,
        map_labels={"workers": _("workers"), "locked": _("locked")},
    )
    return render(request, "coverage/plan_detail.html", context)


def _after_change(
    request: HttpRequest, plan: Plan, ok: str | None = None, error: str | None = None
) -> HttpResponse:
    """htmx: the refreshed work area with the message; otherwise back to the plan's page."""
    if request.headers.get("HX-Request"):
        plan.refresh_from_db()
        context = _work_context(request, plan, ok=ok, error=error)
        return render(request, "coverage/plan_work.html", context)
    if error:
        messages.error(request, error)
    elif ok:
        messages.success(request, ok)
    return redirect(plan)


def _change(request: HttpRequest, pk: int, action, ok_message) -> HttpResponse:
    plan = _get_plan(request, pk, "change")
    try:
        result = action(plan)
    except PlanError as exc:
        return _after_change(request, plan, error=str(exc))
    return _after_change(request, plan, ok=ok_message(result))


@login_required
@require_POST
def plan_move(request: HttpRequest, pk: int) -> HttpResponse:
    ids = request.POST.getlist("entity")
    group = request.POST.get("group")
    return _change(
        request,
        pk,
        lambda plan: planner.move(plan, ids, group),
        lambda n: _("Moved %(n)d shop(s) and locked them in their new group.") % {"n": n},
    )


@login_required
@require_POST
def plan_lock(request: HttpRequest, pk: int) -> HttpResponse:
    ids = request.POST.getlist("entity")
    return _change(
        request,
        pk,
        lambda plan: planner.lock(plan, ids),
        lambda n: _("Locked %(n)d shop(s): a re-run keeps them in their group.") % {"n": n},
    )


@login_required
@require_POST
def plan_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    ids = request.POST.getlist("entity")
    return _change(
        request,
        pk,
        lambda plan: planner.unlock(plan, ids),
        lambda n: _("Unlocked %(n)d shop(s).") % {"n": n},
    )


@login_required
@require_POST
def plan_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        planner.rerun,
        lambda plan: _("Re-run done: locked shops stayed in their groups."),
    )


@login_required
@require_POST
def plan_rename(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    form = RenameForm(request.POST)
    if not form.is_valid():
        plan = _get_plan(request, pk, "change")
        return _after_change(request, plan, error=_("A group name has at most 100 characters."))
    return _change(
        request,
        pk,
        lambda plan: planner.rename(plan, number, form.cleaned_data["name"]),
        lambda group: _("Group renamed to “%(name)s”.") % {"name": planner.group_label(group)},
    )


# --------------------------------------------------------------------------------------------
# Apply and delete


@login_required
def plan_apply(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk, "change")
    user = request.user
    if plan.state != PlanState.DRAFT:
        messages.error(request, _("This plan has been applied; it can no longer be changed."))
        return redirect(plan)
    zone_plan = plan.kind == PlanKind.ZONES
    if zone_plan:
        if not (user.has_perm("coverage.add_zone") and user.has_perm("coverage.delete_zone")):
            raise PermissionDenied
        form = ApplyZonesForm(request.POST or None)
    else:
        if not (
            user.has_perm("party.add_organisation") and user.has_perm("party.add_coveragelink")
        ):
            raise PermissionDenied
        form = ApplyBranchesForm(request.POST or None, plan=plan, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            if zone_plan:
                created = zones.apply_zones(plan, user, form.cleaned_data["duties"])
                messages.success(
                    request,
                    _("Applied: %(n)d responsibility zone(s) now replace the branch's old ones.")
                    % {"n": len(created)},
                )
                return redirect("coverage:zone_branch", plan.organisation_id)
            created = planner.apply(plan, user, form.cleaned_data["parent"])
        except PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Applied: %(n)d street-block branch(es) created: %(names)s.")
                % {"n": len(created), "names": "、".join(o.name for o in created)},
            )
            return redirect(plan)
    context = _work_context(request, plan)
    already = 0
    if not zone_plan:
        already = (
            PlanShop.objects.filter(plan=plan)
            .filter(
                entity__coverage_links__organisation__category="street_block",
                entity__coverage_links__organisation__dissolved_on__isnull=True,
            )
            .values("entity_id")
            .distinct()
            .count()
        )
    context.update(form=form, zone_plan=zone_plan, already_covered=already)
    return render(
        request,
        "coverage/plan_apply.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk, "delete")
    if plan.state != PlanState.DRAFT:
        messages.error(
            request,
            _("An applied plan is kept as the record of how its groups were set up."),
        )
        return redirect(plan)
    if request.method == "POST":
        organisation_id = plan.organisation_id
        name = plan.name
        try:
            planner.delete_draft(plan)
        except PlanError as exc:
            messages.error(request, str(exc))
            return redirect(plan)
        messages.success(request, _("Deleted the draft plan “%(name)s”.") % {"name": name})
        if organisation_id:
            return redirect("coverage:zone_branch", organisation_id)
        return redirect("coverage:plan_list")
    return render(request, "coverage/plan_delete.html", {"plan": plan})


class PlanHistoryView(generic.ObjectHistoryView):
    model = Plan
    url_prefix = "coverage:plan"
