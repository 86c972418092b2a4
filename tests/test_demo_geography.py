"""The hand-drawn demo geography is self-consistent: exact tiling, buildings on their roads."""

from __future__ import annotations

import itertools
import math

import pytest
from shapely.geometry import LinearRing, LineString, Point, Polygon
from shapely.ops import unary_union

from jiequ.demo import geography as g

M_PER_DEG_LAT = 111_195.0
M_PER_DEG_LON = 111_195.0 * math.cos(math.radians(31.235))

ALL_GRIDS = [grid for area in g.AREAS for grid in area["grids"]]
SUBDISTRICTS = [g.SUBDISTRICT, g.OTHER_SUBDISTRICT]
AREAS_OF = {
    g.SUBDISTRICT["code"]: g.AREAS,
    g.OTHER_SUBDISTRICT["code"]: g.OTHER_SUBDISTRICT["areas"],
}
ROADS_OF = {
    g.SUBDISTRICT["code"]: g.ROADS,
    g.OTHER_SUBDISTRICT["code"]: g.OTHER_SUBDISTRICT["roads"],
}
BUILDINGS_OF = {
    g.SUBDISTRICT["code"]: g.BUILDINGS,
    g.OTHER_SUBDISTRICT["code"]: g.OTHER_SUBDISTRICT["buildings"],
}


def metres(coords):
    """Project [lon, lat] pairs to a local metric plane (fine at this scale)."""
    return [(lon * M_PER_DEG_LON, lat * M_PER_DEG_LAT) for lon, lat in coords]


def poly(ring) -> Polygon:
    return Polygon(ring)


def all_rings():
    for sub in SUBDISTRICTS:
        yield sub["name"], sub["boundary"]
        for area in AREAS_OF[sub["code"]]:
            yield area["name"], area["boundary"]
            for grid in area["grids"]:
                yield grid["name"], grid["boundary"]


def assert_tiles(parts: list[Polygon], whole: Polygon) -> None:
    union = unary_union(parts)
    assert abs(union.area - whole.area) < 1e-12
    assert union.symmetric_difference(whole).area < 1e-12
    assert abs(sum(p.area for p in parts) - whole.area) < 1e-12
    for a, b in itertools.combinations(parts, 2):
        assert a.intersection(b).area == 0  # at most a shared edge


@pytest.mark.parametrize(("name", "ring"), list(all_rings()))
def test_rings_closed_valid_ccw(name, ring):
    assert len(ring) >= 4, name
    assert ring[0] == ring[-1], name
    assert all(len(p) == 2 for p in ring), name
    for lon, lat in ring:
        assert 121.44 < lon < 121.48 and 31.22 < lat < 31.25, (name, lon, lat)
    assert poly(ring).is_valid, name
    assert LinearRing(ring).is_ccw, name  # RFC 7946 exterior ring orientation


def test_district():
    assert g.DISTRICT == {"name": "静安区", "code": "310106"}
    assert g.SUBDISTRICT["name"] == "石门二路街道"
    assert g.SUBDISTRICT["code"] == "310106011"
    assert g.OTHER_SUBDISTRICT["code"] == "310106012"
    for sub in SUBDISTRICTS:
        assert sub["code"].startswith(g.DISTRICT["code"])


def test_three_areas_ten_grids():
    assert [a["code"] for a in g.AREAS] == ["01", "02", "03"]
    assert all(a["name"].endswith("片区") for a in g.AREAS)
    assert all(3 <= len(a["grids"]) <= 4 for a in g.AREAS)
    assert len(ALL_GRIDS) == 10
    assert all(grid["name"].endswith("网格") for grid in ALL_GRIDS)
    other = g.OTHER_SUBDISTRICT
    assert len(other["areas"]) == 1 and len(other["areas"][0]["grids"]) == 2
    assert len(other["roads"]) == 2 and len(other["buildings"]) == 3


@pytest.mark.parametrize("sub", SUBDISTRICTS, ids=lambda s: s["name"])
def test_codes_unique_and_nested(sub):
    areas = AREAS_OF[sub["code"]]
    area_codes = [a["code"] for a in areas]
    grid_codes = [grid["code"] for a in areas for grid in a["grids"]]
    assert len(set(area_codes)) == len(area_codes)
    assert len(set(grid_codes)) == len(grid_codes)
    for area in areas:
        assert len(area["code"]) == 2 and area["code"].isdigit()
        for grid in area["grids"]:
            assert len(grid["code"]) == 4 and grid["code"].isdigit()
            assert grid["code"].startswith(area["code"])
    names = [a["name"] for a in areas] + [grid["name"] for a in areas for grid in a["grids"]]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("sub", SUBDISTRICTS, ids=lambda s: s["name"])
def test_areas_tile_subdistrict(sub):
    assert_tiles([poly(a["boundary"]) for a in AREAS_OF[sub["code"]]], poly(sub["boundary"]))


