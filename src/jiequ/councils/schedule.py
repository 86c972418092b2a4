"""When a council should meet next: the grid consultation meets every 14 days; a council with a
rhythm that has not met by its due day is flagged as missed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from .models import Council, MeetingState


@dataclass(frozen=True)
class Rhythm:
    last_held: dt.date | None  # the last meeting held (closed)
    next_due: dt.date | None  # when the next one is due (None: meets as needed)
    planned: dt.date | None  # the next planned meeting, if any
    missed: bool  # the due day has passed and no meeting was held since

    @property
    def days_late(self) -> int:
        if not self.missed or self.next_due is None:
            return 0
        return (timezone.localdate() - self.next_due).days


def rhythm(council: Council, today: dt.date | None = None) -> Rhythm:
    today = today or timezone.localdate()
    meetings = council.meetings.all()
    last = meetings.filter(state=MeetingState.CLOSED).aggregate(d=Max("held_on"))["d"]
    planned = (
        meetings.filter(state=MeetingState.PLANNED, held_on__gte=today)
        .order_by("held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    return _rhythm(council, last, planned, today)


def _rhythm(
    council: Council, last: dt.date | None, planned: dt.date | None, today: dt.date
) -> Rhythm:
    interval = council.meets_every_days
    if not interval:
        return Rhythm(last, None, planned, False)
    start = last or council.founded_on
    due = start + dt.timedelta(days=interval) if start else today
    return Rhythm(last, due, planned, due < today)


def annotate_rhythm(councils: QuerySet) -> QuerySet:
    """Councils with `last_held_on` and `next_planned_on` (for lists, one query)."""
    today = timezone.localdate()
    return councils.annotate(
        last_held_on=Max("meetings__held_on", filter=Q(meetings__state=MeetingState.CLOSED)),
        next_planned_on=Max(
            "meetings__held_on",
            filter=Q(meetings__state=MeetingState.PLANNED, meetings__held_on__gte=today),
        ),
    )


def rhythm_of_annotated(council: Council, today: dt.date | None = None) -> Rhythm:
    today = today or timezone.localdate()
    return _rhythm(council, council.last_held_on, council.next_planned_on, today)
