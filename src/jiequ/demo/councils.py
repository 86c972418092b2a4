"""The demo's councils (议事载体), their seats, meetings and the street pulse (街情气象站).

The seed: "12 street councils and 9 building councils solved 250+ practical matters (off-peak
parking among them)"; problems go branch visit → council → grid consultation with the
departments (police, city management, city operations, market supervision) → the district
city-operations platform. Here:

- `build_councils` (after build_party): 12 street councils (街委会) on the 12 roads with the most
  street shops, 9 building councils (楼务会) in the 9 tallest named buildings, a street-affairs
  council (街事会) and a residents' committee (居委会) per area, a grid consultation (网格会商)
  per grid meeting every 14 days; their seats (shop owners by name and shop, the Party
  organisations and who represents them, the departments and their cadres); a street-pulse
  board per area.
- `build_council_meetings` (after the demo's cases exist): a year of meetings whose agendas
  take the cases held at each council and the cases escalated to each grid, with minutes in
  Chinese, decisions (recorded as applied: the cases demo already gave each case its history),
  tasks with owners and due dates (some overdue), street-pulse topics with votes, some put on
  agendas and decided (off-peak parking among them).

Deterministic for a seed and a day: dates count back from `timezone.localdate()`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from jiequ.accounts.models import User
from jiequ.accounts.roles import Role
from jiequ.areas.models import Building, Region, RegionLevel, Road
from jiequ.councils.models import (
    Council,
    CouncilKind,
    CouncilMember,
    Department,
    MemberKind,
    MemberPost,
    PulseBoard,
)
from jiequ.coverage.models import StreetChief
from jiequ.ledger.models import Entity, EntityState
from jiequ.members.models import Member
from jiequ.party.models import (
    Cadre,
    Category,
    DepartmentKind,
    Level,
    Officer,
    OfficerRole,
    Organisation,
)

from .people import People, add_months, aware, days, month_start

STREET_COUNCILS = 12
PILOT_AFTER_MONTHS = 6  # as in demo.cases: the pilot started 6 months into the year shown
BUILDING_COUNCILS = 9
GRID_INTERVAL_DAYS = 14

DEPARTMENT_NAMES = {
    Department.POLICE: "静安公安分局石门二路派出所",
    Department.CITY_MANAGEMENT: "静安区城管执法局石门二路中队",
    Department.CITY_OPERATIONS: "石门二路街道城运中心",
    Department.MARKET_SUPERVISION: "静安区市场监管局石门二路市场监管所",
    Department.HOUSING: "静安区房管局石门二路房管办",
}
# The grid consultation brings these four together (the seed's list).
GRID_DEPARTMENTS = [
    Department.POLICE,
    Department.CITY_MANAGEMENT,
    Department.CITY_OPERATIONS,
    Department.MARKET_SUPERVISION,
]
CADRE_KIND = {
    Department.POLICE: DepartmentKind.POLICE,
    Department.CITY_MANAGEMENT: DepartmentKind.CITY_MANAGEMENT,
    Department.MARKET_SUPERVISION: DepartmentKind.MARKET_SUPERVISION,
}
RESIDENTS_COMMITTEES = {"01": "恒丰里居委会", "02": "张家宅居委会", "03": "新福康里居委会"}
GRID_OFFICE = "石门二路街道网格化综合管理中心"


@dataclass
class CouncilsSummary:
    street: int = 0
    building: int = 0
    residents: int = 0
    street_affairs: int = 0
    grid: int = 0
    seats: int = 0
    boards: int = 0


def clear_council_meetings() -> None:
    """Delete meetings, their agendas, decisions and tasks, and the street-pulse topics. Run
    before the demo's cases are deleted (agendas and decisions refer to cases)."""
    from jiequ.councils.models import (
        AgendaItem,
        CouncilMeeting,
        Decision,
        PulseTopic,
        PulseVote,
        Task,
    )

    Task.objects.all().delete()
    Decision.objects.all().delete()
    AgendaItem.objects.all().delete()
    CouncilMeeting.objects.all().delete()
    PulseVote.objects.all().delete()
    PulseTopic.objects.all().delete()


def clear_councils() -> None:
    """Delete the councils and their seats. Run after the cases (they name councils) and before
    the Party data and the ledger (seats name organisations, members, cadres and entities)."""
    clear_council_meetings()
    PulseBoard.objects.all().delete()
    CouncilMember.objects.all().delete()
    Council.objects.all().delete()


