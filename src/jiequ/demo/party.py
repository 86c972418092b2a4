"""The demo subdistrict's Party organisations: the working committee and its 87 emerging-sector
organisations, what they cover, their mixed committees and their members.

The seed (石门二路街道): "对辖区87个新兴领域党组织实现全覆盖" — 3 street-block branches, 1 building
branch and 3 non-public enterprise branches newly built in the pilot, among 87 emerging-sector
organisations under the subdistrict's working committee (两新工委). Here the 87 are:

- 3 street-block branches, the groups of the subdistrict staff's plan of all operating street
  shops into 3 balanced, nearby groups (jiequ.coverage.planner; see demo.coverage), each named
  after the area holding most of its shops, with a Party group per grid where it has shops;
- 1 building branch over the entities of the building with the most entities;
- 3 non-public enterprise branches, the own organisations of the three largest enterprises;
- 3 area emerging-sector general branches (片区新兴领域党总支), with branches under them;
- 54 own branches of enterprises with enough members (category "area emerging-sector");
- 14 joint branches, each over 2–5 small units of one building;
- 5 own branches of social organisations and 1 joint branch of small social organisations;
- a mobile-member branch (more than 50 members: a deliberate finding), a new-employment branch
  (couriers and riders) and an online-media branch (live streamers and bloggers).

Left as gaps for the coverage lists: most entities with 3 or more members still have no own
organisation, and no building but one has a building branch.

Deliberate rule findings: one branch with 2 full members, one committee term overdue, one ending
within 90 days, one branch of more than 50 members.

Deterministic for a seed and a day: dates count back from `timezone.localdate()`.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from jiequ.accounts.models import User
from jiequ.accounts.roles import Role
from jiequ.areas.models import Building, Region, RegionLevel
from jiequ.ledger.models import Entity, EntityKind, EntityState
from jiequ.members.models import Member, RecordLocation
from jiequ.party import rules
from jiequ.party.models import (
    Cadre,
    Category,
    CoverageKind,
    CoverageLink,
    DepartmentKind,
    Level,
    Organisation,
)

from . import committees, development, life
from . import coverage as dc
from . import members as m
from .people import Context, People, add_months, days, phone_fields

WORKING_COMMITTEE = "中共石门二路街道两新组织工作委员会"
ENTERPRISE_BRANCHES = 54
JOINT_BRANCHES = 14
SOCIAL_BRANCHES = 5
BRANCHES_PER_GENERAL_BRANCH = 8
MOBILE_BRANCH_MEMBERS = 54
GROUP_MIN_SHOPS = 12  # a street-block branch has a Party group in a grid with this many shops


def emerging_sector_organisations(subdistrict: Region) -> models.QuerySet:
    """The subdistrict's emerging-sector organisations (新兴领域党组织), counted as the seed
    counts its 87: every organisation under the working committee, at every level — general
    branches, branches, joint branches — except Party groups (a group is part of its branch,
    not an organisation of its own) and except the working committee itself."""
    committee = Organisation.objects.filter(
        region=subdistrict, level=Level.COMMITTEE, parent__isnull=True
    ).first()
    if committee is None:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(pk__in=committee.subtree_ids())
        .exclude(pk=committee.pk)
        .exclude(level=Level.GROUP)
    )


@dataclass
class PartySummary:
    organisations: int = 0  # emerging-sector organisations (see above)
    groups: int = 0
    members: int = 0  # current members of those organisations (not the neighbour's)
    mobile_members: int = 0
    cadres: int = 0
    officers: int = 0
    applications: int = 0
    transfers: int = 0
    liaison_reports: int = 0
    meetings: int = 0
    dues_payments: int = 0
    courses: int = 0
    street_blocks: int = 0  # street-block branches set up by the applied plan
    plans: int = 0
    zones: int = 0
    street_chiefs: int = 0
    instructor_posts: int = 0


PARTY_APPS = ("life", "development", "members", "party")


@transaction.atomic
def clear_party() -> None:
    """Delete the Party records and their history.

    Tens of thousands of rows (meetings, attendance, dues) would each write a "deleted" history
    record through the ORM, so the tables are emptied directly; the foreign keys are checked at
    the end of the transaction, when everything pointing at them is gone too.
    """
    from django.apps import apps

    _clear_dependents()
    User.objects.exclude(scope_organisation=None).update(scope_organisation=None)
    for label in PARTY_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            queryset = model._base_manager.all()
            queryset._raw_delete(queryset.db)


# The apps whose records point at organisations, members, cadres and entities: emptied first,
# with their history.
DEPENDENT_APPS = (
    "coverage",
    "outbox",
    "surveys",
    "cases",
    "councils",
    "services",
    "positions",
    "offers",
    "volunteers",
)


def _clear_dependents() -> None:
    from django.apps import apps

    for label in DEPENDENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            queryset = model._base_manager.all()
            queryset._raw_delete(queryset.db)


# --- building it ----------------------------------------------------------------------------


def build_party(subdistrict: Region, other: Region | None, rng: random.Random) -> PartySummary:
    """Organisations, committees, members and their records of `subdistrict` (and a small
    working committee in the neighbouring subdistrict `other`, to show that scopes hold)."""
    today = timezone.localdate()
    ctx = Context(
        rng=rng,
        today=today,
        subdistrict=subdistrict,
        staff=User.objects.filter(role=Role.SUBDISTRICT_STAFF, scope_region=subdistrict)
        .order_by("pk")
        .first(),
        secretary_user=User.objects.filter(username="secretary").first(),
        people=People(rng),
    )
    ctx.areas = list(Region.objects.filter(parent=subdistrict).order_by("code"))
    for reserved in ("张建国", "赵磊"):
        ctx.people.reserve(reserved)
    cadres = committees.build_cadres(ctx)
    ctx.named["committee_cadre"] = cadres["WC_ORG"]
    entities = list(
        Entity.objects.filter(region__path__startswith=subdistrict.path)
        .select_related("region", "building")
        .order_by("pk")
    )
    _organisations(ctx, entities)
    if other is not None:
        _neighbour(ctx, other)
        cadres.update(
            {k.removeprefix("cadre_"): v for k, v in ctx.named.items() if k.startswith("cadre_")}
        )
    development.plan_applications(ctx)
    m.plan_transfers(ctx, _transfer_candidates(ctx))
    registered = _registration_members(ctx)
    m.create_registrations(ctx, registered, pending=3)
    members = m.save_members(ctx)
    applications = development.create_applications(ctx)
    m.add_guests(ctx, _guests(ctx))
    officers = committees.build_officers(ctx, cadres)
    _tie_users(ctx)
    transfers = m.create_transfers(ctx)
    reports = m.create_liaison(ctx, members)
    meetings = life.create_meetings(ctx, officers)
    courses = life.create_training(ctx, officers)
    dues = m.create_dues(ctx, members)
    street_blocks = [ctx.named[f"street_block_{area.code}"] for area in ctx.areas]
    coverage = dc.build_coverage(ctx, street_blocks, cadres)
    ours = emerging_sector_organisations(subdistrict)
    return PartySummary(
        organisations=ours.count(),
        groups=Organisation.objects.filter(level=Level.GROUP).count(),
        members=Member.objects.filter(organisation__in=ours, left_on__isnull=True).count(),
        mobile_members=sum(1 for x in members if x.record_location == RecordLocation.ELSEWHERE),
        cadres=len(cadres),
        officers=len(officers),
        applications=applications,
        transfers=len(transfers),
        liaison_reports=reports,
        meetings=meetings,
        dues_payments=dues,
        courses=courses,
        street_blocks=len(street_blocks),
        plans=coverage.plans,
        zones=coverage.zones,
        street_chiefs=coverage.street_chiefs,
        instructor_posts=coverage.instructor_posts,
    )


# --- organisations --------------------------------------------------------------------------


def _dates(ctx: Context, founded_ago: tuple[int, int]) -> tuple[Any, Any]:
    """Founding day and the start of the current term (the first term for young ones). No term
    ends within 150 days, so the only term findings are the deliberate ones."""
    years = int(rules.value("branch_term_years", ctx.subdistrict))
    founded = ctx.ago(*founded_ago)
    if add_months(founded, 12 * years) > ctx.today + days(150):
        return founded, founded
    return founded, ctx.ago(30, years * 365 - 150)


def _org(
    ctx: Context,
    name: str,
    level: str,
    category: str,
    parent: Any,
    region: Region,
    founded_ago: tuple[int, int] = (3 * 365, 12 * 365),
    **extra: Any,
) -> Organisation:
    founded, term = _dates(ctx, founded_ago)
    org = Organisation(
        name=name,
        level=level,
        category=category,
        parent=parent,
        region=region,
        founded_on=founded,
        term_started_on=None if level == Level.GROUP else term,
        **extra,
    )
    org.save()
    ctx.organisations.append(org)
    return org


def _group(ctx: Context, branch: Organisation, name: str, region: Region) -> Organisation:
    group = Organisation(
        name=name,
        level=Level.GROUP,
        category=branch.category,
        parent=branch,
        region=region,
        founded_on=branch.founded_on,
    )
    group.save()
    ctx.organisations.append(group)
    ctx.groups_of[branch.pk].append(group)
    return group


def _cover(ctx: Context, org: Organisation, entities: list[Entity], kind: str) -> None:
    ctx.entities_of[org.pk].extend(entities)
    links = [
        CoverageLink(organisation=org, entity=e, kind=kind, since=org.founded_on) for e in entities
    ]
    bulk_create_with_history(links, CoverageLink, batch_size=500)


def _own_members(
    ctx: Context, org: Organisation, entity: Entity, count: int, mobile_share: float = 0.06
) -> None:
    for _ in range(count):
        home = m.hometown(ctx) if ctx.rng.random() < mobile_share else None
        m.new_member(ctx, org, workplace=entity, home=home)


def _organisations(ctx: Context, entities: list[Entity]) -> None:
    rng = ctx.rng
    sub = ctx.subdistrict
    wc = _org(
        ctx,
        WORKING_COMMITTEE,
        Level.COMMITTEE,
        Category.EMERGING_AREA,
        None,
        sub,
        founded_ago=(9 * 365, 11 * 365),
        term_years=5,
        service_position="石门二路街道党群服务中心",
        notes="街道两新工委：统筹辖区新兴领域党组织的建设、管理和服务保障。",
    )
    ctx.named["committee"] = wc
    alive = [e for e in entities if e.state in (EntityState.OPERATING, EntityState.UNVERIFIED)]
    operating = [e for e in alive if e.state == EntityState.OPERATING]

    # Street-block branches: the operating street shops planned into 3 branches and applied.
    founded, term = _dates(ctx, (420, 560))
    street_shops = {e.pk: e for e in operating if e.is_street_shop}
    planned = dc.plan_street_blocks(ctx, wc, street_shops, founded)
    for area in ctx.areas:
        branch, shops = planned[area.pk]
        _street_block(ctx, branch, area, shops, founded, term)

    # The building branch: the building with the most entities.
    by_building: dict[int, list[Entity]] = {}
    for e in alive:
        if e.building_id:
            by_building.setdefault(e.building_id, []).append(e)
    buildings = {b.pk: b for b in Building.objects.filter(pk__in=by_building)}
    building_id = max(by_building, key=lambda pk: (len(by_building[pk]), buildings[pk].name))
    _building_branch(ctx, wc, buildings[building_id], by_building[building_id])
    in_building = {e.pk for e in by_building[building_id]}

    offices = [
        e
        for e in operating
        if not e.is_street_shop and e.pk not in in_building and e.kind == EntityKind.ENTERPRISE
    ]
    offices.sort(key=lambda e: (-e.member_count, e.name))
    # Non-public enterprise branches: the three largest enterprises' own organisations.
    for rank, entity in enumerate(offices[:3]):
        _non_public(ctx, wc, entity, rank)

    general = {}
    for area in ctx.areas:
        general[area.pk] = _org(
            ctx,
            f"{area.name}新兴领域党总支",
            Level.GENERAL_BRANCH,
            Category.EMERGING_AREA,
            wc,
            area,
            founded_ago=(4 * 365, 8 * 365),
            service_position=f"{area.name}党群服务站",
        )
    placed: Counter = Counter()

    def parent_for(entity_region: Region, share: int = BRANCHES_PER_GENERAL_BRANCH) -> Organisation:
        area = ctx.area_for(entity_region)
        if area is not None and placed[area.pk] < share:
            placed[area.pk] += 1
            return general[area.pk]
        return wc

    social = [e for e in operating if e.kind == EntityKind.SOCIAL_ORG and e.pk not in in_building]
    social.sort(key=lambda e: (-e.member_count, e.name))
    social_own = [e for e in social if e.member_count >= 3][:SOCIAL_BRANCHES]
    # Own branches of enterprises with enough members; the rest stay as gaps. (Fewer larger
    # social organisations than planned are made up by enterprises, so the total stays 87.)
    enterprise_branches = ENTERPRISE_BRANCHES + SOCIAL_BRANCHES - len(social_own)
    candidates = [e for e in offices[3:] if e.member_count >= 3]
    chosen = [e for i, e in enumerate(candidates[:24]) if i not in (2, 9, 17)]  # gaps at the top
    rest = candidates[24:]
    chosen += rng.sample(rest, enterprise_branches - len(chosen))
    chosen.sort(key=lambda e: (e.region.path, e.name))
    two_full = next(e for e in chosen if e.member_count == 3)
    for entity in chosen:
        org = _org(
            ctx,
            f"{entity.name}党支部",
            Level.BRANCH,
            Category.EMERGING_AREA,
            parent_for(entity.region),
            entity.region,
            founded_ago=rng.choice([(200, 900), (3 * 365, 12 * 365)]),
        )
        _cover(ctx, org, [entity], CoverageKind.OWN)
        if entity is two_full:
            # A deliberate finding: two full members (the third is still on probation).
            _own_members(ctx, org, entity, 2, mobile_share=0)
            ctx.named["two_full"] = org
        else:
            _own_members(ctx, org, entity, entity.member_count)
    used = in_building | {e.pk for e in offices[:3]} | {e.pk for e in chosen}

    # Joint branches over 2–5 small units of one building.
    small: dict[int, list[Entity]] = {}
    for e in offices:
        if e.pk not in used and e.member_count in (1, 2) and e.building_id:
            small.setdefault(e.building_id, []).append(e)
    joint_buildings = sorted(small, key=lambda pk: (-len(small[pk]), buildings[pk].name))
    placed.clear()
    for k, building_id in enumerate(joint_buildings[:JOINT_BRANCHES]):
        units = small[building_id]
        size = 2 if k % 7 == 3 else rng.randint(3, 5)
        group = [u for u in units if u.member_count == 2][:size] if size == 2 else units[:size]
        if sum(u.member_count for u in group) < 3:
            group = units[:3]
        building = group[0].building
        org = _org(
            ctx,
            f"{building.name}联合党支部",
            Level.JOINT_BRANCH,
            Category.EMERGING_AREA,
            parent_for(building.region, share=2),
            building.region,
            founded_ago=(300, 6 * 365),
        )
        _cover(ctx, org, group, CoverageKind.JOINT)
        for unit in group:
            _own_members(ctx, org, unit, unit.member_count)
        used |= {u.pk for u in group}

    # Social organisations: own branches of the larger ones, one joint branch of small ones.
    for entity in social_own:
        org = _org(
            ctx,
            f"{entity.name}党支部",
            Level.BRANCH,
            Category.SOCIAL_ORGANISATION,
            wc,
            entity.region,
        )
        _cover(ctx, org, [entity], CoverageKind.OWN)
        _own_members(ctx, org, entity, entity.member_count, mobile_share=0)
    small_social = [e for e in social if e.member_count in (1, 2)][:5]
    org = _org(
        ctx,
        "石门二路街道社会组织联合党支部",
        Level.JOINT_BRANCH,
        Category.SOCIAL_ORGANISATION,
        wc,
        sub,
        founded_ago=(2 * 365, 5 * 365),
        service_position="石门二路街道党群服务中心",
    )
    _cover(ctx, org, small_social, CoverageKind.JOINT)
    for unit in small_social:
        _own_members(ctx, org, unit, unit.member_count, mobile_share=0)
    while sum(1 for x in ctx.members_of[org.pk]) < 4:
        m.new_member(ctx, org, workplace=small_social[0])

    _group_branches(ctx, wc)


def _street_block(
    ctx: Context,
    branch: Organisation,
    area: Region,
    shops: list[Entity],
    founded: Any,
    term: Any,
) -> None:
    """A street-block branch the plan set up (named after `area`): its dates and service
    position, a Party group for each grid holding enough of its shops, and its members."""
    rng = ctx.rng
    short = area.name.removesuffix("片区")
    branch.region = area
    branch.founded_on, branch.term_started_on = founded, term
    branch.service_position = f"{area.name}街区党群服务阵地"
    branch.notes = f"新兴领域全覆盖试点中按“{dc.PLAN_NAME}”新建的街区党支部，“内外搭配、交叉任职”。"
    branch._change_reason = "演示数据：试点中建立"
    branch.save()
    dc.date_branch(branch, founded)
    ctx.organisations.append(branch)
    ctx.named[f"street_block_{area.code}"] = branch
    ctx.entities_of[branch.pk].extend(shops)
    # Groups by grid; a grid of the neighbouring area is named with the branch and, for the
    # scopes, lies in the branch's own area.
    per_grid = Counter(s.region_id for s in shops)
    groups = {}
    for grid in Region.objects.filter(pk__in=per_grid, level=RegionLevel.GRID).order_by("path"):
        if per_grid[grid.pk] < GROUP_MIN_SHOPS:
            continue
        inside = grid.path.startswith(area.path)
        name = f"{grid.name}党小组" if inside else f"{short}街区{grid.name}党小组"
        groups[grid.pk] = _group(ctx, branch, name, grid if inside else area)
    with_members = [s for s in shops if s.member_count >= 1]
    special: list[tuple[str, Entity]] = []
    if area.code == "02":
        # The demo's branch secretary, a shop owner; a pet-shop worker from Anhui and a
        # restaurant owner from Yancheng whose records stay in their hometowns (the seeds).
        ctx.named["secretary_branch"] = branch
        individual = [s for s in shops if s.kind == EntityKind.INDIVIDUAL]
        own_shop = next((s for s in individual if s.sign_name.startswith("张记")), individual[0])
        pets = [s for s in shops if s.sign_name.endswith("宠物店") and s is not own_shop]
        food = [
            s
            for word in ("餐厅", "面馆", "小吃")
            for s in shops
            if s.sign_name.endswith(word) and s is not own_shop
        ]
        pet_shop = ([s for s in pets] or [s for s in shops if s is not own_shop])[0]
        restaurant = next(s for s in food if s is not pet_shop)
        bun = [s for s in shops if s.sign_name.endswith(("小吃", "面馆"))]
        ctx.named["bun_shop"] = next(
            s for s in bun + shops if s not in (own_shop, pet_shop, restaurant)
        )
        secretary = m.new_member(
            ctx,
            branch,
            name="张建国",
            workplace=own_shop,
            joined_on=ctx.ago(20 * 365, 22 * 365),
            checked_in=True,
            since=branch.founded_on,
        )
        ctx.named["secretary_member"] = secretary
        ctx.named["pet_worker"] = m.new_member(
            ctx,
            branch,
            name=ctx.people.name("陶"),
            workplace=pet_shop,
            home=m.hometown(ctx, "安徽省", "宿州市"),
            checked_in=True,
        )
        ctx.named["restaurant_owner"] = m.new_member(
            ctx,
            branch,
            name=ctx.people.name("唐"),
            workplace=restaurant,
            home=m.hometown(ctx, "江苏省", "盐城市"),
            checked_in=True,
        )
        special = [("", own_shop), ("", pet_shop), ("", restaurant)]
    taken = {e.pk for _label, e in special}
    for shop in with_members:
        if shop.pk in taken:
            continue
        home = m.hometown(ctx) if rng.random() < 0.2 else None
        m.new_member(ctx, branch, workplace=shop, home=home)
    for member in ctx.members_of[branch.pk]:
        member.demo_group = groups.get(member.workplace.region_id) if member.workplace else None
    # Members in a grid with few of the branch's shops join the smallest group.
    for member in ctx.members_of[branch.pk]:
        if member.demo_group is None and groups:
            sizes = Counter(x.demo_group.pk for x in ctx.members_of[branch.pk] if x.demo_group)
            member.demo_group = min(groups.values(), key=lambda g: (sizes[g.pk], g.pk))
    # A grid without members of its own: its group takes two from the largest group.
    for group in groups.values():
        if not any(x.demo_group is group for x in ctx.members_of[branch.pk]):
            largest = Counter(x.demo_group.pk for x in ctx.members_of[branch.pk] if x.demo_group)
            pk = largest.most_common(1)[0][0]
            for member in [
                x for x in ctx.members_of[branch.pk] if x.demo_group and x.demo_group.pk == pk
            ][:2]:
                member.demo_group = group


def _building_branch(
    ctx: Context, wc: Organisation, building: Building, units: list[Entity]
) -> None:
    units = sorted(units, key=lambda e: (-e.member_count, e.name))
    branch = _org(
        ctx,
        f"{building.name}楼宇党支部",
        Level.BRANCH,
        Category.BUILDING,
        wc,
        building.region,
        founded_ago=(420, 560),
        service_position=f"{building.name}党群服务站",
        notes="新兴领域全覆盖试点中新建的楼宇党支部，覆盖楼内各单位。",
    )
    ctx.named["building_branch"] = branch
    _cover(ctx, branch, units[:1], CoverageKind.OWN)
    _cover(ctx, branch, units[1:], CoverageKind.ATTACHED)
    for unit in [u for u in units if u.member_count >= 1][:40]:
        _own_members(ctx, branch, unit, 1)


def _non_public(ctx: Context, wc: Organisation, entity: Entity, rank: int) -> None:
    branch = _org(
        ctx,
        f"{entity.name}党支部",
        Level.BRANCH,
        Category.NON_PUBLIC,
        wc,
        entity.region,
        founded_ago=(420, 560),
        notes="新兴领域全覆盖试点中新建的非公企业党支部。",
    )
    _cover(ctx, branch, [entity], CoverageKind.OWN)
    _own_members(ctx, branch, entity, entity.member_count)
    if rank == 0:
        groups = [
            _group(ctx, branch, f"{entity.name}{label}党小组", entity.region)
            for label in ("第一", "第二", "第三")
        ]
        for k, member in enumerate(ctx.members_of[branch.pk]):
            member.demo_group = groups[k % 3]


def _group_branches(ctx: Context, wc: Organisation) -> None:
    """Branches of people rather than places: mobile members, couriers and riders, online
    media. Their members work all over; their workplace is not an entity of the ledger."""
    rng, sub = ctx.rng, ctx.subdistrict
    mobile = _org(
        ctx,
        "石门二路街道流动党员党支部",
        Level.BRANCH,
        Category.MOBILE_MEMBER,
        wc,
        sub,
        founded_ago=(4 * 365, 7 * 365),
        service_position="石门二路街道党群服务中心",
        notes="组织关系在外地、在街道报到的流动党员；定期向流出地党组织通报情况。",
    )
    ctx.named["mobile_branch"] = mobile
    groups = {
        area.pk: _group(ctx, mobile, f"{area.name}流动党员党小组", area) for area in ctx.areas
    }
    for k in range(MOBILE_BRANCH_MEMBERS):
        member = m.new_member(
            ctx,
            mobile,
            home=m.hometown(ctx),
            checked_in=rng.random() < 0.85,
            membership="probationary" if k in (7, 31) else "full",
        )
        area = member.checked_in_area or ctx.areas[k % len(ctx.areas)]
        member.demo_group = groups[area.pk]
    riders = _org(
        ctx,
        "石门二路街道新就业群体党支部",
        Level.BRANCH,
        Category.EMERGING_AREA,
        wc,
        sub,
        founded_ago=(500, 900),
        service_position="小哥加油站",
        notes="快递员、外卖骑手等新就业群体中的党员。",
    )
    for _ in range(12):
        m.new_member(
            ctx,
            riders,
            home=m.hometown(ctx) if rng.random() < 0.5 else None,
            dues_category="employed",
        )
    media = _org(
        ctx,
        "石门二路街道网络新媒体党支部",
        Level.BRANCH,
        Category.EMERGING_AREA,
        wc,
        sub,
        founded_ago=(100, 200),
        notes="长期线下“隐身”的网络主播、自媒体从业人员中的党员。",
    )
    for _ in range(8):
        m.new_member(ctx, media, since=media.founded_on)


def _neighbour(ctx: Context, other: Region) -> None:
    """A small working committee next door: its records are outside our users' scope."""
    committee = Organisation(
        name="中共南京西路街道两新组织工作委员会",
        level=Level.COMMITTEE,
        category=Category.EMERGING_AREA,
        region=other,
        founded_on=ctx.ago(8 * 365, 9 * 365),
        term_started_on=ctx.ago(300, 700),
        term_years=5,
    )
    committee.save()
    area = Region.objects.filter(parent=other).order_by("code").first() or other
    branch = Organisation(
        name=f"{area.name.removesuffix('片区')}街区党支部",
        level=Level.BRANCH,
        category=Category.STREET_BLOCK,
        parent=committee,
        region=area,
        founded_on=ctx.ago(400, 500),
    )
    branch.term_started_on = branch.founded_on
    branch.save()
    ctx.organisations += [committee, branch]
    ctx.named["neighbour_committee"] = committee
    ctx.named["neighbour_branch"] = branch
    for key, post in (
        ("NJ_SEC", "党工委副书记"),
        ("NJ_DEP", "党群服务中心主任"),
        ("NJ_ORG", "组织员"),
    ):
        cadre = Cadre(
            name=ctx.people.name(),
            department_kind=DepartmentKind.PARTY_MASS,
            department="南京西路街道党工委",
            post=post,
            subdistrict=other,
            **phone_fields(ctx.people.phone("138")),
        )
        cadre.save()
        ctx.named[f"cadre_{key}"] = cadre
    for _ in range(5):
        m.new_member(ctx, branch, checked_in=False)


