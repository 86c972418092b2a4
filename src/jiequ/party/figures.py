"""Home-page figures of Party organisations; each links to the list it counts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from . import checks
from .models import Organisation


def home_figures(user: Any) -> list[tuple[str, int, str]]:
    if not user.has_perm("party.view_organisation"):
        return []
    organisations = Organisation.objects.restrict(user)
    active = organisations.filter(dissolved_on__isnull=True)
    url = reverse("party:organisation_list")
    flags = checks.flags(active)
    return [
        (_("Party organisations"), active.count(), f"{url}?active=true"),
        (
            _("organisations with rule findings"),
            sum(1 for flag in flags.values() if flag),
            f"{url}?active=true&flag=any",
        ),
        (
            _("terms ending soon"),
            checks.ending_soon(organisations).count(),
            f"{url}?term=ending",
        ),
        (_("terms overdue"), checks.overdue(organisations).count(), f"{url}?term=overdue"),
    ]
