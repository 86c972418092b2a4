"""Coverage rates: by category, by region (subdistrict, area, grid), by road and by building.

Definitions (docs/coverage.md says the same, for users):

- Only **operating** entities count (ledger state "operating"). Closed, moved, not-found and
  unverified entities are in no denominator and no numerator.
- **Official ratio** (组织覆盖率) = operating non-public entities (ownership "non-public")
  covered by an own or a joint organisation ÷ operating non-public entities.
- **Share covered in any way** = operating entities covered by an organisation of any kind
  (own, joint, attached, area) or by an instructor ÷ operating entities (any ownership).
- A rate with an empty denominator is shown as "—", never as 0% or 100%.

Categories (an entity can be in several):

- street shops: the ledger's "street shop" flag;
- buildings: entities with a building. Buildings are also counted as units: a building is
  reached when an active building-category organisation covers at least one entity in it;
- non-public enterprises: ownership non-public and kind enterprise;
- social organisations: kind social organisation;
- new-employment groups (新就业群体): the places where couriers, food-delivery riders,
  ride-hailing and freight drivers and online creators work from — entities of industry
  section G (transport, storage and post: express delivery, ride-hailing, freight, post) or
  whose name or shop sign names such a station (NEW_EMPLOYMENT_KEYWORDS: 快递, 外卖, 骑手…).
  The "new economic organisation" sector is not used: in the "two new" wording it means
  non-public enterprises in general, not the new-employment workers.

Each table is one or two SQL queries grouped by (place, status, non-public); the sums are made
here. Nothing loops over entities in Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from jiequ.areas.models import Building, Region, Road
from jiequ.ledger.models import Entity, EntityKind, EntityState, Ownership
from jiequ.party.models import Category as OrgCategory

from .status import COVERED, OFFICIAL, PRECEDENCE, active_links, annotate_status

# Industry sections whose entities are new-employment stations (GB/T 4754-2017 section G).
NEW_EMPLOYMENT_INDUSTRIES: tuple[str, ...] = ("G",)
# Words in a name or shop sign that mark a station of new-employment workers.
NEW_EMPLOYMENT_KEYWORDS: tuple[str, ...] = (
    "快递",
    "外卖",
    "骑手",
    "配送",
    "跑腿",
    "驿站",
    "网约车",
    "货运",
    "物流",
    "直播",
)

OPERATING_Q = Q(state=EntityState.OPERATING)
NON_PUBLIC_Q = Q(ownership=Ownership.NON_PUBLIC)


def new_employment_q() -> Q:
    words = [Q(name__contains=w) | Q(sign_name__contains=w) for w in NEW_EMPLOYMENT_KEYWORDS]
    return Q(industry__in=NEW_EMPLOYMENT_INDUSTRIES) | reduce(or_, words)


@dataclass(frozen=True)
class EntityCategory:
    key: str
    label: Any  # lazy text
    q: Q


CATEGORIES: list[EntityCategory] = [
    EntityCategory("all", _("All market entities"), Q()),
    EntityCategory("street_shop", _("Street shops"), Q(is_street_shop=True)),
    EntityCategory("building", _("Entities in buildings"), Q(building__isnull=False)),
    EntityCategory(
        "non_public",
        _("Non-public enterprises"),
        Q(ownership=Ownership.NON_PUBLIC, kind=EntityKind.ENTERPRISE),
    ),
    EntityCategory("social_org", _("Social organisations"), Q(kind=EntityKind.SOCIAL_ORG)),
    EntityCategory("new_employment", _("New-employment groups"), new_employment_q()),
]
CATEGORY_BY_KEY: dict[str, EntityCategory] = {c.key: c for c in CATEGORIES}


def category_choices() -> list[tuple[str, Any]]:
    return [(c.key, c.label) for c in CATEGORIES if c.key != "all"]


def in_category(queryset: QuerySet, key: str) -> QuerySet:
    """Entities of one category (an unknown key matches nothing)."""
    category = CATEGORY_BY_KEY.get(key)
    return queryset.filter(category.q) if category is not None else queryset.none()


@dataclass
class Tally:
    """Counts behind both measures for one group of operating entities."""

    operating: int = 0  # operating entities
    non_public: int = 0  # operating non-public entities: the official denominator
    official: int = 0  # of those, covered by an own or joint organisation
    covered: int = 0  # operating entities covered in any way
    statuses: Counter = field(default_factory=Counter)

    def add(self, status: str, non_public: bool, n: int) -> None:
        self.operating += n
        self.statuses[status] += n
        if status in COVERED:
            self.covered += n
        if non_public:
            self.non_public += n
            if status in OFFICIAL:
                self.official += n

    def merge(self, other: Tally) -> None:
        self.operating += other.operating
        self.non_public += other.non_public
        self.official += other.official
        self.covered += other.covered
        self.statuses.update(other.statuses)

    @property
    def official_ratio(self) -> float | None:
        return self.official / self.non_public if self.non_public else None

    @property
    def covered_share(self) -> float | None:
        return self.covered / self.operating if self.operating else None

    @property
    def uncovered(self) -> int:
        return self.statuses.get("none", 0)

    def status_counts(self) -> list[tuple[str, int]]:
        return [(s, self.statuses.get(s, 0)) for s in PRECEDENCE]


@dataclass
class Row:
    """One line of a rates table: what it is about, its filter for links, and its tally."""

    key: Any
    label: str
    params: dict[str, Any]  # query parameters of the entity list behind it
    tally: Tally
    extra: dict[str, Any] = field(default_factory=dict)


def _operating(entities: QuerySet, today: date | None) -> QuerySet:
    """The operating entities with `coverage_status` and `is_np` (non-public) annotated."""
    return annotate_status(entities.filter(OPERATING_Q), today).annotate(is_np=_flag(NON_PUBLIC_Q))


def _grouped(entities: QuerySet, fields: Iterable[str], today: date | None) -> QuerySet:
    """Rows of (fields…, coverage_status, is_np, n) over the operating entities."""
    return (
        _operating(entities, today)
        .order_by()
        .values(*fields, "coverage_status", "is_np")
        .annotate(n=Count("pk"))
    )


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def region_category_tallies(
    entities: QuerySet, today: date | None = None
) -> dict[str, dict[str, Tally]]:
    """{grid path: {category key: tally}} — one query; callers roll grids up into regions."""
    flags = {f"cat_{c.key}": _flag(c.q) for c in CATEGORIES if c.key != "all"}
    rows = (
        _operating(entities, today)
        .annotate(**flags)
        .order_by()
        .values("region__path", *flags, "coverage_status", "is_np")
        .annotate(n=Count("pk"))
    )
    result: dict[str, dict[str, Tally]] = {}
    for row in rows:
        per = result.setdefault(row["region__path"], {})
        for c in CATEGORIES:
            if c.key == "all" or row[f"cat_{c.key}"]:
                per.setdefault(c.key, Tally()).add(row["coverage_status"], row["is_np"], row["n"])
    return result


def _sum(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for t in tallies:
        total.merge(t)
    return total


def category_rows(
    tallies: dict[str, dict[str, Tally]], base: dict[str, Any] | None = None
) -> list[Row]:
    """The category table of everything in `tallies` (from `region_category_tallies`)."""
    rows = []
    for c in CATEGORIES:
        params = dict(base or {})
        if c.key != "all":
            params["category"] = c.key
        total = _sum(per[c.key] for per in tallies.values() if c.key in per)
        rows.append(Row(c.key, str(c.label), params, total))
    return rows


def category_rates(entities: QuerySet, today: date | None = None) -> list[Row]:
    """Rates of each category over `entities` (already scoped)."""
    return category_rows(region_category_tallies(entities, today))


def region_rows(
    tallies: dict[str, dict[str, Tally]],
    regions: Iterable[Region],
    category: str = "all",
) -> list[Row]:
    """A row per region in `regions`, summing the grids inside it (by path)."""
    rows = []
    for region in regions:
        inside = [
            per[category]
            for path, per in tallies.items()
            if category in per and path.startswith(region.path)
        ]
        params = {"region": region.pk}
        if category != "all":
            params["category"] = category
        rows.append(Row(region.pk, region.name, params, _sum(inside), {"region": region}))
    return rows


def road_rows(entities: QuerySet, today: date | None = None, category: str = "all") -> list[Row]:
    """A row per road that has operating entities, most entities first."""
    if category != "all":
        entities = in_category(entities, category)
    tallies: dict[int, Tally] = {}
    for row in _grouped(entities.filter(road__isnull=False), ["road_id"], today):
        tallies.setdefault(row["road_id"], Tally()).add(
            row["coverage_status"], row["is_np"], row["n"]
        )
    names = dict(Road.objects.filter(pk__in=list(tallies)).values_list("pk", "name"))
    rows = [
        Row(pk, names.get(pk, ""), _with_category({"road": pk}, category), t)
        for pk, t in tallies.items()
    ]
    return sorted(rows, key=lambda r: (-r.tally.operating, r.label))


def _with_category(params: dict[str, Any], category: str) -> dict[str, Any]:
    if category != "all":
        params["category"] = category
    return params


def building_branch_q(today: date | None = None) -> Exists:
    """EXISTS an active building-category organisation covering an entity of the building."""
    return Exists(
        active_links(today).filter(
            entity__building=OuterRef("pk"), organisation__category=OrgCategory.BUILDING
        )
    )


def building_rows(
    entities: QuerySet, today: date | None = None, category: str = "all"
) -> list[Row]:
    """A row per building with operating entities, most entities first; `extra["branch"]` says
    whether a building-category organisation reaches it."""
    if category != "all":
        entities = in_category(entities, category)
    tallies: dict[int, Tally] = {}
    for row in _grouped(entities.filter(building__isnull=False), ["building_id"], today):
        tallies.setdefault(row["building_id"], Tally()).add(
            row["coverage_status"], row["is_np"], row["n"]
        )
    buildings = {
        b.pk: b
        for b in Building.objects.filter(pk__in=list(tallies))
        .annotate(has_branch=building_branch_q(today))
        .only("pk", "name")
    }
    rows = [
        Row(
            pk,
            buildings[pk].name,
            _with_category({"building": pk}, category),
            t,
            {"branch": buildings[pk].has_branch, "building": buildings[pk]},
        )
        for pk, t in tallies.items()
        if pk in buildings
    ]
    return sorted(rows, key=lambda r: (-r.tally.operating, r.label))


@dataclass
class BuildingUnits:
    """Buildings as units: those with operating entities, and those a building branch reaches."""

    total: int
    reached: int

    @property
    def share(self) -> float | None:
        return self.reached / self.total if self.total else None


def building_units(entities: QuerySet, today: date | None = None) -> BuildingUnits:
    """Over the buildings that hold operating entities of `entities` (already scoped)."""
    building_ids = (
        entities.filter(OPERATING_Q, building__isnull=False).values("building_id").distinct()
    )
    counts = (
        Building.objects.filter(pk__in=building_ids)
        .annotate(has_branch=building_branch_q(today))
        .aggregate(total=Count("pk"), reached=Count("pk", filter=Q(has_branch=True)))
    )
    return BuildingUnits(counts["total"], counts["reached"])


def scoped_entities(user: Any) -> QuerySet:
    """The entities `user` may see (none if their role does not read the ledger)."""
    return Entity.objects.restrict(user)


def percent(value: float | None) -> str:
    """A rate as people read it: "62.5%", or "—" when there is nothing to divide by."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"
