"""Time limits in working days by the official Chinese calendar.

A working day is one the State Council's holiday notice makes a working day: Monday to Friday
except public holidays, plus the adjusted weekend days worked in their place (调休补班). The
calendar comes from `chinesecalendar`, which carries each year's notice; for a year it does not
know yet (the notice comes out in the autumn before) the fallback is Monday to Friday, and a
warning is logged once per year so that someone upgrades the library.

The days allowed come from the DeadlineRule table (most specific rule first), defaulting to the
12345 hotline's conventions. Counting starts the day after the case reaches a level: a request
(5 working days) received on Wednesday 30 September 2026 is due on Tuesday 13 October 2026
(1–7 October are the National Day holiday, Saturday 10 October is worked).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

import chinese_calendar

from .models import DeadlineRule, RequestType

logger = logging.getLogger(__name__)

# The 12345 hotline's time limits in working days (enquiry 1, follow-up 3, request and
# complaint 5, complex matters 15).
DEFAULT_DAYS: dict[str, int] = {
    RequestType.ENQUIRY: 1,
    RequestType.FOLLOW_UP: 3,
    RequestType.REQUEST: 5,
    RequestType.COMPLAINT: 5,
    RequestType.COMPLEX: 15,
}

_warned_years: set[int] = set()


def calendar_covers(day: date) -> bool:
    """Does the installed calendar know this year's holidays and adjusted working days?"""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning(
                "chinesecalendar has no holiday data for %s: counting Monday to Friday as "
                "working days for that year (upgrade chinesecalendar when the State Council "
                "publishes the year's holidays)",
                day.year,
            )
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (start itself not counted); `start` for 0."""
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current


def working_days_between(a: date, b: date) -> int:
    """Working days after `a` up to and including `b` (0 when b is not after a).

    So a case received on `a` and due on `add_working_days(a, n)` has n working days.
    """
    if b <= a:
        return 0
    return sum(1 for i in range(1, (b - a).days + 1) if is_working_day(a + timedelta(days=i)))


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    return add_working_days(day, 1)


def _category_chain(category: Any) -> list[int]:
    """The category and the categories above it, nearest first."""
    chain: list[int] = []
    while category is not None and category.pk not in chain:
        chain.append(category.pk)
        category = category.parent if category.parent_id else None
    return chain


def working_days_for(request_type: str, level: str = "", category: Any = None) -> int:
    """The working days allowed, the most specific DeadlineRule first:

    the category at this level, the category at any level, then the same for its parent
    category, then the level for every category, then any level for every category; with no
    rule, the 12345 default.
    """
    rules = list(
        DeadlineRule.objects.filter(request_type=request_type).values_list(
            "category_id", "level", "working_days"
        )
    )
    if rules:
        table = {(cat, lvl): days for cat, lvl, days in rules}
        for cat in [*_category_chain(category), None]:
            for lvl in dict.fromkeys((level, "")):
                if (cat, lvl) in table:
                    return table[(cat, lvl)]
    return DEFAULT_DAYS.get(request_type, DEFAULT_DAYS[RequestType.REQUEST])


def due_date(start: date, request_type: str, level: str = "", category: Any = None) -> date:
    """When a case that reached `level` on `start` is due there."""
    return add_working_days(start, working_days_for(request_type, level, category))