class _Builder:
    def __init__(self, subdistrict: Region, rng: random.Random) -> None:
        self.sub = subdistrict
        self.rng = rng
        self.today = timezone.localdate()
        # Street and building councils came with the pilot (as in demo.cases).
        self.pilot = add_months(month_start(self.today), -(12 - PILOT_AFTER_MONTHS))
        self.people = People(rng)
        for name in Member.objects.values_list("name", flat=True).iterator():
            self.people.reserve(name)
        for name in Cadre.objects.values_list("name", flat=True):
            self.people.reserve(name)
        for name in User.objects.values_list("display_name", flat=True):
            self.people.reserve(name)
        self.areas = list(Region.objects.filter(parent=subdistrict).order_by("code"))
        self.grids = list(
            Region.objects.filter(
                path__startswith=subdistrict.path, level=RegionLevel.GRID
            ).order_by("path")
        )
        cadres = Cadre.objects.filter(subdistrict=subdistrict).order_by("pk")
        self.cadres: dict[str, list[Cadre]] = defaultdict(list)
        for cadre in cadres:
            self.cadres[cadre.department_kind].append(cadre)
        self.city_operations = next((c for c in cadres if "城运" in c.department), None)
        self.street_blocks = {
            o.region_id: o
            for o in Organisation.objects.filter(
                region__in=self.areas, category=Category.STREET_BLOCK, level=Level.BRANCH
            )
        }
        self.general_branches = {
            o.region_id: o
            for o in Organisation.objects.filter(region__in=self.areas, level=Level.GENERAL_BRANCH)
        }
        self.secretaries = {
            post.organisation_id: post.member
            for post in Officer.objects.filter(
                role=OfficerRole.SECRETARY,
                ended_on__isnull=True,
                member__isnull=False,
                organisation__region__path__startswith=subdistrict.path,
            ).select_related("member")
        }
        self.councils: list[Council] = []
        self.seats: list[CouncilMember] = []
        self.seats_of: dict[int, list[CouncilMember]] = defaultdict(list)

    # --- helpers ----------------------------------------------------------------------------

    def area_of(self, region: Region) -> Region:
        return next((a for a in self.areas if region.path.startswith(a.path)), self.areas[0])

    def founded(self, low: int, high: int) -> dt.date:
        """A day between `low` and `high` days after the pilot began (negative: before)."""
        return self.pilot + days(self.rng.randint(low, high))

    def council(self, name: str, kind: str, region: Region, **fields: Any) -> Council:
        council = Council(name=name, kind=kind, region=region, **fields)
        self.councils.append(council)
        return council

    def seat(self, council: Council, kind: str, post: str = MemberPost.MEMBER, **fields) -> None:
        self.seats.append((council, CouncilMember(kind=kind, post=post, joined_on=None, **fields)))

    def entity_seats(
        self, council: Council, entities: list[Entity], count: int, deputy: bool = True
    ) -> None:
        chosen = self.rng.sample(entities, min(count, len(entities)))
        for i, entity in enumerate(chosen):
            post = MemberPost.DEPUTY if deputy and i == 0 else MemberPost.MEMBER
            self.seat(council, MemberKind.ENTITY, post, name=self.people.name(), entity=entity)

    def organisation_seat(self, council: Council, org: Organisation | None, post: str) -> None:
        if org is None:
            return
        self.seat(
            council,
            MemberKind.ORGANISATION,
            post,
            organisation=org,
            member=self.secretaries.get(org.pk),
        )

    def department_seat(self, council: Council, department: str, k: int = 0) -> None:
        cadre = None
        if department in CADRE_KIND:
            pool = self.cadres.get(CADRE_KIND[department], [])
            cadre = pool[k % len(pool)] if pool else None
        elif department == Department.CITY_OPERATIONS:
            cadre = self.city_operations
        self.seat(
            council,
            MemberKind.DEPARTMENT,
            department=department,
            unit=DEPARTMENT_NAMES.get(department, ""),
            cadre=cadre,
            name="" if cadre else self.people.name(),
        )

    # --- the kinds of council ---------------------------------------------------------------

    def street_councils(self) -> None:
        shops = defaultdict(list)
        for entity in (
            Entity.objects.filter(
                region__path__startswith=self.sub.path,
                is_street_shop=True,
                state=EntityState.OPERATING,
                road__isnull=False,
            )
            .select_related("region")
            .order_by("pk")
        ):
            shops[entity.road_id].append(entity)
        roads = sorted(
            Road.objects.filter(subdistrict=self.sub, pk__in=shops),
            key=lambda r: (-len(shops[r.pk]), r.name),
        )[:STREET_COUNCILS]
        chiefs = {
            c.road_id: c
            for c in StreetChief.objects.filter(
                road__in=roads, ended_on__isnull=True
            ).select_related("member", "cadre")
        }
        for k, road in enumerate(sorted(roads, key=lambda r: r.name)):
            on_road = shops[road.pk]
            area = Counter(self.area_of(e.region).pk for e in on_road).most_common(1)[0][0]
            area = next(a for a in self.areas if a.pk == area)
            branch = self.street_blocks.get(area.pk)
            council = self.council(
                f"{road.name}街委会",
                CouncilKind.STREET,
                area,
                road=road,
                organisation=branch,
                founded_on=self.founded(-30, 0),
                notes=f"{road.name}沿街商户、街区党支部和职能部门共商共治的议事平台。",
            )
            chief = chiefs.get(road.pk)
            if chief is not None and chief.member_id:
                self.seat(
                    council,
                    MemberKind.ORGANISATION,
                    MemberPost.CONVENER,
                    organisation=branch or chief.member.organisation,
                    member=chief.member,
                )
            else:
                self.organisation_seat(council, branch, MemberPost.CONVENER)
            self.entity_seats(council, on_road, self.rng.randint(5, 8))
            self.department_seat(council, Department.CITY_MANAGEMENT, k)
            self.department_seat(council, Department.MARKET_SUPERVISION, k)
            if self.rng.random() < 0.6:
                self.department_seat(council, Department.POLICE, k)

    def building_councils(self) -> None:
        named = (
            Building.objects.filter(region__path__startswith=self.sub.path)
            .annotate(units=Count("entities"))
            .filter(units__gt=0)
            .exclude(name__endswith="号商务楼")
            .select_related("region")
            .order_by("-floors", "name")[:BUILDING_COUNCILS]
        )
        building_branches = list(
            Organisation.objects.filter(
                region__path__startswith=self.sub.path, category=Category.BUILDING
            )
        )
        for k, building in enumerate(named):
            units = list(
                Entity.objects.filter(building=building, state=EntityState.OPERATING).order_by("pk")
            )
            lead = (
                next((b for b in building_branches if b.name.startswith(building.name)), None)
                or Organisation.objects.filter(
                    coverage_links__entity__building=building,
                    level__in=[Level.BRANCH, "joint_branch"],
                )
                .order_by("pk")
                .first()
            )
            council = self.council(
                f"{building.name}楼务会",
                CouncilKind.BUILDING,
                building.region,
                road=building.road,
                building=building,
                organisation=lead,
                founded_on=self.founded(-30, -1),
                notes=f"{building.name}楼内企业、物业和党组织共同议事。",
            )
            self.organisation_seat(council, lead, MemberPost.CONVENER)
            self.entity_seats(council, units, self.rng.randint(4, 7))
            if lead is None:
                # No Party organisation in the building yet: a tenant convenes.
                self.seats[-1][1].post = MemberPost.CONVENER
            self.seat(
                council,
                MemberKind.RESIDENT,
                MemberPost.LIAISON,
                name=self.people.name(),
                unit=f"{building.name}物业服务中心",
            )
            self.department_seat(council, Department.POLICE, k)

    def area_councils(self) -> None:
        for k, area in enumerate(self.areas):
            short = area.name.removesuffix("片区")
            branch = self.street_blocks.get(area.pk)
            general = self.general_branches.get(area.pk)
            shops = list(
                Entity.objects.filter(
                    region__path__startswith=area.path,
                    is_street_shop=True,
                    state=EntityState.OPERATING,
                ).order_by("pk")
            )
            affairs = self.council(
                f"{short}片区街事会",
                CouncilKind.STREET_AFFAIRS,
                area,
                organisation=general or branch,
                founded_on=self.founded(-90, -30),
                notes=f"“1+N+27”治理共同体中{area.name}的街事会：片区内共性问题在此协商。",
            )
            self.organisation_seat(affairs, general or branch, MemberPost.CONVENER)
            self.organisation_seat(affairs, branch, MemberPost.DEPUTY)
            self.entity_seats(affairs, shops, 4, deputy=False)
            for department in GRID_DEPARTMENTS:
                self.department_seat(affairs, department, k)
            committee = RESIDENTS_COMMITTEES.get(area.code)
            if committee:
                residents = self.council(
                    committee,
                    CouncilKind.RESIDENTS,
                    area,
                    organisation=branch,
                    founded_on=self.founded(-1500, -900),
                    notes="居民区与沿街商户的共治议事。",
                )
                self.seat(
                    residents,
                    MemberKind.RESIDENT,
                    MemberPost.CONVENER,
                    name=self.people.name(),
                    unit=f"{committee}主任",
                )
                for _i in range(4):
                    self.seat(residents, MemberKind.RESIDENT, name=self.people.name())
                self.organisation_seat(residents, branch, MemberPost.MEMBER)
                self.entity_seats(residents, shops, 2, deputy=False)
                self.department_seat(residents, Department.HOUSING, k)

    def grid_consultations(self) -> None:
        workers = {}
        for user in User.objects.filter(
            role=Role.GRID_WORKER, scope_region__in=self.grids
        ).order_by("username"):
            # The demo's "grid" login runs its grid's consultation.
            if user.scope_region_id not in workers or user.username == "grid":
                workers[user.scope_region_id] = user
        for k, grid in enumerate(self.grids):
            area = self.area_of(grid)
            worker = workers.get(grid.pk)
            council = self.council(
                f"{grid.name}会商",
                CouncilKind.GRID,
                grid,
                organisation=self.street_blocks.get(area.pk),
                # The demo grid worker's consultation meets today (a whole number of fortnights).
                founded_on=self.today
                - days(
                    GRID_INTERVAL_DAYS * 28
                    if worker is not None and worker.username == "grid"
                    else self.rng.randint(380, 400)
                ),
                meets_every_days=GRID_INTERVAL_DAYS,
                notes="网格双周例会：各职能部门对上报网格的诉求逐件会商。",
            )
            self.seat(
                council,
                MemberKind.SUBDISTRICT,
                MemberPost.CONVENER,
                name=(worker.display_name if worker else "") or self.people.name(),
                unit=GRID_OFFICE,
            )
            for department in GRID_DEPARTMENTS:
                self.department_seat(council, department, k)
            self.organisation_seat(council, self.street_blocks.get(area.pk), MemberPost.MEMBER)

    def boards(self) -> list[PulseBoard]:
        boards = []
        for area in self.areas:
            token = hashlib.sha256(f"{self.rng.random()}:{area.path}".encode()).hexdigest()[:16]
            boards.append(
                PulseBoard(
                    name=f"{area.name}街情气象站",
                    token=token,
                    region=area,
                    intro="有什么影响经营、出行、环境的事？发上来，大家投票，票多的上街事会议程。",
                )
            )
        return bulk_create_with_history(boards, PulseBoard)

    def save(self) -> None:
        saved = bulk_create_with_history(self.councils, Council, batch_size=200)
        by_id = {id(c): s for c, s in zip(self.councils, saved, strict=True)}
        rows = []
        for council, seat in self.seats:
            seat.council = by_id[id(council)]
            seat.joined_on = seat.council.founded_on
            rows.append(seat)
        # One person leaves a street council, so the page shows a former seat.
        leaver = next(s for s in rows if s.kind == MemberKind.ENTITY)
        leaver.left_on = self.today - days(self.rng.randint(40, 120))
        self.seats = bulk_create_with_history(rows, CouncilMember, batch_size=500)


