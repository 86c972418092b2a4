"""Tasks councils gave: list with overdue flags, export, detail, edit, done and undone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.scoping import restrict

from .filtersets import TaskFilterSet
from .forms import TaskDoneForm, TaskForm
from .meetings import mark_task
from .models import Task

TASK_COLUMNS = ["title", "council", "owner", "due_on", "status"]
TASK_EXPORT = [
    "title",
    "council",
    "meeting",
    "case",
    "owner",
    "due_on",
    "status",
    "done_note",
    "details",
]


class TaskMixin:
    model = Task
    url_prefix = "councils:task"

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related(
                "council",
                "meeting",
                "meeting__council",
                "case",
                "owner_member__cadre",
                "owner_member__member",
                "owner_member__entity",
                "owner_member__organisation",
                "owner_user",
            )
            # Open tasks first, the most urgent on top; then the latest done.
            .order_by(F("done_on").desc(nulls_first=True), "due_on", "pk")
        )


class TaskListView(TaskMixin, generic.ObjectListView):
    filterset_class = TaskFilterSet
    columns = TASK_COLUMNS
    template_name = "councils/task_list.html"

    def get_template_names(self) -> list[str]:
        names = super().get_template_names()
        return ["councils/_task_table.html"] if names == ["core/_object_table.html"] else names

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context


class TaskExportView(TaskMixin, generic.ObjectExportView):
    filterset_class = TaskFilterSet
    columns = TASK_EXPORT
    basename = "council-tasks"


class TaskDetailView(TaskMixin, generic.ObjectDetailView):
    template_name = "councils/task_detail.html"
    fields = [
        "council",
        "meeting",
        "case",
        "owner",
        "due_on",
        "status",
        "done_note",
        "done_by",
        "details",
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["done_form"] = TaskDoneForm()
        return context


class TaskEditView(TaskMixin, generic.ObjectEditView):
    form_class = TaskForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "pk" not in kwargs:  # tasks are given by meetings' decisions, not added here
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TaskHistoryView(generic.ObjectHistoryView):
    model = Task
    url_prefix = "councils:task"


@login_required
@require_POST
def task_mark(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("councils.change_task"):
        raise PermissionDenied
    task = get_object_or_404(restrict(Task.objects.all(), request.user, "change"), pk=pk)
    form = TaskDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    done = request.POST.get("done") == "1"
    mark_task(task, done=done, user=request.user, note=note)
    message = _("Marked done: %(task)s") if done else _("Marked not done: %(task)s")
    messages.success(request, message % {"task": task})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = task.get_absolute_url()
    return redirect(target)
