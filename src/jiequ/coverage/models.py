"""Coverage: instructors, the planner's plans, members' responsibility zones and street chiefs.

How an entity is covered is computed from the organisations' coverage links (party.CoverageLink)
and the instructor posts here; the rules are in jiequ.coverage.status.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jiequ.core.models import TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet
from jiequ.party.models import member_or_cadre


class InstructorPost(TimeStampedModel):
    """A Party-building instructor (党建指导员) assigned to an entity: work coverage."""

    entity = models.ForeignKey(
        "ledger.Entity",
        verbose_name=_("entity"),
        on_delete=models.CASCADE,
        related_name="instructor_posts",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructor_posts",
    )
    cadre = models.ForeignKey(
        "party.Cadre",
        verbose_name=_("department cadre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructor_posts",
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "entity__region__path"

    class Meta:
        verbose_name = _("instructor post")
        verbose_name_plural = _("instructor posts")
        ordering = ["entity", "-started_on"]
        constraints = [member_or_cadre("instructor_is_member_or_cadre")]

    def __str__(self) -> str:
        return f"{self.entity} {self.member or self.cadre}"


class PlanKind(models.TextChoices):
    BRANCHES = "branches", _("Street-block branches")
    ZONES = "zones", _("Responsibility zones")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPLIED = "applied", _("Applied")


class BalanceBy(models.TextChoices):
    SHOPS = "shops", _("Number of shops")
    WORKERS = "workers", _("Number of workers")


class Plan(TimeStampedModel):
    """A proposal of the planner: shops in k groups, adjusted by staff, then applied (once)."""

    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    name = models.CharField(_("name"), max_length=100)
    subdistrict = models.ForeignKey(
        "areas.Region", verbose_name=_("subdistrict"), on_delete=models.PROTECT, related_name="+"
    )
    # Where the plan works and who sees it: the subdistrict for branch plans, the branch's own
    # region for zone plans (so a secretary scoped to an area sees their branch's zone plans).
    region = models.ForeignKey(
        "areas.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    # What the shops were chosen by, in words (e.g. "street shops not yet covered · 江宁片区").
    selection = models.CharField(_("shops chosen"), max_length=200, blank=True)
    # For zone plans: the branch whose shops are divided among its members.
    organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="zone_plans",
    )
    k = models.PositiveSmallIntegerField(_("groups"))
    balance_by = models.CharField(
        _("balance by"), max_length=20, choices=BalanceBy.choices, default=BalanceBy.SHOPS
    )
    state = models.CharField(
        _("state"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT
    )
    author = models.ForeignKey(
        "accounts.User",
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("applied by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    measures = models.JSONField(_("measures"), default=dict, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"
    # A branch secretary sees the zone plans of their branch (branch plans have none).
    scope_organisation_lookup = "organisation"

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coverage:plan_detail", args=[self.pk])


class PlanGroup(models.Model):
    """One of a plan's k groups; on apply it becomes a branch (or a member's zone)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="groups"
    )
    number = models.PositiveSmallIntegerField(_("group"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    # Zone plans: the member who takes the zone (anchored at their own shop when there is one).
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.OneToOneField(
        "party.Organisation",
        verbose_name=_("branch created"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_group",
    )

    scope_lookup = "plan__region__path"

    class Meta:
        verbose_name = _("plan group")
        verbose_name_plural = _("plan groups")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_group_number_unique")
        ]

    def __str__(self) -> str:
        return self.name or f"{self.plan} #{self.number + 1}"


class PlanShop(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="shops"
    )
    entity = models.ForeignKey(
        "ledger.Entity", verbose_name=_("entity"), on_delete=models.CASCADE, related_name="+"
    )
    group = models.PositiveSmallIntegerField(_("group"))
    locked = models.BooleanField(_("locked"), default=False)

    scope_lookup = "plan__region__path"

    class Meta:
        verbose_name = _("planned shop")
        verbose_name_plural = _("planned shops")
        ordering = ["plan", "group"]
        constraints = [models.UniqueConstraint(fields=["plan", "entity"], name="plan_shop_once")]

    def __str__(self) -> str:
        return f"{self.entity} → {self.group}"


class Zone(TimeStampedModel):
    """A member's responsibility zone (划片包干): shops they look after, with a duty list."""

    organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="zones",
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="zones"
    )
    entities = models.ManyToManyField(
        "ledger.Entity", verbose_name=_("shops"), related_name="zones", blank=True
    )
    duties = models.TextField(_("duty list"), blank=True)
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="zones",
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "organisation__region__path"
    scope_organisation_lookup = "organisation"

    class Meta:
        verbose_name = _("responsibility zone")
        verbose_name_plural = _("responsibility zones")
        ordering = ["organisation", "member"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "member"], name="zone_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.member}"


class StreetChief(TimeStampedModel):
    """The person the subdistrict puts in charge of one road (街长)."""

    road = models.ForeignKey(
        "areas.Road", verbose_name=_("road"), on_delete=models.CASCADE, related_name="chiefs"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roads_led",
    )
    cadre = models.ForeignKey(
        "party.Cadre",
        verbose_name=_("department cadre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roads_led",
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "road__subdistrict__path"
    # Who leads a road is shared context for the whole subdistrict, like the roads themselves.
    scope_includes_ancestors = True

    class Meta:
        verbose_name = _("street chief")
        verbose_name_plural = _("street chiefs")
        ordering = ["road", "-started_on"]
        constraints = [
            member_or_cadre("street_chief_is_member_or_cadre"),
            models.UniqueConstraint(
                fields=["road"], condition=Q(ended_on__isnull=True), name="one_current_chief"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.road} {self.member or self.cadre}"
