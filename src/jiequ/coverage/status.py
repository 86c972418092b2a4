"""How each market entity is covered by the Party organisation system: the rules, in one place.

An entity's coverage status is the FIRST of these that holds (docs/coverage.md says the same):

1. ``own``      — an active organisation covers it with a link of kind "own organisation"
                  (the entity has a branch of its own);
2. ``joint``    — an active organisation covers it as a joint organisation (联合党支部);
3. ``attached`` — it is attached to an active organisation of another unit (挂靠);
4. ``area``     — an active area or street-block organisation covers it (区域/街区党组织);
5. ``work``     — no organisation covers it, but a Party-building instructor is posted there
                  (work coverage only, 工作覆盖);
6. ``none``     — none of the above: a blind spot.

"Active" organisation: one not dissolved — its ``dissolved_on`` is empty or later than today.
A dissolved organisation covers nothing, whatever its links say. A link whose ``since`` date is
later than today does not count yet.

"Current" instructor post: started on or before today, and not ended (``ended_on`` empty, or
today or later — the last day still counts, as for committee posts).

The status does not depend on who looks: links from organisations outside a user's scope (a
district-level organisation, say) still cover the entity. Lists are scoped by the entities the
user may see.

Everything here works on querysets: the status is computed in SQL (Case/When over Exists
subqueries), so a list of thousands of entities is one query and can be filtered by status.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiequ.party.models import CoverageKind, CoverageLink

from .models import InstructorPost


class Status(models.TextChoices):
    """Coverage statuses, strongest first (their order is the precedence)."""

    OWN = "own", _("Own organisation")
    JOINT = "joint", _("Joint organisation")
    ATTACHED = "attached", _("Attached to another organisation")
    AREA = "area", _("Area or street-block organisation")
    WORK = "work", _("Work coverage only (instructor)")
    NONE = "none", _("Not covered")


# The link kind behind each organisational status, strongest first.
LINK_STATUSES: list[tuple[str, str]] = [
    (Status.OWN, CoverageKind.OWN),
    (Status.JOINT, CoverageKind.JOINT),
    (Status.ATTACHED, CoverageKind.ATTACHED),
    (Status.AREA, CoverageKind.AREA),
]
PRECEDENCE: list[str] = [s.value for s in Status]
# The official organisation-coverage ratio counts these (own + joint organisations).
OFFICIAL: frozenset[str] = frozenset({Status.OWN, Status.JOINT})
# Covered by an organisation of some kind.
ORGANISATIONAL: frozenset[str] = frozenset(s for s, _k in LINK_STATUSES)
# Covered in any way (an organisation or an instructor).
COVERED: frozenset[str] = frozenset(PRECEDENCE) - {Status.NONE}

# Colours the map and the tables use for each status (a legend is drawn from these).
COLOURS: dict[str, str] = {
    Status.OWN: "#b71c1c",
    Status.JOINT: "#e65100",
    Status.ATTACHED: "#f9a825",
    Status.AREA: "#2e7d32",
    Status.WORK: "#1565c0",
    Status.NONE: "#757575",
}


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def active_organisation_q(prefix: str = "", today: date | None = None) -> Q:
    """Organisations (through `prefix`, e.g. "organisation__") that are not dissolved today."""
    today = _today(today)
    return Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": today})


def active_links(today: date | None = None) -> QuerySet:
    """Coverage links that count today: an active organisation, and begun."""
    today = _today(today)
    return CoverageLink.objects.filter(
        active_organisation_q("organisation__", today), Q(since__isnull=True) | Q(since__lte=today)
    )


def current_posts(today: date | None = None) -> QuerySet:
    """Instructor posts held today."""
    today = _today(today)
    return InstructorPost.objects.filter(started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )


def link_exists(today: date | None = None, **filters: object) -> Exists:
    """EXISTS (an active link to the outer entity, with these extra filters)."""
    return Exists(active_links(today).filter(entity=OuterRef("pk"), **filters))


def post_exists(today: date | None = None) -> Exists:
    return Exists(current_posts(today).filter(entity=OuterRef("pk")))


def status_expression(today: date | None = None) -> Case:
    """The status as one SQL expression over the outer entity."""
    whens = [
        When(link_exists(today, kind=kind), then=Value(str(status)))
        for status, kind in LINK_STATUSES
    ]
    whens.append(When(post_exists(today), then=Value(str(Status.WORK))))
    return Case(*whens, default=Value(str(Status.NONE)), output_field=models.CharField())


def covering_organisation_expression(today: date | None = None) -> Subquery:
    """The name of the strongest active organisation covering the outer entity (or NULL)."""
    strength = Case(
        *[When(kind=kind, then=Value(i)) for i, (_s, kind) in enumerate(LINK_STATUSES)],
        default=Value(len(LINK_STATUSES)),
        output_field=models.IntegerField(),
    )
    names = (
        active_links(today)
        .filter(entity=OuterRef("pk"))
        .annotate(strength=strength)
        .order_by("strength", "organisation__name")
        .values("organisation__name")[:1]
    )
    return Subquery(names, output_field=models.CharField())


def annotate_status(
    queryset: QuerySet, today: date | None = None, organisation_name: bool = False
) -> QuerySet:
    """Entities with `coverage_status` (and, if asked, `covering_organisation`) annotated."""
    annotations: dict[str, object] = {"coverage_status": status_expression(today)}
    if organisation_name:
        annotations["covering_organisation"] = covering_organisation_expression(today)
    return queryset.annotate(**annotations)


def with_status(queryset: QuerySet, statuses: str | list[str] | frozenset[str]) -> QuerySet:
    """Entities whose status is one of `statuses` (annotating the status if not done yet)."""
    if isinstance(statuses, str):
        statuses = [statuses]
    if "coverage_status" not in queryset.query.annotations:
        queryset = annotate_status(queryset)
    return queryset.filter(coverage_status__in=[str(s) for s in statuses])


def status_of(entity: models.Model, today: date | None = None) -> str:
    """The status of one entity (one query; lists use `annotate_status`)."""
    if hasattr(entity, "coverage_status"):
        return entity.coverage_status
    from jiequ.ledger.models import Entity

    return (
        annotate_status(Entity.objects.filter(pk=entity.pk), today)
        .values_list("coverage_status", flat=True)
        .get()
    )


def label(status: str) -> str:
    """The status as people read it."""
    try:
        return str(Status(status).label)
    except ValueError:
        return status
