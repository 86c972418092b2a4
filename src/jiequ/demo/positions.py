"""The demo's service positions (阵地): the seed's three positions on the street, about
4,000 m² in all, their rooms, a term of bookings by the organisations and councils, the duty
rota (轮值站长) with a swap and two gaps, and the weekly menu (每周菜单) of this week and next.

The seed (石门二路街道): "3个主阵地、4000平方米" — organisation-life rooms, a secretary's studio,
a grid council hall, a livestream room and a riders' rest station ("小哥加油站"), with a rotating
duty station master and a weekly "menu" of organisational-life activities.

Runs after build_party and the councils' demo (bookings by councils use councils.Council; with
no councils the organisations book alone). Deterministic for a seed and a day.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from jiequ.accounts.models import User
from jiequ.accounts.roles import Role
from jiequ.areas.models import Region, Road
from jiequ.areas.services import find_grid
from jiequ.councils.models import Council
from jiequ.members.models import Member
from jiequ.party.models import Cadre, Category, Level, Organisation
from jiequ.positions import ical
from jiequ.positions.models import (
    Activity,
    ActivityKind,
    Audience,
    Booking,
    BookingState,
    Duty,
    DutySwap,
    MenuFeed,
    Position,
    Room,
    RoomKind,
    RotaMember,
    SignUp,
    SignUpState,
    SwapState,
)

from . import geography as g
from .party import emerging_sector_organisations

TERM_BEFORE = 63  # days of bookings before today
TERM_AFTER = 63  # and after: about four months in all

WEEKDAYS_LONG = {str(d): ["08:30", "21:00"] for d in range(7)}
WEEKDAYS_AREA = {**{str(d): ["09:00", "20:00"] for d in range(5)}, "5": ["09:00", "17:00"]}

# name, road, number, area code, m², hours, closed on holidays, rooms:
# (name, kind, capacity, m², equipment, needs approval, min, max minutes)
POSITIONS = [
    (
        "石门二路街道党群服务中心",
        "石门二路",
        "109号",
        "02",
        2000,
        WEEKDAYS_LONG,
        False,
        [
            (
                "党组织生活室（一）",
                RoomKind.ORGANISATION_LIFE,
                30,
                80,
                "投影仪、音响、党旗、入党誓词墙",
                False,
                60,
                240,
            ),
            (
                "党组织生活室（二）",
                RoomKind.ORGANISATION_LIFE,
                20,
                60,
                "电视屏、白板、党旗",
                False,
                60,
                240,
            ),
            (
                "书记工作室",
                RoomKind.SECRETARY_STUDIO,
                10,
                45,
                "圆桌、白板、书记手册书架",
                False,
                30,
                180,
            ),
            (
                "网格议事厅",
                RoomKind.COUNCIL_HALL,
                40,
                120,
                "投影仪、话筒、议事规则展板、录音设备",
                True,
                60,
                240,
            ),
            (
                "直播间",
                RoomKind.LIVESTREAM,
                6,
                35,
                "补光灯、声卡、直播手机支架、绿幕",
                True,
                60,
                180,
            ),
            (
                "多功能活动厅",
                RoomKind.ACTIVITY_HALL,
                120,
                300,
                "LED大屏、音响、舞台、折叠桌椅",
                True,
                60,
                240,
            ),
            ("党建阅览室", RoomKind.READING, 24, 90, "党建书刊、电子借阅机", False, 30, 240),
        ],
    ),
    (
        "江宁片区街区党群服务阵地",
        "康定路",
        "468号",
        "01",
        1100,
        WEEKDAYS_AREA,
        True,
        [
            (
                "组织生活室",
                RoomKind.ORGANISATION_LIFE,
                25,
                70,
                "投影仪、音响、党旗",
                False,
                60,
                240,
            ),
            (
                "网格议事厅",
                RoomKind.COUNCIL_HALL,
                30,
                90,
                "投影仪、话筒、议事规则展板",
                True,
                60,
                240,
            ),
            (
                "小哥加油站",
                RoomKind.RIDER_STATION,
                12,
                60,
                "微波炉、饮水机、充电柜、急救箱、休息椅",
                False,
                30,
                120,
            ),
            ("会议室", RoomKind.MEETING, 16, 45, "电视屏、视频会议终端", False, 30, 180),
        ],
    ),
    (
        "成都片区街区党群服务阵地",
        "大田路",
        "226号",
        "03",
        900,
        WEEKDAYS_AREA,
        True,
        [
            (
                "组织生活室",
                RoomKind.ORGANISATION_LIFE,
                20,
                60,
                "电视屏、党旗、白板",
                False,
                60,
                240,
            ),
            ("书记工作室", RoomKind.SECRETARY_STUDIO, 8, 35, "圆桌、书架", False, 30, 180),
            ("网格议事厅", RoomKind.COUNCIL_HALL, 25, 80, "话筒、议事规则展板", True, 60, 240),
            (
                "小哥加油站",
                RoomKind.RIDER_STATION,
                10,
                50,
                "微波炉、饮水机、充电柜、雨具",
                False,
                30,
                120,
            ),
        ],
    ),
]

# Time slots a day is booked in (start hour, minutes); bookings of one room never overlap.
SLOTS = [((9, 0), 120), ((14, 0), 120), ((16, 30), 90), ((19, 0), 90)]
SATURDAY_SLOTS = [((9, 30), 120), ((14, 0), 120)]

PURPOSES = {
    RoomKind.ORGANISATION_LIFE: [
        "支部党员大会",
        "支部委员会",
        "党小组会",
        "主题党日活动",
        "书记讲党课",
        "组织生活会",
        "新党员入党宣誓",
        "学习贯彻党的二十届三中全会精神",
    ],
    RoomKind.SECRETARY_STUDIO: [
        "书记谈心谈话",
        "新任书记“传帮带”",
        "支部书记工作交流",
        "沿街商户党员座谈",
    ],
    RoomKind.COUNCIL_HALL: [
        "街区议事会",
        "楼宇议事会",
        "网格例会",
        "网格会商：占道经营",
        "议题共创：街区停车",
    ],
    RoomKind.LIVESTREAM: ["主播助农直播", "“街区好物”直播带货", "网络新媒体党员直播培训"],
    RoomKind.ACTIVITY_HALL: ["“两新”党组织书记培训", "七一主题活动", "志愿者表彰会"],
    RoomKind.READING: ["党员读书会", "党史学习小组"],
    RoomKind.RIDER_STATION: ["骑手党员交流会", "快递小哥安全培训", "新就业群体恳谈会"],
    RoomKind.MEETING: ["党建联建协调会", "共建单位座谈", "商户代表座谈会"],
}

CANCEL_REASONS = [
    "活动改期",
    "书记临时出差",
    "与上级会议冲突",
    "参会人数不足，改为线上",
    "天气原因",
]
DENY_REASONS = ["当天阵地布展，暂停对外预订", "议事厅已安排区级会议", "直播间设备检修"]

ACTIVITIES = [
    # title, kind, room (position, room) or place, day offset in the week, hour, minutes,
    # capacity, audience
    (
        "书记讲党课：新兴领域党建的“石门经验”",
        ActivityKind.ORGANISATION_LIFE,
        (0, "党组织生活室（一）"),
        1,
        (19, 0),
        90,
        30,
        Audience.ALL_MEMBERS,
    ),
    (
        "书记领治理：沿街商铺“门前三包”议题共创",
        ActivityKind.GOVERNANCE,
        (0, "网格议事厅"),
        2,
        (14, 0),
        120,
        12,
        Audience.ALL_MEMBERS,
    ),
    (
        "主题党日：走进苏州河工业文明展示馆",
        ActivityKind.ORGANISATION_LIFE,
        "苏州河工业文明展示馆（光复路21号）",
        5,
        (9, 30),
        150,
        25,
        Audience.ALL_MEMBERS,
    ),
    (
        "“两新”党组织书记培训：如何开好组织生活会",
        ActivityKind.TRAINING,
        (0, "多功能活动厅"),
        3,
        (14, 0),
        120,
        60,
        Audience.ALL_MEMBERS,
    ),
    (
        "小哥加油站：骑手党员志愿服务队集结",
        ActivityKind.VOLUNTEERING,
        (1, "小哥加油站"),
        4,
        (14, 0),
        90,
        8,
        Audience.OPEN,
    ),
    (
        "街区党支部组织生活：学习《新兴领域党组织应知应会手册》",
        ActivityKind.ORGANISATION_LIFE,
        (1, "组织生活室"),
        3,
        (18, 30),
        90,
        20,
        "secretary_branch",
    ),
    (
        "书记领治理：大田路夜间经营议事会",
        ActivityKind.GOVERNANCE,
        (2, "网格议事厅"),
        1,
        (14, 0),
        120,
        15,
        Audience.ALL_MEMBERS,
    ),
    (
        "志愿服务：垃圾分类桶边督导",
        ActivityKind.VOLUNTEERING,
        "山海关路垃圾分类投放点",
        5,
        (7, 30),
        90,
        10,
        Audience.OPEN,
    ),
    (
        "网络新媒体党员直播技能培训",
        ActivityKind.TRAINING,
        (0, "直播间"),
        4,
        (19, 0),
        90,
        5,
        Audience.ALL_MEMBERS,
    ),
]


@dataclass
class PositionsSummary:
    positions: int = 0
    floor_area: int = 0
    rooms: int = 0
    bookings: int = 0
    council_bookings: int = 0
    duties: int = 0
    gaps: int = 0
    swaps: int = 0
    activities: int = 0
    signups: int = 0
    waiting: int = 0


def clear_positions() -> None:
    """Delete the positions' records (before the Party data and councils they point at)."""
    MenuFeed.objects.all().delete()
    SignUp.objects.all().delete()
    Activity.objects.all().delete()
    DutySwap.objects.all().delete()
    Duty.objects.all().delete()
    RotaMember.objects.all().delete()
    Booking.objects.all().delete()
    Room.objects.all().delete()
    Position.objects.all().delete()


def aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def build_positions(subdistrict: Region, rng: random.Random) -> PositionsSummary:
    builder = _Builder(subdistrict, rng)
    return builder.build()


class _Builder:
    def __init__(self, subdistrict: Region, rng: random.Random) -> None:
        self.sub = subdistrict
        self.rng = rng
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.staff = (
            User.objects.filter(role=Role.SUBDISTRICT_STAFF, scope_region=subdistrict)
            .order_by("pk")
            .first()
        )
        self.secretary = User.objects.filter(username="secretary").first()
        self.member_user = User.objects.filter(username="member").first()
        self.organisations = list(emerging_sector_organisations(subdistrict).order_by("pk"))
        self.committee = Organisation.objects.filter(
            region=subdistrict, level=Level.COMMITTEE, parent__isnull=True
        ).first()
        self.councils = list(
            Council.objects.filter(region__path__startswith=subdistrict.path, is_active=True)
            .select_related("region")
            .order_by("pk")
        )
        self.summary = PositionsSummary()
        # (room pk, day) → the slots taken, so generated bookings never overlap.
        self.taken: dict[tuple[int, dt.date], list[tuple[dt.datetime, dt.datetime]]] = {}

    def build(self) -> PositionsSummary:
        positions = self._positions()
        self._menu(positions)
        self._bookings(positions)
        self._rota(positions)
        self._feeds()
        return self.summary

    # --- positions and rooms ----------------------------------------------------------------

    def _positions(self) -> list[tuple[Position, dict[str, Room]]]:
        areas = {a.code: a for a in Region.objects.filter(parent=self.sub)}
        roads = {r.name: r for r in Road.objects.filter(subdistrict=self.sub)}
        made = []
        for name, road_name, number, area_code, area_m2, hours, holidays, rooms in POSITIONS:
            road = roads.get(road_name)
            area = areas.get(area_code) or next(iter(areas.values()), self.sub)
            lat = lon = None
            region = area
            if road is not None and road.line:
                lat, lon = g.point_beside(
                    road.line["coordinates"], self.rng, min_m=15, max_m=20, along=(0.4, 0.6)
                )
                region = find_grid(lat, lon, within=self.sub) or area
            manager = self._street_block(area) if area_code != "02" else self.committee
            position = Position(
                name=name,
                address=f"上海市静安区{road_name}{number}",
                region=region,
                lat=Decimal(str(round(lat, 6))) if lat else None,
                lon=Decimal(str(round(lon, 6))) if lon else None,
                floor_area=area_m2,
                opening_hours=hours,
                closed_on_public_holidays=holidays,
                organisation=manager,
                notes="街道“3个主阵地、4000平方米”之一：向辖区新兴领域党组织开放预订。",
            )
            position._change_reason = "演示数据"
            position.save()
            room_objects = bulk_create_with_history(
                [
                    Room(
                        position=position,
                        name=room_name,
                        kind=kind,
                        capacity=capacity,
                        floor_area=m2,
                        equipment=equipment.split("、"),
                        needs_approval=approval,
                        min_minutes=low,
                        max_minutes=high,
                    )
                    for room_name, kind, capacity, m2, equipment, approval, low, high in rooms
                ],
                Room,
            )
            made.append((position, {r.name: r for r in room_objects}))
            self.summary.positions += 1
            self.summary.floor_area += area_m2
            self.summary.rooms += len(room_objects)
        return made

    def _street_block(self, area: Region) -> Organisation | None:
        return Organisation.objects.filter(
            region=area, level=Level.BRANCH, category=Category.STREET_BLOCK
        ).first()

    # --- bookings ---------------------------------------------------------------------------

    def _free(self, room: Room, start: dt.datetime, end: dt.datetime) -> bool:
        key = (room.pk, timezone.localtime(start).date())
        return all(end <= s or start >= e for s, e in self.taken.get(key, []))

    def _take(self, room: Room, start: dt.datetime, end: dt.datetime) -> None:
        self.taken.setdefault((room.pk, timezone.localtime(start).date()), []).append((start, end))

    def _booker_for(self, room: Room) -> tuple[Organisation | None, Council | None]:
        rng = self.rng
        if room.kind == RoomKind.COUNCIL_HALL and self.councils and rng.random() < 0.75:
            return None, rng.choice(self.councils)
        if room.kind == RoomKind.LIVESTREAM:
            media = self._named("网络新媒体")
            if media is not None and rng.random() < 0.7:
                return media, None
        if room.kind == RoomKind.RIDER_STATION:
            riders = self._named("新就业群体")
            if riders is not None and rng.random() < 0.7:
                return riders, None
        if (
            self.secretary is not None
            and self.secretary.scope_organisation_id
            and rng.random() < 0.08
        ):
            return self.secretary.scope_organisation, None
        return rng.choice(self.organisations), None

    def _named(self, word: str) -> Organisation | None:
        return next((o for o in self.organisations if word in o.name), None)

    def _bookings(self, positions: list[tuple[Position, dict[str, Room]]]) -> None:
        rng = self.rng
        start_day = self.today - dt.timedelta(days=TERM_BEFORE)
        rows: list[Booking] = []
        for position, rooms in positions:
            for offset in range(TERM_BEFORE + TERM_AFTER + 1):
                day = start_day + dt.timedelta(days=offset)
                opening = position.hours_on(day)
                if opening is None:
                    continue
                slots = SATURDAY_SLOTS if day.weekday() >= 5 else SLOTS
                for room in rooms.values():
                    busy = 0.32 if room.kind != RoomKind.READING else 0.15
                    for (hour, minute), minutes in slots:
                        if rng.random() > busy:
                            continue
                        start = aware(day, hour, minute)
                        end = start + dt.timedelta(minutes=min(minutes, room.max_minutes))
                        if start.time() < opening[0] or timezone.localtime(end).time() > opening[1]:
                            continue
                        if not self._free(room, start, end):
                            continue
                        rows.append(self._booking(room, start, end))
                        self._take(room, start, end)
        saved = bulk_create_with_history(rows, Booking, batch_size=500)
        self.summary.bookings += len(saved)
        self.summary.council_bookings = sum(1 for b in saved if b.council_id)

    def _booking(self, room: Room, start: dt.datetime, end: dt.datetime) -> Booking:
        rng = self.rng
        organisation, council = self._booker_for(room)
        past = end <= self.now
        state = BookingState.CONFIRMED
        reason = ""
        roll = rng.random()
        if roll < 0.07:
            state, reason = BookingState.CANCELLED, rng.choice(CANCEL_REASONS)
        elif room.needs_approval and roll < 0.11:
            state, reason = BookingState.DENIED, rng.choice(DENY_REASONS)
        elif room.needs_approval and not past and start.date() > self.today + dt.timedelta(days=3):
            # Requests further ahead still wait for the staff.
            state = BookingState.REQUESTED if rng.random() < 0.35 else BookingState.CONFIRMED
        booker_region = organisation.region if organisation is not None else council.region
        by_secretary = (
            organisation is not None
            and self.secretary is not None
            and organisation.pk == self.secretary.scope_organisation_id
        )
        booked_by = self.secretary if by_secretary else self.staff
        decided = state != BookingState.REQUESTED
        return Booking(
            room=room,
            organisation=organisation,
            council=council,
            region=booker_region,
            starts_at=start,
            ends_at=end,
            purpose=rng.choice(PURPOSES.get(room.kind, ["党建活动"])),
            attendees=max(
                1, min(room.capacity, rng.randint(room.capacity // 3 or 1, room.capacity))
            ),
            state=state,
            reason=reason,
            booked_by=booked_by,
            decided_by=self.staff if decided else None,
            decided_at=start - dt.timedelta(days=rng.randint(1, 6)) if decided else None,
        )

    # --- the duty rota ----------------------------------------------------------------------

    def _rota(self, positions: list[tuple[Position, dict[str, Room]]]) -> None:
        rng = self.rng
        secretary_member = (
            Member.objects.filter(user=self.secretary).first() if self.secretary else None
        )
        member_member = (
            Member.objects.filter(user=self.member_user).first() if self.member_user else None
        )
        cadres = list(
            Cadre.objects.filter(
                subdistrict=self.sub, department__contains="党群服务中心"
            ).order_by("pk")
        )
        used: set[int] = set()
        start = self.today - dt.timedelta(days=28)
        end = self.today + dt.timedelta(days=27)
        duties: list[Duty] = []
        pools: dict[int, list[RotaMember]] = {}
        for index, (position, _rooms) in enumerate(positions):
            people: list[tuple[Member | None, Cadre | None]] = []
            if index == 0:
                people += [(None, c) for c in cadres[:2]]
                if member_member is not None:
                    people.append((member_member, None))
            area_path = position.region.path.split("/")[:4]
            area_prefix = "/".join(area_path) + "/"
            if (
                secretary_member is not None
                and secretary_member.organisation.region.path.startswith(area_prefix)
            ):
                people.append((secretary_member, None))
            candidates = list(
                Member.objects.filter(
                    organisation__region__path__startswith=area_prefix,
                    left_on__isnull=True,
                    membership="full",
                )
                .exclude(pk__in=used)
                .order_by("pk")[:200]
            )
            rng.shuffle(candidates)
            for member in candidates:
                if len(people) >= (6 if index == 0 else 5):
                    break
                if all(member.pk != p[0].pk for p in people if p[0] is not None):
                    people.append((member, None))
            used.update(p[0].pk for p in people if p[0] is not None)
            pool = [
                RotaMember(position=position, member=m, cadre=c, order=i)
                for i, (m, c) in enumerate(people)
            ]
            pools[position.pk] = bulk_create_with_history(pool, RotaMember)
            turn = 0
            # Two gaps ahead, on open days the rota left empty (someone fell ill, a pool short).
            gap_days = {self._open_day(position, 5)} if index == 0 else set()
            if index == 1:
                gap_days.add(self._open_day(position, 9))
            for offset in range((end - start).days + 1):
                day = start + dt.timedelta(days=offset)
                if position.hours_on(day) is None or day in gap_days:
                    continue
                person = pool[turn % len(pool)]
                turn += 1
                duties.append(
                    Duty(position=position, day=day, member=person.member, cadre=person.cadre)
                )
        saved = bulk_create_with_history(duties, Duty, batch_size=500)
        self.summary.duties = len(saved)
        self.summary.gaps = 2
        self._swaps(saved, secretary_member, member_member)

    def _open_day(self, position: Position, ahead: int) -> dt.date:
        day = self.today + dt.timedelta(days=ahead)
        while position.hours_on(day) is None:
            day += dt.timedelta(days=1)
        return day

    def _swaps(self, duties: list[Duty], secretary_member: Any, member_member: Any) -> None:
        """An accepted swap last week (both consented) and one waiting for the demo secretary."""
        by_position: dict[int, list[Duty]] = {}
        for duty in duties:
            by_position.setdefault(duty.position_id, []).append(duty)
        swaps = []
        for position_duties in by_position.values():
            past = [
                d
                for d in position_duties
                if self.today - dt.timedelta(days=10) <= d.day < self.today
            ]
            if len(past) >= 2 and swaps == []:
                a, b = (
                    past[0],
                    next(
                        (
                            d
                            for d in past[1:]
                            if (d.member_id, d.cadre_id) != (past[0].member_id, past[0].cadre_id)
                        ),
                        None,
                    ),
                )
                if b is not None:
                    # Proposed before the days, accepted by the other: the duties changed hands.
                    swaps.append(self._swap(a, b, SwapState.ACCEPTED, note="家中有事，请求换班"))
                    a.member, a.cadre, b.member, b.cadre = b.member, b.cadre, a.member, a.cadre
                    for duty in (a, b):
                        duty._change_reason = "双方同意换班"
                        duty.save()
        if secretary_member is not None:
            mine = [d for d in duties if d.member_id == secretary_member.pk and d.day > self.today]
            if mine:
                target = mine[0]
                other = next(
                    (
                        d
                        for d in duties
                        if d.position_id == target.position_id
                        and d.day > self.today
                        and d.member_id not in (None, secretary_member.pk)
                    ),
                    None,
                )
                if other is not None:
                    swaps.append(
                        self._swap(
                            other, target, SwapState.PROPOSED, note="孩子家长会，能否换一天？"
                        )
                    )
        saved = bulk_create_with_history(swaps, DutySwap)
        self.summary.swaps = len(saved)

    def _swap(self, a: Duty, b: Duty, state: str, note: str) -> DutySwap:
        answered = state != SwapState.PROPOSED
        return DutySwap(
            duty_a=a,
            duty_b=b,
            a_member=a.member,
            a_cadre=a.cadre,
            b_member=b.member,
            b_cadre=b.cadre,
            state=state,
            note=note,
            proposed_by=a.member.user if a.member and a.member.user_id else self.staff,
            answered_by=(b.member.user if b.member and b.member.user_id else self.staff)
            if answered
            else None,
            answered_at=self.now - dt.timedelta(days=12) if answered else None,
        )

    # --- the weekly menu --------------------------------------------------------------------

    def _menu(self, positions: list[tuple[Position, dict[str, Room]]]) -> None:
        rng = self.rng
        monday = self.today - dt.timedelta(days=self.today.weekday())
        organiser = self.committee or self.organisations[0]
        secretary_branch = self.secretary.scope_organisation if self.secretary else None
        activities: list[Activity] = []
        bookings: list[Booking] = []
        for week in (0, 1):
            for title, kind, place, weekday, (
                hour,
                minute,
            ), minutes, capacity, audience in ACTIVITIES:
                day = monday + dt.timedelta(days=7 * week + weekday)
                start = aware(day, hour, minute)
                end = start + dt.timedelta(minutes=minutes)
                room = None
                if isinstance(place, tuple):
                    room = positions[place[0]][1][place[1]]
                    if positions[place[0]][0].hours_on(day) is None or not self._free(
                        room, start, end
                    ):
                        continue
                this_organiser = organiser
                audience_org = None
                if audience == "secretary_branch":
                    if secretary_branch is None:
                        continue
                    audience, audience_org = Audience.ORGANISATION, secretary_branch
                    this_organiser = secretary_branch
                activity = Activity(
                    title=title,
                    kind=kind,
                    description="街道党群服务中心“每周菜单”活动，党员可在线报名，名额满后自动进入候补。",
                    subdistrict=self.sub,
                    room=room,
                    place="" if room else place,
                    starts_at=start,
                    ends_at=end,
                    capacity=capacity,
                    audience=audience,
                    audience_organisation=audience_org,
                    organiser=this_organiser,
                )
                if room is not None:
                    booking = Booking(
                        room=room,
                        organisation=this_organiser,
                        region=this_organiser.region,
                        starts_at=start,
                        ends_at=end,
                        purpose=f"每周菜单：{title}",
                        attendees=min(capacity, room.capacity),
                        state=BookingState.CONFIRMED,
                        booked_by=self.staff,
                        decided_by=self.staff,
                        decided_at=start - dt.timedelta(days=7),
                    )
                    bookings.append(booking)
                    self._take(room, start, end)
                    activity.booking = booking
                activities.append(activity)
        saved_bookings = bulk_create_with_history(bookings, Booking)
        self.summary.bookings += len(saved_bookings)
        for activity in activities:
            if activity.booking is not None:
                activity.booking_id = activity.booking.pk
        saved = bulk_create_with_history(activities, Activity)
        self.summary.activities = len(saved)
        self._signups(saved, rng)

    def _signups(self, activities: list[Activity], rng: random.Random) -> None:
        members = list(
            Member.objects.filter(
                organisation__region__path__startswith=self.sub.path, left_on__isnull=True
            )
            .select_related("organisation")
            .order_by("pk")
        )
        demo_member = (
            Member.objects.filter(user=self.member_user).first() if self.member_user else None
        )
        rows: list[SignUp] = []
        monday = self.today - dt.timedelta(days=self.today.weekday())
        full_weeks: set[int] = set()
        for activity in activities:
            week = (timezone.localtime(activity.starts_at).date() - monday).days // 7
            if activity.audience == Audience.ORGANISATION:
                subtree = set(activity.audience_organisation.subtree_ids())
                pool = [m for m in members if m.organisation_id in subtree]
            else:
                pool = list(members)
            rng.shuffle(pool)
            # One small activity a week is over-subscribed: a waiting list of three.
            over = week not in full_weeks and activity.capacity <= 12
            if over:
                full_weeks.add(week)
            wanted = (
                activity.capacity + 3 if over else int(activity.capacity * rng.uniform(0.4, 0.9))
            )
            chosen = pool[:wanted]
            if demo_member is not None and activity.audience != Audience.ORGANISATION:
                if demo_member in chosen:
                    chosen.remove(demo_member)
                if rng.random() < 0.4 or wanted > activity.capacity:
                    # The demo member: a place on some, the waiting list of the full one.
                    chosen.append(demo_member)
            queued = activity.starts_at - dt.timedelta(days=6)
            for i, member in enumerate(chosen):
                confirmed = i < activity.capacity
                started = activity.starts_at <= self.now
                rows.append(
                    SignUp(
                        activity=activity,
                        member=member,
                        state=SignUpState.CONFIRMED if confirmed else SignUpState.WAITING,
                        queued_at=min(queued + dt.timedelta(minutes=17 * i), self.now),
                        signed_up_by=member.user if member.user_id else self.staff,
                        attended=(rng.random() < 0.88) if confirmed and started else None,
                    )
                )
        saved = bulk_create_with_history(rows, SignUp, batch_size=500)
        self.summary.signups = len(saved)
        self.summary.waiting = sum(1 for s in saved if s.state == SignUpState.WAITING)

    def _feeds(self) -> None:
        for organisation in [
            self.secretary.scope_organisation if self.secretary else None,
            self.committee,
            self._named("新就业群体"),
        ]:
            if organisation is not None:
                ical.feed_for(organisation)


__all__ = ["PositionsSummary", "build_positions", "clear_positions"]
