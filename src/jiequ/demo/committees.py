"""The demo's committees: department cadres serving from outside, and every organisation's
officers, mixed "inside and outside" with cross-postings (内外搭配、交叉任职).

Branches of 7 or more full members elect a committee of 3 to 5; smaller ones a secretary (and
sometimes a deputy). Street-block branches have a shop owner as secretary, a partner as deputy
and market-supervision, city-management and Party-mass cadres as members; a few cadres sit on
two or three committees. Organisations older than their current term also keep the previous
term's posts (ended). Two committees get deliberate term findings: one overdue, one ending soon.
"""

from __future__ import annotations

from typing import Any

from simple_history.utils import bulk_create_with_history

from jiequ.ledger.models import EntityKind
from jiequ.members.models import Member, RecordLocation
from jiequ.party.models import (
    Cadre,
    Category,
    DepartmentKind,
    Level,
    Officer,
    OfficerRole,
    Organisation,
    Origin,
)

from .people import Context, add_months, days, phone_fields

# --- cadres ---------------------------------------------------------------------------------

CADRES = [
    # key, department kind, department, post
    ("WC_SEC", DepartmentKind.PARTY_MASS, "石门二路街道党工委", "党工委副书记"),
    ("WC_DEP", DepartmentKind.PARTY_MASS, "石门二路街道党群服务中心", "主任"),
    ("WC_ORG", DepartmentKind.PARTY_MASS, "石门二路街道党建办", "组织员"),
    ("PM1", DepartmentKind.PARTY_MASS, "石门二路街道党群服务中心", "党群工作者"),
    ("PM2", DepartmentKind.PARTY_MASS, "石门二路街道党群服务中心", "党建指导员"),
    ("PM3", DepartmentKind.PARTY_MASS, "石门二路街道党建办", "党建指导员"),
    ("MS1", DepartmentKind.MARKET_SUPERVISION, "静安区市场监管局石门二路市场监管所", "副所长"),
    ("MS2", DepartmentKind.MARKET_SUPERVISION, "静安区市场监管局石门二路市场监管所", "科员"),
    ("MS3", DepartmentKind.MARKET_SUPERVISION, "静安区市场监管局石门二路市场监管所", "科员"),
    ("CM1", DepartmentKind.CITY_MANAGEMENT, "静安区城管执法局石门二路中队", "中队长"),
    ("CM2", DepartmentKind.CITY_MANAGEMENT, "静安区城管执法局石门二路中队", "队员"),
    ("PO1", DepartmentKind.POLICE, "静安公安分局石门二路派出所", "社区民警"),
    ("PO2", DepartmentKind.POLICE, "静安公安分局石门二路派出所", "社区民警"),
    ("OT1", DepartmentKind.OTHER, "石门二路街道城运中心", "副主任"),
]


def build_cadres(ctx: Context) -> dict[str, Cadre]:
    """The subdistrict's department cadres who serve on committees from outside."""
    out = {}
    for key, kind, department, post in CADRES:
        cadre = Cadre(
            name=ctx.people.name(),
            department_kind=kind,
            department=department,
            post=post,
            subdistrict=ctx.subdistrict,
            **phone_fields(ctx.people.phone("138")),
        )
        cadre.save()
        out[key] = cadre
    return out


# --- committees ------------------------------------------------------------------------------

