"""The demo's coverage work: the street shops planned into the street-block branches, a draft
re-plan, members' responsibility zones, street chiefs on the roads and a few instructors.

The seed (石门二路街道) studied the spread and business mix of its street shops and "divided them
evenly and reasonably, keeping contact near and convenient" (划分均衡合理、联系就近就便) into 3
street-block branches; inside each branch members take responsibility zones of shops (划片包干);
Xuhui put a street chief (街长) on each road. Here:

- the subdistrict staff's plan over all operating street shops, k = 3, balanced by the number
  of shops, applied on the day the branches were founded: its 3 groups are the 江宁/石门/成都
  street-block branches (each named after the area holding most of its shops);
- a draft re-plan of one area's shops into 2 groups, to try adjusting, applying or deleting;
- each street-block branch's shops in zones for about ten of its members who are not on its
  committee, each anchored at the member's own shop, with the default duty list;
- a current chief on every road with street shops: a member of the street-block branch that
  covers most of the road's shops (on two roads a second chief took over from the first);
- Party-building instructors (cadres of the Party-mass department) posted to a few entities
  without an organisation: "work coverage". Most such entities still have none, and the large
  buildings and enterprises without a branch of their own stay on the blind-spot lists
  (demo.party leaves those gaps).

Deterministic for a seed and a day, like the rest of the Party data.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef

from jiequ.accounts.models import User
from jiequ.areas.models import Region
from jiequ.coverage import chiefs, planner, zones
from jiequ.coverage.models import BalanceBy, InstructorPost, Plan, PlanShop, Zone
from jiequ.ledger.models import Entity, EntityState
from jiequ.members.models import Member
from jiequ.party.models import Cadre, CoverageLink, DepartmentKind, Officer, Organisation

from . import members as m
from .people import Context, aware, days

PLAN_NAME = "石门二路街道沿街商铺划分方案"
STREET_BLOCKS = 3
DRAFT_AREA = "03"  # the area whose shops the draft re-plan divides again
DRAFT_GROUPS = 2
ZONE_MEMBERS = 10  # members taking a zone in each street-block branch (about 11 shops each)
CHIEF_CHANGES = 2  # roads where a second chief took over
INSTRUCTOR_POSTS = (6, 3)  # entities with ≥3 members, with 1–2 members
INSTRUCTOR_CADRES = ("PM2", "PM3", "PM1")  # Party-building instructors, Party-mass department


@dataclass
class CoverageSummary:
    plans: int = 0
    zones: int = 0
    street_chiefs: int = 0  # roads with a current chief
    instructor_posts: int = 0  # current posts


def author(ctx: Context) -> Any:
    """Who plans in the demo: the subdistrict staff user (or the first superuser)."""
    return ctx.staff or User.objects.filter(is_superuser=True).order_by("pk").first()


# --- the street-block branches, out of the planner -------------------------------------------


def plan_street_blocks(
    ctx: Context,
    committee: Organisation,
    shops_by_pk: dict[int, Entity],
    founded: dt.date,
) -> dict[int, tuple[Organisation, list[Entity]]]:
    """Propose, name and apply the plan of the subdistrict's street shops into 3 branches.

    Returns, for each area (by pk), the branch named after it and its shops (the objects of
    `shops_by_pk`, by pk). The plan is dated as made a month before the branches were founded
    and applied on `founded`; the branches' founding day and their links' `since` are set to it
    by the caller and here.
    """
    sub, staff = ctx.subdistrict, author(ctx)
    shops = planner.street_shops(sub, uncovered_only=False).order_by("pk")
    plan = planner.propose(
        sub,
        shops,
        STREET_BLOCKS,
        BalanceBy.SHOPS,
        staff,
        PLAN_NAME,
        selection="石门二路街道全部营业沿街商铺",
        seed=0,
    )
    groups: dict[int, list[Entity]] = defaultdict(list)
    for number, entity_id in (
        PlanShop.objects.filter(plan=plan).order_by("entity_id").values_list("group", "entity_id")
    ):
        groups[number].append(shops_by_pk[entity_id])
    area_of = _areas_for(ctx, groups)
    for number in sorted(area_of):
        short = area_of[number].name.removesuffix("片区")
        planner.rename(plan, number, f"{short}街区党支部")
    planner.apply(plan, staff, parent_organisation=committee)
    out = {}
    for group in plan.groups.select_related("organisation").order_by("number"):
        branch, number = group.organisation, group.number
        area = area_of[number]
        CoverageLink.objects.filter(organisation=branch).update(since=founded)
        CoverageLink.history.filter(organisation_id=branch.pk).update(
            since=founded, history_date=aware(founded, 15)
        )
        out[area.pk] = (branch, groups[number])
    _date_plan(plan, aware(founded - days(30), 10), aware(founded, 15))
    return out


def _areas_for(ctx: Context, groups: dict[int, list[Entity]]) -> dict[int, Region]:
    """Each group's area: the one-to-one match holding the most shops of the groups."""
    counts = {g: Counter(ctx.area_for(e.region) for e in shops) for g, shops in groups.items()}
    numbers = sorted(groups)
    best = max(
        itertools.permutations(ctx.areas, len(numbers)),
        key=lambda areas: sum(counts[g][a] for g, a in zip(numbers, areas, strict=True)),
    )
    return dict(zip(numbers, best, strict=True))


