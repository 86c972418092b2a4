"""Geometry helpers over GeoJSON (coordinates [lon, lat], WGS-84). No Django here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry

from jiequ.core import coords


def shape_of(geometry: dict[str, Any]) -> BaseGeometry:
    """A shapely geometry from GeoJSON, or ValueError with a readable reason."""
    try:
        geom = shape(geometry)
    except Exception as exc:  # shapely raises several types for malformed input
        raise ValueError(f"不是有效的 GeoJSON 图形 / not a valid GeoJSON geometry: {exc}") from exc
    if geom.is_empty or not geom.is_valid:
        raise ValueError("图形为空或自相交 / the shape is empty or self-intersecting")
    return geom


def bbox_of(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """(min_lat, min_lon, max_lat, max_lon) of a GeoJSON geometry."""
    min_lon, min_lat, max_lon, max_lat = shape_of(geometry).bounds
    return min_lat, min_lon, max_lat, max_lon


def contains(geometry: dict[str, Any], lat: float, lon: float) -> bool:
    # `covers` rather than `contains`, so a point on a shared grid edge still finds a grid.
    return shape_of(geometry).covers(Point(float(lon), float(lat)))


def polygon(ring: Iterable[Iterable[float]]) -> dict[str, Any]:
    """A GeoJSON Polygon from one closed ring of [lon, lat] pairs."""
    return {"type": "Polygon", "coordinates": [[list(map(float, p)) for p in ring]]}


def line(points: Iterable[Iterable[float]]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [list(map(float, p)) for p in points]}


def reproject(geometry: dict[str, Any], target: str) -> dict[str, Any]:
    """The same GeoJSON geometry with every point moved from WGS-84 to `target`."""
    if target == "wgs84":
        return geometry

    def move(c: Any) -> Any:
        if isinstance(c[0], (int, float)):
            lat, lon = coords.convert(c[1], c[0], "wgs84", target)
            return [round(lon, 7), round(lat, 7)]
        return [move(x) for x in c]

    return {"type": geometry["type"], "coordinates": move(geometry["coordinates"])}


def centroid(geometry: dict[str, Any]) -> tuple[float, float]:
    """(lat, lon) of the geometry's centroid."""
    c = shape_of(geometry).centroid
    return c.y, c.x


__all__ = ["bbox_of", "centroid", "contains", "line", "mapping", "polygon", "reproject", "shape_of"]
