"""Escalating a case to the district platform puts one hand-off in the outbox, sent after the
commit; while the platform is down the escalation still stands and the hand-off waits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiequ.cases import handoff, workflow
from jiequ.cases.models import Case, CaseCategory, Level, Source
from jiequ.cases.services import create_case
from jiequ.outbox import dispatch
from jiequ.outbox.models import MessageState, OutboxMessage
from tests.fake_district import FakeDistrict


@pytest.fixture
def platform(settings):
    settings.JIEQU_DISTRICT_PLATFORM_TOKEN = "platform-secret"
    settings.JIEQU_DISTRICT_PLATFORM_TIMEOUT = 1
    with FakeDistrict(token="platform-secret") as fake:
        settings.JIEQU_DISTRICT_PLATFORM_URL = fake.url
        yield fake


def grid_case(world, **extra) -> Case:
    case, _ = create_case(
        source=Source.STAFF,
        category=CaseCategory.objects.get(code="E02"),
        title="夜间占道经营",
        description="石门二路北段夜市摊位占用人行道，网格会商后仍需区级执法。",
        region=world.grid_sw,
        level=Level.GRID,
        **extra,
    )
    return case


def escalate(case, user):
    return workflow.apply(
        case,
        "escalate",
        user=user,
        reason="需要区城管执法大队联合整治",
        tried="网格会商两次，街道城管中队劝离三次",
    )


def test_escalation_sends_the_case_once(world, users, platform, django_capture_on_commit_callbacks):
    case = grid_case(world)
    with django_capture_on_commit_callbacks(execute=True):
        escalate(case, users.staff)
    message = OutboxMessage.objects.get()
    assert message.channel == "district" and message.case == case
    assert message.idempotency_key == f"district:{case.number}:1"
    assert message.state == MessageState.SENT
    case.refresh_from_db()
    assert case.level == Level.DISTRICT and case.district_reference == "CY202600001"
    sent = platform.cases[message.idempotency_key]["payload"]
    assert sent["number"] == case.number
    assert sent["tried"] == "网格会商两次，街道城管中队劝离三次"
    assert sent["reason"] == "需要区城管执法大队联合整治"
    assert sent["answer_to"] == f"/api/platform/cases/{case.number}/answer/"
    assert sent["grid"]["name"] == "康定网格" and sent["subdistrict"] == "石门二路街道"


def test_reporter_phone_leaves_only_masked(world, users, platform):
    case = grid_case(world, reporter_name="王先生", phone="13812345678", consent_text="同意")
    escalate(case, users.staff)
    payload = OutboxMessage.objects.get().payload
    assert payload["reporter"] == {"name": "王先生", "phone": "138****5678"}
    assert "13812345678" not in str(payload)


def test_platform_down_keeps_the_escalation_and_the_message(
    world, users, platform, django_capture_on_commit_callbacks
):
    case = grid_case(world)
    platform.down()
    with django_capture_on_commit_callbacks(execute=True):
        escalate(case, users.staff)
    case.refresh_from_db()
    assert case.level == Level.DISTRICT and case.escalated_to_district_at is not None
    message = OutboxMessage.objects.get()
    assert message.state == MessageState.FAILED and "无法连接" in message.last_error
    assert list(handoff.handoff_messages(case)) == [message]
    platform.up()
    assert dispatch.run_once(now=timezone.now() + timedelta(hours=1)) == {"sent": 1}
    assert dispatch.run_once(now=timezone.now() + timedelta(days=1)) == {}
    case.refresh_from_db()
    assert case.district_reference == "CY202600001"
    assert platform.case_numbers() == [case.number]


def test_sent_up_again_after_a_return_is_a_new_hand_off(world, users, platform, settings):
    settings.JIEQU_DISTRICT_INBOUND_TOKEN = "in"
    case = grid_case(world)
    escalate(case, users.staff)
    workflow.apply(case, "return", actor_label="区城运平台", reason="属街道职责")
    escalate(case, users.staff)
    keys = list(OutboxMessage.objects.order_by("pk").values_list("idempotency_key", flat=True))
    assert keys == [f"district:{case.number}:1", f"district:{case.number}:2"]


def test_a_refused_escalation_leaves_no_message(world, users):
    case = grid_case(world)
    with pytest.raises(workflow.TransitionRefused):
        workflow.apply(case, "escalate", user=users.staff, reason="", tried="")
    assert not OutboxMessage.objects.exists()


def test_send_to_district_twice_for_one_event_is_one_message(world, users, settings):
    settings.JIEQU_DISTRICT_PLATFORM_URL = ""
    case = grid_case(world)
    case = escalate(case, users.staff)
    event = case.events.get(action="escalate")
    again = handoff.send_to_district(case, event)
    assert OutboxMessage.objects.count() == 1 and again.idempotency_key.endswith(":1")
