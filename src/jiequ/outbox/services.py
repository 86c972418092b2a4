"""Putting a message in the outbox. Everything that leaves Jiequ goes through `enqueue`."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiequ.core import crypto
from jiequ.core.validators import mask_phone

from . import conf
from .models import Channel, OutboxMessage

log = logging.getLogger("jiequ.outbox")


def enqueue(
    channel: str,
    recipient: str,
    subject: str,
    payload: dict[str, Any],
    idempotency_key: str,
    *,
    region: Any = None,
    case: Any = None,
) -> OutboxMessage:
    """Save a message to send; the same `idempotency_key` again returns the message already
    saved (and changes nothing). Call it inside the transaction that makes the message
    necessary: the message exists exactly when that change does. Once committed, it is tried
    at once (JIEQU_OUTBOX_SEND_ON_COMMIT) and otherwise by `jiequ send_outbox`.

    channel: "notice" (recipient: a username), "sms" (recipient: an E.164 phone; stored
    encrypted, shown masked) or "district" (the city-operations platform).
    region / case: where the message belongs (staff see the messages of their region).
    """
    if channel not in Channel.values:
        raise ValueError(f"unknown outbox channel {channel!r}")
    if not idempotency_key or len(idempotency_key) > 120:
        raise ValueError("an idempotency key of 1 to 120 characters is required")
    existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    values: dict[str, Any] = {
        "channel": channel,
        "recipient": recipient[:150],
        "subject": subject[:200],
        "payload": payload,
        "next_attempt_at": timezone.now(),
        "case": case,
        "region": region if region is not None else _region_of(channel, recipient, case),
    }
    if channel == Channel.SMS:
        values["recipient_encrypted"] = crypto.encrypt(recipient)
        values["recipient"] = mask_phone(recipient)
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(idempotency_key=idempotency_key, **values)
    except IntegrityError:
        # Two callers raced with the same key: the first one's message is the message.
        return OutboxMessage.objects.get(idempotency_key=idempotency_key)
    if conf.get("JIEQU_OUTBOX_SEND_ON_COMMIT"):
        from .dispatch import deliver

        transaction.on_commit(lambda: deliver(message.pk), robust=True)
    return message


def _region_of(channel: str, recipient: str, case: Any) -> Any:
    if case is not None:
        return case.region
    if channel == Channel.NOTICE:
        from jiequ.accounts.models import User

        user = User.objects.filter(username=recipient).select_related("scope_region").first()
        return user.scope_region if user else None
    return None
