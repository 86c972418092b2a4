"""The default for notices: write them to the log (a person reads them in the console)."""

from __future__ import annotations

import json
import logging

from jiequ.outbox.models import OutboxMessage

from .base import SendResult

log = logging.getLogger("jiequ.outbox")


class ConsoleAdapter:
    def send(self, message: OutboxMessage) -> SendResult:
        log.info(
            "notice to %s: %s %s",
            message.recipient,
            message.subject,
            json.dumps(message.payload, ensure_ascii=False),
        )
        return SendResult(reference=f"console-{message.pk}")
