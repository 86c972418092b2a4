"""Home-page figures of organisational life; each links to the list it counts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core.scoping import restrict
from jiequ.party.models import Organisation

from .compliance import add_months, compliance, month_start
from .models import Course, Meeting


def home_figures(user: Any) -> list[tuple[str, int, str]]:
    figures: list[tuple[str, int, str]] = []
    today = timezone.localdate()
    this_month = month_start(today)
    if user.has_perm("life.view_meeting"):
        last_month = add_months(this_month, -1)
        organisations = restrict(Organisation.objects.all(), user)
        table = compliance(organisations, [last_month], today=today)
        month = f"{last_month:%Y-%m}"
        figures.append(
            (
                _("organisations with meetings missing last month"),
                len(table.with_missing_in(last_month)),
                reverse("life:compliance") + f"?end={month}&missing_in={month}",
            )
        )
        meetings = restrict(Meeting.objects.all(), user).filter(
            held_on__gte=this_month, held_on__lt=add_months(this_month, 1)
        )
        figures.append(
            (
                _("meetings this month"),
                meetings.count(),
                reverse("life:meeting_list") + f"?month={this_month:%Y-%m}",
            )
        )
    if user.has_perm("life.view_course"):
        courses = restrict(Course.objects.all(), user).filter(starts_on__year=today.year)
        figures.append(
            (
                _("courses this year"),
                courses.count(),
                reverse("life:course_list") + f"?year={today.year}",
            )
        )
    return figures
