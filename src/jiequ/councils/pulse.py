"""The street pulse (街情气象站): shops and workers post issues and vote, without accounts.

A browser is known by a random id in a signed cookie; the database keeps only a keyed hash of
it, one vote per topic and browser (a unique constraint, so a replayed request or a double tap
never counts twice). Clearing cookies gives a new browser, which is what the per-network rate
limit is for. A post sent twice (a double tap, a reload) makes one topic.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.core.validators import normalise_phone

from .models import PulseBoard, PulseTopic, PulseVote, TopicState

DEVICE_COOKIE = "jiequ_pulse"
DEVICE_SALT = "jiequ.councils.pulse"
DEVICE_MAX_AGE = 2 * 365 * 24 * 3600
TOPICS_PER_NETWORK = 5  # posts per 10 minutes from one network
VOTES_PER_NETWORK = 60  # votes per 10 minutes from one network
WINDOW_SECONDS = 600
# Topics still gathering support: votes are counted on these.
VOTABLE = (TopicState.OPEN, TopicState.ON_AGENDA)

CONSENT_TEXT = gettext_lazy(
    "I agree that the subdistrict keeps my phone number to contact me about this topic only. "
    "It is never shown on the page and I can ask for it to be deleted at any time."
)


def device_of(request: HttpRequest) -> str | None:
    """This browser's id from its signed cookie (None if it has none or it was tampered with)."""
    return request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)


def ensure_device(request: HttpRequest) -> tuple[str, bool]:
    """The browser's id, making a new one if needed; True when it is new (set the cookie)."""
    device = device_of(request)
    if device:
        return device, False
    return secrets.token_urlsafe(16), True


def remember_device(response: HttpResponse, device: str) -> None:
    response.set_signed_cookie(
        DEVICE_COOKIE,
        device,
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG and getattr(settings, "SESSION_COOKIE_SECURE", False),
    )


def device_key(device: str) -> str:
    """What the database keeps of a browser id: a keyed hash, not the cookie value."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"pulse:{device}".encode(), hashlib.sha256
    ).hexdigest()


def visible_topics(board: PulseBoard) -> QuerySet:
    """What the public page lists: topics not hidden, the most supported first."""
    return board.topics.filter(hidden_at__isnull=True).order_by("-votes", "-created_at", "-pk")


def voted_ids(device: str | None, topics: QuerySet) -> set[int]:
    if not device:
        return set()
    return set(
        PulseVote.objects.filter(device=device_key(device), topic__in=topics).values_list(
            "topic_id", flat=True
        )
    )


@dataclass
class Post:
    title: str
    text: str
    author_name: str = ""
    phone: str = ""
    consent: bool = False


def post_topic(board: PulseBoard, post: Post, device: str) -> tuple[PulseTopic, bool]:
    """Save a posted topic, or return the one this browser already posted with the same words.

    Raises ValidationError (Chinese first) when something is missing; nothing is saved then.
    """
    errors: dict[str, str] = {}
    title, text = post.title.strip(), post.text.strip()
    if not title:
        errors["title"] = _("Give the topic a short title.")
    if not text:
        errors["text"] = _("Say what the topic is about.")
    e164 = ""
    if post.phone.strip():
        try:
            e164 = normalise_phone(post.phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
        if not post.consent:
            errors["consent"] = _(
                "We keep a phone number only with your consent: tick the box, or leave the "
                "phone empty."
            )
    if errors:
        raise ValidationError(errors)
    if not board.is_active:
        raise ValidationError(_("This street-pulse board is closed."))
    key = hashlib.sha256(f"{board.pk}\n{device}\n{title}\n{text}".encode()).hexdigest()
    existing = PulseTopic.objects.filter(submission_key=key).first()
    if existing is not None:
        return existing, False
    topic = PulseTopic(
        board=board,
        title=title[:60],
        text=text[:1000],
        author_name=post.author_name.strip()[:30],
        submission_key=key,
    )
    if e164:
        topic.set_phone(e164)
        topic.consent_text = str(CONSENT_TEXT)
        topic.consent_at = timezone.now()
    topic._change_reason = _("Posted on the street pulse")
    try:
        with transaction.atomic():
            topic.save()
    except IntegrityError:
        existing = PulseTopic.objects.filter(submission_key=key).first()
        if existing is None:
            raise
        return existing, False
    return topic, True


def vote(topic: PulseTopic, device: str) -> bool:
    """Count this browser's vote for `topic`; False if it had voted already (or cannot vote)."""
    if topic.is_hidden or topic.state not in VOTABLE:
        return False
    try:
        with transaction.atomic():
            PulseVote.objects.create(topic=topic, device=device_key(device))
            PulseTopic.objects.filter(pk=topic.pk).update(votes=F("votes") + 1)
    except IntegrityError:
        return False
    return True


def hide(topic: PulseTopic, *, reason: str, user: Any) -> PulseTopic:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the topic is hidden.")})
    with transaction.atomic():
        locked = PulseTopic.objects.select_for_update().get(pk=topic.pk)
        locked.hidden_at = timezone.now()
        locked.hidden_reason = reason[:200]
        locked.hidden_by = user
        locked._change_reason = _("Hidden: %(why)s") % {"why": reason[:80]}
        locked.save()
    return locked


def unhide(topic: PulseTopic, *, user: Any) -> PulseTopic:
    with transaction.atomic():
        locked = PulseTopic.objects.select_for_update().get(pk=topic.pk)
        locked.hidden_at = None
        locked.hidden_reason = ""
        locked.hidden_by = None
        locked._change_reason = _("Shown again")
        locked.save()
    return locked
