"""The demo's supply system: the seed's needs, resources and projects lists (83 / 56 / 68)
delivered to its 87 emerging-sector organisations, and 132 community talents.

From the seed: "梳理形成需求清单83项、资源清单56项、项目清单68项" and "兜网式" supply to the 87
organisations; "132名能人达人参与社区治理". Here:

- 14 themes (shared meeting rooms, skills training, legal advice, 暖新餐点, 小哥加油站…), each
  with needs, resources and projects whose wording matches, so the matching suggestions have
  something to find;
- 56 resources offered by organisations, departments and shops, 83 needs (70 of
  organisations, 10 of shops, 3 of departments), 68 projects (30 completed, 32 running, 4
  planned, 2 cancelled) taking resources and meeting 62 needs;
- deliveries in the last twelve months to every emerging-sector organisation but 4, which
  the coverage page flags (each of the 4 has an open need); 17 needs still open at various
  ages, 4 closed;
- 132 talents (about 70% signed up themselves) linked to the subdistrict's councils (when the
  councils demo made some) and to projects.

Deterministic for a seed and a day: dates count back from `timezone.localdate()`.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from jiequ.accounts.models import User
from jiequ.areas.models import Region, RegionLevel
from jiequ.councils.models import Council
from jiequ.ledger.models import Entity, EntityState
from jiequ.party.models import Category as OrgCategory
from jiequ.party.models import DepartmentKind, Organisation
from jiequ.services import talents as talent_rules
from jiequ.services.models import (
    Category,
    Delivery,
    Need,
    NeedState,
    Project,
    ProjectResource,
    ProjectState,
    Resource,
    ResourceState,
    Talent,
    TalentInvite,
    TalentSource,
    encode_groups,
)
from jiequ.services.owners import organisation_points

from .party import emerging_sector_organisations
from .people import People, phone_fields

NEEDS, RESOURCES, PROJECTS, TALENTS = 83, 56, 68, 132
FLAGGED = 4  # organisations that received nothing: the coverage page flags them
OPEN_NEEDS, CLOSED_NEEDS = 17, 4
LINKED_NEEDS = NEEDS - OPEN_NEEDS - CLOSED_NEEDS  # met by or matched to a project: 62
STATES = (
    [ProjectState.COMPLETED] * 30
    + [ProjectState.RUNNING] * 32
    + [ProjectState.PLANNED] * 4
    + [ProjectState.CANCELLED] * 2
)
TOKEN_CHARS = string.ascii_letters + string.digits + "-_"

# Departments that offer resources or raise needs: (kind, name).
DEPARTMENTS = {
    "party": (DepartmentKind.PARTY_MASS, "石门二路街道党群服务中心"),
    "party_office": (DepartmentKind.PARTY_MASS, "石门二路街道党群工作办公室"),
    "market": (DepartmentKind.MARKET_SUPERVISION, "静安区市场监管局石门二路市场监督管理所"),
    "city": (DepartmentKind.CITY_MANAGEMENT, "静安区城管执法局石门二路中队"),
    "police": (DepartmentKind.POLICE, "石门二路派出所"),
    "justice": (DepartmentKind.OTHER, "石门二路司法所"),
    "legal_aid": (DepartmentKind.OTHER, "静安区法律援助中心"),
    "health": (DepartmentKind.OTHER, "石门二路街道社区卫生服务中心"),
    "jobs": (DepartmentKind.OTHER, "石门二路街道社区就业服务站"),
    "skills": (DepartmentKind.OTHER, "静安区职业技能培训指导中心"),
    "women": (DepartmentKind.OTHER, "石门二路街道妇联"),
    "union": (DepartmentKind.OTHER, "石门二路街道总工会"),
    "culture": (DepartmentKind.OTHER, "石门二路街道文化活动中心"),
}


@dataclass(frozen=True)
class Theme:
    key: str
    category: str
    unit: str
    groups: tuple[str, ...]
    needs: tuple[str, ...]
    need_text: str
    need_qty: tuple[int, int]
    # (title, owner): owner is "org", "shop", "meal_shop" or a DEPARTMENTS key; {owner} in
    # the title becomes the owner's short name.
    resources: tuple[tuple[str, str], ...]
    resource_text: str
    resource_qty: tuple[int, int]
    project: str
    what: tuple[str, ...]
    feedback: tuple[str, ...]
    participants: tuple[int, int]


THEMES = [
    Theme(
        "venue",
        Category.VENUE,
        "场",
        ("members",),
        ("支部活动场地不足，需共享会议室", "党员大会需借用50人会场", "主题党日活动缺少场地"),
        "支部党员分散在各门店和楼宇，没有固定活动场地，每月主题党日需要一间能坐20至50人的"
        "会议室，最好带投影。",
        (2, 8),
        (
            ("{owner}会议室共享", "org"),
            ("党群服务中心多功能厅预约", "party"),
            ("{owner}店堂议事角开放", "shop"),
            ("{owner}共享会议室", "org"),
        ),
        "会议室可容纳40人，配投影、音响，工作日晚间和周末可预约共享给周边支部开展组织生活。",
        (24, 60),
        "场地共享·组织生活进阵地",
        ("主题党日活动场地保障", "支部党员大会会场", "组织生活会场地共享"),
        ("场地离门店近，党员参加方便。", "投影设备好用，下次还想预约。", "希望周末时段再多一些。"),
        (12, 45),
    ),
    Theme(
        "skills",
        Category.TRAINING,
        "人次",
        ("workers", "new_employment"),
        ("员工职业技能提升培训", "骑手电动车安全驾驶培训", "直播电商技能培训需求"),
        "门店员工和骑手流动性大，希望就近参加免费的职业技能培训，最好安排在下午错峰时段，"
        "并能取得培训证书。",
        (15, 40),
        (
            ("新就业群体职业技能培训", "skills"),
            ("{owner}员工技能公开课", "org"),
            ("电动车安全驾驶实训课", "police"),
            ("直播电商技能培训班", "skills"),
        ),
        "面向新就业群体和商户员工的免费职业技能培训，包括电子商务直播、西式面点、电动车安全"
        "驾驶等课程，结业发放培训证书。",
        (120, 300),
        "职业培训·新就业群体技能提升",
        ("职业技能培训课 1 期", "电动车安全驾驶实训", "直播电商入门课"),
        ("课程实用，员工反映学到了东西。", "希望多开几期晚间班。", "证书对员工找工作有帮助。"),
        (15, 40),
    ),
    Theme(
        "party_training",
        Category.TRAINING,
        "人次",
        ("members",),
        ("支部书记党务知识培训", "新任委员党务实务培训"),
        "新任支部书记和委员缺少党务工作经验，需要三会一课、发展党员流程、党费收缴等实务培训。",
        (5, 15),
        (("党务工作者实务培训班", "party"), ("{owner}书记工作室带教", "org")),
        "由街道党群服务中心和书记工作室组织的党务实务培训，讲解三会一课、发展党员程序和党费"
        "收缴，配套书记工作手册。",
        (80, 160),
        "书记工作室·党务实务带教",
        ("党务实务培训 1 场", "书记带教交流", "发展党员流程辅导"),
        ("讲得很具体，回去就能用。", "希望提供更多案例。", "带教老师经验丰富。"),
        (6, 20),
    ),
    Theme(
        "legal",
        Category.ADVICE,
        "次",
        ("workers", "new_employment", "shop_owners"),
        ("骑手劳动合同纠纷法律咨询", "商户租赁合同法律咨询", "员工工伤认定法律援助"),
        "骑手和店员遇到劳动合同、工伤认定、租赁合同等问题，不知道找谁咨询，希望有律师定期"
        "上门提供免费法律咨询。",
        (4, 12),
        (
            ("免费法律咨询进楼宇", "justice"),
            ("劳动权益法律援助", "legal_aid"),
            ("{owner}律师公益法律咨询", "org"),
            ("法律咨询服务日", "justice"),
        ),
        "律师每月定期到楼宇、门店和骑手驿站提供免费法律咨询，涉及劳动合同、工伤认定、租赁"
        "合同纠纷和法律援助申请。",
        (36, 80),
        "法律咨询进街区",
        ("律师现场法律咨询", "劳动合同专题讲座", "法律援助个案咨询"),
        ("律师讲解耐心，解决了骑手的实际问题。", "希望固定每月一次。", "租赁合同的问题讲明白了。"),
        (8, 30),
    ),
    Theme(
        "finance",
        Category.ADVICE,
        "次",
        ("shop_owners",),
        ("小微企业财税政策咨询", "个体户税务申报辅导"),
        "小微企业和个体工商户对减税降费、发票和税务申报政策不熟悉，需要财税专业人员上门辅导。",
        (3, 8),
        (("小微企业财税咨询服务", "org"), ("个体工商户政策宣讲", "market")),
        "注册会计师和市场监管所为小微企业、个体工商户提供财税政策咨询、税务申报辅导和发票"
        "管理指导。",
        (30, 60),
        "小微企业财税服务日",
        ("财税政策辅导", "税务申报一对一辅导", "个体工商户政策宣讲"),
        ("政策讲得清楚，省了不少事。", "一对一辅导很有针对性。"),
        (6, 25),
    ),
    Theme(
        "jobs",
        Category.EMPLOYMENT,
        "人次",
        ("workers", "new_employment"),
        ("门店招聘服务员需发布用工信息", "外卖骑手转岗就业需求", "商户季节性用工对接"),
        "门店长期缺服务员和厨房帮工，希望通过街道就业服务渠道发布招聘信息，对接求职人员，"
        "也为想转岗的骑手推荐岗位。",
        (5, 20),
        (("社区就业服务站招聘对接", "jobs"), ("稳岗就业招聘会摊位", "jobs")),
        "社区就业服务站发布用工信息，组织家门口招聘会，为商户和求职者对接岗位，提供转岗就业推荐。",
        (100, 200),
        "家门口就业服务",
        ("招聘信息发布", "现场招聘会", "转岗就业岗位对接"),
        ("招到了两名服务员。", "招聘会人气很旺。", "岗位信息更新得很及时。"),
        (10, 50),
    ),
    Theme(
        "health",
        Category.HEALTH,
        "场",
        ("workers", "residents"),
        ("员工年度义诊与健康检查", "职工心理健康疏导讲座"),
        "员工工作时间长、体检少，希望社区医生到门店或楼宇开展义诊、测血压血糖和健康讲座，"
        "也需要心理健康疏导。",
        (1, 4),
        (
            ("社区卫生服务中心义诊进商户", "health"),
            ("{owner}心理健康讲座", "org"),
            ("楼宇健康小屋", "health"),
        ),
        "社区医生定期到楼宇和商户开展义诊、测血压血糖、健康讲座和心理健康疏导。",
        (16, 40),
        "健康服务进楼宇",
        ("义诊 1 场", "心理健康讲座", "健康讲座"),
        ("员工都量了血压，很受欢迎。", "希望增加中医推拿项目。", "讲座内容贴近白领生活。"),
        (15, 60),
    ),
    Theme(
        "culture",
        Category.CULTURE_SPORT,
        "场",
        ("workers", "members"),
        ("职工文体活动场地与器材", "楼宇青年联谊活动", "读书会场地需求"),
        "楼宇里年轻职工多，希望组织篮球、羽毛球、读书会等文体活动，需要场地和器材支持。",
        (2, 6),
        (
            ("{owner}职工篮球场周末开放", "org"),
            ("文化活动中心排练厅", "culture"),
            ("{owner}非遗手作体验课", "shop"),
        ),
        "文化活动中心和企业篮球场周末时段开放，提供文体活动场地、器材、读书会空间和非遗手作"
        "体验课程。",
        (20, 48),
        "楼宇青年文体季",
        ("篮球友谊赛", "青年读书会", "非遗手作体验"),
        ("青年职工参与热情很高。", "活动组织得很好。", "希望每季度都有。"),
        (12, 60),
    ),
    Theme(
        "volunteers",
        Category.VOLUNTEERING,
        "人次",
        ("members", "residents", "elderly"),
        ("节日慰问需志愿者协助", "垃圾分类宣传志愿者", "街区环境整治志愿者"),
        "节日慰问独居老人、垃圾分类宣传、街区环境整治等活动人手不够，需要志愿者协助。",
        (10, 30),
        (("{owner}党员志愿服务队", "org"), ("{owner}小哥志愿服务队", "org")),
        "党员和新就业群体志愿者组成服务队，参与节日慰问、垃圾分类宣传、街区环境整治等志愿服务。",
        (120, 240),
        "红色志愿·街区同行",
        ("节日慰问志愿服务", "垃圾分类宣传", "街区环境整治"),
        ("志愿者很给力。", "老人们很感动。", "小哥志愿者熟悉街区，效率高。"),
        (10, 40),
    ),
    Theme(
        "publicity",
        Category.PUBLICITY,
        "场",
        ("shop_owners", "residents"),
        ("新开门店宣传推广", "街区夜市活动宣传"),
        "新开的门店和街区活动缺少宣传渠道，希望借助直播、楼宇电子屏等方式推广。",
        (1, 4),
        (("{owner}主播直播宣传时段", "org"), ("{owner}楼宇电子屏公益宣传位", "org")),
        "网络主播党员利用直播间为街区商户和活动直播宣传、探店推广；楼宇电子屏提供公益宣传位。",
        (16, 36),
        "主播探店·街区推广",
        ("直播探店 1 场", "电子屏宣传一周", "街区活动直播"),
        ("直播后客流明显增加。", "宣传效果超出预期。"),
        (3, 12),
    ),
    Theme(
        "funding",
        Category.FUNDING,
        "元",
        ("members",),
        ("支部活动经费不足", "党建阵地改造资金"),
        "支部自筹经费有限，开展活动和改造党建阵地需要资金支持。",
        (5000, 20000),
        (("党建服务项目资助资金", "party_office"), ("区域化党建共建资金", "party_office")),
        "街道两新工委设立党建服务项目资助资金，支持两新组织开展活动、改造党建阵地。",
        (200000, 300000),
        "党建服务项目资助",
        ("活动经费资助", "阵地改造补贴"),
        ("解决了活动经费的燃眉之急。", "阵地焕然一新。"),
        (10, 30),
    ),
    Theme(
        "meals",
        Category.OTHER,
        "份",
        ("new_employment",),
        ("骑手就餐难，需暖新餐点", "快递小哥午间用餐优惠"),
        "外卖骑手和快递小哥午晚高峰后就餐不规律，希望附近餐饮门店提供优惠爱心餐和热水。",
        (100, 300),
        (("{owner}暖新餐点爱心餐", "meal_shop"),),
        "餐饮门店设立暖新餐点，为骑手、快递员提供优惠爱心餐、免费热水和微波炉加热。",
        (600, 1500),
        "暖新餐点·爱心餐",
        ("暖新餐点爱心餐供应", "免费热水和加热服务"),
        ("骑手们说吃上了热饭。", "价格实惠，分量足。", "希望晚上也能供应。"),
        (20, 80),
    ),
    Theme(
        "rest",
        Category.OTHER,
        "人次",
        ("new_employment",),
        ("骑手歇脚充电点", "夏季防暑降温物资"),
        "骑手在街区没有歇脚的地方，夏天需要防暑降温物资，电动车也需要充电。",
        (50, 150),
        (("{owner}小哥加油站歇脚驿站", "shop"), ("防暑降温爱心包", "union")),
        "小哥加油站提供歇脚、充电、饮水、应急药箱，夏季发放防暑降温爱心包。",
        (600, 1200),
        "小哥加油站",
        ("驿站歇脚充电服务", "防暑降温物资发放"),
        ("有地方歇脚充电，很贴心。", "物资发得很及时。"),
        (20, 80),
    ),
    Theme(
        "care",
        Category.CARE,
        "人",
        ("children", "elderly", "workers"),
        ("员工子女暑期托管", "独居老人助餐需求"),
        "门店员工暑假期间孩子无人照看；辖区独居老人需要助餐服务。",
        (5, 20),
        (("暑期爱心托管班", "women"), ("{owner}老年助餐点", "meal_shop")),
        "暑期爱心托管班为职工子女提供看护、作业辅导和兴趣课程；老年助餐点为独居老人提供午餐。",
        (60, 120),
        "爱心托管·助老助餐",
        ("暑期爱心托管班", "老年助餐服务"),
        ("家长放心上班了。", "老人们很满意。"),
        (8, 30),
    ),
]

SKILLS = [
    ("法律咨询、劳动合同解读", Category.ADVICE, "律师"),
    ("调解邻里纠纷", Category.OTHER, "退休社区干部"),
    ("摄影摄像、短视频剪辑", Category.PUBLICITY, "自由摄影师"),
    ("书法、国画", Category.CULTURE_SPORT, "退休教师"),
    ("中医推拿、健康讲座", Category.HEALTH, "社区医生"),
    ("心理咨询", Category.HEALTH, "心理咨询师"),
    ("电脑和手机维修", Category.OTHER, "数码店店主"),
    ("家常菜烹饪", Category.CARE, "餐饮店主"),
    ("财务会计、税务申报", Category.ADVICE, "会计师"),
    ("直播运营、带货", Category.PUBLICITY, "网络主播"),
    ("垃圾分类宣讲", Category.VOLUNTEERING, "外卖骑手"),
    ("家电维修", Category.OTHER, "维修师傅"),
    ("英语翻译", Category.TRAINING, "外企职员"),
    ("广场舞、合唱指挥", Category.CULTURE_SPORT, "退休职工"),
    ("园艺绿化", Category.VOLUNTEERING, "物业绿化工"),
    ("老年照护", Category.CARE, "养老护理员"),
    ("育儿指导", Category.CARE, "幼儿园教师"),
    ("消防安全宣传", Category.VOLUNTEERING, "微型消防站队员"),
    ("电动车维修", Category.OTHER, "快递员"),
    ("职业规划、简历辅导", Category.EMPLOYMENT, "人力资源经理"),
    ("党史宣讲", Category.TRAINING, "退休党务工作者"),
    ("篮球、羽毛球教练", Category.CULTURE_SPORT, "健身教练"),
]


@dataclass
class ServicesSummary:
    needs: int = 0
    resources: int = 0
    projects: int = 0
    deliveries: int = 0
    talents: int = 0
    organisations: int = 0
    reached: int = 0
    flagged: int = 0


def clear_services() -> None:
    """Empty the supply tables and their history (before the Party records they point at)."""
    from django.apps import apps

    for model in apps.get_app_config("services").get_models(include_auto_created=True):
        queryset = model._base_manager.all()
        queryset._raw_delete(queryset.db)


class _Builder:
    def __init__(self, subdistrict: Region, rng: random.Random) -> None:
        self.rng = rng
        self.today = timezone.localdate()
        self.subdistrict = subdistrict
        self.organisations = list(emerging_sector_organisations(subdistrict).order_by("pk"))
        self.points = organisation_points([o.pk for o in self.organisations])
        shops = (
            Entity.objects.filter(
                region__path__startswith=subdistrict.path,
                state=EntityState.OPERATING,
                is_street_shop=True,
                lat__isnull=False,
            )
            .select_related("region")
            .order_by("pk")
        )
        self.shops = list(shops)
        self.meal_shops = [s for s in self.shops if s.industry == "H"] or self.shops
        secretary = User.objects.filter(username="secretary").first()
        self.secretary_branch = secretary.scope_organisation if secretary else None
        self.staff = (
            User.objects.filter(role="subdistrict_staff", scope_region=subdistrict)
            .order_by("pk")
            .first()
        )

    # --- helpers -----------------------------------------------------------------------------

    def day(self, low: int, high: int) -> date:
        """A day between `high` and `low` days ago."""
        return self.today - timedelta(days=self.rng.randint(low, high))

    def between(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def owner_fields(self, owner: Any) -> dict[str, Any]:
        """Owner, region and point of a record owned by `owner` (an organisation, a shop or a
        DEPARTMENTS key)."""
        if isinstance(owner, Organisation):
            lat, lon = self.points.get(owner.pk, (None, None))
            return {"organisation": owner, "region": owner.region, "lat": lat, "lon": lon}
        if isinstance(owner, Entity):
            return {"entity": owner, "region": owner.region, "lat": owner.lat, "lon": owner.lon}
        kind, name = DEPARTMENTS[owner]
        return {"department_kind": kind, "department_name": name, "region": self.subdistrict}

    @staticmethod
    def short_name(owner: Any) -> str:
        if isinstance(owner, Entity):
            return owner.sign_name or owner.name
        name = owner.name.removeprefix("中共").removeprefix("上海")
        for suffix in ("联合党支部", "党总支", "党支部", "支部委员会", "委员会"):
            name = name.removesuffix(suffix)
        return name

    def pick_owner(self, kind: str) -> Any:
        if kind == "org":
            return self.rng.choice(self.organisations)
        if kind == "shop":
            return self.rng.choice(self.shops)
        if kind == "meal_shop":
            return self.rng.choice(self.meal_shops)
        return kind

    # --- resources ---------------------------------------------------------------------------

    def resources(self) -> list[Resource]:
        made: list[Resource] = []
        titles: set[str] = set()
        for i in range(RESOURCES):
            theme = THEMES[i % len(THEMES)]
            pattern, kind = theme.resources[(i // len(THEMES)) % len(theme.resources)]
            owner = self.pick_owner(kind)
            title = pattern.format(owner=self.short_name(owner) if "{owner}" in pattern else "")
            if title in titles:
                title = f"{title}（第{sum(t.startswith(title) for t in titles) + 1}期）"
            titles.add(title)
            starts = self.day(330, 420)
            ends = (
                None
                if self.rng.random() < 0.3
                else self.today + timedelta(days=self.rng.randint(60, 365))
            )
            made.append(
                Resource(
                    title=title,
                    category=theme.category,
                    target_groups=encode_groups(theme.groups),
                    quantity=self.rng.randint(*theme.resource_qty),
                    unit=theme.unit,
                    starts_on=starts,
                    ends_on=ends,
                    description=theme.resource_text,
                    state=ResourceState.AVAILABLE,
                    **self.owner_fields(owner),
                )
            )
        return bulk_create_with_history(made, Resource, default_user=self.staff)

    # --- needs -------------------------------------------------------------------------------

    def needs(self, flagged: list[Organisation]) -> list[Need]:
        """83 needs: the flagged organisations' first (still open), the secretary's branch's,
        then organisations', shops' and departments'."""
        owners: list[Any] = list(flagged)
        if self.secretary_branch is not None:
            owners += [self.secretary_branch] * 2
        others = [o for o in self.organisations if o not in flagged]
        while len(owners) < 70:
            owners.append(self.rng.choice(others))
        owners += self.rng.sample(self.shops, 10)
        owners += ["city", "police", "market"]
        made: list[Need] = []
        for i, owner in enumerate(owners):
            theme = THEMES[(i * 5 + 3) % len(THEMES)]
            if owner in flagged:
                theme = THEMES[i % len(THEMES)]
            title = theme.needs[(i // len(THEMES)) % len(theme.needs)]
            raised = self.day(5, 330)
            starts = raised + timedelta(days=self.rng.randint(0, 20))
            ends = (
                None
                if self.rng.random() < 0.25
                else starts + timedelta(days=self.rng.randint(120, 365))
            )
            made.append(
                Need(
                    title=title,
                    category=theme.category,
                    target_groups=encode_groups(theme.groups),
                    quantity=self.rng.randint(*theme.need_qty),
                    unit=theme.unit,
                    starts_on=min(starts, self.today),
                    ends_on=ends,
                    description=theme.need_text,
                    raised_on=raised,
                    state=NeedState.OPEN,
                    **self.owner_fields(owner),
                )
            )
        return made

    # --- projects ----------------------------------------------------------------------------

    def projects(
        self, resources: list[Resource], needs: list[Need], flagged: list[Organisation]
    ) -> tuple[list[Project], list[ProjectResource], list[tuple[int, int]], list[Delivery]]:
        rng = self.rng
        by_category_title = {
            theme.key: [r for r in resources if r.description == theme.resource_text]
            for theme in THEMES
        }
        needs_of = {
            theme.key: [
                n
                for n in needs
                if n.description == theme.need_text and n.organisation not in flagged
            ]
            for theme in THEMES
        }
        for pool in needs_of.values():
            rng.shuffle(pool)
        left = {r.pk: r.quantity for r in resources}
        states = list(STATES)
        rng.shuffle(states)
        projects: list[Project] = []
        uses: list[tuple[int, Resource, int]] = []
        linked: list[tuple[int, Need]] = []
        place = self.subdistrict.name.removesuffix("街道")
        for i in range(PROJECTS):
            theme = THEMES[i % len(THEMES)]
            state = states[i]
            if state == ProjectState.PLANNED:
                starts = self.today + timedelta(days=rng.randint(5, 40))
                ends = starts + timedelta(days=rng.randint(60, 180))
            elif state == ProjectState.COMPLETED:
                starts = self.day(150, 330)
                ends = starts + timedelta(days=rng.randint(30, 120))
                ends = min(ends, self.today - timedelta(days=1))
            else:
                starts = self.day(20, 300)
                ends = (
                    None
                    if rng.random() < 0.3
                    else self.today + timedelta(days=rng.randint(30, 200))
                )
            pool = [r for r in by_category_title[theme.key] if left[r.pk] > 0]
            chosen = rng.sample(pool, min(len(pool), 2 if rng.random() < 0.25 else 1))
            provider = chosen[0] if chosen else rng.choice(by_category_title[theme.key])
            meets = []
            wanted = 0 if state == ProjectState.CANCELLED else (2 if rng.random() < 0.1 else 1)
            wanted = min(wanted, LINKED_NEEDS - len(linked))
            while needs_of[theme.key] and len(meets) < wanted:
                meets.append(needs_of[theme.key].pop())
            anchor = meets[0] if meets else provider
            project = Project(
                title=f"{theme.project}（{place}·{i // len(THEMES) + 1}期）",
                category=theme.category,
                target_groups=encode_groups(theme.groups),
                organisation=provider.organisation,
                department_kind=provider.department_kind,
                department_name=provider.department_name,
                entity=provider.entity,
                quantity=rng.randint(*theme.need_qty) * rng.randint(2, 4),
                unit=theme.unit,
                starts_on=starts,
                ends_on=ends,
                description=f"{theme.resource_text}本期面向辖区两新组织，按需求清单对接落实。",
                region=self.subdistrict,
                lat=anchor.lat,
                lon=anchor.lon,
                state=state,
            )
            projects.append(project)
            for resource in chosen:
                share = max(1, min(left[resource.pk], resource.quantity // rng.randint(3, 5)))
                left[resource.pk] -= share
                uses.append((i, resource, share))
            for need in meets:
                linked.append((i, need))
                need.raised_on = min(need.raised_on, starts - timedelta(days=rng.randint(5, 30)))
                need.starts_on = min(need.starts_on, need.raised_on + timedelta(days=3))
                if state == ProjectState.COMPLETED:
                    need.state, need.met_on = NeedState.MET, ends
                elif state in (ProjectState.RUNNING, ProjectState.PLANNED):
                    need.state = NeedState.MATCHED
        # A few resources taken to the last unit: fully committed or used up.
        for resource in resources[:6]:
            if left[resource.pk] > 0 and any(r is resource for _i, r, _q in uses):
                i, r, q = next(u for u in uses if u[1] is resource)
                uses[uses.index((i, r, q))] = (i, r, q + left[resource.pk])
                left[resource.pk] = 0
        # Open needs spread over ages; a few closed without a project.
        unlinked = [
            n for n in needs if n.state == NeedState.OPEN and all(n is not x for _i, x in linked)
        ]
        for need in unlinked[OPEN_NEEDS:]:
            need.state = NeedState.CLOSED
        for k, need in enumerate(unlinked[:OPEN_NEEDS]):
            need.raised_on = self.day(*[(5, 30), (31, 90), (91, 180), (181, 300)][k % 4])
            need.starts_on = need.raised_on
            if need.ends_on and need.ends_on < need.starts_on:
                need.ends_on = None
        saved = bulk_create_with_history(projects, Project, default_user=self.staff)
        allocations = [
            ProjectResource(project=saved[i], resource=r, quantity=q) for i, r, q in uses
        ]
        links = [(saved[i].pk, need) for i, need in linked]
        deliveries = self.deliveries(saved, flagged, linked)
        return saved, allocations, links, deliveries

    def deliveries(
        self, projects: list[Project], flagged: list[Organisation], linked: list[tuple[int, Need]]
    ) -> list[Delivery]:
        rng = self.rng
        theme_of = {p.pk: THEMES[i % len(THEMES)] for i, p in enumerate(projects)}
        delivering = [
            p for p in projects if p.state in (ProjectState.COMPLETED, ProjectState.RUNNING)
        ]
        receivers = [o for o in self.organisations if o not in flagged]
        rng.shuffle(receivers)
        targets: dict[int, list[Organisation]] = {p.pk: [] for p in delivering}
        for k, organisation in enumerate(receivers):
            targets[delivering[k % len(delivering)].pk].append(organisation)
        # A project meeting an organisation's need delivers to it.
        for i, need in linked:
            project = projects[i]
            if project.pk in targets and need.organisation is not None:
                targets[project.pk].append(need.organisation)
        if self.secretary_branch is not None:
            targets[delivering[0].pk].append(self.secretary_branch)
        for pk in targets:
            targets[pk] += rng.sample(receivers, rng.randint(1, 3))
        made: list[Delivery] = []
        year_ago = self.today - timedelta(days=360)
        for project in delivering:
            theme = theme_of[project.pk]
            last = min(project.ends_on or self.today, self.today)
            first = max(project.starts_on, year_ago)
            for organisation in dict.fromkeys(targets[project.pk]):
                rated = rng.random() < 0.8
                made.append(
                    Delivery(
                        project=project,
                        organisation=organisation,
                        delivered_on=self.between(first, last),
                        what=rng.choice(theme.what),
                        participants=rng.randint(*theme.participants),
                        rating=rng.choice((3, 4, 4, 5, 5, 5)) if rated else None,
                        feedback=rng.choice(theme.feedback) if rated else "",
                        recorded_by=self.staff,
                    )
                )
        return bulk_create_with_history(made, Delivery, default_user=self.staff)

    # --- talents -----------------------------------------------------------------------------

    def talents(self, projects: list[Project]) -> list[Talent]:
        rng = self.rng
        people = People(rng)
        areas = list(
            Region.objects.filter(parent=self.subdistrict, level=RegionLevel.AREA).order_by("code")
        ) or [self.subdistrict]
        councils = list(
            Council.objects.filter(region__path__startswith=self.subdistrict.path, is_active=True)
            .select_related("region")
            .order_by("pk")
        )
        made: list[Talent] = []
        for i in range(TALENTS):
            skills, category, occupation = SKILLS[i % len(SKILLS)]
            own = rng.random() < 0.7
            consented = timezone.make_aware(
                datetime.combine(self.day(10, 700), time(rng.randint(8, 20), rng.randint(0, 59)))
            )
            talent = Talent(
                name=people.name(),
                skills=skills,
                category=category,
                occupation=occupation,
                region=rng.choice(areas),
                source=TalentSource.SELF if own else TalentSource.STAFF,
                consent_text=str(
                    talent_rules.CONSENT_TEXT if own else talent_rules.STAFF_CONSENT_TEXT
                ),
                consented_at=consented,
                token="".join(rng.choice(TOKEN_CHARS) for _ in range(22)),
                entered_by=None if own else self.staff,
                **phone_fields(people.phone("136")),
            )
            made.append(talent)
        saved = bulk_create_with_history(made, Talent, default_user=self.staff)
        council_links, project_links = [], []
        delivering = [p for p in projects if p.state != ProjectState.CANCELLED]
        for talent in saved:
            if councils:
                near = [c for c in councils if c.region.path.startswith(talent.region.path)]
                for council in rng.sample(
                    near or councils, min(len(near or councils), rng.randint(1, 2))
                ):
                    council_links.append(
                        Talent.councils.through(talent_id=talent.pk, council_id=council.pk)
                    )
            if rng.random() < 0.6:
                for project in rng.sample(delivering, rng.randint(1, 2)):
                    project_links.append(
                        Talent.projects.through(talent_id=talent.pk, project_id=project.pk)
                    )
        Talent.councils.through.objects.bulk_create(council_links)
        Talent.projects.through.objects.bulk_create(project_links)
        TalentInvite.objects.create(
            region=self.subdistrict,
            token="".join(rng.choice(TOKEN_CHARS) for _ in range(22)),
            created_by=self.staff,
        )
        return saved


def _resource_states(resources: list[Resource], allocations: list[ProjectResource]) -> None:
    taken: dict[int, int] = {}
    states: dict[int, set[str]] = {}
    for a in allocations:
        if a.project.state == ProjectState.CANCELLED:
            continue
        taken[a.resource.pk] = taken.get(a.resource.pk, 0) + a.quantity
        states.setdefault(a.resource.pk, set()).add(a.project.state)
    changed = []
    for resource in resources:
        if resource.quantity - taken.get(resource.pk, 0) <= 0:
            done = states.get(resource.pk) == {ProjectState.COMPLETED}
            resource.state = ResourceState.USED_UP if done else ResourceState.COMMITTED
            changed.append(resource)
    Resource.objects.bulk_update(changed, ["state"])
    # The history's first record says "available"; the demo's state is what it has now.
    for resource in changed:
        resource.history.filter(history_type="+").update(state=resource.state)


def build_services(subdistrict: Region, rng: random.Random) -> ServicesSummary:
    """The supply lists, deliveries and talents of `subdistrict` (after build_party and the
    councils demo, whose councils the talents join)."""
    builder = _Builder(subdistrict, rng)
    if not builder.organisations or not builder.shops:
        return ServicesSummary()
    candidates = [
        o
        for o in builder.organisations
        if o != builder.secretary_branch
        and o.category not in (OrgCategory.STREET_BLOCK, OrgCategory.MOBILE_MEMBER)
        and o.level == "branch"
    ]
    flagged = rng.sample(candidates, FLAGGED)
    resources = builder.resources()
    needs = builder.needs(flagged)
    projects, allocations, links, deliveries = builder.projects(resources, needs, flagged)
    needs = bulk_create_with_history(needs, Need, default_user=builder.staff)
    bulk_create_with_history(allocations, ProjectResource, default_user=builder.staff)
    Project.needs.through.objects.bulk_create(
        [Project.needs.through(project_id=p, need_id=n.pk) for p, n in links]
    )
    _resource_states(resources, allocations)
    talents = builder.talents(projects)
    reached = len({d.organisation_id for d in deliveries})
    return ServicesSummary(
        needs=len(needs),
        resources=len(resources),
        projects=len(projects),
        deliveries=len(deliveries),
        talents=len(talents),
        organisations=len(builder.organisations),
        reached=reached,
        flagged=len(builder.organisations) - reached,
    )
