from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from jiequ.ledger.models import Membership
from jiequ.party.models import Organisation

from . import liaison, services
from .models import RecordLocation, Transfer, TransferDirection, TransferState

MEMBER_STATUS = [("left", _("Left")), ("all", _("All, including those who left"))]


class MemberFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Name or exact phone number"))
    organisation = filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), method="within_organisation", label=_("organisation")
    )
    membership = filters.ChoiceFilter(choices=Membership.choices, label=_("membership"))
    mobile = filters.BooleanFilter(method="mobile_members", label=_("mobile member"))
    checked_in = filters.BooleanFilter(method="has_checked_in", label=_("checked in"))
    liaison_due = filters.BooleanFilter(method="liaison_coming_due", label=_("report due"))
    status = filters.ChoiceFilter(
        choices=MEMBER_STATUS,
        method="by_status",
        label=_("status"),
        empty_label=_("Current members"),
    )

    class Meta:
        model = services.Member
        fields = ["q", "organisation", "membership", "mobile", "checked_in", "liaison_due"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["organisation"].queryset = Organisation.objects.restrict(user)

    def search(self, queryset, name, value):
        return services.search(queryset, value)

    def within_organisation(self, queryset, name, value):
        return queryset.filter(organisation_id__in=value.subtree_ids())

    def mobile_members(self, queryset, name, value):
        if value:
            return queryset.filter(record_location=RecordLocation.ELSEWHERE)
        return queryset.exclude(record_location=RecordLocation.ELSEWHERE)

    def has_checked_in(self, queryset, name, value):
        return queryset.filter(checked_in_on__isnull=not value)

    def liaison_coming_due(self, queryset, name, value):
        due = [d.member.pk for d in liaison.due_list(queryset)]
        return queryset.filter(pk__in=due) if value else queryset.exclude(pk__in=due)

    def by_status(self, queryset, name, value):
        # "Current members" (the empty choice) is applied by the views, see current_only().
        if value == "left":
            return queryset.filter(left_on__isnull=False)
        return queryset


def current_only(queryset, params):
    """Lists show current members unless the status filter asks for those who left, or all."""
    if params.get("status") in ("left", "all"):
        return queryset
    return queryset.filter(left_on__isnull=True)


class TransferFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Letter number or member name"))
    direction = filters.ChoiceFilter(choices=TransferDirection.choices, label=_("direction"))
    state = filters.ChoiceFilter(choices=TransferState.choices, label=_("state"))
    organisation = filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), label=_("our organisation")
    )

    class Meta:
        model = Transfer
        fields = ["q", "direction", "state", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["organisation"].queryset = Organisation.objects.restrict(user)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(letter_number__icontains=value) | Q(member__name__icontains=value))
