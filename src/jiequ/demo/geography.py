"""Hand-drawn demo geography of 静安区 石门二路街道 (Shanghai), plus a southern neighbour.

Plausible, not surveyed. All coordinates are WGS-84; rings and polylines use GeoJSON order
``[lon, lat]`` (longitude first), while buildings carry separate ``lat`` / ``lon`` fields.
Rings are closed (first point == last) and counter-clockwise (RFC 7946 exterior rings).

Every ring below is assembled from one shared set of named vertices, so the grids of an area
tile it exactly and the three areas tile the subdistrict exactly: neighbours share edges with
identical vertices, no gaps, no overlaps. Layout (west to east, columns ``W | A | C | B | E``;
south to north, rows ``S | R2 | R1 | N``)::

        W          A      C      B               E
    N   +--0101----+-0201-+-0202-+------0301-----+   苏州河 / 南苏州路
    R1  +--0102----+------+------+------0302-----+   新闸路
    R2  +--0103----+ 0203 | 0204 +------0303-----+   (武定路|康定路, 山海关路|奉贤路)
    S   +----------+------+------+---------------+   南京西路

Pure data and tiny helpers; no Django imports.
"""

from __future__ import annotations

import math
import random

__all__ = [
    "point_beside",
    "AREAS",
    "BUILDINGS",
    "DISTRICT",
    "OTHER_SUBDISTRICT",
    "ROADS",
    "SUBDISTRICT",
    "address",
]


def _ring(*points: tuple[float, float]) -> list[list[float]]:
    """A closed GeoJSON ring (fresh lists, first point repeated at the end)."""
    ring = [[lon, lat] for lon, lat in points]
    return [*ring, list(ring[0])]


# --- shared vertices (lon, lat) -------------------------------------------------------------
# South edge, along 南京西路.
_W_S = (121.4506, 31.2311)
_A_S = (121.4566, 31.2309)
_C_S = (121.4593, 31.2308)
_B_S = (121.4618, 31.2308)
_E_S = (121.4681, 31.2306)
# Row R2: between 武定路 and 康定路 in the west, between 山海关路 and 奉贤路 in the east.
_W_R2 = (121.4504, 31.2358)
_A_R2 = (121.4566, 31.2356)
_B_R2 = (121.4618, 31.2353)
_E_R2 = (121.4681, 31.2351)
# Row R1: along 新闸路.
_W_R1 = (121.4505, 31.2383)
_A_R1 = (121.4565, 31.2382)
_C_R1 = (121.4591, 31.2381)
_B_R1 = (121.4617, 31.2380)
_E_R1 = (121.4680, 31.2379)
# North edge: the south bank of 苏州河, bending slightly.
_W_N = (121.4503, 31.2436)
_X1_N = (121.4535, 31.2441)
_A_N = (121.4565, 31.2444)
_C_N = (121.4592, 31.2447)
_B_N = (121.4618, 31.2448)
_X2_N = (121.4650, 31.2447)
_E_N = (121.4682, 31.2441)

DISTRICT = {"name": "静安区", "code": "310106"}

SUBDISTRICT = {
    "name": "石门二路街道",
    "code": "310106011",
    "boundary": _ring(
        _W_S, _A_S, _C_S, _B_S, _E_S,
        _E_R2, _E_R1, _E_N,
        _X2_N, _B_N, _C_N, _A_N, _X1_N, _W_N,
        _W_R1, _W_R2,
    ),
}  # fmt: skip