def date_branch(branch: Organisation, founded: dt.date) -> None:
    """The branch's own history dated on the day the plan was applied."""
    Organisation.history.filter(id=branch.pk).update(history_date=aware(founded, 15))


def _date_plan(plan: Plan, created: dt.datetime, applied: dt.datetime | None) -> None:
    """Date a demo plan back: made on `created`, applied on `applied` (its history too)."""
    fields: dict[str, Any] = {"created_at": created, "updated_at": applied or created}
    if applied is not None:
        fields["applied_at"] = applied
    Plan.objects.filter(pk=plan.pk).update(**fields)
    history = Plan.history.filter(id=plan.pk)
    last = history.order_by("-history_id").first()
    history.update(history_date=created)
    if applied is not None and last is not None:
        Plan.history.filter(history_id=last.history_id).update(history_date=applied)


# --- after the members are saved -------------------------------------------------------------


def build_coverage(
    ctx: Context, branches: list[Organisation], cadres: dict[str, Cadre]
) -> CoverageSummary:
    """The draft re-plan, members' zones, street chiefs and instructors (members are saved)."""
    _draft_plan(ctx)
    zone_count = sum(_zones(ctx, branch) for branch in branches)
    _street_chiefs(ctx, branches, cadres)
    _instructors(ctx, cadres)
    sub = ctx.subdistrict
    return CoverageSummary(
        plans=Plan.objects.filter(subdistrict=sub).count(),
        zones=zone_count,
        street_chiefs=sum(1 for row in chiefs.roads_of(sub) if row.chief is not None),
        instructor_posts=InstructorPost.objects.filter(
            entity__region__path__startswith=sub.path, ended_on__isnull=True
        ).count(),
    )


def _draft_plan(ctx: Context) -> Plan:
    """One area's shops divided again into 2 groups: a draft to adjust, apply or delete."""
    area = next(a for a in ctx.areas if a.code == DRAFT_AREA)
    shops = planner.street_shops(ctx.subdistrict, uncovered_only=False, area=area).order_by("pk")
    plan = planner.propose(
        ctx.subdistrict,
        shops,
        DRAFT_GROUPS,
        BalanceBy.SHOPS,
        author(ctx),
        f"{area.name}沿街商铺调整方案（草稿）",
        selection=f"{area.name}全部营业沿街商铺（已由街区党支部覆盖，试拆为两个支部）",
        seed=0,
    )
    made = ctx.today - days(ctx.rng.randint(3, 10))
    _date_plan(plan, aware(made, ctx.rng.randint(9, 16)), None)
    return plan


def _officer_members(branch: Organisation) -> set[int]:
    return set(
        Officer.objects.filter(
            organisation_id__in=branch.subtree_ids(), ended_on__isnull=True, member__isnull=False
        ).values_list("member_id", flat=True)
    )


def _zones(ctx: Context, branch: Organisation) -> int:
    """About ten members who are not on the committee each take a zone around their shop."""
    rng = ctx.rng
    planned = ctx.today - days(rng.randint(20, 90))
    shop_ids = set(zones.branch_shops(branch).values_list("pk", flat=True))
    officers = _officer_members(branch)
    pool = [
        x
        for x in ctx.members_of[branch.pk]
        if x.pk is not None
        and x.left_on is None
        and m.active_on(x, planned)
        and x.workplace_id in shop_ids
        and x.pk not in officers
    ]
    # One member per shop, so that every member's own shop anchors their zone.
    by_shop: dict[int, Member] = {}
    for x in pool:
        by_shop.setdefault(x.workplace_id, x)
    pool = list(by_shop.values())
    special = [
        ctx.named[k]
        for k in ("pet_worker", "restaurant_owner")
        if k in ctx.named and ctx.named[k] in pool
    ]
    rest = [x for x in pool if x not in special]
    chosen = special + rng.sample(rest, min(len(rest), ZONE_MEMBERS - len(special)))
    chosen.sort(key=lambda x: (x.name, x.pk))
    if not chosen:
        return 0
    by = ctx.secretary_user if branch == ctx.named.get("secretary_branch") else author(ctx)
    by = by or author(ctx)
    plan = zones.propose_zones(
        branch, chosen, BalanceBy.SHOPS, by, f"{branch.name}责任区划分", seed=0
    )
    made = zones.apply_zones(plan, by)
    _date_plan(plan, aware(planned, 9), aware(planned, 16))
    when = aware(planned, 16)
    Zone.objects.filter(plan=plan).update(created_at=when, updated_at=when)
    Zone.history.filter(plan_id=plan.pk).update(history_date=when)
    return len(made)


