"""The supply system (需求/资源/项目清单): needs raised by organisations, shops and departments,
the resources they offer, the projects that bundle resources to meet needs and are delivered
to organisations; and the register of community talents (能人达人).

Every need, resource and project has exactly one owner: a Party organisation, a department
(kind + name) or a shop (a ledger entity). The database checks it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jiequ.areas.models import latitude_field, longitude_field
from jiequ.core.models import EncryptedPhoneMixin, TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet
from jiequ.party.models import DepartmentKind


class Category(models.TextChoices):
    VENUE = "venue", pgettext_lazy("supply category", "Venue")
    TRAINING = "training", pgettext_lazy("supply category", "Training")
    ADVICE = "advice", pgettext_lazy("supply category", "Legal and financial advice")
    EMPLOYMENT = "employment", pgettext_lazy("supply category", "Employment")
    HEALTH = "health", pgettext_lazy("supply category", "Health")
    CULTURE_SPORT = "culture_sport", pgettext_lazy("supply category", "Culture and sport")
    VOLUNTEERING = "volunteering", pgettext_lazy("supply category", "Volunteering")
    PUBLICITY = "publicity", pgettext_lazy("supply category", "Publicity")
    FUNDING = "funding", pgettext_lazy("supply category", "Funding")
    CARE = "care", pgettext_lazy("supply category", "Elderly and children care")
    OTHER = "other", pgettext_lazy("supply category", "Other")


class TargetGroup(models.TextChoices):
    MEMBERS = "members", pgettext_lazy("target group", "Party members")
    SHOP_OWNERS = "shop_owners", pgettext_lazy("target group", "Shop owners")
    WORKERS = "workers", pgettext_lazy("target group", "Workers")
    NEW_EMPLOYMENT = "new_employment", pgettext_lazy("target group", "New-employment workers")
    RESIDENTS = "residents", pgettext_lazy("target group", "Residents")
    ELDERLY = "elderly", pgettext_lazy("target group", "Elderly people")
    CHILDREN = "children", pgettext_lazy("target group", "Children")


class OwnerKind(models.TextChoices):
    ORGANISATION = "organisation", pgettext_lazy("owner", "Party organisation")
    DEPARTMENT = "department", pgettext_lazy("owner", "Department")
    SHOP = "shop", pgettext_lazy("owner", "Shop")


class NeedState(models.TextChoices):
    OPEN = "open", pgettext_lazy("need state", "Open")
    MATCHED = "matched", pgettext_lazy("need state", "Matched")
    MET = "met", pgettext_lazy("need state", "Met")
    CLOSED = "closed", pgettext_lazy("need state", "Closed")


class ResourceState(models.TextChoices):
    AVAILABLE = "available", pgettext_lazy("resource state", "Available")
    COMMITTED = "committed", pgettext_lazy("resource state", "Fully committed")
    USED_UP = "used_up", pgettext_lazy("resource state", "Used up")
    WITHDRAWN = "withdrawn", pgettext_lazy("resource state", "Withdrawn")


class ProjectState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("project state", "Planned")
    RUNNING = "running", pgettext_lazy("project state", "Running")
    COMPLETED = "completed", pgettext_lazy("project state", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("project state", "Cancelled")


def encode_groups(groups: Iterable[str]) -> str:
    """Target groups as stored: ",members,workers," (so one group is one `contains` lookup)."""
    order = [g.value for g in TargetGroup]
    chosen = sorted(set(groups) & set(order), key=order.index)
    return f",{','.join(chosen)}," if chosen else ""


def decode_groups(stored: str) -> list[str]:
    return [g for g in (stored or "").split(",") if g]


def group_labels(stored: str) -> str:
    labels = dict(TargetGroup.choices)
    return "、".join(str(labels.get(g, g)) for g in decode_groups(stored))


# Exactly one owner: an organisation, a shop, or a department (kind given).
ONE_OWNER = (
    Q(organisation__isnull=False, entity__isnull=True, department_kind="")
    | Q(organisation__isnull=True, entity__isnull=False, department_kind="")
    | (Q(organisation__isnull=True, entity__isnull=True) & ~Q(department_kind=""))
)


class SupplyItem(TimeStampedModel):
    """What needs, resources and projects share: owner, category, groups, amount, period."""

    title = models.CharField(_("title"), max_length=120)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    target_groups = models.CharField(_("target groups"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("Party organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_%(class)ss",
    )
    department_kind = models.CharField(
        _("department"), max_length=30, choices=DepartmentKind.choices, blank=True
    )
    department_name = models.CharField(_("department name"), max_length=100, blank=True)
    entity = models.ForeignKey(
        "ledger.Entity",
        verbose_name=_("shop"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_%(class)ss",
    )
    quantity = models.PositiveIntegerField(
        _("capacity or quantity"), validators=[MinValueValidator(1)]
    )
    unit = models.CharField(
        _("unit"), max_length=10, blank=True, help_text=_("e.g. 人次, 场, 小时")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(
        "areas.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Who sees it: users of this region."),
    )
    lat = latitude_field(null=True, blank=True)
    lon = longitude_field(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=ONE_OWNER,
                name="%(app_label)s_%(class)s_one_owner",
                violation_error_message=_(
                    "Give exactly one owner: a Party organisation, a department or a shop."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="%(app_label)s_%(class)s_period",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="%(app_label)s_%(class)s_quantity"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_kind(self) -> str:
        if self.organisation_id:
            return OwnerKind.ORGANISATION
        if self.entity_id:
            return OwnerKind.SHOP
        return OwnerKind.DEPARTMENT

    @property
    def owner(self) -> str:
        """Who owns it, as a person reads it."""
        if self.organisation_id:
            return str(self.organisation)
        if self.entity_id:
            return str(self.entity)
        return self.department_name or self.get_department_kind_display()

    @property
    def target_groups_display(self) -> str:
        return group_labels(self.target_groups)

    @property
    def amount(self) -> str:
        return f"{self.quantity} {self.unit}".strip()

    @property
    def period(self) -> str:
        start = f"{self.starts_on:%Y-%m-%d}"
        return f"{start} – {self.ends_on:%Y-%m-%d}" if self.ends_on else f"{start} –"


class Need(SupplyItem):
    """A need (需求) that an organisation, shop or department raised."""

    state = models.CharField(
        _("state"), max_length=20, choices=NeedState.choices, default=NeedState.OPEN
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    met_on = models.DateField(_("met on"), null=True, blank=True)

    history = HistoricalRecords()
    # A branch secretary sees the needs of their own branch (and those under it).
    scope_organisation_lookup = "organisation"
    column_labels = {
        "owner": pgettext_lazy("supply", "owner"),
        "target_groups_display": _("target groups"),
        "amount": _("capacity or quantity"),
        "period": pgettext_lazy("supply", "period"),
        "age_days": pgettext_lazy("need", "days open"),
    }

    class Meta(SupplyItem.Meta):
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-raised_on", "-pk"]

    def get_absolute_url(self) -> str:
        return reverse("services:need_detail", args=[self.pk])

    @property
    def age_days(self) -> int | str:
        """Days since it was raised, while it is open (empty once matched, met or closed)."""
        if self.state != NeedState.OPEN:
            return ""
        return (timezone.localdate() - self.raised_on).days


class Resource(SupplyItem):
    """A resource (资源) someone offers: a venue, advice hours, training places, money…"""

    state = models.CharField(
        _("state"), max_length=20, choices=ResourceState.choices, default=ResourceState.AVAILABLE
    )

    history = HistoricalRecords()
    # Resources offered for the whole subdistrict are seen by the branches inside it.
    scope_includes_ancestors = True
    column_labels = {
        "owner": pgettext_lazy("supply", "owner"),
        "target_groups_display": _("target groups"),
        "amount": _("capacity or quantity"),
        "period": pgettext_lazy("supply", "period"),
        "remaining": _("remaining"),
    }

    class Meta(SupplyItem.Meta):
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-starts_on", "-pk"]

    def get_absolute_url(self) -> str:
        return reverse("services:resource_detail", args=[self.pk])

    @property
    def committed(self) -> int:
        """How much projects (not cancelled) take; a list annotates `committed_sum`."""
        annotated = getattr(self, "committed_sum", None)
        if annotated is not None:
            return annotated
        from .projects import committed_of

        return committed_of(self)

    @property
    def remaining(self) -> int:
        return max(0, self.quantity - self.committed)


class Project(SupplyItem):
    """A project (项目) that bundles resources to meet needs, delivered to organisations."""

    state = models.CharField(
        _("state"), max_length=20, choices=ProjectState.choices, default=ProjectState.PLANNED
    )
    needs = models.ManyToManyField(
        Need, verbose_name=_("needs it meets"), related_name="projects", blank=True
    )
    resources = models.ManyToManyField(
        Resource,
        verbose_name=_("resources used"),
        through="ProjectResource",
        related_name="projects",
        blank=True,
    )

    history = HistoricalRecords()
    column_labels = {
        "owner": pgettext_lazy("supply", "owner"),
        "target_groups_display": _("target groups"),
        "amount": _("capacity or quantity"),
        "period": pgettext_lazy("supply", "period"),
        "delivery_count": _("deliveries"),
        "organisation_count": _("organisations reached"),
    }

    class Meta(SupplyItem.Meta):
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-starts_on", "-pk"]

    def get_absolute_url(self) -> str:
        return reverse("services:project_detail", args=[self.pk])

    @staticmethod
    def scope_via_organisations(organisation_ids: list[int]) -> Q:
        """A secretary also reads the projects delivered to their branch or meeting its needs."""
        delivered = Delivery.objects.filter(organisation_id__in=organisation_ids)
        needed = Project.needs.through.objects.filter(need__organisation_id__in=organisation_ids)
        return Q(pk__in=delivered.values("project")) | Q(pk__in=needed.values("project"))

    @property
    def delivery_count(self) -> int:
        count = getattr(self, "deliveries_n", None)
        return self.deliveries.count() if count is None else count

    @property
    def organisation_count(self) -> int:
        count = getattr(self, "organisations_n", None)
        if count is None:
            return self.deliveries.values("organisation").distinct().count()
        return count


class ProjectResource(models.Model):
    """How much of one resource a project uses."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="allocations"
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    quantity = models.PositiveIntegerField(_("quantity used"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    scope_lookup = "project__region__path"

    class Meta:
        verbose_name = _("resource used")
        verbose_name_plural = _("resources used")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "resource"], name="use_resource_once"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="use_some_resource"),
        ]

    def __str__(self) -> str:
        return f"{self.project} ← {self.resource} × {self.quantity}"


