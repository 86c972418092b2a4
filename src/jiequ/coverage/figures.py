"""Home-page figures of coverage; each links to the list behind it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from . import blindspots, rates


def home_figures(user: Any) -> list[tuple[str, Any, str]]:
    """The official coverage ratio, the share covered in any way, and each blind spot's count."""
    if not user.has_perm("ledger.view_entity"):
        return []
    from .views_coverage import blind_spot_url, entity_list_url

    entities = rates.scoped_entities(user)
    total = rates.category_rates(entities)[0].tally
    figures: list[tuple[str, Any, str]] = [
        (
            _("official coverage ratio"),
            rates.percent(total.official_ratio),
            entity_list_url(state="operating", non_public="true", coverage="official"),
        ),
        (
            _("share covered in any way"),
            rates.percent(total.covered_share),
            entity_list_url(state="operating", coverage="covered"),
        ),
    ]
    for spot in blindspots.SPOTS:
        figures.append(
            (str(spot.title), blindspots.count(spot.key, entities), blind_spot_url(spot.key))
        )
    return figures