AREAS = [
    {
        "name": "江宁片区",
        "code": "01",
        "boundary": _ring(_W_S, _A_S, _A_R2, _A_R1, _A_N, _X1_N, _W_N, _W_R1, _W_R2),
        "grids": [
            {
                "name": "昌平网格",
                "code": "0101",
                "boundary": _ring(_W_R1, _A_R1, _A_N, _X1_N, _W_N),
            },
            {"name": "武定网格", "code": "0102", "boundary": _ring(_W_R2, _A_R2, _A_R1, _W_R1)},
            {"name": "康定网格", "code": "0103", "boundary": _ring(_W_S, _A_S, _A_R2, _W_R2)},
        ],
    },
    {
        "name": "石门片区",
        "code": "02",
        "boundary": _ring(_A_S, _C_S, _B_S, _B_R2, _B_R1, _B_N, _C_N, _A_N, _A_R1, _A_R2),
        "grids": [
            {"name": "新闸网格", "code": "0201", "boundary": _ring(_A_R1, _C_R1, _C_N, _A_N)},
            {"name": "石门网格", "code": "0202", "boundary": _ring(_C_R1, _B_R1, _B_N, _C_N)},
            {
                "name": "泰兴网格",
                "code": "0203",
                "boundary": _ring(_A_S, _C_S, _C_R1, _A_R1, _A_R2),
            },
            {
                "name": "山海关网格",
                "code": "0204",
                "boundary": _ring(_C_S, _B_S, _B_R2, _B_R1, _C_R1),
            },
        ],
    },
    {
        "name": "成都片区",
        "code": "03",
        "boundary": _ring(_B_S, _E_S, _E_R2, _E_R1, _E_N, _X2_N, _B_N, _B_R1, _B_R2),
        "grids": [
            {
                "name": "苏河网格",
                "code": "0301",
                "boundary": _ring(_B_R1, _E_R1, _E_N, _X2_N, _B_N),
            },
            {"name": "大田网格", "code": "0302", "boundary": _ring(_B_R2, _E_R2, _E_R1, _B_R1)},
            {"name": "奉贤网格", "code": "0303", "boundary": _ring(_B_S, _E_S, _E_R2, _B_R2)},
        ],
    },
]

ROADS = [
    # East-west, north to south.
    {
        "name": "南苏州路",
        "line": [
            [121.4506, 31.2433],
            [121.4535, 31.2438],
            [121.4565, 31.2441],
            [121.4600, 31.2444],
            [121.4640, 31.2443],
            [121.4678, 31.2438],
        ],
    },
    {
        "name": "昌平路",
        "line": [
            [121.4507, 31.2399],
            [121.4530, 31.2401],
            [121.4560, 31.2400],
            [121.4589, 31.2402],
        ],
    },
    {
        "name": "新闸路",
        "line": [
            [121.4507, 31.2383],
            [121.4540, 31.2382],
            [121.4578, 31.2381],
            [121.4620, 31.2380],
            [121.4677, 31.2379],
        ],
    },
    {
        "name": "武定路",
        "line": [
            [121.4508, 31.2366],
            [121.4535, 31.2365],
            [121.4562, 31.2364],
            [121.4588, 31.2366],
        ],
    },
    {
        "name": "山海关路",
        "line": [
            [121.4592, 31.2363],
            [121.4615, 31.2362],
            [121.4645, 31.2361],
            [121.4666, 31.2362],
        ],
    },
    {
        "name": "康定路",
        "line": [
            [121.4508, 31.2351],
            [121.4540, 31.2350],
            [121.4575, 31.2349],
            [121.4600, 31.2348],
        ],
    },
    {
        "name": "奉贤路",
        "line": [[121.4621, 31.2341], [121.4645, 31.2340], [121.4675, 31.2339]],
    },
    {
        "name": "北京西路",
        "line": [
            [121.4507, 31.2331],
            [121.4550, 31.2330],
            [121.4600, 31.2329],
            [121.4640, 31.2328],
            [121.4678, 31.2327],
        ],
    },
    {
        "name": "南京西路",
        "line": [
            [121.4507, 31.2313],
            [121.4545, 31.2312],
            [121.4592, 31.2311],
            [121.4640, 31.2310],
            [121.4679, 31.2309],
        ],
    },
    # North-south, west to east.
    {
        "name": "西康路",
        "line": [
            [121.4508, 31.2314],
            [121.4509, 31.2350],
            [121.4508, 31.2385],
            [121.4507, 31.2432],
        ],
    },
    {
        "name": "江宁路",
        "line": [
            [121.4521, 31.2313],
            [121.4520, 31.2350],
            [121.4519, 31.2390],
            [121.4521, 31.2435],
        ],
    },
    {
        "name": "泰兴路",
        "line": [
            [121.4577, 31.2313],
            [121.4578, 31.2350],
            [121.4579, 31.2383],
            [121.4578, 31.2420],
            [121.4577, 31.2440],
        ],
    },
    {
        "name": "石门二路",
        "line": [
            [121.4606, 31.2312],
            [121.4605, 31.2350],
            [121.4604, 31.2382],
            [121.4605, 31.2420],
            [121.4606, 31.2443],
        ],
    },
    {
        "name": "大田路",
        "line": [
            [121.4631, 31.2330],
            [121.4630, 31.2360],
            [121.4629, 31.2390],
            [121.4630, 31.2420],
        ],
    },
    {
        "name": "成都北路",
        "line": [
            [121.4677, 31.2310],
            [121.4678, 31.2350],
            [121.4677, 31.2385],
            [121.4676, 31.2437],
        ],
    },
]

