"""Road surveys (道路调研): a one-on-one visit of every shop on a road (or a chosen set of
entities) with a questionnaire, and the report the subdistrict puts on the table.

A survey keeps its own questionnaire (a list of questions, stored with it so later changes to the
default questions do not change what was asked). Each shop has one SurveyVisit: who visits it,
when, what they found, the answers keyed by question, and the demands raised (SurveyDemand), which
may become cases on the demands desk.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jiequ.core.models import TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet


class SurveyState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("survey state", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("survey state", "In progress")
    DONE = "done", _("Done")


class QuestionKind(models.TextChoices):
    CHOICE = "choice", _("One choice")
    MULTI = "multi", _("Several choices")
    YESNO = "yesno", _("Yes or no")
    NUMBER = "number", pgettext_lazy("question kind", "Number")
    TEXT = "text", _("Text")


class StateFound(models.TextChoices):
    """What the visitor found at the shop (the ledger's own states, limited to these three)."""

    OPERATING = "operating", _("Operating")
    CLOSED = "closed", _("Closed")
    MOVED = "moved", _("Moved away")


class Survey(TimeStampedModel):
    title = models.CharField(_("title"), max_length=100)
    region = models.ForeignKey(
        "areas.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="surveys",
        help_text=_("The subdistrict or area the survey belongs to."),
    )
    road = models.ForeignKey(
        "areas.Road",
        verbose_name=_("road"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        help_text=_("The road surveyed; empty for a chosen set of entities."),
    )
    purpose = models.TextField(pgettext_lazy("survey", "purpose"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # [{"key": "q1", "text": "…", "kind": "choice", "options": ["…", …]}, …]
    questions = models.JSONField(_("questionnaire"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=SurveyState.choices, default=SurveyState.PLANNED
    )
    author = models.ForeignKey(
        "accounts.User",
        verbose_name=pgettext_lazy("survey", "author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The authors' "what to change" (建议): edited on the report page, printed in the PDF.
    findings = models.TextField(_("findings"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"
    column_labels = {"progress": _("Visited")}
    # Visitors of a grid or an area read the subdistrict's survey they take part in.
    scope_includes_ancestors = True

    class Meta:
        verbose_name = _("road survey")
        verbose_name_plural = _("road surveys")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:survey_detail", args=[self.pk])

    @property
    def progress(self) -> str:
        """ "37/110" from the list's annotations (visited_count, visit_count)."""
        return f"{getattr(self, 'visited_count', '')}/{getattr(self, 'visit_count', '')}"


class SurveyVisit(TimeStampedModel):
    """One shop of a survey: its place in the walk, its visitor and what the visit found."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("road survey"), on_delete=models.CASCADE, related_name="visits"
    )
    entity = models.ForeignKey(
        "ledger.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="survey_visits",
    )
    # Walk order along the road: the odd side up, then the even side back (see plan.py).
    order = models.PositiveIntegerField(_("order"), default=0)
    visitor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("visitor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_visits",
    )
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    state_found = models.CharField(
        _("state found"), max_length=20, choices=StateFound.choices, blank=True
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
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
    scope_lookup = "entity__region__path"

    class Meta:
        verbose_name = _("survey visit")
        verbose_name_plural = _("survey visits")
        ordering = ["survey", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "entity"], name="survey_visit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.entity}"

    @property
    def is_visited(self) -> bool:
        return self.visited_on is not None

    def get_absolute_url(self) -> str:
        return reverse("surveys:visit", args=[self.survey_id, self.pk])


class SurveyDemand(models.Model):
    """A demand a shop raised on the visit; `case` when it went to the demands desk."""

    visit = models.ForeignKey(
        SurveyVisit,
        verbose_name=_("survey visit"),
        on_delete=models.CASCADE,
        related_name="demands",
    )
    category = models.ForeignKey(
        "cases.CaseCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.CharField(_("demand"), max_length=300)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_lookup = "visit__entity__region__path"

    class Meta:
        verbose_name = _("survey demand")
        verbose_name_plural = _("survey demands")
        ordering = ["visit", "pk"]

    def __str__(self) -> str:
        return self.text
