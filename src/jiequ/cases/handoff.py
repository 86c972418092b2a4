"""Sending a case up to the district city-operations platform (城运平台) through the outbox.

`cases.workflow` calls `send_to_district` inside the transaction that escalates the case, so
the hand-off message exists exactly when the escalation does; the outbox sends it after the
commit and keeps trying while the platform is down. The platform answers through
`POST /api/platform/cases/<number>/answer/` (jiequ.cases.api_platform).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jiequ.outbox.models import Channel, OutboxMessage
from jiequ.outbox.services import enqueue

from .models import Case, CaseEvent, Level

PLATFORM_NAME = "区城运平台"


def escalation_count(case: Case, event: CaseEvent | None = None) -> int:
    """How many times the case has been sent up to the district, counting `event`."""
    ups = CaseEvent.objects.filter(case=case, action="escalate", to_level=Level.DISTRICT)
    if event is not None and event.pk is not None:
        return ups.filter(pk__lte=event.pk).count()
    return ups.count() + (1 if event is not None else 0) or 1


def idempotency_key(case: Case, event: CaseEvent | None = None) -> str:
    """One key per sending-up: the same escalation sent twice is one case on the platform, and
    a case sent up again after the platform returned it is a new message."""
    return f"district:{case.number}:{escalation_count(case, event)}"


def payload(case: Case, event: CaseEvent | None = None) -> dict[str, Any]:
    """What the platform receives: the case as the subdistrict knows it, why it is sent up and
    what the levels below tried. The reporter's phone stays here (masked only): the platform
    asks the subdistrict when it needs to call them."""
    category = case.category
    grid = case.region
    subdistrict = grid.subdistrict if grid is not None else None
    return {
        "number": case.number,
        "escalation": escalation_count(case, event),
        "title": case.title,
        "description": case.description,
        "category": {
            "code": category.code,
            "name": category.name,
            "kind": category.kind,
            "parent": category.parent.name if category.parent_id else "",
        },
        "request_type": case.request_type,
        "source": case.source,
        "address": case.address or (case.entity.address if case.entity_id else ""),
        "lat": str(case.lat) if case.lat is not None else None,
        "lon": str(case.lon) if case.lon is not None else None,
        "entity": (
            {"name": case.entity.display_name, "credit_code": case.entity.credit_code}
            if case.entity_id
            else None
        ),
        "grid": {"code": grid.code, "name": grid.name, "path": grid.path},
        "subdistrict": subdistrict.name if subdistrict else "",
        "received_at": case.received_at.isoformat() if case.received_at else None,
        "escalated_at": (
            event.at.isoformat()
            if event is not None and event.at
            else (
                case.escalated_to_district_at.isoformat() if case.escalated_to_district_at else None
            )
        ),
        "reason": event.reason if event is not None else "",
        "tried": event.tried if event is not None else "",
        "urgent": case.is_urgent,
        "urgent_reason": case.urgent_reason,
        "photos": case.photos.count() if case.pk else 0,
        "reporter": (
            {"name": case.reporter_name, "phone": case.phone_masked} if case.consent_at else None
        ),
        "answer_to": reverse("api-platform-case-answer", args=[case.number]),
    }


def send_to_district(case: Case, event: CaseEvent | None = None) -> OutboxMessage:
    """Put the hand-off of `case` (escalated by `event`) in the outbox; idempotent per
    escalation. Call inside the escalating transaction."""
    return enqueue(
        Channel.DISTRICT,
        PLATFORM_NAME,
        f"{case.number} {case.title}",
        payload(case, event),
        idempotency_key(case, event),
        region=case.region,
        case=case,
    )


def handoff_messages(case: Case):
    """The case's hand-offs, newest first (for the case page: sent or still waiting)."""
    return case.outbox_messages.filter(channel=Channel.DISTRICT).order_by("-created_at", "-pk")
