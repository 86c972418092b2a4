"""The demo ledger: the seed's 2,063 market entities (389 street shops) and 58,782 workers.

Street shops stand along the roads; the other entities sit on floors of the buildings.
Deterministic for a seed.
"""

from __future__ import annotations

import random

from simple_history.utils import bulk_create_with_history

from jiequ.areas.models import Building, Region, Road
from jiequ.areas.services import find_grid
from jiequ.core.validators import CREDIT_CODE_CHARS, credit_code_check_char
from jiequ.demo.geography import point_beside
from jiequ.ledger.models import (
    Entity,
    EntityKind,
    EntityState,
    Industry,
    Ownership,
    Sector,
    SmallBusinessCategory,
)

ENTITIES = 2063
STREET_SHOPS = 389
WORKERS = 58782

BRANDS = [
    "鸿睿",
    "云帆",
    "金桥",
    "华盛",
    "瑞丰",
    "嘉禾",
    "博远",
    "新源",
    "安泰",
    "恒信",
    "汇通",
    "锦程",
    "明德",
    "同创",
    "聚福",
    "佳和",
    "天成",
    "宏图",
    "和美",
    "晨光",
    "悦来",
    "永盛",
    "兴业",
    "德润",
    "中恒",
    "东方",
    "海川",
    "星耀",
    "启明",
    "益达",
    "康宁",
    "润泽",
    "万象",
    "鼎盛",
    "裕隆",
    "蓝海",
]
SHOP_KINDS = [
    ("面馆", Industry.H),
    ("小吃", Industry.H),
    ("餐厅", Industry.H),
    ("咖啡", Industry.H),
    ("便利店", Industry.F),
    ("水果店", Industry.F),
    ("烟杂店", Industry.F),
    ("花店", Industry.F),
    ("理发店", Industry.O),
    ("洗衣店", Industry.O),
    ("宠物店", Industry.O),
    ("修鞋店", Industry.O),
    ("药房", Industry.F),
    ("眼镜店", Industry.F),
    ("文印店", Industry.L),
    ("健身工作室", Industry.R),
]
FIRM_KINDS = [
    ("信息科技", Industry.I),
    ("网络科技", Industry.I),
    ("企业管理咨询", Industry.L),
    ("文化传播", Industry.R),
    ("商务服务", Industry.L),
    ("投资管理", Industry.J),
    ("建筑设计", Industry.M),
    ("贸易", Industry.F),
    ("餐饮管理", Industry.H),
    ("人力资源", Industry.L),
    ("房地产经纪", Industry.K),
    ("教育科技", Industry.P),
    ("医疗科技", Industry.Q),
    ("物流", Industry.G),
    ("广告", Industry.L),
]
SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "周",
    "吴",
    "徐",
    "孙",
    "朱",
    "马",
    "胡",
    "郭",
    "林",
    "何",
    "高",
    "罗",
]


def credit_code(rng: random.Random, prefix: str = "9131") -> str:
    body = prefix + "0106" + "".join(rng.choice(CREDIT_CODE_CHARS) for _ in range(9))
    return body + credit_code_check_char(body)


def _state(rng: random.Random) -> str:
    return rng.choices(
        [
            EntityState.OPERATING,
            EntityState.CLOSED,
            EntityState.MOVED,
            EntityState.NOT_FOUND,
            EntityState.UNVERIFIED,
        ],
        weights=[90, 3, 2, 2, 3],
    )[0]


