"""Generated shop layouts for the partition benchmark (deterministic for a seed).

`layout(n, n_roads, seed)` places n shops along n_roads polyline roads in a ~2 km × 2 km area
centred on 静安区 (31.236 N, 121.459 E): roughly east-west and north-south roads that bend a
little, the first fifth of them "main roads" with three times the shop density, and shops
clustered in runs (shop fronts come in rows) 8–30 m to either side of the road.

`demo_layout()` reproduces the demo subdistrict's 389 street shops the way
`jiequ.demo.ledger._beside` places them: a random road (in name order), a random segment of its
polyline, 12–25 m to one side, seed 20261123, kept only inside the subdistrict. The same kind of
layout as the demo, not the identical points (the demo's random stream also draws names etc.).

`city(subdistricts, per, seed)` yields (shops, k) for the city-scale run.

Pure Python + numpy, no Django.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from pathlib import Path

from jiequ.coverage.partition import Shop

LAT0, LON0 = 31.236, 121.459
M_PER_DEG = 111_195.0
COS0 = math.cos(math.radians(LAT0))


def _to_wgs(x: float, y: float, lat0: float = LAT0, lon0: float = LON0) -> tuple[float, float]:
    return lat0 + y / M_PER_DEG, lon0 + x / (M_PER_DEG * COS0)


def _roads(n_roads: int, rng: random.Random, size: float) -> list[list[tuple[float, float]]]:
    """Polylines in metres: about half east-west, half north-south, gently bending."""
    roads = []
    for r in range(n_roads):
        horizontal = r % 2 == 0
        offset = rng.uniform(-size / 2, size / 2)
        # Side streets are shorter and start somewhere inside the area.
        main = r < max(1, n_roads // 5)
        length = size if main else rng.uniform(0.3, 0.8) * size
        start = -size / 2 if main else rng.uniform(-size / 2, size / 2 - length)
        n_pts = rng.randint(3, 6)
        pts = []
        drift = 0.0
        for i in range(n_pts):
            along = start + length * i / (n_pts - 1)
            drift += rng.uniform(-40, 40)
            pts.append((along, offset + drift) if horizontal else (offset + drift, along))
        roads.append(pts)
    return roads


def _segment_lengths(line: list[tuple[float, float]]) -> list[float]:
    return [math.dist(a, b) for a, b in zip(line[:-1], line[1:], strict=True)]


def _point_on(line: list[tuple[float, float]], s: float) -> tuple[float, float, float, float]:
    """Point at arc length s along line, with the unit direction there."""
    for (ax, ay), (bx, by) in zip(line[:-1], line[1:], strict=True):
        seg = math.hypot(bx - ax, by - ay)
        if s <= seg or (bx, by) == line[-1]:
            f = min(max(s / seg, 0.0), 1.0) if seg else 0.0
            return ax + f * (bx - ax), ay + f * (by - ay), (bx - ax) / seg, (by - ay) / seg
        s -= seg
    raise AssertionError("unreachable")


def layout(n: int, n_roads: int, seed: int, size: float = 2000.0) -> list[Shop]:
    rng = random.Random(seed)
    roads = _roads(n_roads, rng, size)
    names = [f"路{seed}-{r:02d}" for r in range(n_roads)]
    lengths = [sum(_segment_lengths(line)) for line in roads]
    main = max(1, n_roads // 5)
    density = [ln * (3.0 if r < main else 1.0) for r, ln in enumerate(lengths)]
    shops: list[Shop] = []
    while len(shops) < n:
        r = rng.choices(range(n_roads), weights=density)[0]
        line = roads[r]
        # A row of shop fronts: 1–12 shops a few metres apart around one spot.
        centre = rng.uniform(0, lengths[r])
        side = rng.choice((-1, 1))
        for _ in range(min(rng.randint(1, 12), n - len(shops))):
            s = min(max(centre + rng.gauss(0, 25), 0.0), lengths[r])
            x, y, dx, dy = _point_on(line, s)
            off = side * rng.uniform(8, 30)
            lat, lon = _to_wgs(x - off * dy, y + off * dx)
            shops.append(
                Shop(
                    f"s{len(shops):06d}", round(lat, 7), round(lon, 7), names[r], rng.randint(1, 12)
                )
            )
    return shops


def demo_layout(n: int = 389, seed: int = 20261123) -> list[Shop]:
    from shapely.geometry import Point, Polygon

    from jiequ.demo.geography import ROADS, SUBDISTRICT, point_beside

    rng = random.Random(seed)
    boundary = Polygon(SUBDISTRICT["boundary"])
    roads = sorted(ROADS, key=lambda r: r["name"])
    shops: list[Shop] = []
    while len(shops) < n:
        road = rng.choice(roads)
        lat, lon = point_beside(road["line"], rng, min_m=12, max_m=25)
        if not boundary.covers(Point(lon, lat)):
            continue
        shops.append(
            Shop(
                f"d{len(shops):04d}", round(lat, 6), round(lon, 6), road["name"], rng.randint(1, 12)
            )
        )
    return shops


def city(
    subdistricts: int = 200, per: int = 1500, seed: int = 7
) -> Iterator[tuple[list[Shop], int]]:
    """Each subdistrict: its own 2 km square, 15–40 roads, k from 3 to 10."""
    rng = random.Random(seed)
    for _ in range(subdistricts):
        s = rng.randrange(1 << 30)
        yield layout(per, rng.randint(15, 40), s), rng.randint(3, 10)


def write_points_csv(path: str | Path, shops: list[Shop]) -> None:
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "lat", "lon", "road", "weight"])
        for s in shops:
            w.writerow([s.id, s.lat, s.lon, s.road, s.weight])


CASES = {
    "400/15 k=3": (lambda: layout(400, 15, 400), 3),
    "1400/27 k=27": (lambda: layout(1400, 27, 1400), 27),
    "5000/40 k=60": (lambda: layout(5000, 40, 5000), 60),
    "demo 389 k=3": (demo_layout, 3),
}
