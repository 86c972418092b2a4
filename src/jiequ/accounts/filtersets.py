from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from .models import User
from .roles import Role


class UserFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    role = filters.ChoiceFilter(choices=Role.choices, label=_("role"))
    is_active = filters.BooleanFilter(label=_("active"))

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value))
