"""Home-page figures of the ledger; each links to the list it counts."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Entity, MemberRegistration, RegistrationState
from .rounds import not_visited_recently


def home_figures(user: Any) -> list[tuple[str, int, str]]:
    figures: list[tuple[str, int, str]] = []
    if user.has_perm("ledger.view_entity"):
        entities = Entity.objects.restrict(user)
        totals = entities.aggregate(workers=Sum("worker_count"), members=Sum("member_count"))
        url = reverse("ledger:entity_list")
        figures += [
            (_("market entities"), entities.count(), url),
            (
                _("street shops"),
                entities.filter(is_street_shop=True).count(),
                f"{url}?is_street_shop=true",
            ),
            (_("workers"), totals["workers"] or 0, url),
            (_("Party members"), totals["members"] or 0, f"{url}?has_members=true"),
            (
                _("not visited in the last two rounds"),
                not_visited_recently(entities).count(),
                f"{url}?not_visited=true",
            ),
        ]
    if user.has_perm("ledger.view_memberregistration"):
        figures.append(
            (
                _("sign-ups to review"),
                MemberRegistration.objects.restrict(user)
                .filter(state=RegistrationState.PENDING)
                .count(),
                reverse("ledger:registration_list") + "?state=pending",
            )
        )
    return figures
