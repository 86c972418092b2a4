"""Case pages: the list (with its filters and export), the overdue list, a case with its timeline
and the actions this user may take, the photos and the change log."""

from __future__ import annotations

import mimetypes
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.columns import display_value, field_label
from jiequ.core.exports import FORMATS, rows_response, table
from jiequ.core.scoping import can, restrict

from . import deadlines, services, workflow
from .filtersets import CaseFilterSet
from .forms import ACTION_FORMS, PhotoForm
from .models import Case, CasePhoto, State
from .photos import MAX_PHOTOS

LIST_COLUMNS = [
    "number",
    "title",
    "place",
    "category",
    "level",
    "state",
    "due_on",
    "assignee",
    "received_at",
]

EXPORT_COLUMNS = [
    "number",
    "received_at",
    "source",
    "request_type",
    "category",
    "title",
    "description",
    "place",
    "address",
    "region",
    "organisation",
    "council",
    "level",
    "state",
    "is_urgent",
    "assignee",
    "due_on",
    "resolved_at",
    "closed_at",
    "solved_level",
    "resolution",
    "escalated_to_district_at",
    "district_reference",
    "reporter_name",
    "phone_masked",
    "rating",
    "rating_comment",
]

DETAIL_FIELDS = [
    "category",
    "request_type",
    "source",
    "place",
    "address",
    "region",
    "organisation",
    "council",
    "assignee",
    "received_at",
    "due_on",
    "level_since",
    "resolution",
    "solved_level",
    "escalated_to_district_at",
    "district_reference",
    "reporter_name",
    "phone_masked",
    "consent_at",
    "rating",
    "rating_comment",
]

# What the person sees after each action.
DONE_MESSAGES = {
    workflow.Action.ASSIGN: gettext_lazy("Assigned."),
    workflow.Action.START: gettext_lazy("Handling started."),
    workflow.Action.RESOLVE: gettext_lazy("Marked resolved; it now waits for verification."),
    workflow.Action.CLOSE: gettext_lazy("Verified and closed."),
    workflow.Action.RETURN: gettext_lazy("Returned to the level below."),
    workflow.Action.REOPEN: gettext_lazy("Reopened."),
    workflow.Action.SUSPEND: gettext_lazy("Suspended; its time limit stops until it resumes."),
    workflow.Action.RESUME: gettext_lazy("Resumed."),
    workflow.Action.ESCALATE: gettext_lazy("Escalated."),
}


def case_queryset(user: Any, action: str = "view") -> QuerySet:
    return restrict(
        Case.objects.select_related(
            "category__parent", "entity", "region", "organisation", "council", "assignee"
        ),
        user,
        action,
    )


class CaseMixin:
    model = Case
    url_prefix = "cases:case"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related(
                "category__parent", "entity", "region", "organisation", "council", "assignee"
            )
        )


