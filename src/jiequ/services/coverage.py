"""The "兜网式" supply view: which emerging-sector organisations received what in a period,
which received nothing, and which needs are still open and for how long.

The organisations are the ones the seed counts (its 87): every organisation under a
subdistrict's working committee (a committee at the top of a subdistrict), at every level,
except Party groups and the committee itself — the same rule as the demo's
`emerging_sector_organisations`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from jiequ.areas.models import Region, RegionLevel
from jiequ.core.scoping import ancestor_paths, restrict, user_scope_path
from jiequ.party.models import Level, Organisation

from .filtersets import AGE_BUCKETS, age_range
from .models import Category, Delivery, Need, NeedState

DEFAULT_DAYS = 365


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months up to today."""
    today = today or timezone.localdate()
    return today - timedelta(days=DEFAULT_DAYS - 1), today


def working_committees(path: str) -> QuerySet:
    """The working committees at the top of the subdistricts inside or above `path`."""
    return Organisation.objects.filter(
        level=Level.COMMITTEE,
        parent__isnull=True,
        region__level=RegionLevel.SUBDISTRICT,
        dissolved_on__isnull=True,
    ).filter(Q(region__path__startswith=path) | Q(region__path__in=ancestor_paths(path)))


def emerging_sector_ids(path: str) -> list[int]:
    """The emerging-sector organisations of the subdistricts inside or above `path`."""
    ids: list[int] = []
    for committee in working_committees(path):
        ids += [pk for pk in committee.subtree_ids() if pk != committee.pk]
    return list(
        Organisation.objects.filter(pk__in=ids)
        .exclude(level=Level.GROUP)
        .values_list("pk", flat=True)
    )


def emerging_organisations(user: Any) -> QuerySet:
    """The emerging-sector organisations this user may see."""
    path = user_scope_path(user)
    if not path and not user.is_superuser:
        return Organisation.objects.none()
    if user.is_superuser and not path:
        ids = [
            pk
            for sub in Region.objects.filter(level=RegionLevel.SUBDISTRICT)
            for pk in emerging_sector_ids(sub.path)
        ]
    else:
        ids = emerging_sector_ids(path)
    return restrict(Organisation.objects.filter(pk__in=ids), user)


@dataclass
class Row:
    organisation: Organisation
    deliveries: int
    projects: int
    participants: int
    last_delivered: date | None
    rating: float | None
    open_needs: int

    @property
    def reached(self) -> bool:
        return self.deliveries > 0


@dataclass
class Bucket:
    key: str
    label: str
    count: int


@dataclass
class CategoryRow:
    category: str
    label: str
    deliveries: int
    organisations: int


@dataclass
class Coverage:
    start: date
    end: date
    rows: list[Row] = field(default_factory=list)
    open_needs: list[Bucket] = field(default_factory=list)
    by_category: list[CategoryRow] = field(default_factory=list)

    @property
    def organisations(self) -> int:
        return len(self.rows)

    @property
    def reached(self) -> int:
        return sum(1 for r in self.rows if r.reached)

    @property
    def not_reached(self) -> int:
        return self.organisations - self.reached

    @property
    def deliveries(self) -> int:
        return sum(r.deliveries for r in self.rows)

    @property
    def participants(self) -> int:
        return sum(r.participants for r in self.rows)

    @property
    def open_need_total(self) -> int:
        return sum(b.count for b in self.open_needs)


def _in_period(start: date, end: date) -> Q:
    return Q(service_deliveries__delivered_on__gte=start, service_deliveries__delivered_on__lte=end)


def _organisations_served(user: Any, start: date, end: date) -> QuerySet:
    """The emerging-sector organisations the user sees, with what they received in the period."""
    period = _in_period(start, end)
    return emerging_organisations(user).annotate(
        deliveries_n=Count("service_deliveries", filter=period),
        projects_n=Count("service_deliveries__project", filter=period, distinct=True),
        participants_n=Sum("service_deliveries__participants", filter=period),
        last_n=Max("service_deliveries__delivered_on", filter=period),
        rating_n=Avg("service_deliveries__rating", filter=period),
    )


