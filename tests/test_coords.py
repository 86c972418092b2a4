"""Tests for jiequ.core.coords (pure Python, no Django, no DB). All points are (lat, lon)."""

import pytest

from jiequ.core import coords
from jiequ.core.coords import (
    CRS_CHOICES,
    bd09_to_gcj02,
    bd09_to_wgs84,
    convert,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    haversine_m,
    out_of_china,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

# WGS-84 points spread across China: Shanghai, Beijing, Urumqi, Guangzhou.
CHINA_POINTS = [
    pytest.param(31.235, 121.455, id="shanghai"),
    pytest.param(39.9042, 116.4074, id="beijing"),
    pytest.param(43.8256, 87.6168, id="urumqi"),
    pytest.param(23.1291, 113.2644, id="guangzhou"),
    pytest.param(31.1443, 121.8083, id="shanghai-pudong-airport"),
    pytest.param(40.0799, 116.6031, id="beijing-capital-airport"),
]

OUTSIDE_POINTS = [
    pytest.param(51.5, -0.12, id="london"),
    pytest.param(40.7128, -74.006, id="new-york"),
    pytest.param(-33.8688, 151.2093, id="sydney"),
]

# Reference vector (WGS-84 -> GCJ-02 -> BD-09).
WGS = (31.235, 121.455)
GCJ = (31.2331063, 121.4595790)
BD = (31.2393004, 121.4660495)

SUB_MM = 0.001  # metres


def _one_step_gcj_inverse(lat: float, lon: float) -> tuple[float, float]:
    """The naive inverse: subtract the offset computed at the GCJ point itself."""
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    return 2 * lat - g_lat, 2 * lon - g_lon


def test_known_vector_wgs_to_gcj() -> None:
    assert wgs84_to_gcj02(*WGS) == pytest.approx(GCJ, abs=1e-6)


def test_known_vector_gcj_to_bd() -> None:
    assert gcj02_to_bd09(*GCJ) == pytest.approx(BD, abs=1e-6)


def test_known_vector_wgs_to_bd() -> None:
    assert wgs84_to_bd09(*WGS) == pytest.approx(BD, abs=1e-6)


def test_known_vector_inverses() -> None:
    assert gcj02_to_wgs84(*GCJ) == pytest.approx(WGS, abs=1e-6)
    assert bd09_to_gcj02(*BD) == pytest.approx(GCJ, abs=1e-6)
    assert bd09_to_wgs84(*BD) == pytest.approx(WGS, abs=1e-6)


def test_gcj_offset_is_hundreds_of_metres() -> None:
    # Sanity check: the transform really moves points (so round trips are not trivial).
    assert 100 < haversine_m(*WGS, *wgs84_to_gcj02(*WGS)) < 1000


@pytest.mark.parametrize(("lat", "lon"), CHINA_POINTS)
def test_round_trip_wgs_gcj_wgs_sub_millimetre(lat: float, lon: float) -> None:
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lat, lon))
    assert haversine_m(lat, lon, *back) < SUB_MM


@pytest.mark.parametrize(("lat", "lon"), CHINA_POINTS)
def test_round_trip_wgs_bd_wgs_sub_millimetre(lat: float, lon: float) -> None:
    back = bd09_to_wgs84(*wgs84_to_bd09(lat, lon))
    assert haversine_m(lat, lon, *back) < SUB_MM


@pytest.mark.parametrize(("lat", "lon"), CHINA_POINTS)
def test_round_trip_gcj_bd_gcj_sub_millimetre(lat: float, lon: float) -> None:
    gcj = wgs84_to_gcj02(lat, lon)
    back = bd09_to_gcj02(*gcj02_to_bd09(*gcj))
    assert haversine_m(*gcj, *back) < SUB_MM


# Points where the one-step inverse error exceeds 0.5 m (it varies with location: ~1.7 m in
# Shanghai, ~1.0 m in Shenzhen, but only ~0.3 m in Beijing/Urumqi).
LARGE_ONE_STEP_ERROR_POINTS = [
    pytest.param(31.235, 121.455, id="shanghai"),
    pytest.param(31.1443, 121.8083, id="shanghai-pudong-airport"),
    pytest.param(22.54, 114.06, id="shenzhen"),
    pytest.param(45.75, 126.65, id="harbin"),
    pytest.param(30.58, 114.3, id="wuhan"),
]


