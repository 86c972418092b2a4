"""Putting messages in the outbox: one message per idempotency key, phones kept encrypted."""

import pytest

from jiequ.outbox.models import MessageState, OutboxMessage
from jiequ.outbox.services import enqueue


def test_the_same_key_twice_is_one_message(db):
    first = enqueue("notice", "someone", "会议提醒", {"text": "周三开会"}, "notice:meeting:1")
    again = enqueue("notice", "someone", "改过的标题", {"text": "不同"}, "notice:meeting:1")
    assert again.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    # The second call changes nothing.
    assert OutboxMessage.objects.get().subject == "会议提醒"
    assert first.state == MessageState.PENDING and first.attempts == 0
    assert first.next_attempt_at is not None


def test_unknown_channel_and_missing_key_are_refused(db):
    with pytest.raises(ValueError):
        enqueue("fax", "x", "s", {}, "k")
    with pytest.raises(ValueError):
        enqueue("notice", "x", "s", {}, "")


def test_notice_belongs_to_the_recipients_region(users):
    message = enqueue("notice", users.grid.username, "提醒", {}, "notice:grid:1")
    assert message.region == users.grid.scope_region


def test_sms_number_is_encrypted_and_shown_masked(db):
    message = enqueue("sms", "+8613812345678", "短信", {"text": "您的诉求已办结"}, "sms:1")
    assert message.recipient == "138****5678"
    assert "13812345678" not in message.recipient_encrypted
    history = message.history.first()
    assert not hasattr(history, "recipient_encrypted")


def test_saved_message_is_tried_once_the_transaction_commits(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue("notice", "someone", "提醒", {"text": "hello"}, "notice:commit:1")
        assert OutboxMessage.objects.get(pk=message.pk).state == MessageState.PENDING
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert message.sent_at is not None and message.attempts == 1
    assert message.tries.get().outcome == "sent"


def test_not_sent_on_commit_when_turned_off(db, settings, django_capture_on_commit_callbacks):
    settings.JIEQU_OUTBOX_SEND_ON_COMMIT = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue("notice", "someone", "提醒", {}, "notice:commit:2")
    assert callbacks == []
    assert OutboxMessage.objects.get().state == MessageState.PENDING
