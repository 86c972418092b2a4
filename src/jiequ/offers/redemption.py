"""Redeeming a coupon at a shop's counter: exactly once, or refused with the reason.

The order of the checks is the order a person at the counter needs them in: a forged code is
refused before the database is asked; a code that was used says when and where; then the
campaign's dates, the shop and whether the coupon was ever handed out.

Exactly once, even when two counters press at the same moment: the coupon row is locked
(`SELECT … FOR UPDATE`) inside one transaction, so the second waits for the first and then sees
its redemption; and the database's unique index on Redemption.coupon refuses a second row
should anything get past the lock (SQLite, which has no row locks, serialises writers instead).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import codes
from .models import CampaignState, Coupon, MatrixShop, Redemption


class Reason:
    EMPTY = "empty"
    FORGED = "forged"
    UNKNOWN = "unknown"
    ALREADY = "already"
    NOT_STARTED = "not_started"
    EXPIRED = "expired"
    CLOSED = "closed"
    NOT_HERE = "not_here"
    NOT_HANDED_OUT = "not_handed_out"
    SHOP_INACTIVE = "shop_inactive"


@dataclass
class Refused(Exception):
    """A redemption refused; `message` is for the person at the counter (translated)."""

    reason: str
    message: str

    def __str__(self) -> str:
        return self.message


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def check_code(text: str) -> str:
    """The normalised code, or Refused if it is empty or its signature is wrong (no query)."""
    code = codes.normalise(text)
    if not code:
        raise Refused(Reason.EMPTY, _("Type or scan a coupon code."))
    if not codes.signature_valid(code):
        raise Refused(
            Reason.FORGED,
            _(
                "This is not a valid coupon code: it was not issued by us (forged or mistyped). "
                "Check the code, or do not accept the coupon."
            ),
        )
    return code


def redeem(shop: MatrixShop, text: str, now: dt.datetime | None = None) -> Redemption:
    """Redeem the coupon whose code is `text` at `shop`, or raise Refused."""
    code = check_code(text)
    now = now or timezone.now()
    if not shop.active:
        raise Refused(
            Reason.SHOP_INACTIVE,
            _("This shop is no longer in the service matrix; it cannot redeem coupons."),
        )
    try:
        with transaction.atomic():
            coupon = (
                Coupon.objects.select_for_update(of=("self",))
                .select_related("campaign")
                .filter(code=code)
                .first()
            )
            if coupon is None:
                raise Refused(
                    Reason.UNKNOWN,
                    _("No coupon has this code. Check the code, or do not accept the coupon."),
                )
            _check_usable(coupon, shop, now)
            return Redemption.objects.create(
                coupon=coupon,
                campaign=coupon.campaign,
                shop=shop,
                redeemed_at=now,
                face_value=coupon.campaign.face_value,
            )
    except IntegrityError:
        # Another counter got there between our check and our insert (only possible without
        # row locks): the unique index kept it to one, and this one is refused.
        earlier = Redemption.objects.select_related("shop__entity").get(coupon__code=code)
        raise _already(earlier) from None


def _already(redemption: Redemption) -> Refused:
    return Refused(
        Reason.ALREADY,
        _("Already redeemed on %(when)s at %(shop)s. A coupon can be used only once.")
        % {"when": _local(redemption.redeemed_at), "shop": redemption.shop},
    )


def _check_usable(coupon: Coupon, shop: MatrixShop, now: dt.datetime) -> None:
    earlier = Redemption.objects.select_related("shop__entity").filter(coupon=coupon).first()
    if earlier is not None:
        raise _already(earlier)
    campaign = coupon.campaign
    today = timezone.localtime(now).date()
    if campaign.state == CampaignState.CLOSED:
        raise Refused(
            Reason.CLOSED,
            _("The campaign “%(campaign)s” was closed; its coupons can no longer be used.")
            % {"campaign": campaign},
        )
    if campaign.state == CampaignState.DRAFT or today < campaign.starts_on:
        raise Refused(
            Reason.NOT_STARTED,
            _("The campaign “%(campaign)s” has not started: coupons can be used from %(day)s.")
            % {"campaign": campaign, "day": campaign.starts_on.isoformat()},
        )
    if today > campaign.ends_on:
        raise Refused(
            Reason.EXPIRED,
            _("This coupon expired on %(day)s (campaign “%(campaign)s”).")
            % {"campaign": campaign, "day": campaign.ends_on.isoformat()},
        )
    if not campaign.shops.filter(pk=shop.pk).exists():
        raise Refused(
            Reason.NOT_HERE,
            _(
                "Your shop does not take part in “%(campaign)s”: this coupon cannot be "
                "redeemed here."
            )
            % {"campaign": campaign},
        )
    if not coupon.channel:
        raise Refused(
            Reason.NOT_HANDED_OUT,
            _("This coupon was never handed out, so it cannot be redeemed."),
        )
