"""The standing volunteer pool (常备志愿者队伍) and its size over time.

A volunteer is **in the pool in month M** when, at the end of M (today, for the current month):

1. staff had confirmed them (confirmed on or before that day),
2. they had not left (not withdrawn and not marked inactive on or before that day), and
3. they were active: they served at least one task (hours confirmed) in the window of
   POOL_WINDOW_MONTHS calendar months ending with M — or they were confirmed within that
   window (newcomers count while they wait for their first task).

Withdrawal keeps a volunteer's dates and hours, so the past months' figures do not change when
someone leaves later. The pure functions here take plain values; `pool_months` and
`pool_members` read them from the database for a scoped queryset.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

POOL_WINDOW_MONTHS = 6


def first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    """The first day of the month `n` months from `month`'s."""
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def end_of(month: dt.date, today: dt.date) -> dt.date:
    """The day a month's figure is taken: its last day, or today for the current month."""
    last = month.replace(day=monthrange(month.year, month.month)[1])
    return min(last, today)


def parse_month(text: str) -> dt.date | None:
    """ "2026-03" → 1 March 2026; anything else → None."""
    try:
        year, month = (int(part) for part in (text or "").strip().split("-"))
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return None


@dataclass
class Person:
    pk: int
    confirmed_on: dt.date | None
    left_on: dt.date | None
    served_on: list[dt.date] = field(default_factory=list)


def in_pool(person: Person, month: dt.date, today: dt.date, window: int) -> bool:
    """Whether `person` counts in the pool of `month` (see the module's definition)."""
    end = end_of(month, today)
    if person.confirmed_on is None or person.confirmed_on > end:
        return False
    if person.left_on is not None and person.left_on <= end:
        return False
    start = add_months(first_of(month), -(window - 1))
    if person.confirmed_on >= start:
        return True
    return any(start <= day <= end for day in person.served_on)


@dataclass
class MonthFigures:
    month: dt.date
    pool: int = 0
    joined: int = 0  # confirmed in the month
    left: int = 0  # withdrew or marked inactive in the month
    served: int = 0  # volunteers who served at least one task in the month
    hours: Decimal = Decimal("0")  # confirmed service hours of tasks in the month


def months_back(count: int, today: dt.date) -> list[dt.date]:
    last = first_of(today)
    return [add_months(last, -i) for i in range(count - 1, -1, -1)]


def series(
    people: Iterable[Person],
    months: list[dt.date],
    today: dt.date,
    window: int = POOL_WINDOW_MONTHS,
    hours_by_month: dict[dt.date, Decimal] | None = None,
) -> list[MonthFigures]:
    people = list(people)
    hours_by_month = hours_by_month or {}
    figures = []
    for month in months:
        row = MonthFigures(month=month, hours=hours_by_month.get(month, Decimal("0")))
        for person in people:
            if in_pool(person, month, today, window):
                row.pool += 1
            if person.confirmed_on and first_of(person.confirmed_on) == month:
                row.joined += 1
            if person.left_on and first_of(person.left_on) == month:
                row.left += 1
            if any(first_of(day) == month for day in person.served_on):
                row.served += 1
        figures.append(row)
    return figures


# The database side.


def _people(volunteers) -> tuple[list[Person], dict[dt.date, Decimal]]:
    from django.utils import timezone

    from .models import SignupState, TaskSignup

    people = {
        pk: Person(pk, confirmed, left)
        for pk, confirmed, left in volunteers.values_list("pk", "confirmed_on", "left_on")
    }
    hours: dict[dt.date, Decimal] = defaultdict(Decimal)
    served = TaskSignup.objects.filter(
        volunteer_id__in=volunteers.values("pk"), state=SignupState.SERVED
    ).values_list("volunteer_id", "task__starts_at", "hours")
    for volunteer_id, starts_at, value in served:
        day = timezone.localtime(starts_at).date()
        people[volunteer_id].served_on.append(day)
        hours[first_of(day)] += value or Decimal("0")
    return list(people.values()), hours


def pool_months(
    volunteers, count: int = 12, today: dt.date | None = None, window: int = POOL_WINDOW_MONTHS
) -> list[MonthFigures]:
    """The figures of the last `count` months for the volunteers of a (scoped) queryset."""
    from django.utils import timezone

    today = today or timezone.localdate()
    people, hours = _people(volunteers)
    return series(people, months_back(count, today), today, window, hours)


def pool_members(
    volunteers, month: dt.date, today: dt.date | None = None, window: int = POOL_WINDOW_MONTHS
) -> list[int]:
    """The ids of the volunteers in the pool of `month` (what a pool figure links to)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    people, _hours = _people(volunteers)
    return [p.pk for p in people if in_pool(p, month, today, window)]


def pool_size(volunteers, today: dt.date | None = None) -> int:
    """The pool this month: the home page's figure."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return len(pool_members(volunteers, first_of(today), today))