def _street_chiefs(ctx: Context, branches: list[Organisation], cadres: dict[str, Cadre]) -> None:
    """Every road with street shops gets a chief from the branch covering most of its shops."""
    rng, today = ctx.rng, ctx.today
    links = CoverageLink.objects.filter(
        organisation__in=branches,
        entity__road__isnull=False,
        entity__state=EntityState.OPERATING,
        entity__is_street_shop=True,
    ).values_list("entity__road_id", "organisation_id")
    on_road: dict[int, Counter] = defaultdict(Counter)
    for road_id, organisation_id in links:
        on_road[road_id][organisation_id] += 1
    branch_by_pk = {b.pk: b for b in branches}
    taken: set[int] = set()
    party_mass = [
        c
        for c in cadres.values()
        if c.department_kind == DepartmentKind.PARTY_MASS and c.subdistrict_id == ctx.subdistrict.pk
    ]
    rows = [row for row in chiefs.roads_of(ctx.subdistrict) if row.shops > 0]
    changes = set(rng.sample(range(len(rows)), min(CHIEF_CHANGES, len(rows))))
    for k, row in enumerate(rows):
        counts = on_road.get(row.road.pk)
        branch = branch_by_pk[min(counts, key=lambda pk: (-counts[pk], pk))] if counts else None
        start = (branch.founded_on if branch else today - days(400)) + days(rng.randint(30, 90))
        starts = [start]
        if k in changes:
            starts.append(today - days(rng.randint(60, 200)))
        for day in starts:
            member = _chief_member(ctx, branch, row.road.pk, day, taken) if branch else None
            if member is not None:
                taken.add(member.pk)
                chiefs.assign(row.road, member=member, started_on=day)
            else:
                chiefs.assign(row.road, cadre=party_mass[k % len(party_mass)], started_on=day)


def _chief_member(
    ctx: Context, branch: Organisation, road_id: int, day: dt.date, taken: set[int]
) -> Member | None:
    """An active member of the branch, not yet a chief, working on the road if one does."""
    pool = [
        x
        for x in ctx.members_of[branch.pk]
        if x.pk is not None
        and x.pk not in taken
        and x.left_on is None
        and m.active_on(x, day)
        and x.workplace is not None
    ]
    here = [x for x in pool if x.workplace.road_id == road_id]
    choice = here or pool
    return ctx.rng.choice(choice) if choice else None


def _instructors(ctx: Context, cadres: dict[str, Cadre]) -> None:
    """Instructors posted to a few entities with members and no organisation (work coverage);
    one earlier post has ended. Most such entities still have no instructor."""
    rng, sub = ctx.rng, ctx.subdistrict
    no_link = ~Exists(CoverageLink.objects.filter(entity=OuterRef("pk")))
    candidates = Entity.objects.filter(
        no_link,
        region__path__startswith=sub.path,
        state=EntityState.OPERATING,
        is_street_shop=False,
        member_count__gte=1,
    ).order_by("pk")
    larger = list(candidates.filter(member_count__gte=3))
    smaller = list(candidates.filter(member_count__lt=3))
    many, few = INSTRUCTOR_POSTS
    chosen = rng.sample(larger, min(many, len(larger))) + rng.sample(
        smaller, min(few + 1, len(smaller))
    )
    for k, entity in enumerate(chosen):
        cadre = cadres[INSTRUCTOR_CADRES[k % len(INSTRUCTOR_CADRES)]]
        started = ctx.ago(30, 500)
        ended = None
        if k == len(chosen) - 1:  # an earlier post, ended: the entity is not covered now
            ended = ctx.today - days(rng.randint(20, 120))
            started = min(started, ended - days(180))
        post = InstructorPost(entity=entity, cadre=cadre, started_on=started, ended_on=ended)
        post._change_reason = "演示数据：派驻党建指导员"
        post.save()
