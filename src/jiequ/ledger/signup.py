"""Member sign-up codes: posters with a QR code, and the registrations they bring in."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from jiequ.accounts.models import User
from jiequ.areas.models import Building, Region
from jiequ.core import crypto
from jiequ.core.qr import draw_qr

from .models import Entity, MemberRegistration, RegistrationState, SignupCode, SignupTarget

# An Adobe-GB1 font every PDF reader maps to its own Song typeface, so Chinese renders
# without shipping a 10 MB font file.
PDF_FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))


def code_for(target: Entity | Building | Region, created_by: User | None = None) -> SignupCode:
    """The active code of a shop, building or area, made on first use."""
    if isinstance(target, Entity):
        lookup = {"target": SignupTarget.ENTITY, "entity": target}
        region = target.region
    elif isinstance(target, Building):
        lookup = {"target": SignupTarget.BUILDING, "building": target}
        region = target.region
    else:
        lookup = {"target": SignupTarget.AREA, "entity": None, "building": None}
        region = target
    existing = SignupCode.objects.filter(is_active=True, region=region, **lookup).first()
    if existing:
        return existing
    return SignupCode.objects.create(token=secrets.token_urlsafe(12), region=region, **lookup)


def poster_pdf(code: SignupCode, url: str) -> bytes:
    """An A4 poster: title, where it hangs, a large QR code of `url`, and how to use it."""
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"党员信息采集码 · {code}")
    pdf.setFillColorRGB(0.72, 0.11, 0.11)
    pdf.rect(0, height - 120, width, 120, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont(PDF_FONT, 40)
    pdf.drawCentredString(width / 2, height - 80, "党员信息采集码")
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    pdf.setFont(PDF_FONT, 22)
    pdf.drawCentredString(width / 2, height - 175, str(code)[:28])
    draw_qr(pdf, url, x=(width - 340) / 2, y=height - 560, size=340)
    pdf.linkURL(url, ((width - 340) / 2, height - 560, (width + 340) / 2, height - 220))
    pdf.setFont(PDF_FONT, 18)
    lines = [
        "在本店、本楼工作的党员同志：",
        "请用手机微信扫一扫，填写您的党员信息，",
        "方便街道党工委和您所在的党组织联系您。",
    ]
    for i, line in enumerate(lines):
        pdf.drawCentredString(width / 2, height - 620 - i * 30, line)
    pdf.setFont(PDF_FONT, 11)
    pdf.setFillColorRGB(0.4, 0.4, 0.4)
    pdf.drawCentredString(width / 2, 60, url)
    pdf.drawCentredString(width / 2, 40, f"{code.region}  街道党工委")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@dataclass
class RegistrationData:
    name: str
    phone: str  # E.164, already validated
    record_organisation: str
    record_province: str
    record_city: str
    membership: str
    workplace: str
    consent_text: str


def register(code: SignupCode, data: RegistrationData) -> tuple[MemberRegistration, bool]:
    """Save a registration; the same phone again updates its one record. Returns (record, new)."""
    phone_hash = crypto.lookup_hash(data.phone)
    values: dict[str, Any] = {
        "code": code,
        "region": code.region,
        "name": data.name,
        "phone_encrypted": crypto.encrypt(data.phone),
        "record_organisation": data.record_organisation,
        "record_province": data.record_province,
        "record_city": data.record_city,
        "membership": data.membership,
        "workplace": data.workplace,
        "entity": code.entity,
        "consent_text": data.consent_text,
        "consent_at": timezone.now(),
    }
    for _attempt in range(2):
        try:
            with transaction.atomic():
                existing = (
                    MemberRegistration.objects.select_for_update()
                    .filter(phone_hash=phone_hash)
                    .first()
                )
                if existing is None:
                    return MemberRegistration.objects.create(phone_hash=phone_hash, **values), True
                for key, value in values.items():
                    setattr(existing, key, value)
                existing.submissions += 1
                if existing.state == RegistrationState.REJECTED:
                    existing.state = (
                        RegistrationState.PENDING
                    )  # a corrected entry is reviewed again
                existing.save()
                return existing, False
        except IntegrityError:
            continue  # two submissions raced to create: the second now finds the first
    raise RuntimeError("registration could not be saved")


def review(
    registration: MemberRegistration,
    *,
    confirm: bool,
    by: User,
    organisation: Any = None,
) -> Any:
    """Confirm or reject a registration. Confirming with the `organisation` (in the reviewer's
    scope) where the person takes part also makes them a member, or updates the member with the
    same phone; both happen together or not at all. Returns the member (or None)."""
    from jiequ.members.services import member_from_registration

    with transaction.atomic():
        registration.state = RegistrationState.CONFIRMED if confirm else RegistrationState.REJECTED
        registration.reviewed_by = by
        registration.reviewed_at = timezone.now()
        registration.save()
        if confirm and organisation is not None:
            return member_from_registration(registration, organisation, by)
    return None
