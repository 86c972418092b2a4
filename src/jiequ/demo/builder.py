"""Builds the demo subdistrict: 静安区 石门二路街道 with its areas, grids, roads, buildings
and one user for every role, plus a neighbouring subdistrict to show that scopes hold.

Deterministic: the same seed gives the same database. Later issues add their data here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction
from shapely.geometry import shape
from shapely.ops import unary_union

from jiequ.accounts.models import User
from jiequ.accounts.roles import Role
from jiequ.areas import geo
from jiequ.areas.models import Building, BuildingKind, Region, RegionLevel, Road
from jiequ.areas.services import find_grid

from . import geography as g
from .ledger import build_ledger
from .party import build_party, clear_party
from .registry import build_registry
from .rounds import build_rounds, build_visit_team

DEMO_PASSWORD = "jiequ-demo"
DEFAULT_SEED = 20261123
EXTRA_BUILDINGS = 16


@dataclass
class DemoSummary:
    regions: int = 0
    roads: int = 0
    buildings: int = 0
    entities: int = 0
    organisations: int = 0  # emerging-sector Party organisations (see demo.party)
    members: int = 0  # their members
    street_blocks: int = 0  # street-block branches set up by the applied plan (demo.coverage)
    zones: int = 0
    street_chiefs: int = 0
    cases: int = 0
    street_councils: int = 0
    building_councils: int = 0
    positions: int = 0
    volunteers: int = 0


@transaction.atomic
def clear() -> None:
    """Delete everything the demo creates, in the order the foreign keys allow."""
    from jiequ.ledger.models import (
        Entity,
        MemberRegistration,
        RegistrySource,
        SignupCode,
        SurveyRound,
        Visit,
        VisitAssignment,
    )

    clear_party()
    RegistrySource.objects.all().delete()
    MemberRegistration.objects.all().delete()
    SignupCode.objects.all().delete()
    VisitAssignment.objects.all().delete()
    Visit.objects.all().delete()
    SurveyRound.objects.all().delete()
    Entity.objects.all().delete()
    Building.objects.all().delete()
    User.objects.all().delete()
    Road.objects.all().delete()
    for level in (
        RegionLevel.GRID,
        RegionLevel.AREA,
        RegionLevel.SUBDISTRICT,
        RegionLevel.DISTRICT,
    ):
        Region.objects.filter(level=level).delete()


def is_empty() -> bool:
    return not Region.objects.exists()


@transaction.atomic
def build_demo(seed: int = DEFAULT_SEED) -> DemoSummary:
    rng = random.Random(seed)
    district = Region.objects.create(
        name=g.DISTRICT["name"],
        code=g.DISTRICT["code"],
        level=RegionLevel.DISTRICT,
        boundary=_union([g.SUBDISTRICT["boundary"], g.OTHER_SUBDISTRICT["boundary"]]),
    )
    ours = _subdistrict(district, g.SUBDISTRICT, g.AREAS, g.ROADS, g.BUILDINGS)
    other = _subdistrict(
        district,
        g.OTHER_SUBDISTRICT,
        g.OTHER_SUBDISTRICT["areas"],
        g.OTHER_SUBDISTRICT["roads"],
        g.OTHER_SUBDISTRICT["buildings"],
    )
    _extra_buildings(ours, rng, EXTRA_BUILDINGS)
    entities = build_ledger(ours, rng)
    _users(district, ours, other)
    build_visit_team(ours, DEMO_PASSWORD, rng)
    build_rounds(ours, rng)
    build_registry(ours, rng)
    party = build_party(ours, other, party_rng(seed))
    streets = build_street_work(ours, seed)
    supply = build_supply(ours, seed)
    return DemoSummary(
        regions=Region.objects.count(),
        roads=Road.objects.count(),
        buildings=Building.objects.count(),
        entities=entities,
        organisations=party.organisations,
        members=party.members,
        street_blocks=party.street_blocks,
        zones=party.zones,
        street_chiefs=party.street_chiefs,
        cases=streets["cases"].cases,
        street_councils=streets["councils"].street,
        building_councils=streets["councils"].building,
        positions=supply["positions"].positions,
        volunteers=supply["volunteers"].volunteers,
    )


def stream(seed: int, name: str) -> random.Random:
    """Each part's own random stream: the same for a seed whatever the other parts drew."""
    return random.Random(f"{seed}:{name}")


def build_street_work(subdistrict: Region, seed: int) -> dict:
    """Issue 6: councils, a year of cases, council and grid meetings over them, the hand-offs to
    the district and the demand codes, and the road survey — in the order their links need."""
    from .cases import build_cases
    from .councils import build_council_meetings, build_councils
    from .outbox import build_outbox
    from .surveys import build_surveys

    return {
        "councils": build_councils(subdistrict, stream(seed, "councils")),
        "cases": build_cases(subdistrict, stream(seed, "cases")),
        "meetings": build_council_meetings(subdistrict, stream(seed, "council-meetings")),
        "outbox": build_outbox(subdistrict, stream(seed, "outbox")),
        "surveys": build_surveys(subdistrict, stream(seed, "surveys")),
    }


