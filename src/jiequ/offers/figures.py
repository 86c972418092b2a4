"""Figures of the service matrix and of a coupon campaign; each links to the list it counts.

Definitions (docs/offers.md):
- issued: codes made for the campaign;
- claimed: handed out on the claim page; printed: handed out in print batches;
- handed out: claimed + printed;
- redeemed: used at a counter (one redemption per coupon);
- redemption rate: redeemed ÷ handed out;
- face value redeemed: the sum of the face values of the redeemed coupons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core.scoping import restrict

from .models import (
    Coupon,
    CouponCampaign,
    CouponChannel,
    MatrixShop,
    Offer,
    Redemption,
)


def _url(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


@dataclass
class Row:
    label: str
    redeemed: int
    face_value: Decimal
    url: str


@dataclass
class CampaignFigures:
    issued: int = 0
    claimed: int = 0
    printed: int = 0
    redeemed: int = 0
    face_value_redeemed: Decimal = Decimal("0")
    urls: dict[str, str] = field(default_factory=dict)
    per_shop: list[Row] = field(default_factory=list)
    per_day: list[Row] = field(default_factory=list)

    @property
    def handed_out(self) -> int:
        return self.claimed + self.printed

    @property
    def rate(self) -> float | None:
        """Redeemed as a percentage of those handed out (None before any is handed out)."""
        if not self.handed_out:
            return None
        return round(100 * self.redeemed / self.handed_out, 1)


def campaign_figures(campaign: CouponCampaign) -> CampaignFigures:
    coupons = Coupon.objects.filter(campaign=campaign)
    by_channel = dict(coupons.values_list("channel").annotate(n=Count("pk")).order_by())
    redemptions = Redemption.objects.filter(campaign=campaign)
    totals = redemptions.aggregate(n=Count("pk"), value=Sum("face_value"))
    figures = CampaignFigures(
        issued=sum(by_channel.values()),
        claimed=by_channel.get(CouponChannel.CLAIMED, 0),
        printed=by_channel.get(CouponChannel.PRINTED, 0),
        redeemed=totals["n"],
        face_value_redeemed=totals["value"] or Decimal("0"),
    )
    pk = campaign.pk
    figures.urls = {
        "issued": _url("offers:coupon_list", campaign=pk),
        "claimed": _url("offers:coupon_list", campaign=pk, state="claimed"),
        "printed": _url("offers:coupon_list", campaign=pk, state="printed"),
        "handed_out": _url("offers:coupon_list", campaign=pk, state="handed_out"),
        "redeemed": _url("offers:redemption_list", campaign=pk),
    }
    per_shop = {
        row["shop"]: row
        for row in redemptions.values("shop").annotate(n=Count("pk"), value=Sum("face_value"))
    }
    shops = MatrixShop.objects.filter(
        pk__in={*campaign.shops.values_list("pk", flat=True), *per_shop}
    ).select_related("entity")
    rows = [
        Row(
            str(shop),
            per_shop.get(shop.pk, {}).get("n", 0),
            per_shop.get(shop.pk, {}).get("value") or Decimal("0"),
            _url("offers:redemption_list", campaign=pk, shop=shop.pk),
        )
        for shop in shops
    ]
    figures.per_shop = sorted(rows, key=lambda r: (-r.redeemed, r.label))
    tz = timezone.get_current_timezone()
    by_day = {
        row["day"]: row
        for row in redemptions.annotate(day=TruncDate("redeemed_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("pk"), value=Sum("face_value"))
        .order_by()
    }
    last = min(campaign.ends_on, max(timezone.localdate(), campaign.starts_on))
    day = campaign.starts_on
    while day <= last:
        row = by_day.get(day, {})
        figures.per_day.append(
            Row(
                day.isoformat(),
                row.get("n", 0),
                row.get("value") or Decimal("0"),
                _url("offers:redemption_list", campaign=pk, day=day.isoformat()),
            )
        )
        day += dt.timedelta(days=1)
    return figures


def home_figures(user: Any) -> list[tuple[str, int, str]]:
    figures: list[tuple[str, int, str]] = []
    if user.has_perm("offers.view_matrixshop"):
        shops = restrict(MatrixShop.objects.all(), user).filter(active=True)
        figures.append(
            (
                _("shops in the service matrix"),
                shops.count(),
                _url("offers:shop_list", active="true"),
            )
        )
    if user.has_perm("offers.view_offer"):
        offers = restrict(Offer.objects.all(), user).current()
        figures.append(
            (
                _("benefit offers in force"),
                offers.count(),
                _url("offers:offer_list", current="true"),
            )
        )
    if user.has_perm("offers.view_redemption"):
        month = timezone.localdate().replace(day=1)
        redeemed = restrict(Redemption.objects.all(), user).filter(
            redeemed_at__gte=timezone.make_aware(dt.datetime.combine(month, dt.time()))
        )
        figures.append(
            (
                _("coupons redeemed this month"),
                redeemed.count(),
                _url("offers:redemption_list", month=f"{month:%Y-%m}"),
            )
        )
    return figures
