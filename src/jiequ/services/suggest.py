"""Matching suggestions for the pages: the resources that could meet a need, the needs a
resource could meet, each with its score and the reasons in the user's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core.scoping import restrict

from . import matching
from .models import Need, NeedState, Resource, ResourceState, TargetGroup, decode_groups
from .projects import with_committed

LIMIT = 5


@dataclass
class Shown:
    """One suggestion as a page shows it."""

    record: Any
    score: int
    reasons: list[str]


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def need_item(need: Need) -> matching.Item:
    return matching.Item(
        key=need.pk,
        category=need.category,
        title=need.title,
        description=need.description,
        lat=_float(need.lat),
        lon=_float(need.lon),
        starts=need.starts_on,
        ends=need.ends_on,
        quantity=need.quantity,
        unit=need.unit,
        groups=frozenset(decode_groups(need.target_groups)),
    )


def resource_item(resource: Resource) -> matching.Item:
    return matching.Item(
        key=resource.pk,
        category=resource.category,
        title=resource.title,
        description=resource.description,
        lat=_float(resource.lat),
        lon=_float(resource.lon),
        starts=resource.starts_on,
        ends=resource.ends_on,
        quantity=resource.remaining,
        unit=resource.unit,
        groups=frozenset(decode_groups(resource.target_groups)),
    )


def describe(reason: matching.Reason) -> str:
    """A reason as a person reads it, with its points."""
    points = round(reason.points)
    detail = reason.detail
    if reason.kind == "category":
        text = _("same category") if detail.get("same") else _("related category")
    elif reason.kind == "words":
        terms = detail.get("terms") or []
        text = (
            _("shared words: %(terms)s") % {"terms": "、".join(terms)}
            if terms
            else _("similar wording")
        )
    elif reason.kind == "distance":
        metres = detail.get("metres")
        text = (
            _("location unknown")
            if metres is None
            else _("%(metres)s m apart") % {"metres": metres}
        )
    elif reason.kind == "period":
        text = _("period covers %(percent)s%% of the need's") % {
            "percent": round(detail.get("share", 0) * 100)
        }
    elif reason.kind == "capacity":
        if not detail.get("same_unit", True):
            text = _("%(n)s %(unit)s left (other unit)") % {
                "n": detail.get("remaining"),
                "unit": detail.get("unit", ""),
            }
        else:
            text = _("%(n)s %(unit)s left") % {
                "n": detail.get("remaining"),
                "unit": detail.get("unit", ""),
            }
    elif reason.kind == "groups":
        labels = dict(TargetGroup.choices)
        text = _("serves %(groups)s") % {
            "groups": "、".join(str(labels.get(g, g)) for g in detail.get("groups", []))
        }
    else:
        text = reason.kind
    return f"{text} +{points}"


def for_need(need: Need, user: Any, limit: int = LIMIT) -> list[Shown]:
    """The resources the user can see that could meet `need`, best first."""
    if need.state not in (NeedState.OPEN, NeedState.MATCHED):
        return []
    resources = {
        r.pk: r
        for r in with_committed(
            restrict(Resource.objects.all(), user).filter(state=ResourceState.AVAILABLE)
        ).select_related("organisation", "entity")
    }
    found = matching.best(
        need_item(need),
        [resource_item(r) for r in resources.values()],
        timezone.localdate(),
        limit=limit,
    )
    return [
        Shown(resources[s.key], s.score, [describe(r) for r in s.reasons if r.points >= 0.5])
        for s in found
    ]


def for_resource(resource: Resource, user: Any, limit: int = LIMIT) -> list[Shown]:
    """The open needs the user can see that `resource` could meet, best first."""
    if resource.state != ResourceState.AVAILABLE:
        return []
    needs = {
        n.pk: n
        for n in restrict(Need.objects.all(), user)
        .filter(state=NeedState.OPEN)
        .select_related("organisation", "entity")
    }
    found = matching.best(
        resource_item(resource),
        [need_item(n) for n in needs.values()],
        timezone.localdate(),
        item_is_need=False,
        limit=limit,
    )
    return [
        Shown(needs[s.key], s.score, [describe(r) for r in s.reasons if r.points >= 0.5])
        for s in found
    ]
