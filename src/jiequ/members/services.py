"""Members: made from a confirmed sign-up registration or entered by staff; phones; check-in.

A phone number is one member: its keyed hash is unique, so a second registration or entry with
the same number updates (registration) or is refused (staff entry) rather than making two.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.areas.models import Region, RegionLevel
from jiequ.core import crypto
from jiequ.core.scoping import can, organisation_in_scope, region_in_scope
from jiequ.core.validators import normalise_phone
from jiequ.party.models import Organisation

from .models import ConsentSource, Member, RecordLocation


class MemberError(ValueError):
    """Something about a member that is refused; the message says why."""


def phone_hash_of(text: str) -> str | None:
    """The look-up hash of a typed phone number, or None if it is not a phone number."""
    try:
        return crypto.lookup_hash(normalise_phone(text))
    except ValidationError:
        return None


def phone_taken(e164: str, exclude_pk: int | None = None) -> bool:
    others = Member.objects.filter(phone_hash=crypto.lookup_hash(e164))
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def search(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """Members by (part of) the name, or by the exact phone number through its hash."""
    text = (text or "").strip()
    if not text:
        return queryset
    condition = models.Q(name__icontains=text)
    phone_hash = phone_hash_of(text) if len(re.sub(r"\D", "", text)) >= 7 else None
    if phone_hash:
        condition |= models.Q(phone_hash=phone_hash)
    return queryset.filter(condition)


def subdistrict_of(organisation: Organisation) -> Region:
    region = organisation.region
    return region.subdistrict or region


def _plain_name(name: str) -> str:
    name = re.sub(r"\s+", "", name or "")
    for prefix in ("中国共产党", "中共"):
        name = name.removeprefix(prefix)
    return name


def organisation_named(name: str, subdistrict: Region) -> Organisation | None:
    """The organisation of `subdistrict` a person named (with or without the 中共 prefix)."""
    wanted = _plain_name(name)
    if not wanted:
        return None
    for organisation in Organisation.objects.filter(region__path__startswith=subdistrict.path):
        if _plain_name(organisation.name) == wanted:
            return organisation
    return None


def member_from_registration(registration: Any, organisation: Organisation, by: Any) -> Member:
    """Make (or, for a phone already on a member, update) the member a confirmed sign-up
    registration describes. They take part in `organisation`'s life (it must be in `by`'s
    scope). Call inside the transaction that confirms the registration."""
    if not organisation_in_scope(by, organisation):
        raise MemberError(_("You cannot add members to this organisation."))
    with transaction.atomic():
        member = (
            Member.objects.select_for_update().filter(phone_hash=registration.phone_hash).first()
        )
        if member is None:
            member = Member(phone_hash=registration.phone_hash)
            reason = _("Made from a confirmed sign-up registration")
        else:
            if not can(by, "change", member):
                raise MemberError(
                    _(
                        "This phone number is already on the record of a member you cannot "
                        "change; ask the subdistrict staff to confirm this registration."
                    )
                )
            reason = _("Updated from a confirmed sign-up registration")
        member.name = registration.name
        member.phone_encrypted = registration.phone_encrypted
        member.membership = registration.membership
        member.organisation = organisation
        member.consent_source = ConsentSource.REGISTRATION
        member.consent_at = registration.consent_at
        member.consent_text = registration.consent_text
        member.registration = registration
        here = organisation_named(registration.record_organisation, subdistrict_of(organisation))
        if here is not None:
            member.record_location = RecordLocation.HERE
            member.record_organisation = here
            member.record_elsewhere_name = ""
            member.record_province = ""
            member.record_city = ""
        else:
            member.record_location = RecordLocation.ELSEWHERE
            member.record_organisation = None
            member.record_elsewhere_name = registration.record_organisation
            member.record_province = registration.record_province
            member.record_city = registration.record_city
        if registration.entity_id:
            member.workplace_id = registration.entity_id
        member._change_reason = reason
        if by is not None:
            member._history_user = by
        member.save()
    return member


def check_in(member: Member, *, area: Region, on: date, by: Any = None) -> Member:
    """Record the member's check-in (报到) at the service centre of an area in `by`'s scope."""
    if area.level != RegionLevel.AREA:
        raise MemberError(_("Check-in is at an area's service centre: choose an area."))
    if by is not None and not region_in_scope(by, area):
        raise MemberError(_("This area is outside your scope."))
    if on > timezone.localdate():
        raise MemberError(_("A check-in cannot be dated in the future."))
    member.checked_in_area = area
    member.checked_in_on = on
    member._change_reason = _("Checked in at %(area)s") % {"area": area}
    if by is not None:
        member._history_user = by
    member.save()
    return member
