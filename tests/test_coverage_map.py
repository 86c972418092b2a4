"""The coverage map: its page, its JSON layers (statuses, rates, zones), filters and scope."""

import pytest
from django.urls import reverse

from jiequ.core.coords import wgs84_to_gcj02

from .factories import CoverageLinkFactory, EntityFactory
from .factories_coverage import coverage_world
from .test_browser import browser, page_as  # noqa: F401  (browser fixtures)


@pytest.fixture
def cw(world, party):
    return coverage_world(world, party)


def data(client, **params):
    response = client.get(reverse("coverage:map_data"), params)
    assert response.status_code == 200
    return response.json()


def entity_statuses(d):
    return {f["properties"]["name"]: f["properties"]["status"] for f in d["entities"]["features"]}


def test_page_has_legend_filters_and_needs_no_tiles(cw, users, login, settings):
    settings.JIEQU_MAP = {**settings.JIEQU_MAP, "TILE_URL": ""}
    page = login(users.staff).get(reverse("coverage:map"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "coverage/coverage_map.js" in html
    assert '"tileUrl": ""' in html
    assert reverse("coverage:map_data") in html
    assert 'name="category"' in html and 'name="road"' in html
    assert "石门二路" in html  # the road filter
    assert 'name="viewport"' in html  # phone width


def test_entities_coloured_by_status(cw, users, login):
    d = data(login(users.staff))
    assert entity_statuses(d) == {
        "own_np": "own",
        "joint_np": "joint",
        "shop_area": "area",
        "shop_work": "work",
        "shop_none": "none",
        "state_own": "own",
        "social": "attached",
        "快递驿站（courier）": "none",
        "外卖配送站（takeaway）": "work",
        "dissolved": "none",
    }  # closed and the neighbour's entity are not drawn
    legend = {item["status"]: (item["label"], item["colour"]) for item in d["legend"]}
    assert legend["own"] == ("单独组建", "#b71c1c")
    assert len(legend) == 6
    own = next(f for f in d["entities"]["features"] if f["properties"]["name"] == "own_np")
    assert own["properties"]["organisation"] == cw.firm.name
    assert own["properties"]["members"] == 3
    url = d["entity_url"].replace("/0/", f"/{own['properties']['id']}/")
    assert url == reverse("ledger:entity_detail", args=[cw.entities.own_np.pk])


def test_grids_and_areas_carry_their_rates(cw, users, login, world):
    d = data(login(users.staff))
    grids = {f["properties"]["name"]: f["properties"] for f in d["grids"]["features"]}
    sw = grids["康定网格"]
    assert (sw["operating"], sw["non_public"], sw["official"], sw["covered"]) == (5, 5, 2, 4)
    assert sw["official_ratio"] == pytest.approx(0.4)
    assert sw["official_text"] == "40.0%"
    assert grids["昌平网格"]["official_ratio"] is None
    assert f"region={world.grid_sw.pk}" in sw["url"]
    areas = {f["properties"]["name"]: f["properties"] for f in d["areas"]["features"]}
    assert areas["江宁片区"]["covered_share"] == pytest.approx(5 / 6)


def test_street_block_branch_zones(cw, users, login, world):
    for i in range(3):
        shop = EntityFactory(
            name=f"z{i}",
            region=world.grid_sw,
            is_street_shop=True,
            lat=31.231 + i * 0.001,
            lon=121.451 + (i % 2) * 0.002,
        )
        CoverageLinkFactory(organisation=cw.street, entity=shop, kind="area")
    d = data(login(users.staff))
    [zone] = d["zones"]["features"]
    assert zone["properties"]["name"] == cw.street.name
    assert zone["properties"]["shops"] == 4  # shop_area and the three
    assert zone["geometry"]["type"] == "Polygon"
    props = {f["properties"]["name"]: f["properties"] for f in d["entities"]["features"]}
    assert props["z0"]["zone"] == cw.street.pk
    assert props["own_np"]["zone"] is None


def test_a_zone_of_one_shop_is_a_small_circle(cw, users, login):
    d = data(login(users.staff))
    [zone] = d["zones"]["features"]
    assert zone["properties"]["shops"] == 1
    assert zone["geometry"]["type"] == "Polygon"


def test_dissolved_branch_draws_no_zone(cw, users, login):
    cw.street.dissolved_on = cw.gone.dissolved_on
    cw.street.save()
    assert data(login(users.staff))["zones"]["features"] == []


def test_filter_by_category_and_road(cw, users, login, world):
    client = login(users.staff)
    shops = data(client, category="street_shop")
    assert set(entity_statuses(shops)) == {"shop_area", "shop_work", "shop_none"}
    grids = {f["properties"]["name"]: f["properties"] for f in shops["grids"]["features"]}
    assert grids["康定网格"]["operating"] == 3
    assert "category=street_shop" in grids["康定网格"]["url"]
    on_road = data(client, road=world.road.pk)
    assert set(entity_statuses(on_road)) == {"own_np", "shop_area", "shop_work"}
    both = data(client, road=world.road.pk, category="street_shop")
    assert set(entity_statuses(both)) == {"shop_area", "shop_work"}


def test_bad_or_foreign_filters_are_ignored(cw, users, login, world):
    client = login(users.staff)
    everything = entity_statuses(data(client))
    assert entity_statuses(data(client, category="nonsense")) == everything
    assert entity_statuses(data(client, road="abc")) == everything
    # A road of the neighbouring subdistrict is not the staff's to filter by.
    assert entity_statuses(data(client, road=world.other_road.pk)) == everything


def test_map_of_a_grid_worker(cw, users, login):
    d = data(login(users.grid))
    assert set(entity_statuses(d)) == {"own_np", "joint_np", "shop_area", "shop_work", "shop_none"}
    assert [f["properties"]["name"] for f in d["grids"]["features"]] == ["康定网格"]
    assert d["areas"]["features"] == []


def test_map_of_the_neighbour_and_of_a_member(cw, users, login):
    d = data(login(users.other_admin))
    assert set(entity_statuses(d)) == {"other"}
    assert d["zones"]["features"] == []
    assert login(users.member).get(reverse("coverage:map_data")).status_code == 403
    assert login(users.member).get(reverse("coverage:map")).status_code == 403


def test_layers_shifted_for_gcj02_tiles(cw, users, login, settings):
    settings.JIEQU_MAP = {**settings.JIEQU_MAP, "TILE_CRS": "gcj02"}
    d = data(login(users.staff))
    assert d["crs"] == "gcj02"
    feature = next(f for f in d["entities"]["features"] if f["properties"]["name"] == "own_np")
    lon, lat = feature["geometry"]["coordinates"]
    e = cw.entities.own_np
    expected = wgs84_to_gcj02(float(e.lat), float(e.lon))
    assert lat == pytest.approx(expected[0], abs=1e-6)
    assert lon == pytest.approx(expected[1], abs=1e-6)
    assert abs(lon - float(e.lon)) > 0.003


def test_map_data_queries_stay_bounded(world, users, login, django_assert_max_num_queries):
    for i in range(200):
        EntityFactory(name=f"e{i}", region=world.grid_sw, is_street_shop=i % 2 == 0)
    client = login(users.staff)
    with django_assert_max_num_queries(12):
        d = data(client)
    assert len(d["entities"]["features"]) == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_map_in_a_phone_browser(world, party, users, page_as, live_server):  # noqa: F811
    from .test_browser import DESKTOP, PHONE, shot

    coverage_world(world, party)
    page = page_as(users.staff, viewport=PHONE)
    page.goto(live_server.url + reverse("coverage:map"))
    page.wait_for_selector("#coverage-map[data-ready='1']")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    markers = "path.leaflet-interactive"
    drawn = page.locator(markers).count()
    assert drawn >= 10  # ten entities, three grids, two areas, one zone
    assert "10 家在营市场主体" in page.locator("#map-summary").inner_text()
    shot(page, "coverage-map-phone")
    # A filter reloads the layers, not the page, and keeps the choice in the address.
    page.select_option("select[name=category]", "street_shop")
    page.wait_for_function("document.getElementById('map-summary').textContent.startsWith('3 ')")
    assert "category=street_shop" in page.url
    page.select_option("select[name=measure]", "covered")
    assert "measure=covered" in page.url
    page.goto(live_server.url + reverse("coverage:overview"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "coverage-overview-phone")
    page.goto(live_server.url + reverse("coverage:blindspot_list"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "coverage-blind-spots-phone")
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("coverage:overview"))
    shot(page, "coverage-overview-desktop")
    page.goto(live_server.url + reverse("coverage:map") + "?measure=covered")
    page.wait_for_selector("#coverage-map[data-ready='1']")
    shot(page, "coverage-map-desktop")
