"""The outbox: every message that leaves Jiequ (notices, SMS, hand-offs to the district
city-operations platform) is first saved here, then sent by `jiequ.outbox.dispatch` with
retries. A message is never deleted: one that keeps failing is marked dead and stays visible.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jiequ.core.models import TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet


class Channel(models.TextChoices):
    NOTICE = "notice", _("Notice")
    SMS = "sms", _("SMS")
    DISTRICT = "district", _("District platform")


class MessageState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Given up")


# States a worker may pick up (a "sending" message whose lease ran out is picked up too).
DUE_STATES = (MessageState.PENDING, MessageState.FAILED)


class OutboxMessage(TimeStampedModel):
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # A username (notice), a masked phone (SMS; the number itself is encrypted below) or the
    # platform's name.
    recipient = models.CharField(_("recipient"), max_length=150)
    recipient_encrypted = models.TextField(editable=False, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    payload = models.JSONField(_("content"), default=dict, blank=True)
    # The same key twice is the same message: callers derive it from what the message is about.
    idempotency_key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    state = models.CharField(
        _("state"), max_length=20, choices=MessageState.choices, default=MessageState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    response_reference = models.CharField(
        _("reference from the receiver"), max_length=100, blank=True
    )
    # Where the message belongs, for scoping the staff page (a case's grid, a user's region).
    region = models.ForeignKey(
        "areas.Region",
        verbose_name=_("region"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )

    history = HistoricalRecords(excluded_fields=["recipient_encrypted"])
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("outbox:message_detail", args=[self.pk])

    @property
    def can_retry(self) -> bool:
        return self.state in (MessageState.FAILED, MessageState.DEAD)


class Outcome(models.TextChoices):
    SENT = "sent", _("Sent")
    RETRY = "retry", _("Failed, will retry")
    GAVE_UP = "gave_up", _("Refused, given up")


class OutboxAttempt(models.Model):
    """One try at sending a message and how it went (the error of each failed try is kept)."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    error = models.TextField(_("error"), blank=True)
    reference = models.CharField(_("reference from the receiver"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("sending attempt")
        verbose_name_plural = _("sending attempts")
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.message_id} #{self.number} {self.outcome}"
