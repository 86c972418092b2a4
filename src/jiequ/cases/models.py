"""Demands (诉求, "cases") and the chain that solves them: branch → council → grid consultation →
the district city-operations platform. The transitions live in jiequ.cases.workflow; this module
only holds the records."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jiequ.core.models import EncryptedPhoneMixin, TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet


class Source(models.TextChoices):
    VISIT = "visit", _("Branch visit")
    QR = "qr", _("QR code")
    COUNCIL = "council", _("Council")
    HOTLINE = "hotline", _("Hotline 12345")
    STAFF = "staff", _("Staff")


class Level(models.TextChoices):
    """Who holds the case, from the nearest to the farthest; escalation goes one step up."""

    BRANCH = "branch", _("Branch")
    COUNCIL = "council", _("Council")
    GRID = "grid", _("Grid consultation")
    DISTRICT = "district", _("District platform")


LEVEL_ORDER = [Level.BRANCH, Level.COUNCIL, Level.GRID, Level.DISTRICT]


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Verified and closed")
    RETURNED = "returned", _("Returned")
    REOPENED = "reopened", _("Reopened")
    SUSPENDED = "suspended", _("Suspended")


# States in which someone is working on the case (its time limit runs).
OPEN_STATES = ("received", "assigned", "in_progress", "returned", "reopened")


class RequestType(models.TextChoices):
    """The 12345 hotline's kinds of request, which set the default time limit."""

    ENQUIRY = "enquiry", _("Enquiry")
    FOLLOW_UP = "follow_up", _("Follow-up")
    REQUEST = "request", _("Request")
    COMPLAINT = "complaint", _("Complaint")
    COMPLEX = "complex", _("Complex matter")


class CategoryKind(models.TextChoices):
    """City management splits its cases into components (部件: a thing) and events (事件)."""

    COMPONENT = "component", _("Component")
    EVENT = "event", _("Event")
    SERVICE = "service", _("Service or business matter")