@pytest.mark.parametrize(("lat", "lon"), LARGE_ONE_STEP_ERROR_POINTS)
def test_iterative_inverse_beats_one_step(lat: float, lon: float) -> None:
    gcj = wgs84_to_gcj02(lat, lon)
    naive = _one_step_gcj_inverse(*gcj)
    iterative = gcj02_to_wgs84(*gcj)
    # A one-step inverse would fail the round-trip test by a wide margin ...
    assert haversine_m(lat, lon, *naive) > 0.5
    # ... while the module's iterative inverse is sub-millimetre.
    assert haversine_m(lat, lon, *iterative) < SUB_MM


@pytest.mark.parametrize(("lat", "lon"), CHINA_POINTS)
def test_one_step_inverse_is_not_good_enough_anywhere(lat: float, lon: float) -> None:
    # Even where the one-step error is smallest it is still hundreds of times the tolerance.
    gcj = wgs84_to_gcj02(lat, lon)
    assert haversine_m(lat, lon, *_one_step_gcj_inverse(*gcj)) > 0.25


@pytest.mark.parametrize(("lat", "lon"), OUTSIDE_POINTS)
def test_outside_china_unchanged(lat: float, lon: float) -> None:
    assert out_of_china(lat, lon)
    assert wgs84_to_gcj02(lat, lon) == (lat, lon)
    assert gcj02_to_wgs84(lat, lon) == (lat, lon)


@pytest.mark.parametrize(("lat", "lon"), CHINA_POINTS)
def test_inside_china(lat: float, lon: float) -> None:
    assert not out_of_china(lat, lon)


def test_argument_order_is_lat_lon() -> None:
    # Swapping to (lon, lat) puts Shanghai outside the box, so it would pass through unchanged.
    assert out_of_china(121.455, 31.235)
    assert wgs84_to_gcj02(121.455, 31.235) == (121.455, 31.235)


DIRECT = {
    ("wgs84", "gcj02"): wgs84_to_gcj02,
    ("wgs84", "bd09"): wgs84_to_bd09,
    ("gcj02", "wgs84"): gcj02_to_wgs84,
    ("gcj02", "bd09"): gcj02_to_bd09,
    ("bd09", "wgs84"): bd09_to_wgs84,
    ("bd09", "gcj02"): bd09_to_gcj02,
}


@pytest.mark.parametrize(("source", "target"), sorted(DIRECT))
def test_convert_matches_direct_functions(source: str, target: str) -> None:
    for lat, lon in [WGS, GCJ, BD, (39.9042, 116.4074), (51.5, -0.12)]:
        assert convert(lat, lon, source, target) == DIRECT[(source, target)](lat, lon)


@pytest.mark.parametrize("crs", CRS_CHOICES)
def test_convert_same_crs_is_identity(crs: str) -> None:
    assert convert(*WGS, crs, crs) == WGS


def test_crs_choices() -> None:
    assert CRS_CHOICES == ("wgs84", "gcj02", "bd09")
    assert coords.CRS_CHOICES is CRS_CHOICES


@pytest.mark.parametrize(
    ("source", "target"),
    [("wgs84", "osgb36"), ("epsg:4326", "gcj02"), ("WGS84", "bd09"), ("", "wgs84")],
)
def test_convert_unknown_crs_raises(source: str, target: str) -> None:
    with pytest.raises(ValueError, match="Unknown .* coordinate system"):
        convert(*WGS, source, target)


def test_haversine_one_degree_latitude() -> None:
    assert haversine_m(30.0, 120.0, 31.0, 120.0) == pytest.approx(111_195, abs=5)
    assert haversine_m(0.0, 0.0, 1.0, 0.0) == pytest.approx(111_195, abs=5)


def test_haversine_zero_and_symmetric() -> None:
    assert haversine_m(*WGS, *WGS) == 0.0
    a, b = (31.235, 121.455), (39.9042, 116.4074)
    assert haversine_m(*a, *b) == pytest.approx(haversine_m(*b, *a))
