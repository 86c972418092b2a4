from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from jiequ.party.models import Organisation

from . import board
from .models import Application, Stage


class ApplicationFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("full name"))
    organisation = filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), method="within_organisation", label=_("organisation")
    )
    stage = filters.ChoiceFilter(choices=Stage.choices, label=_("stage"))
    overdue = filters.BooleanFilter(method="next_step_overdue", label=_("next step overdue"))
    late = filters.BooleanFilter(method="with_late_steps", label=_("a step was late"))

    class Meta:
        model = Application
        fields = ["q", "organisation", "stage", "overdue", "late"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["organisation"].queryset = Organisation.objects.restrict(user)

    def within_organisation(self, queryset, name, value):
        return queryset.filter(organisation_id__in=value.subtree_ids())

    def next_step_overdue(self, queryset, name, value):
        ids = [
            a.pk
            for a in board.with_progress(queryset.filter(stage__in=board.OPEN))
            if a.progress.overdue
        ]
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)

    def with_late_steps(self, queryset, name, value):
        ids = [a.pk for a in board.with_progress(queryset) if a.progress.late]
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)
