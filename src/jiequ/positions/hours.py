"""Opening hours of a position: one [opens, closes] pair per weekday, stored as JSON.

{"0": ["09:00", "21:00"], …, "6": ["09:00", "17:00"]}; a weekday that is missing is closed.
Statutory holidays come from the official Chinese calendar (chinesecalendar); for years it does
not know, a position counts as open on its weekday hours.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

WEEKDAYS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]

_RANGE = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2})\s*$")


def weekday_name(weekday: int) -> str:
    return str(WEEKDAYS[weekday])


def parse_range(text: str) -> tuple[str, str]:
    """ "9:00-21:00" → ("09:00", "21:00"); ValueError (translated) when it is not a range."""
    match = _RANGE.match(text or "")
    if not match:
        raise ValueError(_("Give the hours as opens–closes, e.g. 09:00-21:00."))
    h1, m1, h2, m2 = (int(x) for x in match.groups())
    try:
        opens, closes = dt.time(h1, m1), dt.time(h2, m2) if (h2, m2) != (24, 0) else dt.time.max
    except ValueError as exc:
        raise ValueError(_("“%(text)s” is not a time of day.") % {"text": text.strip()}) from exc
    if closes <= opens:
        raise ValueError(_("The closing time must be after the opening time."))
    return f"{opens:%H:%M}", "24:00" if closes == dt.time.max else f"{closes:%H:%M}"


def _time(text: str) -> dt.time:
    return dt.time.max if text == "24:00" else dt.time.fromisoformat(text)


def public_holiday(day: dt.date) -> str | None:
    """The statutory holiday's name when `day` is one (None on working days and weekends)."""
    try:
        from chinese_calendar import get_holiday_detail

        is_holiday, name = get_holiday_detail(day)
    except (NotImplementedError, ImportError):
        return None
    return name if is_holiday and name else None


def hours_on(
    opening_hours: dict, day: dt.date, closed_on_holidays: bool = False
) -> tuple[dt.time, dt.time] | None:
    pair = (opening_hours or {}).get(str(day.weekday()))
    if not pair:
        return None
    if closed_on_holidays and public_holiday(day):
        return None
    return _time(pair[0]), _time(pair[1])


def describe(opening_hours: dict) -> str:
    """ "Monday–Friday 09:00–21:00; Saturday 09:00–17:00" in the active language, weekdays
    with the same hours run together."""
    parts: list[str] = []
    run: list[int] = []
    previous = None
    for weekday in range(7):
        pair = (opening_hours or {}).get(str(weekday))
        key = tuple(pair) if pair else None
        if key != previous and run:
            parts.append(_run_text(run, previous))
            run = []
        run.append(weekday)
        previous = key
    if run:
        parts.append(_run_text(run, previous))
    text = "；".join(p for p in parts if p)
    return text or pgettext("opening", "closed")


def _run_text(run: list[int], pair: tuple | None) -> str:
    if pair is None:
        return ""
    days = weekday_name(run[0])
    if len(run) > 1:
        days += "–" + weekday_name(run[-1])
    return f"{days} {pair[0]}–{pair[1]}"


def parse_day(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD from a link, or None when it is missing or not a real day."""
    from django.utils.dateparse import parse_date

    try:
        return parse_date(text or "")
    except ValueError:
        return None
