from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from jiequ.core.scoping import restrict
from jiequ.party.models import Organisation

from .compliance import add_months, parse_month
from .models import Course, CourseKind, Meeting, MeetingKind, Mentorship
from .training import current_mentorships


class MonthField(forms.CharField):
    """A month as YYYY-MM (what <input type="month"> sends)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if value and parse_month(value) is None:
            raise forms.ValidationError(_("Give the month as year-month, e.g. 2026-03."))
        return value


class MonthFilter(filters.CharFilter):
    field_class = MonthField

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        month = parse_month(value) if value else None
        if month is None:
            return qs
        return qs.filter(
            **{f"{self.field_name}__gte": month, f"{self.field_name}__lt": add_months(month, 1)}
        )


class MeetingFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    organisation = filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), method="within", label=_("organisation")
    )
    kind = filters.ChoiceFilter(choices=MeetingKind.choices, label=_("kind"))
    month = MonthFilter(field_name="held_on", label=_("month"))

    class Meta:
        model = Meeting
        fields = ["q", "organisation", "kind", "month"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["organisation"].queryset = restrict(Organisation.objects.all(), user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(topic__icontains=value) | Q(place__icontains=value) | Q(minutes__icontains=value)
        )

    def within(self, queryset: QuerySet, name: str, value: Organisation) -> QuerySet:
        """The organisation's own meetings (not those of its groups: they are separate rows)."""
        return queryset.filter(organisation=value)


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class CourseFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    kind = filters.ChoiceFilter(choices=CourseKind.choices, label=_("kind"))
    year = YearFilter(
        field_name="starts_on", lookup_expr="year", label=_("year"), min_value=1921, max_value=2100
    )

    class Meta:
        model = Course
        fields = ["q", "kind", "year"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(title__icontains=value) | Q(place__icontains=value) | Q(description__icontains=value)
        )


class MentorshipFilterSet(filters.FilterSet):
    current = filters.BooleanFilter(method="only_current", label=_("current"))

    class Meta:
        model = Mentorship
        fields = ["current"]

    def only_current(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        current = current_mentorships(queryset)
        return current if value else queryset.exclude(pk__in=current.values("pk"))
