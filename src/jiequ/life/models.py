"""Organisational life: the regular meetings (三会一课), themed Party days, training, mentors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jiequ.core.models import TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet


class MeetingKind(models.TextChoices):
    GENERAL = "general", _("Branch general meeting")
    COMMITTEE = "committee", _("Branch committee meeting")
    GROUP = "group", _("Party group meeting")
    LECTURE = "lecture", _("Party lecture")
    THEMED_DAY = "themed_day", _("Themed Party day")


# Kept by name so a meeting can write one history record after its attendees are set.
_MEETING_HISTORY = HistoricalRecords(m2m_fields=["attendees"])


class Meeting(TimeStampedModel):
    organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    place = models.CharField(_("place"), max_length=100, blank=True)
    expected = models.PositiveSmallIntegerField(_("expected to attend"))
    attendees = models.ManyToManyField(
        "members.Member", verbose_name=_("attended"), related_name="meetings", blank=True
    )
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = _MEETING_HISTORY
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "organisation__region__path"
    scope_organisation_lookup = "organisation"
    column_labels = {"present": _("present")}

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_kind_display()} {self.held_on}"

    def get_absolute_url(self) -> str:
        return reverse("life:meeting_detail", args=[self.pk])

    def save_with_attendees(self, attendees: Iterable[Any], reason: str = "") -> None:
        """Save the meeting and set who attended, as one entry in its history."""
        created = self.pk is None
        self.skip_history_when_saving = True
        try:
            self.save()
            self.attendees.set(attendees)
        finally:
            del self.skip_history_when_saving
        if reason:
            self._change_reason = reason
        _MEETING_HISTORY.create_historical_record(self, "+" if created else "~")

    @property
    def present(self) -> int:
        """How many attended (a list annotates `attendee_count` to spare a query per row)."""
        count = getattr(self, "attendee_count", None)
        return self.attendees.count() if count is None else count


class CourseKind(models.TextChoices):
    COURSE = "course", _("Training course")
    HANDBOOK = "handbook", _("Secretary's handbook")
    STUDY = "study", _("Study session")


class Course(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CourseKind.choices)
    region = models.ForeignKey(
        "areas.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=0)
    place = models.CharField(_("place"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    attendees = models.ManyToManyField(
        "members.Member",
        verbose_name=_("attended"),
        through="CourseAttendance",
        related_name="courses",
        blank=True,
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"
    # Courses run by the subdistrict are open to the branches below it.
    scope_includes_ancestors = True
    column_labels = {"participants": _("participants")}

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("life:course_detail", args=[self.pk])

    @property
    def participants(self) -> int:
        count = getattr(self, "attendance_count", None)
        return self.attendance.count() if count is None else count


class CourseAttendance(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="course_attendance",
    )
    completed = models.BooleanField(_("completed"), default=True)

    # Who marked whom as attending, and who took them off again.
    history = HistoricalRecords()
    scope_lookup = "course__region__path"

    class Meta:
        verbose_name = _("course attendance")
        verbose_name_plural = _("course attendance")
        constraints = [
            models.UniqueConstraint(fields=["course", "member"], name="attend_course_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.course}"


class Mentorship(TimeStampedModel):
    """A renowned secretary mentoring a new one."""

    mentor = models.ForeignKey(
        "members.Member", verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="mentees"
    )
    mentee = models.ForeignKey(
        "members.Member", verbose_name=_("mentee"), on_delete=models.PROTECT, related_name="mentors"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "mentee__organisation__region__path"
    scope_organisation_lookup = "mentee__organisation"
    column_labels = {"mentor_note": _("note on the mentor")}

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"

    def get_absolute_url(self) -> str:
        return reverse("life:mentorship_list")

    @property
    def is_current(self) -> bool:
        from django.utils import timezone

        return self.ended_on is None or self.ended_on > timezone.localdate()

    @property
    def mentor_note(self) -> str:
        """A mentor is normally a serving secretary; say so when this one holds no such post.

        A list annotates `mentor_is_secretary` to spare a query per row.
        """
        is_secretary = getattr(self, "mentor_is_secretary", None)
        if is_secretary is None:
            from .training import current_secretary_posts

            is_secretary = current_secretary_posts().filter(member=self.mentor_id).exists()
        return "" if is_secretary else str(_("holds no current secretary post"))
