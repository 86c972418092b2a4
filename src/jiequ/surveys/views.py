"""Road surveys: list, create from a road or a selection, detail with progress, edit, state,
history. Every query goes through restrict(); the work is done in plan.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.scoping import can, restrict

from . import plan
from .filtersets import SurveyFilterSet
from .forms import SurveyCreateForm, SurveyEditForm
from .models import Survey, SurveyState, SurveyVisit

SURVEY_COLUMNS = ["title", "road", "region", "starts_on", "ends_on", "state", "progress"]


class SurveyMixin:
    model = Survey
    url_prefix = "surveys:survey"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("road", "region", "author")


class SurveyListView(SurveyMixin, generic.ObjectListView):
    filterset_class = SurveyFilterSet
    columns = SURVEY_COLUMNS

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .annotate(
                visit_count=Count("visits"),
                visited_count=Count("visits", filter=Q(visits__visited_on__isnull=False)),
            )
            .order_by("-starts_on", "-pk")
        )


class SurveyEditView(SurveyMixin, generic.ObjectEditView):
    form_class = SurveyEditForm


class SurveyHistoryView(SurveyMixin, generic.ObjectHistoryView):
    pass


def scoped_survey(user: Any, pk: int, action: str = "view") -> Survey:
    """The survey if `user` may take `action` on it, else 404."""
    return get_object_or_404(
        restrict(Survey.objects.select_related("road", "region", "author"), user, action), pk=pk
    )


def scoped_visits(user: Any, survey: Survey, action: str = "view") -> Any:
    return restrict(SurveyVisit.objects.filter(survey=survey), user, action)


@login_required
def survey_add(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("surveys.add_survey"):
        raise PermissionDenied
    if request.method == "POST":
        form = SurveyCreateForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                survey = plan.create_survey(
                    user=user,
                    title=data["title"],
                    entities=data["all_entities"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    road=data.get("road") or (data.get("extra_roads") or [None])[0],
                    visitors=list(data.get("visitors") or []),
                    questions=data["questions_text"],
                    purpose=data.get("purpose", ""),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Survey planned: %(n)d shops to visit.") % {"n": survey.visits.count()},
                )
                return redirect("surveys:survey_plan", survey.pk)
        status = 400
    else:
        initial: dict[str, Any] = {}
        if request.GET.get("road"):
            initial["road"] = request.GET["road"]
        if request.GET.getlist("entities"):
            initial["entities"] = request.GET.getlist("entities")
        form = SurveyCreateForm(user=user, initial=initial)
        status = 200
    return render(request, "surveys/survey_add.html", {"form": form}, status=status)


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    survey = scoped_survey(user, pk)
    visits = scoped_visits(user, survey)
    progress = plan.progress(visits)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "object": survey,
            "progress": progress,
            "can_change": can(user, "change", survey),
            "can_export": user.has_perm("surveys.export_surveyvisit"),
            "can_visit": visits.exists() and user.has_perm("surveys.change_surveyvisit"),
            "next_visit": plan.next_visit(survey, user)
            if survey.state != SurveyState.DONE
            else None,
            "states": SurveyState,
            "whole_survey": visits.count() == survey.visits.count(),
        },
    )


@login_required
@require_POST
def survey_state(request: HttpRequest, pk: int) -> HttpResponse:
    survey = scoped_survey(request.user, pk, "change")
    state = request.POST.get("state", "")
    try:
        plan.set_state(survey, state)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The survey is now “%(state)s”.") % {"state": SurveyState(state).label}
        )
    return redirect(survey.get_absolute_url())
