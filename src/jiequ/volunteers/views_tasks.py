"""Volunteer tasks for staff: list, detail with sign-ups and hours, edit, assign, export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.scoping import restrict

from . import tasks
from .filtersets import TaskFilterSet
from .forms import TaskForm
from .models import (
    HOLDING_STATES,
    SignupState,
    TaskSignup,
    Volunteer,
    VolunteerTask,
)
from .signup import VolunteerError

TASK_COLUMNS = ["title", "kind", "starts_local", "place", "places", "taken", "hours_confirmed"]
TASK_EXPORT = [
    "title",
    "kind",
    "starts_local",
    "ends_local",
    "place",
    "point",
    "region",
    "skills_wanted",
    "places",
    "taken",
    "hours_confirmed",
    "organiser",
    "is_cancelled",
]


class TaskMixin:
    model = VolunteerTask
    url_prefix = "volunteers:task"

    def get_queryset(self) -> Any:
        qs = tasks.with_counts(super().get_queryset().select_related("point", "region"))
        return qs.order_by("-starts_at", "-pk")


class TaskListView(TaskMixin, generic.ObjectListView):
    filterset_class = TaskFilterSet
    columns = TASK_COLUMNS


class TaskExportView(TaskMixin, generic.ObjectExportView):
    filterset_class = TaskFilterSet
    columns = TASK_EXPORT
    basename = "volunteer-tasks"


class TaskDetailView(TaskMixin, generic.ObjectDetailView):
    template_name = "volunteers/task_detail.html"
    fields = [
        "kind",
        "starts_at",
        "ends_at",
        "place",
        "point",
        "region",
        "skills_wanted",
        "places",
        "taken",
        "organiser",
        "description",
        "is_cancelled",
        "hours_confirmed",
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        task, user = self.object, self.request.user
        signups = list(
            TaskSignup.objects.filter(task=task)
            .select_related("volunteer", "confirmed_by")
            .order_by("state", "pk")
        )
        can_assign = user.has_perm("volunteers.add_tasksignup") and user.has_perm(
            "volunteers.view_volunteer"
        )
        started = task.starts_at <= timezone.now()
        context.update(
            signups=signups,
            holding=[s for s in signups if s.state in HOLDING_STATES],
            others=[s for s in signups if s.state not in HOLDING_STATES],
            can_assign=can_assign and not task.is_cancelled and task.free_places > 0,
            can_settle=user.has_perm("volunteers.change_tasksignup"),
            started=started,
            suggestions=(
                tasks.suggestions(task, restrict(Volunteer.objects.all(), user))
                if can_assign and task.free_places > 0 and not task.is_cancelled
                else []
            ),
            slot=tasks.slot_of(task),
            default_hours=task.duration_hours,
        )
        return context


class TaskEditView(TaskMixin, generic.ObjectEditView):
    form_class = TaskForm

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.object is None:
            initial.setdefault("places", 6)
            initial.setdefault("organiser", getattr(self.request.user.scope_region, "name", ""))
        return initial


class TaskHistoryView(TaskMixin, generic.ObjectHistoryView):
    pass


class TaskDeleteView(TaskMixin, generic.ObjectDeleteView):
    pass


def _task_for(request: HttpRequest, pk: int, action: str) -> VolunteerTask:
    return get_object_or_404(restrict(VolunteerTask.objects.all(), request.user, action), pk=pk)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff put one or more volunteers of their scope on a task."""
    user = request.user
    if not (
        user.has_perm("volunteers.add_tasksignup") and user.has_perm("volunteers.view_volunteer")
    ):
        raise PermissionDenied
    task = _task_for(request, pk, "view")
    ids = [v for v in request.POST.getlist("volunteer") if v.isdigit()]
    if not ids:
        messages.error(request, _("Choose at least one volunteer to assign."))
        return redirect(task.get_absolute_url())
    volunteers = restrict(Volunteer.objects.all(), user).filter(pk__in=ids)
    assigned = []
    for volunteer in volunteers:
        try:
            tasks.sign_up(task, volunteer, by=user)
        except VolunteerError as exc:
            messages.error(request, f"{volunteer}：{exc.message}")
        else:
            assigned.append(str(volunteer))
    if assigned:
        messages.success(request, _("Assigned: %(names)s.") % {"names": "、".join(assigned)})
    return redirect(task.get_absolute_url())


@login_required
@require_POST
def signup_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a volunteer's own sign-up, record hours, mark absent, or cancel."""
    if not request.user.has_perm("volunteers.change_tasksignup"):
        raise PermissionDenied
    signup = get_object_or_404(
        restrict(TaskSignup.objects.select_related("task", "volunteer"), request.user, "change"),
        pk=pk,
    )
    action = request.POST.get("action", "")
    try:
        if action == "hours":
            tasks.record_hours(signup, request.POST.get("hours"), by=request.user)
            message = _("Recorded %(hours)s hours for %(name)s.") % {
                "hours": request.POST.get("hours"),
                "name": signup.volunteer,
            }
        elif action == "absent":
            tasks.mark_absent(signup, by=request.user)
            message = _("Marked %(name)s as not come.") % {"name": signup.volunteer}
        elif action == "assign":
            tasks.sign_up(signup.task, signup.volunteer, by=request.user)
            message = _("Assigned: %(names)s.") % {"names": signup.volunteer}
        elif action == "cancel":
            tasks.cancel(signup, by=request.user)
            message = _("Took %(name)s off the task.") % {"name": signup.volunteer}
        else:
            messages.error(request, _("Unknown action."))
            return redirect(signup.task.get_absolute_url())
    except VolunteerError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect(signup.task.get_absolute_url() + "#signups")


def needs_hours(signups: Any) -> Any:
    """Sign-ups of tasks that started, still waiting for their hours."""
    return signups.filter(
        Q(state__in=[SignupState.SIGNED_UP, SignupState.ASSIGNED]),
        task__starts_at__lte=timezone.now(),
        task__is_cancelled=False,
    )
