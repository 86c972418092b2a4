"""Filters of the supply lists. Choices are themselves limited to the user's scope; an invalid
filter matches nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from jiequ.core.scoping import restrict
from jiequ.councils.models import Council
from jiequ.party.models import Organisation

from .models import (
    Category,
    Delivery,
    Need,
    NeedState,
    OwnerKind,
    Project,
    ProjectState,
    Resource,
    ResourceState,
    Talent,
    TargetGroup,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"})

# Age of open needs: (key, label, youngest day count, oldest day count or None).
AGE_BUCKETS = [
    ("0-30", _("up to 30 days"), 0, 30),
    ("31-90", _("31 to 90 days"), 31, 90),
    ("91-180", _("91 to 180 days"), 91, 180),
    ("181-", _("over 180 days"), 181, None),
]


def age_range(key: str) -> tuple[Any, Any] | None:
    """(earliest, latest) raised-on dates of a bucket of open needs' ages."""
    today = timezone.localdate()
    for bucket, _label, low, high in AGE_BUCKETS:
        if bucket == key:
            latest = today - timedelta(days=low)
            earliest = today - timedelta(days=high) if high is not None else None
            return earliest, latest
    return None


def owner_filter(queryset: QuerySet, name: str, value: str) -> QuerySet:
    if value == OwnerKind.ORGANISATION:
        return queryset.filter(organisation__isnull=False)
    if value == OwnerKind.SHOP:
        return queryset.filter(entity__isnull=False)
    if value == OwnerKind.DEPARTMENT:
        return queryset.filter(organisation__isnull=True, entity__isnull=True)
    return queryset


class SupplyFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    category = filters.ChoiceFilter(choices=Category.choices, label=_("category"))
    group = filters.ChoiceFilter(
        choices=TargetGroup.choices, method="for_group", label=_("target group")
    )
    owner = filters.ChoiceFilter(
        choices=OwnerKind.choices, method="by_owner", label=pgettext_lazy("supply", "owner")
    )
    organisation = filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), label=_("Party organisation")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and "organisation" in self.filters:
            self.filters["organisation"].queryset = restrict(Organisation.objects.all(), user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(department_name__icontains=value)
            | Q(entity__name__icontains=value)
            | Q(entity__sign_name__icontains=value)
        )

    def for_group(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(target_groups__contains=f",{value},")

    def by_owner(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return owner_filter(queryset, name, value)


class NeedFilterSet(SupplyFilterSet):
    state = filters.ChoiceFilter(choices=NeedState.choices, label=_("state"))
    age = filters.ChoiceFilter(
        choices=[(k, label) for k, label, _low, _high in AGE_BUCKETS],
        method="by_age",
        label=_("open for"),
    )

    class Meta:
        model = Need
        fields = ["q", "category", "state", "age", "group", "owner", "organisation"]

    def by_age(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        bounds = age_range(value)
        if bounds is None:
            return queryset.none()
        earliest, latest = bounds
        queryset = queryset.filter(state=NeedState.OPEN, raised_on__lte=latest)
        return queryset.filter(raised_on__gte=earliest) if earliest else queryset


class ResourceFilterSet(SupplyFilterSet):
    state = filters.ChoiceFilter(choices=ResourceState.choices, label=_("state"))
    available_on = filters.DateFilter(
        method="available", label=_("available on"), widget=DATE_INPUT
    )

    class Meta:
        model = Resource
        fields = ["q", "category", "state", "available_on", "group", "owner", "organisation"]

    def available(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(starts_on__lte=value).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=value)
        )


class ProjectFilterSet(SupplyFilterSet):
    state = filters.ChoiceFilter(choices=ProjectState.choices, label=_("state"))
    delivered_to = filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), method="delivered", label=_("delivered to")
    )

    class Meta:
        model = Project
        fields = ["q", "category", "state", "delivered_to", "group", "owner", "organisation"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["delivered_to"].queryset = restrict(Organisation.objects.all(), user)

    def delivered(self, queryset: QuerySet, name: str, value: Organisation) -> QuerySet:
        return queryset.filter(pk__in=Delivery.objects.filter(organisation=value).values("project"))


class DeliveryFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    project = filters.ModelChoiceFilter(queryset=Project.objects.none(), label=_("project"))
    organisation = filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), label=_("delivered to")
    )
    category = filters.ChoiceFilter(
        field_name="project__category", choices=Category.choices, label=_("category")
    )
    start = filters.DateFilter(
        field_name="delivered_on", lookup_expr="gte", label=_("from"), widget=DATE_INPUT
    )
    end = filters.DateFilter(
        field_name="delivered_on", lookup_expr="lte", label=_("until"), widget=DATE_INPUT
    )
    rating = filters.ChoiceFilter(choices=[(i, "★" * i) for i in range(1, 6)], label=_("rating"))

    class Meta:
        model = Delivery
        fields = ["q", "project", "organisation", "category", "start", "end", "rating"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["project"].queryset = restrict(Project.objects.all(), user)
            self.filters["organisation"].queryset = restrict(Organisation.objects.all(), user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(what__icontains=value)
            | Q(feedback__icontains=value)
            | Q(project__title__icontains=value)
            | Q(organisation__name__icontains=value)
        )


class TalentFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    category = filters.ChoiceFilter(choices=Category.choices, label=_("main field"))
    council = filters.ModelChoiceFilter(
        queryset=Council.objects.none(), field_name="councils", label=_("council")
    )
    active = filters.BooleanFilter(
        field_name="withdrawn_at", lookup_expr="isnull", label=_("on the register")
    )

    class Meta:
        model = Talent
        fields = ["q", "category", "council", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["council"].queryset = restrict(Council.objects.all(), user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(name__icontains=value) | Q(skills__icontains=value) | Q(occupation__icontains=value)
        )