# --- who transfers, who registered, who takes part elsewhere ---------------------------------


def _ours(ctx: Context) -> list[Organisation]:
    return [
        o
        for o in ctx.organisations
        if o.level != Level.GROUP and o.region.path.startswith(ctx.subdistrict.path)
    ]


def _transfer_candidates(ctx: Context) -> dict[str, list[Member]]:
    rng = ctx.rng
    secretary_branch = ctx.named["secretary_branch"]
    special = {ctx.named[k].name for k in ("secretary_member", "pet_worker", "restaurant_owner")}
    large = [
        o
        for o in _ours(ctx)
        if len(ctx.members_of[o.pk]) >= 10 and o.category != Category.MOBILE_MEMBER
    ]
    here = [
        x
        for o in large
        for x in ctx.members_of[o.pk]
        if x.record_location == RecordLocation.HERE
        and x.membership == "full"
        and x.name not in special
        and getattr(x, "demo_admitted", False) is False
    ]
    chosen_in = [x for x in here if x.organisation is secretary_branch][:1]
    chosen_in += rng.sample([x for x in here if x not in chosen_in], 9)
    rest = [x for x in here if x not in chosen_in]
    chosen_out = [x for x in rest if x.organisation is secretary_branch][:1]
    chosen_out += rng.sample([x for x in rest if x not in chosen_out], 5)
    chosen_out = chosen_out[1:5] + chosen_out[:1] + chosen_out[5:]  # the open one is theirs
    mobile = [
        x
        for x in ctx.members_of[secretary_branch.pk]
        if x.record_location == RecordLocation.ELSEWHERE and x.name not in special
    ][:1]
    mobile += [x for x in ctx.members_of[ctx.named["mobile_branch"].pk] if x.membership == "full"][
        :2
    ]
    return {"in": chosen_in, "out": chosen_out, "mobile": mobile}


