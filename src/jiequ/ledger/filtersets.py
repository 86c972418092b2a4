from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from jiequ.areas.models import Building, Region, RegionLevel, Road

from .models import (
    Entity,
    EntityKind,
    EntityState,
    Industry,
    MemberRegistration,
    Ownership,
    RegistrationState,
    RegistrySource,
    Sector,
    SurveyRound,
)


class EntityFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    state = filters.ChoiceFilter(choices=EntityState.choices, label=_("state"))
    kind = filters.ChoiceFilter(choices=EntityKind.choices, label=_("kind"))
    ownership = filters.ChoiceFilter(choices=Ownership.choices, label=_("ownership"))
    industry = filters.ChoiceFilter(choices=Industry.choices, label=_("industry"))
    sector = filters.ChoiceFilter(choices=Sector.choices, label=_("two enterprises, three new"))
    is_street_shop = filters.BooleanFilter(label=_("street shop"))
    region = filters.ModelChoiceFilter(
        queryset=Region.objects.filter(level__in=[RegionLevel.AREA, RegionLevel.GRID]),
        method="within_region",
        label=_("area or grid"),
    )
    road = filters.ModelChoiceFilter(queryset=Road.objects.all(), label=_("road"))
    building = filters.ModelChoiceFilter(queryset=Building.objects.all(), label=_("building"))
    has_members = filters.BooleanFilter(method="with_members", label=_("has Party members"))
    possibly_closed = filters.BooleanFilter(
        method="missing_from_registry", label=_("missing from the latest registry extract")
    )
    not_visited = filters.BooleanFilter(
        method="not_visited_in_last_rounds", label=_("not visited in the last two rounds")
    )

    class Meta:
        model = Entity
        fields = ["q", "state", "kind", "ownership", "industry", "sector", "is_street_shop"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["region"].queryset = Region.objects.restrict(user).filter(
                level__in=[RegionLevel.AREA, RegionLevel.GRID]
            )
            self.filters["road"].queryset = Road.objects.restrict(user)
            self.filters["building"].queryset = Building.objects.restrict(user)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(sign_name__icontains=value)
            | Q(credit_code__iexact=value.strip())
            | Q(address__icontains=value)
        )

    def within_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path)

    def with_members(self, queryset, name, value):
        return queryset.filter(member_count__gt=0) if value else queryset.filter(member_count=0)

    def missing_from_registry(self, queryset, name, value):
        from .reconcile import possibly_closed

        return possibly_closed(queryset) if value else queryset

    def not_visited_in_last_rounds(self, queryset, name, value):
        from .rounds import not_visited_recently

        return not_visited_recently(queryset) if value else queryset


class RoundFilterSet(filters.FilterSet):
    open = filters.BooleanFilter(field_name="closed_on", lookup_expr="isnull", label=_("open"))

    class Meta:
        model = SurveyRound
        fields = ["open"]


class RegistrationFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    state = filters.ChoiceFilter(choices=RegistrationState.choices, label=_("state"))

    class Meta:
        model = MemberRegistration
        fields = ["q", "state"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(workplace__icontains=value)
            | Q(record_organisation__icontains=value)
        )


class RegistrySourceFilterSet(filters.FilterSet):
    class Meta:
        model = RegistrySource
        fields = ["department"]
