"""Opening hours of service points: parse what staff type, say whether a point is open now.

Hours are kept per weekday (Monday 0) as a list of [open, close] "HH:MM" pairs. A period whose
close is not after its open runs past midnight ("22:00-02:00"); "24:00" is the end of the day.
No Django models here, only the translation of messages.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

Periods = list[list[str]]
Week = Mapping[str, Periods]

_ALL_DAY = {"24h", "24小时", "全天", "00:00-24:00", "0:00-24:00"}
_RANGE = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*[-–—~至到]\s*(\d{1,2})(?::(\d{2}))?$")


def _hhmm(hour: str, minute: str | None) -> str:
    h, m = int(hour), int(minute or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        raise ValueError
    return f"{h:02d}:{m:02d}"


def parse_day(text: str) -> Periods:
    """ "07:00-14:00, 17:00-21:00" → [["07:00", "14:00"], ["17:00", "21:00"]]; "" → closed."""
    text = unicodedata.normalize("NFKC", text or "").strip().lower()
    if not text or text in {"休息", "closed", "不开放", "关闭"}:
        return []
    if text.replace(" ", "") in _ALL_DAY:
        return [["00:00", "24:00"]]
    periods: Periods = []
    for part in re.split(r"[,，;；、\s]+(?=\d)", text):
        match = _RANGE.match(part.strip())
        try:
            if match is None:
                raise ValueError
            start, end = _hhmm(*match.group(1, 2)), _hhmm(*match.group(3, 4))
        except ValueError:
            raise ValidationError(
                _(
                    "Write the hours like 07:00-21:00, or 07:00-14:00, 17:00-21:00; leave it empty "
                    "when closed. “%(text)s” cannot be read."
                )
                % {"text": part.strip()},
                code="hours",
            ) from None
        if start == end:
            raise ValidationError(
                _("A period cannot open and close at the same time (%(text)s).")
                % {"text": part.strip()},
                code="hours",
            )
        periods.append([start, end])
    return sorted(periods)


def day_text(periods: Periods) -> str:
    if not periods:
        return pgettext("opening hours", "closed")
    if periods == [["00:00", "24:00"]]:
        return _("open 24 hours")
    return ", ".join(f"{a}-{b}" for a, b in periods)


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _spans(periods: Periods) -> list[tuple[int, int]]:
    """Periods as minute spans of the day; one past midnight ends on the next day (> 1440)."""
    spans = []
    for start, end in periods:
        a, b = _minutes(start), _minutes(end)
        spans.append((a, b if b > a else b + 1440))
    return spans


def is_open(week: Week | None, moment: dt.datetime) -> bool:
    """Whether the hours say the point is open at `moment` (a local time)."""
    if not week:
        return False
    day = moment.weekday()
    now = moment.hour * 60 + moment.minute
    if any(a <= now < b for a, b in _spans(week.get(str(day), []))):
        return True
    # A period of yesterday that runs past midnight.
    yesterday = week.get(str((day - 1) % 7), [])
    return any(b > 1440 and now < b - 1440 for _a, b in _spans(yesterday))


def week_text(week: Week | None) -> str:
    """A short summary: "周一至周五 07:00-21:00；周六、周日 休息"-like, in the active language."""
    from .models import WEEKDAYS

    if not week:
        return ""
    groups: list[tuple[list[str], str]] = []
    for day, label in WEEKDAYS:
        text = day_text(week.get(str(day), []))
        if groups and groups[-1][1] == text:
            groups[-1][0].append(str(label))
        else:
            groups.append(([str(label)], text))
    parts = []
    for labels, text in groups:
        days = labels[0] if len(labels) == 1 else f"{labels[0]}–{labels[-1]}"
        parts.append(f"{days} {text}")
    return "; ".join(parts)


def today_text(week: Week | None, moment: dt.datetime) -> str:
    return day_text((week or {}).get(str(moment.weekday()), []))
