"""The map page and its layers: scoped, and shifted when the tiles are GCJ-02."""

import pytest
from django.urls import reverse

from jiequ.core.coords import wgs84_to_gcj02


def building_feature(data, name):
    return next(f for f in data["buildings"]["features"] if f["properties"]["name"] == name)


def test_map_page_needs_no_tile_server(world, users, login, settings):
    settings.JIEQU_MAP = {**settings.JIEQU_MAP, "TILE_URL": ""}
    page = login(users.staff).get(reverse("areas:map")).content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in page
    assert '"tileUrl": ""' in page


def test_layers_in_wgs84(world, users, login):
    data = login(users.staff).get(reverse("areas:map_data")).json()
    assert data["crs"] == "wgs84"
    assert {f["properties"]["name"] for f in data["grids"]["features"]} == {
        "康定网格",
        "昌平网格",
        "大田网格",
    }
    lon, lat = building_feature(data, "康定大厦")["geometry"]["coordinates"]
    assert (lat, lon) == (float(world.b_sw.lat), float(world.b_sw.lon))


def test_layers_shifted_for_gcj02_tiles(world, users, login, settings):
    settings.JIEQU_MAP = {**settings.JIEQU_MAP, "TILE_CRS": "gcj02"}
    data = login(users.staff).get(reverse("areas:map_data")).json()
    lon, lat = building_feature(data, "康定大厦")["geometry"]["coordinates"]
    expected = wgs84_to_gcj02(float(world.b_sw.lat), float(world.b_sw.lon))
    assert lat == pytest.approx(expected[0], abs=1e-6)
    assert lon == pytest.approx(expected[1], abs=1e-6)
    # The shift in Shanghai is several hundred metres, so it cannot pass by accident.
    assert abs(lon - float(world.b_sw.lon)) > 0.003
    corner = data["grids"]["features"][0]["geometry"]["coordinates"][0][0]
    assert corner != [121.45, 31.23]


def test_map_of_a_grid_worker(world, users, login):
    data = login(users.grid).get(reverse("areas:map_data")).json()
    assert [f["properties"]["name"] for f in data["grids"]["features"]] == ["康定网格"]
    assert [f["properties"]["name"] for f in data["buildings"]["features"]] == ["康定大厦"]


def test_street_shops_layer_follows_the_ledger_scope(world, users, login):
    from .factories import EntityFactory

    EntityFactory(name="", sign_name="康定面馆", region=world.grid_sw, is_street_shop=True)
    EntityFactory(name="", sign_name="大田面馆", region=world.grid_e, is_street_shop=True)
    EntityFactory(name="上海某某科技有限公司", region=world.grid_e, is_street_shop=False)

    def shops(user):
        data = login(user).get(reverse("areas:map_data")).json()
        return {f["properties"]["name"] for f in data["shops"]["features"]}

    assert shops(users.staff) == {"康定面馆", "大田面馆"}
    assert shops(users.grid) == {"康定面馆"}
    assert shops(users.member) == set()
    assert shops(users.other_admin) == set()
