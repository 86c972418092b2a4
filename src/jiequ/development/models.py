"""Applications to join the Party, followed through the official 25-step procedure.

The steps, their stages and the intervals between them are in jiequ.development.procedure;
the numbers come from jiequ.party.rules.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jiequ.core.models import EncryptedPhoneMixin, TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVIST = "activist", _("Activist")
    CANDIDATE = "candidate", _("Development candidate")
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")
    STOPPED = "stopped", _("Stopped")


class Application(EncryptedPhoneMixin, TimeStampedModel):
    """A person who handed in an application to join, with their consent to be recorded."""

    name = models.CharField(_("name"), max_length=50)
    birth_date = models.DateField(_("date of birth"))
    phone_encrypted = models.TextField(editable=False, blank=True)
    phone_hash = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    workplace = models.ForeignKey(
        "ledger.Entity",
        verbose_name=_("workplace"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_applications",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.APPLICANT
    )
    probation_extension_months = models.PositiveSmallIntegerField(
        _("probation extended by (months)"), default=0
    )
    probation_extension_reason = models.CharField(
        _("why probation was extended"), max_length=200, blank=True
    )
    stopped_reason = models.CharField(_("reason stopped"), max_length=200, blank=True)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    stopped_stage = models.CharField(
        _("stage when stopped"), max_length=20, choices=Stage.choices, blank=True
    )
    consent_at = models.DateTimeField(_("consent given at"))
    consent_text = models.TextField(_("consent wording"), blank=True)
    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("member record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )

    history = HistoricalRecords(excluded_fields=["phone_encrypted", "phone_hash"])
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "organisation__region__path"
    scope_organisation_lookup = "organisation"

    # Computed columns for lists and exports (see jiequ.core.columns).
    column_labels = {
        "name": _("full name"),
        "phone_masked": _("phone"),
        "applied_on": _("applied on"),
        "next_step_label": _("next step"),
        "next_due_label": _("next step due"),
        "overdue_label": _("overdue"),
    }

    class Meta:
        verbose_name = _("application to join")
        verbose_name_plural = _("applications to join")
        ordering = ["organisation", "stage", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("development:application_detail", args=[self.pk])

    @cached_property
    def progress(self):  # -> jiequ.development.procedure.Progress
        """Where the application stands today (next step, its due date, late flags)."""
        from . import procedure

        return procedure.progress(self, book=getattr(self, "_rule_book", None))

    @property
    def applied_on(self):
        step = self.progress.done.get(1)
        return step.done_on if step else None

    @property
    def next_step_label(self) -> str:
        step = self.progress.next_step
        return f"{step.number}. {step.name}" if step else ""

    @property
    def next_due_label(self) -> str:
        due = self.progress.due
        return str(due) if due else ""

    @property
    def overdue_label(self) -> str:
        return str(_("overdue")) if self.progress.overdue else ""


class ApplicationStep(TimeStampedModel):
    """One of the 25 steps, done on a date."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="steps"
    )
    number = models.PositiveSmallIntegerField(_("step"))
    done_on = models.DateField(_("done on"))
    people = models.CharField(
        _("people"),
        max_length=200,
        blank=True,
        help_text=_("Trainers, introducers or the person who talked, as the step needs."),
    )
    note = models.TextField(_("note"), blank=True)
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
    scope_lookup = "application__organisation__region__path"
    scope_organisation_lookup = "application__organisation"

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="step_once")]

    def __str__(self) -> str:
        return f"{self.application} {self.number}"
