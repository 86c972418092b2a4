"""Survey rounds, walk lists and the visit form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.areas.models import RegionLevel
from jiequ.core import views as generic
from jiequ.core.scoping import restrict

from . import rounds
from .filtersets import RoundFilterSet
from .forms_rounds import OpenRoundForm, VisitForm
from .models import Entity, SurveyRound, Visit, VisitAssignment


class RoundListView(generic.ObjectListView):
    model = SurveyRound
    url_prefix = "ledger:round"
    columns = ["number", "subdistrict", "opened_on", "due_on", "closed_on"]
    filterset_class = RoundFilterSet


def _user_subdistrict(user):
    region = user.scope_region
    if region is None:
        return None
    return region if region.level == RegionLevel.SUBDISTRICT else region.subdistrict


@login_required
@permission_required("ledger.add_surveyround", raise_exception=True)
def round_open(request: HttpRequest) -> HttpResponse:
    subdistrict = _user_subdistrict(request.user)
    if subdistrict is None:
        raise PermissionDenied
    form = OpenRoundForm(request.POST or None, subdistrict=subdistrict)
    if request.method == "POST" and form.is_valid():
        survey_round = rounds.open_round(
            subdistrict,
            form.cleaned_data["due_on"],
            grids=list(form.cleaned_data["grids"]),
            opened_by=request.user,
        )
        messages.success(
            request,
            _("Round %(n)d opened: %(count)d entities on the walk lists.")
            % {"n": survey_round.number, "count": survey_round.assignments.count()},
        )
        return redirect(survey_round)
    return render(request, "ledger/round_open.html", {"form": form, "subdistrict": subdistrict})


@login_required
@permission_required("ledger.view_surveyround", raise_exception=True)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = get_object_or_404(restrict(SurveyRound.objects.all(), request.user), pk=pk)
    assignments = restrict(survey_round.assignments.all(), request.user)
    total, by_grid, by_visitor = rounds.round_progress(survey_round, assignments)
    return render(
        request,
        "ledger/round_detail.html",
        {
            "round": survey_round,
            "total": total,
            "by_grid": by_grid,
            "by_visitor": by_visitor,
            "can_close": survey_round.is_open
            and restrict(SurveyRound.objects.filter(pk=pk), request.user, "change").exists(),
        },
    )


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = get_object_or_404(
        restrict(SurveyRound.objects.all(), request.user, "change"), pk=pk
    )
    if survey_round.is_open:
        survey_round.closed_on = timezone.localdate()
        survey_round.save()
        messages.success(request, _("The round is closed."))
    return redirect(survey_round)


@login_required
@permission_required("ledger.add_visit", raise_exception=True)
def my_walk_list(request: HttpRequest) -> HttpResponse:
    """The visitor's own entities in open rounds: still to visit first, in walk order."""
    assignments = (
        VisitAssignment.objects.filter(visitor=request.user, round__closed_on__isnull=True)
        .select_related("entity", "entity__road", "round", "visit")
        .order_by("visit_id", "entity__road__name", "entity__number")
    )
    todo = [a for a in assignments if a.visit_id is None]
    done = [a for a in assignments if a.visit_id is not None]
    return render(request, "ledger/walk_list.html", {"todo": todo, "done": done})


@login_required
@permission_required("ledger.add_visit", raise_exception=True)
def visit_entity(request: HttpRequest, pk: int) -> HttpResponse:
    entity = get_object_or_404(restrict(Entity.objects.all(), request.user), pk=pk)
    initial = {
        "visited_on": timezone.localdate(),
        "state_found": entity.state,
        "worker_count": entity.worker_count,
    }
    form = VisitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        rounds.record_visit(entity, request.user, **form.cleaned_data)
        messages.success(request, _("Visit to “%(entity)s” recorded.") % {"entity": entity})
        return redirect("ledger:walk_list")
    history = restrict(Visit.objects.filter(entity=entity), request.user)[:5]
    return render(
        request, "ledger/visit_form.html", {"form": form, "entity": entity, "history": history}
    )
