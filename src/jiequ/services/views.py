"""Needs and resources: list, export, detail with matching suggestions, edit and history."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiequ.core import views as generic
from jiequ.core.columns import field_label
from jiequ.core.scoping import restrict

from . import suggest
from .filtersets import NeedFilterSet, ResourceFilterSet
from .forms import NeedForm, ResourceForm
from .models import Need, NeedState, ProjectState, Resource, ResourceState, group_labels
from .projects import with_committed

NEED_COLUMNS = ["title", "owner", "category", "amount", "raised_on", "age_days", "state"]
NEED_EXPORT = [
    "title",
    "category",
    "state",
    "owner",
    "target_groups_display",
    "amount",
    "starts_on",
    "ends_on",
    "raised_on",
    "age_days",
    "met_on",
    "region",
    "description",
]
RESOURCE_COLUMNS = ["title", "owner", "category", "amount", "remaining", "period", "state"]
RESOURCE_EXPORT = [
    "title",
    "category",
    "state",
    "owner",
    "target_groups_display",
    "amount",
    "remaining",
    "starts_on",
    "ends_on",
    "region",
    "description",
]
DETAIL_FIELDS = [
    "category",
    "state",
    "owner",
    "target_groups_display",
    "amount",
    "period",
    "region",
    "lat",
    "lon",
    "description",
]


class SupplyHistoryView(generic.ObjectHistoryView):
    """The change log, with target groups shown by name."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        label = field_label(self.model, "target_groups")
        for entry in context["entries"]:
            entry["changes"] = [
                (name, group_labels(old), group_labels(new)) if name == label else (name, old, new)
                for name, old, new in entry["changes"]
            ]
        return context


# --- needs ----------------------------------------------------------------------------------


class NeedMixin:
    model = Need
    url_prefix = "services:need"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("organisation", "entity", "region")


class NeedListView(NeedMixin, generic.ObjectListView):
    filterset_class = NeedFilterSet
    columns = NEED_COLUMNS


class NeedExportView(NeedMixin, generic.ObjectExportView):
    filterset_class = NeedFilterSet
    columns = NEED_EXPORT
    basename = "needs"


class NeedDetailView(NeedMixin, generic.ObjectDetailView):
    template_name = "services/need_detail.html"
    fields = [*DETAIL_FIELDS[:2], "raised_on", "age_days", "met_on", *DETAIL_FIELDS[2:]]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, need = self.request.user, self.object
        context.update(
            projects=restrict(need.projects.all(), user).order_by("-starts_on"),
            suggestions=suggest.for_need(need, user),
            can_bundle=user.has_perm("services.add_project")
            and need.state in (NeedState.OPEN, NeedState.MATCHED),
        )
        return context


class NeedEditView(NeedMixin, generic.ObjectEditView):
    form_class = NeedForm
    template_name = "services/supply_form.html"


class NeedHistoryView(NeedMixin, SupplyHistoryView):
    pass


# --- resources ------------------------------------------------------------------------------


class ResourceMixin:
    model = Resource
    url_prefix = "services:resource"

    def get_queryset(self) -> QuerySet:
        return with_committed(
            super().get_queryset().select_related("organisation", "entity", "region")
        )


class ResourceListView(ResourceMixin, generic.ObjectListView):
    filterset_class = ResourceFilterSet
    columns = RESOURCE_COLUMNS


class ResourceExportView(ResourceMixin, generic.ObjectExportView):
    filterset_class = ResourceFilterSet
    columns = RESOURCE_EXPORT
    basename = "resources"


class ResourceDetailView(ResourceMixin, generic.ObjectDetailView):
    template_name = "services/resource_detail.html"
    fields = [*DETAIL_FIELDS[:5], "remaining", *DETAIL_FIELDS[5:]]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, resource = self.request.user, self.object
        visible = restrict(resource.projects.all(), user).values("pk")
        context.update(
            allocations=resource.allocations.filter(project__in=visible)
            .select_related("project")
            .order_by("-project__starts_on"),
            hidden_allocations=resource.allocations.exclude(project__in=visible).count(),
            cancelled=ProjectState.CANCELLED,
            suggestions=suggest.for_resource(resource, user),
            can_bundle=user.has_perm("services.add_project")
            and resource.state == ResourceState.AVAILABLE,
        )
        return context


class ResourceEditView(ResourceMixin, generic.ObjectEditView):
    form_class = ResourceForm
    template_name = "services/supply_form.html"

    def get_queryset(self) -> QuerySet:
        # The form reads what projects take itself; no aggregate on the row being edited.
        return super(ResourceMixin, self).get_queryset()


class ResourceHistoryView(ResourceMixin, SupplyHistoryView):
    pass
