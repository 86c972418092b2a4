"""Blind-spot lists: who is on each, why, what to do; the page, its links and its exports."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiequ.coverage import blindspots
from jiequ.coverage.blindspots import BUILDING_MIN_ENTITIES
from jiequ.ledger.models import Entity
from jiequ.party.models import RuleOverride

from .factories import BuildingFactory, CoverageLinkFactory, EntityFactory, OrganisationFactory
from .factories_coverage import coverage_world


@pytest.fixture
def cw(world, party):
    return coverage_world(world, party)


def names(key, user):
    return set(
        blindspots.entities_in(key, Entity.objects.restrict(user)).values_list("name", flat=True)
    )


def test_enough_members_but_no_own_branch(cw, users):
    # joint_np has 3 members but only a joint branch; dissolved's own branch is dissolved.
    assert names("branch_due", users.staff) == {"joint_np", "dissolved"}


def test_a_few_members_and_no_own_or_joint_branch(cw, users):
    assert names("join_or_joint", users.staff) == {"shop_area", "shop_work"}


def test_the_subdistricts_own_number_of_members(cw, world, users):
    RuleOverride.objects.create(
        region=world.ours, key="branch_min_full_members", value=5, reason="试点"
    )
    assert names("branch_due", users.staff) == set()
    # joint_np keeps its joint branch; dissolved (4 members) now needs to join or form one.
    assert names("join_or_joint", users.staff) == {"shop_area", "shop_work", "dissolved"}
    # The neighbour keeps the default: their entity with 5 members has its own branch.
    assert names("branch_due", users.other_admin) == set()


def test_street_shops_outside_every_street_block_branch(cw, world, users):
    assert names("street_shops", users.staff) == {"shop_work", "shop_none"}
    # An own branch of another category does not take a shop out of the list.
    CoverageLinkFactory(organisation=cw.firm, entity=cw.entities.shop_none, kind="own")
    assert names("street_shops", users.staff) == {"shop_work", "shop_none"}
    # Any link from a street-block branch does.
    CoverageLinkFactory(organisation=cw.street, entity=cw.entities.shop_work, kind="joint")
    assert names("street_shops", users.staff) == {"shop_none"}
    cw.street.dissolved_on = cw.gone.dissolved_on
    cw.street.save()
    assert names("street_shops", users.staff) == {"shop_work", "shop_none", "shop_area"}


def test_members_but_no_organisation_and_no_instructor(cw, users):
    # shop_work has an instructor; shop_area an area branch; closed is not operating.
    assert names("no_instructor", users.staff) == {"dissolved"}


def test_new_employment_groups_not_reached(cw, users):
    assert names("new_employment", users.staff) == {"courier"}


def test_large_buildings_without_a_building_branch(world, users):
    tower = BuildingFactory(name="昌平中心", region=world.grid_nw)
    small = BuildingFactory(name="小楼", region=world.grid_nw)
    served = BuildingFactory(name="有支部大厦", region=world.grid_nw)
    for i in range(BUILDING_MIN_ENTITIES):
        EntityFactory(name=f"t{i}", region=world.grid_nw, building=tower)
        EntityFactory(name=f"s{i}", region=world.grid_nw, building=served)
    for i in range(BUILDING_MIN_ENTITIES - 1):
        EntityFactory(name=f"m{i}", region=world.grid_nw, building=small)
    EntityFactory(name="closed", region=world.grid_nw, building=small, state="closed")
    branch = OrganisationFactory(region=world.west, category="building")
    CoverageLinkFactory(organisation=branch, entity=served.entities.first(), kind="area")
    spotted = blindspots.buildings_without_branch(Entity.objects.restrict(users.staff))
    assert [(b.name, b.operating) for b in spotted] == [("昌平中心", BUILDING_MIN_ENTITIES)]
    # A grid worker of another grid sees none of it.
    assert not blindspots.buildings_without_branch(Entity.objects.restrict(users.grid))


def test_blind_spot_page_counts_reasons_and_actions(cw, users, login):
    page = login(users.staff).get(reverse("coverage:blindspot_list"))
    assert page.status_code == 200
    counts = {item["summary"].spot.key: item["summary"].count for item in page.context["spots"]}
    assert counts == {
        "branch_due": 2,
        "join_or_joint": 2,
        "buildings": 0,
        "street_shops": 2,
        "no_instructor": 1,
        "new_employment": 1,
    }
    html = page.content.decode()
    assert "《中国共产党支部工作条例（试行）》" in html  # the rule's source
    assert "应当成立党支部" in html
    assert "3" in html


def test_every_count_links_to_its_list(cw, users, login):
    client = login(users.staff)
    page = client.get(reverse("coverage:blindspot_list"))
    for item in page.context["spots"]:
        listed = client.get(item["url"])
        assert listed.status_code == 200
        if item["summary"].spot.unit == "entities":
            assert listed.context["paginator"].count == item["summary"].count
            assert listed.context["blind_spot"]["reason"] == item["summary"].reason
        else:
            assert len(listed.context["rows"]) == item["summary"].count


def test_export_to_excel_with_reason_and_action(cw, users, login):
    response = login(users.staff).get(
        reverse("coverage:blindspot_export", args=["branch_due"]) + "?format=xlsx"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[-2:] == ("原因", "建议措施")
    assert {r[0] for r in rows[1:]} == {"joint_np", "dissolved"}
    assert "成立" in rows[1][-1]


def test_building_export(world, users, login):
    tower = BuildingFactory(name="昌平中心", region=world.grid_nw)
    for i in range(BUILDING_MIN_ENTITIES):
        EntityFactory(name=f"t{i}", region=world.grid_nw, building=tower)
    response = login(users.staff).get(
        reverse("coverage:blindspot_export", args=["buildings"]) + "?format=csv"
    )
    text = response.content.decode("utf-8-sig")
    assert "昌平中心" in text and str(BUILDING_MIN_ENTITIES) in text


def test_export_needs_the_export_right(cw, users, login):
    # Grid workers may view the ledger but not export it.
    response = login(users.grid).get(reverse("coverage:blindspot_export", args=["branch_due"]))
    assert response.status_code == 403
    assert login(users.grid).get(reverse("coverage:blindspot_list")).status_code == 200


def test_unknown_list_is_404(users, login):
    response = login(users.staff).get(reverse("coverage:blindspot_export", args=["nope"]))
    assert response.status_code == 404


def test_scoping_of_blind_spots(cw, users):
    assert names("branch_due", users.grid) == {"joint_np"}
    assert names("branch_due", users.secretary) == {"joint_np"}
    assert names("branch_due", users.other_admin) == set()
    assert names("no_instructor", users.district) == {"dissolved"}
