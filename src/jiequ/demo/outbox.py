"""The demo's demand codes and hand-offs (run after jiequ.demo.cases.build_cases).

- every operating street shop of the subdistrict gets its demand code (the QR code on its
  contact card), for the branch covering it; the demo's QR-code cases of a shop name its code;
- every case the demo sent up to the district has its hand-off in the outbox, sent with the
  platform's number; about one in twelve needed two or three tries because the platform was
  down or busy that day (the failed tries and their errors are kept).

Deterministic from `rng`; bulk_create, well under a second.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count

from jiequ.areas.models import Region
from jiequ.cases.handoff import PLATFORM_NAME, idempotency_key, payload
from jiequ.cases.models import Case, CaseEvent, DemandCode, Level, Source
from jiequ.ledger.models import Entity, EntityState
from jiequ.outbox.models import (
    Channel,
    MessageState,
    OutboxAttempt,
    OutboxMessage,
    Outcome,
)

ERRORS = [
    "无法连接区城运平台：[Errno 111] Connection refused",
    "区城运平台在 10 秒内没有响应。",
    "区城运平台返回 HTTP 503：Service Unavailable",
    "区城运平台返回 HTTP 502：Bad Gateway",
]


@dataclass
class OutboxSummary:
    codes: int = 0
    coded_cases: int = 0
    handoffs: int = 0
    retried: int = 0


def _token(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.randbytes(12)).decode().rstrip("=")


def build_demand_codes(subdistrict: Region, rng: random.Random) -> tuple[int, int]:
    """One code per operating street shop; the shop's QR-code cases point at it."""
    from jiequ.cases.services import COVERAGE_PREFERENCE
    from jiequ.party.models import CoverageLink

    shops = list(
        Entity.objects.filter(
            region__path__startswith=subdistrict.path,
            is_street_shop=True,
            state=EntityState.OPERATING,
        )
        .exclude(demand_codes__is_active=True)
        .order_by("pk")
    )
    branch: dict[int, tuple[int, int]] = {}
    for link in CoverageLink.objects.filter(
        entity__in=shops, organisation__dissolved_on__isnull=True
    ).values("entity_id", "organisation_id", "kind", "pk"):
        rank = (
            COVERAGE_PREFERENCE.index(link["kind"]) if link["kind"] in COVERAGE_PREFERENCE else 99
        )
        best = branch.get(link["entity_id"])
        if best is None or (rank, link["pk"]) < best[1:]:
            branch[link["entity_id"]] = (link["organisation_id"], rank, link["pk"])
    codes = DemandCode.objects.bulk_create(
        [
            DemandCode(
                token=_token(rng),
                entity=shop,
                region_id=shop.region_id,
                organisation_id=branch[shop.pk][0] if shop.pk in branch else None,
            )
            for shop in shops
        ],
        batch_size=500,
    )
    by_entity = {c.entity_id: c.pk for c in codes}
    cases = list(
        Case.objects.filter(source=Source.QR, entity_id__in=by_entity, code__isnull=True).only(
            "pk", "entity_id"
        )
    )
    for case in cases:
        case.code_id = by_entity[case.entity_id]
    Case.objects.bulk_update(cases, ["code"], batch_size=500)
    return len(codes), len(cases)


def build_handoffs(subdistrict: Region, rng: random.Random) -> tuple[int, int]:
    """The outbox messages of the demo's escalations to the district, as sent."""
    cases = (
        Case.objects.filter(
            region__path__startswith=subdistrict.path, escalated_to_district_at__isnull=False
        )
        .select_related("category", "category__parent", "entity", "region")
        .annotate(n_photos=Count("photos"))
        .order_by("escalated_to_district_at", "pk")
    )
    ups = {
        e.case_id: e
        for e in CaseEvent.objects.filter(
            case__in=cases, action="escalate", to_level=Level.DISTRICT
        ).order_by("at", "pk")
    }
    existing = set(
        OutboxMessage.objects.filter(channel=Channel.DISTRICT).values_list(
            "idempotency_key", flat=True
        )
    )
    subdistrict_name = subdistrict.name
    messages, tries = [], []
    retried = 0
    for case in cases:
        event = ups.get(case.pk)
        key = idempotency_key(case, event) if event is not None else f"district:{case.number}:1"
        if key in existing:
            continue
        data = payload(case, event)
        data["subdistrict"] = subdistrict_name
        sent_at = case.escalated_to_district_at + timedelta(seconds=rng.randint(1, 20))
        failures = rng.choice([1, 2]) if rng.random() < 0.08 else 0
        if failures:
            retried += 1
        attempts = []
        at = case.escalated_to_district_at
        for i in range(failures):
            attempts.append((at, Outcome.RETRY, rng.choice(ERRORS), ""))
            at += timedelta(seconds=60 * 2**i * rng.uniform(0.5, 1))
        sent_at = max(sent_at, at)
        attempts.append((sent_at, Outcome.SENT, "", case.district_reference))
        messages.append(
            OutboxMessage(
                channel=Channel.DISTRICT,
                recipient=PLATFORM_NAME,
                subject=f"{case.number} {case.title}"[:200],
                payload=data,
                idempotency_key=key,
                state=MessageState.SENT,
                attempts=len(attempts),
                sent_at=sent_at,
                response_reference=case.district_reference,
                region_id=case.region_id,
                case=case,
            )
        )
        tries.append(attempts)
    saved = OutboxMessage.objects.bulk_create(messages, batch_size=500)
    OutboxAttempt.objects.bulk_create(
        [
            OutboxAttempt(
                message=message,
                number=i,
                started_at=at,
                finished_at=at + timedelta(milliseconds=rng.randint(80, 900)),
                outcome=outcome,
                error=error,
                reference=reference,
            )
            for message, attempts in zip(saved, tries, strict=True)
            for i, (at, outcome, error, reference) in enumerate(attempts, start=1)
        ],
        batch_size=1000,
    )
    # created_at is auto_now_add: put each message at its escalation, as if it was then.
    for message in saved:
        message.created_at = message.case.escalated_to_district_at
        message.updated_at = message.sent_at
    OutboxMessage.objects.bulk_update(saved, ["created_at", "updated_at"], batch_size=500)
    return len(saved), retried


def build_outbox(subdistrict: Region, rng: random.Random) -> OutboxSummary:
    codes, coded = build_demand_codes(subdistrict, rng)
    handoffs, retried = build_handoffs(subdistrict, rng)
    return OutboxSummary(codes=codes, coded_cases=coded, handoffs=handoffs, retried=retried)


def clear_outbox() -> None:
    """For the demo's reset: messages first (they name cases and regions)."""
    OutboxAttempt.objects.all().delete()
    OutboxMessage.history.all().delete()
    OutboxMessage.objects.all().delete()
    DemandCode.objects.all().delete()