BUILDINGS = [
    {
        "name": "苏河汇大楼",
        "road": "南苏州路",
        "number": "1306号",
        "floors": 12,
        "kind": "mixed",
        "lat": 31.243416,
        "lon": 121.45255,
    },
    {
        "name": "苏州河仓库创意园",
        "road": "南苏州路",
        "number": "1248号",
        "floors": 6,
        "kind": "office",
        "lat": 31.243854,
        "lon": 121.465455,
    },
    {
        "name": "昌平大厦",
        "road": "昌平路",
        "number": "99号",
        "floors": 18,
        "kind": "office",
        "lat": 31.240248,
        "lon": 121.454509,
    },
    {
        "name": "新闸大厦",
        "road": "新闸路",
        "number": "1007号",
        "floors": 26,
        "kind": "office",
        "lat": 31.238353,
        "lon": 121.458509,
    },
    {
        "name": "新闸商务中心",
        "road": "新闸路",
        "number": "838号",
        "floors": 31,
        "kind": "office",
        "lat": 31.237714,
        "lon": 121.464994,
    },
    {
        "name": "华盛大厦",
        "road": "新闸路",
        "number": "1124号",
        "floors": 28,
        "kind": "mixed",
        "lat": 31.23799,
        "lon": 121.453491,
    },
    {
        "name": "武定坊",
        "road": "武定路",
        "number": "586号",
        "floors": 8,
        "kind": "commercial",
        "lat": 31.236283,
        "lon": 121.454491,
    },
    {
        "name": "康定大厦",
        "road": "康定路",
        "number": "1102号",
        "floors": 24,
        "kind": "office",
        "lat": 31.234773,
        "lon": 121.45349,
    },
    {
        "name": "康定商务楼",
        "road": "康定路",
        "number": "979号",
        "floors": 17,
        "kind": "office",
        "lat": 31.235059,
        "lon": 121.458711,
    },
    {
        "name": "山海关路商务楼",
        "road": "山海关路",
        "number": "438号",
        "floors": 15,
        "kind": "office",
        "lat": 31.236085,
        "lon": 121.459789,
    },
    {
        "name": "奉贤大楼",
        "road": "奉贤路",
        "number": "67号",
        "floors": 11,
        "kind": "mixed",
        "lat": 31.234182,
        "lon": 121.46551,
    },
    {
        "name": "北京西路国际大厦",
        "road": "北京西路",
        "number": "1277号",
        "floors": 36,
        "kind": "office",
        "lat": 31.233281,
        "lon": 121.454509,
    },
    {
        "name": "北京西路商务中心",
        "road": "北京西路",
        "number": "1068号",
        "floors": 30,
        "kind": "office",
        "lat": 31.232527,
        "lon": 121.465492,
    },
    {
        "name": "南京西路商厦",
        "road": "南京西路",
        "number": "1157号",
        "floors": 8,
        "kind": "commercial",
        "lat": 31.231465,
        "lon": 121.454009,
    },
    {
        "name": "南京西路广场",
        "road": "南京西路",
        "number": "1025号",
        "floors": 42,
        "kind": "mixed",
        "lat": 31.231373,
        "lon": 121.461209,
    },
    {
        "name": "江宁商厦",
        "road": "江宁路",
        "number": "445号",
        "floors": 20,
        "kind": "commercial",
        "lat": 31.237205,
        "lon": 121.452218,
    },
    {
        "name": "泰兴科技楼",
        "road": "泰兴路",
        "number": "226号",
        "floors": 16,
        "kind": "office",
        "lat": 31.234005,
        "lon": 121.457521,
    },
    {
        "name": "泰兴大楼",
        "road": "泰兴路",
        "number": "481号",
        "floors": 14,
        "kind": "office",
        "lat": 31.242005,
        "lon": 121.458031,
    },
    {
        "name": "石门二路商务楼",
        "road": "石门二路",
        "number": "333号",
        "floors": 20,
        "kind": "office",
        "lat": 31.241495,
        "lon": 121.46075,
    },
    {
        "name": "石门大厦",
        "road": "石门二路",
        "number": "258号",
        "floors": 27,
        "kind": "mixed",
        "lat": 31.234495,
        "lon": 121.460229,
    },
    {
        "name": "大田路创意园",
        "road": "大田路",
        "number": "129号",
        "floors": 5,
        "kind": "office",
        "lat": 31.240492,
        "lon": 121.463265,
    },
    {
        "name": "大田商务中心",
        "road": "大田路",
        "number": "88号",
        "floors": 22,
        "kind": "office",
        "lat": 31.236994,
        "lon": 121.462714,
    },
    {
        "name": "成都北路大厦",
        "road": "成都北路",
        "number": "500号",
        "floors": 33,
        "kind": "office",
        "lat": 31.234005,
        "lon": 121.467481,
    },
    {
        "name": "西康大楼",
        "road": "西康路",
        "number": "125号",
        "floors": 12,
        "kind": "mixed",
        "lat": 31.233994,
        "lon": 121.451146,
    },
]