class CaseCategory(TimeStampedModel):
    """One node of the configurable taxonomy (大类 → 小类)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=CategoryKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.parent.name} · {self.name}" if self.parent_id else self.name


class DeadlineRule(TimeStampedModel):
    """Working days allowed at a level for a kind of request, optionally for one category.

    The most specific rule wins (category + level, then level, then any level); with no rule the
    12345 conventions apply (jiequ.cases.deadlines).
    """

    request_type = models.CharField(_("request type"), max_length=20, choices=RequestType.choices)
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, blank=True, help_text=_("Empty: any.")
    )
    category = models.ForeignKey(
        CaseCategory,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadline_rules",
    )
    working_days = models.PositiveSmallIntegerField(_("working days"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")

    def __str__(self) -> str:
        return f"{self.get_request_type_display()} {self.working_days}"


class DemandCode(TimeStampedModel):
    """The QR code on a shop's contact card: opens the public demand page for that shop."""

    token = models.SlugField(_("token"), max_length=32, unique=True, editable=False)
    entity = models.ForeignKey(
        "ledger.Entity",
        verbose_name=_("market entity"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="demand_codes",
    )
    region = models.ForeignKey(
        "areas.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("branch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demand_codes",
        help_text=_("The branch that receives the demands posted through this code."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"

    class Meta:
        verbose_name = _("demand code")
        verbose_name_plural = _("demand codes")

    def __str__(self) -> str:
        return str(self.entity or self.region)


class Case(EncryptedPhoneMixin, TimeStampedModel):
    number = models.CharField(_("case number"), max_length=20, unique=True, editable=False)
    source = models.CharField(
        pgettext_lazy("case", "source"), max_length=20, choices=Source.choices
    )
    request_type = models.CharField(
        _("request type"), max_length=20, choices=RequestType.choices, default=RequestType.REQUEST
    )
    category = models.ForeignKey(
        CaseCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(pgettext_lazy("case", "description"))
    # Where: a ledger entity, a point, or both.
    entity = models.ForeignKey(
        "ledger.Entity",
        verbose_name=_("market entity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(
        _("longitude"), max_digits=10, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    region = models.ForeignKey(
        "areas.Region",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="cases",
        help_text=_("The grid the case belongs to (from the entity or the point)."),
    )
    # Who holds it.
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.BRANCH)
    organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text=_("The branch the case came to; it keeps following the case up the chain."),
    )
    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    assignee = models.ForeignKey(
        "accounts.User",
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.RECEIVED
    )
    # The state a suspended case returns to when it is resumed.
    state_before_suspension = models.CharField(max_length=20, blank=True, editable=False)
    suspension_reason = models.CharField(_("reason for suspension"), max_length=200, blank=True)
    # When the current suspension began: on resume, the working days suspended extend due_on.
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True, editable=False)
    is_urgent = models.BooleanField(_("urgent"), default=False)
    urgent_reason = models.CharField(_("why urgent"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received at"))
    # When the current level took the case (received, escalated to it or returned to it).
    level_since = models.DateTimeField(_("at this level since"), null=True, blank=True)
    # Due date at the current level, in working days from when the level took the case.
    due_on = models.DateField(_("due on"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    # The level at which it was solved (kept when closed, for the share solved at each level).
    solved_level = models.CharField(
        _("solved at level"), max_length=20, choices=Level.choices, blank=True
    )
    # Sent up to the district platform: when, and the platform's own reference.
    escalated_to_district_at = models.DateTimeField(
        _("sent to the district at"), null=True, blank=True
    )
    district_reference = models.CharField(_("district platform number"), max_length=50, blank=True)
    # The reporter (only with their consent) and the private follow-up link.
    reporter_name = models.CharField(_("reporter"), max_length=50, blank=True)
    phone_encrypted = models.TextField(editable=False, blank=True)
    phone_hash = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    consent_text = models.TextField(_("consent text"), blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    follow_token = models.SlugField(max_length=32, unique=True, editable=False)
    # A public submission's fingerprint: the same demand sent twice makes one case.
    submission_key = models.CharField(max_length=64, blank=True, editable=False)
    code = models.ForeignKey(
        DemandCode,
        verbose_name=_("demand code"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    rating = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    rating_comment = models.CharField(_("comment on the result"), max_length=200, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["phone_encrypted", "phone_hash"])
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"
    scope_organisation_lookup = "organisation"

    column_labels = {
        "phone_masked": _("reporter's phone"),
        "place": _("place"),
        "days_open": _("days open"),
    }

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["state", "due_on"]),
            models.Index(fields=["level", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="case_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~models.Q(level="council") | models.Q(council__isnull=False),
                name="case_council_level_has_council",
            ),
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~models.Q(submission_key=""),
                name="case_unique_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", args=[self.pk])

    @property
    def place(self) -> str:
        """Where, as a person reads it: the shop's name, else the address, else the grid."""
        if self.entity_id:
            return str(self.entity)
        return self.address or str(self.region)

    @property
    def days_open(self) -> int:
        """Calendar days since the case was received (until closed)."""
        from django.utils import timezone

        end = self.closed_at or timezone.now()
        return max(0, (end - self.received_at).days)

    @property
    def is_overdue(self) -> bool:
        """Past its due date at the current level and still being handled (not suspended)."""
        from django.utils import timezone

        return (
            self.due_on is not None
            and self.state in OPEN_STATES
            and self.due_on < timezone.localdate()
        )


class CaseEvent(models.Model):
    """One step in a case's life: a transition or an escalation, with who and why.

    The case's history (django-simple-history) keeps every field; this is the readable timeline
    shown on the case page and on the reporter's follow-up page.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # For actions without an account: "reporter", "district platform".
    actor_label = models.CharField(_("by"), max_length=50, blank=True)
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices, blank=True)
    from_level = models.CharField(_("from level"), max_length=20, choices=Level.choices, blank=True)
    to_level = models.CharField(_("to level"), max_length=20, choices=Level.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # On escalation: what the level below tried before sending the case up.
    tried = models.TextField(_("what was tried"), blank=True)
    # Shown to the reporter on the follow-up page (internal notes are not).
    is_public = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.action} {self.at:%Y-%m-%d}"

    @property
    def action_label(self) -> str:
        """The action as a person reads it (派单, 上报 …)."""
        from .workflow import action_label

        return action_label(self.action)

    @property
    def actor_name(self) -> str:
        return str(self.actor) if self.actor_id else self.actor_label


def photo_path(instance: CasePhoto, filename: str) -> str:
    return f"cases/{instance.case_id}/{filename}"


class CasePhoto(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_path)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.image.name
