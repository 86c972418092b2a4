"""Figures of the demands (cases): plain functions over an already scoped queryset of cases.

Definitions (docs/case-figures.md says the same, for users):

- **Period**: a figure over "a period" counts the cases *received* in it (`received_at`, local
  time). The whole page can be narrowed to one month; then every link carries
  `received_month=YYYY-MM`.
- **By level, where they are now**: every case by the level holding it (`level`), closed ones
  included (a closed case stays at the level that closed it).
- **Solved at each level**: closed cases (state "verified and closed") by `solved_level`, as a
  share of the closed cases.
- **Time to solve**: over closed cases, from `received_at` to `resolved_at` (to `closed_at` for a
  case closed without a resolved time), in calendar days and in working days by the official
  Chinese calendar (jiequ.cases.deadlines.working_days_between). Median and 90th percentile use
  linear interpolation between ranks (the "inclusive" method: 1, 2, 3, 4 → median 2.5).
- **Overdue now**: cases still open (received, assigned, in progress, returned, reopened) whose
  due date has passed; a suspended case's clock is stopped, so it is not overdue.
- **Satisfaction**: over cases with a rating: the mean rating, the share rated 4 or 5, the count.
- **Share sent up to the district** in a month = cases sent to the district platform that month
  (`escalated_to_district_at`) ÷ cases received that month. Over several months the counts are
  summed first (a pooled share, not a mean of monthly shares). The change against a baseline is
  (recent − baseline) ÷ baseline.
- **Pilot start**: settings.JIEQU_PILOT_START (an ISO date) when set; otherwise the month the
  first case was taken up by a council (the chain branch → council → grid began then). The
  default baseline is the 6 months before it.

Every count comes with the case-list URL that lists exactly those cases (the list's parameters:
source, level, category, state, solved_level, overdue, received_month, sent_to_district,
sent_month, rated, region).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Min, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import LEVEL_ORDER, Case, CaseCategory, Level, Source, State

BASELINE_MONTHS = 6
RECENT_MONTHS = 3


# --- months -----------------------------------------------------------------------------------


def month_key(day: dt.date | dt.datetime) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(text: str | None) -> dt.date | None:
    """ "2026-05" → 1 May 2026; anything else → None."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return None


