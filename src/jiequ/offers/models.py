"""The service matrix (服务矩阵): shops with benefit offers (惠民举措), and coupon campaigns
(优享券) whose coupons are claimed on a public page or printed, and redeemed once at a shop's
own counter."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jiequ.core.models import TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet


def new_token() -> str:
    """An unguessable token for a private link (a shop's counter, a campaign's claim page)."""
    return secrets.token_urlsafe(18)


def _covered_entities(prefix: str):
    """Shops whose entity one of these organisations covers: a secretary reads those too."""

    def condition(organisation_ids: list[int]) -> Q:
        from jiequ.party.models import CoverageLink

        covered = CoverageLink.objects.filter(
            entity=OuterRef(f"{prefix}entity"), organisation_id__in=organisation_ids
        )
        return Q(Exists(covered))

    return staticmethod(condition)


class MatrixShop(TimeStampedModel):
    """A ledger entity that joined the service matrix and offers benefits to residents."""

    entity = models.OneToOneField(
        "ledger.Entity",
        verbose_name=_("shop"),
        on_delete=models.PROTECT,
        related_name="matrix_shop",
    )
    joined_on = models.DateField(_("joined on"))
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_role = models.CharField(
        _("contact's role"), max_length=50, blank=True, help_text=_("e.g. owner, shop manager")
    )
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)
    # The secret link of the shop's counter page: whoever holds it redeems for this shop.
    counter_token = models.CharField(
        _("counter link token"), max_length=40, unique=True, default=new_token, editable=False
    )

    # The counter token is a secret: it stays out of the change log.
    history = HistoricalRecords(excluded_fields=["counter_token"])
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "entity__region__path"
    scope_via_organisations = _covered_entities("")
    column_labels = {
        "road": _("road"),
        "address": _("address"),
        "current_offers": _("current offers"),
    }

    class Meta:
        verbose_name = _("matrix shop")
        verbose_name_plural = _("service matrix shops")
        ordering = ["entity__road__name", "entity__sign_name", "entity__name"]

    def __str__(self) -> str:
        return str(self.entity)

    def get_absolute_url(self) -> str:
        return reverse("offers:shop_detail", args=[self.pk])

    @property
    def road(self) -> str:
        return self.entity.road.name if self.entity.road_id else ""

    @property
    def address(self) -> str:
        entity = self.entity
        if entity.address:
            return entity.address
        return f"{self.road}{entity.number}" if entity.road_id else ""

    @property
    def current_offers(self) -> int:
        """How many offers are in force today (a list annotates `current_offer_count`)."""
        count = getattr(self, "current_offer_count", None)
        if count is None:
            count = Offer.objects.filter(shop=self).current().count()
        return count

    def new_counter_link(self) -> None:
        """Replace the counter link (e.g. a phone was lost): the old link stops working."""
        self.counter_token = new_token()
        self.save(update_fields=["counter_token", "updated_at"])


class OfferKind(models.TextChoices):
    DISCOUNT = "discount", _("Discount")
    FREE_SERVICE = "free_service", _("Free service")
    PRIORITY = "priority", _("Priority or convenience service")
    SHOP_VISIT = "shop_visit", _("Livestreamers' shop visit")
    OTHER = "other", _("Other benefit")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    RESIDENTS = "residents", _("Residents")
    MEMBERS = "members", pgettext_lazy("audience", "Party members")
    NEW_EMPLOYMENT = "new_employment", _("New-employment workers")


class OfferState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("offer state", "Withdrawn")


class OfferQuerySet(ScopedQuerySet):
    def current(self, day: dt.date | None = None) -> OfferQuerySet:
        """Published offers in force on `day` (today), of active shops."""
        day = day or timezone.localdate()
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
            state=OfferState.PUBLISHED,
            starts_on__lte=day,
            shop__active=True,
        )


class Offer(TimeStampedModel):
    """A benefit offer (惠民举措) of a matrix shop: what, for whom, when."""

    shop = models.ForeignKey(
        MatrixShop, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="offers"
    )
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OfferKind.choices, default=OfferKind.DISCOUNT
    )
    terms = models.TextField(_("terms"), help_text=_("What the customer gets and how."))
    audience = models.CharField(
        _("who may use it"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=OfferState.choices, default=OfferState.PUBLISHED
    )
    host = models.CharField(
        _("livestreamer"),
        max_length=50,
        blank=True,
        help_text=_("For a shop visit: the livestreamer or account that visits."),
    )
    visit_on = models.DateField(_("visit on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = OfferQuerySet.as_manager()
    scope_lookup = "shop__entity__region__path"
    scope_via_organisations = _covered_entities("shop__")
    column_labels = {
        "road": _("road"),
        "period": pgettext_lazy("valid", "period"),
        "in_force_label": pgettext_lazy("offer", "in force"),
    }

    class Meta:
        verbose_name = _("benefit offer")
        verbose_name_plural = _("benefit offers")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="offer_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.shop} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("offers:offer_detail", args=[self.pk])

    @property
    def road(self) -> str:
        return self.shop.road

    @property
    def period(self) -> str:
        end = self.ends_on.isoformat() if self.ends_on else str(_("open-ended"))
        return f"{self.starts_on.isoformat()} – {end}"

    @property
    def in_force_label(self) -> str:
        return str(_("yes") if self.in_force else _("no"))

    @property
    def in_force(self) -> bool:
        today = timezone.localdate()
        return (
            self.state == OfferState.PUBLISHED
            and self.shop.active
            and self.starts_on <= today
            and (self.ends_on is None or self.ends_on >= today)
        )


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("campaign state", "Open")
    CLOSED = "closed", _("Closed early")


_CAMPAIGN_HISTORY = HistoricalRecords(m2m_fields=["shops"], excluded_fields=["claim_token"])


class CouponCampaign(TimeStampedModel):
    """A coupon campaign (优享券): coupons with unique codes, redeemable at the listed shops."""

    region = models.ForeignKey(
        "areas.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The subdistrict (or area) running the campaign."),
    )
    title = models.CharField(_("title"), max_length=100)
    benefit = models.CharField(
        _("benefit"), max_length=100, help_text=_("As printed on the coupon, e.g. 满100减20.")
    )
    face_value = models.DecimalField(_("face value (yuan)"), max_digits=8, decimal_places=2)
    terms = models.TextField(_("terms"), blank=True)
    starts_on = models.DateField(_("valid from"))
    ends_on = models.DateField(_("valid until"))
    total = models.PositiveIntegerField(_("number of coupons"))
    per_person = models.PositiveSmallIntegerField(_("coupons per person"), default=1)
    shops = models.ManyToManyField(
        MatrixShop, verbose_name=_("participating shops"), related_name="campaigns", blank=True
    )
    state = models.CharField(
        _("state"), max_length=20, choices=CampaignState.choices, default=CampaignState.DRAFT
    )
    claim_token = models.CharField(
        _("claim link token"), max_length=40, unique=True, default=new_token, editable=False
    )

    history = _CAMPAIGN_HISTORY
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"
    column_labels = {"period": pgettext_lazy("valid", "period"), "shop_count": _("shops")}

    class Meta:
        verbose_name = _("coupon campaign")
        verbose_name_plural = _("coupon campaigns")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_period_in_order"
            ),
            models.CheckConstraint(condition=Q(face_value__gte=0), name="campaign_face_value"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("offers:campaign_detail", args=[self.pk])

    @property
    def period(self) -> str:
        return f"{self.starts_on.isoformat()} – {self.ends_on.isoformat()}"

    @property
    def shop_count(self) -> int:
        count = getattr(self, "shop_total", None)
        return self.shops.count() if count is None else count

    def save_with_shops(self, shops, reason: str = "") -> None:
        """Save and set the participating shops as one entry in the change log."""
        created = self.pk is None
        self.skip_history_when_saving = True
        try:
            self.save()
            self.shops.set(shops)
        finally:
            del self.skip_history_when_saving
        if reason:
            self._change_reason = reason
        _CAMPAIGN_HISTORY.create_historical_record(self, "+" if created else "~")


class CouponChannel(models.TextChoices):
    CLAIMED = "claimed", _("Claimed on the claim page")
    PRINTED = "printed", _("Printed")


class Coupon(models.Model):
    """One coupon: a random signed code (see offers.codes), handed out once, redeemed once.

    Coupons are made in thousands at a time, so they carry no change log of their own: their
    only changes (handed out, redeemed) are recorded with their times on the row and in the
    Redemption, which is never changed after it is made.
    """

    campaign = models.ForeignKey(
        CouponCampaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="coupons"
    )
    code = models.CharField(_("code"), max_length=24, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    channel = models.CharField(
        _("handed out"), max_length=20, choices=CouponChannel.choices, blank=True
    )
    handed_out_at = models.DateTimeField(_("handed out at"), null=True, blank=True)
    # Claims keep only the keyed hash of the phone: enough for the per-person limit.
    claimant_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    consent_text = models.TextField(_("consent"), blank=True)
    batch = models.PositiveIntegerField(_("print batch"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookup = "campaign__region__path"
    column_labels = {"code_masked": _("code"), "state": _("state")}

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ["campaign", "pk"]
        indexes = [models.Index(fields=["campaign", "channel"])]

    def __str__(self) -> str:
        return self.code_masked

    def get_absolute_url(self) -> str:
        return reverse("offers:campaign_detail", args=[self.campaign_id])

    @property
    def code_masked(self) -> str:
        """ "K7QM-****-****-3TXA": codes are bearer tokens, so lists never show them whole."""
        from .codes import display

        shown = display(self.code)
        return f"{shown[:4]}-****-****-{shown[-4:]}" if len(self.code) >= 12 else "****"

    @property
    def state(self) -> str:
        redeemed = getattr(self, "is_redeemed", None)
        if redeemed is None:
            redeemed = Redemption.objects.filter(coupon=self).exists()
        if redeemed:
            return str(_("Redeemed"))
        if self.channel:
            return str(self.get_channel_display())
        return str(_("Not handed out"))


class Redemption(models.Model):
    """A coupon used at a shop's counter. One per coupon, enforced by the database."""

    # One-to-one: the database's unique index on the coupon makes a second redemption of the
    # same coupon impossible, whatever the application does (see offers.redemption).
    coupon = models.OneToOneField(
        Coupon, verbose_name=_("coupon"), on_delete=models.PROTECT, related_name="redemption"
    )
    campaign = models.ForeignKey(
        CouponCampaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="redemptions",
    )
    shop = models.ForeignKey(
        MatrixShop, verbose_name=_("shop"), on_delete=models.PROTECT, related_name="redemptions"
    )
    redeemed_at = models.DateTimeField(_("redeemed at"), default=timezone.now)
    face_value = models.DecimalField(_("face value (yuan)"), max_digits=8, decimal_places=2)

    objects = ScopedQuerySet.as_manager()
    scope_lookup = "campaign__region__path"
    column_labels = {"coupon_code": _("code"), "day": pgettext_lazy("date", "day")}

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-redeemed_at", "-pk"]
        indexes = [models.Index(fields=["campaign", "redeemed_at"])]

    def __str__(self) -> str:
        return f"{self.coupon.code_masked} @ {self.shop}"

    def get_absolute_url(self) -> str:
        return reverse("offers:campaign_detail", args=[self.campaign_id])

    @property
    def coupon_code(self) -> str:
        return self.coupon.code_masked

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.redeemed_at).date()