def build_supply(subdistrict: Region, seed: int) -> dict:
    """Issue 7: needs/resources/projects and talents, positions with bookings, rota and the
    weekly menu, merchant offers and coupons, service points and volunteers."""
    from .offers import build_offers
    from .positions import build_positions
    from .services import build_services
    from .volunteers import build_volunteers

    return {
        "services": build_services(subdistrict, stream(seed, "services")),
        "positions": build_positions(subdistrict, stream(seed, "positions")),
        "offers": build_offers(subdistrict, stream(seed, "offers")),
        "volunteers": build_volunteers(subdistrict, stream(seed, "volunteers")),
    }


def party_rng(seed: int) -> random.Random:
    """The Party data's own random stream: the same for a seed whatever the ledger drew."""
    return random.Random(f"{seed}:party")


def _union(rings: list) -> dict:
    merged = unary_union([shape(geo.polygon(r)) for r in rings])
    return geo.mapping(merged)


def _subdistrict(district, data, areas, roads, buildings) -> Region:
    sub = Region.objects.create(
        name=data["name"],
        code=data["code"],
        level=RegionLevel.SUBDISTRICT,
        parent=district,
        boundary=geo.polygon(data["boundary"]),
    )
    for area_data in areas:
        area = Region.objects.create(
            name=area_data["name"],
            code=area_data["code"],
            level=RegionLevel.AREA,
            parent=sub,
            boundary=geo.polygon(area_data["boundary"]),
        )
        for grid_data in area_data["grids"]:
            Region.objects.create(
                name=grid_data["name"],
                code=grid_data["code"],
                level=RegionLevel.GRID,
                parent=area,
                boundary=geo.polygon(grid_data["boundary"]),
            )
    road_by_name = {
        r["name"]: Road.objects.create(name=r["name"], subdistrict=sub, line=geo.line(r["line"]))
        for r in roads
    }
    for b in buildings:
        road = road_by_name[b["road"]]
        Building.objects.create(
            name=b["name"],
            kind=b["kind"],
            road=road,
            number=b["number"],
            address=g.address(b),
            floors=b["floors"],
            lat=round(b["lat"], 6),
            lon=round(b["lon"], 6),
            region=find_grid(b["lat"], b["lon"], within=sub),
        )
    return sub


def _extra_buildings(sub: Region, rng: random.Random, count: int) -> None:
    """Smaller office buildings along the roads, so lists have more than one page."""
    roads = list(Road.objects.filter(subdistrict=sub).order_by("name"))
    made = 0
    while made < count:
        road = rng.choice(roads)
        lat, lon = g.point_beside(
            road.line["coordinates"], rng, min_m=25, max_m=25, along=(0.2, 0.8)
        )
        grid = find_grid(lat, lon, within=sub)
        number = f"{rng.randrange(1, 400) * 2 + rng.choice((0, 1))}号"
        name = f"{road.name}{number}商务楼"
        if grid is None or Building.objects.filter(subdistrict=sub, name=name).exists():
            continue
        Building.objects.create(
            name=name,
            kind=rng.choice([BuildingKind.OFFICE, BuildingKind.MIXED, BuildingKind.COMMERCIAL]),
            road=road,
            number=number,
            address=f"上海市静安区{road.name}{number}",
            floors=rng.randint(4, 18),
            lat=round(lat, 6),
            lon=round(lon, 6),
            region=grid,
        )
        made += 1


# Usernames in the order the logins are printed.
DEMO_USERNAMES = ["district", "sdadmin", "staff", "secretary", "grid", "member", "njxl", "root"]


def _users(district: Region, ours: Region, other: Region) -> None:
    area = ours.children.get(code="02")
    grid = area.children.get(code="0201")
    people = [
        ("district", Role.DISTRICT_VIEWER, district, "王静"),
        ("sdadmin", Role.SUBDISTRICT_ADMIN, ours, "李明"),
        ("staff", Role.SUBDISTRICT_STAFF, ours, "陈晓燕"),
        ("secretary", Role.BRANCH_SECRETARY, area, "张建国"),
        ("grid", Role.GRID_WORKER, grid, "刘芳"),
        ("member", Role.MEMBER, ours, "赵磊"),
        ("njxl", Role.SUBDISTRICT_ADMIN, other, "孙丽"),
    ]
    for username, role, scope, name in people:
        User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            display_name=name,
            role=role,
            scope_region=scope,
        )
    User.objects.create_superuser(
        username="root",
        password=DEMO_PASSWORD,
        display_name="系统管理员",
        role=Role.SUBDISTRICT_ADMIN,
    )
