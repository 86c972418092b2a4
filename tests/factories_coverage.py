"""Factories for the coverage tests: instructor posts and a small hand-made world."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory


class InstructorPostFactory(DjangoModelFactory):
    """Pass `entity` and a `member` or a `cadre`."""

    class Meta:
        model = "coverage.InstructorPost"

    started_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    ended_on = None


def coverage_world(world, party):
    """A small hand-made world whose every rate and blind spot is counted by hand.

    Entities of 石门二路街道 (operating unless said; members in brackets):

    grid 康定 (west area):  own_np [3] own, in 康定大厦, on 石门二路
                            joint_np [3] joint, in 康定大厦
                            shop_area [1] street shop, area link from the street-block branch
                            shop_work [2] street shop, an instructor only
                            shop_none [0] street shop, nothing
    grid 昌平 (west area):  state_own [1] state-owned, own
    grid 大田 (east area):  social [0] social organisation, attached
                            courier [0] 快递驿站, industry G, nothing
                            takeaway [0] 外卖配送站, industry H, an instructor only
                            dissolved [4] own link to a dissolved organisation
                            closed [2] closed, own link (counts nowhere)
    南京西路街道:             other [5] own
    """
    from types import SimpleNamespace

    from .factories import CoverageLinkFactory, EntityFactory, OrganisationFactory

    today = datetime.date.today()
    street = OrganisationFactory(name="江宁街区第一党支部", region=world.west)
    firm = OrganisationFactory(name="某企业党支部", region=world.west, category="non_public")
    gone = OrganisationFactory(
        name="已撤销党支部",
        region=world.east,
        category="non_public",
        dissolved_on=today - datetime.timedelta(days=10),
    )
    other_org = OrganisationFactory(
        name="威海企业党支部", region=world.other_area, category="non_public"
    )

    def entity(name, region, **kw):
        kw.setdefault("member_count", 0)
        return EntityFactory(name=name, region=region, **kw)

    e = SimpleNamespace()
    e.own_np = entity("own_np", world.grid_sw, member_count=3, building=world.b_sw, road=world.road)
    e.joint_np = entity("joint_np", world.grid_sw, member_count=3, building=world.b_sw)
    e.shop_area = entity(
        "shop_area",
        world.grid_sw,
        member_count=1,
        is_street_shop=True,
        kind="individual",
        road=world.road,
    )
    e.shop_work = entity(
        "shop_work",
        world.grid_sw,
        member_count=2,
        is_street_shop=True,
        kind="individual",
        road=world.road,
    )
    e.shop_none = entity("shop_none", world.grid_sw, is_street_shop=True, kind="individual")
    e.state_own = entity("state_own", world.grid_nw, member_count=1, ownership="state")
    e.social = entity("social", world.grid_e, kind="social_org", industry="S")
    e.courier = entity(
        "courier", world.grid_e, sign_name="快递驿站", kind="individual", industry="G"
    )
    e.takeaway = entity("takeaway", world.grid_e, sign_name="外卖配送站", industry="H")
    e.dissolved = entity("dissolved", world.grid_e, member_count=4)
    e.closed = entity("closed", world.grid_e, member_count=2, state="closed")
    e.other = entity("other", world.other_grid, member_count=5)

    CoverageLinkFactory(organisation=firm, entity=e.own_np, kind="own")
    CoverageLinkFactory(organisation=firm, entity=e.joint_np, kind="joint")
    CoverageLinkFactory(organisation=street, entity=e.shop_area, kind="area")
    CoverageLinkFactory(organisation=firm, entity=e.state_own, kind="own")
    CoverageLinkFactory(organisation=firm, entity=e.social, kind="attached")
    CoverageLinkFactory(organisation=gone, entity=e.dissolved, kind="own")
    CoverageLinkFactory(organisation=firm, entity=e.closed, kind="own")
    CoverageLinkFactory(organisation=other_org, entity=e.other, kind="own")
    InstructorPostFactory(entity=e.shop_work, member=party.west_members[0])
    InstructorPostFactory(entity=e.takeaway, member=party.east_members[0])
    return SimpleNamespace(entities=e, street=street, firm=firm, gone=gone, other_org=other_org)