def add_months(first: dt.date, months: int) -> dt.date:
    years, month0 = divmod(first.month - 1 + months, 12)
    return dt.date(first.year + years, month0 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from `first` to `last`, both included."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def month_bounds(first: dt.date, last: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """Aware local datetimes [start of `first`'s month, start of the month after `last`)."""
    end = add_months((last or first).replace(day=1), 1)
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(dt.datetime.combine(first.replace(day=1), dt.time()), tz),
        timezone.make_aware(dt.datetime.combine(end, dt.time()), tz),
    )


def received_in(cases: QuerySet, first: dt.date, last: dt.date | None = None) -> QuerySet:
    start, end = month_bounds(first, last)
    return cases.filter(received_at__gte=start, received_at__lt=end)


def sent_in(cases: QuerySet, first: dt.date, last: dt.date | None = None) -> QuerySet:
    start, end = month_bounds(first, last)
    return cases.filter(escalated_to_district_at__gte=start, escalated_to_district_at__lt=end)


# --- links ------------------------------------------------------------------------------------


def case_list_url(**params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    url = reverse("cases:case_list")
    return f"{url}?{query}" if query else url


@dataclass(frozen=True)
class Figure:
    """One counted figure: what it is, how many, and the case list that shows them."""

    key: str
    label: str
    n: int
    url: str
    share: float | None = None  # of the table's total, where a share means something

    @property
    def percent(self) -> str:
        return percent(self.share)


def percent(value: float | None) -> str:
    """A share as people read it: "62.5%", or "—" when there is nothing to divide by."""
    return "—" if value is None else f"{value * 100:.1f}%"


def signed_percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.1f}%"


def _share(n: int, total: int) -> float | None:
    return n / total if total else None


# --- counts -----------------------------------------------------------------------------------


def _counts(cases: QuerySet, field_name: str) -> dict[Any, int]:
    return dict(cases.order_by().values_list(field_name).annotate(n=Count("pk")))


def by_source(cases: QuerySet, base: dict[str, Any]) -> list[Figure]:
    counts = _counts(cases, "source")
    total = sum(counts.values())
    return [
        Figure(
            s.value,
            str(s.label),
            counts.get(s.value, 0),
            case_list_url(**base, source=s.value),
            _share(counts.get(s.value, 0), total),
        )
        for s in Source
    ]


def by_state(cases: QuerySet, base: dict[str, Any]) -> list[Figure]:
    counts = _counts(cases, "state")
    total = sum(counts.values())
    return [
        Figure(
            s.value,
            str(s.label),
            counts.get(s.value, 0),
            case_list_url(**base, state=s.value),
            _share(counts.get(s.value, 0), total),
        )
        for s in State
    ]


def by_level(cases: QuerySet, base: dict[str, Any]) -> list[Figure]:
    """Every case by the level holding it now."""
    counts = _counts(cases, "level")
    total = sum(counts.values())
    return [
        Figure(
            level.value,
            str(level.label),
            counts.get(level.value, 0),
            case_list_url(**base, level=level.value),
            _share(counts.get(level.value, 0), total),
        )
        for level in LEVEL_ORDER
    ]


def closed(cases: QuerySet) -> QuerySet:
    return cases.filter(state=State.CLOSED)


def solved_at(cases: QuerySet, base: dict[str, Any]) -> list[Figure]:
    """Closed cases by the level that solved them, each as a share of the closed cases."""
    counts = _counts(closed(cases), "solved_level")
    total = sum(counts.values())
    return [
        Figure(
            level.value,
            str(level.label),
            counts.get(level.value, 0),
            case_list_url(**base, state=State.CLOSED, solved_level=level.value),
            _share(counts.get(level.value, 0), total),
        )
        for level in LEVEL_ORDER
    ]


def root_categories() -> dict[int, CaseCategory]:
    """Each category's top-level category (大类), by category id."""
    categories = {c.pk: c for c in CaseCategory.objects.all()}

    def root(c: CaseCategory) -> CaseCategory:
        seen = set()
        while c.parent_id and c.parent_id in categories and c.pk not in seen:
            seen.add(c.pk)
            c = categories[c.parent_id]
        return c

    return {pk: root(c) for pk, c in categories.items()}


def by_category(cases: QuerySet, base: dict[str, Any]) -> list[Figure]:
    """Cases by top-level category, most first; the link's category includes its children."""
    roots = root_categories()
    totals: dict[int, int] = {}
    for category_id, n in _counts(cases, "category_id").items():
        root = roots[category_id]
        totals[root.pk] = totals.get(root.pk, 0) + n
    grand = sum(totals.values())
    figures = [
        Figure(
            str(pk),
            roots[pk].name,
            n,
            case_list_url(**base, category=pk),
            _share(n, grand),
        )
        for pk, n in totals.items()
    ]
    return sorted(figures, key=lambda f: (-f.n, f.label))


def overdue(cases: QuerySet, today: dt.date | None = None) -> QuerySet:
    """The case list's own definition (overdue=1), so the figure and the list agree."""
    from .services import overdue as overdue_cases

    return overdue_cases(cases, today)


# --- time to solve ----------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th quantile (0–1) by linear interpolation between ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * p
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class SolveTimes:
    n: int
    url: str
    median_days: float | None
    p90_days: float | None
    median_working_days: float | None
    p90_working_days: float | None


def solve_durations(cases: QuerySet) -> tuple[list[float], list[int]]:
    """Calendar days (with fractions) and working days from receipt to resolution, per closed
    case."""
    from .deadlines import working_days_between

    calendar, working = [], []
    for received, resolved, closed_at in closed(cases).values_list(
        "received_at", "resolved_at", "closed_at"
    ):
        done = resolved or closed_at
        if received is None or done is None:
            continue
        calendar.append(max(0.0, (done - received).total_seconds() / 86400))
        working.append(working_days_between(timezone.localdate(received), timezone.localdate(done)))
    return calendar, working


def solve_times(cases: QuerySet, base: dict[str, Any]) -> SolveTimes:
    calendar, working = solve_durations(cases)
    return SolveTimes(
        n=closed(cases).count(),
        url=case_list_url(**base, state=State.CLOSED),
        median_days=percentile(calendar, 0.5),
        p90_days=percentile(calendar, 0.9),
        median_working_days=percentile(working, 0.5),
        p90_working_days=percentile(working, 0.9),
    )


# --- satisfaction -----------------------------------------------------------------------------


@dataclass
class Satisfaction:
    rated: int
    high: int  # rated 4 or 5
    mean: float | None
    url: str

    @property
    def high_share(self) -> float | None:
        return _share(self.high, self.rated)

    @property
    def high_percent(self) -> str:
        return percent(self.high_share)


def satisfaction(cases: QuerySet, base: dict[str, Any]) -> Satisfaction:
    counts = _counts(cases.filter(rating__isnull=False), "rating")
    rated = sum(counts.values())
    total = sum(rating * n for rating, n in counts.items())
    return Satisfaction(
        rated=rated,
        high=counts.get(4, 0) + counts.get(5, 0),
        mean=total / rated if rated else None,
        url=case_list_url(**base, rated=1),
    )


# --- the share sent up to the district --------------------------------------------------------


@dataclass
class MonthShare:
    month: dt.date
    received: int
    sent: int
    received_url: str
    sent_url: str

    @property
    def key(self) -> str:
        return month_key(self.month)

    @property
    def share(self) -> float | None:
        return _share(self.sent, self.received)

    @property
    def percent(self) -> str:
        return percent(self.share)


def district_share_by_month(
    cases: QuerySet, first: dt.date, last: dt.date, base: dict[str, Any] | None = None
) -> list[MonthShare]:
    """Received and sent to the district in each month from `first` to `last` (two queries)."""
    base = {k: v for k, v in (base or {}).items() if k != "received_month"}
    start, end = month_bounds(first, last)
    tz = timezone.get_current_timezone()

    def per_month(qs: QuerySet, field_name: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        stamps = qs.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
        for stamp in stamps.values_list(field_name, flat=True):
            key = month_key(stamp.astimezone(tz))
            counts[key] = counts.get(key, 0) + 1
        return counts

    received = per_month(cases, "received_at")
    sent = per_month(cases, "escalated_to_district_at")
    rows = []
    for month in months_between(first, last):
        key = month_key(month)
        rows.append(
            MonthShare(
                month,
                received.get(key, 0),
                sent.get(key, 0),
                case_list_url(**base, received_month=key),
                case_list_url(**base, sent_to_district=1, sent_month=key),
            )
        )
    return rows


@dataclass
class PeriodShare:
    first: dt.date
    last: dt.date
    received: int
    sent: int

    @property
    def share(self) -> float | None:
        return _share(self.sent, self.received)

    @property
    def percent(self) -> str:
        return percent(self.share)

    @property
    def label(self) -> str:
        if self.first == self.last:
            return month_key(self.first)
        return f"{month_key(self.first)} – {month_key(self.last)}"


def pooled(rows: Iterable[MonthShare], first: dt.date, last: dt.date) -> PeriodShare:
    inside = [r for r in rows if first <= r.month <= last]
    return PeriodShare(first, last, sum(r.received for r in inside), sum(r.sent for r in inside))


def change(baseline: float | None, recent: float | None) -> float | None:
    """(recent − baseline) ÷ baseline: −0.6 is "down 60%"."""
    if baseline is None or recent is None or baseline == 0:
        return None
    return (recent - baseline) / baseline


def pilot_start(cases: QuerySet) -> dt.date | None:
    configured = getattr(settings, "JIEQU_PILOT_START", "") or ""
    if configured:
        try:
            return dt.date.fromisoformat(str(configured))
        except ValueError:
            pass
    first = cases.filter(council__isnull=False).aggregate(first=Min("received_at"))["first"]
    return timezone.localdate(first).replace(day=1) if first else None


@dataclass
class Periods:
    """The months compared: a baseline and a recent period, both inclusive, first days."""

    baseline: tuple[dt.date, dt.date]
    recent: tuple[dt.date, dt.date]
    pilot: dt.date | None


def default_periods(cases: QuerySet, today: dt.date | None = None) -> Periods:
    """Baseline: the 6 months before the pilot start (or before the last 6 months when there is
    no pilot start); recent: the last 3 complete months."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    recent = (add_months(this_month, -RECENT_MONTHS), add_months(this_month, -1))
    pilot = pilot_start(cases)
    anchor = pilot.replace(day=1) if pilot else add_months(this_month, -BASELINE_MONTHS)
    baseline = (add_months(anchor, -BASELINE_MONTHS), add_months(anchor, -1))
    return Periods(baseline, recent, pilot)


@dataclass
class Comparison:
    months: list[MonthShare]
    baseline: PeriodShare
    recent: PeriodShare

    @property
    def change(self) -> float | None:
        return change(self.baseline.share, self.recent.share)

    @property
    def change_text(self) -> str:
        return signed_percent(self.change)


def compare(cases: QuerySet, periods: Periods, base: dict[str, Any] | None = None) -> Comparison:
    first = min(periods.baseline[0], periods.recent[0])
    last = max(periods.baseline[1], periods.recent[1], timezone.localdate().replace(day=1))
    months = district_share_by_month(cases, first, last, base)
    return Comparison(
        months,
        pooled(months, *periods.baseline),
        pooled(months, *periods.recent),
    )


# --- everything for one scope -----------------------------------------------------------------


@dataclass
class Summary:
    """All the figures of one set of cases (a user's scope, or one subdistrict of it)."""

    total: Figure
    by_source: list[Figure]
    by_state: list[Figure]
    by_level: list[Figure]
    solved_at: list[Figure]
    by_category: list[Figure]
    closed: Figure
    solved_below_district: Figure | None
    overdue: Figure
    times: SolveTimes
    satisfaction: Satisfaction
    extra: dict[str, Any] = field(default_factory=dict)


def summarise(
    cases: QuerySet, base: dict[str, Any] | None = None, today: dt.date | None = None
) -> Summary:
    """The figures of `cases` (already scoped and narrowed to the period); `base` is the list
    parameters that narrow them (period, region), carried into every link."""
    base = dict(base or {})
    solved = solved_at(cases, base)
    closed_n = sum(f.n for f in solved)
    below = sum(f.n for f in solved if f.key != Level.DISTRICT)
    return Summary(
        total=Figure("total", _("Cases"), cases.count(), case_list_url(**base)),
        by_source=by_source(cases, base),
        by_state=by_state(cases, base),
        by_level=by_level(cases, base),
        solved_at=solved,
        by_category=by_category(cases, base),
        closed=Figure(
            "closed",
            pgettext("cases", "Closed"),
            closed_n,
            case_list_url(**base, state=State.CLOSED),
        ),
        solved_below_district=Figure(
            "below",
            _("Solved before the district"),
            below,
            case_list_url(**base, state=State.CLOSED),
            _share(below, closed_n),
        ),
        overdue=Figure(
            "overdue",
            _("Overdue now"),
            overdue(cases, today).count(),
            case_list_url(**base, overdue=1),
        ),
        times=solve_times(cases, base),
        satisfaction=satisfaction(cases, base),
    )


def scoped_cases(user: Any) -> QuerySet:
    """The cases `user` may see (none if their role does not read cases)."""
    return Case.objects.restrict(user)


def narrow_to_month(cases: QuerySet, month: dt.date | None) -> tuple[QuerySet, dict[str, str]]:
    """The cases received in `month` (all when None) and the list parameter saying so."""
    if month is None:
        return cases, {}
    return received_in(cases, month), {"received_month": month_key(month)}


def months_with_cases(cases: QuerySet) -> list[dt.date]:
    """Every month from the first case received to this month, newest first (for the filter)."""
    first = cases.aggregate(first=Min("received_at"))["first"]
    if first is None:
        return []
    this_month = timezone.localdate().replace(day=1)
    return list(reversed(months_between(timezone.localdate(first).replace(day=1), this_month)))


# --- the home page ----------------------------------------------------------------------------


def home_figures(user: Any) -> list[tuple[str, Any, str]]:
    """Received this month, overdue now, and the share of this month's cases sent to the
    district; each links to its list."""
    if not user.has_perm("cases.view_case"):
        return []
    cases = scoped_cases(user)
    month = timezone.localdate().replace(day=1)
    key = month_key(month)
    received = received_in(cases, month).count()
    sent = sent_in(cases, month).count()
    return [
        (
            _("cases received this month"),
            received,
            case_list_url(received_month=key),
        ),
        (_("cases overdue"), overdue(cases).count(), case_list_url(overdue=1)),
        (
            _("sent to the district this month"),
            f"{sent} · {percent(_share(sent, received))}",
            case_list_url(sent_to_district=1, sent_month=key),
        ),
    ]