def build_councils(subdistrict: Region, rng: random.Random) -> CouncilsSummary:
    """The councils of `subdistrict` and who sits on them, and its street-pulse boards."""
    builder = _Builder(subdistrict, rng)
    builder.street_councils()
    builder.building_councils()
    builder.area_councils()
    builder.grid_consultations()
    builder.save()
    boards = builder.boards()
    kinds = Counter(c.kind for c in builder.councils)
    return CouncilsSummary(
        street=kinds[CouncilKind.STREET],
        building=kinds[CouncilKind.BUILDING],
        residents=kinds[CouncilKind.RESIDENTS],
        street_affairs=kinds[CouncilKind.STREET_AFFAIRS],
        grid=kinds[CouncilKind.GRID],
        seats=len(builder.seats),
        boards=len(boards),
    )


# --- meetings, decisions, tasks and the street pulse -----------------------------------------

GROUP_DAYS = 13  # a council's meeting decides the cases whose step falls within two weeks
REPORT_DAYS = 3  # a grid case acted on within 3 days of the consultation was decided there
TASK_DAYS = 7  # follow-up tasks are due a week after the meeting
MONTHLY_SLACK = 20  # a council that met within 20 days of its monthly day did not skip it

# Which department follows a grid case up, by category code prefix.
FOLLOW_UP = [
    ("S01", Department.MARKET_SUPERVISION),
    ("S02", Department.POLICE),
    ("S04", Department.POLICE),
    ("E05", Department.POLICE),
    ("E01", Department.CITY_MANAGEMENT),
    ("E02", Department.CITY_MANAGEMENT),
    ("C", Department.CITY_OPERATIONS),
    ("S03", Department.CITY_OPERATIONS),
]
OFF_PEAK_DECISIONS = [
    "议定协调{place}地库夜间车位18:00—次日8:00错峰向{road}沿街商户开放，街区党支部牵头与物业签订错峰停车协议，首批40个车位。",
    "议定由物业开放白天闲置车位错峰停车，商户员工办理错峰停车月卡，费用按协议价收取。",
    "议定试行“错峰共享”停车：写字楼夜间车位向周边商户顾客开放，城管、交警配合规范路边临时停车。",
]
OFF_PEAK_CODE = "S0201"
FREE_ITEMS = {
    CouncilKind.STREET: [
        ("沿街门店“门责”自查自纠安排", "由副召集人牵头组织门店对照门责清单自查，月底前汇总。"),
        ("店招店牌安全检查", "请城管中队会同物业检查店招固定情况，发现隐患当场告知商户整改。"),
        ("节日期间外摆与客流组织", "外摆统一按试点范围设置，街区党支部组织党员志愿者引导客流。"),
    ],
    CouncilKind.BUILDING: [
        ("楼内企业党员报到与活动安排", "楼宇党组织牵头，每月组织一次楼内党员集中活动。"),
        ("电梯高峰时段分流", "物业调整电梯运行方案，早高峰低区、高区分开运行。"),
        ("楼内消防通道清理", "物业会同各企业清理消防通道杂物，派出所社区民警参与检查。"),
    ],
    CouncilKind.RESIDENTS: [
        ("沿街商户与居民共治公约修订", "征求居民和商户意见后提交下次会议表决。"),
        ("夜间经营噪声联合巡查", "居委会会同社区民警、商户代表每周巡查一次。"),
    ],
    CouncilKind.STREET_AFFAIRS: [
        ("片区街面环境季度评议", "对各路段环境卫生、秩序打分，结果在街情气象站公布。"),
        ("新就业群体服务点布局", "在片区内增设两处小哥加油站，由街区党支部牵头落实。"),
    ],
}
GRID_STANDING = [
    ("网格巡查发现问题通报", "网格员通报两周巡查情况，发现的问题已现场处置或派单，无需会商。"),
    ("上期会商事项落实情况", "上期会商事项均已按时落实，责任部门逐项反馈。"),
    ("重点点位联合巡查安排", "派出所、城管中队下周联合巡查网格内重点路段，城运中心跟踪派单。"),
]
# Street-pulse topics: (title, text, decision if decided).
PULSE_TOPICS = [
    (
        "晚上顾客停车太难了",
        "我们店晚市生意主要靠开车来的客人，路边不让停，周边写字楼地库晚上空着，能不能错峰开放？",
        "议定协调周边写字楼地库晚间错峰向商户顾客开放，由街区党支部牵头与物业签订错峰停车协议。",
    ),
    (
        "员工上班停车能不能办错峰月卡",
        "店里员工早上七点上班，附近小区白天车位空着，希望能办错峰停车月卡。",
        "议定由居委会协调小区业委会，试行白天错峰停车月卡，首批20个名额。",
    ),
    (
        "快递小哥中午没地方歇脚",
        "中午送完一波单想找个地方喝口水、充个电，希望多设几个休息点。",
        "议定在片区党群服务阵地增设小哥加油站，提供饮水、充电和休息座椅。",
    ),
    (
        "湿垃圾收运时间能否调到晚上",
        "餐饮店晚上打烊后湿垃圾最多，收运车下午就来了，夏天放一夜味道很大。",
        "议定与环卫所协调，餐饮集中路段增加晚间21:30一次收运。",
    ),
    (
        "人行道地砖松动",
        "路口人行道好几块地砖踩上去会翘起来，下雨天溅一身水。",
        "已转网格会商，由城运中心派单维修。",
    ),
    (
        "共享单车堆在店门口",
        "早高峰过后店门口堆满共享单车，顾客进出不方便。",
        "议定城运中心协调运营企业增加调度频次，划设停放区。",
    ),
    (
        "外摆试点能否扩大",
        "周末客流大，希望外摆试点范围扩大到我们这一段。",
        "议定报街道城管中队评估，符合条件的路段下季度纳入试点。",
    ),
    ("装卸货临时停靠点", "每天上午进货，货车停门口就被贴条，希望划个临时装卸点。", None),
    ("夜间施工噪声", "旁边工地晚上十点以后还在施工，楼上居民和我们店员都受影响。", None),
    ("公共厕所开放时间太短", "附近公厕晚上九点就关，夜市顾客没地方上厕所。", None),
    ("电动自行车充电不安全", "有人在楼道里给电动车充电，希望设集中充电点。", None),
    ("招工信息能不能统一发布", "沿街小店招人难，希望街道有个统一发布招工信息的地方。", None),
    ("店招统一后字太小", "店招统一改造以后字号太小，顾客找不到店。", None),
    ("消防通道被占用", "后门消防通道经常停着车，万一有事很危险。", None),
    ("路灯不亮", "巷子里有两盏路灯坏了一个多月，晚上下班很黑。", None),
    ("希望组织商户消防培训", "很多小店店员不会用灭火器，希望组织一次培训。", None),
]
HIDDEN_TOPICS = [
    (
        "低价代办营业执照，加微信",
        "专业代办各类执照，价格优惠，联系微信……",
        "广告信息，与街区公共事务无关",
    ),
    (
        "投诉某店老板",
        "某店老板为人不行，大家别去（附对方手机号）",
        "含他人个人信息，已请发布人改写后重新发布",
    ),
]


