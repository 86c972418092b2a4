"""The community talents' register (能人达人): sign-up by the person (QR code) or entry by
staff with the person's consent; one entry per phone; withdrawal by the person.

A person is on the register by their own act: the wording they agreed to and when are kept.
Their phone is stored encrypted with a keyed hash for the one-entry-per-phone check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiequ.core import crypto

from .models import Talent, TalentInvite, TalentSource, new_token

CONSENT_TEXT = _(
    "I agree that the subdistrict Party working committee keeps my name, phone, skills and "
    "area on its register of community talents, to invite me to councils and service "
    "projects. Only subdistrict staff see it; I can read my record through my private link "
    "and withdraw at any time."
)
STAFF_CONSENT_TEXT = _(
    "The person agreed, in person or by phone, that the subdistrict Party working committee "
    "keeps their name, phone, skills and area on its register of community talents, to invite "
    "them to councils and service projects, and that they can withdraw at any time."
)


@dataclass
class TalentData:
    name: str
    phone: str  # E.164, already checked
    skills: str
    category: str
    occupation: str
    region: Any
    consent_text: str


def phone_taken(phone: str, exclude: Talent | None = None) -> bool:
    taken = Talent.objects.filter(phone_hash=crypto.lookup_hash(phone))
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    return taken.exists()


def sign_up(data: TalentData) -> tuple[Talent | None, bool]:
    """The person's own sign-up: (the new record, True), or (None, False) when the phone is
    already on the register — then nothing changes (whoever knows a phone number must not be
    able to overwrite that person's entry)."""
    talent = Talent(
        name=data.name,
        skills=data.skills,
        category=data.category,
        occupation=data.occupation,
        region=data.region,
        source=TalentSource.SELF,
        consent_text=data.consent_text,
        consented_at=timezone.now(),
        token=new_token(),
    )
    talent.set_phone(data.phone)
    if phone_taken(data.phone):
        return None, False
    try:
        with transaction.atomic():
            talent.save()
    except IntegrityError:  # the same phone at the same moment: the first one wins
        return None, False
    return talent, True


def withdraw(talent: Talent) -> None:
    """The person leaves the register: the phone goes and they leave their councils; the name
    stays, marked withdrawn, on the projects they took part in."""
    with transaction.atomic():
        locked = Talent.objects.select_for_update().get(pk=talent.pk)
        if locked.withdrawn_at is not None:
            return
        locked.withdrawn_at = timezone.now()
        locked.phone_encrypted = ""
        locked.phone_hash = ""
        locked._change_reason = "withdrawn by the person"
        locked.save()
        locked.councils.clear()
        talent.withdrawn_at = locked.withdrawn_at


def invite_for(region: Any, created_by: Any = None) -> TalentInvite:
    """The active sign-up code of a subdistrict or area, made on first use."""
    existing = TalentInvite.objects.filter(region=region, is_active=True).first()
    if existing is not None:
        return existing
    return TalentInvite.objects.create(region=region, created_by=created_by)
