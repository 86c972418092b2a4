"""Demand codes (诉求码): the QR code on a shop's contact card that opens the public demand page.

One active code per shop (or per area for a code posted in a street or a building hall); the
demands posted through it go to the code's branch, else the branch covering the shop.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction

from .models import DemandCode


def code_for(
    *, entity: Any = None, region: Any = None, organisation: Any = None
) -> tuple[DemandCode, bool]:
    """The active code of a shop (or of an area when no shop), made on first use.

    Returns (code, created). A branch given for an existing code replaces the one it had.
    """
    if entity is None and region is None:
        raise ValueError("a demand code is for a shop or an area")
    if organisation is None and entity is not None:
        from .services import branch_for_entity

        organisation = branch_for_entity(entity)
    lookup: dict[str, Any] = (
        {"entity": entity} if entity is not None else {"entity": None, "region": region}
    )
    with transaction.atomic():
        existing = (
            DemandCode.objects.select_for_update()
            .filter(is_active=True, **lookup)
            .order_by("pk")
            .first()
        )
        if existing is not None:
            if organisation is not None and existing.organisation_id != organisation.pk:
                existing.organisation = organisation
                existing.save(update_fields=["organisation", "updated_at"])
            return existing, False
        code = DemandCode.objects.create(
            token=secrets.token_urlsafe(12),
            entity=entity,
            region=entity.region if entity is not None else region,
            organisation=organisation,
        )
        return code, True