def _code_department(code: str) -> str:
    for prefix, department in FOLLOW_UP:
        if code.startswith(prefix):
            return department
    return Department.CITY_MANAGEMENT


@dataclass
class MeetingsSummary:
    meetings: int = 0
    grid_meetings: int = 0
    planned: int = 0
    agenda_items: int = 0
    decisions: int = 0
    tasks: int = 0
    overdue_tasks: int = 0
    topics: int = 0
    votes: int = 0


@dataclass
class _Point:
    """A step of a case at a council that a meeting decided."""

    case: Any
    arrived: dt.date
    day: dt.date | None  # when the step happened (None: still open)
    kind: str
    text: str = ""
    tried: str = ""


@dataclass
class _Meeting:
    council: Council
    day: dt.date
    planned: bool = False
    items: list = field(default_factory=list)  # (case | topic | title, [decision dicts])


class _MeetingBuilder:
    def __init__(self, subdistrict: Region, rng: random.Random) -> None:
        from jiequ.cases.models import Case, CaseEvent

        self.sub, self.rng = subdistrict, rng
        self.today = timezone.localdate()
        self.pilot = add_months(month_start(self.today), -(12 - PILOT_AFTER_MONTHS))
        self.councils = list(
            Council.objects.filter(region__path__startswith=subdistrict.path)
            .select_related("region", "road", "building")
            .order_by("pk")
        )
        self.seats: dict[int, list[CouncilMember]] = defaultdict(list)
        for seat in CouncilMember.objects.filter(council__in=self.councils).select_related(
            "cadre", "member", "entity", "organisation"
        ):
            self.seats[seat.council_id].append(seat)
        self.grid_council = {c.region_id: c for c in self.councils if c.kind == CouncilKind.GRID}
        users = list(User.objects.filter(is_active=True).select_related("scope_region"))
        self.staff = next(
            (
                u
                for u in users
                if u.role == Role.SUBDISTRICT_STAFF and u.scope_region_id == subdistrict.pk
            ),
            None,
        )
        self.grid_users: dict[int, User] = {}
        for u in sorted(users, key=lambda u: (u.username != "grid", u.username)):
            if u.role == Role.GRID_WORKER and u.scope_region_id:
                self.grid_users.setdefault(u.scope_region_id, u)
        touched = CaseEvent.objects.filter(
            case__region__path__startswith=subdistrict.path, to_level__in=["council", "grid"]
        ).values("case_id")
        self.cases = {
            c.pk: c
            for c in Case.objects.filter(pk__in=touched).select_related("category", "entity")
        }
        self.events: dict[int, list[Any]] = defaultdict(list)
        for event in CaseEvent.objects.filter(case_id__in=list(self.cases)).order_by("at", "pk"):
            self.events[event.case_id].append(event)
        self.meetings: list[_Meeting] = []

    # --- the steps of cases at councils and grids -------------------------------------------

    def points(self, level: str) -> dict[int, list[_Point]]:
        """Per council: the steps of its cases at `level` (council or grid)."""
        out: dict[int, list[_Point]] = defaultdict(list)
        for case_pk, events in self.events.items():
            case = self.cases[case_pk]
            arrivals = [
                e
                for e in events
                if e.to_level == level
                and e.action in ("receive", "escalate")
                and e.from_level != level
            ]
            for arrival in arrivals:
                if level == "grid":
                    council = self.grid_council.get(case.region_id)
                else:
                    council = next((c for c in self.councils if c.pk == case.council_id), None)
                if council is None:
                    continue
                arrived = timezone.localdate(arrival.at)
                if arrival.action == "receive" and case.source == "council":
                    out[council.pk].append(
                        _Point(case, arrived, arrived, "new_case", case.description)
                    )
                exit_ = next(
                    (
                        e
                        for e in events
                        if e.at >= arrival.at
                        and e.from_level == level
                        and e.action in ("resolve", "escalate", "return")
                    ),
                    None,
                )
                if exit_ is None:
                    out[council.pk].append(_Point(case, arrived, None, "open"))
                    continue
                kind = {"resolve": "resolve", "escalate": "escalate"}.get(exit_.action, "note")
                text = exit_.reason or ""
                if kind == "resolve" and case.category.code == OFF_PEAK_CODE:
                    text = self.rng.choice(OFF_PEAK_DECISIONS).format(
                        place=(council.building.name if council.building_id else "周边写字楼"),
                        road=(council.road.name if council.road_id else "周边道路"),
                    )
                if kind == "note":
                    text = f"退回支部继续办理：{exit_.reason}"
                out[council.pk].append(
                    _Point(case, arrived, timezone.localdate(exit_.at), kind, text, exit_.tried)
                )
        return out

    # --- councils other than the grid: a meeting whenever cases wait for a decision -----------

    def council_meetings(self) -> None:
        points = self.points("council")
        for council in self.councils:
            if council.kind == CouncilKind.GRID:
                continue
            mine = sorted(
                (p for p in points.get(council.pk, []) if p.day is not None),
                key=lambda p: (p.day, p.case.pk),
            )
            meetings: list[_Meeting] = []
            for point in mine:
                current = meetings[-1] if meetings else None
                if (
                    current is None
                    or point.day > current.day + dt.timedelta(days=GROUP_DAYS)
                    or point.arrived > current.day
                ):
                    current = _Meeting(council, point.day)
                    meetings.append(current)
                self.add_point(current, point)
            # A council meets at least about monthly: where no case called it together, it met
            # on its own matters.
            # (over the year the demo shows, from the day it was founded).
            start = max(council.founded_on or self.pilot, add_months(month_start(self.today), -12))
            day = start + dt.timedelta(days=self.rng.randint(10, 25))
            while day < self.today:
                if not any(abs((m.day - day).days) <= MONTHLY_SLACK for m in meetings):
                    meetings.append(_Meeting(council, day))
                day += dt.timedelta(days=self.rng.randint(28, 38))
            meetings.sort(key=lambda m: m.day)
            # A few agenda points of the council's own, with a task each (always one when no
            # case is on the agenda).
            for meeting in meetings:
                if (not meeting.items or self.rng.random() < 0.35) and council.kind in FREE_ITEMS:
                    title, text = self.rng.choice(FREE_ITEMS[council.kind])
                    meeting.items.append(
                        (title, [self.task_decision(council, meeting.day, title, text)])
                    )
            # Cases still open at the council: followed up at the last meeting after they came,
            # or put on a planned meeting.
            for point in (p for p in points.get(council.pk, []) if p.day is None):
                after = [m for m in meetings if m.day >= point.arrived]
                if after:
                    decision = self.task_decision(
                        council,
                        after[-1].day,
                        f"跟进：{point.case.title}"[:100],
                        "会后继续协调相关方，下次会议通报进展。",
                    )
                    self.add_item(after[-1], point.case, [decision])
                else:
                    planned = self.planned_meeting(council, meetings)
                    self.add_item(planned, point.case, [])
            self.meetings.extend(meetings)

    def add_item(self, meeting: _Meeting, thing: Any, decisions: list[dict]) -> None:
        for existing, existing_decisions in meeting.items:
            if existing is thing:
                existing_decisions.extend(decisions)
                return
        meeting.items.append((thing, decisions))

    def add_point(self, meeting: _Meeting, point: _Point) -> None:
        case = point.case
        if point.kind == "new_case":
            decision = {"kind": "new_case", "title": case.title, "text": point.text, "case": case}
        elif point.kind in ("resolve", "escalate"):
            decision = {"kind": point.kind, "text": point.text, "tried": point.tried, "case": case}
        else:
            decision = {"kind": "note", "text": point.text, "case": case}
        self.add_item(meeting, case, [decision])

    def task_decision(
        self, council: Council, day: dt.date, title: str, text: str, code: str = ""
    ) -> dict:
        seats = [s for s in self.seats[council.pk] if s.left_on is None]
        owner = None
        if code:
            department = _code_department(code)
            owner = next((s for s in seats if s.department == department), None)
        if owner is None:
            owner = self.rng.choice(seats) if seats else None
        return {
            "kind": "task",
            "title": title[:100],
            "text": text,
            "owner_member": owner,
            "owner_department": "" if owner else Department.CITY_MANAGEMENT,
            "due_on": day + dt.timedelta(days=TASK_DAYS),
        }

    def planned_meeting(self, council: Council, meetings: list[_Meeting]) -> _Meeting:
        existing = next((m for m in meetings if m.planned), None)
        if existing is not None:
            return existing
        day = self.today + dt.timedelta(days=self.rng.randint(1, 6))
        meeting = _Meeting(council, day, planned=True)
        meetings.append(meeting)
        return meeting

    # --- the grid consultation: every 14 days -----------------------------------------------

    def grid_meetings(self) -> None:
        points = self.points("grid")
        grids = [c for c in self.councils if c.kind == CouncilKind.GRID]
        demo_grid = next(
            (
                g
                for g in grids
                if self.grid_users.get(g.region_id)
                and self.grid_users[g.region_id].username == "grid"
            ),
            None,
        )
        missed = next((g for g in grids if g is not demo_grid), None)
        for council in grids:
            days_: list[dt.date] = []
            day = council.founded_on + dt.timedelta(days=GRID_INTERVAL_DAYS)
            while day <= self.today:
                days_.append(day)
                day += dt.timedelta(days=GRID_INTERVAL_DAYS)
            if council is missed:
                # This grid's last consultation was not held: the list flags it.
                days_ = [
                    d for d in days_ if d <= self.today - dt.timedelta(days=GRID_INTERVAL_DAYS + 3)
                ]
            meetings = [_Meeting(council, d) for d in days_ if d < self.today]
            for meeting in meetings:
                # A standing point: what the grid's patrols found since the last consultation.
                title, text = self.rng.choice(GRID_STANDING)
                meeting.items.append((title, [{"kind": "note", "text": text}]))
            if council is demo_grid or (days_ and days_[-1] == self.today):
                nxt = (days_[-1] if days_ else self.today) + dt.timedelta(days=GRID_INTERVAL_DAYS)
                if days_ and days_[-1] == self.today:
                    nxt = self.today
                meetings.append(_Meeting(council, max(nxt, self.today), planned=True))
            for point in sorted(points.get(council.pk, []), key=lambda p: (p.arrived, p.case.pk)):
                meeting = next((m for m in meetings if m.day >= point.arrived), None)
                if meeting is None:
                    continue
                if meeting.planned:
                    if point.day is None:
                        self.add_item(meeting, point.case, [])
                    continue
                self.add_grid_point(council, meeting, point)
            self.meetings.extend(meetings)

    def add_grid_point(self, council: Council, meeting: _Meeting, point: _Point) -> None:
        case = point.case
        code = case.category.code
        if point.day is not None and meeting.day <= point.day <= meeting.day + dt.timedelta(
            days=REPORT_DAYS
        ):
            self.add_point(meeting, point)
            return
        if point.day is not None and point.day < meeting.day:
            what = {"resolve": "已办结", "escalate": "已上报区城运平台", "note": "已退回"}.get(
                point.kind, "已处理"
            )
            note = {
                "kind": "note",
                "text": f"通报：该诉求于{point.day:%m月%d日}{what}。",
                "case": case,
            }
            self.add_item(meeting, case, [note])
            return
        task = self.task_decision(
            council,
            meeting.day,
            f"会商后跟进：{case.title}"[:100],
            "由责任部门现场核查，一周内反馈处置结果。",
            code,
        )
        task["case"] = case
        task["done_on"] = point.day if point.day is not None else None
        self.add_item(meeting, case, [task])

    # --- the street pulse ---------------------------------------------------------------------

    def pulse(self) -> tuple[list[Any], int]:
        from jiequ.councils.models import PulseTopic, PulseVote, TopicState

        boards = list(
            PulseBoard.objects.filter(region__path__startswith=self.sub.path).select_related(
                "region"
            )
        )
        affairs = {c.region_id: c for c in self.councils if c.kind == CouncilKind.STREET_AFFAIRS}
        topics: list[PulseTopic] = []
        decided: list[tuple[PulseTopic, str]] = []
        span = max(30, (self.today - self.pilot).days)
        for b_index, board in enumerate(boards):
            chosen = self.rng.sample(PULSE_TOPICS, min(len(PULSE_TOPICS), 11))
            # The off-peak parking topic is on every board: it is the seed's example.
            if PULSE_TOPICS[0] not in chosen:
                chosen[0] = PULSE_TOPICS[0]
            for i, (title, text, decision) in enumerate(chosen):
                age = self.rng.randint(3, span)
                votes = int(self.rng.paretovariate(1.3) * 4) + (25 if decision else 0)
                topic = PulseTopic(
                    board=board,
                    title=title,
                    text=text,
                    author_name=self.rng.choice(
                        ["", "", self.people_name(), "沿街商户", "外卖骑手"]
                    ),
                    votes=min(votes, 180),
                    submission_key=f"demo-{board.pk}-{i}",
                )
                topic.demo_age = age
                topic.demo_decision = decision if age > 20 else None
                topics.append(topic)
            for title, text, reason in HIDDEN_TOPICS[b_index % 2 : b_index % 2 + 1]:
                topic = PulseTopic(
                    board=board,
                    title=title,
                    text=text,
                    votes=self.rng.randint(0, 2),
                    hidden_reason=reason,
                    submission_key=f"demo-{board.pk}-hidden",
                )
                topic.demo_age = self.rng.randint(5, 60)
                topic.demo_decision = None
                topics.append(topic)
        saved = bulk_create_with_history(topics, PulseTopic, batch_size=200)
        votes = []
        for topic, original in zip(saved, topics, strict=True):
            created = aware(
                self.today - dt.timedelta(days=original.demo_age), self.rng.randint(8, 21)
            )
            topic.created_at = created
            if original.hidden_reason:
                topic.hidden_at = created + dt.timedelta(hours=self.rng.randint(2, 20))
                topic.hidden_by = self.staff
            for k in range(topic.votes):
                votes.append(
                    PulseVote(
                        topic=topic,
                        device=hashlib.sha256(
                            f"{topic.pk}:{k}:{self.rng.random()}".encode()
                        ).hexdigest(),
                    )
                )
            if original.demo_decision:
                decided.append((topic, original.demo_decision))
        PulseTopic.objects.bulk_update(
            saved, ["created_at", "hidden_at", "hidden_by"], batch_size=200
        )
        PulseVote.objects.bulk_create(votes, batch_size=2000)
        # Decided topics go on the area's street-affairs council: the first meeting a week after
        # they were posted (one is made if the council has none then).
        by_council: dict[int, list[_Meeting]] = defaultdict(list)
        for meeting in self.meetings:
            by_council[meeting.council.pk].append(meeting)
        for topic, text in decided:
            council = affairs.get(topic.board.region_id)
            if council is None:
                continue
            posted = timezone.localdate(topic.created_at)
            meetings = sorted(
                (
                    m
                    for m in by_council[council.pk]
                    if not m.planned and m.day >= posted + dt.timedelta(days=7)
                ),
                key=lambda m: m.day,
            )
            if meetings:
                meeting = meetings[0]
            else:
                meeting = _Meeting(
                    council, min(posted + dt.timedelta(days=10), self.today - dt.timedelta(days=1))
                )
                self.meetings.append(meeting)
                by_council[council.pk].append(meeting)
            decision = self.task_decision(council, meeting.day, topic.title, text)
            self.add_item(meeting, topic, [decision])
            topic.state = TopicState.DECIDED
        # The most supported open topic of each board waits on a planned meeting.
        for board in boards:
            council = affairs.get(board.region_id)
            open_topics = sorted(
                (
                    t
                    for t in saved
                    if t.board_id == board.pk and t.state == TopicState.OPEN and not t.hidden_reason
                ),
                key=lambda t: -t.votes,
            )
            if council is None or not open_topics:
                continue
            planned = self.planned_meeting(council, by_council[council.pk])
            if planned not in self.meetings:
                self.meetings.append(planned)
            for topic in open_topics[:2]:
                self.add_item(planned, topic, [])
                topic.state = TopicState.ON_AGENDA
        PulseTopic.objects.bulk_update(saved, ["state"], batch_size=200)
        return saved, len(votes)

    def people_name(self) -> str:
        from .people import SURNAMES

        return self.rng.choice(SURNAMES) + self.rng.choice(["老板", "师傅", "女士", "先生"])

    # --- writing ------------------------------------------------------------------------------

    def place_of(self, council: Council) -> str:
        if council.kind == CouncilKind.GRID:
            return f"{council.region.name}工作站"
        if council.building_id:
            return f"{council.building.name}党群服务站"
        if council.road_id:
            return f"{council.road.name}沿街党群服务点"
        return f"{council.region.name}党群服务中心"

    def minutes(self, meeting: _Meeting, present: list[CouncilMember], guests: int) -> str:
        council = meeting.council
        convener = next(
            (s for s in present if s.post == MemberPost.CONVENER), present[0] if present else None
        )
        names = "、".join(s.person for s in present[:6])
        lines = [
            f"{meeting.day:%Y年%m月%d日}，{council.name}在{self.place_of(council)}召开会议，"
            f"由{convener.person if convener else '召集人'}主持，{names}等{len(present)}人参加"
            + (f"，列席{guests}人。" if guests else "。")
        ]
        if council.kind == CouncilKind.GRID:
            lines.append(
                "派出所、城管中队、城运中心、市场监管所对上报网格的诉求逐件会商，明确责任部门和时限。"
            )
        lines.append("会议议定事项如下：")
        for n, (thing, decisions) in enumerate(meeting.items, start=1):
            label = thing if isinstance(thing, str) else thing.title
            outcome = (
                "；".join(d["text"] for d in decisions if d.get("text"))
                or "继续收集意见，下次会议再议。"
            )
            lines.append(f"{n}. {label}：{outcome}")
        if council.meets_every_days:
            following = meeting.day + dt.timedelta(days=council.meets_every_days)
            lines.append(f"下次会议定于{following:%m月%d日}召开。")
        return "\n".join(lines)

    def save(self) -> MeetingsSummary:
        from jiequ.cases.models import Case
        from jiequ.councils.models import (
            AgendaItem,
            CouncilMeeting,
            Decision,
            MeetingState,
            PulseTopic,
            Task,
        )

        summary = MeetingsSummary()
        self.meetings.sort(key=lambda m: (m.day, m.council.pk))
        rows, present_of = [], []
        for meeting in self.meetings:
            council = meeting.council
            seats = [
                s
                for s in self.seats[council.pk]
                if (s.joined_on is None or s.joined_on <= meeting.day)
                and (s.left_on is None or s.left_on >= meeting.day)
            ]
            seats = seats or [s for s in self.seats[council.pk] if s.left_on is None]
            if meeting.planned:
                present, guests = [], 0
            elif council.kind == CouncilKind.GRID:
                present = [
                    s for s in seats if s.post == MemberPost.CONVENER or self.rng.random() < 0.85
                ]
                guests = self.rng.choice([0, 0, 1, 2])
            else:
                present = [
                    s for s in seats if s.post == MemberPost.CONVENER or self.rng.random() < 0.75
                ]
                guests = self.rng.randint(0, 6)
            present_of.append(present)
            closer = (
                self.grid_users.get(council.region_id)
                if council.kind == CouncilKind.GRID
                else self.staff
            )
            closed_at = aware(meeting.day, 17, self.rng.randint(0, 50))
            rows.append(
                CouncilMeeting(
                    council=council,
                    held_on=meeting.day,
                    starts_at=dt.time(self.rng.choice([9, 10, 14, 15]), self.rng.choice([0, 30])),
                    place=self.place_of(council),
                    subject="网格双周会商"
                    if council.kind == CouncilKind.GRID
                    else f"{council.name}议事",
                    state=MeetingState.PLANNED if meeting.planned else MeetingState.CLOSED,
                    guests=guests,
                    minutes="" if meeting.planned else self.minutes(meeting, present, guests),
                    closed_at=None if meeting.planned else closed_at,
                    closed_by=None if meeting.planned else closer or self.staff,
                    created_by=closer or self.staff,
                )
            )
        saved = bulk_create_with_history(rows, CouncilMeeting, batch_size=500)
        through = CouncilMeeting.present.through
        through.objects.bulk_create(
            [
                through(councilmeeting_id=m.pk, councilmember_id=s.pk)
                for m, present in zip(saved, present_of, strict=True)
                for s in present
            ],
            batch_size=2000,
        )
        items, item_decisions = [], []
        for meeting, row in zip(self.meetings, saved, strict=True):
            for position, (thing, decisions) in enumerate(meeting.items, start=1):
                item = AgendaItem(meeting=row, position=position)
                if isinstance(thing, Case):
                    item.case = thing
                elif isinstance(thing, PulseTopic):
                    item.topic = thing
                else:
                    item.title = thing
                items.append(item)
                item_decisions.append((row, decisions))
        # Agenda items and decisions are read through their meeting (whose change log the
        # demo writes); they get no change log of their own here, to keep the demo quick.
        items = AgendaItem.objects.bulk_create(items, batch_size=1000)
        decisions, tasks = [], []
        for item, (row, found) in zip(items, item_decisions, strict=True):
            for position, d in enumerate(found, start=1):
                applied = row.closed_at
                decision = Decision(
                    meeting=row,
                    agenda_item=item,
                    position=position,
                    kind=d["kind"],
                    title=d.get("title", ""),
                    text=d.get("text") or "—",
                    tried=d.get("tried", ""),
                    case=d.get("case") or item.case,
                    owner_member=d.get("owner_member"),
                    owner_department=d.get("owner_department", ""),
                    due_on=d.get("due_on"),
                    category=(d["case"].category if d["kind"] == "new_case" else None),
                    entity=(d["case"].entity if d["kind"] == "new_case" else None),
                    region=(d["case"].region if d["kind"] == "new_case" else None),
                    applied_at=applied,
                )
                decisions.append(decision)
                if d["kind"] == "task":
                    tasks.append((decision, d))
        decisions = Decision.objects.bulk_create(decisions, batch_size=1000)
        task_rows = []
        for decision, d in tasks:
            due = d["due_on"]
            done = d.get("done_on", "auto")
            if done == "auto":
                # Most follow-ups are done, some late, a few still open (and overdue).
                roll = self.rng.random()
                if due > self.today or roll < 0.12:
                    done = None
                else:
                    done = min(
                        self.today,
                        due + dt.timedelta(days=self.rng.randint(-5, 4 if roll < 0.3 else 0)),
                    )
            task_rows.append(
                Task(
                    council=decision.meeting.council,
                    meeting=decision.meeting,
                    decision=decision,
                    case=d.get("case"),
                    title=decision.title or decision.text[:100],
                    details=decision.text,
                    owner_member=decision.owner_member,
                    owner_department=decision.owner_department,
                    due_on=due,
                    done_on=done,
                    done_note="已落实" if done else "",
                    done_by=self.staff if done else None,
                )
            )
        bulk_create_with_history(task_rows, Task, batch_size=1000)
        summary.meetings = len(saved)
        summary.grid_meetings = sum(
            1 for m in self.meetings if m.council.kind == CouncilKind.GRID and not m.planned
        )
        summary.planned = sum(1 for m in self.meetings if m.planned)
        summary.agenda_items = len(items)
        summary.decisions = len(decisions)
        summary.tasks = len(task_rows)
        summary.overdue_tasks = sum(
            1 for t in task_rows if t.done_on is None and t.due_on < self.today
        )
        return summary


def build_council_meetings(subdistrict: Region, rng: random.Random) -> MeetingsSummary:
    """A year of council meetings over the demo's cases, tasks and street-pulse topics
    (run after build_councils and build_cases)."""
    builder = _MeetingBuilder(subdistrict, rng)
    builder.council_meetings()
    builder.grid_meetings()
    topics, votes = builder.pulse()
    summary = builder.save()
    summary.topics, summary.votes = len(topics), votes
    return summary
