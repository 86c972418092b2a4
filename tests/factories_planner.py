"""Street-shop layouts for the planner's tests: shops in rows along a few roads of the world."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from .factories import EntityFactory, RoadFactory


def shops_along(
    region,
    road,
    n: int,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    workers: int | list[int] = 5,
    **extra,
) -> list:
    """n operating street shops evenly spaced from start to end (lat, lon) on `road`."""
    shops = []
    for i in range(n):
        t = i / max(n - 1, 1)
        lat = start[0] + (end[0] - start[0]) * t
        lon = start[1] + (end[1] - start[1]) * t
        shops.append(
            EntityFactory(
                region=region,
                road=road,
                number=f"{2 * i + 1}号",
                lat=Decimal(f"{lat:.6f}"),
                lon=Decimal(f"{lon:.6f}"),
                is_street_shop=True,
                kind="individual",
                sign_name=f"{road.name if road else '无路'}{i + 1}号店",
                worker_count=workers[i % len(workers)] if isinstance(workers, list) else workers,
                **extra,
            )
        )
    return shops


def street_layout(world, per_road: int = 8) -> SimpleNamespace:
    """Four roads of 石门二路街道, `per_road` shops each: two in the west area, two in the east.

    南京西路 (grid 0101, south-west) and 北京西路 (grid 0102, north-west) run west-east;
    成都北路 and 大田路 (grid 0201, east, 650 m apart) run south-north.
    """
    nanjing = RoadFactory(name="南京西路", subdistrict=world.ours)
    beijing = RoadFactory(name="北京西路", subdistrict=world.ours)
    chengdu = RoadFactory(name="成都北路", subdistrict=world.ours)
    datian = RoadFactory(name="大田路", subdistrict=world.ours)
    shops = {
        "nanjing": shops_along(
            world.grid_sw,
            nanjing,
            per_road,
            (31.2330, 121.4510),
            (31.2330, 121.4590),
            workers=[2, 4, 6, 8],
        ),
        "beijing": shops_along(
            world.grid_nw,
            beijing,
            per_road,
            (31.2430, 121.4510),
            (31.2430, 121.4590),
            workers=[3, 5],
        ),
        "chengdu": shops_along(
            world.grid_e,
            chengdu,
            per_road,
            (31.2330, 121.4620),
            (31.2420, 121.4620),
            workers=[1, 9],
        ),
        "datian": shops_along(
            world.grid_e,
            datian,
            per_road,
            (31.2330, 121.4690),
            (31.2420, 121.4690),
            workers=[4],
        ),
    }
    everything = [s for row in shops.values() for s in row]
    return SimpleNamespace(
        roads=SimpleNamespace(nanjing=nanjing, beijing=beijing, chengdu=chengdu, datian=datian),
        west=shops["nanjing"] + shops["beijing"],
        east=shops["chengdu"] + shops["datian"],
        all=everything,
        **shops,
    )
