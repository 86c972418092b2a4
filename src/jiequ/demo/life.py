"""The demo's organisational life: a year of regular meetings (三会一课) and themed Party days,
courses with their attendance, and mentors.

Every organisation holds what the rules ask of it (jiequ.life.compliance): branches a general
meeting and a lecture each quarter, a themed day each month and, with a committee of three or
more, a committee meeting each month; Party groups a group meeting each month; the working
committee its committee meeting. About one organisation in ten skips a few months, and one
general meeting falls short of its quorum.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal
from typing import Any

from simple_history.utils import bulk_create_with_history

from jiequ.life.models import Course, CourseAttendance, CourseKind, Meeting, MeetingKind, Mentorship
from jiequ.party.models import Level, Officer, OfficerRole

from .members import active_on
from .people import Context, add_months, days, month_start

TOPICS = {
    MeetingKind.GENERAL: [
        "党员大会：通报季度工作和党费收缴情况",
        "党员大会：讨论接收预备党员",
        "党员大会：组织生活会和民主评议党员",
        "党员大会：半年工作小结和下半年安排",
        "党员大会：讨论街区议题共创清单",
    ],
    MeetingKind.COMMITTEE: [
        "支委会：研究本月主题党日安排",
        "支委会：研究发展党员和入党积极分子培养",
        "支委会：梳理商户诉求和走访发现的问题",
        "支委会：研究党员责任区划片包干",
        "支委会：研究流动党员情况通报",
        "支委会：研究“街有可能”服务项目",
    ],
    MeetingKind.LECTURE: [
        "书记讲党课：新兴领域党建的责任和担当",
        "党课：学习《中国共产党纪律处分条例》",
        "党课：从“小马拉大车”到“一呼百应”",
        "党课：学习贯彻党的二十届三中全会精神",
        "党课：做新时代合格党员",
    ],
    MeetingKind.THEMED_DAY: [
        "主题党日：走访沿街商铺，收集诉求",
        "主题党日：垃圾分类宣传进街区",
        "主题党日：重温入党誓词",
        "主题党日：“暖新餐点”志愿服务",
        "主题党日：为社区老人送餐",
        "主题党日：参观中共一大纪念馆",
        "主题党日：错峰停车议题现场协商",
        "主题党日：网络主播探店助力小店",
        "主题党日：消防安全检查进小店",
        "主题党日：学习《新兴领域党组织应知应会手册》",
    ],
    MeetingKind.GROUP: [
        "党小组会：学习交流",
        "党小组会：责任区商户情况交流",
        "党小组会：讨论党员评议意见",
        "党小组会：学习党的创新理论",
    ],
}
RATES = {
    MeetingKind.GENERAL: (0.72, 0.95),
    MeetingKind.COMMITTEE: (0.8, 1.0),
    MeetingKind.LECTURE: (0.65, 0.9),
    MeetingKind.THEMED_DAY: (0.6, 0.9),
    MeetingKind.GROUP: (0.7, 0.95),
}
BRANCH_LEVELS = (Level.GENERAL_BRANCH, Level.BRANCH, Level.JOINT_BRANCH)
QUARTERLY = (MeetingKind.GENERAL, MeetingKind.LECTURE)


def _posts(officers: list[Officer]) -> dict[int, list[Officer]]:
    out: dict[int, list[Officer]] = defaultdict(list)
    for post in officers:
        out[post.organisation_id].append(post)
    return out


def _current(posts: list[Officer], day: dt.date) -> list[Officer]:
    return [p for p in posts if p.started_on <= day and (p.ended_on is None or p.ended_on >= day)]


def _month_days(month: dt.date, day: int) -> dt.date:
    return month + days(max(1, min(day, 28)) - 1)


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - days(1)


def _clamp(day: dt.date, span: tuple[dt.date, dt.date]) -> dt.date:
    return min(max(day, span[0]), span[1])


def create_meetings(ctx: Context, officers: list[Officer]) -> int:
    rng, today = ctx.rng, ctx.today
    current = month_start(today)
    months = [add_months(current, -k) for k in range(12, -1, -1)]
    posts = _posts(officers)
    orgs = [o for o in ctx.organisations if o.level != Level.COMMITTEE or posts.get(o.pk)]
    children: dict[int, list[Any]] = defaultdict(list)
    for org in ctx.organisations:
        if org.parent_id:
            children[org.parent_id].append(org)

    def subtree_members(org: Any) -> list[Any]:
        found = list(ctx.members_of[org.pk])
        for child in children[org.pk]:
            found += subtree_members(child)
        return found

    group_members: dict[int, list[Any]] = defaultdict(list)
    for org_members in list(ctx.members_of.values()):
        for member in org_members:
            if member.demo_group is not None:
                group_members[member.demo_group.pk].append(member)

    # About one organisation in ten skips some months; one of them a whole quarter.
    branches = [
        o
        for o in orgs
        if o.level in BRANCH_LEVELS
        and o.region.path.startswith(ctx.subdistrict.path)
        and o.founded_on < months[0]
    ]
    gappy = rng.sample(branches, max(1, round(len(branches) / 10)))
    # Gaps in the last twelve months, before the month under way.
    skipped: dict[int, set[dt.date]] = {
        o.pk: set(rng.sample(months[1:-1], rng.randint(1, 3))) for o in gappy
    }
    quarter_gap = gappy[0]
    inquorate = next(o for o in branches if o not in gappy and len(ctx.members_of[o.pk]) >= 8)
    inquorate_done = False
    secretary_orgs = {ctx.named["secretary_branch"].pk} | {
        g.pk for g in ctx.groups_of[ctx.named["secretary_branch"].pk]
    }

    meetings: list[Meeting] = []
    attendance: list[list[Any]] = []

    def hold(
        org: Any,
        kind: str,
        day: dt.date,
        pool: list[Any],
        expected: int | None = None,
        rate: float | None = None,
    ) -> None:
        if day > today or (org.founded_on and day < org.founded_on):
            raise ValueError(f"{org} cannot meet on {day}")
        present_pool = [x for x in pool if active_on(x, day)]
        expected = len(present_pool) if expected is None else expected
        if expected == 0:
            return
        low, high = RATES[kind]
        share = rate if rate is not None else rng.uniform(low, high)
        count = math.ceil(len(present_pool) * share)
        if kind == MeetingKind.GENERAL and rate is None:
            count = max(count, expected // 2 + 1)
        count = min(count, len(present_pool))
        meetings.append(
            Meeting(
                organisation=org,
                kind=kind,
                held_on=day,
                topic=rng.choice(TOPICS[kind]),
                place=org.service_position or "党员活动室",
                expected=expected,
                minutes="会议按议程进行，形成会议记录，相关事项已明确责任人和完成时限。",
                recorded_by=ctx.secretary_user if org.pk in secretary_orgs else None,
            )
        )
        attendance.append(rng.sample(present_pool, count))

    def window(org: Any, month: dt.date) -> tuple[dt.date, dt.date] | None:
        """The days of `month` the organisation can meet on: from its founding, up to today."""
        low = max(month, org.founded_on or month)
        high = min(month_end(month), today)
        return (low, high) if low <= high else None

    for org in orgs:
        gaps = skipped.get(org.pk, set())
        themed_day, committee_day = rng.randint(5, 25), rng.randint(1, 8)
        if org.level == Level.GROUP:
            pool = group_members.get(org.pk, [])
            for month in months:
                span = window(org, month)
                day = _month_days(month, themed_day + rng.randint(-3, 3))
                if span and month not in gaps and day <= today:
                    hold(org, MeetingKind.GROUP, _clamp(day, span), pool)
            continue
        org_posts = posts.get(org.pk, [])
        for month in months:
            span = window(org, month)
            if span is None or month in gaps:
                continue
            # A committee meets in the months it has one (at the month's end, or today).
            deciding = _current(org_posts, span[1])
            day = _month_days(month, committee_day + rng.randint(0, 3))
            if len(deciding) >= 3 and day <= today:
                day = max(_clamp(day, span), *(p.started_on for p in deciding))
                inside = [p.member for p in deciding if p.member is not None]
                hold(org, MeetingKind.COMMITTEE, day, inside, expected=len(deciding))
        if org.level not in BRANCH_LEVELS:
            continue
        pool = subtree_members(org) if org.level == Level.GENERAL_BRANCH else ctx.members_of[org.pk]
        for month in months:
            span = window(org, month)
            day = _month_days(month, themed_day + rng.randint(-2, 2))
            if span and month not in gaps and day <= today:
                hold(org, MeetingKind.THEMED_DAY, _clamp(day, span), pool)
        quarters: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
        for month in months:
            if window(org, month) is not None:
                quarters[(month.year, (month.month - 1) // 3)].append(month)
        # The quarter gap is one that is over and inside the last twelve months.
        skip_quarter = sorted(quarters)[-3] if org is quarter_gap and len(quarters) > 3 else None
        for key, in_quarter in sorted(quarters.items()):
            if key == skip_quarter:
                continue
            for kind in QUARTERLY:
                month = rng.choice(in_quarter)
                day = _month_days(month, rng.randint(8, 26))
                if day > today:
                    earlier = [x for x in in_quarter if x < current]
                    if not earlier or rng.random() < 0.4:
                        continue  # due later in the quarter under way
                    month = rng.choice(earlier)
                    day = _month_days(month, rng.randint(8, 26))
                day = _clamp(day, window(org, month))
                rate = None
                if (
                    kind == MeetingKind.GENERAL
                    and org is inquorate
                    and not inquorate_done
                    and add_months(current, -10) <= month < add_months(current, -2)
                ):
                    rate, inquorate_done = 0.4, True
                hold(org, kind, day, pool, rate=rate)

    saved = bulk_create_with_history(meetings, Meeting, batch_size=1000)
    through = Meeting.attendees.through
    rows = [
        through(meeting_id=meeting.pk, member_id=member.pk)
        for meeting, present in zip(saved, attendance, strict=True)
        for member in present
    ]
    through.objects.bulk_create(rows, batch_size=5000)
    ctx.named["gappy"] = gappy
    ctx.named["inquorate"] = inquorate
    return len(saved)


# --- training --------------------------------------------------------------------------------


def create_training(ctx: Context, officers: list[Officer]) -> int:
    """Courses run by the subdistrict, who attended them, and renowned secretaries mentoring
    new ones (名书记传帮带)."""
    rng, today = ctx.rng, ctx.today
    sub = ctx.subdistrict
    current = [p for p in officers if p.ended_on is None and p.member is not None]
    current = [p for p in current if p.organisation.region.path.startswith(sub.path)]
    secretaries = [p.member for p in current if p.role == OfficerRole.SECRETARY]
    secretaries = list(dict.fromkeys(secretaries))
    committee = list(dict.fromkeys(p.member for p in current))
    all_members = [
        x
        for org in ctx.organisations
        if org.region.path.startswith(sub.path)
        for x in ctx.members_of[org.pk]
        if x.left_on is None
    ]
    street = [ctx.named[f"street_block_{a.code}"] for a in ctx.areas]
    street_people = list(
        dict.fromkeys(
            p.member for p in current if p.organisation in [*street, ctx.named["building_branch"]]
        )
    )
    mobile = [x for x in all_members if x.record_location == "elsewhere"]
    year_start = dt.date(today.year, 1, 1)
    handbook_day = max(year_start, today - days(60))
    centre = "石门二路街道党群服务中心"
    handbook = "《新兴领域党组织应知应会手册》学习"
    # title, kind, first day, days, hours, place, who may attend, share attending
    courses = [
        ("新兴领域党组织书记示范培训班", CourseKind.COURSE, today - days(210), 2, "16",
         "静安区委党校", secretaries, 0.85),
        (f"{handbook}（{today.year}年度）", CourseKind.HANDBOOK, handbook_day, 0, "4", centre,
         committee, 0.8),
        (f"{handbook}（{today.year - 1}年度）", CourseKind.HANDBOOK,
         dt.date(today.year - 1, 3, 15), 0, "4", centre, committee, 0.9),
        ("街区党支部书记轮训：沿街商铺走访和诉求处置", CourseKind.COURSE, today - days(120), 1,
         "6", "石门片区街区党群服务阵地", street_people, 1.0),
        ("学习贯彻党的二十届三中全会精神专题学习", CourseKind.STUDY, today - days(280), 0, "3",
         centre, all_members, 0.2),
        ("“新时代楼宇党建工作十法”经验交流", CourseKind.STUDY, today - days(75), 0, "2",
         ctx.named["building_branch"].service_position, secretaries, 0.4),
        ("流动党员冬训", CourseKind.STUDY, today - days(150), 1, "4", centre, mobile, 0.6),
]  # fmt: skip
    made = []
    attendance = []
    for title, kind, starts, length, hours, place, pool, share in courses:
        course = Course(
            title=title,
            kind=kind,
            region=sub,
            starts_on=starts,
            ends_on=starts + days(length) if length else starts,
            hours=Decimal(hours),
            place=place,
            description="街道两新工委组织，用好市区两级课程、师资和实训基地资源。",
        )
        made.append(course)
        chosen = [x for x in pool if rng.random() < share and x.demo_since <= starts]
        attendance.append(chosen)
    made = bulk_create_with_history(made, Course, batch_size=100)
    rows = [
        CourseAttendance(course=course, member=member, completed=rng.random() > 0.05)
        for course, chosen in zip(made, attendance, strict=True)
        for member in chosen
    ]
    bulk_create_with_history(rows, CourseAttendance, batch_size=2000)
    _mentorships(ctx, current)
    return len(made)


def _mentorships(ctx: Context, current: list[Officer]) -> None:
    rng, today = ctx.rng, ctx.today
    secretary_posts = [p for p in current if p.role == OfficerRole.SECRETARY]
    seasoned = [
        p
        for p in secretary_posts
        if p.organisation.founded_on
        and (today - p.organisation.founded_on).days > 5 * 365
        and p.organisation.level == Level.BRANCH
    ]
    seasoned.sort(key=lambda p: -len(ctx.members_of[p.organisation.pk]))
    mentors = [p.member for p in seasoned[:2]]
    new = [
        p
        for p in secretary_posts
        if p.organisation.founded_on and (today - p.organisation.founded_on).days < 600
    ]
    rows = []
    for k, post in enumerate(new[:8]):
        started = post.organisation.founded_on + days(rng.randint(20, 40))
        ended = started + days(365) if k == 0 and started + days(365) < today else None
        rows.append(
            Mentorship(
                mentor=mentors[k % len(mentors)],
                mentee=post.member,
                started_on=started,
                ended_on=ended,
                note="名书记传帮带：每月面对面交流一次，带教支部工作方法和“三会一课”规范。",
            )
        )
    bulk_create_with_history(rows, Mentorship, batch_size=100)
