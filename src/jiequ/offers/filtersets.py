"""Filters of the service matrix's lists; every choice offered is itself scoped."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from jiequ.areas.models import Region, RegionLevel, Road
from jiequ.core.scoping import restrict

from .models import (
    Audience,
    CampaignState,
    Coupon,
    CouponCampaign,
    CouponChannel,
    MatrixShop,
    Offer,
    OfferKind,
    OfferState,
    Redemption,
)


def _user(filterset: filters.FilterSet) -> Any:
    return getattr(filterset.request, "user", None)


class RoadAreaMixin:
    """A road and an area (片区) filter whose choices are the user's own."""

    entity_prefix = ""

    def scope_choices(self) -> None:
        user = _user(self)
        if user is None:
            return
        self.filters["road"].queryset = restrict(Road.objects.all(), user).order_by("name")
        self.filters["area"].queryset = restrict(
            Region.objects.filter(level=RegionLevel.AREA), user
        ).order_by("path")

    def on_road(self, queryset: QuerySet, name: str, value: Road) -> QuerySet:
        return queryset.filter(**{f"{self.entity_prefix}entity__road": value})

    def in_area(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return queryset.filter(
            **{f"{self.entity_prefix}entity__region__path__startswith": value.path}
        )


class MatrixShopFilterSet(RoadAreaMixin, filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    road = filters.ModelChoiceFilter(
        queryset=Road.objects.none(), method="on_road", label=_("road")
    )
    area = filters.ModelChoiceFilter(
        queryset=Region.objects.none(), method="in_area", label=_("area")
    )
    active = filters.BooleanFilter(label=_("active"))
    with_offers = filters.BooleanFilter(method="offering", label=_("with offers in force"))

    class Meta:
        model = MatrixShop
        fields = ["q", "road", "area", "active", "with_offers"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_choices()

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(entity__name__icontains=value)
            | Q(entity__sign_name__icontains=value)
            | Q(entity__address__icontains=value)
            | Q(contact_name__icontains=value)
        )

    def offering(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        current = Exists(Offer.objects.current().filter(shop=OuterRef("pk")))
        return queryset.filter(current if value else ~current)


class OfferFilterSet(RoadAreaMixin, filters.FilterSet):
    entity_prefix = "shop__"
    q = filters.CharFilter(method="search", label=_("Search"))
    road = filters.ModelChoiceFilter(
        queryset=Road.objects.none(), method="on_road", label=_("road")
    )
    area = filters.ModelChoiceFilter(
        queryset=Region.objects.none(), method="in_area", label=_("area")
    )
    kind = filters.ChoiceFilter(choices=OfferKind.choices, label=_("kind"))
    audience = filters.ChoiceFilter(choices=Audience.choices, label=_("who may use it"))
    state = filters.ChoiceFilter(choices=OfferState.choices, label=_("state"))
    current = filters.BooleanFilter(method="in_force", label=pgettext_lazy("offer", "in force"))
    shop = filters.NumberFilter(field_name="shop", widget=forms.HiddenInput)

    class Meta:
        model = Offer
        fields = ["q", "road", "area", "kind", "audience", "state", "current", "shop"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_choices()

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(title__icontains=value)
            | Q(terms__icontains=value)
            | Q(host__icontains=value)
            | Q(shop__entity__name__icontains=value)
            | Q(shop__entity__sign_name__icontains=value)
        )

    def in_force(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        current = queryset.current()
        return current if value else queryset.exclude(pk__in=current.values("pk"))


class CampaignFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))
    state = filters.ChoiceFilter(choices=CampaignState.choices, label=_("state"))

    class Meta:
        model = CouponCampaign
        fields = ["q", "state"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(title__icontains=value) | Q(benefit__icontains=value) | Q(terms__icontains=value)
        )


class CouponState:
    CHOICES = [
        ("not_handed_out", _("Not handed out")),
        ("claimed", _("Claimed on the claim page")),
        ("printed", _("Printed")),
        ("handed_out", _("Handed out")),
        ("redeemed", _("Redeemed")),
        ("not_redeemed", _("Handed out, not redeemed")),
    ]


class CampaignChoiceMixin:
    def scope_campaigns(self) -> None:
        user = _user(self)
        if user is not None:
            self.filters["campaign"].queryset = restrict(CouponCampaign.objects.all(), user)


class CouponFilterSet(CampaignChoiceMixin, filters.FilterSet):
    campaign = filters.ModelChoiceFilter(
        queryset=CouponCampaign.objects.none(), label=_("campaign")
    )
    state = filters.ChoiceFilter(choices=CouponState.CHOICES, method="in_state", label=_("state"))
    batch = filters.NumberFilter(label=_("print batch"), min_value=1)

    class Meta:
        model = Coupon
        fields = ["campaign", "state", "batch"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_campaigns()

    def in_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        redeemed = Exists(Redemption.objects.filter(coupon=OuterRef("pk")))
        return {
            "not_handed_out": lambda: queryset.filter(channel=""),
            "claimed": lambda: queryset.filter(channel=CouponChannel.CLAIMED),
            "printed": lambda: queryset.filter(channel=CouponChannel.PRINTED),
            "handed_out": lambda: queryset.exclude(channel=""),
            "redeemed": lambda: queryset.filter(redeemed),
            "not_redeemed": lambda: queryset.exclude(channel="").filter(~redeemed),
        }[value]()


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if value and _month(value) is None:
            raise forms.ValidationError(_("Give the month as year-month, e.g. 2026-03."))
        return value


def _month(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return None


class MonthFilter(filters.CharFilter):
    field_class = MonthField


class RedemptionFilterSet(CampaignChoiceMixin, filters.FilterSet):
    campaign = filters.ModelChoiceFilter(
        queryset=CouponCampaign.objects.none(), label=_("campaign")
    )
    shop = filters.ModelChoiceFilter(queryset=MatrixShop.objects.none(), label=_("shop"))
    day = filters.DateFilter(
        method="on_day",
        label=pgettext_lazy("date", "day"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    month = MonthFilter(method="in_month", label=_("month"))

    class Meta:
        model = Redemption
        fields = ["campaign", "shop", "day", "month"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_campaigns()
        user = _user(self)
        if user is not None:
            shops = restrict(MatrixShop.objects.all(), user).annotate(n=Count("redemptions"))
            self.filters["shop"].queryset = shops.filter(n__gt=0).select_related("entity")

    def _between(self, queryset: QuerySet, start: dt.date, end: dt.date) -> QuerySet:
        def aware(day: dt.date) -> dt.datetime:
            return timezone.make_aware(dt.datetime.combine(day, dt.time()))

        return queryset.filter(redeemed_at__gte=aware(start), redeemed_at__lt=aware(end))

    def on_day(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return self._between(queryset, value, value + dt.timedelta(days=1))

    def in_month(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        start = _month(value)
        if start is None:
            return queryset
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return self._between(queryset, start, end)
