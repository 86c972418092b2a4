"""Coverage rates on a hand-made world: numerators and denominators counted by hand."""

import pytest
from django.urls import reverse

from jiequ.areas.models import RegionLevel
from jiequ.coverage import rates
from jiequ.ledger.models import Entity

from .factories import CoverageLinkFactory, EntityFactory, OrganisationFactory
from .factories_coverage import coverage_world


@pytest.fixture
def cw(world, party):
    return coverage_world(world, party)


def by_key(rows):
    return {r.key: r.tally for r in rows}


def counts(t):
    return (t.operating, t.non_public, t.official, t.covered)


def test_category_rates_of_the_subdistrict(cw, users):
    t = by_key(rates.category_rates(Entity.objects.restrict(users.staff)))
    # Operating: 10 (closed and the neighbour's excluded); state_own is not non-public.
    assert counts(t["all"]) == (10, 9, 2, 7)
    assert t["all"].official_ratio == pytest.approx(2 / 9)
    assert t["all"].covered_share == pytest.approx(7 / 10)
    assert counts(t["street_shop"]) == (3, 3, 0, 2)
    assert counts(t["building"]) == (2, 2, 2, 2)
    # Non-public enterprises: own_np, joint_np, dissolved, takeaway (kind enterprise).
    assert counts(t["non_public"]) == (4, 4, 2, 3)
    assert counts(t["social_org"]) == (1, 1, 0, 1)
    # New-employment: the courier (industry G) and the takeaway station (by its sign).
    assert counts(t["new_employment"]) == (2, 2, 0, 1)


def test_statuses_per_category(cw, users):
    t = by_key(rates.category_rates(Entity.objects.restrict(users.staff)))
    assert dict(t["all"].status_counts()) == {
        "own": 2,  # own_np, state_own
        "joint": 1,
        "attached": 1,
        "area": 1,
        "work": 2,
        "none": 3,  # shop_none, courier, dissolved
    }


def test_empty_denominator_is_no_rate(world, users):
    t = by_key(rates.category_rates(Entity.objects.restrict(users.staff)))
    assert t["all"].official_ratio is None
    assert rates.percent(t["all"].official_ratio) == "—"


def test_rates_by_area_and_grid(cw, world, users):
    entities = Entity.objects.restrict(users.staff)
    tallies = rates.region_category_tallies(entities)
    areas = by_key(rates.region_rows(tallies, [world.west, world.east]))
    assert counts(areas[world.west.pk]) == (6, 5, 2, 5)
    assert counts(areas[world.east.pk]) == (4, 4, 0, 2)
    grids = by_key(rates.region_rows(tallies, [world.grid_sw, world.grid_nw, world.grid_e]))
    assert counts(grids[world.grid_sw.pk]) == (5, 5, 2, 4)
    assert counts(grids[world.grid_nw.pk]) == (1, 0, 0, 1)
    assert grids[world.grid_nw.pk].official_ratio is None
    shops = by_key(rates.region_rows(tallies, [world.west], category="street_shop"))
    assert counts(shops[world.west.pk]) == (3, 3, 0, 2)


def test_rates_by_road_and_building(cw, world, users):
    entities = Entity.objects.restrict(users.staff)
    roads = rates.road_rows(entities)
    assert [(r.label, counts(r.tally)) for r in roads] == [("石门二路", (3, 3, 1, 3))]
    buildings = rates.building_rows(entities)
    assert [(r.label, counts(r.tally), r.extra["branch"]) for r in buildings] == [
        ("康定大厦", (2, 2, 2, 2), False)
    ]


def test_buildings_as_units(cw, world, users):
    entities = Entity.objects.restrict(users.staff)
    units = rates.building_units(entities)
    assert (units.total, units.reached) == (1, 0)
    tower = OrganisationFactory(name="康定大厦楼宇党支部", region=world.west, category="building")
    CoverageLinkFactory(organisation=tower, entity=cw.entities.joint_np, kind="area")
    units = rates.building_units(entities)
    assert (units.total, units.reached, units.share) == (1, 1, 1.0)
    assert rates.building_rows(entities)[0].extra["branch"] is True


def test_subdistricts_for_the_district(cw, world, users):
    entities = Entity.objects.restrict(users.district)
    tallies = rates.region_category_tallies(entities)
    rows = by_key(rates.region_rows(tallies, [world.ours, world.other]))
    assert counts(rows[world.ours.pk]) == (10, 9, 2, 7)
    assert counts(rows[world.other.pk]) == (1, 1, 1, 1)


def test_grid_worker_rates_are_their_grid(cw, users):
    t = by_key(rates.category_rates(Entity.objects.restrict(users.grid)))
    assert counts(t["all"]) == (5, 5, 2, 4)


