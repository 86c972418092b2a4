"""Shared pieces of the demo's Party data: the build context, names, phones and dates.

Everything is drawn from one seeded `random.Random`, so the same seed (and the same "today")
gives the same organisations, members and records.
"""

from __future__ import annotations

import datetime as dt
import random
from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from jiequ.core import crypto

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
    "贾丁薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤"
    "尹黎易常武乔贺赖龚文"
)
GIVEN_NAMES = [
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "军", "杰", "娟", "涛", "明", "超", "霞",
    "平", "刚", "丹", "萍", "鹏", "建华", "建平", "志刚", "海燕", "丽娟", "晓东", "晓燕", "春梅",
    "秀兰", "玉兰", "国强", "国庆", "红梅", "文华", "志明", "立新", "卫东", "建新", "海峰",
    "晓红", "雪梅", "俊杰", "子涵", "欣怡", "梓萱", "浩然", "宇轩", "思远", "佳怡", "一鸣",
    "嘉豪", "雨婷", "天宇", "晨曦", "诗涵", "博文", "文静", "晓丽", "亚军", "振华", "永红",
    "爱华", "德明", "金凤", "光辉", "少华", "连生", "长海", "新民", "兰英", "凤英", "桂芳",
    "秋菊", "冬梅", "建英", "学军", "晓峰", "海波", "春华", "丽萍", "凯", "琳", "蕾", "颖",
    "斌", "翔", "宁", "婷", "倩", "昊", "彬", "瑶", "健", "悦", "晖", "岚", "骏", "洁",
]  # fmt: skip


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (31 January + 1 month → the last day of February)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def aware(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class People:
    """Unique names and phone numbers, drawn from the demo's random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.phones: set[str] = set()

    def reserve(self, name: str) -> str:
        self.names.add(name)
        return name

    def name(self, surname: str | None = None) -> str:
        for _attempt in range(200):
            name = (surname or self.rng.choice(SURNAMES)) + self.rng.choice(GIVEN_NAMES)
            if name not in self.names:
                return self.reserve(name)
        raise RuntimeError("no more demo names")

    def phone(self, prefix: str = "139") -> str:
        """An E.164 mobile number (+86139…) not given out before."""
        while True:
            phone = f"+86{prefix}{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone


def phone_fields(phone: str) -> dict[str, str]:
    return {"phone_encrypted": crypto.encrypt(phone), "phone_hash": crypto.lookup_hash(phone)}


@dataclass
class Context:
    """What the Party-data builders share while they fill the demo."""

    rng: random.Random
    today: dt.date
    subdistrict: Any  # Region
    staff: Any  # User (subdistrict staff) or None
    secretary_user: Any  # User (the demo branch secretary) or None
    people: People
    # Members to create, in creation order, and the members of each organisation (by object).
    pending: list[Any] = field(default_factory=list)
    members_of: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    organisations: list[Any] = field(default_factory=list)
    entities_of: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    groups_of: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    # Named organisations the later steps need (street-block branches, the mobile branch…).
    named: dict[str, Any] = field(default_factory=dict)
    transfers: list[dict[str, Any]] = field(default_factory=list)
    applications: list[dict[str, Any]] = field(default_factory=list)
    areas: list[Any] = field(default_factory=list)  # the subdistrict's areas (片区)

    def area_for(self, region: Any) -> Any:
        """The area a region lies in (None for the subdistrict itself)."""
        for area in self.areas:
            if region.path.startswith(area.path):
                return area
        return None

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + days(self.rng.randint(0, (end - start).days))

    def ago(self, low: int, high: int) -> dt.date:
        """A day between `high` and `low` days before today."""
        return self.today - days(self.rng.randint(low, high))
