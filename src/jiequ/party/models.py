"""Party organisations, the entities they cover, their committees and the rules they follow."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jiequ.areas.models import Region
from jiequ.core.models import EncryptedPhoneMixin, TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet


class Level(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General branch")
    BRANCH = "branch", _("Branch")
    JOINT_BRANCH = "joint_branch", _("Joint branch")
    GROUP = "group", _("Party group")


class Category(models.TextChoices):
    STREET_BLOCK = "street_block", _("Street-block")
    BUILDING = "building", _("Building")
    NON_PUBLIC = "non_public", _("Non-public enterprise")
    EMERGING_AREA = "emerging_area", _("Area emerging-sector")
    COMMUNITY = "community", _("Community")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")
    MOBILE_MEMBER = "mobile_member", _("Mobile members")


class Organisation(TimeStampedModel):
    """A Party organisation: from a subdistrict's working committee down to a Party group."""

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("higher organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("Where the organisation works; it is seen by users of this region."),
    )
    service_position = models.CharField(_("service position"), max_length=100, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    term_started_on = models.DateField(_("current term began on"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(
        _("term (years)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the rule's term (3 years; 5 for community branches)."),
    )
    # Stored so lists can filter "term ending soon"; set from the term start on every save.
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True, editable=False)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    entities = models.ManyToManyField(
        "ledger.Entity",
        through="CoverageLink",
        verbose_name=_("covered entities"),
        related_name="organisations",
        blank=True,
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"
    # A branch secretary sees their own organisation and the ones under it.
    scope_organisation_lookup = "pk"

    class Meta:
        verbose_name = _("Party organisation")
        verbose_name_plural = _("Party organisations")
        ordering = ["region__path", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("party:organisation_detail", args=[self.pk])

    def save(self, *args, **kwargs) -> None:
        self.term_ends_on = self.computed_term_end()
        super().save(*args, **kwargs)

    def term_length_years(self) -> int:
        from . import rules

        if self.term_years:
            return self.term_years
        key = (
            "community_branch_term_years"
            if self.category == Category.COMMUNITY
            else "branch_term_years"
        )
        return int(rules.value(key, self.region if self.region_id else None))

    def computed_term_end(self) -> date | None:
        start = self.term_started_on
        if start is None:
            return None
        years = self.term_length_years()
        try:
            return start.replace(year=start.year + years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + years, day=28)

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    def subtree_ids(self) -> list[int]:
        """This organisation's id and those of every organisation under it."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(
                Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            ids += frontier
        return ids


class CoverageKind(models.TextChoices):
    OWN = "own", _("Own organisation")
    JOINT = "joint", _("Joint organisation")
    ATTACHED = "attached", _("Attached to another organisation")
    AREA = "area", _("Area / street-block organisation")


class CoverageLink(TimeStampedModel):
    """That an organisation covers a ledger entity, and how."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="coverage_links",
    )
    entity = models.ForeignKey(
        "ledger.Entity",
        verbose_name=_("entity"),
        on_delete=models.CASCADE,
        related_name="coverage_links",
    )
    kind = models.CharField(_("coverage"), max_length=20, choices=CoverageKind.choices)
    since = models.DateField(_("since"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "organisation__region__path"
    scope_organisation_lookup = "organisation"

    class Meta:
        verbose_name = _("coverage link")
        verbose_name_plural = _("coverage links")
        ordering = ["organisation", "entity"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "entity"], name="coverage_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.entity}"


class DepartmentKind(models.TextChoices):
    MARKET_SUPERVISION = "market_supervision", _("Market supervision")
    CITY_MANAGEMENT = "city_management", _("City management")
    PARTY_MASS = "party_mass", _("Party-mass work")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other department")


class Cadre(EncryptedPhoneMixin, TimeStampedModel):
    """A cadre from a department who serves on committees from outside (兼职委员)."""

    name = models.CharField(_("name"), max_length=50)
    department_kind = models.CharField(
        _("department"), max_length=30, choices=DepartmentKind.choices
    )
    department = models.CharField(_("department name"), max_length=100, blank=True)
    post = models.CharField(_("post"), max_length=50, blank=True)
    phone_encrypted = models.TextField(editable=False, blank=True)
    phone_hash = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    subdistrict = models.ForeignKey(
        Region, verbose_name=_("subdistrict"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["phone_encrypted", "phone_hash"])
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "subdistrict__path"

    class Meta:
        verbose_name = _("department cadre")
        verbose_name_plural = _("department cadres")
        ordering = ["department_kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("party:cadre_detail", args=[self.pk])


def member_or_cadre(name: str) -> models.CheckConstraint:
    """A post held by exactly one person: a member of the system or a department cadre."""
    return models.CheckConstraint(
        condition=(Q(member__isnull=False) & Q(cadre__isnull=True))
        | (Q(member__isnull=True) & Q(cadre__isnull=False)),
        name=name,
    )


class OfficerRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY = "deputy", _("Deputy secretary")
    ORGANISATION = "organisation", _("Organisation member")
    PROPAGANDA = "propaganda", _("Propaganda member")
    DISCIPLINE = "discipline", _("Discipline member")
    MEMBER = "member", _("Committee member")


class Origin(models.TextChoices):
    OWNER = "owner", _("Owner of a covered entity")
    PARTNER = "partner", _("Partner in a covered entity")
    EMPLOYEE = "employee", _("Employee of a covered entity")
    MARKET_SUPERVISION = "market_supervision", _("Market supervision")
    CITY_MANAGEMENT = "city_management", _("City management")
    PARTY_MASS = "party_mass", _("Party-mass cadre")
    POLICE = "police", _("Police")
    OTHER_DEPARTMENT = "other_department", _("Other department")


INSIDE_ORIGINS = frozenset({Origin.OWNER, Origin.PARTNER, Origin.EMPLOYEE})


class Officer(TimeStampedModel):
    """A post on an organisation's committee (or its secretary), held from inside or outside."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="officers",
    )
    role = models.CharField(_("post"), max_length=20, choices=OfficerRole.choices)
    origin = models.CharField(_("comes from"), max_length=30, choices=Origin.choices)
    # Inside officers are Party members of the system; outside ones are department cadres.
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("department cadre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    entity = models.ForeignKey(
        "ledger.Entity",
        verbose_name=_("entity they come from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "organisation__region__path"
    scope_organisation_lookup = "organisation"

    class Meta:
        verbose_name = _("committee post")
        verbose_name_plural = _("committee posts")
        ordering = ["organisation", "ended_on", "role"]
        constraints = [member_or_cadre("officer_is_member_or_cadre")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_role_display()} {self.person_name}"

    @property
    def person_name(self) -> str:
        return str(self.member or self.cadre)

    @property
    def is_inside(self) -> bool:
        return self.origin in INSIDE_ORIGINS

    @property
    def is_current(self) -> bool:
        return self.ended_on is None or self.ended_on >= date.today()


class RuleOverride(TimeStampedModel):
    """A subdistrict's own value for one of the rules in jiequ.party.rules."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("rule"), max_length=50)
    value = models.JSONField(_("value"))
    reason = models.CharField(_("reason"), max_length=200)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"

    class Meta:
        verbose_name = _("rule override")
        verbose_name_plural = _("rule overrides")
        ordering = ["region", "key"]
        constraints = [
            models.UniqueConstraint(fields=["region", "key"], name="rule_override_once_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.key}"
