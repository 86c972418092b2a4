"""Test data for councils, their meetings and the street pulse.

`councils_world` (a fixture: import it into the test module) gives:

- street: 康定路街委会 in area 江宁 (the secretary's), led by 江宁街区党支部, with a shop owner, the
  branch (represented by a member) and the police as seats;
- grid: 康定网格会商 in grid 康定 (the grid worker's), meeting every 14 days, with the four
  departments and the grid office as seats;
- east: 大田路街委会 in area 成都 (outside the secretary's area);
- other: 威海路街委会 in the neighbouring subdistrict;
- a case held at the street council, a case escalated to the grid, and a case of the east council;
- street-pulse boards for area 江宁 and for the neighbouring subdistrict.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jiequ.councils.models import (
    Council,
    CouncilKind,
    CouncilMeeting,
    CouncilMember,
    Department,
    MemberKind,
    MemberPost,
    PulseBoard,
    PulseTopic,
)

from .factories_cases import category, make_case, shop


def council(region, name: str, kind: str = CouncilKind.STREET, **fields) -> Council:
    fields.setdefault("founded_on", timezone.localdate() - dt.timedelta(days=200))
    return Council.objects.create(name=name, kind=kind, region=region, **fields)


def seat(council: Council, kind: str = MemberKind.DEPARTMENT, **fields) -> CouncilMember:
    if kind == MemberKind.DEPARTMENT:
        fields.setdefault("department", Department.POLICE)
        fields.setdefault("unit", "石门二路派出所")
    return CouncilMember.objects.create(council=council, kind=kind, **fields)


def meeting(council: Council, days_ago: int = 0, **fields) -> CouncilMeeting:
    return CouncilMeeting.objects.create(
        council=council, held_on=timezone.localdate() - dt.timedelta(days=days_ago), **fields
    )


def topic(board: PulseBoard, title: str = "晚上顾客停车难", votes: int = 0, **fields) -> PulseTopic:
    fields.setdefault("text", "周边写字楼地库晚上空着，希望错峰开放给商户顾客。")
    return PulseTopic.objects.create(board=board, title=title, votes=votes, **fields)


@pytest.fixture
def councils_world(world, users, party):
    from jiequ.cases import taxonomy
    from jiequ.cases.models import CaseCategory

    taxonomy.load_default(CaseCategory)  # the migration loads it; --nomigrations runs do not
    street = council(world.west, "康定路街委会", road=world.road, organisation=party.west)
    west_shop = shop(world.grid_sw, party.west, sign_name="康定路小吃店", road=world.road)
    owner = seat(street, MemberKind.ENTITY, post=MemberPost.DEPUTY, name="王老板", entity=west_shop)
    branch_seat = seat(
        street,
        MemberKind.ORGANISATION,
        post=MemberPost.CONVENER,
        organisation=party.west,
        member=party.west_members[0],
    )
    police = seat(street)
    grid = council(
        world.grid_sw,
        "康定网格会商",
        CouncilKind.GRID,
        organisation=party.west,
        meets_every_days=14,
        founded_on=timezone.localdate() - dt.timedelta(days=60),
    )
    grid_seats = [
        seat(grid, MemberKind.SUBDISTRICT, post=MemberPost.CONVENER, name="刘网格", unit="网格中心")
    ] + [
        seat(grid, department=d, unit=str(d.label))
        for d in (
            Department.POLICE,
            Department.CITY_MANAGEMENT,
            Department.CITY_OPERATIONS,
            Department.MARKET_SUPERVISION,
        )
    ]
    east = council(world.east, "大田路街委会", organisation=party.east)
    seat(east)
    other = council(world.other_area, "威海路街委会", organisation=party.other)
    seat(other)
    held = make_case(
        entity=west_shop,
        title="康定路顾客停车难",
        category=category("S0201"),
        level="council",
        council=street,
    )
    escalated = make_case(
        entity=west_shop, title="康定路占道经营", category=category("E0104"), level="grid"
    )
    east_shop = shop(world.grid_e, party.east, sign_name="大田路水果店")
    east_case = make_case(entity=east_shop, title="大田路油烟扰民", level="council", council=east)
    board = PulseBoard.objects.create(name="江宁片区街情气象站", region=world.west)
    other_board = PulseBoard.objects.create(name="威海片区街情气象站", region=world.other_area)
    return SimpleNamespace(
        street=street,
        grid=grid,
        east=east,
        other=other,
        owner=owner,
        branch_seat=branch_seat,
        police=police,
        grid_seats=grid_seats,
        west_shop=west_shop,
        held=held,
        escalated=escalated,
        east_case=east_case,
        board=board,
        other_board=other_board,
    )
