"""The demo's demand codes and hand-offs, built on a small world (the full demo's builder
calls the same function after build_cases)."""

import random

import pytest

from jiequ.cases.models import Case, DemandCode, Level, Source
from jiequ.demo.outbox import build_outbox
from jiequ.outbox.models import MessageState, OutboxMessage
from tests.factories import CoverageLinkFactory, EntityFactory
from tests.test_cases_handoff import escalate, grid_case


@pytest.fixture
def small_demo(world, users, party, settings):
    settings.JIEQU_DISTRICT_PLATFORM_URL = ""
    shops = [
        EntityFactory(region=world.grid_sw, sign_name=f"店{i}", is_street_shop=True)
        for i in range(5)
    ]
    EntityFactory(region=world.grid_sw, sign_name="写字楼公司", is_street_shop=False)
    EntityFactory(region=world.other_grid, sign_name="邻街店", is_street_shop=True)
    CoverageLinkFactory(organisation=party.west, entity=shops[0], kind="area")
    qr_case = grid_case(world, entity=shops[0])
    Case.objects.filter(pk=qr_case.pk).update(source=Source.QR)
    sent = []
    for _ in range(12):
        case = grid_case(world)
        # The demo's cases are written directly: escalated, with the platform's number.
        Case.objects.filter(pk=case.pk).update(
            level=Level.DISTRICT,
            escalated_to_district_at=case.received_at,
            district_reference=f"JA{case.pk:05d}",
        )
        sent.append(case)
    already = escalate(grid_case(world), users.staff)  # went through the real outbox
    return world, shops, qr_case, sent, already


def test_codes_and_handoffs(small_demo):
    world, shops, qr_case, sent, already = small_demo
    summary = build_outbox(world.ours, random.Random(7))
    assert summary.codes == 5 and DemandCode.objects.count() == 5
    assert DemandCode.objects.get(entity=shops[0]).organisation.name == "江宁街区党支部"
    qr_case.refresh_from_db()
    assert qr_case.code.entity == shops[0]
    assert summary.handoffs == 12
    messages = OutboxMessage.objects.filter(case__in=sent)
    assert messages.count() == 12
    assert set(messages.values_list("state", flat=True)) == {MessageState.SENT}
    for message in messages.select_related("case"):
        assert message.response_reference == message.case.district_reference
        assert message.payload["number"] == message.case.number
        assert message.tries.last().outcome == "sent"
    # The escalation that went through the outbox is not doubled.
    assert OutboxMessage.objects.filter(case=already).count() == 1
    # Run again: nothing new.
    again = build_outbox(world.ours, random.Random(7))
    assert again.codes == 0 and again.handoffs == 0


def test_deterministic(small_demo):
    world = small_demo[0]
    build_outbox(world.ours, random.Random(3))
    tokens = sorted(DemandCode.objects.values_list("token", flat=True))
    DemandCode.objects.all().delete()
    build_outbox(world.ours, random.Random(3))
    assert sorted(DemandCode.objects.values_list("token", flat=True)) == tokens
