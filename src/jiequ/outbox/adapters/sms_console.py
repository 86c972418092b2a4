"""The default for SMS: log the text with the masked number (no SMS gateway is wired in)."""

from __future__ import annotations

import logging

from jiequ.outbox.models import OutboxMessage

from .base import PermanentError, SendResult

log = logging.getLogger("jiequ.outbox")


class SmsConsoleAdapter:
    def send(self, message: OutboxMessage) -> SendResult:
        if not message.recipient_encrypted:
            raise PermanentError("SMS without a phone number")
        text = message.payload.get("text", message.subject)
        # The log never holds the full number.
        log.info("SMS to %s: %s", message.recipient, text)
        return SendResult(reference=f"sms-console-{message.pk}")
