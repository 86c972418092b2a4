"""The demo subdistrict's service points for new-employment workers and its volunteer pool.

The seed: "warm meal points" (暖新餐点) and riders' stations (小哥加油站) that keep 500+
couriers, riders, drivers and livestreamers as a standing volunteer force. Here:

- 9 service points beside the subdistrict's roads: 4 warm meal points in restaurants of the
  ledger, 3 riders' stations (one in the grid of the demo grid worker), 1 shared rest point in
  a bank branch, and 1 former meal point no longer in service; each with its offers and hours;
- a sign-up code per point and per area;
- 600 volunteers who signed up over the last 20 months, ever more of them (test phone numbers
  of the 1380013xxxx range only): 15 waiting for review, 20 set aside as inactive, 25 withdrawn
  (their personal details gone, their hours kept), the rest active;
- about 230 tasks over the last year and the next three weeks (road safety at the crossings,
  lunchtime duty at the meal points, evening patrols, help for elderly neighbours, clean-ups,
  publicity, event support and a typhoon watch), the places filled from the volunteers free at
  that time, fewest services first; hours confirmed by staff, the last few days' still waiting.

The pool grows to 500+ this month (see jiequ.volunteers.pool for the definition).
Deterministic for a seed and a day, except the private-link tokens, which are real secrets.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from jiequ.accounts.models import User
from jiequ.accounts.roles import Role
from jiequ.areas.models import Building, Region, RegionLevel
from jiequ.core import crypto
from jiequ.ledger.models import Entity, EntityState, Industry
from jiequ.volunteers.forms import CONSENT_TEXT
from jiequ.volunteers.models import (
    DayPart,
    Occupation,
    Platform,
    PointKind,
    ServicePoint,
    SignupSource,
    SignupState,
    Skill,
    TaskKind,
    TaskSignup,
    Volunteer,
    VolunteerCode,
    VolunteerState,
    VolunteerTask,
)

from .people import People

VOLUNTEERS = 600
PENDING, INACTIVE, WITHDRAWN = 15, 20, 25
HISTORY_DAYS = 600  # the first sign-ups, about 20 months ago
TASK_DAYS = 365
FUTURE_DAYS = 21

ALL_WEEK = {str(d): [["07:00", "21:00"]] for d in range(7)}
MEALTIMES = {str(d): [["10:30", "14:00"], ["17:00", "20:30"]] for d in range(7)}
ROUND_THE_CLOCK = {str(d): [["00:00", "24:00"]] for d in range(7)}
OFFICE_DAYS = {str(d): [["09:00", "17:00"]] for d in range(5)}

MEAL_OFFERS = ["hot_meal", "water", "microwave", "charging", "rest"]
STATION_OFFERS = ["water", "charging", "toilet", "rest", "cooling", "repair", "rain", "first_aid"]
MEAL_NOTES = [
    "骑手、快递员凭工牌或接单界面盒饭八折，爱心套餐15元一份",
    "每天中午提供免费热汤，盒饭九折；微波炉可自助加热",
    "新就业群体专属暖心套餐12元，热水、充电免费",
    "周一至周五午市爱心餐8折，雨天免费送姜茶",
]

# Occupation → weight, and each occupation's platforms and likely skills.
OCCUPATIONS = [
    (Occupation.RIDER, 45),
    (Occupation.COURIER, 30),
    (Occupation.DRIVER, 12),
    (Occupation.LIVESTREAMER, 8),
    (Occupation.OTHER, 5),
]
PLATFORMS = {
    Occupation.RIDER: [
        (Platform.MEITUAN, 55),
        (Platform.ELEME, 35),
        (Platform.SHANSONG, 5),
        (Platform.DADA, 5),
    ],
    Occupation.COURIER: [
        (Platform.SF, 30),
        (Platform.JD, 25),
        (Platform.TONGDA, 35),
        (Platform.DADA, 10),
    ],
    Occupation.DRIVER: [(Platform.DIDI, 60), (Platform.HUOLALA, 35), (Platform.OTHER, 5)],
    Occupation.LIVESTREAMER: [(Platform.DOUYIN, 70), (Platform.KUAISHOU, 30)],
    Occupation.OTHER: [(Platform.OTHER, 100)],
}
SKILLS = {
    Occupation.RIDER: [Skill.TRAFFIC, Skill.SPOTTING, Skill.ERRANDS, Skill.FIRST_AID, Skill.REPAIR],
    Occupation.COURIER: [Skill.ERRANDS, Skill.SPOTTING, Skill.PUBLICITY, Skill.EVENTS],
    Occupation.DRIVER: [Skill.DRIVING, Skill.TRAFFIC, Skill.FIRST_AID, Skill.REPAIR],
    Occupation.LIVESTREAMER: [Skill.LIVESTREAM, Skill.PHOTO, Skill.PUBLICITY, Skill.EVENTS],
    Occupation.OTHER: [Skill.EVENTS, Skill.PHONE_HELP, Skill.PUBLICITY],
}
EXTRA_SKILLS = [Skill.LANGUAGE, Skill.PHONE_HELP, Skill.FIRST_AID, Skill.PHOTO]

# (kind, title pattern, weekday choices, start hour, hours, places, skills wanted)
TASK_TYPES = [
    (TaskKind.ROAD_SAFETY, "{road}路口文明交通劝导", (0, 2, 4), 7, 2, (6, 10), [Skill.TRAFFIC]),
    (TaskKind.POINT_DUTY, "{point}午间值守", (0, 1, 2, 3, 4), 11, 2, (3, 5), []),
    (TaskKind.PATROL, "{road}夜间平安巡防", (1, 3, 5), 19, 2, (6, 12), [Skill.SPOTTING]),
    (TaskKind.ELDERLY, "为{road}独居老人送餐上门", (5,), 10, 3, (6, 10), [Skill.ERRANDS]),
    (TaskKind.ENVIRONMENT, "{road}街面环境整治", (5, 6), 9, 3, (10, 16), []),
    (TaskKind.PUBLICITY, "“骑手安全”主题宣传（{road}）", (2, 6), 15, 2, (5, 8), [Skill.PUBLICITY]),
    (TaskKind.EVENT, "街区党群活动志愿服务", (6,), 14, 3, (8, 15), [Skill.EVENTS, Skill.PHOTO]),
]
EMERGENCY = (TaskKind.EMERGENCY, "防汛防台应急值守", 18, 4, 12, [Skill.FIRST_AID])


@dataclass
class VolunteersSummary:
    points: int
    volunteers: int
    tasks: int
    services: int
    pool: int


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _restaurants(subdistrict: Region, rng: random.Random, count: int) -> list[Entity]:
    shops = list(
        Entity.objects.filter(
            region__path__startswith=subdistrict.path,
            is_street_shop=True,
            industry=Industry.H,
            state=EntityState.OPERATING,
            lat__isnull=False,
        ).order_by("pk")
    )
    rng.shuffle(shops)
    chosen: list[Entity] = []
    for shop in shops:  # spread over grids: one meal point per grid
        if all(shop.region_id != other.region_id for other in chosen):
            chosen.append(shop)
        if len(chosen) == count:
            break
    return chosen


def _near(building: Building, rng: random.Random) -> tuple[Decimal, Decimal]:
    """A point a few metres from a building (a station at its door)."""
    lat = float(building.lat) + rng.uniform(-0.00012, 0.00012)
    lon = float(building.lon) + rng.uniform(-0.00012, 0.00012)
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _points(subdistrict: Region, rng: random.Random) -> list[ServicePoint]:
    points: list[ServicePoint] = []
    for i, shop in enumerate(_restaurants(subdistrict, rng, 4)):
        points.append(
            ServicePoint(
                kind=PointKind.MEAL_POINT,
                name=f"{shop.sign_name or shop.name}暖新餐点",
                address=shop.address,
                lat=shop.lat,
                lon=shop.lon,
                region=shop.region,
                host_entity=shop,
                offers=MEAL_OFFERS if i % 2 == 0 else MEAL_OFFERS[:3] + ["toilet"],
                offer_note=MEAL_NOTES[i % len(MEAL_NOTES)],
                hours=MEALTIMES if i % 2 else ALL_WEEK,
                hours_note="法定节假日照常开放",
            )
        )
    grids = list(
        Region.objects.filter(path__startswith=subdistrict.path, level=RegionLevel.GRID).order_by(
            "path"
        )
    )
    # The demo grid worker's grid (新闸网格, 0201) has a station, so they have a point to keep.
    worker_grid = next((g for g in grids if g.code == "0201"), grids[0])
    stations = [
        (worker_grid, "新闸路小哥加油站", "石门二路街道党群服务中心", ROUND_THE_CLOCK,
         "24小时开放，夜间请按门铃"),
        (grids[len(grids) // 2], "骑手驿站·暖心小屋", "新就业群体服务站（服务阵地）", ALL_WEEK, ""),
        (grids[-1], "苏河湾小哥加油站", "苏河湾物业服务中心", ALL_WEEK, "台风暴雨天延长至23:00"),
    ]  # fmt: skip
    for grid, name, host, hours, note in stations:
        building = Building.objects.filter(region=grid).order_by("pk").first()
        if building is None:
            continue
        lat, lon = _near(building, rng)
        points.append(
            ServicePoint(
                kind=PointKind.RIDER_STATION,
                name=name,
                address=building.address,
                lat=lat,
                lon=lon,
                region=grid,
                host_name=host,
                offers=STATION_OFFERS if name.endswith("加油站") else STATION_OFFERS[:5],
                offer_note="免费饮用水、充电宝、应急药箱；电动车打气筒和简单工具自取",
                hours=hours,
                hours_note=note,
            )
        )
    bank = Building.objects.filter(region=grids[1]).order_by("-pk").first() or building
    lat, lon = _near(bank, rng)
    points.append(
        ServicePoint(
            kind=PointKind.OTHER,
            name="工行石门二路支行爱心驿站",
            address=bank.address,
            lat=lat,
            lon=lon,
            region=bank.region,
            host_name="中国工商银行石门二路支行",
            offers=["water", "toilet", "rest", "cooling", "wifi", "charging"],
            offer_note="营业时间内户外劳动者可进门休息、喝水、如厕",
            hours=OFFICE_DAYS,
        )
    )
    old = _restaurants(subdistrict, random.Random(rng.random()), 6)[-1]
    points.append(
        ServicePoint(
            kind=PointKind.MEAL_POINT,
            name=f"{old.sign_name or old.name}暖新餐点（已停止）",
            address=old.address,
            lat=old.lat,
            lon=old.lon,
            region=old.region,
            host_entity=old,
            offers=["hot_meal", "water"],
            offer_note="店铺装修，暂停服务",
            hours=MEALTIMES,
            is_active=False,
        )
    )
    return bulk_create_with_history(points, ServicePoint)


def _signup_day(rng: random.Random, today: dt.date) -> dt.date:
    """Sign-ups over the last HISTORY_DAYS, ever more of them (the pool grows)."""
    # A quadratic ramp: the density of sign-ups grows linearly with time.
    back = int(HISTORY_DAYS * (1 - rng.random() ** 0.5))
    return today - dt.timedelta(days=back)


def _availability(rng: random.Random, occupation: str) -> list[str]:
    slots = []
    for day in range(7):
        weekend = day >= 5
        for part in DayPart:
            # Riders and couriers are busiest at meal times and in the morning delivery rush:
            # afternoons, evenings and weekend mornings are when they can give time.
            p = {"am": 0.45 if weekend else 0.12, "pm": 0.35, "ev": 0.4}[part.value]
            if occupation == Occupation.LIVESTREAMER:
                p = {"am": 0.4, "pm": 0.45, "ev": 0.1}[part.value]
            if rng.random() < p:
                slots.append(f"{day}{part.value}")
    return slots or [f"{rng.randrange(7)}pm"]


def _skills(rng: random.Random, occupation: str) -> list[str]:
    own = SKILLS[occupation]
    picked = rng.sample(own, k=rng.randint(1, min(3, len(own))))
    if rng.random() < 0.25:
        picked.append(rng.choice(EXTRA_SKILLS))
    return list(dict.fromkeys(picked))


def _volunteers(
    rng: random.Random, today: dt.date, codes: list[VolunteerCode], staff: User | None
) -> list[Volunteer]:
    people = People(rng)
    numbers = rng.sample(range(10000), VOLUNTEERS)
    with translation.override("zh-hans"):
        consent = str(CONSENT_TEXT)
    point_codes = [c for c in codes if c.point_id]
    records = []
    for i in range(VOLUNTEERS):
        occupation = _weighted(rng, OCCUPATIONS)
        code = rng.choice(point_codes) if rng.random() < 0.85 else rng.choice(codes)
        phone = f"+861380013{numbers[i]:04d}"
        signed = _signup_day(rng, today)
        records.append(
            Volunteer(
                code=code,
                point=code.point,
                region=code.region,
                name=people.name(),
                phone_encrypted=crypto.encrypt(phone),
                phone_hash=crypto.lookup_hash(phone),
                occupation=occupation,
                platform=_weighted(rng, PLATFORMS[occupation]),
                skills=_skills(rng, occupation),
                availability=_availability(rng, occupation),
                consent_text=consent,
                consent_at=_aware(signed, rng.randint(9, 21), rng.randrange(60)),
                submissions=1 if rng.random() < 0.9 else 2,
                state=VolunteerState.ACTIVE,
                signed_up_on=signed,
                confirmed_on=min(signed + dt.timedelta(days=rng.randint(1, 6)), today),
                reviewed_by=staff,
                token=secrets.token_urlsafe(24),
            )
        )
    records.sort(key=lambda v: (v.signed_up_on, v.phone_hash))
    # The newest sign-ups wait for review; some older ones went quiet or withdrew.
    for v in records[-PENDING:]:
        v.state, v.confirmed_on, v.reviewed_by = VolunteerState.PENDING, None, None
    older = records[: -PENDING - 30]
    leavers = rng.sample(older, INACTIVE + WITHDRAWN)
    for n, v in enumerate(leavers):
        earliest = v.confirmed_on + dt.timedelta(days=60)
        if earliest >= today:
            earliest = v.confirmed_on + dt.timedelta(days=1)
        v.left_on = earliest + dt.timedelta(days=rng.randint(0, max((today - earliest).days, 0)))
        v.left_on = min(v.left_on, today)
        v.state = VolunteerState.INACTIVE if n < INACTIVE else VolunteerState.WITHDRAWN
    return bulk_create_with_history(records, Volunteer, batch_size=500)


def _withdraw(volunteers: list[Volunteer]) -> None:
    """Withdrawn volunteers keep dates and hours only (as jiequ.volunteers.signup.withdraw)."""
    gone = [v for v in volunteers if v.state == VolunteerState.WITHDRAWN]
    for v in gone:
        v.name = v.phone_encrypted = v.phone_hash = v.consent_text = ""
        v.skills, v.availability, v.code = [], [], None
    Volunteer.objects.bulk_update(
        gone,
        ["name", "phone_encrypted", "phone_hash", "consent_text", "skills", "availability", "code"],
    )
    Volunteer.history.filter(id__in=[v.pk for v in gone]).update(
        name="", skills="", availability="", consent_text="", code=None
    )


def _task_days(rng: random.Random, today: dt.date) -> list[tuple[dt.date, tuple]]:
    """(day, task type) for every task of the last year and the next weeks."""
    plan = []
    for back in range(TASK_DAYS, -FUTURE_DAYS - 1, -1):
        day = today - dt.timedelta(days=back)
        age = back / TASK_DAYS  # 1 a year ago, 0 today: more tasks as the pool grows
        for task_type in TASK_TYPES:
            if day.weekday() in task_type[2] and rng.random() < 0.2 + 0.3 * (1 - max(age, 0)):
                plan.append((day, task_type))
    return plan


def _tasks(
    rng: random.Random, today: dt.date, points: list[ServicePoint], subdistrict: Region
) -> list[VolunteerTask]:
    active = [p for p in points if p.is_active]
    roads = ["石门二路", "新闸路", "康定路", "江宁路", "北京西路", "南京西路", "山海关路", "大田路"]
    tasks = []
    for day, (kind, title, _days, hour, length, places, skills) in _task_days(rng, today):
        point = rng.choice(active)
        road = rng.choice(roads)
        at_point = kind in (TaskKind.POINT_DUTY, TaskKind.ELDERLY)
        if kind == TaskKind.POINT_DUTY:
            point = rng.choice([p for p in active if p.kind == PointKind.MEAL_POINT] or active)
        starts = _aware(day, hour, 30 if kind == TaskKind.ROAD_SAFETY else 0)
        tasks.append(
            VolunteerTask(
                title=title.format(road=road, point=point.name.replace("暖新餐点", "")),
                kind=kind,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=length),
                place=point.name if at_point else f"{road}沿线",
                point=point if at_point else None,
                region=point.region if at_point else subdistrict,
                skills_wanted=skills,
                places=rng.randint(*places),
                organiser=rng.choice(["石门二路街道党群服务中心", "街道新就业群体联合党支部",
                                      "石门二路街道城运中心", "街道团工委"]),
                description="请提前10分钟到场签到，穿好志愿者马甲。",
            )
        )  # fmt: skip
    typhoon = today - dt.timedelta(days=rng.randint(60, 200))
    kind, title, hour, length, places, skills = EMERGENCY
    starts = _aware(typhoon, hour)
    tasks.append(
        VolunteerTask(
            title=title,
            kind=kind,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=length),
            place="石门二路街道城运中心",
            region=subdistrict,
            skills_wanted=skills,
            places=places,
            organiser="石门二路街道城运中心",
            description="台风“贝碧嘉”过境，协助转移、巡查积水点位。",
        )
    )
    tasks.sort(key=lambda t: t.starts_at)
    return bulk_create_with_history(tasks, VolunteerTask, batch_size=500)


def _slot(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    part = "am" if local.hour < 12 else "pm" if local.hour < 18 else "ev"
    return f"{local.weekday()}{part}"


def _signups(
    rng: random.Random,
    tasks: list[VolunteerTask],
    volunteers: list[Volunteer],
    staff: User | None,
) -> list[TaskSignup]:
    now = timezone.now()
    # The day each volunteer last had a task: those waiting longest are asked first.
    last_task = {v.pk: 0 for v in volunteers}  # a day's ordinal; 0: never
    signups = []
    by_confirmed = sorted(
        (v for v in volunteers if v.confirmed_on is not None), key=lambda v: v.confirmed_on
    )
    for task in tasks:
        day = timezone.localtime(task.starts_at).date()
        eligible = [
            v
            for v in by_confirmed
            if v.confirmed_on <= day and (v.left_on is None or v.left_on > day)
        ]
        if not eligible:
            continue
        slot = _slot(task.starts_at)
        future = task.starts_at > now
        # Fill most places: who waited longest first, those free at that time a month ahead.
        wanted = round(task.places * rng.uniform(0.35, 0.7 if future else 1.0))
        eligible.sort(
            key=lambda v: (
                last_task[v.pk] - (30 if slot in v.availability else 0),
                rng.random(),
            )
        )
        for v in eligible[:wanted]:
            last_task[v.pk] = day.toordinal()
            signup = TaskSignup(
                task=task,
                volunteer=v,
                source=SignupSource.SELF if rng.random() < 0.6 else SignupSource.STAFF,
            )
            if future:
                signup.state = (
                    SignupState.SIGNED_UP
                    if signup.source == SignupSource.SELF
                    else SignupState.ASSIGNED
                )
            elif task.starts_at > now - dt.timedelta(days=4):
                # The last few days: hours not yet confirmed, some reported by the volunteer.
                signup.state = SignupState.ASSIGNED
                if rng.random() < 0.5:
                    signup.reported_hours = task.duration_hours
            else:
                roll = rng.random()
                if roll < 0.05:
                    signup.state = SignupState.CANCELLED
                elif roll < 0.09:
                    signup.state = SignupState.ABSENT
                    signup.confirmed_by, signup.confirmed_at = staff, task.ends_at
                else:
                    signup.state = SignupState.SERVED
                    short = Decimal("0.5") if rng.random() < 0.1 else Decimal("0")
                    signup.hours = task.duration_hours - short
                    signup.confirmed_by = staff
                    signup.confirmed_at = task.ends_at + dt.timedelta(hours=rng.randint(1, 30))
            signups.append(signup)
    return bulk_create_with_history(signups, TaskSignup, batch_size=1000)


def build_volunteers(subdistrict: Region, rng: random.Random) -> VolunteersSummary:
    """Service points, codes, volunteers, tasks and hours of the demo subdistrict."""
    from jiequ.volunteers import pool

    today = timezone.localdate()
    staff = (
        User.objects.filter(role=Role.SUBDISTRICT_STAFF, scope_region=subdistrict)
        .order_by("pk")
        .first()
    )
    points = _points(subdistrict, rng)
    codes = [
        VolunteerCode(token=secrets.token_urlsafe(12), point=p, region=p.region) for p in points
    ]
    areas = Region.objects.filter(path__startswith=subdistrict.path, level=RegionLevel.AREA)
    codes += [VolunteerCode(token=secrets.token_urlsafe(12), region=a) for a in areas]
    codes = bulk_create_with_history(codes, VolunteerCode)
    codes = [c for c in codes if c.point is None or c.point.is_active]
    volunteers = _volunteers(rng, today, codes, staff)
    tasks = _tasks(rng, today, points, subdistrict)
    signups = _signups(rng, tasks, volunteers, staff)
    _withdraw(volunteers)
    ours = Volunteer.objects.filter(region__path__startswith=subdistrict.path)
    return VolunteersSummary(
        points=len(points),
        volunteers=len(volunteers),
        tasks=len(tasks),
        services=sum(1 for s in signups if s.state == SignupState.SERVED),
        pool=pool.pool_size(ours, today),
    )


def clear_volunteers() -> None:
    """Delete the service points, volunteers and tasks (before the ledger and the regions)."""
    TaskSignup.objects.all().delete()
    VolunteerTask.objects.all().delete()
    Volunteer.objects.all().delete()
    VolunteerCode.objects.all().delete()
    ServicePoint.objects.all().delete()
