"""Home-page figures of applications; each links to the list it counts."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from . import board
from .models import Application, Stage


def home_figures(user: Any) -> list[tuple[str, int, str]]:
    if not user.has_perm("development.view_application"):
        return []
    applications = Application.objects.restrict(user)
    url = reverse("development:application_list")
    counts = {
        row["stage"]: row["n"]
        for row in applications.filter(stage__in=board.OPEN)
        .order_by()
        .values("stage")
        .annotate(n=Count("pk"))
    }
    labels = {
        Stage.APPLICANT: _("applicants to join"),
        Stage.ACTIVIST: _("activists"),
        Stage.CANDIDATE: _("development candidates"),
        Stage.PROBATIONARY: _("probationary members in development"),
    }
    figures = [
        (labels[stage], counts.get(stage, 0), f"{url}?stage={stage}") for stage in board.OPEN
    ]
    overdue = sum(
        1
        for a in board.with_progress(applications.filter(stage__in=board.OPEN))
        if a.progress.overdue
    )
    figures.append((_("application steps overdue"), overdue, f"{url}?overdue=true"))
    return figures
