"""Home-page figures of the ledger; each links to the list it counts."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Entity, MemberRegistration, RegistrationState


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
                _not_visited_count(user),
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


def _not_visited_count(user: Any) -> int:
    from .filtersets import EntityFilterSet

    filterset = EntityFilterSet({"not_visited": "true"}, queryset=Entity.objects.restrict(user))
    return filterset.qs.count()
