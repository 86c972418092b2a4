"""Filters of the lists; an invalid filter matches nothing (see core.views.ObjectListView)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from jiequ.areas.models import Region, RegionLevel
from jiequ.core import crypto
from jiequ.core.scoping import restrict
from jiequ.core.validators import normalise_phone

from . import pool
from .fields import contains
from .models import (
    SLOTS,
    Occupation,
    Offer,
    Platform,
    PointKind,
    ServicePoint,
    Skill,
    TaskKind,
    Volunteer,
    VolunteerState,
    VolunteerTask,
)
from .opening import is_open


class MonthField(forms.CharField):
    """A month as YYYY-MM (what <input type="month"> sends)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if value and pool.parse_month(value) is None:
            raise forms.ValidationError(_("Give the month as year-month, e.g. 2026-03."))
        return value


class MonthFilter(filters.CharFilter):
    field_class = MonthField


def _regions(user: Any) -> QuerySet:
    regions = restrict(Region.objects.filter(level__in=[RegionLevel.AREA, RegionLevel.GRID]), user)
    scope = getattr(user, "scope_region", None)
    return regions.filter(path__startswith=scope.path) if scope is not None else regions


class RegionFilterMixin:
    def _setup_regions(self) -> None:
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["region"].queryset = _regions(user)

    def within(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return queryset.filter(**{f"{queryset.model.scope_lookup}__startswith": value.path})


class ServicePointFilterSet(RegionFilterMixin, filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    kind = filters.ChoiceFilter(choices=PointKind.choices, label=_("kind"))
    offer = filters.ChoiceFilter(choices=Offer.choices, method="offering", label=_("offer"))
    region = filters.ModelChoiceFilter(
        queryset=Region.objects.none(), method="within", label=_("area or grid")
    )
    is_active = filters.BooleanFilter(label=_("active"))
    open_now = filters.BooleanFilter(method="opened", label=_("open now"))

    class Meta:
        model = ServicePoint
        fields = ["q", "kind", "offer", "region", "is_active", "open_now"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_regions()

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(name__icontains=value)
            | Q(address__icontains=value)
            | Q(host_name__icontains=value)
            | Q(host_entity__name__icontains=value)
            | Q(host_entity__sign_name__icontains=value)
        )

    def offering(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(contains("offers", value))

    def opened(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        now = timezone.localtime()
        ids = [
            p.pk
            for p in queryset.only("pk", "hours", "is_active")
            if (p.is_active and is_open(p.hours, now)) == value
        ]
        return queryset.filter(pk__in=ids)


def phone_hash_of(text: str) -> str | None:
    """The keyed hash of a typed phone number, or None when it is not one."""
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) < 11:
        return None
    try:
        return crypto.lookup_hash(normalise_phone(text))
    except ValidationError:
        return None


class VolunteerFilterSet(RegionFilterMixin, filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Name or phone"))
    state = filters.ChoiceFilter(choices=VolunteerState.choices, label=_("state"))
    occupation = filters.ChoiceFilter(choices=Occupation.choices, label=_("work"))
    platform = filters.ChoiceFilter(choices=Platform.choices, label=_("platform"))
    skill = filters.ChoiceFilter(choices=Skill.choices, method="with_skill", label=_("skill"))
    slot = filters.ChoiceFilter(choices=SLOTS, method="free_at", label=_("free at"))
    point = filters.ModelChoiceFilter(queryset=ServicePoint.objects.none(), label=_("home point"))
    region = filters.ModelChoiceFilter(
        queryset=Region.objects.none(), method="within", label=_("area or grid")
    )
    pool_month = MonthFilter(method="in_pool", label=_("in the pool in"))
    confirmed_month = MonthFilter(method="confirmed_in", label=_("confirmed in"))
    left_month = MonthFilter(method="left_in", label=_("left in"))

    class Meta:
        model = Volunteer
        fields = [
            "q",
            "state",
            "occupation",
            "platform",
            "skill",
            "slot",
            "point",
            "region",
            "pool_month",
            "confirmed_month",
            "left_month",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_regions()
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["point"].queryset = restrict(ServicePoint.objects.all(), user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        phone_hash = phone_hash_of(value)
        if phone_hash is not None:
            return queryset.filter(phone_hash=phone_hash)
        return queryset.filter(name__icontains=value.strip())

    def with_skill(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(contains("skills", value))

    def free_at(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(contains("availability", value))

    def in_pool(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        month = pool.parse_month(value)
        return queryset.filter(pk__in=pool.pool_members(queryset, month))

    def confirmed_in(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        month = pool.parse_month(value)
        return queryset.filter(confirmed_on__gte=month, confirmed_on__lt=pool.add_months(month, 1))

    def left_in(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        month = pool.parse_month(value)
        return queryset.filter(left_on__gte=month, left_on__lt=pool.add_months(month, 1))


class TaskFilterSet(RegionFilterMixin, filters.FilterSet):
    WHEN = [("upcoming", _("Still to come")), ("past", _("Past"))]

    q = filters.CharFilter(method="search", label=_("Search"))
    kind = filters.ChoiceFilter(choices=TaskKind.choices, label=_("kind"))
    when = filters.ChoiceFilter(choices=WHEN, method="at", label=_("when"))
    month = MonthFilter(method="in_month", label=_("month"))
    point = filters.ModelChoiceFilter(
        queryset=ServicePoint.objects.none(), label=_("service point")
    )
    region = filters.ModelChoiceFilter(
        queryset=Region.objects.none(), method="within", label=_("area or grid")
    )
    skill = filters.ChoiceFilter(choices=Skill.choices, method="wanting", label=_("skill"))

    class Meta:
        model = VolunteerTask
        fields = ["q", "kind", "when", "month", "point", "region", "skill"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_regions()
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["point"].queryset = restrict(ServicePoint.objects.all(), user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(title__icontains=value)
            | Q(place__icontains=value)
            | Q(organiser__icontains=value)
            | Q(description__icontains=value)
        )

    def at(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(starts_at__gt=now).order_by("starts_at")
        return queryset.filter(starts_at__lte=now)

    def in_month(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        month = pool.parse_month(value)
        start = timezone.make_aware(dt.datetime.combine(month, dt.time()))
        end = timezone.make_aware(dt.datetime.combine(pool.add_months(month, 1), dt.time()))
        return queryset.filter(starts_at__gte=start, starts_at__lt=end)

    def wanting(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(contains("skills_wanted", value))
