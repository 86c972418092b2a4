"""Service hours (服务时长): confirmed hours per volunteer and in total, for a period.

Only hours staff confirmed count (a sign-up in state "served"); hours a volunteer reported
wait for confirmation and are shown apart. A task's hours belong to the day it starts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import SignupState


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None  # inclusive
    end: dt.date | None = None  # inclusive

    def signup_q(self, prefix: str = "") -> Q:
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{prefix}task__starts_at__gte": _start_of(self.start)})
        if self.end is not None:
            q &= Q(**{f"{prefix}task__starts_at__lt": _start_of(self.end + dt.timedelta(days=1))})
        return q


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=8, decimal_places=1))


def with_hours(volunteers: QuerySet, period: Period = Period()) -> QuerySet:
    """Volunteers annotated with `confirmed_hours`, `served_count` and `reported_waiting`."""
    served = Q(signups__state=SignupState.SERVED) & period.signup_q("signups__")
    waiting = (
        Q(signups__state__in=[SignupState.SIGNED_UP, SignupState.ASSIGNED])
        & Q(signups__reported_hours__isnull=False)
        & period.signup_q("signups__")
    )
    return volunteers.annotate(
        confirmed_hours=Coalesce(Sum("signups__hours", filter=served), ZERO),
        served_count=Count("signups", filter=served),
        reported_waiting=Coalesce(Sum("signups__reported_hours", filter=waiting), ZERO),
    )


def served_signups(signups: QuerySet, period: Period = Period()) -> QuerySet:
    return signups.filter(Q(state=SignupState.SERVED) & period.signup_q())


@dataclass
class Totals:
    hours: Decimal
    services: int  # served sign-ups
    volunteers: int  # volunteers with at least one
    waiting: int  # sign-ups with reported hours not yet confirmed


def totals(signups: QuerySet, period: Period = Period()) -> Totals:
    served = served_signups(signups, period)
    figures = served.aggregate(
        hours=Coalesce(Sum("hours"), ZERO),
        services=Count("pk"),
        volunteers=Count("volunteer", distinct=True),
    )
    waiting = signups.filter(
        period.signup_q(),
        state__in=[SignupState.SIGNED_UP, SignupState.ASSIGNED],
        reported_hours__isnull=False,
    ).count()
    return Totals(figures["hours"], figures["services"], figures["volunteers"], waiting)


def table(volunteers: QuerySet, period: Period = Period()) -> QuerySet:
    """Volunteers with hours in the period, most hours first (the hours page and its export)."""
    return (
        with_hours(volunteers, period)
        .filter(served_count__gt=0)
        .order_by("-confirmed_hours", "pk")
        .select_related("point")
    )
