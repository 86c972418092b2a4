"""The scoping layer: every query made for a user goes through `restrict()`.

A scoped model names the path of the region it belongs to (`scope_lookup`, e.g.
"region__path"). Regions carry a materialised path ("/310106/310106011/01/0101/"), so
"everything inside the user's region" is one indexed prefix query. Models whose records are
shared context for the whole subdistrict (regions, roads) set `scope_includes_ancestors`: a
user also *sees* records of the regions above theirs, but may only change what is inside.

Party records also name the organisation they belong to (`scope_organisation_lookup`). A user
whose account is tied to an organisation (a branch secretary) sees, of those records, only the
ones of their organisation and the organisations under it; and, of the records that say so
(`scope_via_organisations`, e.g. ledger entities), they also read the ones their organisations
cover wherever they lie.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from jiequ.areas.models import Region


def permission_name(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def user_scope_path(user: Any) -> str | None:
    region = getattr(user, "scope_region", None)
    return region.path if region is not None else None


def ancestor_paths(path: str) -> list[str]:
    """ "/a/b/c/" → ["/a/", "/a/b/"] (the paths of the regions above)."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def restrict(queryset: models.QuerySet, user: Any, action: str = "view") -> models.QuerySet:
    """The records of `queryset` that `user` may take `action` on."""
    model = queryset.model
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if not user.has_perm(permission_name(model, action)):
        return queryset.none()
    if user.is_superuser:
        return queryset
    path = user_scope_path(user)
    if not path:
        return queryset.none()
    lookup = model.scope_lookup
    condition = Q(**{f"{lookup}__startswith": path})
    if action == "view" and getattr(model, "scope_includes_ancestors", False):
        condition |= Q(**{f"{lookup}__in": ancestor_paths(path)})
    via_organisations = getattr(model, "scope_via_organisations", None)
    if via_organisations is not None and action in ("view", "export"):
        # A secretary also reads the entities their branch covers outside their region.
        organisation_ids = user_organisation_ids(user)
        if organisation_ids:
            condition |= via_organisations(organisation_ids)
    organisation_lookup = getattr(model, "scope_organisation_lookup", None)
    if organisation_lookup:
        organisation_ids = user_organisation_ids(user)
        if organisation_ids is not None:
            condition &= Q(**{f"{organisation_lookup}__in": organisation_ids})
    return queryset.filter(condition)


def user_organisation_ids(user: Any) -> list[int] | None:
    """The organisations a user is tied to (theirs and those under it), or None if not tied."""
    method = getattr(user, "organisation_scope_ids", None)
    return method() if method is not None else None


def organisation_in_scope(user: Any, organisation: Any) -> bool:
    """May `user` put records into `organisation` (its region and, if tied, its subtree)?"""
    if organisation is None:
        return False
    if user.is_superuser:
        return True
    ids = user_organisation_ids(user)
    if ids is not None and organisation.pk not in ids:
        return False
    return region_in_scope(user, organisation.region)


def region_in_scope(user: Any, region: Region | None) -> bool:
    """May `user` put records into `region` (it lies inside their scope)?"""
    if region is None:
        return False
    if user.is_superuser:
        return True
    path = user_scope_path(user)
    return bool(path) and region.path.startswith(path)


def can(user: Any, action: str, obj: models.Model) -> bool:
    """May `user` take `action` on this one record?"""
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = "view") -> ScopedQuerySet:
        return restrict(self, user, action)