# --- the neighbour to the south, to prove one subdistrict's users see nothing of the other ---
_O_SW = (121.4505, 31.2241)
_O_C = (121.4593, 31.2242)
_O_SE = (121.4683, 31.2243)

OTHER_SUBDISTRICT = {
    "name": "南京西路街道",
    "code": "310106012",
    "boundary": _ring(_O_SW, _O_C, _O_SE, _E_S, _B_S, _C_S, _A_S, _W_S),
    "areas": [
        {
            "name": "威海片区",
            "code": "01",
            "boundary": _ring(_O_SW, _O_C, _O_SE, _E_S, _B_S, _C_S, _A_S, _W_S),
            "grids": [
                {
                    "name": "吴江网格",
                    "code": "0101",
                    "boundary": _ring(_O_SW, _O_C, _C_S, _A_S, _W_S),
                },
                {
                    "name": "威海网格",
                    "code": "0102",
                    "boundary": _ring(_O_C, _O_SE, _E_S, _B_S, _C_S),
                },
            ],
        }
    ],
    "roads": [
        {
            "name": "威海路",
            "line": [
                [121.4508, 31.2269],
                [121.4560, 31.2268],
                [121.4620, 31.2266],
                [121.4679, 31.2265],
            ],
        },
        {
            "name": "石门一路",
            "line": [[121.4605, 31.2245], [121.4606, 31.2270], [121.4607, 31.2305]],
        },
    ],
    "buildings": [
        {
            "name": "威海大厦",
            "road": "威海路",
            "number": "691号",
            "floors": 25,
            "kind": "office",
            "lat": 31.227072,
            "lon": 121.454006,
        },
        {
            "name": "威海商务中心",
            "road": "威海路",
            "number": "510号",
            "floors": 19,
            "kind": "mixed",
            "lat": 31.226333,
            "lon": 121.464995,
        },
        {
            "name": "石门一路大厦",
            "road": "石门一路",
            "number": "83号",
            "floors": 29,
            "kind": "office",
            "lat": 31.228495,
            "lon": 121.460906,
        },
    ],
}


def address(building: dict) -> str:
    """The postal address, e.g. ``上海市静安区石门二路333号``."""
    return f"上海市{DISTRICT['name']}{building['road']}{building['number']}"


def point_beside(
    line: list[list[float]],
    rng: random.Random,
    *,
    min_m: float,
    max_m: float,
    along: tuple[float, float] = (0.05, 0.95),
) -> tuple[float, float]:
    """(lat, lon) of a point `min_m`–`max_m` metres to one side of a random stretch of `line`.

    `line` is GeoJSON order ([lon, lat] pairs): shops stand beside their road, not on it.
    """
    i = rng.randrange(len(line) - 1)
    (lon1, lat1), (lon2, lat2) = line[i], line[i + 1]
    t = rng.uniform(*along)
    lon, lat = lon1 + t * (lon2 - lon1), lat1 + t * (lat2 - lat1)
    # Step perpendicular to the stretch, in metres converted back to degrees.
    dx, dy = (lon2 - lon1) * math.cos(math.radians(lat)), lat2 - lat1
    norm = math.hypot(dx, dy) or 1.0
    offset = rng.choice((-1, 1)) * rng.uniform(min_m, max_m) / 111_195
    return lat + offset * dx / norm, lon - offset * dy / norm / math.cos(math.radians(lat))
