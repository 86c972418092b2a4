"""The visit plan (walk list), the phone-first visit form, a visitor's own list, assigning."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core.scoping import can, restrict

from . import plan
from .forms import AssignForm, DemandFormSet, VisitForm
from .models import SurveyState, SurveyVisit
from .views import scoped_survey, scoped_visits
from .visits import DemandInput, VisitConflict, record_visit


def _walk_groups(visits: list[SurveyVisit]) -> list[dict[str, Any]]:
    """The walk split by road and side of the street, in walk order."""
    groups = []
    for (road, side), rows in groupby(
        visits, key=lambda v: (v.entity.road.name if v.entity.road_id else "", plan.side(v.entity))
    ):
        groups.append({"road": road, "side": side, "visits": list(rows)})
    return groups


@login_required
def survey_plan(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    survey = scoped_survey(user, pk)
    if not user.has_perm("surveys.view_surveyvisit"):
        raise PermissionDenied
    visits = list(
        scoped_visits(user, survey)
        .select_related("entity", "entity__road", "visitor")
        .annotate(demand_count=Count("demands"))
        .order_by("order", "pk")
    )
    can_assign = can(user, "change", survey) and user.has_perm("surveys.change_surveyvisit")
    form = None
    if can_assign:
        ids = [v.pk for v in visits if v.visited_on is None]
        form = AssignForm(request.POST or None, user=user, visit_ids=ids)
        if request.method == "POST" and form.is_valid():
            n, left = plan.assign(survey, form.cleaned_data["visits"], form.cleaned_data["visitor"])
            messages.success(request, _("%(n)d shops handed over.") % {"n": n})
            if left:
                messages.error(
                    request,
                    _("%(n)d shops lie outside that visitor's area of work: not handed over.")
                    % {"n": left},
                )
            return redirect("surveys:survey_plan", survey.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "surveys/survey_plan.html",
        {
            "object": survey,
            "groups": _walk_groups(visits),
            "count": len(visits),
            "form": form,
            "can_visit": user.has_perm("surveys.change_surveyvisit")
            and survey.state != SurveyState.DONE,
            "can_remove": user.has_perm("surveys.delete_surveyvisit")
            and survey.state != SurveyState.DONE,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
@require_POST
def visit_remove(request: HttpRequest, pk: int, visit_pk: int) -> HttpResponse:
    survey = scoped_survey(request.user, pk, "change")
    visit = get_object_or_404(scoped_visits(request.user, survey, "delete"), pk=visit_pk)
    try:
        plan.remove(survey, visit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("“%(shop)s” taken off the survey.") % {"shop": visit.entity})
    return redirect("surveys:survey_plan", survey.pk)


@login_required
def visit(request: HttpRequest, pk: int, visit_pk: int) -> HttpResponse:
    user = request.user
    survey = scoped_survey(user, pk)
    row = get_object_or_404(
        scoped_visits(user, survey, "change").select_related("entity", "entity__road", "survey"),
        pk=visit_pk,
    )
    demands = list(row.demands.select_related("category", "case"))
    if request.method == "POST":
        form = VisitForm(request.POST, visit=row)
        formset = DemandFormSet(request.POST, prefix="demands")
        if survey.state == SurveyState.DONE:
            form.add_error(None, _("This survey is done; its visits can no longer change."))
        elif form.is_valid() and formset.is_valid():
            inputs = [
                DemandInput(d["category_obj"], d["text"], d.get("open_case", False))
                for d in formset.cleaned_data
                if d and d.get("text") and d.get("category_obj")
            ]
            try:
                saved = record_visit(
                    row,
                    user,
                    visited_on=form.cleaned_data["visited_on"],
                    state_found=form.cleaned_data["state_found"],
                    answers=form.answers(),
                    notes=form.cleaned_data["notes"],
                    demands=inputs,
                    loaded_at=form.cleaned_data.get("loaded_at"),
                )
            except VisitConflict as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                opened = sum(1 for d in inputs if d.open_case)
                text = _("Visit of “%(shop)s” saved.") % {"shop": saved.entity}
                if opened:
                    text += " " + _("%(n)d demands sent to the demands desk.") % {"n": opened}
                messages.success(request, text)
                following = plan.next_visit(survey, user, after=saved)
                if following is not None and "next" in request.POST:
                    return redirect(following.get_absolute_url())
                return redirect("surveys:survey_plan", survey.pk)
        status = 400
    else:
        form = VisitForm(visit=row)
        formset = DemandFormSet(prefix="demands")
        status = 200
    return render(
        request,
        "surveys/visit_form.html",
        {
            "survey": survey,
            "visit": row,
            "form": form,
            "formset": formset,
            "demands": demands,
            "can_open_case": user.has_perm("cases.add_case"),
            "done": survey.state == SurveyState.DONE,
        },
        status=status,
    )


@login_required
def my_visits(request: HttpRequest) -> HttpResponse:
    """The shops the user is to visit on surveys still open, in walk order per survey."""
    user = request.user
    if not user.has_perm("surveys.change_surveyvisit"):
        raise PermissionDenied
    rows = list(
        restrict(SurveyVisit.objects.all(), user, "change")
        .filter(visitor=user)
        .exclude(survey__state=SurveyState.DONE)
        .select_related("survey", "entity", "entity__road")
        .order_by("survey__starts_on", "survey_id", "order")
    )
    surveys = []
    for survey, visits in groupby(rows, key=lambda v: v.survey):
        visits = list(visits)
        surveys.append(
            {
                "survey": survey,
                "pending": [v for v in visits if v.visited_on is None],
                "done": sum(1 for v in visits if v.visited_on is not None),
                "total": len(visits),
                "plan_url": reverse("surveys:survey_plan", args=[survey.pk]),
            }
        )
    return render(request, "surveys/my_visits.html", {"surveys": surveys})
