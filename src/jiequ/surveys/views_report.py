"""The survey's report as a page (with the authors' recommendations to edit) and as a PDF; the
visits' answers as a spreadsheet.

The report's figures cover the whole survey (it is the document the subdistrict discusses); the
list of shops shows only the shops the reader may see.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jiequ.core.columns import display_value
from jiequ.core.exports import rows_response
from jiequ.core.scoping import can

from . import pdf, report
from .forms import RecommendationsForm
from .models import Survey, SurveyDemand
from .questions import display_answer
from .views import scoped_survey, scoped_visits


def _shops(user: Any, survey: Survey, action: str = "view") -> list[Any]:
    if not user.has_perm(f"surveys.{action}_surveyvisit"):
        return []
    return list(
        scoped_visits(user, survey, action)
        .select_related("entity", "entity__road", "visitor")
        .prefetch_related(
            Prefetch("demands", queryset=SurveyDemand.objects.select_related("category", "case"))
        )
        .order_by("order", "pk")
    )


@login_required
def survey_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    survey = scoped_survey(user, pk)
    can_edit = can(user, "change", survey)
    form = RecommendationsForm(instance=survey, user=user) if can_edit else None
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = RecommendationsForm(request.POST, instance=survey, user=user)
        if form.is_valid():
            form.instance._change_reason = "recommendations"
            form.save()
            messages.success(request, _("Recommendations saved."))
            return redirect("surveys:survey_report", survey.pk)
        status = 400
    data = report.build(survey)
    return render(
        request,
        "surveys/survey_report.html",
        {
            "object": survey,
            "report": data,
            "shops": _shops(user, survey),
            "form": form,
            "charts": {
                "industry": [{"name": r.label, "value": r.n} for r in data.industry[:10]],
                "demands": [{"name": r.label, "value": r.n} for r in data.demands[:10]],
            },
        },
        status=status,
    )


@login_required
def survey_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    survey = scoped_survey(user, pk)
    subdistrict = survey.region.subdistrict
    content = pdf.render(
        report.build(survey), _shops(user, survey), subdistrict.name if subdistrict else ""
    )
    response = HttpResponse(content, content_type="application/pdf")
    name = slugify(survey.title, allow_unicode=True) or "survey"
    # An ASCII name for old readers, the survey's title for the others.
    response["Content-Disposition"] = (
        f"inline; filename=\"survey-{survey.pk}.pdf\"; filename*=UTF-8''{quote(name)}.pdf"
    )
    return response


@login_required
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Every visit's answers, one row per shop, one column per question."""
    user = request.user
    survey = scoped_survey(user, pk)
    if not user.has_perm("surveys.export_surveyvisit"):
        raise PermissionDenied
    questions = survey.questions
    headers = [
        _("order"),
        _("shop"),
        _("road"),
        _("street number"),
        _("address"),
        _("industry"),
        _("kind"),
        _("visitor"),
        _("visited on"),
        _("state found"),
        *[q["text"] for q in questions],
        _("demands"),
        _("case numbers"),
        _("notes"),
    ]
    rows = []
    for v in _shops(user, survey, "export"):
        entity = v.entity
        demands = list(v.demands.all())
        rows.append(
            [
                v.order,
                entity.display_name,
                entity.road.name if entity.road_id else "",
                entity.number,
                entity.address,
                display_value(entity, "industry"),
                display_value(entity, "kind"),
                str(v.visitor or ""),
                v.visited_on,
                v.get_state_found_display(),
                *[display_answer(q, (v.answers or {}).get(q["key"])) for q in questions],
                "；".join(f"{d.category.name}：{d.text}" for d in demands),
                "；".join(d.case.number for d in demands if d.case_id),
                v.notes,
            ]
        )
    fmt = request.GET.get("format", "xlsx")
    return rows_response(headers, rows, fmt, f"survey-{survey.pk}")
