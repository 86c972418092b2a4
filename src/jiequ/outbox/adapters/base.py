"""What an adapter is: `send(message) -> SendResult`, raising one of the errors below."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from jiequ.outbox.models import OutboxMessage


@dataclass(frozen=True)
class SendResult:
    reference: str = ""  # the receiver's own number for the message, if it gives one


class TemporaryError(Exception):
    """Try again later (the receiver is down, slow, or overloaded)."""


class PermanentError(Exception):
    """The receiver refused the message as it is: trying again cannot help."""


class NotConfigured(TemporaryError):
    """The channel has nowhere to send to yet; the message waits without using up its tries."""


class Adapter(Protocol):
    def send(self, message: OutboxMessage) -> SendResult: ...

    # Optional: `after_sent(message, result)`, run in the transaction that marks it sent.