def test_new_employment_definition(world):
    EntityFactory(name="a", region=world.grid_sw, industry="G")
    EntityFactory(name="b", region=world.grid_sw, industry="H", sign_name="某某外卖站")
    EntityFactory(name="上海某某网约车服务有限公司", region=world.grid_sw, industry="L")
    EntityFactory(name="d", region=world.grid_sw, industry="H", sector="new_economic")
    names = set(
        rates.in_category(Entity.objects.all(), "new_employment").values_list("name", flat=True)
    )
    assert names == {"a", "b", "上海某某网约车服务有限公司"}


def test_overview_page_figures_link_to_their_lists(cw, users, login):
    page = login(users.staff).get(reverse("coverage:overview"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "22.2%" in html  # 2 / 9
    assert "70.0%" in html  # 7 / 10
    rows = {r.label: r for r in page.context["category_rows"]}
    street = rows[str(rates.CATEGORY_BY_KEY["street_shop"].label)]
    assert street.links["covered"] in html.replace("&amp;", "&")
    listed = login(users.staff).get(street.links["covered"])
    names = {obj.name for obj, _cells in listed.context["rows"]}
    assert names == {"shop_area", "shop_work"}
    official = login(users.staff).get(page.context["total"].links["official"])
    assert {o.name for o, _c in official.context["rows"]} == {"own_np", "joint_np"}
    titles = [t["title"] for t in page.context["tables"]]
    assert titles == ["按片区", "按网格", "按道路", "按楼宇"]


def test_overview_figure_links_match_their_numbers(cw, users, login):
    """Every number on the overview is the count of the list it links to."""
    client = login(users.staff)
    page = client.get(reverse("coverage:overview"))
    for table in [page.context["category_rows"], *[t["rows"] for t in page.context["tables"]]]:
        for row in table:
            for key, number in (
                ("operating", row.tally.operating),
                ("non_public", row.tally.non_public),
                ("official", row.tally.official),
                ("covered", row.tally.covered),
                ("uncovered", row.tally.uncovered),
            ):
                listed = client.get(row.links[key]).context["paginator"].count
                assert listed == number, (row.label, key)


def test_district_sees_subdistricts_not_areas(cw, world, users, login):
    page = login(users.district).get(reverse("coverage:overview"))
    assert page.status_code == 200
    [table] = page.context["tables"]
    assert [r.label for r in table["rows"]] == ["石门二路街道", "南京西路街道"]
    assert "按片区" not in page.content.decode()


def test_neighbour_admin_sees_only_their_subdistrict(cw, users, login):
    page = login(users.other_admin).get(reverse("coverage:overview"))
    assert counts(page.context["total"].tally) == (1, 1, 1, 1)


def test_member_role_has_no_coverage_pages(users, login):
    client = login(users.member)
    for name in ("coverage:overview", "coverage:entity_list", "coverage:blindspot_list"):
        assert client.get(reverse(name)).status_code == 403


def test_region_levels_of_a_secretary(cw, users, login):
    page = login(users.secretary).get(reverse("coverage:overview"))
    titles = [t["title"] for t in page.context["tables"]]
    assert titles == ["按片区", "按网格", "按道路", "按楼宇"]
    area_rows = page.context["tables"][0]["rows"]
    assert [r.label for r in area_rows] == ["江宁片区"]
    assert RegionLevel.AREA  # the secretary's scope is an area


def test_district_follows_a_subdistrict_figure_to_its_list(cw, users, login):
    client = login(users.district)
    page = client.get(reverse("coverage:overview"))
    ours = page.context["tables"][0]["rows"][0]
    listed = client.get(ours.links["covered"])
    assert listed.context["paginator"].count == 7


def test_bad_filters_match_nothing_and_never_fail(cw, users, login):
    client = login(users.staff)
    for query in ("coverage=bogus", "category=nope", "region=abc", "blind_spot=x", "road=999999"):
        response = client.get(reverse("coverage:entity_list") + "?" + query)
        assert response.status_code == 200, query
        assert response.context["paginator"].count == 0, query
    assert client.get(reverse("coverage:overview") + "?category=nope").status_code == 200


def test_home_figures(cw, users):
    from jiequ.coverage.figures import home_figures

    figures = {label: (number, url) for label, number, url in home_figures(users.staff)}
    assert figures["组织覆盖率"][0] == "22.2%"
    assert figures["各类覆盖占比"][0] == "70.0%"
    assert figures["党员达到建支部人数、未单独组建"][0] == 2
    assert figures["未覆盖的新就业群体"][0] == 1
    assert figures["未建楼宇党组织的大型楼宇"] == (0, reverse("coverage:blindspot_buildings"))
    assert "blind_spot=street_shops" in figures["未纳入街区党支部的沿街商铺"][1]
    assert home_figures(users.member) == []
    grid = {label: number for label, number, _url in home_figures(users.grid)}
    assert grid["组织覆盖率"] == "40.0%"
