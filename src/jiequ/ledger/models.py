"""The ledger (底账): market entities, kept true by survey rounds and department data."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jiequ.areas.models import LATITUDE_VALIDATORS, LONGITUDE_VALIDATORS, Building, Region, Road
from jiequ.core.models import TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet
from jiequ.core.validators import validate_credit_code


class EntityKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INDIVIDUAL = "individual", _("Individual business")
    SOCIAL_ORG = "social_org", _("Social organisation")
    OTHER = "other", _("Other")


class Ownership(models.TextChoices):
    NON_PUBLIC = "non_public", _("Non-public")
    MIXED = "mixed", _("Mixed ownership")
    STATE = "state", _("State-owned")


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections."""

    A = "A", _("A Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("B Mining")
    C = "C", _("C Manufacturing")
    D = "D", _("D Electricity, heat, gas and water")
    E = "E", _("E Construction")
    F = "F", _("F Wholesale and retail")
    G = "G", _("G Transport, storage and post")
    H = "H", _("H Accommodation and catering")
    I = "I", _("I Information, software and IT services")  # noqa: E741
    J = "J", _("J Finance")
    K = "K", _("K Real estate")
    L = "L", _("L Leasing and business services")
    M = "M", _("M Scientific research and technical services")
    N = "N", _("N Water, environment and public facilities")
    O = "O", _("O Resident, repair and other services")  # noqa: E741
    P = "P", _("P Education")
    Q = "Q", _("Q Health and social work")
    R = "R", _("R Culture, sports and entertainment")
    S = "S", _("S Public administration, social security and social organisations")
    T = "T", _("T International organisations")


class EntityState(models.TextChoices):
    OPERATING = "operating", _("Operating")
    CLOSED = "closed", _("Closed")
    MOVED = "moved", _("Moved away")
    NOT_FOUND = "not_found", pgettext_lazy("entity state", "Not found")
    UNVERIFIED = "unverified", _("Unverified")


class Sector(models.TextChoices):
    """两企三新: the "two enterprises, three new" categories an entity may fall in."""

    MIXED_ENTERPRISE = "mixed_enterprise", _("Mixed-ownership enterprise")
    NON_PUBLIC_ENTERPRISE = "non_public_enterprise", _("Non-public enterprise")
    NEW_ECONOMIC = "new_economic", _("New economic organisation")
    NEW_SOCIAL = "new_social", _("New social organisation")


class SmallBusinessCategory(models.TextChoices):
    """小个专: small, individual and specialised-market businesses."""

    SMALL = "small", _("Small or micro enterprise")
    INDIVIDUAL = "individual", _("Individual business")
    MARKET = "market", _("Specialised market")


class Entity(TimeStampedModel):
    """A market entity of the ledger. Workers are counted here, never listed."""

    name = models.CharField(_("registered name"), max_length=200, blank=True)
    sign_name = models.CharField(_("shop-sign name"), max_length=100, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=EntityKind.choices, default=EntityKind.ENTERPRISE
    )
    ownership = models.CharField(
        _("ownership"), max_length=20, choices=Ownership.choices, default=Ownership.NON_PUBLIC
    )
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices, blank=True)
    road = models.ForeignKey(
        Road,
        verbose_name=_("road"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entities",
    )
    number = models.CharField(_("street number"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entities",
    )
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    lat = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=LATITUDE_VALIDATORS,
    )
    lon = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=LONGITUDE_VALIDATORS,
    )
    region = models.ForeignKey(
        Region, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="entities"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=EntityState.choices, default=EntityState.UNVERIFIED
    )
    is_street_shop = models.BooleanField(_("street shop"), default=False)
    sector = models.CharField(
        _("two enterprises, three new"), max_length=30, choices=Sector.choices, blank=True
    )
    small_business = models.CharField(
        _("small, individual, specialised"),
        max_length=20,
        choices=SmallBusinessCategory.choices,
        blank=True,
    )
    worker_count = models.PositiveIntegerField(_("workers"), default=0)
    member_count = models.PositiveIntegerField(_("Party members"), default=0)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    scope_lookup = "region__path"

    class Meta:
        verbose_name = _("market entity")
        verbose_name_plural = _("market entities")
        ordering = ["name", "sign_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="entity_credit_code_unique",
            ),
            models.CheckConstraint(
                condition=~(Q(name="") & Q(sign_name="")), name="entity_has_a_name"
            ),
        ]
        indexes = [models.Index(fields=["state", "is_street_shop"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name and self.sign_name and self.sign_name not in self.name:
            return f"{self.sign_name}（{self.name}）"
        return self.name or self.sign_name

    def get_absolute_url(self) -> str:
        return reverse("ledger:entity_detail", args=[self.pk])
