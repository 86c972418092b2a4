"""Conversions between the Chinese map coordinate systems WGS-84, GCJ-02 and BD-09.

ARGUMENT ORDER: every function here takes and returns ``(lat, lon)``, latitude first.
Many other libraries (GeoJSON, shapely, most JS map SDKs, the usual ``coordtransform``
snippets) use ``(lon, lat)``; swap at the boundary when talking to them.

- WGS-84: GPS / international maps (OpenStreetMap).
- GCJ-02: the obfuscated "Mars" datum mandated for maps published in mainland China
  (Amap/Gaode, Tencent, Google Maps inside China).
- BD-09: Baidu's additional offset on top of GCJ-02.

Pure Python, math only. Both inverses (GCJ-02 -> WGS-84 and BD-09 -> GCJ-02) are
iterative: a one-step GCJ-02 inverse is off by metres, and the commonly published
closed-form BD-09 inverse by up to ~15 cm.
"""

from __future__ import annotations

import math

__all__ = [
    "CRS_CHOICES",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "convert",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "haversine_m",
    "out_of_china",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

CRS_CHOICES: tuple[str, ...] = ("wgs84", "gcj02", "bd09")

# Krasovsky 1940 ellipsoid, as used by the published GCJ-02 algorithm.
_A = 6378245.0
_EE = 0.00669342162296594323
# BD-09 uses its own scaled pi in the rotation term.
_X_PI = math.pi * 3000.0 / 180.0
_EARTH_RADIUS_M = 6371008.8  # IUGG mean radius

_INVERSE_TOL_DEG = 1e-9
_INVERSE_MAX_ITER = 30


def out_of_china(lat: float, lon: float) -> bool:
    """Return True if the point is outside the rough bounding box used by GCJ-02."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    # x = lon - 105, y = lat - 35: the published obfuscation polynomial + sine terms.
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _gcj02_delta(lat: float, lon: float) -> tuple[float, float]:
    """Offset (dlat, dlon) in degrees that GCJ-02 adds to a WGS-84 point."""
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1.0 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    # Convert the metre-ish offsets to degrees on the Krasovsky ellipsoid.
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return dlat, dlon


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """WGS-84 -> GCJ-02. Points outside China are returned unchanged."""
    if out_of_china(lat, lon):
        return lat, lon
    dlat, dlon = _gcj02_delta(lat, lon)
    return lat + dlat, lon + dlon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 -> WGS-84 by fixed-point iteration (converges to < 1e-9 degrees).

    Points outside China are returned unchanged, mirroring the forward transform.
    """
    if out_of_china(lat, lon):
        return lat, lon
    # Start from the GCJ point itself; correct the guess by the forward-transform residual.
    # The offset varies slowly, so each step shrinks the error by orders of magnitude.
    w_lat, w_lon = lat, lon
    for _ in range(_INVERSE_MAX_ITER):
        g_lat, g_lon = wgs84_to_gcj02(w_lat, w_lon)
        d_lat, d_lon = g_lat - lat, g_lon - lon
        w_lat -= d_lat
        w_lon -= d_lon
        if abs(d_lat) < _INVERSE_TOL_DEG and abs(d_lon) < _INVERSE_TOL_DEG:
            break
    return w_lat, w_lon


def gcj02_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 -> BD-09."""
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def _bd09_to_gcj02_closed_form(lat: float, lon: float) -> tuple[float, float]:
    # The widely published inverse; it is only accurate to ~0.1 m, so it serves as a seed.
    x = lon - 0.0065
    y = lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def bd09_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """BD-09 -> GCJ-02: closed-form inverse refined by iteration (< 1e-9 degrees)."""
    g_lat, g_lon = _bd09_to_gcj02_closed_form(lat, lon)
    for _ in range(_INVERSE_MAX_ITER):
        b_lat, b_lon = gcj02_to_bd09(g_lat, g_lon)
        d_lat, d_lon = b_lat - lat, b_lon - lon
        g_lat -= d_lat
        g_lon -= d_lon
        if abs(d_lat) < _INVERSE_TOL_DEG and abs(d_lon) < _INVERSE_TOL_DEG:
            break
    return g_lat, g_lon


def wgs84_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    """WGS-84 -> BD-09 (via GCJ-02)."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lon))


def bd09_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """BD-09 -> WGS-84 (via GCJ-02, iterative inverse)."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lat, lon))


def _identity(lat: float, lon: float) -> tuple[float, float]:
    return lat, lon


_CONVERTERS = {
    ("wgs84", "gcj02"): wgs84_to_gcj02,
    ("wgs84", "bd09"): wgs84_to_bd09,
    ("gcj02", "wgs84"): gcj02_to_wgs84,
    ("gcj02", "bd09"): gcj02_to_bd09,
    ("bd09", "wgs84"): bd09_to_wgs84,
    ("bd09", "gcj02"): bd09_to_gcj02,
}


def convert(lat: float, lon: float, source: str, target: str) -> tuple[float, float]:
    """Convert ``(lat, lon)`` from ``source`` to ``target`` CRS (one of CRS_CHOICES)."""
    for name, role in ((source, "source"), (target, "target")):
        if name not in CRS_CHOICES:
            raise ValueError(
                f"Unknown {role} coordinate system {name!r}; expected one of {CRS_CHOICES}"
            )
    if source == target:
        return _identity(lat, lon)
    return _CONVERTERS[(source, target)](lat, lon)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two (lat, lon) points on a spherical earth."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2.0) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2.0) ** 2
    # min() guards against h creeping above 1 through rounding for antipodal points.
    return 2.0 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