class Delivery(TimeStampedModel):
    """One delivery of a project to an organisation: when, what, how many took part, feedback."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="deliveries"
    )
    organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("delivered to"),
        on_delete=models.PROTECT,
        related_name="service_deliveries",
    )
    delivered_on = models.DateField(_("delivered on"))
    what = models.CharField(_("what was delivered"), max_length=200)
    participants = models.PositiveIntegerField(pgettext_lazy("delivery", "participants"), default=0)
    feedback = models.TextField(_("feedback"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        choices=[(i, "★" * i) for i in range(1, 6)],
        help_text=_("The organisation's rating, 1 to 5 stars."),
    )
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
    scope_lookup = "organisation__region__path"
    scope_organisation_lookup = "organisation"

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-delivered_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="delivery_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.organisation} {self.delivered_on}"

    def get_absolute_url(self) -> str:
        return reverse("services:delivery_detail", args=[self.pk])


def new_token() -> str:
    """An unguessable token for a private link or a QR code."""
    return secrets.token_urlsafe(16)


class TalentSource(models.TextChoices):
    SELF = "self", _("Own sign-up")
    STAFF = "staff", _("Entered by staff with consent")


class Talent(EncryptedPhoneMixin, TimeStampedModel):
    """A community talent (能人达人): a person who takes part in governance, on the register by
    their own consent. Listed to subdistrict staff only; the person reads their own record
    through a private link."""

    name = models.CharField(_("name"), max_length=50)
    skills = models.CharField(_("skills"), max_length=200)
    category = models.CharField(
        _("main field"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    region = models.ForeignKey(
        "areas.Region",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where they take part."),
    )
    phone_encrypted = models.TextField(editable=False, blank=True)
    phone_hash = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    councils = models.ManyToManyField(
        "councils.Council", verbose_name=_("councils"), related_name="talents", blank=True
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("projects"), related_name="talents", blank=True
    )
    source = models.CharField(_("on the register by"), max_length=20, choices=TalentSource.choices)
    consent_text = models.TextField(_("consent wording"))
    consented_at = models.DateTimeField(_("consent given at"))
    # The private link of the person's own record (never shown in lists or exports).
    token = models.CharField(max_length=40, unique=True, editable=False, default=new_token)
    withdrawn_at = models.DateTimeField(_("withdrew on"), null=True, blank=True, editable=False)
    entered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["phone_encrypted", "phone_hash", "token"])
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"
    column_labels = {
        "phone_masked": _("mobile phone"),
        "council_names": _("councils"),
        "project_count": _("projects"),
        "consented_on": _("consent given on"),
        "withdrawn_on": _("withdrew on"),
    }

    class Meta:
        verbose_name = _("community talent")
        verbose_name_plural = _("community talents")
        ordering = ["name", "pk"]
        constraints = [
            # One entry per phone: signing up again never makes a second record.
            models.UniqueConstraint(
                fields=["phone_hash"], condition=~Q(phone_hash=""), name="talent_phone_once"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:talent_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    # Dates for lists and Excel (which takes no time zones).
    @property
    def consented_on(self) -> Any:
        return timezone.localtime(self.consented_at).date() if self.consented_at else ""

    @property
    def withdrawn_on(self) -> Any:
        return timezone.localtime(self.withdrawn_at).date() if self.withdrawn_at else ""

    @property
    def council_names(self) -> str:
        return "、".join(c.name for c in self.councils.all())

    @property
    def project_count(self) -> int:
        count = getattr(self, "projects_n", None)
        return self.projects.count() if count is None else count


class TalentInvite(TimeStampedModel):
    """The QR sign-up of community talents for a subdistrict or an area."""

    region = models.ForeignKey(
        "areas.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    token = models.CharField(max_length=40, unique=True, editable=False, default=new_token)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"

    class Meta:
        verbose_name = _("talent sign-up code")
        verbose_name_plural = _("talent sign-up codes")

    def __str__(self) -> str:
        return str(self.region)
