"""Filters of the positions' lists; their choices are the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from jiequ.areas.models import Region, RegionLevel
from jiequ.core.scoping import restrict

from .models import (
    Activity,
    ActivityKind,
    Audience,
    Booking,
    BookingState,
    Duty,
    DutySwap,
    Position,
    Room,
    RoomKind,
    SignUp,
    SignUpState,
    SwapState,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})
WHEN = [("upcoming", _("upcoming")), ("past", _("past"))]


class DateFilter(filters.DateFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DATE_WIDGET)
        super().__init__(*args, **kwargs)


def _scoped_positions(request: Any) -> QuerySet[Position]:
    user = getattr(request, "user", None)
    return restrict(Position.objects.all(), user) if user is not None else Position.objects.none()


class PositionFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    region = filters.ModelChoiceFilter(
        queryset=Region.objects.none(), method="within_region", label=_("region")
    )
    active = filters.BooleanFilter(field_name="is_active", label=_("in service"))

    class Meta:
        model = Position
        fields = ["q", "region", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["region"].queryset = Region.objects.restrict(user).filter(
                level__in=[RegionLevel.SUBDISTRICT, RegionLevel.AREA, RegionLevel.GRID]
            )

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))

    def within_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return queryset.filter(region__path__startswith=value.path)


class RoomFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    position = filters.ModelChoiceFilter(
        queryset=Position.objects.none(), label=_("service position")
    )
    kind = filters.ChoiceFilter(choices=RoomKind.choices, label=_("kind"))
    min_capacity = filters.NumberFilter(
        field_name="capacity", lookup_expr="gte", label=_("at least places")
    )
    needs_approval = filters.BooleanFilter(label=_("bookings need approval"))

    class Meta:
        model = Room
        fields = ["q", "position", "kind", "min_capacity", "needs_approval"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["position"].queryset = _scoped_positions(self.request)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(notes__icontains=value))


class BookingFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    position = filters.ModelChoiceFilter(
        queryset=Position.objects.none(), field_name="room__position", label=_("service position")
    )
    room = filters.ModelChoiceFilter(queryset=Room.objects.none(), label=_("room"))
    state = filters.ChoiceFilter(choices=BookingState.choices, label=_("state"))
    when = filters.ChoiceFilter(choices=WHEN, method="by_time", label=_("when"))
    day = DateFilter(method="on_day", label=_("day"))

    class Meta:
        model = Booking
        fields = ["q", "position", "room", "state", "when", "day"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        positions = _scoped_positions(self.request)
        self.filters["position"].queryset = positions
        self.filters["room"].queryset = Room.objects.filter(position__in=positions).select_related(
            "position"
        )

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(purpose__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(council__name__icontains=value)
        )

    def by_time(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(ends_at__gte=now).order_by("starts_at")
        if value == "past":
            return queryset.filter(ends_at__lt=now)
        return queryset

    def on_day(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        start = timezone.make_aware(dt.datetime.combine(value, dt.time.min))
        return queryset.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))


class DutyFilterSet(filters.FilterSet):
    position = filters.ModelChoiceFilter(
        queryset=Position.objects.none(), label=_("service position")
    )
    start = DateFilter(field_name="day", lookup_expr="gte", label=_("from"))
    end = DateFilter(field_name="day", lookup_expr="lte", label=_("until"))
    q = filters.CharFilter(method="search", label=_("duty master"))

    class Meta:
        model = Duty
        fields = ["position", "start", "end", "q"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["position"].queryset = _scoped_positions(self.request)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(member__name__icontains=value) | Q(cadre__name__icontains=value))


class SwapFilterSet(filters.FilterSet):
    state = filters.ChoiceFilter(choices=SwapState.choices, label=_("state"))

    class Meta:
        model = DutySwap
        fields = ["state"]


class ActivityFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    kind = filters.ChoiceFilter(choices=ActivityKind.choices, label=_("kind"))
    audience = filters.ChoiceFilter(choices=Audience.choices, label=_("open to"))
    start = DateFilter(method="from_day", label=_("from"))
    end = DateFilter(method="until_day", label=_("until"))

    class Meta:
        model = Activity
        fields = ["q", "kind", "audience", "start", "end"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(title__icontains=value)
            | Q(place__icontains=value)
            | Q(organiser__name__icontains=value)
        )

    def from_day(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        start = timezone.make_aware(dt.datetime.combine(value, dt.time.min))
        return queryset.filter(starts_at__gte=start)

    def until_day(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        end = timezone.make_aware(dt.datetime.combine(value, dt.time.min)) + dt.timedelta(days=1)
        return queryset.filter(starts_at__lt=end)


class SignUpFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    activity = filters.ModelChoiceFilter(queryset=Activity.objects.none(), label=_("activity"))
    state = filters.ChoiceFilter(choices=SignUpState.choices, label=_("state"))
    attended = filters.BooleanFilter(label=pgettext_lazy("sign-up", "attended"))

    class Meta:
        model = SignUp
        fields = ["q", "activity", "state", "attended"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["activity"].queryset = restrict(Activity.objects.all(), user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(member__name__icontains=value) | Q(activity__title__icontains=value)
        )