ROLES_5 = [
    OfficerRole.SECRETARY,
    OfficerRole.DEPUTY,
    OfficerRole.ORGANISATION,
    OfficerRole.PROPAGANDA,
    OfficerRole.DISCIPLINE,
]
ROLES_3 = [OfficerRole.SECRETARY, OfficerRole.ORGANISATION, OfficerRole.PROPAGANDA]
ORIGIN_OF_DEPARTMENT = {
    DepartmentKind.MARKET_SUPERVISION: Origin.MARKET_SUPERVISION,
    DepartmentKind.CITY_MANAGEMENT: Origin.CITY_MANAGEMENT,
    DepartmentKind.PARTY_MASS: Origin.PARTY_MASS,
    DepartmentKind.POLICE: Origin.POLICE,
    DepartmentKind.OTHER: Origin.OTHER_DEPARTMENT,
}
# Outside committee members (内外搭配、交叉任职): several serve on two or three committees.
OUTSIDE_POSTS = {
    "committee": [("WC_SEC", OfficerRole.SECRETARY), ("WC_DEP", OfficerRole.DEPUTY),
                  ("WC_ORG", OfficerRole.ORGANISATION), ("OT1", OfficerRole.MEMBER)],
    "street_block_01": [("PM1", OfficerRole.ORGANISATION), ("MS1", OfficerRole.MEMBER),
                        ("CM1", OfficerRole.MEMBER)],
    "street_block_02": [("PM1", OfficerRole.ORGANISATION), ("MS1", OfficerRole.MEMBER),
                        ("CM2", OfficerRole.MEMBER)],
    "street_block_03": [("PM2", OfficerRole.ORGANISATION), ("MS2", OfficerRole.MEMBER),
                        ("CM1", OfficerRole.MEMBER)],
    "building_branch": [("PM2", OfficerRole.MEMBER), ("CM1", OfficerRole.MEMBER)],
    "mobile_branch": [("PM3", OfficerRole.ORGANISATION), ("PO1", OfficerRole.MEMBER)],
    "neighbour_committee": [("NJ_SEC", OfficerRole.SECRETARY), ("NJ_DEP", OfficerRole.DEPUTY),
                            ("NJ_ORG", OfficerRole.ORGANISATION)],
}  # fmt: skip


def _origin_of(member: Member, secretary: bool) -> str:
    entity = member.workplace
    if entity is None:
        return Origin.EMPLOYEE
    if entity.is_street_shop:
        if entity.kind == EntityKind.INDIVIDUAL:
            return Origin.OWNER if secretary else Origin.EMPLOYEE
        return Origin.PARTNER
    return Origin.OWNER if secretary and entity.worker_count < 30 else Origin.EMPLOYEE


