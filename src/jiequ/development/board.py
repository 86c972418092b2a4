"""The pipeline board of a branch, and reading many applications' progress at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.db.models import prefetch_related_objects
from django.utils import timezone

from . import procedure
from .models import Application, Stage

OPEN = procedure.OPEN_STAGES


def with_progress(
    queryset: models.QuerySet | Iterable[Application], today: date | None = None
) -> list[Application]:
    """The applications with their steps loaded and `progress` worked out (one rule look-up per
    region and key, a handful of queries in all)."""
    if isinstance(queryset, models.QuerySet):
        queryset = queryset.select_related("organisation__region", "member").prefetch_related(
            "steps"
        )
    applications = list(queryset)
    prefetch_related_objects(applications, "steps")
    book = procedure.RuleBook()
    today = today or timezone.localdate()
    for application in applications:
        application._rule_book = book
        application.progress = procedure.progress(application, today=today, book=book)
    return applications


@dataclass
class Column:
    key: str
    label: Any
    cards: list[Application] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for a in self.cards if a.progress.overdue)


def _card_order(application: Application) -> tuple:
    found = application.progress.due
    return (
        not application.progress.overdue,
        found.on if found else date.max,
        application.name,
    )


def build_board(queryset: models.QuerySet, today: date | None = None) -> list[Column]:
    """Columns applicant / activist / candidate / probationary / full this year."""
    from django.utils.translation import gettext_lazy as _

    today = today or timezone.localdate()
    columns = {stage: Column(stage, label) for stage, label in Stage.choices if stage in OPEN}
    full = Column("full", _("Full members this year"))
    open_or_recent = queryset.filter(stage__in=OPEN) | queryset.filter(
        stage=Stage.FULL, steps__number=24, steps__done_on__year=today.year
    )
    for application in with_progress(open_or_recent.distinct(), today):
        if application.stage == Stage.FULL:
            full.cards.append(application)
        else:
            columns[application.stage].cards.append(application)
    for column in columns.values():
        column.cards.sort(key=_card_order)
    full.cards.sort(key=lambda a: (-a.progress.done[24].done_on.toordinal(), a.name))
    return [*columns.values(), full]
