"""Issuing coupons: making a campaign's codes, handing one out on the claim page (with the
per-person limit), and setting aside batches to print."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jiequ.core import crypto

from . import codes
from .models import CampaignState, Coupon, CouponCampaign, CouponChannel

CHUNK = 2000  # codes made per query


@dataclass
class IssueRefused(Exception):
    message: str

    def __str__(self) -> str:
        return self.message


def _locked(campaign: CouponCampaign) -> CouponCampaign:
    """The campaign row, locked: issuing, claiming and printing of one campaign take turns."""
    return CouponCampaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)


def issue_codes(campaign: CouponCampaign) -> int:
    """Make the codes the campaign still lacks (up to its number of coupons). Returns how many.

    Safe to run twice: the second run finds nothing lacking.
    """
    with transaction.atomic():
        campaign = _locked(campaign)
        missing = campaign.total - campaign.coupons.count()
        made = 0
        while made < missing:
            wanted = min(CHUNK, missing - made)
            batch = {codes.new_code() for _ in range(wanted)}
            # 40 random bits: a clash with an earlier code is rare, but skip it if it happens.
            batch -= set(Coupon.objects.filter(code__in=batch).values_list("code", flat=True))
            now = timezone.now()
            Coupon.objects.bulk_create(
                [Coupon(campaign=campaign, code=code, issued_at=now) for code in batch]
            )
            made += len(batch)
        return made


def claimable(campaign: CouponCampaign) -> str | None:
    """Why the claim page cannot hand out coupons now, or None if it can."""
    today = timezone.localdate()
    if campaign.state != CampaignState.OPEN:
        return _("This campaign is not open for claiming.")
    if today > campaign.ends_on:
        return _("This campaign ended on %(day)s.") % {"day": campaign.ends_on.isoformat()}
    return None


def claim(campaign: CouponCampaign, phone: str, consent_text: str) -> list[Coupon]:
    """Hand out the coupons this phone (E.164, validated) may still have, up to the limit.

    Returns the coupons handed out now; refuses with a clear message when the phone has had its
    share or none are left. Claims of one campaign take turns (the campaign row is locked), so
    two quick submissions never pass the limit together.
    """
    phone_hash = crypto.lookup_hash(phone)
    with transaction.atomic():
        campaign = _locked(campaign)
        reason = claimable(campaign)
        if reason:
            raise IssueRefused(reason)
        had = campaign.coupons.filter(claimant_hash=phone_hash).count()
        wanted = campaign.per_person - had
        if wanted <= 0:
            raise IssueRefused(
                ngettext(
                    "This phone number has already claimed its %(n)d coupon of this campaign.",
                    "This phone number has already claimed its %(n)d coupons of this campaign.",
                    campaign.per_person,
                )
                % {"n": campaign.per_person}
            )
        free = list(
            campaign.coupons.filter(channel="").order_by("pk").values_list("pk", flat=True)[:wanted]
        )
        if not free:
            raise IssueRefused(_("All coupons of this campaign have been handed out."))
        now = timezone.now()
        Coupon.objects.filter(pk__in=free).update(
            channel=CouponChannel.CLAIMED,
            handed_out_at=now,
            claimant_hash=phone_hash,
            consent_text=consent_text,
        )
        return list(Coupon.objects.filter(pk__in=free).order_by("pk"))


def print_batch(campaign: CouponCampaign, count: int) -> int:
    """Set aside `count` coupons not yet handed out as the next print batch; its number."""
    if count < 1:
        raise IssueRefused(_("Print at least one coupon."))
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.state == CampaignState.CLOSED:
            raise IssueRefused(_("This campaign was closed; no more coupons are printed."))
        free = list(
            campaign.coupons.filter(channel="").order_by("pk").values_list("pk", flat=True)[:count]
        )
        if len(free) < count:
            raise IssueRefused(
                ngettext(
                    "Only %(n)d coupon is left to hand out; print fewer or issue more codes.",
                    "Only %(n)d coupons are left to hand out; print fewer or issue more codes.",
                    len(free),
                )
                % {"n": len(free)}
            )
        number = (campaign.coupons.aggregate(n=Max("batch"))["n"] or 0) + 1
        Coupon.objects.filter(pk__in=free).update(
            channel=CouponChannel.PRINTED, handed_out_at=timezone.now(), batch=number
        )
        return number
