"""Councils' figures for the home page: each links to the list behind it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core.scoping import restrict

from .models import Council, CouncilKind, PulseTopic, Task, TopicState
from .schedule import annotate_rhythm, rhythm_of_annotated


def home_figures(user: Any) -> list[tuple[str, int, str]]:
    figures: list[tuple[str, int, str]] = []
    today = timezone.localdate()
    if user.has_perm("councils.view_task"):
        overdue = restrict(Task.objects.all(), user).filter(done_on__isnull=True, due_on__lt=today)
        figures.append(
            (
                _("council tasks overdue"),
                overdue.count(),
                reverse("councils:task_list") + "?status=overdue",
            )
        )
    if user.has_perm("councils.view_councilmeeting"):
        grids = annotate_rhythm(restrict(Council.objects.filter(kind=CouncilKind.GRID), user))
        missed = sum(1 for c in grids if rhythm_of_annotated(c, today).missed)
        figures.append(
            (
                _("grid consultations missed"),
                missed,
                reverse("councils:council_list") + "?kind=grid&missed=true",
            )
        )
    if user.has_perm("councils.view_pulsetopic"):
        waiting = restrict(PulseTopic.objects.all(), user).filter(
            state=TopicState.OPEN, hidden_at__isnull=True
        )
        figures.append(
            (
                _("street-pulse topics collecting votes"),
                waiting.count(),
                reverse("councils:topic_list") + "?state=open&hidden=false",
            )
        )
    return figures
