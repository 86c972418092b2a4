from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from .models import Building, BuildingKind, Region, RegionLevel, Road


class BuildingFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    kind = filters.ChoiceFilter(choices=BuildingKind.choices, label=_("kind"))
    region = filters.ModelChoiceFilter(
        queryset=Region.objects.filter(level__in=[RegionLevel.AREA, RegionLevel.GRID]),
        method="within_region",
        label=_("area or grid"),
    )
    road = filters.ModelChoiceFilter(queryset=Road.objects.all(), label=_("road"))
    floors_min = filters.NumberFilter(
        field_name="floors", lookup_expr="gte", label=_("floors from")
    )
    floors_max = filters.NumberFilter(field_name="floors", lookup_expr="lte", label=_("floors to"))

    class Meta:
        model = Building
        fields = ["q", "kind", "region", "road", "floors_min", "floors_max"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        request_user = user or getattr(self.request, "user", None)
        if request_user is not None:
            # Offer only regions and roads the user can see.
            self.filters["region"].queryset = Region.objects.restrict(request_user).filter(
                level__in=[RegionLevel.AREA, RegionLevel.GRID]
            )
            self.filters["road"].queryset = Road.objects.restrict(request_user)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(address__icontains=value) | Q(road__name__icontains=value)
        )

    def within_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path)
