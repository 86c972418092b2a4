"""Home-page figures of service points and volunteers; each links to the list it counts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core.scoping import restrict

from . import pool
from .models import ServicePoint, Volunteer, VolunteerState


def home_figures(user: Any) -> list[tuple[str, int, str]]:
    figures: list[tuple[str, int, str]] = []
    if user.has_perm("volunteers.view_volunteer"):
        volunteers = restrict(Volunteer.objects.all(), user)
        month = f"{timezone.localdate():%Y-%m}"
        figures.append(
            (
                _("volunteers in the standing pool"),
                pool.pool_size(volunteers),
                reverse("volunteers:volunteer_list") + f"?pool_month={month}",
            )
        )
        pending = volunteers.filter(state=VolunteerState.PENDING).count()
        if pending:
            figures.append(
                (
                    _("volunteer sign-ups waiting for review"),
                    pending,
                    reverse("volunteers:volunteer_list") + "?state=pending",
                )
            )
    if user.has_perm("volunteers.view_servicepoint"):
        points = restrict(ServicePoint.objects.all(), user).filter(is_active=True)
        figures.append(
            (
                _("meal points and riders' stations"),
                points.count(),
                reverse("volunteers:point_list") + "?is_active=true",
            )
        )
    return figures
