from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from .models import Channel, MessageState, OutboxMessage


class MessageFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    state = filters.ChoiceFilter(choices=MessageState.choices, label=_("state"))
    channel = filters.ChoiceFilter(choices=Channel.choices, label=_("channel"))

    class Meta:
        model = OutboxMessage
        fields = ["q", "state", "channel"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(recipient__icontains=value)
            | Q(idempotency_key__icontains=value)
            | Q(case__number__icontains=value)
        )