def _registration_members(ctx: Context) -> list[Member]:
    """Street-shop members who registered themselves through a shop's sign-up code."""
    picked = []
    for code in ("01", "02", "03"):
        branch = ctx.named[f"street_block_{code}"]
        pool = [
            x
            for x in ctx.members_of[branch.pk]
            if x.workplace is not None
            and x.consent_source == "staff"
            and x.name != "张建国"
            and x.left_on is None
        ]
        picked += pool[1 : 1 + (4 if code == "02" else 2)]
    picked.append(ctx.named["pet_worker"])
    return picked


def _guests(ctx: Context) -> list[tuple[Member, Organisation]]:
    """A few building and enterprise members also join the street-block branch's life."""
    rng = ctx.rng
    street = ctx.named["street_block_02"]
    pairs = []
    for member in rng.sample(ctx.members_of[ctx.named["building_branch"].pk], 4):
        pairs.append((member, street))
    mobile_branch = ctx.named["mobile_branch"]
    for member in ctx.members_of[mobile_branch.pk][:3]:
        pairs.append((member, street))
    return pairs


def _tie_users(ctx: Context) -> None:
    """The demo secretary keeps their street-block branch's records; the demo member is a
    member of the building branch."""
    branch = ctx.named["secretary_branch"]
    secretary = ctx.secretary_user
    if secretary is not None:
        secretary.scope_organisation = branch
        secretary._change_reason = "演示数据：书记账号关联所在街区党支部"
        secretary.save()
        member = ctx.named["secretary_member"]
        member.user = secretary
        member.save(update_fields=["user"])
    account = User.objects.filter(username="member").first()
    if account is not None:
        building_member = next(
            x for x in ctx.members_of[ctx.named["building_branch"].pk] if x.membership == "full"
        )
        building_member.name = account.display_name
        building_member.user = account
        building_member.save(update_fields=["name", "user"])
