"""Helpers for party tests: covered entities and committee posts built in one call."""

from __future__ import annotations

from datetime import date, timedelta

from jiequ.party.models import Organisation

from .factories import (
    CadreFactory,
    CoverageLinkFactory,
    EntityFactory,
    MemberFactory,
    OfficerFactory,
)


def covered_entity(org: Organisation, region=None, kind: str = "own", **entity_fields):
    """An entity in `region` (default: the organisation's grid) covered by `org`."""
    entity = EntityFactory(region=region or org.region, **entity_fields)
    CoverageLinkFactory(organisation=org, entity=entity, kind=kind)
    return entity


def inside_post(org: Organisation, role: str = "member", member=None, entity=None, **fields):
    """A post held from inside: a member of `org` who owns a covered entity."""
    entity = entity or covered_entity(org, region=_grid(org))
    member = member or MemberFactory(organisation=org)
    return OfficerFactory(
        organisation=org, role=role, origin="owner", member=member, entity=entity, **fields
    )


def outside_post(org: Organisation, subdistrict, role: str = "member", cadre=None, **fields):
    cadre = cadre or CadreFactory(subdistrict=subdistrict)
    return OfficerFactory(
        organisation=org, role=role, origin=cadre.department_kind, cadre=cadre, **fields
    )


def committee(org: Organisation, size: int, subdistrict=None, secretary: bool = True):
    """`size` current posts on `org`'s committee, the first a secretary if asked; held by the
    organisation's own members while there are any without a post, then by new members."""
    from django.db.models import Q

    busy = org.officers.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=date.today()))
    free = list(
        org.members.filter(left_on__isnull=True)
        .exclude(pk__in=busy.exclude(member=None).values("member"))
        .order_by("pk")
    )
    posts = []
    for i in range(size):
        role = "secretary" if secretary and i == 0 else "member"
        member = free.pop(0) if free else None
        posts.append(inside_post(org, role=role, member=member))
    return posts


def members(org: Organisation, n: int, **fields):
    return MemberFactory.create_batch(n, organisation=org, **fields)


def _grid(org: Organisation):
    """A grid to place an entity in: the organisation's region if it is a grid, else one under."""
    from jiequ.areas.models import Region, RegionLevel

    region = org.region
    if region.level == RegionLevel.GRID or region.boundary:
        return region
    return Region.objects.filter(path__startswith=region.path, level=RegionLevel.GRID).first()


def term_from(years_ago_days: int) -> date:
    return date.today() - timedelta(days=years_ago_days)
