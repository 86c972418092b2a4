"""Projects: list, export, detail (needs met, resources used, deliveries and feedback), edit,
history; taking and releasing resources; bundling a need's suggestions into a project."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Avg, Count, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.scoping import can, restrict

from . import projects as domain
from .filtersets import ProjectFilterSet
from .forms import AllocationForm, ProjectForm
from .models import Delivery, Need, Project, ProjectResource, Resource
from .projects import with_committed
from .views import DETAIL_FIELDS, SupplyHistoryView

PROJECT_COLUMNS = [
    "title",
    "owner",
    "category",
    "period",
    "delivery_count",
    "organisation_count",
    "state",
]
PROJECT_EXPORT = [
    "title",
    "category",
    "state",
    "owner",
    "target_groups_display",
    "amount",
    "starts_on",
    "ends_on",
    "delivery_count",
    "organisation_count",
    "region",
    "description",
]


class ProjectMixin:
    model = Project
    url_prefix = "services:project"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("organisation", "entity", "region")


class CountedMixin(ProjectMixin):
    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .annotate(
                deliveries_n=Count("deliveries", distinct=True),
                organisations_n=Count("deliveries__organisation", distinct=True),
            )
            .order_by("-starts_on", "-pk")  # a grouped query loses the default order
        )


class ProjectListView(CountedMixin, generic.ObjectListView):
    filterset_class = ProjectFilterSet
    columns = PROJECT_COLUMNS


class ProjectExportView(CountedMixin, generic.ObjectExportView):
    filterset_class = ProjectFilterSet
    columns = PROJECT_EXPORT
    basename = "projects"


class ProjectDetailView(ProjectMixin, generic.ObjectDetailView):
    template_name = "services/project_detail.html"
    fields = DETAIL_FIELDS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, project = self.request.user, self.object
        deliveries = (
            restrict(Delivery.objects.all(), user)
            .filter(project=project)
            .select_related("organisation")
            .order_by("-delivered_on", "-pk")
        )
        summary = deliveries.aggregate(
            n=Count("pk"),
            organisations=Count("organisation", distinct=True),
            people=Sum("participants"),
            average=Avg("rating"),
            rated=Count("rating"),
        )
        allocations = list(project.allocations.select_related("resource").order_by("pk"))
        remaining = {
            r.pk: r.remaining
            for r in with_committed(
                Resource.objects.filter(pk__in=[a.resource_id for a in allocations])
            )
        }
        can_change = can(user, "change", project)
        context.update(
            needs=restrict(project.needs.all(), user).select_related("organisation", "entity"),
            hidden_needs=project.needs.count() - restrict(project.needs.all(), user).count(),
            allocations=[(a, remaining.get(a.resource_id, 0)) for a in allocations],
            deliveries=deliveries,
            hidden_deliveries=project.deliveries.count() - summary["n"],
            summary=summary,
            allocation_form=AllocationForm(user=user) if can_change else None,
            can_deliver=user.has_perm("services.add_delivery"),
            talents=(
                restrict(project.talents.all(), user).filter(withdrawn_at__isnull=True)
                if user.has_perm("services.view_talent")
                else None
            ),
        )
        return context


class ProjectEditView(ProjectMixin, generic.ObjectEditView):
    form_class = ProjectForm
    template_name = "services/supply_form.html"


class ProjectHistoryView(ProjectMixin, SupplyHistoryView):
    pass


def _project_to_change(request: HttpRequest, pk: int) -> Project:
    return get_object_or_404(restrict(Project.objects.all(), request.user, "change"), pk=pk)


@login_required
@permission_required("services.change_project", raise_exception=True)
@require_POST
def project_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    """Take (or change how much it takes of) a resource for the project."""
    project = _project_to_change(request, pk)
    form = AllocationForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(project.get_absolute_url() + "#resources")
    try:
        domain.allocate(
            project,
            form.cleaned_data["resource"],
            form.cleaned_data["quantity"],
            form.cleaned_data["note"],
        )
    except domain.SupplyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("“%(resource)s”: %(n)s taken for this project.")
            % {"resource": form.cleaned_data["resource"], "n": form.cleaned_data["quantity"]},
        )
    return redirect(project.get_absolute_url() + "#resources")


@login_required
@permission_required("services.change_project", raise_exception=True)
@require_POST
def project_release(request: HttpRequest, pk: int, allocation: int) -> HttpResponse:
    project = _project_to_change(request, pk)
    row = get_object_or_404(ProjectResource, pk=allocation, project=project)
    domain.release(row)
    messages.success(request, _("“%(resource)s” released.") % {"resource": row.resource})
    return redirect(project.get_absolute_url() + "#resources")


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@login_required
@permission_required("services.add_project", raise_exception=True)
@require_POST
def project_bundle(request: HttpRequest) -> HttpResponse:
    """A new project from needs and resources ticked among the suggestions."""
    user = request.user
    need_ids = [x for x in request.POST.getlist("need") if x.isdigit()]
    resource_ids = [x for x in request.POST.getlist("resource") if x.isdigit()]
    needs_by_id = {str(n.pk): n for n in restrict(Need.objects.all(), user).filter(pk__in=need_ids)}
    resources_by_id = {
        str(r.pk): r
        for r in with_committed(restrict(Resource.objects.all(), user)).filter(pk__in=resource_ids)
    }
    fallback = "services:need_list"
    if needs_by_id:
        fallback = next(iter(needs_by_id.values())).get_absolute_url()
    elif resources_by_id:
        fallback = next(iter(resources_by_id.values())).get_absolute_url()
    needs = [needs_by_id[i] for i in need_ids if i in needs_by_id]
    total = sum(n.quantity for n in needs)
    allocations = []
    for rid in resource_ids:
        resource = resources_by_id.get(rid)
        if resource is None:
            continue
        typed = request.POST.get(f"quantity_{rid}", "").strip()
        allocations.append((resource, typed or max(1, min(resource.remaining, total or 1))))
    try:
        project = domain.bundle(needs, allocations, title=request.POST.get("title", "").strip())
    except domain.SupplyError as exc:
        messages.error(request, str(exc))
        return _back(request, fallback)
    messages.success(
        request,
        _("Project “%(project)s” planned. Check its details and edit what is needed.")
        % {"project": project},
    )
    return redirect(project)
