"""Party members, where their membership record is, mobile-member liaison, transfers and dues.

Members are here by their own act (a confirmed sign-up registration) or entered by staff with
their consent recorded. Phones are stored encrypted with a keyed-hash look-up column and shown
masked; no ID-card numbers are kept.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jiequ.core.models import EncryptedPhoneMixin, TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet
from jiequ.ledger.models import Membership


class RecordLocation(models.TextChoices):
    HERE = "here", _("An organisation of this subdistrict")
    ELSEWHERE = "elsewhere", _("An organisation elsewhere")


class ConsentSource(models.TextChoices):
    REGISTRATION = "registration", _("Own sign-up registration")
    STAFF = "staff", _("Entered by staff with consent")
    TRANSFER = "transfer", _("Transferred in")
    APPLICATION = "application", _("Admitted through an application")


class DuesCategory(models.TextChoices):
    EMPLOYED = "employed", _("In work")
    RETIRED = "retired", _("Retired")
    FLAT = "flat", _("Student, without work or on low income")


class Member(EncryptedPhoneMixin, TimeStampedModel):
    name = models.CharField(_("name"), max_length=50)
    phone_encrypted = models.TextField(editable=False)
    phone_hash = models.CharField(max_length=64, unique=True, editable=False)
    membership = models.CharField(_("membership"), max_length=20, choices=Membership.choices)
    joined_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    full_on = models.DateField(_("full member since"), null=True, blank=True)
    # Where they take part in organisational life (one main organisation; others as guests).
    organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    other_organisations = models.ManyToManyField(
        "party.Organisation",
        verbose_name=_("also takes part in"),
        related_name="guest_members",
        blank=True,
    )
    record_location = models.CharField(
        _("membership record held by"), max_length=20, choices=RecordLocation.choices
    )
    record_organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("record organisation here"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="record_members",
    )
    record_elsewhere_name = models.CharField(
        _("record organisation elsewhere"), max_length=100, blank=True
    )
    record_province = models.CharField(_("province"), max_length=20, blank=True)
    record_city = models.CharField(_("city"), max_length=20, blank=True)
    checked_in_area = models.ForeignKey(
        "areas.Region",
        verbose_name=_("checked in at the service centre of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_in_on = models.DateField(_("checked in on"), null=True, blank=True)
    workplace = models.ForeignKey(
        "ledger.Entity",
        verbose_name=_("workplace"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_members",
    )
    consent_source = models.CharField(
        _("in the system by"), max_length=20, choices=ConsentSource.choices
    )
    consent_at = models.DateTimeField(_("consent given at"))
    consent_text = models.TextField(_("consent wording"), blank=True)
    registration = models.OneToOneField(
        "ledger.MemberRegistration",
        verbose_name=_("sign-up registration"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    mobile_certificate_number = models.CharField(
        _("mobile-member certificate"), max_length=30, blank=True
    )
    mobile_certificate_valid_until = models.DateField(
        _("certificate valid until"), null=True, blank=True
    )
    dues_category = models.CharField(
        _("dues category"),
        max_length=20,
        choices=DuesCategory.choices,
        default=DuesCategory.EMPLOYED,
    )
    dues_base = models.DecimalField(
        _("monthly after-tax pay or pension"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=100, blank=True)

    history = HistoricalRecords(excluded_fields=["phone_encrypted", "phone_hash"])
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "organisation__region__path"
    scope_organisation_lookup = "organisation"
    # Properties shown as columns in lists and exports (never the full phone).
    column_labels = {
        "phone_masked": _("mobile phone"),
        "record_held_by": _("membership record held by"),
    }

    class Meta:
        verbose_name = _("Party member")
        verbose_name_plural = pgettext_lazy("people", "Party members")
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:member_detail", args=[self.pk])

    @property
    def record_held_by(self) -> str:
        """Where the membership record is, as one line: an organisation here, or elsewhere."""
        if self.record_location == RecordLocation.HERE:
            return str(self.record_organisation or "")
        place = f"{self.record_province}{self.record_city}"
        return f"{self.record_elsewhere_name}（{place}）" if place else self.record_elsewhere_name

    @property
    def is_mobile(self) -> bool:
        """A mobile member: the membership record stays with an organisation elsewhere."""
        return self.record_location == RecordLocation.ELSEWHERE

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class LiaisonChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    ONLINE = "online", _("Online platform / WeChat")
    VISIT = "visit", _("Visit")


class LiaisonReport(TimeStampedModel):
    """What this subdistrict's organisation told a mobile member's home organisation."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="liaison_reports"
    )
    reported_on = models.DateField(_("reported on"))
    channel = models.CharField(_("channel"), max_length=20, choices=LiaisonChannel.choices)
    summary = models.TextField(_("what was reported"))
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "member__organisation__region__path"
    scope_organisation_lookup = "member__organisation"

    class Meta:
        verbose_name = _("liaison report")
        verbose_name_plural = _("liaison reports")
        ordering = ["-reported_on"]

    def __str__(self) -> str:
        return f"{self.member} {self.reported_on}"


class TransferDirection(models.TextChoices):
    IN = "in", _("Transfer in")
    OUT = "out", _("Transfer out")


class TransferState(models.TextChoices):
    ISSUED = "issued", _("Letter issued")
    COMPLETED = "completed", _("Completed")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class Transfer(TimeStampedModel):
    """A membership record moving in or out with an introduction letter."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="transfers"
    )
    direction = models.CharField(_("direction"), max_length=10, choices=TransferDirection.choices)
    organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("our organisation"),
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    counterpart = models.CharField(_("other organisation"), max_length=100)
    counterpart_province = models.CharField(_("province"), max_length=20, blank=True)
    counterpart_city = models.CharField(_("city"), max_length=20, blank=True)
    letter_number = models.CharField(_("introduction letter number"), max_length=50)
    issued_on = models.DateField(_("issued on"))
    valid_days = models.PositiveSmallIntegerField(_("valid for (days)"))
    dues_paid_to = models.DateField(
        _("dues paid up to"), help_text=_("The month up to which dues are paid.")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=TransferState.choices, default=TransferState.ISSUED
    )
    returned_on = models.DateField(_("return slip received on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_reason = models.CharField(_("reason"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "organisation__region__path"
    scope_organisation_lookup = "organisation"
    column_labels = {"valid_until": _("valid until")}

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "letter_number"], name="transfer_letter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.letter_number}"

    def get_absolute_url(self) -> str:
        return reverse("members:transfer_detail", args=[self.pk])

    @property
    def valid_until(self):
        """The last day the introduction letter is valid."""
        from datetime import timedelta

        return self.issued_on + timedelta(days=self.valid_days)


class DuesPayment(TimeStampedModel):
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="dues_payments"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month paid for."))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=9, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "member__organisation__region__path"
    scope_organisation_lookup = "member__organisation"

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["member", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%Y-%m}"