class CaseListView(CaseMixin, generic.ObjectListView):
    filterset_class = CaseFilterSet
    columns = LIST_COLUMNS
    template_name = "cases/case_list.html"

    def get_template_names(self) -> list[str]:
        if (
            self.request.headers.get("HX-Request")
            and self.request.headers.get("HX-Target") == "object-table"
        ):
            return ["cases/_case_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(today=today, tabs=_tabs(self.request), export_formats=["xlsx"])
        return context


def _tabs(request: HttpRequest) -> list[tuple[str, str, bool]]:
    """Quick filters above the list: all, mine, overdue, due soon."""
    base = reverse("cases:case_list")
    current = request.GET.urlencode()
    tabs = [
        (_("All"), base, not current),
        (_("Assigned to me"), f"{base}?mine=true", current == "mine=true"),
        (_("Overdue"), f"{base}?overdue=true", current == "overdue=true"),
        (_("Due within a working day"), f"{base}?due_soon=true", current == "due_soon=true"),
        (_("Urgent"), f"{base}?urgent=true", current == "urgent=true"),
    ]
    return tabs


class CaseExportView(CaseMixin, generic.ObjectExportView):
    filterset_class = CaseFilterSet
    columns = EXPORT_COLUMNS
    basename = "cases"

    def get(self, request: HttpRequest) -> HttpResponse:
        qs = self.get_queryset()
        filterset = self.filterset_class(request.GET or None, queryset=qs, request=request)
        if filterset.is_bound:
            qs = filterset.qs if filterset.is_valid() else qs.none()
        headers, rows = table(qs, self.columns)
        # Times as local time to the minute (Excel cells cannot hold a time zone).
        rows = [[_show(value) for value in row] for row in rows]
        fmt = request.GET.get("format") if request.GET.get("format") in FORMATS else "xlsx"
        return rows_response(headers, rows, fmt, self.basename)


class CaseHistoryView(CaseMixin, generic.ObjectHistoryView):
    """The change log of every field, with each change's reason."""


def _case(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(case_queryset(request.user), pk=pk)


def _handoffs(case: Case) -> list[Any]:
    if not case.escalated_to_district_at:
        return []
    try:
        from jiequ.cases import handoff
    except ImportError:  # the outbox is optional for this page
        return []
    return list(handoff.handoff_messages(case)[:5])


def detail_context(
    request: HttpRequest, case: Case, *, forms: dict[str, Any] | None = None, error: str = ""
) -> dict[str, Any]:
    user = request.user
    forms = forms or {}
    actions = workflow.allowed_actions(case, user)
    panels = []
    for action in actions:
        form_class = ACTION_FORMS.get(action)
        if form_class is None:
            continue
        form = forms.get(action) or form_class(case=case, user=user)
        panels.append(
            {
                "action": action,
                "label": workflow.action_label(action),
                "form": form,
                "url": reverse("cases:case_act", args=[case.pk, action]),
                "open": action in forms,
                "danger": action in (workflow.Action.RETURN, workflow.Action.SUSPEND),
            }
        )
    events = list(case.events.select_related("actor"))
    photos = list(case.photos.all())
    today = timezone.localdate()
    late_days = (
        deadlines.working_days_between(case.due_on, today) if case.is_overdue and case.due_on else 0
    )
    return {
        "object": case,
        "case": case,
        "verbose_name_plural": Case._meta.verbose_name_plural,
        "list_url": reverse("cases:case_list"),
        "history_url": reverse("cases:case_history", args=[case.pk]),
        "field_rows": [
            (f, field_label(Case, f), _show(display_value(case, f))) for f in DETAIL_FIELDS
        ],
        "entity_visible": case.entity_id is not None and can(user, "view", case.entity),
        "events": events,
        "photos": photos,
        "panels": panels,
        "why_no_actions": _why_no_actions(case, user) if not panels else "",
        "error": error,
        "late_days": late_days,
        "point": _point(case),
        "handoffs": _handoffs(case),
        "can_add_photos": workflow.refusal_for_user(case, user) is None
        and len(photos) < MAX_PHOTOS,
        "photo_form": forms.get("photos") or PhotoForm(),
    }


def _show(value: Any) -> Any:
    """Times in local time to the minute, dates as YYYY-MM-DD."""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _point(case: Case) -> tuple[Any, Any] | None:
    if case.lat is not None and case.lon is not None:
        return case.lat, case.lon
    if case.entity_id and case.entity.lat is not None and case.entity.lon is not None:
        return case.entity.lat, case.entity.lon
    return None


def _why_no_actions(case: Case, user: Any) -> str:
    if case.state == State.CLOSED:
        return ""
    refusal = workflow.refusal_for_user(case, user)
    return refusal or ""


@login_required
@permission_required("cases.view_case", raise_exception=True)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return render(request, "cases/case_detail.html", detail_context(request, case))


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action from the case page: checked by its form, applied by the workflow."""
    if not request.user.has_perm("cases.change_case"):
        raise PermissionDenied
    case = _case(request, pk)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, case=case, user=request.user)
    if not form.is_valid():
        context = detail_context(request, case, forms={action: form})
        return render(request, "cases/case_detail.html", context, status=400)
    try:
        workflow.apply(case, action, user=request.user, **form.apply_kwargs())
    except workflow.StaleCase as exc:
        case = _case(request, pk)
        context = detail_context(request, case, error=exc.message)
        return render(request, "cases/case_detail.html", context, status=409)
    except workflow.TransitionRefused as exc:
        case = _case(request, pk)
        # Shown once, at the top of the page; the action's panel stays open with what was typed.
        context = detail_context(request, case, forms={action: form}, error=exc.message)
        return render(request, "cases/case_detail.html", context, status=400)
    messages.success(request, DONE_MESSAGES.get(action, _("Done.")))
    return redirect("cases:case_detail", pk=case.pk)


@login_required
@require_POST
def case_add_photos(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(case_queryset(request.user, "change"), pk=pk)
    if workflow.refusal_for_user(case, request.user):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_photos(case, form.cleaned_data["photos"], user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("photos", message)
    if not form.is_valid() or form.errors:
        context = detail_context(request, case, forms={"photos": form})
        return render(request, "cases/case_detail.html", context, status=400)
    messages.success(request, _("Photos added."))
    return redirect("cases:case_detail", pk=case.pk)


@login_required
def case_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo of a case the user may read (photos are not public files)."""
    photo = get_object_or_404(CasePhoto.objects.select_related("case"), pk=pk)
    if not case_queryset(request.user).filter(pk=photo.case_id).exists():
        raise Http404
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@permission_required("cases.view_case", raise_exception=True)
def overdue(request: HttpRequest) -> HttpResponse:
    """Cases past their due date at their level, and those due today or the next working day."""
    today = timezone.localdate()
    scoped = case_queryset(request.user)
    late = list(services.overdue(scoped, today).order_by("due_on", "received_at"))
    for case in late:
        case.late_days = deadlines.working_days_between(case.due_on, today)
    soon = list(services.due_soon(scoped, today).order_by("due_on", "received_at"))
    return render(
        request,
        "cases/overdue.html",
        {
            "late": late,
            "soon": soon,
            "today": today,
            "next_working_day": deadlines.next_working_day(today),
            "list_url": reverse("cases:case_list"),
            "calendar_known": deadlines.calendar_covers(today),
        },
    )


@login_required
@permission_required("cases.add_case", raise_exception=True)
def entity_search(request: HttpRequest) -> HttpResponse:
    """The shops matching what was typed on the new-case form (htmx partial)."""
    from jiequ.ledger.models import Entity

    text = (request.GET.get("entity_q") or request.GET.get("q") or "").strip()
    entities: list[Any] = []
    if len(text) >= 1:
        from django.db.models import Q

        entities = list(
            restrict(Entity.objects.select_related("region"), request.user)
            .filter(
                Q(name__icontains=text) | Q(sign_name__icontains=text) | Q(address__icontains=text)
            )
            .order_by("sign_name", "name")[:12]
        )
    return render(request, "cases/_entity_results.html", {"entities": entities, "text": text})
