"""The district adapter against a fake platform on loopback: down, failing, slow, refusing,
and a crash between sending and recording, never making a second case on the platform."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiequ.outbox import dispatch
from jiequ.outbox.models import MessageState, OutboxMessage
from jiequ.outbox.services import enqueue
from tests.fake_district import FakeDistrict


@pytest.fixture
def platform(settings):
    settings.JIEQU_OUTBOX_SEND_ON_COMMIT = False
    settings.JIEQU_DISTRICT_PLATFORM_TOKEN = "platform-secret"
    settings.JIEQU_DISTRICT_PLATFORM_TIMEOUT = 1
    settings.JIEQU_OUTBOX_MAX_ATTEMPTS = 5
    with FakeDistrict(token="platform-secret") as fake:
        settings.JIEQU_DISTRICT_PLATFORM_URL = fake.url
        yield fake


def _handoff(key="district:SM001:1"):
    return enqueue("district", "区城运平台", "SM001 占道经营", {"number": "SM001"}, key)


def _later(message, seconds=1):
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_sent_with_token_and_idempotency_key(db, platform):
    message = _handoff()
    assert dispatch.run_once() == {"sent": 1}
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert message.response_reference == "CY202600001"
    request = platform.requests[0]
    assert request["auth"] == "Bearer platform-secret"
    assert request["key"] == "district:SM001:1"
    assert platform.case_numbers() == ["SM001"]


def test_platform_down_then_back_goes_through_exactly_once(db, platform):
    message = _handoff()
    platform.down()
    dispatch.run_once()
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert "无法连接区城运平台" in message.last_error
    assert message.next_attempt_at > timezone.now()
    _later(message)
    dispatch.run_once()
    message.refresh_from_db()
    assert message.state == MessageState.FAILED and message.attempts == 2
    platform.up()
    _later(message)
    assert dispatch.run_once() == {"sent": 1}
    _later(message)
    assert dispatch.run_once() == {}
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert platform.case_numbers() == ["SM001"]
    assert [t.outcome for t in message.tries.all()] == ["retry", "retry", "sent"]


@pytest.mark.parametrize("status", [500, 502, 503, 429, 408])
def test_server_errors_and_throttling_are_retried(db, platform, status):
    message = _handoff()
    platform.fail(status)
    dispatch.run_once()
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert f"HTTP {status}" in message.last_error


@pytest.mark.parametrize("status", [400, 404, 422])
def test_a_refusal_is_given_up_with_the_error(db, platform, status):
    message = _handoff()
    platform.fail(status)
    dispatch.run_once()
    message.refresh_from_db()
    assert message.state == MessageState.DEAD
    assert f"区城运平台拒收转办（HTTP {status}）" in message.last_error
    assert "forced failure" in message.last_error


def test_wrong_token_is_given_up(db, platform, settings):
    settings.JIEQU_DISTRICT_PLATFORM_TOKEN = "wrong"
    message = _handoff()
    dispatch.run_once()
    message.refresh_from_db()
    assert message.state == MessageState.DEAD and "HTTP 401" in message.last_error


def test_slow_platform_is_a_timeout_and_retried(db, platform, settings):
    settings.JIEQU_DISTRICT_PLATFORM_TIMEOUT = 0.3
    platform.slow(1.0)
    message = _handoff()
    dispatch.run_once()
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert "秒内没有响应" in message.last_error


def test_gives_up_after_the_maximum_while_down(db, platform, settings):
    settings.JIEQU_OUTBOX_MAX_ATTEMPTS = 3
    platform.down()
    message = _handoff()
    for _ in range(3):
        _later(message)
        dispatch.run_once()
    message.refresh_from_db()
    assert message.state == MessageState.DEAD and message.tries.count() == 3
    # Still there, with the error, to be retried by a person.
    platform.up()
    assert dispatch.retry_now(message) == MessageState.SENT
    assert platform.case_numbers() == ["SM001"]


def test_crash_after_sending_does_not_make_a_second_case(db, platform, monkeypatch):
    message = _handoff()
    real_mark_sent = dispatch.mark_sent

    def crash(*args, **kwargs):
        raise SystemExit("worker killed after the platform took the case")

    monkeypatch.setattr(dispatch, "mark_sent", crash)
    with pytest.raises(SystemExit):
        dispatch.run_once()
    message.refresh_from_db()
    assert message.state == MessageState.SENDING  # nobody recorded the outcome
    assert platform.case_numbers() == ["SM001"]
    # Another worker, once the lease is over, sends it again with the same key.
    monkeypatch.setattr(dispatch, "mark_sent", real_mark_sent)
    assert dispatch.run_once() == {}  # lease still running
    assert dispatch.run_once(now=timezone.now() + timedelta(seconds=301)) == {"sent": 1}
    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.response_reference == "CY202600001"
    assert len(platform.requests) == 2
    assert {r["key"] for r in platform.requests} == {"district:SM001:1"}
    assert platform.case_numbers() == ["SM001"]


def test_not_configured_waits_visibly_without_using_tries(db, settings):
    settings.JIEQU_OUTBOX_SEND_ON_COMMIT = False
    settings.JIEQU_DISTRICT_PLATFORM_URL = ""
    message = _handoff()
    dispatch.run_once()
    message.refresh_from_db()
    assert message.state == MessageState.PENDING and message.attempts == 0
    assert "JIEQU_DISTRICT_PLATFORM_URL" in message.last_error
    assert message.tries.count() == 0
