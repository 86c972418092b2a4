from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from jiequ.areas.models import Region, RegionLevel
from jiequ.core.scoping import restrict
from jiequ.life.filtersets import MonthFilter

from .models import (
    Council,
    CouncilKind,
    CouncilMeeting,
    Department,
    MeetingState,
    PulseBoard,
    PulseTopic,
    Task,
    TopicState,
)
from .schedule import annotate_rhythm, rhythm_of_annotated


def _regions_for(user: Any) -> QuerySet:
    regions = Region.objects.filter(level__in=[RegionLevel.AREA, RegionLevel.GRID])
    return restrict(regions, user).order_by("path") if user is not None else regions.none()


class CouncilFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    kind = filters.ChoiceFilter(choices=CouncilKind.choices, label=_("kind"))
    region = filters.ModelChoiceFilter(
        queryset=Region.objects.none(), method="within", label=_("area or grid")
    )
    missed = filters.BooleanFilter(method="only_missed", label=_("meeting missed"))

    class Meta:
        model = Council
        fields = ["q", "kind", "region", "missed"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = _regions_for(getattr(self.request, "user", None))

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(name__icontains=value)
            | Q(notes__icontains=value)
            | Q(road__name__icontains=value)
            | Q(building__name__icontains=value)
        )

    def within(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return queryset.filter(region__path__startswith=value.path)

    def only_missed(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        today = timezone.localdate()
        missed = [
            c.pk
            for c in annotate_rhythm(queryset.filter(meets_every_days__isnull=False))
            if rhythm_of_annotated(c, today).missed
        ]
        return queryset.filter(pk__in=missed) if value else queryset.exclude(pk__in=missed)


class MeetingFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    council = filters.ModelChoiceFilter(queryset=Council.objects.none(), label=_("council"))
    kind = filters.ChoiceFilter(
        field_name="council__kind", choices=CouncilKind.choices, label=_("kind of council")
    )
    state = filters.ChoiceFilter(choices=MeetingState.choices, label=_("state"))
    month = MonthFilter(field_name="held_on", label=_("month"))

    class Meta:
        model = CouncilMeeting
        fields = ["q", "council", "kind", "state", "month"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["council"].queryset = restrict(Council.objects.all(), user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(minutes__icontains=value)
            | Q(place__icontains=value)
            | Q(council__name__icontains=value)
        )


class TaskStatus:
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"
    CHOICES = [(OPEN, _("Open")), (OVERDUE, _("Overdue")), (DONE, _("Done"))]


class TaskFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    status = filters.ChoiceFilter(choices=TaskStatus.CHOICES, method="by_status", label=_("status"))
    council = filters.ModelChoiceFilter(queryset=Council.objects.none(), label=_("council"))
    department = filters.ChoiceFilter(
        field_name="owner_department", choices=Department.choices, label=_("department")
    )

    class Meta:
        model = Task
        fields = ["q", "status", "council", "department"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["council"].queryset = restrict(Council.objects.all(), user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(title__icontains=value)
            | Q(details__icontains=value)
            | Q(owner_member__name__icontains=value)
        )

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        if value == TaskStatus.DONE:
            return queryset.filter(done_on__isnull=False)
        if value == TaskStatus.OVERDUE:
            return queryset.filter(done_on__isnull=True, due_on__lt=today)
        if value == TaskStatus.OPEN:
            return queryset.filter(done_on__isnull=True)
        return queryset


class TopicFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    board = filters.ModelChoiceFilter(queryset=PulseBoard.objects.none(), label=_("board"))
    state = filters.ChoiceFilter(choices=TopicState.choices, label=_("state"))
    hidden = filters.BooleanFilter(
        field_name="hidden_at", lookup_expr="isnull", exclude=True, label=_("hidden")
    )

    class Meta:
        model = PulseTopic
        fields = ["q", "board", "state", "hidden"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["board"].queryset = restrict(PulseBoard.objects.all(), user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(title__icontains=value) | Q(text__icontains=value))


class BoardFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = PulseBoard
        fields = ["q"]
