"""Councils and their seats: list, export, detail (members, meetings, cases, tasks), edit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core import views as generic
from jiequ.core.scoping import can, restrict

from . import meetings as meeting_service
from .filtersets import CouncilFilterSet
from .forms import CouncilForm, CouncilMemberForm, MeetingPlanForm
from .models import Council, CouncilMember, MeetingState, PulseBoard, Task
from .schedule import annotate_rhythm, rhythm

COUNCIL_COLUMNS = [
    "name",
    "kind",
    "region",
    "organisation",
    "member_count",
    "last_held",
    "next_meeting",
]
COUNCIL_EXPORT = [
    "name",
    "kind",
    "region",
    "road",
    "building",
    "organisation",
    "founded_on",
    "member_count",
    "last_held",
    "next_meeting",
    "is_active",
]


class CouncilMixin:
    model = Council
    url_prefix = "councils:council"

    def get_queryset(self) -> Any:
        today = timezone.localdate()
        seats = Q(members__left_on__isnull=True) | Q(members__left_on__gte=today)
        return annotate_rhythm(
            super()
            .get_queryset()
            .select_related("region", "organisation", "road", "building")
            .annotate(current_member_count=Count("members", filter=seats, distinct=True))
        ).order_by("kind", "name")


class CouncilListView(CouncilMixin, generic.ObjectListView):
    filterset_class = CouncilFilterSet
    columns = COUNCIL_COLUMNS


class CouncilExportView(CouncilMixin, generic.ObjectExportView):
    filterset_class = CouncilFilterSet
    columns = COUNCIL_EXPORT
    basename = "councils"


class CouncilDetailView(generic.ObjectDetailView):
    model = Council
    url_prefix = "councils:council"
    template_name = "councils/council_detail.html"
    fields = [
        "kind",
        "region",
        "road",
        "building",
        "organisation",
        "founded_on",
        "meets_every_days",
        "is_active",
        "notes",
    ]

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("region", "organisation", "road", "building")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from jiequ.cases.models import OPEN_STATES, Case

        context = super().get_context_data(**kwargs)
        council, user = self.object, self.request.user
        seats = []
        if user.has_perm("councils.view_councilmember"):
            # Who sits is read by those who may read seats (not the district, not members).
            seats = list(
                council.members.select_related(
                    "entity", "organisation", "member", "cadre"
                ).order_by("left_on", "post", "kind", "pk")
            )
        meetings = list(
            restrict(council.meetings.all(), user)
            .annotate(
                present_count=Count("present", distinct=True),
                agenda_count=Count("agenda", distinct=True),
            )
            .order_by("-held_on", "-pk")[:12]
        )
        cases = restrict(Case.objects.filter(council=council), user).select_related("category")
        backlog = restrict(meeting_service.backlog(council), user).select_related("category")
        tasks = restrict(council.tasks.all(), user).select_related("owner_member", "owner_user")
        context.update(
            show_seats=user.has_perm("councils.view_councilmember"),
            current_seats=[s for s in seats if s.is_current],
            former_seats=[s for s in seats if not s.is_current],
            meetings=meetings,
            meeting_total=restrict(council.meetings.all(), user).count(),
            held_cases=cases.filter(state__in=OPEN_STATES, level=council.case_level).order_by(
                "due_on"
            )[:30],
            held_total=cases.count(),
            backlog=backlog[:30],
            backlog_total=backlog.count(),
            open_tasks=tasks.filter(done_on__isnull=True).order_by("due_on")[:30],
            done_task_total=tasks.filter(done_on__isnull=False).count(),
            rhythm=rhythm(council),
            boards=restrict(PulseBoard.objects.filter(council=council), user),
            can_add_seat=user.has_perm("councils.add_councilmember") and can(user, "view", council),
            can_change_seat=user.has_perm("councils.change_councilmember"),
            can_plan=user.has_perm("councils.add_councilmeeting") and council.is_active,
            today=timezone.localdate(),
        )
        return context


class CouncilEditView(CouncilMixin, generic.ObjectEditView):
    form_class = CouncilForm

    def get_queryset(self) -> Any:
        return restrict(Council.objects.all(), self.request.user, self.action)


class CouncilHistoryView(generic.ObjectHistoryView):
    model = Council
    url_prefix = "councils:council"


def _council_for(request: HttpRequest, pk: int, action: str = "view") -> Council:
    return get_object_or_404(restrict(Council.objects.all(), request.user, action), pk=pk)


@login_required
def seat_edit(request: HttpRequest, council_pk: int, pk: int | None = None) -> HttpResponse:
    """Add a seat to a council, or change one (ending it is giving the day they left)."""
    action = "change" if pk else "add"
    if not request.user.has_perm(f"councils.{action}_councilmember"):
        raise PermissionDenied
    council = _council_for(request, council_pk)
    seat = None
    if pk:
        seat = get_object_or_404(
            restrict(CouncilMember.objects.filter(council=council), request.user, "change"), pk=pk
        )
    form = CouncilMemberForm(
        request.POST or None, instance=seat, council=council, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Saved “%(obj)s”.") % {"obj": saved})
        return redirect(council.get_absolute_url() + "#members")
    return render(
        request,
        "councils/seat_form.html",
        {"form": form, "council": council, "seat": seat},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def meeting_plan(request: HttpRequest, council_pk: int) -> HttpResponse:
    """Plan a meeting; its agenda starts with the council's open cases."""
    if not request.user.has_perm("councils.add_councilmeeting"):
        raise PermissionDenied
    council = _council_for(request, council_pk)
    r = rhythm(council)
    initial = {"held_on": r.next_due or timezone.localdate(), "prefill": True}
    form = MeetingPlanForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_service.plan_meeting(
                council,
                data["held_on"],
                user=request.user,
                prefill=data["prefill"],
                starts_at=data["starts_at"],
                place=data["place"],
                subject=data["subject"],
            )
        except meeting_service.MeetingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Meeting planned with %(n)d items on the agenda.")
                % {"n": meeting.agenda.count()},
            )
            return redirect(meeting)
    return render(
        request,
        "councils/meeting_plan.html",
        {
            "form": form,
            "council": council,
            "rhythm": r,
            "backlog_total": restrict(meeting_service.backlog(council), request.user).count(),
            "planned": council.meetings.filter(state=MeetingState.PLANNED).order_by("held_on"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def grid_overview(request: HttpRequest) -> HttpResponse:
    """The grid consultations in the user's scope: when each last met, when it is due, the
    cases waiting for it, and its planned meeting."""
    user = request.user
    if not user.has_perm("councils.view_council"):
        raise PermissionDenied
    councils = annotate_rhythm(
        restrict(Council.objects.filter(kind="grid", is_active=True), user).select_related("region")
    ).order_by("region__path")
    rows = []
    from .schedule import rhythm_of_annotated

    for council in councils:
        waiting = restrict(meeting_service.backlog(council), user).count()
        planned = council.meetings.filter(state=MeetingState.PLANNED).order_by("held_on").first()
        rows.append(
            {
                "council": council,
                "rhythm": rhythm_of_annotated(council),
                "waiting": waiting,
                "planned": planned,
            }
        )
    open_tasks = restrict(Task.objects.filter(council__kind="grid", done_on__isnull=True), user)
    return render(
        request,
        "councils/grid_overview.html",
        {
            "rows": rows,
            "overdue_tasks": open_tasks.filter(due_on__lt=timezone.localdate()).count(),
            "can_plan": user.has_perm("councils.add_councilmeeting"),
        },
    )
