"""Council meetings: list, export, the meeting page (agenda, attendance, minutes, decisions),
recording, the agenda and decisions while it is open, and closing it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.scoping import can, restrict

from . import meetings as service
from .filtersets import MeetingFilterSet
from .forms import AgendaAddForm, DecisionForm, MeetingRecordForm
from .models import AgendaItem, CouncilMeeting, Decision, DecisionKind

MEETING_COLUMNS = ["held_on", "council", "subject", "state", "attendance", "agenda_size"]
MEETING_EXPORT = [
    "held_on",
    "council",
    "place",
    "subject",
    "state",
    "attendance",
    "agenda_size",
    "minutes",
    "closed_at",
]


class MeetingMixin:
    model = CouncilMeeting
    url_prefix = "councils:meeting"

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("council", "council__region")
            .annotate(
                present_count=Count("present", distinct=True),
                agenda_count=Count("agenda", distinct=True),
            )
            .order_by("-held_on", "-pk")
        )


class MeetingListView(MeetingMixin, generic.ObjectListView):
    filterset_class = MeetingFilterSet
    columns = MEETING_COLUMNS


class MeetingExportView(MeetingMixin, generic.ObjectExportView):
    filterset_class = MeetingFilterSet
    columns = MEETING_EXPORT
    basename = "council-meetings"


class MeetingHistoryView(generic.ObjectHistoryView):
    model = CouncilMeeting
    url_prefix = "councils:meeting"


class MeetingDetailView(generic.ObjectDetailView):
    model = CouncilMeeting
    url_prefix = "councils:meeting"
    template_name = "councils/meeting_detail.html"
    fields = [
        "council",
        "held_on",
        "starts_at",
        "place",
        "subject",
        "state",
        "guests",
        "closed_at",
        "closed_by",
    ]

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("council", "council__region", "closed_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting, user = self.object, self.request.user
        decisions = list(
            meeting.decisions.select_related(
                "case", "category", "owner_member", "owner_user", "task", "agenda_item"
            ).order_by("position", "pk")
        )
        by_item: dict[int | None, list[Decision]] = {}
        for decision in decisions:
            by_item.setdefault(decision.agenda_item_id, []).append(decision)
        items = list(
            meeting.agenda.select_related("case", "case__category", "topic").order_by(
                "position", "pk"
            )
        )
        can_run = can(user, "change", meeting) and not meeting.is_closed
        waiting = []
        if can_run:
            on_agenda = {i.case_id for i in items if i.case_id}
            waiting = [
                c
                for c in restrict(service.backlog(meeting.council), user)[:30]
                if c.pk not in on_agenda
            ]
        context.update(
            items=[(item, by_item.get(item.pk, [])) for item in items],
            loose_decisions=by_item.get(None, []),
            present=list(
                meeting.present.select_related("entity", "organisation", "member", "cadre")
            ),
            can_run=can_run,
            can_record=can(user, "change", meeting),
            agenda_form=AgendaAddForm(meeting=meeting, user=user) if can_run else None,
            waiting=waiting,
            decision_count=len(decisions),
        )
        return context


def _meeting_for(request: HttpRequest, pk: int, action: str = "change") -> CouncilMeeting:
    if not request.user.has_perm(f"councils.{action}_councilmeeting"):
        raise PermissionDenied
    return get_object_or_404(
        restrict(
            CouncilMeeting.objects.select_related("council", "council__region"),
            request.user,
            action,
        ),
        pk=pk,
    )


@login_required
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance, guests and minutes (only the minutes once it is closed)."""
    meeting = _meeting_for(request, pk)
    form = MeetingRecordForm(request.POST or None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved “%(obj)s”.") % {"obj": meeting})
        return redirect(meeting)
    return render(
        request,
        "councils/meeting_record.html",
        {"form": form, "meeting": meeting},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    form = AgendaAddForm(request.POST, meeting=meeting, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            service.add_agenda_item(
                meeting,
                case=data.get("case_number"),
                topic=data.get("topic"),
                title=data.get("title", ""),
                user=request.user,
            )
        except service.MeetingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Added to the agenda."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(meeting.get_absolute_url() + "#agenda")


@login_required
@require_POST
def agenda_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an item up or down, or take it off the agenda."""
    item = get_object_or_404(
        restrict(AgendaItem.objects.select_related("meeting"), request.user, "change"), pk=pk
    )
    if not can(request.user, "change", item.meeting):
        raise PermissionDenied
    what = request.POST.get("do")
    try:
        if what == "up":
            service.move_agenda_item(item, -1)
        elif what == "down":
            service.move_agenda_item(item, +1)
        elif what == "remove":
            if item.decisions.exists():
                raise service.MeetingError(
                    _("This item has decisions: delete them before taking it off the agenda.")
                )
            service.remove_agenda_item(item)
            messages.success(request, _("Taken off the agenda."))
    except service.MeetingError as exc:
        messages.error(request, exc.message)
    return redirect(item.meeting.get_absolute_url() + "#agenda")


@login_required
def decision_edit(request: HttpRequest, pk: int, decision_pk: int | None = None) -> HttpResponse:
    """Record (or change) a decision of an open meeting; it is applied when the meeting closes."""
    meeting = _meeting_for(request, pk)
    if meeting.is_closed:
        messages.error(
            request,
            _("The meeting of %(day)s is closed: its agenda and decisions can no longer change.")
            % {"day": meeting.held_on.isoformat()},
        )
        return redirect(meeting)
    decision = None
    if decision_pk:
        decision = get_object_or_404(meeting.decisions.all(), pk=decision_pk)
    initial = {}
    item_pk = request.GET.get("item")
    if decision is None and item_pk:
        item = meeting.agenda.filter(pk=item_pk).select_related("case").first()
        if item is not None:
            initial["agenda_item"] = item.pk
            initial["kind"] = DecisionKind.RESOLVE if item.case_id else DecisionKind.TASK
            if item.topic_id:
                initial["title"] = item.label[:100]
    form = DecisionForm(
        request.POST or None, instance=decision, meeting=meeting, user=request.user, initial=initial
    )
    if request.method == "POST":
        if request.POST.get("delete") and decision is not None:
            decision.delete()
            messages.success(request, _("Decision deleted."))
            return redirect(meeting.get_absolute_url() + "#agenda")
        if form.is_valid():
            form.save()
            messages.success(
                request, _("Decision recorded: it is applied when the meeting is closed.")
            )
            return redirect(meeting.get_absolute_url() + "#agenda")
    return render(
        request,
        "councils/decision_form.html",
        {"form": form, "meeting": meeting, "decision": decision},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    try:
        closed = service.close_meeting(meeting, user=request.user)
    except service.MeetingError as exc:
        messages.error(request, exc.message)
        return redirect(meeting)
    messages.success(
        request,
        _("Meeting closed: %(n)d decisions applied.") % {"n": closed.decisions.count()},
    )
    return redirect(closed)