def build_ledger(subdistrict: Region, rng: random.Random) -> int:
    """Create the demo entities of `subdistrict`; returns how many."""
    roads = list(Road.objects.filter(subdistrict=subdistrict).order_by("name"))
    buildings = list(
        Building.objects.filter(subdistrict=subdistrict).select_related("region").order_by("name")
    )
    entities: list[Entity] = []
    used_codes: set[str] = set()
    used_names: set[str] = set()

    def unique_code(prefix: str) -> str:
        while True:
            code = credit_code(rng, prefix)
            if code not in used_codes:
                used_codes.add(code)
                return code

    while len(entities) < STREET_SHOPS:
        road = rng.choice(roads)
        lat, lon = point_beside(road.line["coordinates"], rng, min_m=12, max_m=25)
        grid = find_grid(lat, lon, within=subdistrict)
        if grid is None:
            continue
        kind_word, industry = rng.choice(SHOP_KINDS)
        individual = rng.random() < 0.6
        trade = rng.choice(SURNAMES) + "记" if individual else rng.choice(BRANDS)
        number = f"{rng.randrange(1, 1500)}号"
        sign = f"{trade}{kind_word}"
        if individual:
            name = f"上海市静安区{sign}（个体工商户）" if rng.random() < 0.8 else ""
        else:
            trade_word = "餐饮管理" if industry == Industry.H else "商贸"
            name = f"上海{trade}{trade_word}有限公司{road.name}店"
        if (name or sign) in used_names:
            continue
        used_names.add(name or sign)
        entities.append(
            Entity(
                name=name,
                sign_name=sign,
                credit_code=unique_code("9231" if individual else "9131") if name else "",
                kind=EntityKind.INDIVIDUAL if individual else EntityKind.ENTERPRISE,
                ownership=Ownership.NON_PUBLIC,
                industry=industry,
                road=road,
                number=number,
                address=f"上海市静安区{road.name}{number}",
                lat=round(lat, 6),
                lon=round(lon, 6),
                region=grid,
                state=_state(rng),
                is_street_shop=True,
                sector="" if individual else Sector.NON_PUBLIC_ENTERPRISE,
                small_business=(
                    SmallBusinessCategory.INDIVIDUAL if individual else SmallBusinessCategory.SMALL
                ),
                worker_count=rng.randint(1, 12),
                member_count=0,
            )
        )

    while len(entities) < ENTITIES:
        building = rng.choice(buildings)
        kind_word, industry = rng.choice(FIRM_KINDS)
        social = rng.random() < 0.04
        brand = rng.choice(BRANDS) + rng.choice(BRANDS)[0]
        if social:
            name = (
                f"上海市静安区{brand}{rng.choice(['社会工作服务社', '公益发展中心', '志愿者协会'])}"
            )
        else:
            name = f"上海{brand}{kind_word}有限公司"
        if name in used_names:
            continue
        used_names.add(name)
        ownership = rng.choices(
            [Ownership.NON_PUBLIC, Ownership.MIXED, Ownership.STATE], weights=[88, 8, 4]
        )[0]
        sector = (
            Sector.NEW_SOCIAL
            if social
            else Sector.NEW_ECONOMIC
            if industry == Industry.I
            else Sector.MIXED_ENTERPRISE
            if ownership == Ownership.MIXED
            else Sector.NON_PUBLIC_ENTERPRISE
            if ownership == Ownership.NON_PUBLIC
            else ""
        )
        floor = f"{rng.randint(1, building.floors)}楼"
        entities.append(
            Entity(
                name=name,
                sign_name="",
                credit_code=unique_code("5231" if social else "9131"),
                kind=EntityKind.SOCIAL_ORG if social else EntityKind.ENTERPRISE,
                ownership=ownership,
                industry=Industry.S if social else industry,
                road=building.road,
                number=building.number,
                address=f"{building.address}{floor}",
                building=building,
                floor=floor,
                lat=building.lat,
                lon=building.lon,
                region=building.region,
                state=_state(rng),
                is_street_shop=False,
                sector=sector,
                small_business=SmallBusinessCategory.SMALL if rng.random() < 0.5 else "",
                worker_count=max(1, int(rng.lognormvariate(3.0, 0.9))),
                member_count=0,
            )
        )

    _fit_workers(entities, rng)
    _place_members(entities, rng)
    bulk_create_with_history(entities, Entity, batch_size=500)
    return len(entities)


def _fit_workers(entities: list[Entity], rng: random.Random) -> None:
    """Scale the office workforce so the ledger holds exactly the seed's 58,782 workers."""
    offices = [e for e in entities if not e.is_street_shop]
    shop_workers = sum(e.worker_count for e in entities if e.is_street_shop)
    target = WORKERS - shop_workers
    factor = target / sum(e.worker_count for e in offices)
    for e in offices:
        e.worker_count = max(1, round(e.worker_count * factor))
    difference = target - sum(e.worker_count for e in offices)
    while difference:
        e = rng.choice(offices)
        step = 1 if difference > 0 else -1
        if e.worker_count + step >= 1:
            e.worker_count += step
            difference -= step


def _place_members(entities: list[Entity], rng: random.Random) -> None:
    """About one worker in forty is a Party member, more of them in larger firms."""
    for e in entities:
        expected = e.worker_count / 40
        e.member_count = min(e.worker_count, int(expected + rng.random() * (1 + expected)))
