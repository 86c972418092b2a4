"""Sending: retries with growing waits, giving up, the lease that survives a crash."""

import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiequ.outbox import dispatch
from jiequ.outbox.adapters import PermanentError, SendResult, TemporaryError
from jiequ.outbox.models import MessageState, OutboxMessage
from jiequ.outbox.services import enqueue


class Flaky:
    """A test adapter: fails with the errors queued in `plan`, then sends."""

    plan: list = []
    sent: list = []

    def send(self, message):
        if Flaky.plan:
            raise Flaky.plan.pop(0)
        Flaky.sent.append(message.idempotency_key)
        return SendResult(reference=f"ref-{message.pk}")


@pytest.fixture
def flaky(settings):
    settings.JIEQU_OUTBOX_ADAPTERS = {"notice": "tests.test_outbox_dispatch.Flaky"}
    settings.JIEQU_OUTBOX_SEND_ON_COMMIT = False
    settings.JIEQU_OUTBOX_MAX_ATTEMPTS = 3
    settings.JIEQU_OUTBOX_BACKOFF_BASE = 60
    settings.JIEQU_OUTBOX_BACKOFF_MAX = 3600
    Flaky.plan, Flaky.sent = [], []
    return Flaky


def _make(key="notice:1"):
    return enqueue("notice", "someone", "提醒", {"text": "hello"}, key)


def _make_due(message):
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_backoff_doubles_with_jitter_and_is_capped(settings):
    settings.JIEQU_OUTBOX_BACKOFF_BASE = 60
    settings.JIEQU_OUTBOX_BACKOFF_MAX = 600
    rng = random.Random(1)
    for attempt, full in [(1, 60), (2, 120), (3, 240), (4, 480), (5, 600), (9, 600)]:
        waits = [dispatch.backoff_seconds(attempt, rng) for _ in range(50)]
        assert all(full / 2 <= w <= full for w in waits)
        assert len({round(w, 3) for w in waits}) > 1  # jitter: not all the same


def test_temporary_failure_waits_then_sends(db, flaky):
    message = _make()
    flaky.plan = [TemporaryError("平台繁忙")]
    assert dispatch.run_once() == {"failed": 1}
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert message.attempts == 1 and message.last_error == "平台繁忙"
    wait = (message.next_attempt_at - timezone.now()).total_seconds()
    assert 25 <= wait <= 60
    # Not due yet: the next round leaves it alone.
    assert dispatch.run_once() == {}
    _make_due(message)
    assert dispatch.run_once() == {"sent": 1}
    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.response_reference.startswith("ref-")
    assert message.last_error == "" and message.next_attempt_at is None
    tries = list(message.tries.values_list("number", "outcome", "error"))
    assert tries == [(1, "retry", "平台繁忙"), (2, "sent", "")]


def test_gives_up_after_the_maximum_and_keeps_every_error(db, flaky):
    message = _make()
    flaky.plan = [TemporaryError(f"失败{i}") for i in range(1, 5)]
    for _ in range(3):
        _make_due(message)
        dispatch.run_once()
    message.refresh_from_db()
    assert message.state == MessageState.DEAD and message.attempts == 3
    assert message.next_attempt_at is None
    assert list(message.tries.values_list("error", flat=True)) == ["失败1", "失败2", "失败3"]
    # A dead message is never picked again by itself, nor deleted.
    _make_due(message)
    assert dispatch.run_once() == {}
    assert OutboxMessage.objects.filter(pk=message.pk).exists()


def test_refusal_gives_up_at_once(db, flaky):
    message = _make()
    flaky.plan = [PermanentError("格式错误")]
    dispatch.run_once()
    message.refresh_from_db()
    assert message.state == MessageState.DEAD and message.attempts == 1
    assert message.last_error == "格式错误"


def test_an_adapter_bug_is_recorded_and_retried(db, flaky):
    message = _make()
    flaky.plan = [KeyError("number")]
    dispatch.run_once()
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert "KeyError" in message.last_error


def test_retry_now_gives_a_dead_message_new_tries(db, flaky, users):
    message = _make()
    flaky.plan = [PermanentError("拒收")]
    dispatch.run_once()
    assert dispatch.retry_now(message, user=users.admin) == MessageState.SENT
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert message.history.filter(history_change_reason="立即重试").exists()
    with pytest.raises(dispatch.RetryRefused) as refused:
        dispatch.retry_now(message)
    assert "已发送" in refused.value.message


def test_a_claimed_message_is_not_taken_twice_until_its_lease_ends(db, flaky):
    message = _make()
    assert dispatch.claim_due() == [message.pk]
    assert dispatch.claim_due() == []  # held by the first worker
    message.refresh_from_db()
    assert message.state == MessageState.SENDING
    # The first worker died; once the lease is over another one takes the message.
    later = timezone.now() + timedelta(seconds=301)
    assert dispatch.claim_due(now=later) == [message.pk]
    message.refresh_from_db()
    assert message.attempts == 2


def test_batch_limit_and_order(db, flaky):
    messages = [_make(f"notice:{i}") for i in range(5)]
    claimed = dispatch.claim_due(limit=2)
    assert claimed == [messages[0].pk, messages[1].pk]


def test_command_once(db, flaky):
    _make("notice:a")
    _make("notice:b")
    flaky.plan = [TemporaryError("x")]
    out = call_command("send_outbox")
    assert "已发送 sent 1" in out and "待重试 will retry 1" in out


def test_worker_loop_stops_when_asked(db, flaky):
    _make()
    rounds = []

    def stop():
        rounds.append(1)
        return len(rounds) > 2

    dispatch.run_forever(interval=0, should_stop=stop)
    assert OutboxMessage.objects.get().state == MessageState.SENT


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_take_the_same_message(settings):
    """PostgreSQL: SKIP LOCKED lets two workers share the queue without sending twice."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    settings.JIEQU_OUTBOX_SEND_ON_COMMIT = False
    for i in range(40):
        enqueue("notice", "someone", "提醒", {}, f"notice:race:{i}")
    barrier = threading.Barrier(2)
    claimed: list[list[int]] = []

    def worker():
        try:
            barrier.wait()
            claimed.append(dispatch.claim_due(limit=25))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = claimed[0] + claimed[1]
    assert len(everything) == len(set(everything)) == 40
