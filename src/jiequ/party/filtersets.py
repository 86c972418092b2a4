from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from jiequ.areas.models import Region, RegionLevel

from . import checks
from .models import Cadre, Category, DepartmentKind, Level, Organisation

TERM_STATES = [("ending", _("term ending soon")), ("overdue", _("term overdue"))]
FLAGS = [
    ("any", _("any finding")),
    ("error", _("rule broken")),
    ("warning", _("warnings only")),
    ("none", _("no finding")),
]


class OrganisationFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    level = filters.ChoiceFilter(choices=Level.choices, label=_("level"))
    category = filters.ChoiceFilter(choices=Category.choices, label=_("category"))
    region = filters.ModelChoiceFilter(
        queryset=Region.objects.filter(
            level__in=[RegionLevel.SUBDISTRICT, RegionLevel.AREA, RegionLevel.GRID]
        ),
        method="within_region",
        label=_("region"),
    )
    term = filters.ChoiceFilter(choices=TERM_STATES, method="term_state", label=_("term"))
    flag = filters.ChoiceFilter(choices=FLAGS, method="with_findings", label=_("rule check"))
    active = filters.BooleanFilter(
        field_name="dissolved_on", lookup_expr="isnull", label=_("not dissolved")
    )

    class Meta:
        model = Organisation
        fields = ["q", "level", "category", "region", "term", "flag", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["region"].queryset = Region.objects.restrict(user).filter(
                level__in=[RegionLevel.SUBDISTRICT, RegionLevel.AREA, RegionLevel.GRID]
            )

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(service_position__icontains=value)
            | Q(parent__name__icontains=value)
        )

    def within_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path)

    def term_state(self, queryset, name, value):
        if value == "ending":
            return checks.ending_soon(queryset)
        if value == "overdue":
            return checks.overdue(queryset)
        return queryset

    def with_findings(self, queryset, name, value):
        flags = checks.flags(queryset)
        if value == "none":
            wanted = {""}
        elif value == "any":
            wanted = {checks.ERROR, checks.WARNING}
        else:
            wanted = {value}
        return queryset.filter(pk__in=[pk for pk, flag in flags.items() if flag in wanted])


class CadreFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    department_kind = filters.ChoiceFilter(choices=DepartmentKind.choices, label=_("department"))

    class Meta:
        model = Cadre
        fields = ["q", "department_kind"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(department__icontains=value) | Q(post__icontains=value)
        )
