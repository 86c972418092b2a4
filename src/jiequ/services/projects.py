"""Projects: bundling resources to meet needs, the quantity each project takes from a resource,
and the states that follow from them.

- A resource's *remaining* quantity is its quantity less what projects (not cancelled) take.
  Taking more than remains is refused; the resource row is locked while it is checked, so two
  people allocating the last places at the same moment cannot both get them.
- A resource with nothing left is "fully committed", or "used up" once every project using it
  is completed. A withdrawn resource stays withdrawn.
- A need met by a completed project is "met"; one a planned or running project takes on is
  "matched"; a matched need whose projects are all cancelled is open again. A closed need
  stays closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Need,
    NeedState,
    Project,
    ProjectResource,
    ProjectState,
    Resource,
    ResourceState,
    decode_groups,
    encode_groups,
)

ACTIVE = ~Q(project__state=ProjectState.CANCELLED)


class SupplyError(Exception):
    """A refused change, with the message to show (in the user's language)."""


def committed_of(resource: Resource, exclude_project: Project | None = None) -> int:
    allocations = resource.allocations.filter(ACTIVE)
    if exclude_project is not None:
        allocations = allocations.exclude(project=exclude_project)
    return allocations.aggregate(n=Coalesce(Sum("quantity"), 0))["n"]


def with_committed(queryset: QuerySet) -> QuerySet:
    """Resources annotated with `committed_sum` (what projects not cancelled take), in their
    usual order (a grouped query loses the default one)."""
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return queryset.order_by(*ordering).annotate(
        committed_sum=Coalesce(
            Sum(
                "allocations__quantity",
                filter=~Q(allocations__project__state=ProjectState.CANCELLED),
            ),
            0,
        )
    )


def refresh_resource_state(resource: Resource) -> None:
    if resource.state == ResourceState.WITHDRAWN:
        return
    remaining = resource.quantity - committed_of(resource)
    if remaining > 0:
        state = ResourceState.AVAILABLE
    else:
        states = set(resource.allocations.filter(ACTIVE).values_list("project__state", flat=True))
        state = (
            ResourceState.USED_UP if states == {ProjectState.COMPLETED} else ResourceState.COMMITTED
        )
    if state != resource.state:
        resource.state = state
        resource.save(update_fields=["state", "updated_at"])


def refresh_need_state(need: Need) -> None:
    if need.state == NeedState.CLOSED:
        return
    states = set(
        need.projects.exclude(state=ProjectState.CANCELLED).values_list("state", flat=True)
    )
    if ProjectState.COMPLETED in states:
        state = NeedState.MET
    elif states:
        state = NeedState.MATCHED
    elif need.state == NeedState.MATCHED:
        state = NeedState.OPEN
    else:
        return  # open, or met by hand without a project here: leave it
    if state != need.state:
        need.state = state
        need.met_on = timezone.localdate() if state == NeedState.MET else None
        need.save(update_fields=["state", "met_on", "updated_at"])


def project_saved(project: Project) -> None:
    """After a project's state, needs or resources changed: bring theirs in line."""
    for need in project.needs.all():
        refresh_need_state(need)
    for resource in Resource.objects.filter(allocations__project=project):
        refresh_resource_state(resource)


def check_quantity(quantity: Any) -> int:
    try:
        value = int(quantity)
    except (TypeError, ValueError):
        raise SupplyError(_("Give the quantity as a whole number.")) from None
    if value < 1:
        raise SupplyError(_("The quantity must be at least 1."))
    return value


def allocate(
    project: Project, resource: Resource, quantity: Any, note: str = ""
) -> ProjectResource:
    """Take `quantity` of `resource` for `project` (or change what it takes)."""
    quantity = check_quantity(quantity)
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        if project.state == ProjectState.CANCELLED:
            raise SupplyError(_("A cancelled project takes no resources."))
        if locked.state == ResourceState.WITHDRAWN:
            raise SupplyError(
                _("“%(resource)s” has been withdrawn and can no longer be used.")
                % {"resource": locked}
            )
        remaining = locked.quantity - committed_of(locked, exclude_project=project)
        if quantity > remaining:
            raise SupplyError(
                _("Only %(remaining)s %(unit)s of “%(resource)s” remain; %(asked)s asked.")
                % {
                    "remaining": remaining,
                    "unit": locked.unit,
                    "resource": locked,
                    "asked": quantity,
                }
            )
        allocation, created = ProjectResource.objects.get_or_create(
            project=project, resource=locked, defaults={"quantity": quantity, "note": note}
        )
        if not created:
            allocation.quantity = quantity
            allocation.note = note or allocation.note
            allocation.save()
        refresh_resource_state(locked)
    return allocation


def release(allocation: ProjectResource) -> None:
    """The project no longer uses this resource."""
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=allocation.resource_id)
        allocation.delete()
        refresh_resource_state(resource)


def subdistrict_of(region: Any) -> Any:
    return getattr(region, "subdistrict", None) or region


def bundle(
    needs: Sequence[Need],
    allocations: Iterable[tuple[Resource, Any]],
    *,
    title: str = "",
) -> Project:
    """A new planned project meeting `needs` with the given quantities of resources.

    Run by the owner of the first resource, for the whole subdistrict of the first need;
    all or nothing.
    """
    allocations = [(r, check_quantity(q)) for r, q in allocations]
    if not needs:
        raise SupplyError(_("Choose at least one need."))
    if not allocations:
        raise SupplyError(_("Choose at least one resource."))
    for need in needs:
        if need.state not in (NeedState.OPEN, NeedState.MATCHED):
            raise SupplyError(
                _("“%(need)s” is %(state)s; only open or matched needs go into a project.")
                % {"need": need, "state": need.get_state_display()}
            )
    first_need, provider = needs[0], allocations[0][0]
    today = timezone.localdate()
    ends = [n.ends_on for n in needs if n.ends_on]
    groups = {g for n in needs for g in decode_groups(n.target_groups)}
    lines = [_("Meets: %(needs)s") % {"needs": "；".join(str(n) for n in needs)}]
    lines.append(
        _("Uses: %(resources)s")
        % {
            "resources": "；".join(
                f"{r}（{q} {r.unit}）".replace(" ）", "）") for r, q in allocations
            )
        }
    )
    with transaction.atomic():
        project = Project.objects.create(
            title=(title or first_need.title)[:120],
            category=first_need.category,
            target_groups=encode_groups(groups),
            organisation=provider.organisation,
            department_kind=provider.department_kind,
            department_name=provider.department_name,
            entity=provider.entity,
            quantity=sum(n.quantity for n in needs),
            unit=first_need.unit,
            starts_on=max(today, first_need.starts_on),
            ends_on=max(ends) if ends and max(ends) >= today else None,
            description="\n".join(lines),
            region=subdistrict_of(first_need.region),
            lat=first_need.lat,
            lon=first_need.lon,
            state=ProjectState.PLANNED,
        )
        project.needs.set(needs)
        for resource, quantity in allocations:
            allocate(project, resource, quantity)
        for need in needs:
            refresh_need_state(need)
    return project