def build_officers(ctx: Context, cadres: dict[str, Cadre]) -> list[Officer]:
    """Every organisation's committee posts (the current term's and, where older, the last)."""
    rng, today = ctx.rng, ctx.today
    keys = ["committee", "building_branch", "mobile_branch", "neighbour_committee"]
    keys += [f"street_block_{area.code}" for area in ctx.areas]
    key_of = {ctx.named[key].pk: key for key in keys if key in ctx.named}
    orgs = [o for o in ctx.organisations if o.level != Level.GROUP]

    def full_of(org: Organisation) -> list[Member]:
        return [
            x
            for x in ctx.members_of[org.pk]
            if x.membership == "full" and x.left_on is None and x.demo_since <= today
        ]

    # Which branches elect a committee; two of them have deliberate term findings.
    with_committee = [
        o for o in orgs if o.level in (Level.BRANCH, Level.JOINT_BRANCH) and len(full_of(o)) >= 7
    ]
    own = [
        o
        for o in with_committee
        if o.category == Category.EMERGING_AREA
        and o.level == Level.BRANCH
        and ctx.entities_of[o.pk]
    ]
    overdue, ending = own[1], own[4]
    overdue.term_started_on = add_months(today, -12 * overdue.term_length_years()) - days(40)
    ending.term_started_on = add_months(today, -12 * ending.term_length_years()) + days(45)
    for org in (overdue, ending):
        org.founded_on = min(org.founded_on, org.term_started_on - days(3 * 365))
        org.save()
    ctx.named["term_overdue"], ctx.named["term_ending"] = overdue, ending

    # Outside members of a few joint branches: one more committee for each of these cadres.
    joint_cadres = ["PO2", "MS3", "MS2"]
    plans: list[tuple[Organisation, list[tuple[str, Member | Cadre]]]] = []
    secretaries: dict[int, Member] = {}
    for org in orgs:
        key = key_of.get(org.pk, "")
        full = full_of(org)
        working = [x for x in full if x.workplace is not None] or full
        seats: list[tuple[str, Member | Cadre]] = []
        if org.level == Level.COMMITTEE:
            if key in OUTSIDE_POSTS:
                seats = [(role, cadres[c]) for c, role in OUTSIDE_POSTS[key]]
        elif org.level == Level.GENERAL_BRANCH:
            continue  # after the branches under it
        elif key.startswith("street_block_") or key in ("building_branch", "mobile_branch"):
            inside = [x for x in working if x.name == "张建国"] or working[:1]
            others = [x for x in working if x not in inside]
            # A deputy whose record is here, where there is one (not in the mobile branch).
            deputy = next(
                (x for x in others if x.record_location == RecordLocation.HERE), others[0]
            )
            seats = [(OfficerRole.SECRETARY, inside[0]), (OfficerRole.DEPUTY, deputy)]
            if key == "building_branch":
                third = next(x for x in working if x not in (inside[0], deputy))
                seats.append((OfficerRole.ORGANISATION, third))
            seats += [(role, cadres[c]) for c, role in OUTSIDE_POSTS[key]]
        elif org in with_committee:
            size = 5 if len(full) >= 15 else rng.choice([3, 3, 4, 5])
            roles = ROLES_5[:size] if size != 3 else ROLES_3
            people = rng.sample(working, min(size, len(working)))
            people += [x for x in full if x not in people][: size - len(people)]
            seats = list(zip(roles, people, strict=False))
            if org.level == Level.JOINT_BRANCH and size >= 4 and joint_cadres:
                seats[-1] = (OfficerRole.MEMBER, cadres[joint_cadres.pop()])
        elif full:
            seats = [(OfficerRole.SECRETARY, working[0])]
            if len(full) >= 5 and rng.random() < 0.5:
                seats.append((OfficerRole.DEPUTY, working[1]))
        if seats:
            plans.append((org, seats))
            first = seats[0][1]
            if isinstance(first, Member):
                secretaries[org.pk] = first
    # General branches: a secretary and a member from the branches under them, and a
    # Party-building instructor from the subdistrict as deputy.
    instructors = ["PM3", "PM3", "PM2"]
    for k, org in enumerate(o for o in orgs if o.level == Level.GENERAL_BRANCH):
        below = [o for o in orgs if o.parent_id == org.pk and o.pk in secretaries]
        below.sort(key=lambda o: -len(ctx.members_of[o.pk]))
        first = secretaries[below[0].pk]
        second = next(x for x in full_of(below[1]) if x is not secretaries[below[1].pk])
        seats = [
            (OfficerRole.SECRETARY, first),
            (OfficerRole.DEPUTY, cadres[instructors[k]]),
            (OfficerRole.ORGANISATION, second),
        ]
        plans.append((org, seats))

    officers = []
    for org, seats in plans:
        start = org.term_started_on
        for role, person in seats:
            officers.append(_post(org, role, person, start, None))
        # The previous term's committee, for organisations older than their current term.
        if org.founded_on and (start - org.founded_on).days > 300 and len(seats) >= 3:
            previous_start = max(org.founded_on, add_months(start, -12 * org.term_length_years()))
            for k, (role, person) in enumerate(seats):
                if k == len(seats) - 1 and isinstance(person, Member):
                    others = [x for x in full_of(org) if x not in [p for _r, p in seats]]
                    if others and rng.random() < 0.7:
                        person = others[0]
                if isinstance(person, Member) and person.demo_since > previous_start:
                    continue
                officers.append(_post(org, role, person, previous_start, start - days(1)))
    return bulk_create_with_history(officers, Officer, batch_size=500)


def _post(org: Organisation, role: str, person: Member | Cadre, start: Any, end: Any) -> Officer:
    if isinstance(person, Cadre):
        return Officer(
            organisation=org,
            role=role,
            origin=ORIGIN_OF_DEPARTMENT[person.department_kind],
            cadre=person,
            started_on=start,
            ended_on=end,
        )
    return Officer(
        organisation=org,
        role=role,
        origin=_origin_of(person, role == OfficerRole.SECRETARY),
        member=person,
        entity=person.workplace,
        started_on=start,
        ended_on=end,
    )
