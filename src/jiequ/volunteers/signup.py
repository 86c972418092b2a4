"""Volunteers' own acts and staff's review: sign up (one record per phone), update, withdraw.

A sign-up through a code saves the person's details with the consent they gave. The same phone
again updates the one record (the phone's keyed hash is unique) and never makes a second one.
The private link is shown once, to the person who made the record: a second sign-up with a
known phone updates the details but does not reveal the link (anyone may type a phone number),
and staff can issue a new link when a volunteer lost theirs.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core import crypto

from .models import (
    SignupState,
    TaskSignup,
    Volunteer,
    VolunteerCode,
    VolunteerState,
)


class VolunteerError(Exception):
    """A refused change, with a message for the person (translated, Chinese first)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass
class SignupData:
    name: str
    phone: str  # E.164, already validated
    occupation: str
    platform: str
    consent_text: str
    skills: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)


def register(code: VolunteerCode, data: SignupData) -> tuple[Volunteer, bool]:
    """Save a sign-up; the same phone again updates its one record. Returns (record, new)."""
    phone_hash = crypto.lookup_hash(data.phone)
    now = timezone.now()
    values: dict[str, Any] = {
        "code": code,
        "point": code.point,
        "region": code.region,
        "name": data.name,
        "phone_encrypted": crypto.encrypt(data.phone),
        "occupation": data.occupation,
        "platform": data.platform,
        "skills": data.skills,
        "availability": data.availability,
        "consent_text": data.consent_text,
        "consent_at": now,
    }
    for _attempt in range(2):
        try:
            with transaction.atomic():
                existing = (
                    Volunteer.objects.select_for_update().filter(phone_hash=phone_hash).first()
                )
                if existing is None:
                    volunteer = Volunteer.objects.create(
                        phone_hash=phone_hash,
                        signed_up_on=timezone.localdate(),
                        token=new_token(),
                        **values,
                    )
                    return volunteer, True
                for key, value in values.items():
                    setattr(existing, key, value)
                existing.submissions += 1
                if existing.state == VolunteerState.INACTIVE:
                    # Signing up again is a sign of life: staff review them again.
                    existing.state = VolunteerState.PENDING
                    existing.left_on = None
                existing._change_reason = _("Signed up again")
                existing.save()
                return existing, False
        except IntegrityError:
            continue  # two submissions raced to create: the second now finds the first
    raise RuntimeError("volunteer sign-up could not be saved")


def update_own(volunteer: Volunteer, *, availability: list[str], skills: list[str]) -> Volunteer:
    """The volunteer changes their availability and skills through their private link."""
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if locked.state == VolunteerState.WITHDRAWN:
            raise VolunteerError(_("You have withdrawn; there is nothing to change."))
        locked.availability = availability
        locked.skills = skills
        locked._change_reason = _("Changed by the volunteer")
        locked.save()
        return locked


def review(volunteer: Volunteer, *, confirm: bool, by: Any) -> Volunteer:
    """Staff confirm a new volunteer into the pool, or set them aside as inactive."""
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if locked.state == VolunteerState.WITHDRAWN:
            raise VolunteerError(_("This volunteer has withdrawn."))
        today = timezone.localdate()
        if confirm:
            locked.state = VolunteerState.ACTIVE
            locked.confirmed_on = locked.confirmed_on or today
            locked.left_on = None
            locked._change_reason = _("Confirmed")
        else:
            locked.state = VolunteerState.INACTIVE
            locked.left_on = today
            locked._change_reason = _("Marked inactive")
        locked.reviewed_by = by
        locked.save()
        return locked


def withdraw(volunteer: Volunteer, *, by: Any = None) -> Volunteer:
    """Withdraw: personal details go (also from the change log); dates and hours stay.

    Open sign-ups to tasks still to come are cancelled, freeing their places.
    """
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if locked.state == VolunteerState.WITHDRAWN:
            return locked
        today = timezone.localdate()
        locked.state = VolunteerState.WITHDRAWN
        locked.left_on = locked.left_on or today
        locked.name = ""
        locked.phone_encrypted = ""
        locked.phone_hash = ""
        locked.skills = []
        locked.availability = []
        locked.consent_text = ""
        locked.code = None
        if by is not None:
            locked.reviewed_by = by
        locked._change_reason = _("Withdrew")
        locked.save()
        # The change log kept earlier names: they go too.
        locked.history.update(name="", skills="", availability="", consent_text="")
        TaskSignup.objects.filter(
            volunteer=locked,
            state__in=[SignupState.SIGNED_UP, SignupState.ASSIGNED],
            task__starts_at__gt=timezone.now(),
        ).update(state=SignupState.CANCELLED, updated_at=timezone.now())
        return locked


def new_link(volunteer: Volunteer) -> Volunteer:
    """A new private link for a volunteer who lost theirs; the old link stops working."""
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if locked.state == VolunteerState.WITHDRAWN:
            raise VolunteerError(_("This volunteer has withdrawn."))
        locked.token = new_token()
        locked.skip_history_when_saving = True
        try:
            locked.save(update_fields=["token", "updated_at"])
        finally:
            del locked.skip_history_when_saving
        return locked
