"""Members' responsibility zones: proposed around members' own shops, applied, shown."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse
from django.utils import translation

from jiequ.coverage import planner, zones
from jiequ.coverage.models import Plan, PlanGroup, PlanShop, Zone
from jiequ.coverage.planner import PlanError

from .factories import CoverageLinkFactory, MemberFactory
from .factories_planner import street_layout
from .test_browser import browser, page_as  # noqa: F401  (the browser test's fixtures)


@pytest.fixture
def layout(world):
    return street_layout(world)


@pytest.fixture
def covered(party, layout):
    """The west branch covers the 16 shops of the west area (area coverage)."""
    for shop in layout.west:
        CoverageLinkFactory(organisation=party.west, entity=shop, kind="area")
    return layout.west


@pytest.fixture
def anchored(party, layout, covered):
    """Two of the west branch's members work in covered shops at opposite ends."""
    first, second = party.west_members[:2]
    first.workplace = layout.nanjing[0]
    first.save()
    second.workplace = layout.beijing[-1]
    second.save()
    return first, second


def _members_of(plan):
    return {g.number: g.member for g in PlanGroup.objects.filter(plan=plan)}


def test_zones_are_anchored_at_members_own_shops(users, party, layout, anchored):
    first, second = anchored
    members = list(zones.active_members(party.west))
    plan = zones.propose_zones(party.west, members, "shops", users.secretary)
    assert plan.kind == "zones" and plan.k == 4 and plan.organisation == party.west
    assert plan.region == party.west.region  # the secretary's scope sees it
    by_member = {m.pk: g for g, m in _members_of(plan).items()}
    for member, shop in ((first, layout.nanjing[0]), (second, layout.beijing[-1])):
        row = PlanShop.objects.get(plan=plan, entity=shop)
        assert row.group == by_member[member.pk] and row.locked
    groups = Counter(PlanShop.objects.filter(plan=plan).values_list("group", flat=True))
    assert sorted(groups.values()) == [4, 4, 4, 4]
    assert {g.name for g in PlanGroup.objects.filter(plan=plan)} == {m.name for m in members}
    # Re-running keeps the anchors.
    planner.rerun(plan)
    assert PlanShop.objects.get(plan=plan, entity=layout.nanjing[0]).group == by_member[first.pk]


def test_apply_makes_one_zone_per_member_with_the_duty_list(users, party, anchored):
    members = list(zones.active_members(party.west))
    plan = zones.propose_zones(party.west, members, "workers", users.secretary)
    with translation.override("zh-hans"):
        created = zones.apply_zones(plan, users.secretary)
    assert len(created) == 4 and Zone.objects.filter(organisation=party.west).count() == 4
    shops = [e for z in created for e in z.entities.all()]
    assert len(shops) == len(set(shops)) == 16
    zone = Zone.objects.get(member=anchored[0])
    assert "每月至少走访" in zone.duties and zone.plan == plan
    plan.refresh_from_db()
    assert plan.state == "applied" and plan.applied_by == users.secretary
    with pytest.raises(PlanError):
        zones.apply_zones(plan, users.secretary)


def test_new_zones_replace_the_old_ones(users, party, covered):
    members = list(zones.active_members(party.west))
    zones.apply_zones(zones.propose_zones(party.west, members, "shops", users.staff), users.staff)
    old = set(Zone.objects.values_list("pk", flat=True))
    plan = zones.propose_zones(party.west, members[:2], "shops", users.staff)
    zones.apply_zones(plan, users.staff, "1. 每周走访")
    now = Zone.objects.filter(organisation=party.west)
    assert now.count() == 2 and not old & set(now.values_list("pk", flat=True))
    assert {z.duties for z in now} == {"1. 每周走访"}
    assert Zone.history.filter(history_type="-").count() == 4


def test_zone_plans_refuse_bad_members(users, party, layout, covered):
    with translation.override("zh-hans"):
        with pytest.raises(PlanError, match="请至少选择一名党员"):
            zones.propose_zones(party.west, [], "shops", users.staff)
        with pytest.raises(PlanError, match="本支部在册党员"):
            zones.propose_zones(party.west, party.east_members, "shops", users.staff)
        many = MemberFactory.create_batch(17, organisation=party.west)
        with pytest.raises(PlanError, match="党员人数（21）多于商铺数（16）"):
            zones.propose_zones(
                party.west, list(zones.active_members(party.west)), "shops", users.staff
            )
        gone = many[0]
        gone.left_on = "2024-01-01"
        gone.save()
        with pytest.raises(PlanError, match="本支部在册党员"):
            zones.propose_zones(party.west, [gone], "shops", users.staff)
        with pytest.raises(PlanError, match="尚未覆盖"):
            zones.propose_zones(party.east, party.east_members, "shops", users.staff)
    assert not Plan.objects.exists()


