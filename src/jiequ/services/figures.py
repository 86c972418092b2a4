"""Home-page figures of the supply system; each links to the list or page it counts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jiequ.core.scoping import restrict

from . import coverage as cov
from .filtersets import AGE_BUCKETS
from .models import Need, NeedState


def home_figures(user: Any) -> list[tuple[str, int, str]]:
    figures: list[tuple[str, int, str]] = []
    if user.has_perm("services.view_need"):
        needs = restrict(Need.objects.all(), user).filter(state=NeedState.OPEN)
        url = reverse("services:need_list")
        figures.append((_("open needs"), needs.count(), f"{url}?state=open"))
        oldest = AGE_BUCKETS[-1]
        buckets = {b.key: b.count for b in cov.open_need_buckets(user)}
        figures.append(
            (
                _("needs open %(label)s") % {"label": oldest[1]},
                buckets.get(oldest[0], 0),
                f"{url}?state=open&age={oldest[0]}",
            )
        )
    if user.has_perm("services.view_delivery"):
        start, end = cov.default_period()
        organisations, not_reached = cov.reach_counts(user, start, end)
        if organisations:
            figures.append(
                (
                    _("organisations that received no service in 12 months"),
                    not_reached,
                    reverse("services:coverage") + "?reached=no",
                )
            )
    return figures
