"""The demo's year of demands (cases): the chain branch visit → council → grid consultation →
district platform, and the seed's headline — the share of cases the subdistrict sends up to the
district fell about 60% after the pilot started.

The year (the 12 months before this one, and this month so far) falls in two halves:

- **before the pilot** (the first 6 months): no branch visits and no councils yet. Demands come
  by the 12345 hotline, from staff and by QR code, are received by the grids, and a quarter of
  them go up to the district platform;
- **the pilot** (from the 1st of the 7th month, about 7 months ago): branch secretaries visit the
  shops, councils deliberate, the grid consults the departments. More demands come in (visits,
  QR codes, councils), most are solved at the branch or in a council, and the share sent up to
  the district falls from about 25% to about 10% in the last months.

Among them: 250+ matters solved by the street and building councils (off-peak parking among
them), 50+ long-standing hard cases solved by the 3 street-block branches on the secretaries'
visits (complex matters, marked 老大难), grid consultations with the departments, cases sent to
the district (most answered, some returned, some still there); open, overdue, suspended,
returned, reopened cases; ratings on most closed ones. Every step is a CaseEvent.

Council-level cases name a council built by jiequ.demo.councils.build_councils (run it first);
without councils the council step is left out. Deterministic for a seed and a day; written with
bulk_create (a second or two).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from jiequ.accounts.models import User
from jiequ.accounts.roles import Role
from jiequ.areas.models import Region, RegionLevel
from jiequ.cases import deadlines
from jiequ.cases.models import (
    Case,
    CaseCategory,
    CaseEvent,
    Level,
    RequestType,
    Source,
    State,
)
from jiequ.core import crypto
from jiequ.ledger.models import Entity, EntityState

from .people import People, add_months, aware, month_start

PILOT_AFTER_MONTHS = 6  # the pilot starts 6 months into the year shown
# Cases received per month before the pilot, and in each pilot month (the last is this month).
BEFORE_PER_MONTH = (48, 58)
PILOT_PER_MONTH = [112, 124, 134, 140, 146, 150, 150]
# The share of a month's cases sent up to the district.
BEFORE_DISTRICT_SHARE = 0.25
PILOT_DISTRICT_SHARE = [0.17, 0.13, 0.11, 0.10, 0.10, 0.10, 0.09]
HARD_PER_MONTH = 10  # long-standing problems solved by the street-block branches
COUNCIL_PER_MONTH = 50  # matters taken up by a council
DISTRICT_BY_DAY = 14  # cases that go all the way up start early in the month (see _Story)
CONSENT = "同意街道及相关部门为处理本诉求联系我，并在办结后回访（演示数据）。"
PLATFORM = "区城运平台"

# Titles and descriptions per category code: (title, what the shop said). {shop} {road}
TEXTS: dict[str, list[tuple[str, str]]] = {
    "S0201": [
        (
            "顾客停车难，申请周边小区错峰停车",
            "{shop}反映门前无停车位，顾客开车来店无处停，希望协调附近小区夜间车位白天错峰开放。",
        ),
        (
            "{road}商户希望共享写字楼夜间车位",
            "{road}沿线多家餐饮店晚市客人停车难，建议协调周边楼宇地库晚间错峰停车。",
        ),
        ("员工停车难，申请错峰停车月卡", "{shop}员工上班开车无处停放，希望街道协调错峰停车月卡。"),
    ],
    "S0202": [
        (
            "申请设置装卸货临时停靠点",
            "{shop}每天上午进货，货车在门前停靠常被贴罚单，希望划设临时装卸点。",
        ),
    ],
    "C0303": [
        ("店招更换审批咨询", "{shop}准备更换店招，不清楚审批流程和样式要求，希望指导。"),
        ("店招破损存在坠落隐患", "{shop}相邻门店店招边框松动，刮风时晃动，担心坠落伤人。"),
        ("统一店招样式影响辨识度", "{road}店招统一改造后字号偏小，顾客找不到店，希望适当调整。"),
    ],
    "E0104": [
        ("外摆位设置规范咨询", "{shop}希望在门前设置少量外摆桌椅，咨询{road}外摆试点的申请条件。"),
        ("周边门店跨门营业影响通行", "{road}有门店在人行道堆放货架经营，行人只能走机动车道。"),
    ],
    "E0201": [
        ("{road}路口无证设摊", "{road}路口傍晚有流动摊贩设摊，影响周边门店经营和通行。"),
    ],
    "E0106": [
        (
            "垃圾定时投放时间与营业时间冲突",
            "{shop}晚上十点打烊，小区垃圾箱房九点关闭，湿垃圾无处投放。",
        ),
        ("申请调整湿垃圾收运时间", "{road}餐饮店湿垃圾量大，收运车下午才来，夏天气味重。"),
        ("商户垃圾分类收费标准咨询", "{shop}咨询沿街商户垃圾清运收费标准和签约方式。"),
    ],
    "E0501": [
        ("夜间经营噪声扰民", "楼上居民反映{shop}晚间音响声音过大，影响休息。"),
        ("空调外机噪声投诉", "{shop}新装空调外机正对居民窗户，夜间噪声大。"),
    ],
    "E0105": [
        ("餐饮油烟扰民", "居民反映{shop}油烟直排，气味进入楼上住户。"),
    ],
    "C0103": [
        (
            "门前雨水箅子堵塞，雨天积水",
            "{shop}门前雨水箅子被落叶和垃圾堵住，下雨时积水漫到店门口。",
        ),
    ],
    "E0401": [
        ("{road}路面积水", "{road}低洼路段一下大雨就积水，{shop}门前积水没过脚踝。"),
        ("人行道局部塌陷", "{shop}门前人行道出现塌陷，存在安全隐患。"),
    ],
    "E0402": [
        ("下水道返味堵塞", "{shop}后厨下水道经常堵塞返味，物业称是市政管道问题。"),
        ("突发停水影响经营", "{shop}所在楼栋突然停水，餐饮无法营业，希望尽快协调恢复。"),
    ],
    "S0105": [
        (
            "房租上涨压力大，希望协调业主",
            "{shop}续租时房东要求上涨三成租金，经营压力大，希望街道帮助协调。",
        ),
        ("物业费分摊争议", "{shop}对物业公共区域电费分摊方式有异议，多次沟通未果。"),
    ],
    "S0101": [
        ("食品经营许可证延续办理", "{shop}食品经营许可证即将到期，咨询延续办理材料和时限。"),
        ("营业执照地址变更咨询", "{shop}准备搬到隔壁铺面，咨询营业执照地址变更流程。"),
        ("小餐饮登记证办理咨询", "{shop}咨询小餐饮临时登记证的办理条件。"),
    ],
    "S0102": [
        ("小微企业减税政策咨询", "{shop}咨询今年小微企业和个体户的减税降费政策。"),
        ("稳岗补贴申领咨询", "{shop}咨询稳岗补贴申领条件和渠道。"),
    ],
    "S0104": [
        ("招工难，希望对接就业服务", "{shop}长期缺服务员和厨师，希望对接街道就业服务站。"),
    ],
    "E0202": [
        ("门前共享单车堆积影响经营", "{shop}门前共享单车乱停，顾客进出不便。"),
        ("非机动车乱停放", "{road}人行道电动自行车停放杂乱。"),
    ],
    "C0105": [
        ("路灯不亮", "{road}一段路灯连续多晚不亮，{shop}晚间营业时门前很暗。"),
    ],
    "C0204": [
        ("人行道板松动", "{shop}门前人行道板松动，下雨踩上去溅水。"),
    ],
    "E0301": [
        ("施工扰民", "{road}夜间施工噪声大，影响周边商户和居民。"),
    ],
    "E0302": [
        ("道路开挖后未恢复", "{road}管线开挖后路面未恢复，坑洼影响通行。"),
    ],
    "S0401": [
        ("商户与楼上居民矛盾调解", "{shop}与楼上居民因排风口位置产生矛盾，希望居委会和街道调解。"),
    ],
    "S0301": [
        ("申请增容供电", "{shop}增加设备后经常跳闸，申请协调供电增容。"),
    ],
    "S0303": [
        ("希望增设公共休息座椅", "{road}步行街段缺少休息座椅，顾客和骑手无处歇脚。"),
    ],
    "S0502": [
        ("快递小哥希望有歇脚充电点", "{road}附近快递外卖小哥较多，希望增设歇脚、充电、饮水点。"),
    ],
}
# How often each category comes up (the seed's examples first).
WEIGHTS: dict[str, int] = {
    "S0201": 14,
    "S0202": 4,
    "C0303": 9,
    "E0104": 8,
    "E0201": 4,
    "E0106": 9,
    "E0501": 6,
    "E0105": 4,
    "C0103": 5,
    "E0401": 4,
    "E0402": 4,
    "S0105": 7,
    "S0101": 7,
    "S0102": 4,
    "S0104": 3,
    "E0202": 5,
    "C0105": 3,
    "C0204": 2,
    "E0301": 2,
    "E0302": 2,
    "S0401": 3,
    "S0301": 2,
    "S0303": 2,
    "S0502": 3,
}
# Long-standing problems a branch secretary solved on the visits (老大难).
HARD: list[tuple[str, str, str]] = [
    (
        "S0201",
        "老大难：{road}沿街商户多年停车难",
        "书记走访协调周边两个小区和一栋写字楼，开放错峰车位",
    ),
    ("E0106", "老大难：商户湿垃圾无处投放", "书记协调物业延长箱房开放时间，商户签订收运协议"),
    ("C0303", "老大难：店招审批久拖未决", "书记陪同商户对接城管，一周内完成店招备案"),
    ("S0105", "老大难：房东拖欠押金纠纷", "书记联系房东多次沟通，双方签订退还协议"),
    ("E0402", "老大难：后厨下水道反复堵塞", "书记协调物业和排水公司疏通并改造管道"),
    ("E0104", "老大难：门前外摆长期无序", "书记组织相邻商户约定外摆边界并签承诺书"),
    ("S0401", "老大难：油烟与楼上居民积怨", "书记召集商户和居民面对面协商，商户加装净化器"),
    ("S0301", "老大难：老旧门面用电容量不足", "书记协调供电所上门勘查并完成增容"),
]
RESOLUTIONS: dict[str, list[str]] = {
    Level.BRANCH: [
        "支部书记走访当场协调解决，商户表示满意。",
        "支部委员联系相关部门当天答复，问题已解决。",
        "走访时现场指导商户办理，已完成。",
    ],
    Level.COUNCIL: [
        "经{council}议事协商，相关各方达成一致，已落实。",
        "{council}召集商户、物业和居民代表协商，形成方案并执行完毕。",
        "{council}议定整改措施，商户按期完成。",
    ],
    Level.GRID: [
        "网格会商，城管、市场监管、派出所联合处置完毕。",
        "网格会商协调城运中心派单，相关部门已处置。",
        "网格会商明确责任单位，已整改到位。",
    ],
    Level.DISTRICT: [
        "区城运平台派单至区职能部门，已处置完毕。",
        "区城运平台协调区级部门答复并处理。",
    ],
}
TRIED: dict[str, list[str]] = {
    Level.BRANCH: [
        "支部书记走访两次，与物业、业主沟通未果，需多方协商。",
        "支部已联系商户和相邻单位，涉及多个主体，支部层面无法协调。",
    ],
    Level.COUNCIL: [
        "议事会两次协商，涉及执法和市政权限，需部门会商。",
        "议事会形成初步方案，但需城管、市场监管等部门配合。",
    ],
    Level.GRID: [
        "网格会商后，涉及区级部门职责，街道层面无法解决。",
        "会商部门均表示超出权限，需区城运平台协调。",
    ],
}
REASONS: dict[str, list[str]] = {
    Level.COUNCIL: ["需商户、物业、居民多方协商", "涉及相邻多家商户的共同问题"],
    Level.GRID: ["需城管、市场监管等部门会商处置", "需多部门联合执法"],
    Level.DISTRICT: ["涉及区级部门职责", "需区级部门审批或出资"],
}
RATING_COMMENTS = {
    5: ["处理及时，非常满意", "书记亲自跑了好几趟，感谢", "问题彻底解决了"],
    4: ["基本满意", "解决了，就是时间长了点", "态度很好"],
    3: ["一般", "解决了一部分"],
    2: ["处理太慢"],
    1: ["问题没有解决"],
}
REPORTER_SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"


@dataclass
class CasesSummary:
    cases: int = 0
    events: int = 0
    council_solved: int = 0
    branch_hard_solved: int = 0
    sent_to_district: int = 0
    pilot_start: dt.date | None = None
    by_state: Counter = field(default_factory=Counter)


@dataclass
class _Place:
    entity: Entity | None
    region: Region
    organisation: Any
    lat: Any
    lon: Any
    address: str
    road: str
    name: str


class CaseWriter:
    """Writes demo cases with their timelines (used by build_cases and the survey demo)."""

    def __init__(self, subdistrict: Region, rng: random.Random) -> None:
        from jiequ.councils.models import Council, CouncilKind
        from jiequ.party.models import Category, CoverageLink, Officer, OfficerRole

        self.rng = rng
        self.people = People(rng)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.subdistrict = subdistrict
        self.start = add_months(month_start(self.today), -12)
        self.pilot = add_months(self.start, PILOT_AFTER_MONTHS)
        self.categories = {c.code: c for c in CaseCategory.objects.all()}
        self.grids = list(
            Region.objects.filter(path__startswith=subdistrict.path, level=RegionLevel.GRID)
        )
        entities = list(
            Entity.objects.filter(
                region__path__startswith=subdistrict.path, state=EntityState.OPERATING
            )
            .select_related("road", "region")
            .order_by("pk")
        )
        self.shops = [e for e in entities if e.is_street_shop]
        self.others = [e for e in entities if not e.is_street_shop]
        preference = {"own": 0, "joint": 1, "attached": 2, "area": 3}
        links = CoverageLink.objects.filter(
            entity__in=entities, organisation__dissolved_on__isnull=True
        ).select_related("organisation")
        best: dict[int, tuple[int, Any]] = {}
        for link in links:
            rank = preference.get(link.kind, 9)
            if link.entity_id not in best or rank < best[link.entity_id][0]:
                best[link.entity_id] = (rank, link.organisation)
        self.branch_of = {pk: org for pk, (_rank, org) in best.items()}
        self.street_blocks = {
            org.pk: org
            for org in {o for _r, o in best.values()}
            if org.category == Category.STREET_BLOCK
        }
        self.block_shops = [
            e
            for e in self.shops
            if getattr(self.branch_of.get(e.pk), "pk", None) in self.street_blocks
        ]
        secretaries = Officer.objects.filter(
            organisation_id__in=list(self.street_blocks),
            role=OfficerRole.SECRETARY,
            ended_on__isnull=True,
        ).select_related("member", "cadre")
        self.secretary_names = {o.organisation_id: o.person_name for o in secretaries}
        users = list(User.objects.filter(is_active=True).select_related("scope_region"))
        self.secretary_users = {
            u.scope_organisation_id: u
            for u in users
            if u.role == Role.BRANCH_SECRETARY and u.scope_organisation_id
        }
        self.grid_workers: dict[int, User] = {}
        for u in sorted(users, key=lambda u: u.username):
            if u.role == Role.GRID_WORKER and u.scope_region_id:
                self.grid_workers.setdefault(u.scope_region_id, u)
        inside = [
            u
            for u in users
            if u.scope_region is not None and u.scope_region.path.startswith(subdistrict.path)
        ]
        self.staff = next(
            (u for u in inside if u.role == Role.SUBDISTRICT_STAFF),
            next((u for u in inside if u.role == Role.SUBDISTRICT_ADMIN), None),
        )
        councils = list(
            Council.objects.filter(region__path__startswith=subdistrict.path, is_active=True)
            .exclude(kind=CouncilKind.GRID)
            .select_related("region")
            .order_by("pk")
        )
        self.councils = councils
        self.council_by_road: dict[int, list[Any]] = defaultdict(list)
        self.council_by_building: dict[int, list[Any]] = defaultdict(list)
        for c in councils:
            if c.road_id:
                self.council_by_road[c.road_id].append(c)
            if c.building_id:
                self.council_by_building[c.building_id].append(c)
        # Numbers run per day; go on from any cases already there.
        self.numbers: Counter = Counter()
        for number in Case.objects.values_list("number", flat=True):
            day, _dash, seq = number.partition("-")
            if seq.isdigit() and len(day) == 8 and day.isdigit():
                key = dt.date(int(day[:4]), int(day[4:6]), int(day[6:]))
                self.numbers[key] = max(self.numbers[key], int(seq))
        self.cases: list[Case] = []
        self.events: list[list[CaseEvent]] = []

    # --- places, people, texts -----------------------------------------------------------------

    def place(self, *, shop: bool = True, entity: Entity | None = None) -> _Place:
        rng = self.rng
        if entity is None and (shop or rng.random() < 0.6):
            pool = self.shops if shop or not self.others else self.others
            entity = rng.choice(pool)
        if entity is not None:
            org = self.branch_of.get(entity.pk)
            return _Place(
                entity,
                entity.region,
                org,
                entity.lat,
                entity.lon,
                entity.address,
                entity.road.name if entity.road_id else "",
                entity.sign_name or entity.name,
            )
        grid = rng.choice(self.grids)
        return _Place(None, grid, None, None, None, f"{grid.name}内", "", "周边商户")

    def council_for(self, place: _Place) -> Any:
        if not self.councils:
            return None
        entity = place.entity
        if entity is not None:
            if entity.building_id and self.council_by_building.get(entity.building_id):
                return self.council_by_building[entity.building_id][0]
            if entity.road_id and self.council_by_road.get(entity.road_id):
                return self.council_by_road[entity.road_id][0]
        near = [c for c in self.councils if place.region.path.startswith(c.region.path)]
        return self.rng.choice(near or self.councils)

    def texts(self, code: str, place: _Place) -> tuple[str, str]:
        title, description = self.rng.choice(TEXTS[code])
        road = place.road or "周边道路"
        return (
            title.format(shop=place.name, road=road)[:100],
            description.format(shop=place.name, road=road),
        )

    def category_code(self) -> str:
        codes = [c for c in WEIGHTS if c in self.categories]
        return self.rng.choices(codes, weights=[WEIGHTS[c] for c in codes])[0]

    def branch_actor(self, org: Any) -> tuple[User | None, str]:
        if org is not None and org.pk in self.secretary_users:
            return self.secretary_users[org.pk], ""
        if org is not None and org.pk in self.secretary_names:
            return None, f"{self.secretary_names[org.pk]}（{org.name}书记）"[:50]
        return self.staff, ""

    def grid_actor(self, region: Region) -> tuple[User | None, str]:
        worker = self.grid_workers.get(region.pk)
        return (worker, "") if worker else (self.staff, "")

    def number(self, day: dt.date) -> str:
        self.numbers[day] += 1
        return f"{day:%Y%m%d}-{self.numbers[day]:04d}"

    def token(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    # --- one case -----------------------------------------------------------------------------

    def case(
        self,
        received_at: dt.datetime,
        *,
        source: str,
        path: list[str],
        outcome: str,
        place: _Place | None = None,
        code: str | None = None,
        hard: tuple[str, str, str] | None = None,
        district_end: str = "closed",
        month_end: dt.datetime | None = None,
        urgent: bool = False,
        texts: tuple[str, str] | None = None,
    ) -> Case:
        """One case walking `path` (levels, the first is where it was received) and ending in
        `outcome` (a state: closed, resolved, in_progress, …) at the last level."""
        rng = self.rng
        place = place or self.place(shop=source in (Source.VISIT, Source.QR, Source.COUNCIL))
        if hard is not None:
            code, title_text, fix = hard
            title = title_text.format(road=place.road or "周边道路")[:100]
            description = f"{place.name}反映的多年老问题：{self.texts(code, place)[1]}"
            request_type = RequestType.COMPLEX
        else:
            code = code or self.category_code()
            title, description = texts or self.texts(code, place)
            request_type = rng.choices(
                [
                    RequestType.REQUEST,
                    RequestType.COMPLAINT,
                    RequestType.ENQUIRY,
                    RequestType.COMPLEX,
                ],
                weights=[60, 22, 12, 6],
            )[0]
            if code in ("S0101", "S0102"):
                request_type = RequestType.ENQUIRY
            fix = ""
        category = self.categories[code]
        first = path[0]
        council = None
        if Level.COUNCIL in path:
            council = self.council_for(place)
            if council is None:  # no councils built: the case skips that step
                path = [p for p in path if p != Level.COUNCIL] or [Level.BRANCH]
                first = path[0]
        organisation = place.organisation
        reporter = rng.random() < (0.75 if source in (Source.QR, Source.HOTLINE) else 0.45)
        case = Case(
            number=self.number(timezone.localdate(received_at)),
            source=source,
            request_type=request_type,
            category=category,
            title=title,
            description=description,
            entity=place.entity,
            lat=place.lat,
            lon=place.lon,
            address=place.address[:200],
            region=place.region,
            level=first,
            organisation=organisation,
            council=council if first == Level.COUNCIL else None,
            state=State.RECEIVED,
            received_at=received_at,
            level_since=received_at,
            follow_token=self.token(),
            is_urgent=urgent,
            urgent_reason="积水倒灌店内，影响营业和安全，需立即处置" if urgent else "",
        )
        if reporter:
            case.reporter_name = rng.choice(REPORTER_SURNAMES) + rng.choice(
                ["先生", "女士", "老板"]
            )
            phone = self.people.phone(rng.choice(["139", "138", "137", "186", "135"]))
            case.phone_encrypted = crypto.encrypt(phone)
            case.phone_hash = crypto.lookup_hash(phone)
            case.consent_text = CONSENT
            case.consent_at = received_at
        story = _Story(self, case, received_at, month_end)
        story.receive(source)
        level_actor = self.level_actor(first, place, council)
        story.assign_and_start(level_actor, stop=outcome if len(path) == 1 else None)
        for i, level in enumerate(path[1:], start=1):
            last = i == len(path) - 1
            from_level = path[i - 1]
            story.escalate(
                level,
                reason=rng.choice(REASONS[level]),
                tried=rng.choice(TRIED[from_level]),
                actor=self.level_actor(from_level, place, council),
                council=council if level == Level.COUNCIL else None,
                urgent=urgent and level == Level.GRID and from_level == Level.BRANCH,
            )
            if level == Level.DISTRICT:
                if district_end == "returned":
                    # The platform sends it back: the grid consultation solves it after all.
                    story.district_return()
                    story.assign_and_start(self.level_actor(Level.GRID, place, council))
                    story.finish(outcome, self.level_actor(Level.GRID, place, council), Level.GRID)
                    break
                if district_end == "open":
                    story.platform_accepts()
                    break
                story.platform_accepts()
                story.finish(outcome, (None, PLATFORM), Level.DISTRICT)
                break
            story.assign_and_start(
                self.level_actor(level, place, council), stop=outcome if last else None
            )
            if last:
                story.finish(outcome, self.level_actor(level, place, council), level, fix=fix)
        else:
            if len(path) == 1:
                story.finish(outcome, level_actor, first, fix=fix)
        story.done()
        return case

    def level_actor(self, level: str, place: _Place, council: Any) -> tuple[User | None, str]:
        if level == Level.BRANCH:
            return self.branch_actor(place.organisation)
        if level == Level.COUNCIL:
            return None, (council.name if council else "议事会")[:50]
        if level == Level.GRID:
            return self.grid_actor(place.region)
        return None, PLATFORM

    # --- writing -------------------------------------------------------------------------------

    def save(self) -> tuple[int, int]:
        saved = bulk_create_with_history(self.cases, Case, batch_size=500)
        if saved and saved[0].pk is None:  # back-ends that return no keys
            by_number = dict(
                Case.objects.filter(number__in=[c.number for c in self.cases]).values_list(
                    "number", "pk"
                )
            )
            for case in self.cases:
                case.pk = by_number[case.number]
        rows = []
        for case, events in zip(self.cases, self.events, strict=True):
            for event in events:
                event.case_id = case.pk
                rows.append(event)
        CaseEvent.objects.bulk_create(rows, batch_size=2000)
        return len(self.cases), len(rows)


class _Story:
    """Writes one case's timeline and keeps the case's fields in step with it."""

    def __init__(
        self, builder: CaseWriter, case: Case, at: dt.datetime, month_end: dt.datetime | None
    ) -> None:
        self.b = builder
        self.rng = builder.rng
        self.case = case
        self.at = at
        # A district escalation stays in the month it was received in (the figures count it
        # there), and nothing happens after now.
        self.month_end = month_end
        self.events: list[CaseEvent] = []

    def later(
        self, low_hours: float, high_hours: float, *, keep_month: bool = False
    ) -> dt.datetime:
        step = dt.timedelta(hours=self.rng.uniform(low_hours, high_hours))
        at = self.at + step
        limit = self.b.now - dt.timedelta(minutes=5)
        if keep_month and self.month_end is not None:
            limit = min(limit, self.month_end - dt.timedelta(minutes=30))
        if at > limit:
            # Squeeze the remaining steps into the time left (never past the limit).
            room = limit - self.at
            at = self.at + room * self.rng.uniform(0.1, 0.5) if room > dt.timedelta(0) else self.at
        self.at = at
        return at

    def event(
        self,
        action: str,
        *,
        actor: tuple[User | None, str],
        to_state: str = "",
        to_level: str = "",
        reason: str = "",
        tried: str = "",
        public: bool = True,
    ) -> None:
        case = self.case
        self.events.append(
            CaseEvent(
                at=self.at,
                actor=actor[0],
                actor_label=actor[1],
                action=action,
                from_state=case.state if action != "receive" else "",
                to_state=to_state or case.state,
                from_level=case.level if action != "receive" else "",
                to_level=to_level or case.level,
                reason=reason,
                tried=tried,
                is_public=public,
            )
        )
        if to_state:
            case.state = to_state
        if to_level:
            case.level = to_level

    def restart_clock(self) -> None:
        case = self.case
        case.level_since = self.at
        days = deadlines.DEFAULT_DAYS.get(case.request_type, 5)
        case.due_on = _due(timezone.localdate(self.at), days)

    def receive(self, source: str) -> None:
        case = self.case
        self.restart_clock()
        if source == Source.HOTLINE:
            actor: tuple[User | None, str] = (None, str(Source.HOTLINE.label))
        elif source == Source.QR:
            actor = (None, "反映人")
        elif source == Source.VISIT:
            actor = self.b.branch_actor(case.organisation)
        else:
            actor = (self.b.staff, "")
        case.created_by = actor[0]
        self.event(
            "receive",
            actor=actor,
            to_state=State.RECEIVED,
            to_level=case.level,
            reason=str(Source(source).label),
        )

    def assign_and_start(self, actor: tuple[User | None, str], stop: str | None = None) -> None:
        if stop == State.RECEIVED:
            return
        self.later(0.5, 8)
        if actor[0] is not None:
            self.case.assignee = actor[0]
        self.event(
            "assign",
            actor=(self.b.staff, "") if actor[0] else actor,
            to_state=State.ASSIGNED,
            reason=f"指派{actor[0] or actor[1]}",
        )
        if stop == State.ASSIGNED:
            return
        self.later(1, 30)
        self.event("start", actor=actor, to_state=State.IN_PROGRESS)

    def escalate(
        self,
        level: str,
        *,
        reason: str,
        tried: str,
        actor: tuple[User | None, str],
        council: Any = None,
        urgent: bool = False,
    ) -> None:
        case = self.case
        to_district = level == Level.DISTRICT
        # Cases bound for the district move fast enough to reach it in the month received.
        hours = (12, 60) if self.month_end is not None else (24, 24 * 6)
        self.later(*hours, keep_month=to_district)
        if council is not None:
            case.council = council
            reason = f"{reason}，提交{council.name}议事"
        if urgent:
            reason = f"紧急：{case.urgent_reason}"
        self.event(
            "escalate",
            actor=actor,
            to_state=State.RECEIVED,
            to_level=level,
            reason=reason,
            tried=tried,
        )
        case.assignee = None
        self.restart_clock()
        if to_district:
            case.escalated_to_district_at = self.at
            case.district_reference = f"JA{self.at:%Y%m%d}{self.rng.randrange(10**5):05d}"

    def platform_accepts(self) -> None:
        self.later(2, 20)
        self.event(
            "start",
            actor=(None, PLATFORM),
            to_state=State.IN_PROGRESS,
            reason=f"平台受理，编号{self.case.district_reference}",
        )

    def district_return(self) -> None:
        self.later(24, 24 * 4)
        self.event(
            "return",
            actor=(None, PLATFORM),
            to_state=State.RETURNED,
            to_level=Level.GRID,
            reason="属街道职责范围，退回街道网格处置",
        )
        self.restart_clock()

    def finish(
        self, outcome: str, actor: tuple[User | None, str], level: str, fix: str = ""
    ) -> None:
        """Take the case from in progress to `outcome`."""
        case, rng = self.case, self.rng
        if outcome in (State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS):
            return
        if outcome == State.SUSPENDED:
            self.later(24, 72)
            case.state_before_suspension = case.state
            case.suspension_reason = rng.choice(
                ["等待业主答复", "商户店铺装修暂停营业", "等待区级部门审批结果"]
            )
            case.suspended_at = self.at
            self.event(
                "suspend", actor=actor, to_state=State.SUSPENDED, reason=case.suspension_reason
            )
            return
        if outcome == State.RETURNED:
            # The council finds it is the branch's to solve and sends it back down.
            self.later(24, 72)
            below = Level.BRANCH if level == Level.COUNCIL else Level.COUNCIL
            self.event(
                "return",
                actor=actor,
                to_state=State.RETURNED,
                to_level=below,
                reason="经议事会研究，属支部可自行协调事项，退回支部继续办理",
            )
            case.assignee = None
            self.restart_clock()
            return
        resolution = fix or rng.choice(RESOLUTIONS[level]).format(
            council=case.council.name if case.council_id or case.council else "议事会"
        )
        hours = (4, 24 * 4) if level == Level.BRANCH else (24, 24 * 12)
        if case.request_type == RequestType.COMPLEX:
            hours = (24 * 3, 24 * 20)
        self.later(*hours)
        case.resolution = resolution
        case.resolved_at = self.at
        self.event("resolve", actor=actor, to_state=State.RESOLVED, reason=resolution)
        if outcome == State.RESOLVED:
            return
        self.close(actor, level)
        if outcome == State.REOPENED:
            self.later(24, 24 * 5)
            case.resolved_at = None
            case.closed_at = None
            case.solved_level = ""
            self.event(
                "reopen",
                actor=(None, "反映人"),
                to_state=State.REOPENED,
                reason="反映人称问题再次出现",
            )
            self.restart_clock()
            return
        if outcome == "reclosed":
            # Reopened once, then solved for good.
            self.later(24, 24 * 5)
            case.resolved_at = case.closed_at = None
            case.solved_level = ""
            self.event(
                "reopen",
                actor=(None, "反映人"),
                to_state=State.REOPENED,
                reason="反映人称问题再次出现",
            )
            self.restart_clock()
            self.later(24, 24 * 4)
            case.resolved_at = self.at
            self.event(
                "resolve", actor=actor, to_state=State.RESOLVED, reason="再次处置，已彻底解决。"
            )
            self.close(actor, level)
        self.rate()

    def close(self, actor: tuple[User | None, str], level: str) -> None:
        self.later(6, 48)
        case = self.case
        case.closed_at = self.at
        case.solved_level = level
        verifier = (self.b.staff, "") if level == Level.DISTRICT else actor
        self.event("close", actor=verifier, to_state=State.CLOSED, reason="回访核实，予以结案")

    def rate(self) -> None:
        case, rng = self.case, self.rng
        if not case.reporter_name or rng.random() > 0.8:
            return
        before = case.received_at.date() < self.b.pilot
        weights = [2, 4, 14, 35, 45] if before else [1, 1, 5, 25, 68]
        rating = rng.choices([1, 2, 3, 4, 5], weights=weights)[0]
        self.later(12, 24 * 4)
        case.rating = rating
        case.rating_comment = rng.choice(RATING_COMMENTS[rating])
        case.rated_at = self.at
        self.event("rate", actor=(None, "反映人"), reason=f"{rating}星：{case.rating_comment}")

    def done(self) -> None:
        self.b.cases.append(self.case)
        self.b.events.append(self.events)


@functools.cache
def _due(day: dt.date, days: int) -> dt.date:
    # The demo has no time-limit rules: the 12345 defaults, by the official calendar.
    return deadlines.add_working_days(day, days)


# --- the year -----------------------------------------------------------------------------------


def _moment(
    rng: random.Random, month: dt.date, now: dt.datetime, today: dt.date, by_day: int = 31
) -> dt.datetime:
    """A working-hours moment in `month` (by its `by_day`-th day, and before now)."""
    last_day = min(by_day, (add_months(month, 1) - dt.timedelta(days=1)).day)
    if month == month_start(today):
        last_day = max(1, min(last_day, today.day - 1))
    day = month.replace(day=rng.randint(1, last_day))
    at = aware(day, rng.randint(8, 19), rng.randint(0, 59))
    return min(at, now - dt.timedelta(hours=2))


def _open_outcome(rng: random.Random, age_days: float, level: str) -> str:
    """What a case of this age is now (older cases are mostly closed)."""
    if age_days < 2:
        return rng.choice([State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS])
    if age_days > 45:
        return rng.choices(
            [State.CLOSED, "reclosed", State.SUSPENDED, State.IN_PROGRESS, State.REOPENED],
            weights=[92, 3, 2, 2, 1],
        )[0]
    if age_days > 14:
        return rng.choices(
            [
                State.CLOSED,
                State.RESOLVED,
                State.IN_PROGRESS,
                State.SUSPENDED,
                State.REOPENED,
                State.RETURNED if level == Level.COUNCIL else State.IN_PROGRESS,
            ],
            weights=[72, 8, 5, 3, 3, 12],
        )[0]
    return rng.choices(
        [
            State.CLOSED,
            State.RESOLVED,
            State.IN_PROGRESS,
            State.ASSIGNED,
            State.RECEIVED,
            State.RETURNED if level == Level.COUNCIL else State.ASSIGNED,
        ],
        weights=[30, 12, 20, 12, 12, 16],
    )[0]


def build_cases(subdistrict: Region, rng: random.Random) -> CasesSummary:
    """A year of cases for `subdistrict` (see the module's docstring)."""
    b = CaseWriter(subdistrict, rng)
    if not b.categories or not b.grids or not b.shops:
        return CasesSummary()
    months = [add_months(b.start, i) for i in range(13)]
    this_month = month_start(b.today)
    for i, month in enumerate(months):
        month_end_at = aware(add_months(month, 1), 0, 0)
        before = month < b.pilot
        complete = month < this_month
        if before:
            n = rng.randint(*BEFORE_PER_MONTH)
            share = BEFORE_DISTRICT_SHARE
        else:
            j = min(i - PILOT_AFTER_MONTHS, len(PILOT_PER_MONTH) - 1)
            n, share = PILOT_PER_MONTH[j], PILOT_DISTRICT_SHARE[j]
            if not complete:
                n = max(10, round(n * (b.today.day - 1) / 30))
        to_district = round(n * share)
        rest = n - to_district
        plan: list[str] = ["grid"] * rest
        if not before:
            hard = HARD_PER_MONTH if complete else 0
            council = min(rest - hard, COUNCIL_PER_MONTH if complete else round(rest * 0.35))
            grid = round((rest - hard - council) * 0.35)
            plan = ["hard"] * hard + ["council"] * council + ["grid"] * grid
            plan += ["branch"] * (rest - hard - council - grid)
        moments = [_moment(rng, month, b.now, b.today) for _k in plan]
        moments += [
            _moment(rng, month, b.now, b.today, DISTRICT_BY_DAY) for _k in range(to_district)
        ]
        plan += ["district"] * to_district
        for at, kind in sorted(zip(moments, plan, strict=True), key=lambda pair: pair[0]):
            age = (b.now - at).total_seconds() / 86400
            _one(b, rng, at, kind, before, age, month_end_at)
    summary = CasesSummary(pilot_start=b.pilot)
    summary.cases, summary.events = b.save()
    cases = Case.objects.filter(region__path__startswith=subdistrict.path)
    summary.council_solved = cases.filter(state=State.CLOSED, solved_level=Level.COUNCIL).count()
    summary.branch_hard_solved = cases.filter(
        state=State.CLOSED,
        solved_level=Level.BRANCH,
        request_type=RequestType.COMPLEX,
        organisation_id__in=list(b.street_blocks),
    ).count()
    summary.sent_to_district = cases.filter(escalated_to_district_at__isnull=False).count()
    summary.by_state = Counter(cases.values_list("state", flat=True))
    return summary


def _one(
    b: CaseWriter,
    rng: random.Random,
    at: dt.datetime,
    kind: str,
    before: bool,
    age: float,
    month_end_at: dt.datetime,
) -> None:
    if before:
        # Before the pilot: the grid receives the hotline's, staff's and QR demands.
        source = rng.choices([Source.HOTLINE, Source.STAFF, Source.QR], weights=[60, 25, 15])[0]
        place = b.place(shop=rng.random() < 0.7)
        if kind == "district":
            district_end = "closed" if age > 20 else "open"
            outcome = State.CLOSED if rng.random() < 0.93 else "reclosed"
            if rng.random() < 0.08:
                district_end = "returned"
            b.case(
                at,
                source=source,
                path=[Level.GRID, Level.DISTRICT],
                outcome=outcome,
                place=place,
                district_end=district_end,
                month_end=month_end_at,
            )
        else:
            b.case(
                at,
                source=source,
                path=[Level.GRID],
                place=place,
                outcome=_open_outcome(rng, age, Level.GRID),
            )
        return
    if kind == "hard":
        place = b.place(entity=rng.choice(b.block_shops or b.shops))
        b.case(
            at,
            source=Source.VISIT,
            path=[Level.BRANCH],
            place=place,
            outcome=State.CLOSED if age > 12 else _open_outcome(rng, age, Level.BRANCH),
            hard=rng.choice(HARD),
        )
        return
    source = rng.choices(
        [Source.VISIT, Source.QR, Source.HOTLINE, Source.STAFF, Source.COUNCIL],
        weights=[42, 22, 18, 8, 10],
    )[0]
    place = b.place(shop=True)
    if kind == "branch":
        b.case(
            at,
            source=source if source != Source.COUNCIL else Source.VISIT,
            path=[Level.BRANCH],
            place=place,
            outcome=_open_outcome(rng, age, Level.BRANCH),
        )
    elif kind == "council":
        path = [Level.COUNCIL] if source == Source.COUNCIL else [Level.BRANCH, Level.COUNCIL]
        outcome = State.CLOSED if age > 30 else _open_outcome(rng, age, Level.COUNCIL)
        if age > 30 and rng.random() < 0.04:
            outcome = "reclosed"
        b.case(at, source=source, path=path, place=place, outcome=outcome)
    elif kind == "grid":
        if rng.random() < 0.08 and source != Source.COUNCIL:
            # Water coming into the shop: straight to the grid, marked urgent.
            b.case(
                at,
                source=source,
                path=[Level.BRANCH, Level.GRID],
                place=place,
                code="E0401",
                outcome=_open_outcome(rng, age, Level.GRID),
                urgent=True,
            )
            return
        path = (
            [Level.COUNCIL, Level.GRID]
            if source == Source.COUNCIL
            else [Level.BRANCH, Level.COUNCIL, Level.GRID]
        )
        b.case(
            at, source=source, path=path, place=place, outcome=_open_outcome(rng, age, Level.GRID)
        )
    else:  # district
        path = (
            [Level.COUNCIL, Level.GRID, Level.DISTRICT]
            if source == Source.COUNCIL
            else [Level.BRANCH, Level.COUNCIL, Level.GRID, Level.DISTRICT]
        )
        roll = rng.random()
        district_end = "closed" if age > 25 else "open"
        if roll < 0.12:
            district_end = "returned"
        b.case(
            at,
            source=source,
            path=path,
            place=place,
            outcome=State.CLOSED,
            district_end=district_end,
            month_end=month_end_at,
        )
