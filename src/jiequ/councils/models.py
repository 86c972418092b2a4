"""Councils (议事载体): street councils, building councils, residents' committees, street-affairs
councils and the grid consultation, where cases the branch could not solve are deliberated."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jiequ.core.models import TimeStampedModel
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

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"

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