@pytest.mark.parametrize(
    "area",
    g.AREAS + g.OTHER_SUBDISTRICT["areas"],
    ids=lambda a: a["name"],
)
def test_grids_tile_area(area):
    for grid in area["grids"]:
        assert 4 <= len(grid["boundary"]) - 1 <= 6, grid["name"]
    assert_tiles([poly(grid["boundary"]) for grid in area["grids"]], poly(area["boundary"]))


def test_subdistricts_do_not_overlap():
    ours, other = poly(g.SUBDISTRICT["boundary"]), poly(g.OTHER_SUBDISTRICT["boundary"])
    assert ours.intersection(other).area == 0
    assert other.bounds[3] <= 31.2312 + 1e-9  # the neighbour lies to the south


@pytest.mark.parametrize("sub", SUBDISTRICTS, ids=lambda s: s["name"])
def test_roads_within_subdistrict_bbox(sub):
    min_lon, min_lat, max_lon, max_lat = poly(sub["boundary"]).bounds
    d_lon, d_lat = 50 / M_PER_DEG_LON, 50 / M_PER_DEG_LAT
    boundary_m = Polygon(metres(sub["boundary"])).buffer(50)
    names = [r["name"] for r in ROADS_OF[sub["code"]]]
    assert len(set(names)) == len(names)
    for road in ROADS_OF[sub["code"]]:
        assert 3 <= len(road["line"]) <= 8, road["name"]
        assert LineString(road["line"]).is_simple, road["name"]
        for lon, lat in road["line"]:
            assert min_lon - d_lon <= lon <= max_lon + d_lon, road["name"]
            assert min_lat - d_lat <= lat <= max_lat + d_lat, road["name"]
        # Stricter than the bbox: the whole polyline lies inside the boundary (50 m slack).
        assert boundary_m.contains(LineString(metres(road["line"]))), road["name"]


def test_roads_are_the_expected_ones():
    names = {r["name"] for r in g.ROADS}
    assert {"南苏州路", "新闸路", "北京西路", "南京西路", "江宁路", "泰兴路", "石门二路"} <= names
    assert {"大田路", "成都北路", "昌平路", "武定路", "康定路", "山海关路", "奉贤路"} <= names
    assert len(g.ROADS) >= 14


@pytest.mark.parametrize("sub", SUBDISTRICTS, ids=lambda s: s["name"])
def test_buildings(sub):
    boundary = poly(sub["boundary"])
    grids = [poly(grid["boundary"]) for a in AREAS_OF[sub["code"]] for grid in a["grids"]]
    grid_edges_m = unary_union([LineString(metres(grid.exterior.coords)) for grid in grids])
    roads = {r["name"]: LineString(metres(r["line"])) for r in ROADS_OF[sub["code"]]}
    names = [b["name"] for b in BUILDINGS_OF[sub["code"]]]
    assert len(set(names)) == len(names)
    for b in BUILDINGS_OF[sub["code"]]:
        assert set(b) == {"name", "road", "number", "floors", "kind", "lat", "lon"}, b["name"]
        assert b["road"] in roads, b["name"]
        assert b["number"].endswith("号") and b["number"][:-1].isdigit(), b["name"]
        assert 5 <= b["floors"] <= 45, b["name"]
        assert b["kind"] in {"office", "commercial", "mixed"}, b["name"]
        pt = Point(b["lon"], b["lat"])
        assert boundary.contains(pt), b["name"]
        assert sum(grid.contains(pt) for grid in grids) == 1, b["name"]
        pt_m = Point(metres([(b["lon"], b["lat"])])[0])
        assert 10 <= roads[b["road"]].distance(pt_m) <= 60, b["name"]
        assert grid_edges_m.distance(pt_m) > 5, b["name"]  # clearly inside one grid


def test_our_buildings():
    assert 20 <= len(g.BUILDINGS) <= 30
    used = {b["road"] for b in g.BUILDINGS}
    assert used <= {r["name"] for r in g.ROADS}
    grids = [(grid["code"], poly(grid["boundary"])) for grid in ALL_GRIDS]
    occupied = {
        code for b in g.BUILDINGS for code, p in grids if p.contains(Point(b["lon"], b["lat"]))
    }
    assert occupied == {grid["code"] for grid in ALL_GRIDS}  # every grid has a building
    other = poly(g.OTHER_SUBDISTRICT["boundary"])
    assert not any(other.covers(Point(b["lon"], b["lat"])) for b in g.BUILDINGS)


def test_address():
    b = {"road": "石门二路", "number": "333号"}
    assert g.address(b) == "上海市静安区石门二路333号"
    assert g.address(g.OTHER_SUBDISTRICT["buildings"][0]).startswith("上海市静安区威海路")
    assert len({g.address(b) for b in g.BUILDINGS}) == len(g.BUILDINGS)
