"""The demo's road surveys (道路调研).

The seed: a one-on-one visit of 110 shops on one road became a "business mix and environment"
report to the subdistrict. The demo's busiest road has fewer street shops than that (about 40),
so the survey takes every street shop of that road and tops it up with the nearest street shops
of the neighbouring roads (the survey's purpose says so) to reach 110. Every shop is visited,
the questionnaire answered, demands raised (some handed to the demands desk as cases, which
the branch then solved), and the authors wrote findings and recommendations, so the PDF report
is full.

A second survey, of the road the demo grid worker walks, is under way (about 40% visited): a
grid worker logging in has shops to visit.

Deterministic for a seed and a day.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from shapely.geometry import Point, shape

from jiequ.accounts.models import User
from jiequ.accounts.roles import Role
from jiequ.areas.models import Region, Road
from jiequ.cases.models import Level, Source, State
from jiequ.ledger.models import Entity
from jiequ.surveys import plan, report
from jiequ.surveys.models import (
    StateFound,
    Survey,
    SurveyDemand,
    SurveyState,
    SurveyVisit,
)
from jiequ.surveys.questions import NO, YES, default_questions

from .cases import CaseWriter
from .people import aware

SHOPS = 110
UNDER_WAY_SHARE = 0.4

# Demands shops raise on a survey visit: (category code, what they said).
DEMANDS: list[tuple[str, str]] = [
    ("S0201", "顾客停车难，希望协调周边错峰停车位"),
    ("S0201", "晚市高峰门前无处停车，希望开放附近写字楼夜间车位"),
    ("S0202", "进货车辆无处临时停靠，希望划设装卸点"),
    ("C0303", "店招更换审批流程不清楚，希望一次告知"),
    ("E0104", "希望允许在门前规范设置外摆桌椅"),
    ("E0106", "湿垃圾投放时间与打烊时间不一致"),
    ("E0106", "希望增加晚间垃圾收运班次"),
    ("S0105", "房租上涨压力大，希望协调房东"),
    ("S0101", "食品经营许可证延续办理咨询"),
    ("S0102", "希望了解小微企业减税和稳岗补贴政策"),
    ("S0104", "招工难，希望对接就业服务站"),
    ("C0103", "门前雨水箅子经常堵塞，雨天积水"),
    ("E0202", "门前非机动车乱停，影响顾客进出"),
    ("C0105", "门前路灯不亮，晚上营业很暗"),
    ("S0303", "希望增设公共休息座椅"),
    ("S0502", "希望附近有快递外卖小哥歇脚充电点"),
]
WISHES = [
    "希望街道多组织商户交流活动",
    "希望停车问题能尽快解决",
    "街区党支部书记来得勤，有事好商量",
    "希望道路整治时提前通知商户",
    "希望加强夜间巡逻",
    "希望整条街统一做节日亮化",
    "希望有更多促消费活动带动客流",
    "希望简化证照办理手续",
]
IMPROVE_WEIGHTS = {
    "停车难": 45,
    "环境卫生": 25,
    "店招店牌审批": 20,
    "外摆位管理": 20,
    "证照办理": 12,
    "租金": 30,
    "治安": 6,
    "绿化景观": 10,
    "客流引导": 18,
}
RECOMMENDATIONS = "\n".join(
    [
        "一、推广错峰停车。协调大田路周边写字楼和住宅小区，在夜间和周末向沿街商户顾客开放错峰"
        "车位，由街委会牵头签订共享协议，半年内新增错峰车位100个以上。",
        "二、优化垃圾分类收运。为沿街餐饮商户增设21:00—22:30晚间湿垃圾收运班次，箱房开放时间"
        "与商户打烊时间衔接。",
        "三、店招店牌审批“一次告知、一窗受理”。街道城运中心会同城管中队编制店招设置指引，商户"
        "更换店招一次性告知材料和样式要求。",
        "四、试点规范外摆。在人行道宽度3米以上路段试点“外摆导则”，划定外摆区域和时段，由街委会"
        "组织商户自治管理。",
        "五、固定“书记走访日”。街区党支部书记每月走访沿街商户，诉求当场登记，支部能解决的当场"
        "协调，解决不了的按“支部—议事会—网格会商—区城运平台”逐级上报，限时回复。",
    ]
)


@dataclass
class SurveysSummary:
    surveys: int = 0
    shops: int = 0
    visited: int = 0
    demands: int = 0
    cases: int = 0
    road: str = ""
    topped_up: int = 0  # shops from neighbouring roads


def _street_shops(subdistrict: Region) -> Any:
    return Entity.objects.filter(
        region__path__startswith=subdistrict.path, is_street_shop=True
    ).exclude(state__in=plan.GONE_STATES)


def _team(entities: list[Entity]) -> list[User]:
    grids = {e.region_id for e in entities}
    workers = list(
        User.objects.filter(
            role=Role.GRID_WORKER, is_active=True, scope_region_id__in=grids
        ).order_by("username")
    )
    secretaries = list(
        User.objects.filter(role=Role.BRANCH_SECRETARY, is_active=True).order_by("username")
    )
    return workers + secretaries


def _answers(rng: random.Random, entity: Entity) -> dict[str, Any]:
    catering = entity.industry == "H"
    improve = [
        option
        for option, weight in IMPROVE_WEIGHTS.items()
        if rng.random()
        < weight / 100 * (1.4 if catering and option in ("停车难", "环境卫生") else 1)
    ] or ["停车难"]
    answers: dict[str, Any] = {
        "q1": rng.choices(["不满1年", "1–3年", "3–5年", "5年以上"], weights=[12, 30, 25, 33])[0],
        "q2": rng.choices(["变好", "持平", "变差"], weights=[24, 46, 30])[0],
        "q3": rng.choices(["较大", "一般", "较小"], weights=[46, 40, 14])[0],
        "q4": improve[:3],
        "q5": YES if rng.random() < 0.64 else NO,
        "q6": entity.worker_count or rng.randint(1, 12),
    }
    if rng.random() < 0.4:
        answers["q7"] = rng.choice(WISHES)
    return answers


def _findings(data: report.Report, road: str, topped_up: int) -> str:
    operating = next((r.n for r in data.states if r.label == StateFound.OPERATING.label), 0)
    mix = "、".join(f"{r.label.split(' ', 1)[-1]}{r.percent}" for r in data.industry[:3])
    demands = "、".join(f"{r.label}{r.n}件" for r in data.demands[:4])
    return (
        f"调研组对{road}及周边共{data.total}家沿街商铺逐户走访（其中{topped_up}家位于相邻道路），"
        f"走访{data.visited}家，正常经营{operating}家。\n"
        f"业态以{mix}为主，个体工商户和小微企业占多数。\n"
        f"商户共反映诉求{data.demand_count}件，集中在{demands}；"
        f"其中{data.cases_opened}件当场转入诉求台账，由街区党支部逐件跟进。"
    )


def build_surveys(subdistrict: Region, rng: random.Random) -> SurveysSummary:
    """The 110-shop road survey (done, with its report) and one under way."""
    today = timezone.localdate()
    shops = _street_shops(subdistrict)
    busiest = (
        Road.objects.filter(subdistrict=subdistrict)
        .annotate(n=Count("entities", filter=Q(entities__in=shops)))
        .order_by("-n", "name")
        .first()
    )
    staff = (
        User.objects.filter(role=Role.SUBDISTRICT_STAFF, scope_region=subdistrict).first()
        or User.objects.filter(is_superuser=True).first()
    )
    if busiest is None or staff is None:
        return SurveysSummary()
    on_road = list(shops.filter(road=busiest).select_related("road", "region"))
    topped_up: list[Entity] = []
    if len(on_road) < SHOPS and busiest.line:
        line = shape(busiest.line)
        others = [
            e
            for e in shops.exclude(road=busiest).select_related("road", "region")
            if e.lat is not None
        ]
        others.sort(key=lambda e: (line.distance(Point(float(e.lon), float(e.lat))), e.pk))
        topped_up = others[: SHOPS - len(on_road)]
    entities = (on_road + topped_up)[:SHOPS]
    starts = today - dt.timedelta(days=150)
    ends = starts + dt.timedelta(days=21)
    survey = plan.create_survey(
        user=staff,
        title=f"{busiest.name}沿街商铺营商环境一对一走访调研",
        entities=entities,
        starts_on=starts,
        ends_on=ends,
        road=busiest,
        visitors=_team(entities),
        questions=default_questions(),
        purpose=(
            f"摸清{busiest.name}沿街商铺的业态结构、经营状况和诉求，为街区治理和营商环境改善"
            f"提供依据。{busiest.name}共有沿街商铺{len(on_road)}家，另走访相邻道路最近的"
            f"{len(topped_up)}家，合计{len(entities)}家。"
        ),
    )
    summary = SurveysSummary(road=busiest.name, topped_up=len(topped_up))
    writer = CaseWriter(subdistrict, rng)
    visits = list(
        SurveyVisit.objects.filter(survey=survey).select_related("entity", "entity__road")
    )
    demands: list[tuple[SurveyDemand, Any]] = []
    for visit in visits:
        _visit(rng, visit, starts, ends)
        if visit.state_found != StateFound.OPERATING:
            continue
        for code, text in rng.sample(DEMANDS, k=rng.choices([0, 1, 2], weights=[50, 38, 12])[0]):
            if code not in writer.categories:
                continue
            demand = SurveyDemand(visit=visit, category=writer.categories[code], text=text)
            case = None
            if rng.random() < 0.3:
                # Handed to the demands desk: the branch took it up and solved it.
                at = aware(visit.visited_on, rng.randint(10, 17), rng.randint(0, 59))
                case = writer.case(
                    at,
                    source=Source.VISIT,
                    path=[Level.BRANCH],
                    outcome=State.CLOSED,
                    place=writer.place(entity=visit.entity),
                    code=code,
                    texts=(
                        f"{visit.entity.sign_name or visit.entity.name}：{text}"[:100],
                        f"道路调研“{survey.title}”中反映：{text}",
                    ),
                )
            demands.append((demand, case))
    SurveyVisit.objects.bulk_update(
        visits, ["visited_on", "state_found", "answers", "notes", "recorded_by", "visitor"]
    )
    writer.save()
    for demand, case in demands:
        demand.case = case
    SurveyDemand.objects.bulk_create([d for d, _c in demands])
    survey.state = SurveyState.DONE
    survey.author = staff
    data = report.build(survey)
    survey.findings = _findings(data, busiest.name, len(topped_up))
    survey.recommendations = RECOMMENDATIONS.replace("大田路", busiest.name)
    survey.save()
    summary.surveys = 1
    summary.shops = data.total
    summary.visited = data.visited
    summary.demands = len(demands)
    summary.cases = sum(1 for _d, c in demands if c is not None)
    _under_way(subdistrict, rng, shops, staff, exclude=busiest)
    summary.surveys += 1
    return summary


def _visit(rng: random.Random, visit: SurveyVisit, starts: dt.date, ends: dt.date) -> None:
    visit.visited_on = starts + dt.timedelta(days=rng.randint(0, (ends - starts).days))
    visit.state_found = rng.choices(
        [StateFound.OPERATING, StateFound.CLOSED, StateFound.MOVED], weights=[92, 5, 3]
    )[0]
    visit.recorded_by = visit.visitor
    if visit.state_found == StateFound.OPERATING:
        visit.answers = _answers(rng, visit.entity)
        if rng.random() < 0.15:
            visit.notes = rng.choice(
                ["店主外出，由店长接待", "正在装修，下月重新开业", "老板很健谈"]
            )
    else:
        visit.answers = {}
        visit.notes = (
            "卷帘门紧闭，已张贴转让告示"
            if visit.state_found == StateFound.CLOSED
            else ("已搬至附近新店址")
        )


def _under_way(
    subdistrict: Region, rng: random.Random, shops: Any, staff: User, exclude: Road
) -> Survey:
    """A survey of the demo grid worker's road, about 40% visited."""
    grid_user = User.objects.filter(username="grid").select_related("scope_region").first()
    road = None
    if grid_user is not None and grid_user.scope_region is not None:
        road = (
            Road.objects.filter(subdistrict=subdistrict)
            .exclude(pk=exclude.pk)
            .annotate(
                n=Count(
                    "entities",
                    filter=Q(
                        entities__in=shops,
                        entities__region__path__startswith=grid_user.scope_region.path,
                    ),
                )
            )
            .order_by("-n", "name")
            .first()
        )
    if road is None:
        road = Road.objects.filter(subdistrict=subdistrict).exclude(pk=exclude.pk).first()
    entities = list(shops.filter(road=road).select_related("road", "region"))
    today = timezone.localdate()
    team = [u for u in _team(entities) if u.role == Role.GRID_WORKER] or [staff]
    if grid_user is not None and grid_user not in team:
        team.insert(0, grid_user)
    survey = plan.create_survey(
        user=staff,
        title=f"{road.name}沿街商铺回访",
        entities=entities,
        starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=14),
        road=road,
        visitors=team,
        purpose=f"回访{road.name}沿街商铺，了解错峰停车和垃圾分类新措施落实后的感受。",
    )
    visits = list(
        SurveyVisit.objects.filter(survey=survey).select_related("entity").order_by("order")
    )
    done = visits[: round(len(visits) * UNDER_WAY_SHARE)]
    for visit in done:
        _visit(rng, visit, today - dt.timedelta(days=7), today - dt.timedelta(days=1))
    SurveyVisit.objects.bulk_update(
        done, ["visited_on", "state_found", "answers", "notes", "recorded_by"]
    )
    survey.state = SurveyState.IN_PROGRESS
    survey.save(update_fields=["state", "updated_at"])
    return survey
