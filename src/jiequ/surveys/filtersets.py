from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from jiequ.areas.models import Road
from jiequ.core.scoping import restrict

from .models import Survey, SurveyState


class SurveyFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    state = filters.ChoiceFilter(choices=SurveyState.choices, label=_("state"))
    road = filters.ModelChoiceFilter(queryset=Road.objects.none(), label=_("road"))

    class Meta:
        model = Survey
        fields = ["q", "state", "road"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["road"].queryset = restrict(Road.objects.all(), user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(title__icontains=value) | Q(road__name__icontains=value))
