"""The ledger (底账): market entities, kept true by survey rounds and department data."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jiequ.areas.models import Building, Region, Road, latitude_field, longitude_field
from jiequ.core.models import EncryptedPhoneMixin, TimeStampedModel
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
    lat = latitude_field(null=True, blank=True)
    lon = longitude_field(null=True, blank=True)
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
    # Lists show one name: the sign with the registered name, or whichever exists.
    column_labels = {"display_name": _("name")}

    @staticmethod
    def scope_via_organisations(organisation_ids: list[int]) -> Q:
        """Entities covered by these organisations (see jiequ.core.scoping)."""
        from jiequ.party.models import CoverageLink

        covered = CoverageLink.objects.filter(
            entity=OuterRef("pk"), organisation_id__in=organisation_ids
        )
        return Q(Exists(covered))

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


class SurveyRound(TimeStampedModel):
    """A survey round (走访轮次): every entity of the chosen grids is visited once."""

    subdistrict = models.ForeignKey(
        Region, verbose_name=_("subdistrict"), on_delete=models.PROTECT, related_name="rounds"
    )
    number = models.PositiveIntegerField(_("round"))
    grids = models.ManyToManyField(
        Region,
        verbose_name=_("grids"),
        related_name="+",
        blank=True,
        help_text=_("Leave empty for the whole subdistrict."),
    )
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("due on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    opened_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(m2m_fields=[grids])
    objects = ScopedQuerySet.as_manager()

    scope_lookup = "subdistrict__path"
    scope_includes_ancestors = True

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-opened_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "number"], name="round_number_unique")
        ]

    def __str__(self) -> str:
        return _("Round %(n)d (%(start)s – %(due)s)") % {
            "n": self.number,
            "start": self.opened_on,
            "due": self.due_on,
        }

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def get_absolute_url(self) -> str:
        return reverse("ledger:round_detail", args=[self.pk])


class VisitAssignment(models.Model):
    """One entity on one visitor's walk list in a round."""

    round = models.ForeignKey(
        SurveyRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="assignments"
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("market entity"), on_delete=models.CASCADE, related_name="+"
    )
    visitor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("visitor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    visit = models.OneToOneField(
        "Visit",
        verbose_name=_("visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignment",
    )

    objects = ScopedQuerySet.as_manager()
    scope_lookup = "entity__region__path"

    class Meta:
        verbose_name = _("visit assignment")
        verbose_name_plural = _("visit assignments")
        constraints = [
            models.UniqueConstraint(fields=["round", "entity"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.entity}"


class Visit(TimeStampedModel):
    """What a visitor found at an entity. Contact details only with the person's consent."""

    entity = models.ForeignKey(
        Entity, verbose_name=_("market entity"), on_delete=models.PROTECT, related_name="visits"
    )
    round = models.ForeignKey(
        SurveyRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    visitor = models.ForeignKey(
        "accounts.User", verbose_name=_("visitor"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("visited on"))
    state_found = models.CharField(_("state found"), max_length=20, choices=EntityState.choices)
    worker_count = models.PositiveIntegerField(_("workers"))
    members_met = models.PositiveIntegerField(_("Party members met"), default=0)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone_encrypted = models.TextField(editable=False, blank=True)
    contact_phone_hash = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    contact_consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    demands = models.TextField(
        _("demands raised"),
        blank=True,
        help_text=_("What the entity asked for; taken up by the demands desk."),
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["contact_phone_encrypted", "contact_phone_hash"])
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "entity__region__path"

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["entity", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.entity} · {self.visited_on}"

    @property
    def contact_phone(self) -> str:
        from jiequ.core.crypto import decrypt

        return decrypt(self.contact_phone_encrypted)

    @property
    def contact_phone_masked(self) -> str:
        from jiequ.core.validators import mask_phone

        phone = self.contact_phone
        return mask_phone(phone) if phone else ""


class SignupTarget(models.TextChoices):
    ENTITY = "entity", _("Market entity")
    BUILDING = "building", _("Building")
    AREA = "area", _("Area")


class SignupCode(TimeStampedModel):
    """A member sign-up code (党员信息采集码) posted in a shop, a building or an area."""

    token = models.SlugField(_("token"), max_length=32, unique=True, editable=False)
    target = models.CharField(_("posted at"), max_length=10, choices=SignupTarget.choices)
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("market entity"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signup_codes",
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signup_codes",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="signup_codes",
        help_text=_("The grid or area the code belongs to; registrations are reviewed there."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"

    class Meta:
        verbose_name = _("sign-up code")
        verbose_name_plural = _("sign-up codes")

    def __str__(self) -> str:
        return str(self.entity or self.building or self.region)

    @property
    def workplace(self) -> str:
        return str(self.entity or self.building or "")


class Membership(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class MemberRegistration(EncryptedPhoneMixin, TimeStampedModel):
    """A Party member's own registration through a sign-up code, with their recorded consent.

    One record per phone number: registering again updates it (the phone's keyed hash is unique).
    """

    code = models.ForeignKey(
        SignupCode,
        verbose_name=_("sign-up code"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)
    phone_encrypted = models.TextField(editable=False)
    phone_hash = models.CharField(max_length=64, unique=True, editable=False)
    record_organisation = models.CharField(
        _("organisation holding the membership record"), max_length=100
    )
    record_province = models.CharField(_("province"), max_length=20)
    record_city = models.CharField(_("city"), max_length=20)
    membership = models.CharField(_("membership"), max_length=20, choices=Membership.choices)
    workplace = models.CharField(_("workplace"), max_length=200, blank=True)
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("workplace entity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    consent_text = models.TextField(_("consent text"))
    consent_at = models.DateTimeField(_("consent given at"))
    submissions = models.PositiveIntegerField(_("submissions"), default=1)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=RegistrationState.choices,
        default=RegistrationState.PENDING,
    )
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["phone_encrypted", "phone_hash"])
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"

    class Meta:
        verbose_name = _("member registration")
        verbose_name_plural = _("member registrations")
        ordering = ["state", "-updated_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ledger:registration_list")


class Department(models.TextChoices):
    MARKET_SUPERVISION = "market_supervision", _("Market supervision")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    TAX = "tax", _("Tax")
    OTHER = "other", _("Other department")


class RegistrySource(TimeStampedModel):
    """A department registry the subdistrict receives extracts of, with its column mapping."""

    subdistrict = models.ForeignKey(
        Region, verbose_name=_("subdistrict"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    department = models.CharField(_("department"), max_length=30, choices=Department.choices)
    # Which column of the department's file holds each field: {"external_id": "注册号", ...}
    column_map = models.JSONField(_("column mapping"), default=dict)

    objects = ScopedQuerySet.as_manager()
    scope_lookup = "subdistrict__path"

    class Meta:
        verbose_name = _("registry source")
        verbose_name_plural = _("registry sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ledger:registry_source", args=[self.pk])


class RegistryImport(TimeStampedModel):
    source = models.ForeignKey(
        RegistrySource,
        verbose_name=_("registry source"),
        on_delete=models.CASCADE,
        related_name="imports",
    )
    file_name = models.CharField(_("file"), max_length=200)
    checksum = models.CharField(max_length=64, editable=False)
    imported_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    removed = models.PositiveIntegerField(_("no longer listed"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_lookup = "source__subdistrict__path"

    class Meta:
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source} · {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("ledger:registry_import", args=[self.pk])


class LinkState(models.TextChoices):
    AUTO = "auto", _("Linked automatically")
    REVIEW = "review", _("Waiting for review")
    CONFIRMED = "confirmed", _("Linked by a person")
    NEW = "new", _("Proposed new entity")


class RegistryRecord(TimeStampedModel):
    """One business as a department registry lists it, and its link to the ledger."""

    source = models.ForeignKey(
        RegistrySource,
        verbose_name=_("registry source"),
        on_delete=models.CASCADE,
        related_name="records",
    )
    external_id = models.CharField(_("registry number"), max_length=50)
    name = models.CharField(_("registered name"), max_length=200, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    last_import = models.ForeignKey(
        RegistryImport, on_delete=models.CASCADE, related_name="records", editable=False
    )
    removed_in = models.ForeignKey(
        RegistryImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="removed_records",
        editable=False,
        help_text=_("The extract this record was missing from."),
    )
    changed_fields = models.JSONField(default=dict, blank=True, editable=False)
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("market entity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registry_records",
    )
    link_state = models.CharField(
        _("link"), max_length=20, choices=LinkState.choices, default=LinkState.NEW
    )
    score = models.FloatField(_("score"), null=True, blank=True)
    # [[entity id, score], ...] for the reviewer to choose from.
    candidates = models.JSONField(default=list, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "source__subdistrict__path"

    class Meta:
        verbose_name = _("registry record")
        verbose_name_plural = _("registry records")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="registry_id_unique")
        ]

    def __str__(self) -> str:
        return self.name or self.credit_code or self.external_id
