"""Applications to join: the list, adding one, the 25-step timeline, the pipeline board."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.exports import export_response
from jiequ.core.scoping import restrict
from jiequ.party.models import Organisation

from . import board, procedure, services
from .filtersets import ApplicationFilterSet
from .forms import CONSENT_TEXT, ApplicationForm, ExtendForm, StepForm, StopForm, branches_for
from .models import Application, ApplicationStep, Stage

LIST_COLUMNS = [
    "name",
    "organisation",
    "stage",
    "applied_on",
    "next_step_label",
    "next_due_label",
    "overdue_label",
]
EXPORT_COLUMNS = [
    "name",
    "phone_masked",
    "organisation",
    "workplace",
    "stage",
    "applied_on",
    "next_step_label",
    "next_due_label",
    "overdue_label",
    "probation_extension_months",
    "stopped_on",
    "stopped_reason",
]


class ApplicationMixin:
    model = Application
    url_prefix = "development:application"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organisation__region", "workplace")
            .prefetch_related("steps")
        )


class ApplicationListView(ApplicationMixin, generic.ObjectListView):
    filterset_class = ApplicationFilterSet
    columns = LIST_COLUMNS
    template_name = "development/application_list.html"

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        board.with_progress(list(object_list))  # fills object_list's cache, progress and all
        return paginator, page, object_list, is_paginated

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["board_url"] = reverse("development:board")
        return context


class ApplicationExportView(ApplicationMixin, generic.ObjectExportView):
    filterset_class = ApplicationFilterSet
    columns = EXPORT_COLUMNS
    basename = "applications"

    def get(self, request: HttpRequest) -> HttpResponse:
        qs = self.get_queryset()
        filterset = self.filterset_class(request.GET or None, queryset=qs, request=request)
        if filterset.is_bound:
            qs = filterset.qs if filterset.is_valid() else qs.none()
        board.with_progress(list(qs))  # the export then reads these rows from qs's cache
        return export_response(qs, self.columns, request.GET.get("format", "csv"), self.basename)


class ApplicationHistoryView(ApplicationMixin, generic.ObjectHistoryView):
    template_name = "development/application_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["steps"] = [
            (procedure.STEP_BY_NUMBER.get(step.number), step)
            for step in restrict(
                ApplicationStep.objects.filter(application=self.object), self.request.user
            ).select_related("recorded_by")
        ]
        return context


@login_required
@permission_required("development.add_application", raise_exception=True)
def application_add(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = services.create_application(
                    organisation=data["organisation"],
                    name=data["name"],
                    birth_date=data["birth_date"],
                    phone=data["phone"],
                    applied_on=data["applied_on"],
                    workplace=data["workplace"],
                    consent_text=str(CONSENT_TEXT),
                    note=data["note"],
                    by=request.user,
                )
            except procedure.Refused as refused:
                return render(
                    request,
                    "development/application_form.html",
                    {"form": form, "refusals": refused.refusals},
                    status=400,
                )
            messages.success(request, _("Application of “%(name)s” added.") % {"name": application})
            return redirect(application)
    return render(request, "development/application_form.html", {"form": form}, status=status)


def _member_url(application: Application) -> str | None:
    if application.member_id is None:
        return None
    try:
        return reverse("members:member_detail", args=[application.member_id])
    except NoReverseMatch:
        return None


def _detail(
    request: HttpRequest,
    application: Application,
    *,
    step_form: StepForm | None = None,
    stop_form: StopForm | None = None,
    extend_form: ExtendForm | None = None,
    refusals: list[procedure.Refusal] | None = None,
    refused_action: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    (application,) = board.with_progress([application])
    progress = application.progress
    can_change = restrict(Application.objects.filter(pk=application.pk), user, "change").exists()
    can_record = can_change and user.has_perm("development.add_applicationstep")
    nxt = progress.next_step
    phases = []
    for phase in procedure.PHASES:
        rows = [
            {
                "step": step,
                "done": progress.done.get(step.number),
                "late": progress.late.get(step.number),
                "is_next": nxt is not None and step.number == nxt.number,
            }
            for step in procedure.STEPS
            if step.phase == phase.key
        ]
        phases.append((phase, rows))
    if can_record and nxt is not None and step_form is None:
        step_form = StepForm(step=nxt)
    is_open = application.stage not in (Stage.STOPPED, Stage.FULL)
    can_extend = (
        can_change
        and application.stage == Stage.PROBATIONARY
        and not application.probation_extension_months
        and 23 not in progress.done
    )
    context = {
        "object": application,
        "application": application,
        "progress": progress,
        "phases": phases,
        "step_form": step_form if can_record and nxt is not None else None,
        "stop_form": (stop_form or StopForm()) if can_change and is_open else None,
        "extend_form": (extend_form or ExtendForm()) if can_extend else None,
        "refusals": refusals or [],
        "refused_action": refused_action,
        "member_url": _member_url(application),
        "probation_end": procedure.probation_end(application, application._rule_book),
        "age": procedure.age_on(application.birth_date, timezone.localdate()),
        "can_change": can_change,
        "list_url": reverse("development:application_list"),
        "board_url": reverse("development:board") + f"?organisation={application.organisation_id}",
    }
    return render(request, "development/application_detail.html", context, status=status)


def _scoped(request: HttpRequest, pk: int, action: str = "view") -> Application:
    if not request.user.has_perm(f"development.{action}_application"):
        raise PermissionDenied
    queryset = restrict(Application.objects.all(), request.user, action)
    return get_object_or_404(queryset.select_related("organisation__region", "workplace"), pk=pk)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _scoped(request, pk))


@login_required
@require_POST
def application_step(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("development.add_applicationstep"):
        raise PermissionDenied
    application = _scoped(request, pk, "change")
    nxt = procedure.next_step(application)
    form = StepForm(request.POST, step=nxt)
    if not form.is_valid():
        return _detail(request, application, step_form=form, status=400)
    data = form.cleaned_data
    try:
        step = services.record_step(
            application,
            data["number"],
            data["done_on"],
            people=data["people"],
            note=data["note"],
            by=request.user,
        )
    except procedure.Refused as refused:
        return _detail(
            request,
            application,
            step_form=form,
            refusals=refused.refusals,
            refused_action="step",
            status=400,
        )
    messages.success(
        request,
        _("Step %(n)d recorded: %(name)s.")
        % {"n": step.number, "name": procedure.STEP_BY_NUMBER[step.number].name},
    )
    if step.number == 17:
        messages.success(request, _("The probationary member record was created."))
    return redirect(application)


@login_required
@require_POST
def application_stop(request: HttpRequest, pk: int) -> HttpResponse:
    application = _scoped(request, pk, "change")
    form = StopForm(request.POST)
    if not form.is_valid():
        return _detail(request, application, stop_form=form, status=400)
    try:
        services.stop(application, form.cleaned_data["reason"], by=request.user)
    except procedure.Refused as refused:
        return _detail(
            request,
            application,
            stop_form=form,
            refusals=refused.refusals,
            refused_action="stop",
            status=400,
        )
    messages.success(request, _("The application was stopped."))
    return redirect(application)


@login_required
@require_POST
def application_extend(request: HttpRequest, pk: int) -> HttpResponse:
    application = _scoped(request, pk, "change")
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return _detail(request, application, extend_form=form, status=400)
    try:
        services.extend_probation(
            application,
            form.cleaned_data["months"],
            form.cleaned_data["reason"],
            by=request.user,
        )
    except procedure.Refused as refused:
        return _detail(
            request,
            application,
            extend_form=form,
            refusals=refused.refusals,
            refused_action="extend",
            status=400,
        )
    messages.success(request, _("Probation was extended."))
    return redirect(application)


@login_required
@permission_required("development.view_application", raise_exception=True)
def board_view(request: HttpRequest) -> HttpResponse:
    """The pipeline board of one organisation (a branch, or everything under a committee)."""
    user = request.user
    organisations = Organisation.objects.restrict(user)
    raw = request.GET.get("organisation", "").strip()
    organisation = None
    if raw:
        if not raw.isdigit():
            raise Http404
        organisation = get_object_or_404(organisations, pk=int(raw))
    elif getattr(user, "scope_organisation_id", None):
        organisation = organisations.filter(pk=user.scope_organisation_id).first()
    applications = restrict(Application.objects.all(), user)
    context: dict[str, Any] = {
        "organisation": organisation,
        "list_url": reverse("development:application_list"),
        "today": timezone.localdate(),
    }
    if organisation is None:
        context["branches"] = branches_for(user)
        return render(request, "development/board.html", context)
    subtree = organisation.subtree_ids()
    columns = board.build_board(applications.filter(organisation_id__in=subtree))
    context.update(
        columns=columns,
        several_branches=len({a.organisation_id for c in columns for a in c.cards}) > 1,
        can_add=user.has_perm("development.add_application"),
        branches=branches_for(user),
    )
    return render(request, "development/board.html", context)