def reach_counts(user: Any, start: date, end: date) -> tuple[int, int]:
    """(organisations, of them not reached in the period): Coverage.organisations and
    .not_reached without building the table, for the home page."""
    served = _organisations_served(user, start, end)
    return served.count(), served.filter(deliveries_n=0).count()


def coverage(user: Any, start: date, end: date) -> Coverage:
    """What each emerging-sector organisation the user sees received between start and end."""
    result = Coverage(start=start, end=end)
    organisations = (
        _organisations_served(user, start, end)
        .select_related("parent")
        .order_by("region__path", "name")
    )
    open_needs = dict(
        restrict(Need.objects.all(), user)
        .filter(state=NeedState.OPEN, organisation__isnull=False)
        .values("organisation")
        .annotate(n=Count("pk"))
        .values_list("organisation", "n")
    )
    rows = [
        Row(
            organisation=o,
            deliveries=o.deliveries_n,
            projects=o.projects_n,
            participants=o.participants_n or 0,
            last_delivered=o.last_n,
            rating=round(o.rating_n, 1) if o.rating_n is not None else None,
            open_needs=open_needs.get(o.pk, 0),
        )
        for o in organisations
    ]
    # The ones that received nothing first: they are what the view is for.
    result.rows = sorted(rows, key=lambda r: r.reached)
    result.open_needs = open_need_buckets(user)
    deliveries = restrict(Delivery.objects.all(), user).filter(
        delivered_on__gte=start,
        delivered_on__lte=end,
        organisation__in=[r.organisation.pk for r in rows],
    )
    counts = {
        row["project__category"]: row
        for row in deliveries.values("project__category").annotate(
            n=Count("pk"), orgs=Count("organisation", distinct=True)
        )
    }
    result.by_category = [
        CategoryRow(value, str(label), counts[value]["n"], counts[value]["orgs"])
        for value, label in Category.choices
        if value in counts
    ]
    return result


def open_need_buckets(user: Any) -> list[Bucket]:
    """Open needs by age, every bucket counted in one query."""
    counts = {}
    for key, _label, _low, _high in AGE_BUCKETS:
        earliest, latest = age_range(key)
        within = Q(raised_on__lte=latest)
        if earliest is not None:
            within &= Q(raised_on__gte=earliest)
        counts[key] = Count("pk", filter=within)
    totals = restrict(Need.objects.all(), user).filter(state=NeedState.OPEN).aggregate(**counts)
    return [Bucket(key, str(label), totals[key]) for key, label, _low, _high in AGE_BUCKETS]


@dataclass
class SubdistrictFigures:
    """What the district reads: counts per subdistrict, no names."""

    subdistrict: Region
    organisations: int
    reached: int
    deliveries: int
    participants: int
    open_needs: int

    @property
    def not_reached(self) -> int:
        return self.organisations - self.reached


def district_figures(user: Any, start: date, end: date) -> list[SubdistrictFigures]:
    """Per subdistrict of the user's district: organisations reached and open needs (counts)."""
    path = user_scope_path(user)
    if not path:
        return []
    figures = []
    for sub in Region.objects.filter(level=RegionLevel.SUBDISTRICT, path__startswith=path):
        ids = emerging_sector_ids(sub.path)
        deliveries = Delivery.objects.filter(
            organisation_id__in=ids, delivered_on__gte=start, delivered_on__lte=end
        )
        totals = deliveries.aggregate(
            n=Count("pk"), people=Sum("participants"), orgs=Count("organisation", distinct=True)
        )
        figures.append(
            SubdistrictFigures(
                subdistrict=sub,
                organisations=len(ids),
                reached=totals["orgs"],
                deliveries=totals["n"],
                participants=totals["people"] or 0,
                open_needs=Need.objects.filter(
                    region__path__startswith=sub.path, state=NeedState.OPEN
                ).count(),
            )
        )
    return figures
