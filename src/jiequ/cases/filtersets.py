"""The case list's filters. Their URL parameters are a contract: the figures link to them.

/cases/?source=&level=&category=<id, sub-categories included>&state=&solved_level=&overdue=1&
received_month=YYYY-MM&sent_to_district=1&sent_month=YYYY-MM&rated=1&q=
(and, for people at work: mine=1, due_soon=1, organisation=, region=, urgent=1)
"""

from __future__ import annotations

import re
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from django_filters.widgets import BooleanWidget

from jiequ.areas.models import Region, RegionLevel
from jiequ.party.models import Organisation

from . import services
from .models import Case, CaseCategory, Level, RequestType, Source, State


class YesNoAny(BooleanWidget):
    """A yes/no filter whose empty choice reads "any" rather than "unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("Any")), ("true", _("Yes")), ("false", _("No")))


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_range(text: str) -> tuple[datetime, datetime] | None:
    """ "2026-10" → the first moment of October 2026 and of November 2026 (local time)."""
    match = MONTH.match((text or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 2000:
        return None
    start = datetime(year, month, 1)
    end = datetime(year + month // 12, month % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    return timezone.make_aware(start, tz), timezone.make_aware(end, tz)


def category_ids(category: CaseCategory) -> list[int]:
    """The category and every category under it."""
    ids, frontier = [category.pk], [category.pk]
    while frontier:
        frontier = list(
            CaseCategory.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        frontier = [pk for pk in frontier if pk not in ids]
        ids += frontier
    return ids


class CaseFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Number, title, place"))
    state = filters.ChoiceFilter(choices=State.choices, label=_("state"))
    level = filters.ChoiceFilter(choices=Level.choices, label=_("level"))
    category = filters.ModelChoiceFilter(
        queryset=CaseCategory.objects.select_related("parent").order_by("code"),
        method="within_category",
        label=_("category"),
    )
    source = filters.ChoiceFilter(choices=Source.choices, label=pgettext_lazy("case", "source"))
    request_type = filters.ChoiceFilter(choices=RequestType.choices, label=_("request type"))
    overdue = filters.BooleanFilter(widget=YesNoAny, method="by_overdue", label=_("overdue"))
    due_soon = filters.BooleanFilter(
        widget=YesNoAny, method="by_due_soon", label=_("due within a working day")
    )
    mine = filters.BooleanFilter(
        widget=YesNoAny, method="assigned_to_me", label=_("assigned to me")
    )
    urgent = filters.BooleanFilter(widget=YesNoAny, field_name="is_urgent", label=_("urgent"))
    organisation = filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), method="within_organisation", label=_("branch")
    )
    region = filters.ModelChoiceFilter(
        queryset=Region.objects.none(), method="within_region", label=_("region")
    )
    solved_level = filters.ChoiceFilter(choices=Level.choices, label=_("solved at level"))
    received_month = filters.CharFilter(
        method="by_received_month", label=_("received in month (YYYY-MM)")
    )
    sent_to_district = filters.BooleanFilter(
        widget=YesNoAny, method="by_sent_to_district", label=_("sent to the district")
    )
    sent_month = filters.CharFilter(
        method="by_sent_month", label=_("sent to the district in month (YYYY-MM)")
    )
    rated = filters.BooleanFilter(widget=YesNoAny, method="by_rated", label=_("rated"))

    class Meta:
        model = Case
        fields = ["q", "state", "level", "category", "source", "request_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            self.filters["organisation"].queryset = Organisation.objects.restrict(user)
            self.filters["region"].queryset = Region.objects.restrict(user).filter(
                # Subdistricts too: the district's figures link one list per subdistrict.
                level__in=[RegionLevel.SUBDISTRICT, RegionLevel.AREA, RegionLevel.GRID]
            )
        for name in ("received_month", "sent_month"):
            self.filters[name].field.widget.attrs.update(type="month")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return services.search(queryset, value)

    def within_category(self, queryset: QuerySet, name: str, value: CaseCategory) -> QuerySet:
        return queryset.filter(category_id__in=category_ids(value))

    def within_organisation(self, queryset: QuerySet, name: str, value: Organisation) -> QuerySet:
        return queryset.filter(organisation_id__in=value.subtree_ids())

    def within_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return queryset.filter(region__path__startswith=value.path)

    def by_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        late = services.overdue(queryset)
        return late if value else queryset.exclude(pk__in=late.values("pk"))

    def by_due_soon(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        soon = services.due_soon(queryset)
        return soon if value else queryset.exclude(pk__in=soon.values("pk"))

    def assigned_to_me(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return queryset.none()
        return queryset.filter(assignee=user) if value else queryset.exclude(assignee=user)

    def _month(self, queryset: QuerySet, field: str, value: str) -> QuerySet:
        if not (value or "").strip():
            return queryset
        bounds = month_range(value)
        if bounds is None:
            return queryset.none()  # a malformed month matches nothing, not everything
        return queryset.filter(**{f"{field}__gte": bounds[0], f"{field}__lt": bounds[1]})

    def by_received_month(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return self._month(queryset, "received_at", value)

    def by_sent_month(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return self._month(queryset, "escalated_to_district_at", value)

    def by_sent_to_district(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(escalated_to_district_at__isnull=not value)

    def by_rated(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(rating__isnull=not value)