def test_a_member_who_left_stops_the_apply(users, party, covered):
    members = list(zones.active_members(party.west))
    plan = zones.propose_zones(party.west, members, "shops", users.staff)
    members[0].left_on = "2025-01-01"
    members[0].save()
    with translation.override("zh-hans"), pytest.raises(PlanError, match="已不是本支部在册党员"):
        zones.apply_zones(plan, users.staff)
    assert not Zone.objects.exists()


# Pages


def test_secretary_plans_and_applies_their_branch_zones(users, party, anchored, login):
    client = login(users.secretary)
    response = client.get(reverse("coverage:zone_index"))
    assert response["Location"] == reverse("coverage:zone_branch", args=[party.west.pk])
    page = client.get(response["Location"]).content.decode()
    assert "该支部还没有责任区" in page and "划分责任区" in page
    url = reverse("coverage:zone_plan_add", args=[party.west.pk])
    page = client.get(url).content.decode()
    assert f"{anchored[0].name} · 工作于南京西路1号店" in page
    response = client.post(
        url, {"members": [m.pk for m in party.west_members], "balance_by": "shops"}
    )
    plan = Plan.objects.get()
    assert response["Location"] == plan.get_absolute_url()
    page = client.get(plan.get_absolute_url()).content.decode()
    assert anchored[0].name in page and "应用：设定责任区" in page
    # Adjust: move a shop to the first member's zone.
    group = {m.pk: g for g, m in _members_of(plan).items()}[anchored[0].pk]
    response = client.post(
        reverse("coverage:plan_move", args=[plan.pk]),
        {"entity": [anchored[1].workplace_id], "group": group},
        HTTP_HX_REQUEST="true",
    )
    assert "已移动 1 家商铺" in response.content.decode()
    apply_url = reverse("coverage:plan_apply", args=[plan.pk])
    assert "每月至少走访" in client.get(apply_url).content.decode()
    response = client.post(
        apply_url, {"duties": "1. 每月走访\n2. 收集诉求", "confirm": "on"}, follow=True
    )
    page = response.content.decode()
    assert "已应用：4 个责任区" in page and "收集诉求" in page and "打印" in page
    for member in party.west_members:
        assert member.name in page
    assert Zone.objects.get(member=anchored[0]).entities.filter(pk=anchored[1].workplace_id)


def test_secretary_cannot_plan_another_branch(users, party, layout, login):
    for shop in layout.east:
        CoverageLinkFactory(organisation=party.east, entity=shop, kind="area")
    client = login(users.secretary)
    assert client.get(reverse("coverage:zone_branch", args=[party.east.pk])).status_code == 404
    url = reverse("coverage:zone_plan_add", args=[party.east.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"members": [party.east_members[0].pk]}).status_code == 404
    # Staff made a zone plan for the east branch: the secretary does not see it.
    plan = zones.propose_zones(party.east, party.east_members, "shops", users.staff)
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert "成都街区党支部" not in client.get(reverse("coverage:plan_list")).content.decode()
    assert Plan.objects.count() == 1


def test_staff_see_every_branch_and_neighbour_sees_none(users, party, covered, login):
    page = login(users.staff).get(reverse("coverage:zone_index")).content.decode()
    assert party.west.name in page and "16" in page
    client = login(users.other_admin)
    assert party.west.name not in client.get(reverse("coverage:zone_index")).content.decode()
    assert client.get(reverse("coverage:zone_branch", args=[party.west.pk])).status_code == 404


def test_zone_form_bad_input_gives_a_chinese_message(users, party, covered, login):
    client = login(users.staff)
    url = reverse("coverage:zone_plan_add", args=[party.west.pk])
    response = client.post(url, {"members": [], "balance_by": "shops"})
    assert response.status_code == 400 and "请至少选择一名党员" in response.content.decode()
    response = client.post(url, {"members": [party.east_members[0].pk], "balance_by": "shops"})
    assert response.status_code == 400 and not Plan.objects.exists()


def test_zone_apply_without_confirmation_changes_nothing(users, party, covered, login):
    plan = zones.propose_zones(party.west, party.west_members, "shops", users.staff)
    response = login(users.staff).post(
        reverse("coverage:plan_apply", args=[plan.pk]), {"duties": "x"}
    )
    assert response.status_code == 400 and "请勾选以确认" in response.content.decode()
    assert not Zone.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_zones_page_on_a_phone(world, users, page_as, live_server):  # noqa: F811
    from .factories import MemberFactory, OrganisationFactory
    from .test_browser import PHONE, shot

    layout = street_layout(world)
    branch = OrganisationFactory(name="南京西路街区党支部", region=world.west)
    for shop in layout.west:
        CoverageLinkFactory(organisation=branch, entity=shop, kind="area")
    members = MemberFactory.create_batch(3, organisation=branch)
    plan = zones.propose_zones(branch, members, "shops", users.staff)
    with translation.override("zh-hans"):
        zones.apply_zones(plan, users.staff)
    page = page_as(users.staff, viewport=PHONE)
    page.goto(live_server.url + reverse("coverage:zone_branch", args=[branch.pk]))
    assert page.locator("section.zone").count() == 3
    assert "每月至少走访" in page.locator("section.zone").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "zones-phone")
