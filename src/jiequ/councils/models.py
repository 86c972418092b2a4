"""Councils (议事载体): street councils, building councils, residents' committees, street-affairs
councils and the grid consultation, where cases the branch could not solve are deliberated."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jiequ.core.models import EncryptedPhoneMixin, TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet


class CouncilKind(models.TextChoices):
    STREET = "street", _("Street council")
    BUILDING = "building", _("Building council")
    RESIDENTS = "residents", _("Residents' committee")
    STREET_AFFAIRS = "street_affairs", _("Street-affairs council")
    # The biweekly grid meeting where departments consult over escalated cases (网格会商).
    GRID = "grid", _("Grid consultation")


class Council(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=CouncilKind.choices)
    region = models.ForeignKey(
        "areas.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="councils",
        help_text=_("The area or grid the council deliberates for."),
    )
    road = models.ForeignKey(
        "areas.Road",
        verbose_name=_("road"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
    )
    building = models.ForeignKey(
        "areas.Building",
        verbose_name=_("building"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
    )
    organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("leading Party organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    # The rhythm it keeps: the grid consultation meets every 14 days; empty: as needed.
    meets_every_days = models.PositiveSmallIntegerField(
        _("meets every (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: meets as needed. The grid consultation meets every 14 days."),
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"
    column_labels = {
        "member_count": _("members"),
        "last_held": _("last met"),
        "next_meeting": _("next meeting"),
    }

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="council_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("councils:council_detail", args=[self.pk])

    @property
    def case_level(self) -> str:
        """The level of the chain this council holds cases at."""
        from jiequ.cases.models import Level

        return Level.GRID if self.kind == CouncilKind.GRID else Level.COUNCIL

    @property
    def member_count(self) -> int:
        count = getattr(self, "current_member_count", None)
        if count is None:
            today = timezone.localdate()
            count = self.members.filter(Q(left_on__isnull=True) | Q(left_on__gte=today)).count()
        return count

    @property
    def last_held(self) -> object:
        if hasattr(self, "last_held_on"):
            return self.last_held_on
        last = self.meetings.filter(state="closed").order_by("-held_on").first()
        return last.held_on if last else None

    @property
    def next_meeting(self) -> str:
        """When it should meet next, flagged when the day has passed ("" if it meets as needed)."""
        from .schedule import rhythm, rhythm_of_annotated

        r = rhythm_of_annotated(self) if hasattr(self, "next_planned_on") else rhythm(self)
        if r.next_due is None:
            return r.planned.isoformat() if r.planned else ""
        if r.missed:
            return str(_("missed: due %(day)s") % {"day": r.next_due.isoformat()})
        return r.next_due.isoformat()


# ---- members ---------------------------------------------------------------------------------


class MemberKind(models.TextChoices):
    """Why a person sits on a council: people are here because they hold a role."""

    ENTITY = "entity", _("Market entity")
    ORGANISATION = "organisation", _("Party organisation")
    DEPARTMENT = "department", _("Department")
    RESIDENT = "resident", _("Resident representative")
    SUBDISTRICT = "subdistrict", _("Subdistrict office")


class MemberPost(models.TextChoices):
    CONVENER = "convener", _("Convener")
    DEPUTY = "deputy", _("Deputy convener")
    MEMBER = "member", pgettext_lazy("council", "Member")
    LIAISON = "liaison", _("Liaison")


class Department(models.TextChoices):
    """The departments that sit at councils and the grid consultation."""

    POLICE = "police", _("Police")
    CITY_MANAGEMENT = "city_management", _("City management")
    CITY_OPERATIONS = "city_operations", _("City operations")
    MARKET_SUPERVISION = "market_supervision", _("Market supervision")
    HOUSING = "housing", _("Housing management")
    OTHER = "other", _("Other department")


class CouncilMember(TimeStampedModel):
    """A seat on a council: an entity's owner or representative, a Party organisation and who
    represents it, a department (a cadre or just the department), or a resident representative.
    Names only: no phones are kept here."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="members"
    )
    kind = models.CharField(_("sits for"), max_length=20, choices=MemberKind.choices)
    post = models.CharField(
        _("post"), max_length=20, choices=MemberPost.choices, default=MemberPost.MEMBER
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    entity = models.ForeignKey(
        "ledger.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_seats",
    )
    organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("Party organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_seats",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("Party member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_seats",
    )
    department = models.CharField(
        _("department"), max_length=30, choices=Department.choices, blank=True
    )
    unit = models.CharField(
        _("unit"),
        max_length=100,
        blank=True,
        help_text=_("The department, office or company they come from, by its name."),
    )
    cadre = models.ForeignKey(
        "party.Cadre",
        verbose_name=_("department cadre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_seats",
    )
    joined_on = models.DateField(_("from"), null=True, blank=True)
    left_on = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "council__region__path"
    column_labels = {"person": _("person"), "sits_for": _("sits for")}

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["council", "left_on", "post", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="entity") | Q(entity__isnull=False),
                name="council_member_entity_named",
            ),
            models.CheckConstraint(
                condition=~Q(kind="organisation") | Q(organisation__isnull=False),
                name="council_member_organisation_named",
            ),
            models.CheckConstraint(
                condition=~Q(kind="department") | ~Q(department=""),
                name="council_member_department_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}（{self.sits_for}）" if self.person != self.sits_for else self.person

    @property
    def person(self) -> str:
        """Who sits: the name, or the cadre / member, or else what they sit for."""
        if self.name:
            return self.name
        if self.cadre_id:
            return self.cadre.name
        if self.member_id:
            return self.member.name
        return self.sits_for

    @property
    def sits_for(self) -> str:
        if self.kind == MemberKind.ENTITY and self.entity_id:
            return self.entity.display_name
        if self.kind == MemberKind.ORGANISATION and self.organisation_id:
            return self.organisation.name
        if self.unit:
            return self.unit
        if self.kind == MemberKind.DEPARTMENT and self.department:
            return str(Department(self.department).label)
        return str(MemberKind(self.kind).label)

    @property
    def is_current(self) -> bool:
        return self.left_on is None or self.left_on >= timezone.localdate()


# ---- meetings --------------------------------------------------------------------------------


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CLOSED = "closed", pgettext_lazy("meeting state", "Closed")


class CouncilMeeting(TimeStampedModel):
    """One sitting of a council: agenda, attendance, minutes and decisions. Closing it applies
    its decisions once (jiequ.councils.meetings.close_meeting)."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    present = models.ManyToManyField(
        CouncilMember, verbose_name=_("members present"), related_name="meetings", blank=True
    )
    guests = models.PositiveSmallIntegerField(_("guests"), default=0)
    minutes = models.TextField(_("minutes"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(m2m_fields=["present"])
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "council__region__path"
    column_labels = {"attendance": _("present"), "agenda_size": _("agenda items")}

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["council", "held_on"])]

    def __str__(self) -> str:
        return f"{self.council} {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("councils:meeting_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.state == MeetingState.CLOSED

    @property
    def attendance(self) -> str:
        present = getattr(self, "present_count", None)
        if present is None:
            present = self.present.count()
        return f"{present} + {self.guests}" if self.guests else str(present)

    @property
    def agenda_size(self) -> int:
        count = getattr(self, "agenda_count", None)
        return self.agenda.count() if count is None else count


class AgendaItem(TimeStampedModel):
    """One point on a meeting's agenda: a street-pulse topic, a case, or free text."""

    meeting = models.ForeignKey(
        CouncilMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    topic = models.ForeignKey(
        "PulseTopic",
        verbose_name=_("street-pulse topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    notes = models.TextField(_("discussion"), blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "meeting__council__region__path"

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case"],
                condition=Q(case__isnull=False),
                name="agenda_case_once_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["meeting", "topic"],
                condition=Q(topic__isnull=False),
                name="agenda_topic_once_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(topic__isnull=False) | ~Q(title=""),
                name="agenda_item_says_what",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        if self.case_id:
            return str(self.case)
        if self.topic_id:
            return self.topic.title
        return ""


class DecisionKind(models.TextChoices):
    NEW_CASE = "new_case", _("Open a case")
    RESOLVE = "resolve", _("Resolve the case")
    ESCALATE = "escalate", _("Escalate the case")
    TASK = "task", _("Give a task")
    NOTE = "note", _("Record only")


# Decisions that change an agenda case.
CASE_DECISIONS = frozenset({DecisionKind.RESOLVE, DecisionKind.ESCALATE})


class Decision(TimeStampedModel):
    """What the meeting decided on an agenda item; applied once when the meeting closes."""

    meeting = models.ForeignKey(
        CouncilMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("Of the new case or the task.")
    )
    text = models.TextField(_("what was decided"))
    tried = models.TextField(
        _("what was tried"), blank=True, help_text=_("On escalation: what this level tried.")
    )
    category = models.ForeignKey(
        "cases.CaseCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Where a new case is: a shop, or else a grid.
    entity = models.ForeignKey(
        "ledger.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        "areas.Region",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The case it acted on (for a new case: the case it created, set when applied).
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_decisions",
    )
    owner_member = models.ForeignKey(
        CouncilMember,
        verbose_name=_("council member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_department = models.CharField(
        _("department"), max_length=30, choices=Department.choices, blank=True
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "meeting__council__region__path"

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title or self.text[:40]}"


# ---- tasks -----------------------------------------------------------------------------------


class Task(TimeStampedModel):
    """A follow-up a council gave someone: a member, a user or a department, with a due date."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="tasks"
    )
    meeting = models.ForeignKey(
        CouncilMeeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    decision = models.OneToOneField(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_tasks",
    )
    title = models.CharField(_("task"), max_length=100)
    details = models.TextField(_("details"), blank=True)
    owner_member = models.ForeignKey(
        CouncilMember,
        verbose_name=_("council member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    owner_user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_tasks",
    )
    owner_department = models.CharField(
        _("department"), max_length=30, choices=Department.choices, blank=True
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.CharField(_("how it was done"), max_length=200, blank=True)
    done_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("marked done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "council__region__path"
    column_labels = {"owner": _("owner"), "status": _("status")}

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["done_on", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_member__isnull=False)
                | Q(owner_user__isnull=False)
                | ~Q(owner_department=""),
                name="task_has_owner",
            )
        ]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("councils:task_detail", args=[self.pk])

    @property
    def owner(self) -> str:
        if self.owner_member_id:
            return str(self.owner_member)
        if self.owner_user_id:
            return str(self.owner_user)
        return self.get_owner_department_display()

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()

    @property
    def status(self) -> str:
        if self.done_on:
            return str(_("Done on %(day)s") % {"day": self.done_on.isoformat()})
        return str(_("Overdue")) if self.is_overdue else str(_("Open"))


# ---- street pulse (街情气象站) ------------------------------------------------------------------


class PulseBoard(TimeStampedModel):
    """A street-pulse page for an area or a council: its link is on posters in the shops."""

    name = models.CharField(_("name"), max_length=100)
    token = models.SlugField(_("token"), max_length=32, unique=True, editable=False)
    region = models.ForeignKey(
        "areas.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    council = models.ForeignKey(
        Council,
        verbose_name=_("council"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pulse_boards",
    )
    intro = models.TextField(_("introduction"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"

    class Meta:
        verbose_name = _("street-pulse board")
        verbose_name_plural = _("street-pulse boards")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.token:
            self.token = secrets.token_urlsafe(12)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("councils:board_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("pulse:board", args=[self.token])


class TopicState(models.TextChoices):
    OPEN = "open", _("Collecting votes")
    ON_AGENDA = "on_agenda", _("On an agenda")
    DECIDED = "decided", _("Decided")


class PulseTopic(EncryptedPhoneMixin, TimeStampedModel):
    """An issue a shop or a worker posted on the street pulse; others vote for it."""

    board = models.ForeignKey(
        PulseBoard, verbose_name=_("board"), on_delete=models.PROTECT, related_name="topics"
    )
    title = models.CharField(_("title"), max_length=60)
    text = models.TextField(_("what it is about"), max_length=1000)
    author_name = models.CharField(_("signed"), max_length=30, blank=True)
    phone_encrypted = models.TextField(editable=False, blank=True)
    phone_hash = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    consent_text = models.TextField(_("consent text"), blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=TopicState.choices, default=TopicState.OPEN
    )
    votes = models.PositiveIntegerField(_("votes"), default=0)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(_("why hidden"), max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A public submission's fingerprint: the same post sent twice makes one topic.
    submission_key = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["phone_encrypted", "phone_hash", "votes"])
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "board__region__path"
    column_labels = {"is_hidden": _("hidden")}

    class Meta:
        verbose_name = _("street-pulse topic")
        verbose_name_plural = _("street-pulse topics")
        ordering = ["-votes", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~Q(submission_key=""),
                name="pulse_topic_unique_submission",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("councils:topic_detail", args=[self.pk])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PulseVote(models.Model):
    """One browser's vote for a topic: the browser is known by a signed cookie, kept hashed."""

    topic = models.ForeignKey(PulseTopic, on_delete=models.CASCADE, related_name="vote_records")
    device = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("street-pulse vote")
        verbose_name_plural = _("street-pulse votes")
        constraints = [
            models.UniqueConstraint(fields=["topic", "device"], name="pulse_vote_once_per_device")
        ]

    def __str__(self) -> str:
        return f"{self.topic_id}:{self.device[:8]}"
