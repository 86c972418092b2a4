"""Sending what is in the outbox: pick the messages that are due, send each through its
channel's adapter, and record how it went.

A worker first *claims* a message (state "sending", attempts + 1, a lease until which no other
worker takes it) in a short transaction, then sends it with no transaction open, then records
the outcome. If the process dies between sending and recording, the lease runs out and the
message is sent again with the same idempotency key, so the receiver keeps one copy.

Failed tries wait longer each time (exponential backoff with jitter) up to
JIEQU_OUTBOX_MAX_ATTEMPTS; then the message is given up ("dead") and stays on the staff page.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import conf
from .adapters import NotConfigured, PermanentError, SendResult, TemporaryError, adapter_for
from .models import DUE_STATES, MessageState, OutboxAttempt, OutboxMessage, Outcome

log = logging.getLogger("jiequ.outbox")


def backoff_seconds(attempt: int, rng: random.Random | None = None) -> float:
    """The wait after failed try number `attempt` (1, 2, …): base·2^(attempt−1), capped, then
    a random point in its upper half so that messages failing together do not retry together."""
    base = float(conf.get("JIEQU_OUTBOX_BACKOFF_BASE"))
    cap = float(conf.get("JIEQU_OUTBOX_BACKOFF_MAX"))
    delay = min(cap, base * 2 ** max(attempt - 1, 0))
    return (rng or random).uniform(delay / 2, delay)


def _due(now: datetime) -> Q:
    waiting = Q(state__in=DUE_STATES) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    lease_over = Q(state=MessageState.SENDING, next_attempt_at__lte=now)
    return waiting | lease_over


def _claim(pk: int, attempts: int, now: datetime) -> bool:
    """Take one message for sending; False if another worker took it first."""
    lease = timedelta(seconds=float(conf.get("JIEQU_OUTBOX_LEASE")))
    return bool(
        OutboxMessage.objects.filter(_due(now), pk=pk, attempts=attempts).update(
            state=MessageState.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + lease,
            updated_at=now,
        )
    )


def claim_due(limit: int | None = None, now: datetime | None = None) -> list[int]:
    """Claim up to `limit` due messages, oldest due first. On PostgreSQL the rows another
    worker is claiming are skipped (SKIP LOCKED); on SQLite, which has one writer at a time,
    the version check in `_claim` keeps two workers off the same message."""
    now = now or timezone.now()
    limit = limit or int(conf.get("JIEQU_OUTBOX_BATCH"))
    with transaction.atomic():
        qs = OutboxMessage.objects.filter(_due(now)).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        candidates = list(qs.values_list("pk", "attempts")[:limit])
        return [pk for pk, attempts in candidates if _claim(pk, attempts, now)]


def run_once(limit: int | None = None, now: datetime | None = None) -> Counter:
    """One round: claim what is due and send it. Returns how many ended in each state."""
    outcomes: Counter = Counter()
    for pk in claim_due(limit, now):
        outcomes[send_claimed(pk)] += 1
    return outcomes


def run_forever(
    interval: float | None = None, should_stop: Callable[[], bool] = lambda: False
) -> None:
    """The worker: rounds until stopped, sleeping when there was nothing to send."""
    interval = float(interval if interval is not None else conf.get("JIEQU_OUTBOX_LOOP_INTERVAL"))
    while not should_stop():
        try:
            outcomes = run_once()
        except Exception:  # a database hiccup must not end the worker
            log.exception("outbox round failed")
            outcomes = Counter()
        if outcomes:
            log.info("outbox round: %s", dict(outcomes))
        else:
            time.sleep(interval)


def deliver(pk: int) -> str | None:
    """Try one message now if it is due (right after it is saved, or after "retry now").
    Never raises: whatever happens is recorded on the message. Returns the new state."""
    try:
        message = OutboxMessage.objects.filter(pk=pk).values("attempts").first()
        if message is None or not _claim(pk, message["attempts"], timezone.now()):
            return None
        return send_claimed(pk)
    except Exception:
        log.exception("outbox: delivering message %s failed", pk)
        return None


def send_claimed(pk: int) -> str:
    """Send a message this worker has claimed and record the outcome. Returns the new state."""
    message = OutboxMessage.objects.select_related("case").get(pk=pk)
    started = timezone.now()
    adapter: Any = None
    try:
        adapter = adapter_for(message.channel)
        result = adapter.send(message)
    except NotConfigured as exc:
        return _wait_for_configuration(message, str(exc))
    except PermanentError as exc:
        return _record_failure(message, started, str(exc), give_up=True)
    except TemporaryError as exc:
        return _record_failure(message, started, str(exc), give_up=False)
    except Exception as exc:  # an adapter bug: keep the message, retry, and say what happened
        log.exception("outbox adapter %s failed on message %s", message.channel, pk)
        return _record_failure(message, started, f"{type(exc).__name__}: {exc}", give_up=False)
    return mark_sent(message, started, result, adapter)


def mark_sent(message: OutboxMessage, started: datetime, result: SendResult, adapter: Any) -> str:
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.state == MessageState.SENT:
            return locked.state  # a second worker whose lease ran out: already recorded
        now = timezone.now()
        locked.state = MessageState.SENT
        locked.sent_at = now
        locked.next_attempt_at = None
        locked.last_error = ""
        locked.response_reference = result.reference[:100]
        locked._change_reason = _("Sent")
        locked.save()
        _log_attempt(locked, started, Outcome.SENT, reference=result.reference)
        after_sent = getattr(adapter, "after_sent", None)
        if after_sent is not None:
            after_sent(locked, result)
    return MessageState.SENT


def _record_failure(message: OutboxMessage, started: datetime, error: str, *, give_up: bool) -> str:
    max_attempts = int(conf.get("JIEQU_OUTBOX_MAX_ATTEMPTS"))
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.state == MessageState.SENT:
            return locked.state
        exhausted = locked.attempts >= max_attempts
        now = timezone.now()
        locked.last_error = error[:2000]
        if give_up or exhausted:
            locked.state = MessageState.DEAD
            locked.next_attempt_at = None
            locked._change_reason = _("Given up")
            outcome = Outcome.GAVE_UP
        else:
            locked.state = MessageState.FAILED
            locked.next_attempt_at = now + timedelta(seconds=backoff_seconds(locked.attempts))
            locked._change_reason = _("Failed, will retry")
            outcome = Outcome.RETRY
        locked.save()
        _log_attempt(locked, started, outcome, error=error)
    log.warning("outbox message %s (%s): %s", locked.pk, locked.channel, error)
    return locked.state


def _wait_for_configuration(message: OutboxMessage, error: str) -> str:
    """Nowhere to send yet: the message waits, visibly, without using up a try."""
    wait = timedelta(seconds=float(conf.get("JIEQU_OUTBOX_BACKOFF_BASE")))
    OutboxMessage.objects.filter(pk=message.pk, state=MessageState.SENDING).update(
        state=MessageState.PENDING,
        attempts=F("attempts") - 1,
        last_error=error[:2000],
        next_attempt_at=timezone.now() + wait,
    )
    return MessageState.PENDING


def _log_attempt(
    message: OutboxMessage, started: datetime, outcome: str, *, error: str = "", reference: str = ""
) -> None:
    OutboxAttempt.objects.create(
        message=message,
        number=message.tries.count() + 1,
        started_at=started,
        finished_at=timezone.now(),
        outcome=outcome,
        error=error[:2000],
        reference=reference[:100],
    )


class RetryRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def retry_now(message: OutboxMessage | int, *, user: Any = None, send: bool = True) -> str:
    """Give a failed or dead message a fresh series of tries, starting now."""
    pk = message.pk if isinstance(message, OutboxMessage) else message
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=pk)
        if locked.state not in (MessageState.FAILED, MessageState.DEAD):
            raise RetryRefused(
                _("Only a failed or given-up message can be retried; this one is “%(state)s”.")
                % {"state": locked.get_state_display()}
            )
        locked.state = MessageState.PENDING
        locked.attempts = 0
        locked.next_attempt_at = timezone.now()
        locked._change_reason = _("Retry now")
        if user is not None:
            locked._history_user = user
        locked.save()
    if send:
        return deliver(pk) or MessageState.PENDING
    return MessageState.PENDING
