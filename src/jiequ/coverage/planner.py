"""The planner: shops into k balanced, nearby groups, adjusted by staff, then applied once.

A plan (coverage.Plan) holds its shops (PlanShop: which group, locked or not) and its k groups
(PlanGroup). The same machinery serves street-block branches (kind "branches": applying creates
one branch per group with "area" coverage links) and members' responsibility zones (kind
"zones", see jiequ.coverage.zones). The partition itself is jiequ.coverage.partition; this
module reads shops from the ledger, stores proposals, keeps the measures up to date after every
change and applies a plan in one transaction.

Views, commands and tests call these functions; every refusal is a PlanError whose message is
shown to the user as it is.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.areas.models import Region, RegionLevel, Road
from jiequ.ledger.models import Entity, EntityState
from jiequ.party.models import Category, CoverageKind, CoverageLink, Level, Organisation

from .models import BalanceBy, Plan, PlanGroup, PlanKind, PlanShop, PlanState
from .partition import Shop, partition, report

__all__ = [
    "PlanError",
    "apply",
    "committee_of",
    "default_branch_name",
    "delete_draft",
    "group_label",
    "lock",
    "move",
    "propose",
    "refresh_measures",
    "rename",
    "rerun",
    "street_shops",
    "subdistrict_of",
    "uncovered_street_shops",
    "unlock",
]

# Shops without a road are each their own "road" for the partition (so they are not strung
# together along a road that does not exist); the prefix keeps them apart from real names.
NO_ROAD = "~"


class PlanError(ValueError):
    """The planner refuses: the message (already translated) says why."""


# --------------------------------------------------------------------------------------------
# Which shops


def subdistrict_of(region: Region) -> Region | None:
    """The subdistrict a region lies in (itself if it is one)."""
    if region.level == RegionLevel.SUBDISTRICT:
        return region
    return region.subdistrict


def _covered_by_street_block() -> Exists:
    return Exists(
        CoverageLink.objects.filter(
            entity=OuterRef("pk"),
            organisation__category=Category.STREET_BLOCK,
            organisation__dissolved_on__isnull=True,
        )
    )


def street_shops(
    subdistrict: Region,
    *,
    uncovered_only: bool = True,
    area: Region | None = None,
    roads: Iterable[Road] | None = None,
) -> QuerySet[Entity]:
    """Operating street shops of the subdistrict, optionally within one area or on some roads.

    With `uncovered_only`, shops already covered by an active street-block branch are left out.
    Shops without a location cannot be planned; callers count them with `.filter(lat=None)`.
    """
    qs = Entity.objects.filter(
        region__path__startswith=(area or subdistrict).path,
        is_street_shop=True,
        state=EntityState.OPERATING,
    )
    if uncovered_only:
        qs = qs.exclude(_covered_by_street_block())
    road_ids = [r.pk for r in roads or []]
    if road_ids:
        qs = qs.filter(road_id__in=road_ids)
    return qs.select_related("road", "region")


def uncovered_street_shops(subdistrict: Region) -> QuerySet[Entity]:
    """The default set: the subdistrict's operating street shops outside every street-block
    branch."""
    return street_shops(subdistrict, uncovered_only=True)


def _shop(entity: Entity, by_weight: bool) -> Shop:
    road = entity.road.name if entity.road_id else f"{NO_ROAD}{entity.pk}"
    return Shop(
        id=str(entity.pk),
        lat=float(entity.lat),
        lon=float(entity.lon),
        road=road,
        weight=float(entity.worker_count) if by_weight else 1.0,
    )


# --------------------------------------------------------------------------------------------
# Proposing


def propose(
    subdistrict: Region,
    entities: Iterable[Entity] | None,
    k: int,
    balance_by: str,
    author: Any,
    name: str,
    *,
    kind: str = PlanKind.BRANCHES,
    organisation: Organisation | None = None,
    members: Sequence[Any] | None = None,
    locked: Mapping[int, int] | None = None,
    selection: str = "",
    seed: int = 0,
) -> Plan:
    """Partition the shops into k groups and store the proposal as a draft plan.

    `entities` defaults to the subdistrict's street shops not yet covered by a street-block
    branch. Shops without a location are left out. `balance_by` "workers" balances the summed
    worker counts instead of the number of shops. For zone plans, `members[i]` takes group i and
    `locked` pins entity ids to groups (a member's own shop).
    """
    if entities is None:
        entities = uncovered_street_shops(subdistrict)
        selection = selection or _("Street shops not yet covered by a street-block branch")
    shops_list = [e for e in entities if e.lat is not None and e.lon is not None]
    n = len(shops_list)
    if n == 0:
        raise PlanError(_("There are no shops with a location to plan."))
    try:
        k = int(k)
    except (TypeError, ValueError):
        raise PlanError(_("The number of groups must be a whole number.")) from None
    if not 1 <= k <= n:
        raise PlanError(
            _("The number of groups must be between 1 and the number of shops (%(n)d).") % {"n": n}
        )
    if balance_by not in BalanceBy.values:
        raise PlanError(_("Choose to balance by the number of shops or of workers."))
    if members is not None and len(members) != k:
        raise PlanError(_("Each group needs exactly one member."))
    name = (name or "").strip()
    if not name:
        raise PlanError(_("Give the plan a name."))

    by_weight = balance_by == BalanceBy.WORKERS
    shops = [_shop(e, by_weight) for e in shops_list]
    locked_ids = {str(eid): int(g) for eid, g in (locked or {}).items()}
    start = time.perf_counter()
    try:
        assignment = partition(shops, k, by_weight=by_weight, locked=locked_ids, seed=seed)
    except ValueError as exc:
        raise PlanError(str(exc)) from exc
    seconds = time.perf_counter() - start
    if kind == PlanKind.BRANCHES and not locked_ids:
        assignment = _number_west_to_east(shops, assignment, k)

    with transaction.atomic():
        plan = Plan(
            kind=kind,
            name=name[:100],
            subdistrict=subdistrict,
            region=organisation.region if organisation is not None else subdistrict,
            organisation=organisation,
            k=k,
            balance_by=balance_by,
            author=author,
            selection=selection[:200],
        )
        plan._change_reason = "proposed"
        plan.save()
        PlanGroup.objects.bulk_create(
            PlanGroup(
                plan=plan,
                number=g,
                member=members[g] if members is not None else None,
                name=str(members[g])[:100] if members is not None else "",
            )
            for g in range(k)
        )
        PlanShop.objects.bulk_create(
            PlanShop(
                plan=plan,
                entity=e,
                group=assignment[str(e.pk)],
                locked=str(e.pk) in locked_ids,
            )
            for e in shops_list
        )
        refresh_measures(plan, seconds=seconds, reason="measured")
    return plan


def _number_west_to_east(shops: list[Shop], assignment: dict[str, int], k: int) -> dict[str, int]:
    """Renumber groups by the longitude of their centre, so group 1 is the westernmost."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for s in shops:
        g = assignment[s.id]
        sums[g][0] += s.lon
        sums[g][1] += 1
    order = sorted(range(k), key=lambda g: sums[g][0] / sums[g][1] if sums[g][1] else 0.0)
    renumber = {old: new for new, old in enumerate(order)}
    return {sid: renumber[g] for sid, g in assignment.items()}


# --------------------------------------------------------------------------------------------
# Measures


def refresh_measures(plan: Plan, *, seconds: float | None = None, reason: str | None) -> dict:
    """Recompute the plan's measures and each group's figures, and save them on the plan."""
    by_weight = plan.balance_by == BalanceBy.WORKERS
    rows = list(
        PlanShop.objects.filter(plan=plan)
        .select_related("entity__road")
        .only(
            "group",
            "locked",
            "entity__lat",
            "entity__lon",
            "entity__worker_count",
            "entity__road__name",
        )
    )
    placed = [r for r in rows if r.entity.lat is not None and r.entity.lon is not None]
    shops = [_shop(r.entity, by_weight) for r in placed]
    assignment = {str(r.entity_id): r.group for r in placed}
    # report() takes k from the largest group number: pad with nothing if the last is empty.
    overall = report(shops, assignment, by_weight=by_weight) if shops else None
    pseudo_roads = sum(1 for s in shops if s.road.startswith(NO_ROAD))

    groups = []
    for g in range(plan.k):
        members = [r for r in rows if r.group == g]
        g_shops = [s for s, r in zip(shops, placed, strict=True) if r.group == g]
        spread = report(g_shops, dict.fromkeys((s.id for s in g_shops), 0)).compactness_m
        roads = Counter(r.entity.road.name for r in members if r.entity.road_id)
        groups.append(
            {
                "number": g,
                "size": len(members),
                "workers": sum(r.entity.worker_count for r in members),
                "spread_m": round(spread, 1),
                "roads": sorted(roads.items(), key=lambda item: (-item[1], item[0])),
                "no_road": sum(1 for r in members if not r.entity.road_id),
                "locked": sum(1 for r in members if r.locked),
            }
        )
    total = sum(gr["workers"] if by_weight else gr["size"] for gr in groups)
    ideal = total / plan.k if plan.k else 0
    largest = max((gr["workers"] if by_weight else gr["size"] for gr in groups), default=0)
    measures = {
        "shops": len(rows),
        "workers": sum(gr["workers"] for gr in groups),
        "by_weight": by_weight,
        # Computed here rather than taken from report(): an empty group still counts in k.
        "balance": round(largest / ideal, 3) if ideal else 1.0,
        "compactness_m": round(overall.compactness_m, 1) if overall else 0.0,
        "road_fragments": (overall.road_fragments - pseudo_roads) if overall else 0,
        "roads": (overall.roads - pseudo_roads) if overall else 0,
        "groups": groups,
        "seconds": round(seconds, 3)
        if seconds is not None
        else (plan.measures or {}).get("seconds"),
    }
    plan.measures = measures
    if reason is not None:
        plan._change_reason = reason
    plan.save()
    return measures


def group_label(group: PlanGroup) -> str:
    """A group's name, or "Group N" while it has none."""
    return group.name or _("Group %(n)d") % {"n": group.number + 1}


# --------------------------------------------------------------------------------------------
# Adjusting a draft


def _locked_draft(plan: Plan) -> Plan:
    """The plan re-read under a row lock; refuses anything but a draft."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != PlanState.DRAFT:
        raise PlanError(_("This plan has been applied; it can no longer be changed."))
    return plan


def _ids(entity_ids: Iterable[Any]) -> list[int]:
    try:
        ids = sorted({int(i) for i in entity_ids})
    except (TypeError, ValueError):
        raise PlanError(_("Some of the selected shops are not valid.")) from None
    if not ids:
        raise PlanError(_("Select at least one shop first."))
    return ids


def _plan_rows(plan: Plan, ids: list[int]) -> QuerySet[PlanShop]:
    rows = PlanShop.objects.filter(plan=plan, entity_id__in=ids)
    if rows.count() != len(ids):
        raise PlanError(_("Some of the selected shops are not in this plan."))
    return rows


def move(plan: Plan, entity_ids: Iterable[Any], group: Any) -> int:
    """Move shops to a group and lock them there (a re-run keeps them). Returns the count."""
    ids = _ids(entity_ids)
    with transaction.atomic():
        plan = _locked_draft(plan)
        try:
            g = int(group)
        except (TypeError, ValueError):
            g = -1
        if not 0 <= g < plan.k:
            raise PlanError(_("That group does not exist in this plan."))
        count = _plan_rows(plan, ids).update(group=g, locked=True)
        target = PlanGroup.objects.get(plan=plan, number=g)
        refresh_measures(plan, reason=f"moved {count} shop(s) to {group_label(target)}"[:100])
    return count


def _set_locked(plan: Plan, entity_ids: Iterable[Any], value: bool) -> int:
    ids = _ids(entity_ids)
    with transaction.atomic():
        plan = _locked_draft(plan)
        count = _plan_rows(plan, ids).update(locked=value)
        refresh_measures(plan, reason=f"{'locked' if value else 'unlocked'} {count} shop(s)")
    return count


def lock(plan: Plan, entity_ids: Iterable[Any]) -> int:
    """Pin shops to their current group: a re-run keeps them there."""
    return _set_locked(plan, entity_ids, True)


def unlock(plan: Plan, entity_ids: Iterable[Any]) -> int:
    """Let a re-run place these shops again."""
    return _set_locked(plan, entity_ids, False)


def rerun(plan: Plan, *, seed: int = 0) -> Plan:
    """Partition the plan's shops again; locked shops stay in their groups."""
    with transaction.atomic():
        plan = _locked_draft(plan)
        by_weight = plan.balance_by == BalanceBy.WORKERS
        rows = list(PlanShop.objects.filter(plan=plan).select_related("entity__road"))
        placed = [r for r in rows if r.entity.lat is not None and r.entity.lon is not None]
        if len(placed) < plan.k:
            raise PlanError(
                _("The number of groups must be between 1 and the number of shops (%(n)d).")
                % {"n": len(placed)}
            )
        shops = [_shop(r.entity, by_weight) for r in placed]
        locked = {str(r.entity_id): r.group for r in placed if r.locked}
        start = time.perf_counter()
        try:
            assignment = partition(shops, plan.k, by_weight=by_weight, locked=locked, seed=seed)
        except ValueError as exc:
            raise PlanError(str(exc)) from exc
        seconds = time.perf_counter() - start
        changed = [r for r in placed if r.group != assignment[str(r.entity_id)]]
        for r in changed:
            r.group = assignment[str(r.entity_id)]
        PlanShop.objects.bulk_update(changed, ["group"])
        refresh_measures(plan, seconds=seconds, reason=f"re-run: {len(changed)} shop(s) moved")
    return plan


def rename(plan: Plan, number: Any, name: str) -> PlanGroup:
    """Name a group (the branch's name on apply). Names are unique within the plan."""
    name = (name or "").strip()
    with transaction.atomic():
        plan = _locked_draft(plan)
        try:
            group = PlanGroup.objects.get(plan=plan, number=int(number))
        except (PlanGroup.DoesNotExist, TypeError, ValueError):
            raise PlanError(_("That group does not exist in this plan.")) from None
        if len(name) > 100:
            raise PlanError(_("A group name has at most 100 characters."))
        if name and PlanGroup.objects.filter(plan=plan, name=name).exclude(pk=group.pk).exists():
            raise PlanError(_("Another group of this plan already has that name."))
        group.name = name
        group.save(update_fields=["name"])
        plan._change_reason = f"renamed group {group.number + 1}"
        plan.save()
    return group


def delete_draft(plan: Plan) -> None:
    """Undo before applying: a draft plan is deleted with its groups and shops."""
    with transaction.atomic():
        plan = _locked_draft(plan)
        plan.delete()


# --------------------------------------------------------------------------------------------
# Applying a branch plan


def committee_of(subdistrict: Region) -> Organisation | None:
    """The subdistrict's committee-level organisation (the new branches' higher organisation)."""
    return (
        Organisation.objects.filter(
            level=Level.COMMITTEE, region=subdistrict, dissolved_on__isnull=True
        )
        .order_by("pk")
        .first()
    )


def default_branch_name(number: int) -> str:
    return f"街区第{number}党支部"


def _area_of(region: Region) -> Region | None:
    if region.level == RegionLevel.AREA:
        return region
    if region.level == RegionLevel.GRID:
        return region.parent
    return None


def apply(
    plan: Plan, by: Any, parent_organisation: Organisation | None = None
) -> list[Organisation]:
    """Create one street-block branch per group with an "area" coverage link for every shop.

    All in one transaction with the plan row locked: a plan is applied at most once (a second
    call, even a concurrent one, is refused), and a failure part-way leaves nothing behind.
    """
    with transaction.atomic():
        plan = _locked_draft(plan)
        if plan.kind != PlanKind.BRANCHES:
            raise PlanError(_("This is a zone plan; apply it from its branch's zones."))
        parent = parent_organisation or committee_of(plan.subdistrict)
        if parent is None:
            raise PlanError(
                _(
                    "No Party committee of this subdistrict was found to put the new branches "
                    "under; choose the higher organisation."
                )
            )
        if not parent.is_active:
            raise PlanError(_("The higher organisation has been dissolved."))
        rows = list(PlanShop.objects.filter(plan=plan).select_related("entity__region__parent"))
        by_group: dict[int, list[PlanShop]] = defaultdict(list)
        for r in rows:
            by_group[r.group].append(r)
        groups = list(PlanGroup.objects.filter(plan=plan).order_by("number"))
        empty = [group_label(g) for g in groups if not by_group.get(g.number)]
        if empty:
            raise PlanError(
                _("These groups have no shops: %(groups)s. Move shops into them or re-run.")
                % {"groups": "、".join(empty)}
            )
        taken = set(
            Organisation.objects.filter(
                region__path__startswith=plan.subdistrict.path, dissolved_on__isnull=True
            ).values_list("name", flat=True)
        )
        clashes = [g.name for g in groups if g.name and g.name in taken]
        if clashes:
            raise PlanError(
                _("An organisation named %(names)s already exists; rename the group.")
                % {"names": "、".join(clashes)}
            )
        taken |= {g.name for g in groups if g.name}
        today = timezone.localdate()
        created = []
        for group in groups:
            name = group.name
            if not name:
                n = group.number + 1
                while default_branch_name(n) in taken:
                    n += 1
                name = default_branch_name(n)
                taken.add(name)
            organisation = _create_branch(plan, group, name, parent, by_group[group.number], today)
            created.append(organisation)
        plan.state = PlanState.APPLIED
        plan.applied_at = timezone.now()
        plan.applied_by = by
        plan._change_reason = f"applied: {len(created)} branch(es) created"
        plan.save()
    return created


def _create_branch(
    plan: Plan,
    group: PlanGroup,
    name: str,
    parent: Organisation,
    rows: list[PlanShop],
    today: Any,
) -> Organisation:
    areas = Counter()
    for r in rows:
        area = _area_of(r.entity.region)
        if area is not None:
            areas[area] += 1
    # The area holding most of the shops (ties: the first by path), else the subdistrict.
    region = min(areas, key=lambda a: (-areas[a], a.path)) if areas else plan.subdistrict
    organisation = Organisation(
        name=name[:100],
        level=Level.BRANCH,
        category=Category.STREET_BLOCK,
        parent=parent,
        region=region,
        founded_on=today,
        notes=_("Set up by applying the plan “%(plan)s”.") % {"plan": plan.name},
    )
    organisation._change_reason = f"set up by plan {plan.pk}"
    organisation.save()
    linked = set(
        CoverageLink.objects.filter(organisation=organisation).values_list("entity_id", flat=True)
    )
    for r in rows:
        if r.entity_id in linked:
            continue
        link = CoverageLink(
            organisation=organisation, entity_id=r.entity_id, kind=CoverageKind.AREA, since=today
        )
        link._change_reason = f"plan {plan.pk}"
        link.save()
        linked.add(r.entity_id)
    group.organisation = organisation
    group.save(update_fields=["organisation"])
    return organisation
